"""One SSH session: a PTY-only channel bridged to its own TUI process.

No shell, no exec, no subsystem (sftp/scp): only an interactive terminal. The user's keys go
to the child's PTY, the child's output to the client; a window change is forwarded with
TIOCSWINSZ; idle sessions and sessions whose client went away end their process group.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

import asyncssh

from tui.ssh.pty_process import PtyProcess, python_module_argv

if TYPE_CHECKING:
    from tui.ssh.server import ServerContext

log = logging.getLogger("complementarias.ssh")

NO_PTY = "Esta conexión solo abre la aplicación: use una terminal interactiva (ssh -t).\r\n"
IDLE_BYE = "\r\nSesión cerrada por inactividad.\r\n"


class BridgeSession(asyncssh.SSHServerSession):  # type: ignore[misc]
    def __init__(self, ctx: ServerContext, user_id: str, email: str, peer: str) -> None:
        self.ctx = ctx
        self.user_id = user_id
        self.email = email
        self.peer = peer
        self.chan: Any = None
        self.term = ""
        self.size = (80, 24)
        self.child: PtyProcess | None = None
        self.number: int | None = None
        self.started = time.monotonic()
        self.last_input = time.monotonic()
        self.end_reason = "salida"
        self._idle_task: asyncio.Task[None] | None = None
        self._closed = False

    # ---- requests ------------------------------------------------------------------------------
    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: Any) -> bool:
        self.term = term_type or "xterm-256color"
        cols, rows = term_size[0] or 80, term_size[1] or 24
        self.size = (cols, rows)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        log.info("refused exec user=%s from=%s", self.email, self.peer)
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem=%s user=%s from=%s", subsystem, self.email, self.peer)
        return False

    def session_started(self) -> None:
        if not self.term:
            self.chan.write(NO_PTY.encode())
            self.chan.exit(1)
            return
        self.number, reason = self.ctx.registry.open(self.user_id)
        if self.number is None:
            log.info("refused user=%s from=%s reason=limit", self.email, self.peer)
            self.chan.write((reason + "\r\n").encode())
            self.chan.exit(1)
            return
        asyncio.ensure_future(self._start())

    async def _start(self) -> None:
        try:
            ticket = await self.ctx.issue_ticket(self.user_id, f"ssh:{self.peer}")
            self.child = PtyProcess(self._output, self._child_exited)
            await self.child.start(python_module_argv("tui.ssh.child"),
                                   self.ctx.child_env(self.term, ticket), *self.size)
        except Exception as exc:  # noqa: BLE001 - the client gets a message, the server lives
            log.error("session failed user=%s from=%s error=%s", self.email, self.peer, exc)
            self.chan.write("No se pudo iniciar la aplicación; intente de nuevo.\r\n".encode())
            self._finish(1)
            return
        if self._closed:  # the client left while the process was starting
            self.child.hangup()
            return
        log.info("session start user=%s from=%s session=%s pid=%s term=%s size=%sx%s",
                 self.email, self.peer, self.number, self.child.pid, self.term, *self.size)
        if self.ctx.idle_timeout_s > 0:
            self._idle_task = asyncio.ensure_future(self._watch_idle())

    # ---- data ----------------------------------------------------------------------------------
    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.size = (width or self.size[0], height or self.size[1])
        if self.child is not None:
            self.child.resize(*self.size)

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_reading()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_reading()

    def _output(self, data: bytes) -> None:
        if not self._closed and self.chan is not None:
            self.chan.write(data)

    def eof_received(self) -> bool:
        self._hangup("eof")
        return False

    def break_received(self, msec: int) -> bool:
        return False

    # ---- end -----------------------------------------------------------------------------------
    async def _watch_idle(self) -> None:
        limit = self.ctx.idle_timeout_s
        while not self._closed:
            left = limit - (time.monotonic() - self.last_input)
            if left <= 0:
                self._hangup("inactividad")
                return
            await asyncio.sleep(min(left, 30.0))

    def _hangup(self, reason: str) -> None:
        if self.end_reason == "salida":
            self.end_reason = reason
        if self.child is not None:
            self.child.hangup()

    def _child_exited(self, code: int) -> None:
        if self.end_reason == "inactividad" and not self._closed:
            self.chan.write(IDLE_BYE.encode())
        self._finish(0 if code in (0, None) or code < 0 else code)

    def _finish(self, code: int) -> None:
        if self._idle_task is not None:
            self._idle_task.cancel()
        if not self._closed:
            self._closed = True
            try:
                self.chan.exit(code)
            except (OSError, asyncssh.Error):
                pass
        self.ctx.sessions.discard(self)
        if self.number is not None:
            self.ctx.registry.close(self.number)
            log.info("logout user=%s from=%s session=%s reason=%s seconds=%d", self.email,
                     self.peer, self.number, self.end_reason, time.monotonic() - self.started)
            self.number = None

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away: hang up the TUI's whole process group."""
        self._closed = True
        self._hangup("desconexión")
        if self.child is None or self.child.proc is None:
            self._finish(0)
