"""A child process on its own pseudo-terminal: new session, the PTY as controlling terminal.

The parent keeps the master side: it writes the user's keys there, reads what the child
draws, sets the window size (TIOCSWINSZ on the master also sends SIGWINCH to the child) and,
when the user goes away, hangs up the child's whole process group.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
from collections.abc import Callable, Sequence

from tui.shell.early_tty import quiet

HANGUP_GRACE_S = 3.0


def set_winsize(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", max(rows, 1), max(cols, 1), 0, 0))


def become_controlling_tty() -> None:
    """In the child, after setsid: make stdin (the PTY slave) our controlling terminal."""
    if os.isatty(0):
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyProcess:
    """One child on one PTY; output goes to `on_output`, the end to `on_exit(returncode)`."""

    def __init__(self, on_output: Callable[[bytes], None],
                 on_exit: Callable[[int], None]) -> None:
        self.on_output = on_output
        self.on_exit = on_exit
        self.proc: asyncio.subprocess.Process | None = None
        self.master = -1
        self._reading = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiter: asyncio.Task[None] | None = None
        self._pending = b""
        self._writer = False

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    async def start(self, argv: Sequence[str], env: dict[str, str], cols: int, rows: int) -> None:
        self._loop = asyncio.get_running_loop()
        master, slave = pty.openpty()
        set_winsize(slave, cols, rows)
        quiet(slave)  # keys typed before the app starts are not echoed back
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                start_new_session=True, close_fds=True)
        finally:
            os.close(slave)
        self.master = master
        os.set_blocking(master, False)
        self.resume_reading()
        self._waiter = asyncio.create_task(self._wait())

    # ---- data ----------------------------------------------------------------------------------
    def _readable(self) -> None:
        try:
            data = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the slave side is gone
            data = b""
        if data:
            self.on_output(data)
        else:
            self.pause_reading()

    def pause_reading(self) -> None:
        """Stop reading while the client is slow: the child then blocks on its writes."""
        if self._reading and self._loop is not None and self.master >= 0:
            self._loop.remove_reader(self.master)
        self._reading = False

    def resume_reading(self) -> None:
        if not self._reading and self._loop is not None and self.master >= 0:
            self._loop.add_reader(self.master, self._readable)
            self._reading = True

    def write(self, data: bytes) -> None:
        """Queue the user's keys; what the PTY cannot take now is written when it can."""
        if self.master < 0 or not data:
            return
        first = not self._pending
        self._pending += data
        if first:
            self._flush()

    def _flush(self) -> None:
        while self._pending and self.master >= 0:
            try:
                n = os.write(self.master, self._pending)
            except BlockingIOError:
                if self._loop is not None and not self._writer:
                    self._loop.add_writer(self.master, self._flush)
                    self._writer = True
                return
            except OSError:
                self._pending = b""
                break
            self._pending = self._pending[n:]
        if self._writer and self._loop is not None and self.master >= 0:
            self._loop.remove_writer(self.master)
        self._writer = False

    def resize(self, cols: int, rows: int) -> None:
        if self.master >= 0 and cols > 0 and rows > 0:
            set_winsize(self.master, cols, rows)

    # ---- end -----------------------------------------------------------------------------------
    def _signal_group(self, sig: int, force: bool = False) -> None:
        if self.proc is None or (self.proc.returncode is not None and not force):
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)

    def hangup(self) -> None:
        """SIGHUP to the child's group (a clean exit); SIGKILL if it lingers."""
        self._signal_group(signal.SIGHUP)
        if self._loop is not None:
            self._loop.call_later(HANGUP_GRACE_S, self._signal_group, signal.SIGKILL)

    async def _wait(self) -> None:
        assert self.proc is not None
        code = await self.proc.wait()
        # Drain what the child wrote last (the terminal reset), then close our side.
        while self.master >= 0:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            self.on_output(data)
        self.pause_reading()
        self._signal_group(signal.SIGKILL, force=True)  # nothing of its group outlives it
        if self._writer and self._loop is not None and self.master >= 0:
            self._loop.remove_writer(self.master)
            self._writer = False
        if self.master >= 0:
            os.close(self.master)
            self.master = -1
        self.on_exit(code)

    async def wait(self) -> None:
        if self._waiter is not None:
            await asyncio.shield(self._waiter)


def python_module_argv(module: str) -> list[str]:
    """`python -P -m module`: -P keeps the working directory off sys.path, so the child runs
    the same installed code as the server, whatever folder it was started from."""
    return [sys.executable, "-P", "-m", module]
