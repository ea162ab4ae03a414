"""Shared pieces of the SSH tests: a real `serve-ssh` server on localhost, and a reader."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncssh
import pyte

from tui.ssh.limits import ConnectionRegistry
from tui.ssh.server import ServeOptions, ServerContext, start

from .conftest import eventually as until  # noqa: F401 - the SSH suites' name for it

CARLOS = ("carlos.rodriguez@sena.edu.co", "Instructor.2026")


@asynccontextmanager
async def running_server(pool: Any, db_url: str, **limits: Any) -> AsyncIterator[Any]:
    """serve-ssh on 127.0.0.1, a free port; yields (ctx, port). Every child is gone after.
    `limits`: max_total, max_per_user, idle_timeout_s, no_session_timeout_s, and any field
    of ServeOptions (login_grace_s, max_startups_per_ip, keepalive_s…)."""
    registry = ConnectionRegistry(limits.pop("max_total", 20), limits.pop("max_per_user", 3))
    ctx = ServerContext(pool=pool, db_url=db_url, registry=registry,
                        idle_timeout_s=limits.pop("idle_timeout_s", 600),
                        no_session_timeout_s=limits.pop("no_session_timeout_s", 120))
    server = await start(ctx, ServeOptions(host="127.0.0.1", port=0, **limits))
    port = server.sockets[0].getsockname()[1]
    try:
        yield ctx, port
    finally:
        server.close()
        children = [s.child for s in list(ctx.sessions) if s.child is not None]
        for child in children:
            child.hangup()
        await asyncio.gather(*(c.wait() for c in children), return_exceptions=True)


def connect(port: int, username: str, **kw: Any) -> Any:
    kw.setdefault("client_keys", None)
    return asyncssh.connect("127.0.0.1", port, username=username, known_hosts=None,
                            agent_path=None, **kw)


async def open_tui(conn: Any, cols: int = 80, rows: int = 24) -> Any:
    return await conn.create_process(term_type="xterm-256color", term_size=(cols, rows),
                                     encoding=None)


async def _read_while(proc: Any, buf: bytearray, timeout: float, done: Callable[[], bool],
                      what: str, on_data: Callable[[bytes], None] | None = None) -> None:
    """Read the session's output into `buf` until `done()`; `what` names it in failures."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not done():
        left = deadline - loop.time()
        if left <= 0:
            raise AssertionError(f"{what} never arrived; last output {bytes(buf[-400:])!r}")
        try:
            data = await asyncio.wait_for(proc.stdout.read(65536), left)
        except TimeoutError:
            continue
        if not data:
            raise AssertionError(f"session ended before {what}: {bytes(buf[-400:])!r}")
        buf += data
        if on_data is not None:
            on_data(data)


async def read_until(proc: Any, marker: bytes, timeout: float = 30.0,
                     seen: bytearray | None = None) -> bytes:
    """Read the session's output until `marker` shows; returns everything read."""
    buf = seen if seen is not None else bytearray()
    await _read_while(proc, buf, timeout, lambda: marker in buf, repr(marker))
    return bytes(buf)


async def read_until_shown(proc: Any, text: str, seen: bytearray, cols: int, rows: int,
                           timeout: float = 60.0) -> None:
    """Read the session's output (added to `seen`, everything since the session began) until
    the terminal it draws shows `text`. For what a field draws as it scrolls: a frame sends
    only the cells that changed, so the bytes of a word need not arrive in one piece."""
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    stream.feed(bytes(seen))
    await _read_while(proc, seen, timeout,
                      lambda: any(text in line for line in screen.display),
                      f"{text!r} on the screen", stream.feed)


OPENSSH = shutil.which("ssh")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def registered_key(pool: Any, email: str, password: str, folder: Path) -> Path:
    """A new Ed25519 key registered to the account, its private key file (0600) returned."""
    from tui.services import ssh_keys
    from tui.services.auth import login

    actor = (await login(pool, email, password)).actor
    key = asyncssh.generate_private_key("ssh-ed25519")
    await ssh_keys.add_key(pool, actor, key.export_public_key().decode())
    path = folder / f"id_{actor.id}"
    path.write_bytes(key.export_private_key())
    path.chmod(0o600)
    return path


def client_argv(port: int, user: str, key_file: Path, *args: str) -> list[str]:
    """A real client process: OpenSSH's `ssh` where installed, else tests/ssh_client.py.
    `args`: "-N", "-tt", or a command."""
    if OPENSSH is None:
        return [sys.executable, "-m", "tests.ssh_client", str(port), user, str(key_file),
                *args]
    return [OPENSSH, "-F", "/dev/null", "-p", str(port), "-i", str(key_file), "-o",
            "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-l", user,
            *(a for a in args if a.startswith("-")), "127.0.0.1",
            *(a for a in args if not a.startswith("-"))]


async def spawn_client(port: int, user: str, key_file: Path, *args: str,
                       stdin: Any = asyncio.subprocess.DEVNULL) -> Any:
    return await asyncio.create_subprocess_exec(
        *client_argv(port, user, key_file, *args), stdin=stdin,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=str(Path(__file__).resolve().parent.parent), env={**os.environ, "TERM": "xterm"})
