"""serve-ssh against hostile clients and bad links, with real clients: OpenSSH's `ssh` where
installed (tests/ssh_client.py, one asyncssh client per process, where not) and asyncssh.

EOF right after login, a killed client, a dropped link, a reconnect over one's own dead
session, `-N` and half-open floods, a huge window, hostile user names in the log, a key
offered without a signature, and exports fetched with `export get`. Each test prints its
figures (tries, slots freed in N s), which SECURITY.md quotes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
from pathlib import Path
from typing import Any

import asyncssh
import pyte
import pytest

from tui import downloads
from tui.services import ssh_keys
from tui.services.auth import login

from .ssh_helpers import (
    CARLOS,
    alive,
    connect,
    open_tui,
    read_until,
    read_until_shown,
    registered_key,
    running_server,
    spawn_client,
    until,
)

MARIA = ("maria.gonzalez@sena.edu.co", "Instructor.2026")


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPLEMENTARIAS_CONFIG_DIR", str(tmp_path / "config"))


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Error records and tracebacks logged while the test ran (asyncio's included)."""
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def _freed(ctx: Any) -> bool:
    return not ctx.registry.active and not ctx.sessions and not ctx.registry.startups


async def _app_pid(ctx: Any) -> int:
    await until(lambda: any(s.child and s.child.pid for s in ctx.sessions), 60,
                "the app's process started")
    return next(s.child.pid for s in ctx.sessions if s.child and s.child.pid)


async def test_eof_right_after_login_ends_cleanly(pool: Any, demo_url: str, tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    key = await registered_key(pool, *CARLOS, tmp_path)
    tries, took = 5, []
    async with running_server(pool, demo_url) as (ctx, port):
        for _ in range(tries):  # a real client whose stdin is empty: EOF at once
            client = await spawn_client(port, CARLOS[0], key, "-tt")
            await asyncio.wait_for(client.communicate(), 60)
            took.append(await until(lambda: _freed(ctx), 60, "slot freed after EOF"))
        async with connect(port, *CARLOS[:1], password=CARLOS[1]) as conn:
            for _ in range(tries):  # EOF the moment the session opened, while the app starts
                proc = await open_tui(conn)
                proc.stdin.write_eof()
                await asyncio.wait_for(proc.wait_closed(), 60)
        took.append(await until(lambda: _freed(ctx), 60, "slot freed after EOF"))
    print(f"EOF: {2 * tries} tries, slots freed in at most {max(took):.1f} s after the client")
    assert _errors(caplog) == []
    assert any("reason=eof" in r.getMessage() for r in caplog.records)


async def test_killed_client_frees_its_slot_and_process(pool: Any, demo_url: str,
                                                        tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    key = await registered_key(pool, *CARLOS, tmp_path)
    tries, took = 3, []
    async with running_server(pool, demo_url) as (ctx, port):
        for _ in range(tries):
            client = await spawn_client(port, CARLOS[0], key, "-tt",
                                        stdin=asyncio.subprocess.PIPE)
            pid = await _app_pid(ctx)
            # SIGKILL while the app draws its first screen: no goodbye, the kernel closes the
            # socket, and the server's writes meet a closed connection (broken pipe, reset).
            client.kill()
            await client.wait()
            took.append(await until(lambda pid=pid: _freed(ctx) and not alive(pid), 60,
                                    "slot and process freed after kill"))
    print(f"kill: {tries} tries, slot and process freed in at most {max(took):.1f} s")
    assert max(took) < 15
    assert _errors(caplog) == []


async def test_dropped_link_ends_within_keepalive_and_reconnect_takes_over(
        pool: Any, demo_url: str, tmp_path: Path) -> None:
    """A stopped client keeps its TCP connection but answers nothing, as over a dropped
    link: keepalives end it (here 1 s x 3; serve-ssh's default 10 s x 3 ends it within
    40 s). Meanwhile the same user reconnects at once: their dead session is taken over."""
    key = await registered_key(pool, *CARLOS, tmp_path)
    async with running_server(pool, demo_url, keepalive_s=1.0, keepalive_count=3) as (ctx, port):
        client = await spawn_client(port, CARLOS[0], key, "-tt", stdin=asyncio.subprocess.PIPE)
        pid = await _app_pid(ctx)
        client.send_signal(signal.SIGSTOP)
        try:
            dropped = await until(lambda: _freed(ctx) and not alive(pid), 60,
                                  "dropped link noticed")
        finally:
            client.kill()
            await client.wait()
    async with running_server(pool, demo_url, max_per_user=1, keepalive_s=60) as (ctx, port):
        client = await spawn_client(port, CARLOS[0], key, "-tt", stdin=asyncio.subprocess.PIPE)
        old = await _app_pid(ctx)
        client.send_signal(signal.SIGSTOP)
        try:
            async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
                await read_until(await open_tui(conn), b"Borrador", timeout=60)
                took_over = await until(lambda: not alive(old), 60, "old session ended")
                assert len(ctx.registry.active) == 1
        finally:
            client.kill()
            await client.wait()
    print(f"dropped link: freed in {dropped:.1f} s (keepalive 1 s x 3); reconnect took over "
          f"the dead session in {took_over:.1f} s")
    assert dropped < 30


async def test_no_shell_flood_counts_and_times_out(pool: Any, demo_url: str,
                                                   tmp_path: Path) -> None:
    """25 authenticated connections without a shell (`ssh -N`): each holds a slot, the
    per-user cap holds at every step (the oldest is taken over), and all end when unused."""
    key_file = await registered_key(pool, *CARLOS, tmp_path)
    key = asyncssh.read_private_key(key_file)
    flood, peak = 25, 0
    async with running_server(pool, demo_url, max_total=20, max_per_user=3,
                              no_session_timeout_s=10) as (ctx, port):
        real = await spawn_client(port, CARLOS[0], key_file, "-N")
        await until(lambda: len(ctx.registry.active) == 1, 60, "ssh -N holds a slot")
        conns = []
        for _ in range(flood - 1):
            conns.append(await connect(port, CARLOS[0], client_keys=[key]))
            peak = max(peak, len(ctx.registry.active))
            assert len(ctx.registry.active) <= 3
        took = await until(lambda: _freed(ctx), 60, "unused connections closed")
        await asyncio.wait_for(asyncio.gather(*(c.wait_closed() for c in conns)), 60)
        await asyncio.wait_for(real.communicate(), 60)
    print(f"-N flood: {flood} connections, at most {peak} slots held (cap 3), all closed "
          f"{took:.1f} s after the last (unused timeout 10 s)")
    assert peak == 3


async def test_half_open_flood_is_capped_and_dropped(pool: Any, demo_url: str) -> None:
    """25 TCP connections that never authenticate (20 silent, 5 stopping after the version
    line): beyond 10 per address they are closed at once, the rest after the login grace
    time; then a real login works."""
    grace, cap, flood = 6.0, 10, 25
    async with running_server(pool, demo_url, login_grace_s=grace,
                              max_startups_per_ip=cap) as (ctx, port):
        loop = asyncio.get_running_loop()

        async def hold() -> tuple[asyncio.StreamReader, asyncio.StreamWriter, float]:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            return reader, writer, loop.time()

        conns = [await hold() for _ in range(flood)]
        for _reader, writer, _opened in conns[-5:]:
            writer.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        held = sum(ctx.registry.startups.values())

        async def open_for(reader: asyncio.StreamReader, opened: float) -> float:
            with contextlib.suppress(ConnectionResetError):  # closed at once (reset)
                await asyncio.wait_for(reader.read(), 60)  # everything until it is closed
            return loop.time() - opened

        times = await asyncio.gather(*(open_for(r, t) for r, _w, t in conns))
        for _reader, writer, _opened in conns:
            writer.close()
        await until(lambda: _freed(ctx), 60, "startup slots freed")
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            await read_until(await open_tui(conn), b"Borrador")
    early = sum(t < grace / 2 for t in times)
    print(f"half-open flood: {flood} connections, {held} held at most (cap {cap}), "
          f"{early} closed at once, each closed at most {max(times):.1f} s after it opened "
          f"(grace {grace:.0f} s)")
    assert held <= cap and early >= flood - cap
    assert max(times) < grace + 15


async def test_window_size_is_capped(pool: Any, demo_url: str) -> None:
    async with (running_server(pool, demo_url) as (ctx, port),
                connect(port, CARLOS[0], password=CARLOS[1]) as conn):
        proc = await open_tui(conn, cols=1000, rows=1000)
        seen = bytearray()
        await read_until(proc, b"Borrador", seen=seen, timeout=60)
        await read_until(proc, b"\x1b[100;", seen=seen, timeout=60)  # drawn at 100 rows
        (session,) = ctx.sessions
        assert session.size == (300, 100)
        assert b"\x1b[101;" not in seen and b"\x1b[500;" not in seen
        proc.change_terminal_size(5000, 60)
        after = await read_until(proc, b"\x1b[60;", timeout=60)  # redrawn for 60 rows
        assert session.size == (300, 60)
        moves = [(int(r), int(c)) for r, c in re.findall(rb"\x1b\[(\d+);(\d+)H",
                                                          bytes(seen) + after)]
        assert max(r for r, _c in moves) <= 100 and max(c for _r, c in moves) <= 300


async def test_hostile_user_names_stay_one_log_line(pool: Any, demo_url: str,
                                                    caplog: pytest.LogCaptureFixture,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """asyncssh's SASLprep already refuses control characters in user names; with it off
    (so any byte reaches the server's code) every event is still one line."""
    import asyncssh.connection

    monkeypatch.setattr(asyncssh.connection, "saslprep", lambda text: text)
    caplog.set_level(logging.INFO, logger="complementarias.ssh")
    forged = "login user=admin@sena.edu.co from=10.0.0.1 method=password slot=1"
    names = [f"x\n{forged}", f"y\r{forged}", f"z\u2028{forged}", "con espacios y \"comillas\""]
    async with running_server(pool, demo_url) as (_ctx, port):
        for name in names:
            with pytest.raises(asyncssh.PermissionDenied):
                async with connect(port, name, password="mala-clave"):
                    pass
    lines = [r.getMessage() for r in caplog.records if r.name == "complementarias.ssh"]
    failed = [m for m in lines if m.startswith("login failed")]
    print(f"log fields: {len(names)} hostile names, {len(failed)} one-line events")
    assert len(failed) == len(names)
    for message in lines:
        assert not any(c in message for c in "\n\r\u2028\u2029\x1b"), message
        assert not message.startswith("login user=admin")


async def test_key_probe_without_signature_records_no_use(pool: Any, demo_url: str) -> None:
    carlos = (await login(pool, *CARLOS)).actor
    key = asyncssh.generate_private_key("ssh-ed25519")
    await ssh_keys.add_key(pool, carlos, key.export_public_key().decode())
    (pair,) = asyncssh.load_keypairs([key])

    def no_signature(data: bytes) -> bytes:
        raise ValueError("the key is offered but never used to sign")

    pair.sign = no_signature  # the server sees the probe, never a valid signature
    async with running_server(pool, demo_url) as (_ctx, port):
        for _ in range(3):
            with pytest.raises(asyncssh.PermissionDenied):
                async with connect(port, CARLOS[0], client_keys=[pair]):
                    pass
        assert (await ssh_keys.list_keys(pool, carlos))[0].last_used_at is None
        async with connect(port, CARLOS[0], client_keys=[key]) as conn:
            await read_until(await open_tui(conn), b"Borrador")  # well after auth completed
    assert (await ssh_keys.list_keys(pool, carlos))[0].last_used_at is not None


async def test_export_over_ssh_goes_to_the_users_folder_and_downloads(
        pool: Any, demo_url: str, tmp_path: Path) -> None:
    """In an SSH session the export dialog ignores the folder typed (here one that climbs
    out), writes in the user's own folder, and says how to fetch the file; `export get`
    returns its bytes to the user and to no one else."""
    carlos = (await login(pool, *CARLOS)).actor
    key = await registered_key(pool, *CARLOS, tmp_path)
    folder = downloads.user_folder(carlos.id)
    outside = tmp_path / "data" / "fuera.xlsx"
    async with running_server(pool, demo_url) as (_ctx, port):
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            proc = await open_tui(conn, cols=120, rows=40)
            seen = bytearray()
            await read_until(proc, b"Borrador", seen=seen)
            # Each step waits for what it draws (fresh output), then the next keys go.
            for keys, drawn in ((b"l", b"Mostrando"),  # the list and its status line
                                (b"\x05", b"30;107m"),  # Ctrl+E: the dialog, file field focused
                                (b"\x15", b"\x1b[")):  # Ctrl+U: clear the field
                proc.stdin.write(keys)
                seen += await read_until(proc, drawn)
            proc.stdin.write(b"../../" + str(outside).encode())
            # the field scrolls as the path is typed: read what the terminal shows
            await read_until_shown(proc, "fuera.xlsx", seen, cols=120, rows=40)
            proc.stdin.write(b"\r")
            saved = folder / "fuera.xlsx"
            try:
                await read_until(proc, "Descárguelo".encode(), seen=seen, timeout=60)
            finally:
                screen = pyte.Screen(120, 40)
                pyte.ByteStream(screen).feed(bytes(seen))
                shown = " ".join(line.strip() for line in screen.display)
                print(shown)
            assert "export get" in shown and "fuera.xlsx" in shown
            assert not outside.exists()
            assert saved.read_bytes().startswith(b"PK")  # an xlsx (zip) file
            assert (folder.stat().st_mode & 0o777) == 0o700
            listed = await conn.run("export ls", encoding=None)
            assert b"fuera.xlsx" in listed.stdout
            got = await conn.run("export get fuera.xlsx", encoding=None)
            assert got.exit_status == 0 and got.stdout == saved.read_bytes()
        # The same with a stock client, into a file on "their machine".
        client = await spawn_client(port, CARLOS[0], key, "export", "get", "fuera.xlsx")
        out, _err = await asyncio.wait_for(client.communicate(), 60)
        assert client.returncode == 0 and out == saved.read_bytes()
        # Only plain files of one's own folder, read only.
        (tmp_path / "secreto.txt").write_text("no")
        (folder / "enlace.txt").symlink_to(tmp_path / "secreto.txt")
        (folder / ".oculto").write_text("no")
        async with connect(port, CARLOS[0], password=CARLOS[1]) as conn:
            for name in ("../../../etc/passwd", "/etc/passwd", "enlace.txt", ".oculto",
                         "no-existe.xlsx", ".."):
                got = await conn.run(f"export get {name}", encoding=None)
                assert got.exit_status == 1 and got.stdout == b"", name
            for command in ("export rm fuera.xlsx", "export put x", "cat fuera.xlsx",
                            "export get a b"):
                with pytest.raises(asyncssh.ChannelOpenError):
                    await conn.run(command)
        async with connect(port, *MARIA[:1], password=MARIA[1]) as conn:
            got = await conn.run("export get fuera.xlsx", encoding=None)
            assert got.exit_status == 1 and got.stdout == b""  # not hers
    print("export over SSH: 1 file in the user's folder, 0 outside; 10 hostile requests, "
          "0 bytes served")


def test_export_path_is_free_locally_and_confined_over_ssh(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(downloads.EXPORT_DIR_ENV, raising=False)
    assert downloads.confine("/srv/informes/x.csv") == "/srv/informes/x.csv"
    assert downloads.download_hint("/srv/informes/x.csv") == ""
    monkeypatch.setenv(downloads.EXPORT_DIR_ENV, str(tmp_path))
    monkeypatch.setenv(downloads.GET_HINT_ENV, "ssh -p 2222 c@h export get")
    for typed, name in (("/etc/passwd", "passwd"), ("../../x.csv", "x.csv"),
                        ("..\\..\\y.csv", "y.csv"), ("..", "exportacion"),
                        (".bashrc", "exportacion"), ("a\x00b", "exportacion")):
        assert downloads.confine(typed) == str(tmp_path / name), typed
    assert downloads.download_hint(str(tmp_path / "x.csv")).endswith(
        "ssh -p 2222 c@h export get x.csv > x.csv")
