"""serve-ssh with a real asyncssh client on localhost: login, refusals, lockout, limits,
resize, and no process left behind."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from tui.services import ssh_keys
from tui.services.auth import AuthError, login

from .ssh_helpers import CARLOS, alive, connect, open_tui, read_until, running_server, until


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Host key and the children's config in the test's own folders."""
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPLEMENTARIAS_CONFIG_DIR", str(tmp_path / "config"))


class Recorder(asyncssh.SSHClient):  # type: ignore[misc]
    """A client that keeps why the server closed the connection."""

    lost: Any = None

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = exc


async def test_password_login_opens_the_app_logged_in(pool: Any, demo_url: str,
                                                      tmp_path: Path) -> None:
    async with running_server(pool, demo_url) as (ctx, port):
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            proc = await open_tui(conn)
            seen = bytearray()
            await read_until(proc, b"Borrador", seen=seen)  # carlos's home tiles
            out = await read_until(proc, b"Carlos", seen=seen)  # the header names him
            assert b"Correo institucional" not in out, "no login screen over SSH"
            assert len(ctx.registry.active) == 1
        key_file = tmp_path / "data" / "ssh_host_ed25519_key"
        assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
    # The same host key on the next start (clients keep trusting it).
    first = key_file.read_bytes()
    async with running_server(pool, demo_url):
        assert key_file.read_bytes() == first


async def test_wrong_password_and_unknown_key_are_refused(pool: Any, demo_url: str) -> None:
    key = asyncssh.generate_private_key("ssh-ed25519")
    async with running_server(pool, demo_url) as (_ctx, port):
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, CARLOS[0], password="mala-clave"):
                pass
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, CARLOS[0], client_keys=[key]):
                pass
        # Registered in the app, the same key opens carlos's account (and only his).
        carlos = (await login(pool, *CARLOS)).actor
        await ssh_keys.add_key(pool, carlos, key.export_public_key().decode())
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, "maria.gonzalez@sena.edu.co", client_keys=[key]):
                pass
        async with connect(port, CARLOS[0], client_keys=[key]) as conn:
            await read_until(await open_tui(conn), b"Carlos")
        keys = await ssh_keys.list_keys(pool, carlos)
        assert keys[0].last_used_at is not None


async def test_lockout_is_the_login_screens(pool: Any, demo_url: str) -> None:
    async with running_server(pool, demo_url) as (_ctx, port):
        for _ in range(5):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connect(port, CARLOS[0], password="mala-clave"):
                    pass
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, CARLOS[0], password=CARLOS[1]):
                pass
    # The login screen sees the same lock (attempts are stored in the database).
    with pytest.raises(AuthError, match="bloqueado"):
        await login(pool, *CARLOS, source="ssh:127.0.0.1")


async def test_lockout_is_by_account_first_not_the_offices_address(
        pool: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """40 colleagues behind one NAT address each mistype twice (80 failures): none is
    locked and each logs in; one account's 5 failures lock that account from anywhere."""
    from tui.services import auth

    async def no_pause(_seconds: float) -> None:
        return None

    async def cheap_cost(_conn: Any) -> int:
        return 4

    monkeypatch.setattr(auth, "_pause", no_pause)  # the back-off's waits, not its count
    monkeypatch.setattr(auth, "common_cost", cheap_cost)  # unknown emails: a cheap dummy
    office = "ssh:10.20.30.40"
    for n in range(40):
        for _ in range(2):
            with pytest.raises(auth.AuthError, match="incorrectos"):
                await login(pool, f"persona{n}@sena.edu.co", "typo", source=office)
    assert (await login(pool, *CARLOS, source=office)).actor.email == CARLOS[0]
    for _ in range(auth.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(auth.AuthError):
            await login(pool, CARLOS[0], "mala-clave", source=office)
    with pytest.raises(auth.AuthError, match="bloqueado"):
        await login(pool, *CARLOS, source="ssh:192.0.2.7")  # the account, from anywhere
    print(f"lockout: 80 failures from one address, 0 colleagues locked; "
          f"{auth.MAX_FAILURES_PER_EMAIL} on one account lock it")


async def test_connection_limits_take_over_and_refuse(pool: Any, demo_url: str) -> None:
    """A user at their limit takes over (their oldest connection ends); one app per
    connection; a full server refuses a user with no connection of their own."""
    async with running_server(pool, demo_url, max_per_user=1, max_total=2) as (ctx, port):
        first = await connect(port, CARLOS[0], password=CARLOS[1])
        old = await open_tui(first)
        await read_until(old, b"Borrador")
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            await asyncio.wait_for(first.wait_closed(), 60)  # taken over, not refused
            await read_until(await open_tui(conn), b"Borrador")
            second = await open_tui(conn)
            out = await read_until(second, b"\n")
            await second.wait_closed()
            assert "ya tiene la aplicación abierta" in out.decode()
            assert second.exit_status == 1
            async with connect(port, "juan.martinez@sena.edu.co",
                               password="Coordinador.2026") as conn2:
                await read_until(await open_tui(conn2), b"Juan")
                recorder = Recorder()
                c3 = await connect(port, "admin@sena.edu.co", password="Admin.Sena2026",
                                   client_factory=lambda: recorder)
                await asyncio.wait_for(c3.wait_closed(), 60)
                assert "máximo de conexiones" in recorder.lost.reason
                assert len(ctx.registry.active) == 2


async def test_resize_reaches_the_app(pool: Any, demo_url: str) -> None:
    async with (running_server(pool, demo_url) as (_ctx, port),
                connect(port, CARLOS[0], password=CARLOS[1]) as conn):
        proc = await open_tui(conn)
        seen = bytearray()
        await read_until(proc, b"Borrador", seen=seen)
        assert b"\x1b[30;1H" not in seen
        proc.change_terminal_size(100, 30)
        # The app redraws for 30 rows: it addresses row 30, which did not exist before.
        await read_until(proc, b"\x1b[30;1H", seen=seen)


async def test_disconnect_leaves_no_process(pool: Any, demo_url: str) -> None:
    async with running_server(pool, demo_url) as (ctx, port):
        conn = await connect(port, CARLOS[0], password=CARLOS[1])
        await read_until(await open_tui(conn), b"Borrador")
        (session,) = ctx.sessions
        pid = session.child.pid
        assert pid is not None and alive(pid)
        conn.abort()  # the client vanishes, no clean exit
        await until(lambda: not alive(pid) and not ctx.registry.active,
                    what="the TUI process and its registration end")
        assert not alive(pid), "the TUI process outlived its SSH session"
        assert ctx.registry.active == {}
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)  # nothing of its process group either


async def test_only_the_tui_no_exec_no_forwarding(pool: Any, demo_url: str) -> None:
    async with (running_server(pool, demo_url) as (_ctx, port),
                connect(port, CARLOS[0], password=CARLOS[1]) as conn):
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.run("id")
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.run(subsystem="sftp")
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", 5432)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 22)


async def test_idle_session_is_ended(pool: Any, demo_url: str) -> None:
    async with running_server(pool, demo_url, idle_timeout_s=4) as (ctx, port):
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            proc = await open_tui(conn)
            # No key is ever sent: the server ends the session (however far the app got in
            # drawing on a busy machine) and says why.
            await read_until(proc, "Sesión cerrada por inactividad".encode(), timeout=60)
            await proc.wait_closed()
        await until(lambda: not ctx.registry.active, what="the session is unregistered")
        assert ctx.registry.active == {}


async def test_forced_password_change_still_applies(pool: Any, demo_url: str) -> None:
    from tui.services.auth import set_password

    carlos = (await login(pool, *CARLOS)).actor
    await set_password(pool, carlos.id, "Temporal.2026x", must_change=True)
    async with (running_server(pool, demo_url) as (_ctx, port),
                connect(port, CARLOS[0], password="Temporal.2026x") as conn):
        out = await read_until(await open_tui(conn), b"temporal")
        assert b"debe cambiarla" in out


async def test_deactivated_user_loses_an_open_session(pool: Any, demo_url: str) -> None:
    """An admin deactivates carlos while his SSH session is open: his next action ends the
    session with the reason, and no process is left."""
    from tui.services import users
    from tui.services.seed import demo_accounts

    email, _role, password = next(a for a in demo_accounts() if a[1] == "ADMIN")
    admin = (await login(pool, email, password)).actor
    carlos = (await login(pool, *CARLOS)).actor
    async with running_server(pool, demo_url) as (ctx, port):
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            proc = await open_tui(conn)
            seen = bytearray()
            await read_until(proc, b"Borrador", seen=seen)
            await users.set_active(pool, admin, carlos.id, False)
            proc.stdin.write(b"l")  # his next action: open the list
            await read_until(proc, b"fue desactivada", seen=seen)
            await asyncio.wait_for(proc.wait_closed(), 20)
        await until(lambda: not ctx.registry.active, what="the session is unregistered")
        assert ctx.registry.active == {}
    with pytest.raises(AuthError, match=r"desactivad|inactiv"):
        await login(pool, *CARLOS)  # and he cannot log in again
