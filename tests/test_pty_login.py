"""The real `complementarias` process on a pseudo-terminal, typed ahead in one write.

The whole login is written before the app has even started (as a login arriving in one SSH
packet, or typed at once after pressing Enter on the command): the right user must be logged
in, and the password must never be on the screen, neither echoed by the terminal before the
app takes it nor typed into the email field. The screen is read with pyte (a terminal
emulator), chunk by chunk as the process draws it.
"""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyte
import pytest

from .keyburst import paste

EMAIL = "carlos.rodriguez@sena.edu.co"
PASSWORD = "Instructor.2026"
BUDGET_S = 90.0  # a loaded CI machine: start-up, psycopg and bcrypt in one process


class Terminal:
    """A process on a PTY of 80x24, its output kept in a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = b""
        self.displays: list[str] = []

    def wait_quiet(self) -> None:
        """Until the process has turned the terminal's echo off (its first statement). No
        event tells it: the PTY's modes are read every few milliseconds, generous budget."""
        deadline = time.monotonic() + BUDGET_S
        while (lflag := termios.tcgetattr(self.master)[3]) & termios.ECHO:
            assert time.monotonic() < deadline, "the terminal's echo stayed on"
            time.sleep(0.002)
        # Textual's own raw mode also clears ISIG: still set, the process turned echo off
        # itself, before importing Textual (tui/shell/early_tty.py).
        assert lflag & termios.ISIG, "echo went off only when Textual started"

    def write(self, text: str) -> None:
        os.write(self.master, text.encode())

    @property
    def display(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition: Callable[[str], bool]) -> None:
        """Read what the process draws until `condition(screen text)` holds."""
        deadline = time.monotonic() + BUDGET_S
        while not condition(self.display):
            left = deadline - time.monotonic()
            assert left > 0, f"not seen within {BUDGET_S} s; screen:\n{self.display}"
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the process ended
                data = b""
            assert data, f"the process ended; screen:\n{self.display}"
            self.raw += data
            self.stream.feed(data)
            self.displays.append(self.display)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.write("\x11")  # Ctrl+Q
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminal(demo_url: str, tmp_path: Path) -> Iterator[Terminal]:
    env = dict(os.environ, TERM="xterm-256color",
               COMPLEMENTARIAS_DATA_DIR=str(tmp_path / "data"),
               COMPLEMENTARIAS_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("DATABASE_URL", None)
    # The installed console script, as a user runs it. An external database URL: the demo
    # hint (which lists the demo passwords) is shown only on the embedded database.
    script = str(Path(sys.executable).with_name("complementarias"))
    term = Terminal([script, "--database-url", demo_url], env)
    try:
        yield term
    finally:
        term.close()


def test_login_typed_ahead_in_one_write(terminal: Terminal) -> None:
    # A shell runs the command with the terminal echoing: what is typed before the process
    # turns echo off is the shell's terminal's business. From then on, before the heavy
    # imports and long before the app draws, the whole login arrives in one write.
    terminal.wait_quiet()
    terminal.write(f"{EMAIL}\t{PASSWORD}\r")
    terminal.wait_for(lambda screen: "Carlos Rodríguez" in screen and "Borrador" in screen)
    assert PASSWORD.encode() not in terminal.raw
    assert not [d for d in terminal.displays if PASSWORD in d]


def test_paste_with_an_escape_keeps_order(terminal: Terminal) -> None:
    terminal.wait_for(lambda screen: "Correo institucional" in screen)
    terminal.write(paste("Antes\x1bDespues"))
    terminal.wait_for(lambda screen: "AntesDespues" in screen)
    assert "^Despues" not in terminal.display
