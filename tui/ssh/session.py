"""One SSH session: the app on its own PTY, or one `export` download.

No shell, no other exec command, no subsystem (sftp/scp). The user's keys go to the child's
PTY, the child's output to the client; a window change is forwarded with TIOCSWINSZ (capped
at 300x100, like the first size); idle sessions, sessions whose client sent EOF or went away
end their process group. A download (`export ls`, `export get NAME`) answers from the
user's own export folder and ends (downloads.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING, Any

import asyncssh

from tui import downloads
from tui.ssh.logsafe import field
from tui.ssh.pty_process import PtyProcess, python_module_argv

if TYPE_CHECKING:
    from tui.ssh.server import AuthServer, ServerContext

log = logging.getLogger("complementarias.ssh")

NO_PTY = "Esta conexión solo abre la aplicación: use una terminal interactiva (ssh -t).\r\n"
IDLE_BYE = "\r\nSesión cerrada por inactividad.\r\n"
ONE_APP = "Esta conexión ya tiene la aplicación abierta.\r\n"
MAX_COLS, MAX_ROWS = 300, 100
"""The largest window served: a bigger request is drawn at this size (a 1000x1000 window
would cost a megabyte per full frame and the memory to compose it)."""


_MOVE = re.compile(rb"\x1b\[\d+;\d+H")
_ONLY_MOVES = re.compile(rb"(?:\x1b\[\d+;\d+H)+")
_LAST_MOVE = re.compile(rb"\x1b\[\d+;\d+H\Z")


def capped(cols: int, rows: int, current: tuple[int, int] = (80, 24)) -> tuple[int, int]:
    """The window size to use for a request (0 keeps the current value)."""
    return (min(cols or current[0], MAX_COLS), min(rows or current[1], MAX_ROWS))


class BridgeSession(asyncssh.SSHServerSession[bytes]):
    def __init__(self, ctx: ServerContext, owner: AuthServer, user_id: str, email: str,
                 peer: str) -> None:
        self.ctx = ctx
        self.owner = owner
        self.request: downloads.Request | None = None
        self.user_id = user_id
        self.email = email
        self.peer = peer
        self.chan: Any = None
        self.term = ""
        self.size = (80, 24)
        self.child: PtyProcess | None = None
        self.running = False  # the app's process was started for this session
        self.started = time.monotonic()
        self.last_input = time.monotonic()
        self.end_reason = "salida"
        self._idle_task: asyncio.Task[None] | None = None
        self._task: asyncio.Future[None] | None = None  # held: the loop keeps only weak refs
        self._closed = False
        self._eof = False
        self._tail = b""  # the cursor move the last write ended with

    # ---- requests ------------------------------------------------------------------------------
    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int],
                      term_modes: Any) -> bool:
        self.term = term_type or "xterm-256color"
        self.size = capped(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        self.request = downloads.parse(command)
        if self.request is None:
            log.info("refused exec=%s user=%s from=%s", field(command), field(self.email),
                     field(self.peer))
            return False
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem=%s user=%s from=%s", field(subsystem), field(self.email),
                 field(self.peer))
        return False

    def session_started(self) -> None:
        if self._closed:  # EOF or the client's departure came first
            return
        if self.request is not None:
            self._task = asyncio.ensure_future(self._download(self.request))
            return
        if not self.term:
            self._say(NO_PTY)
            self._finish(1)
            return
        if any(s.running for s in self.owner.sessions):
            self._say(ONE_APP)
            self._finish(1)
            return
        self.running = True
        self._task = asyncio.ensure_future(self._start())

    async def _download(self, request: downloads.Request) -> None:
        """Files are read in a thread: a big export never stalls the other sessions."""
        folder = self.owner.export_folder()
        if request.verb == "ls":
            self._send(await asyncio.to_thread(downloads.listing, folder))
            self._finish(0)
            return
        data = await asyncio.to_thread(downloads.read_own, folder, request.name)
        log.info("export get=%s user=%s from=%s bytes=%s", field(request.name),
                 field(self.email), field(self.peer), "-" if data is None else len(data))
        if data is None:
            self._send(downloads.NOT_FOUND.format(name=request.name).encode(), stderr=True)
            self._finish(1)
            return
        self._send(data)
        self._finish(0)

    async def _start(self) -> None:
        try:
            ticket = await self.ctx.issue_ticket(self.user_id, f"ssh:{self.peer}")
            folder = downloads.ensure_folder(self.owner.export_folder())
            env = self.ctx.child_env(self.term, ticket, folder,
                                     self.owner.export_get_command())
            self.child = PtyProcess(self._output, self._child_exited)
            await self.child.start(python_module_argv("tui.ssh.child"), env, *self.size)
        except Exception as exc:  # noqa: BLE001 - the client gets a message, the server lives
            log.error("session failed user=%s from=%s error=%s", field(self.email),
                      field(self.peer), field(exc))
            self._say("No se pudo iniciar la aplicación; intente de nuevo.\r\n")
            self._finish(1)
            return
        log.info("session start user=%s from=%s slot=%s pid=%s term=%s size=%sx%s",
                 field(self.email), field(self.peer), self.owner.slot, self.child.pid,
                 field(self.term), *self.size)
        if self._closed or self._eof:  # the client left (or sent EOF) while it started
            self.child.hangup()
            return
        if self.ctx.idle_timeout_s > 0:
            self._idle_task = asyncio.ensure_future(self._watch_idle())

    # ---- data ----------------------------------------------------------------------------------
    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int,
                              pixheight: int) -> None:
        self.size = capped(width, height, self.size)
        if self.child is not None:
            self.child.resize(*self.size)

    def pause_writing(self) -> None:
        if self.child is not None:
            self.child.pause_reading()

    def resume_writing(self) -> None:
        if self.child is not None:
            self.child.resume_reading()

    def _output(self, data: bytes) -> None:
        """The app's output to the client, less writes that only move the cursor to where
        the last write left it (Textual ends every frame, even an empty one, with a move)."""
        if self._closed:
            return
        moves = _ONLY_MOVES.fullmatch(data)
        if moves and self._tail and set(_MOVE.findall(data)) == {self._tail}:
            return
        tail = _LAST_MOVE.search(data)
        self._tail = tail.group(0) if tail else b""
        self._send(data)

    def _send(self, data: bytes, stderr: bool = False) -> None:
        """Write to the client; a channel already closing takes nothing (no traceback)."""
        try:
            if stderr:
                self.chan.write_stderr(data)
            else:
                self.chan.write(data)
        except (OSError, asyncssh.Error, AttributeError):
            pass

    def _say(self, text: str) -> None:
        self._send(text.encode())

    def eof_received(self) -> bool:
        """The client will send nothing more (stdin closed): the app cannot be used, so it
        ends, whether it is running or still starting. A download reads no input: it goes on."""
        if self.request is not None:
            return True
        self._eof = True
        self._hangup("eof")
        if self.child is None and not self.running:
            self._finish(0)
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
            self._say(IDLE_BYE)
        self._finish(0 if code in (0, None) or code < 0 else code)

    def _finish(self, code: int) -> None:
        if self._idle_task is not None:
            self._idle_task.cancel()
        if not self._closed:
            self._closed = True
            with contextlib.suppress(OSError, asyncssh.Error):
                self.chan.exit(code)
        if self.running:
            self.running = False
            log.info("logout user=%s from=%s slot=%s reason=%s seconds=%d", field(self.email),
                     field(self.peer), self.owner.slot, self.end_reason,
                     time.monotonic() - self.started)
        self.owner.session_ended(self)

    def connection_lost(self, exc: Exception | None) -> None:
        """The client went away: hang up the TUI's whole process group."""
        self._closed = True
        self._hangup("desconexión")
        if self.child is None or self.child.proc is None:
            self._finish(0)
