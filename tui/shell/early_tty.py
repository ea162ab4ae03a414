"""Keys typed before the app takes the terminal are neither echoed nor edited by it.

A login typed ahead at launch (or arriving in the first SSH packet) would otherwise be
echoed by the terminal, password included, until Textual switches to raw mode; and the
terminal's line editing would act on keys such as Ctrl+U before the app sees them. This
module imports nothing heavy, so `tui/cli/main.py` calls it first thing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from typing import Any

try:
    import termios
except ImportError:  # not a POSIX system: nothing to do
    termios = None  # type: ignore[assignment]  # checked before any use


def quiet(fd: int) -> list[Any] | None:
    """Turn off echo and line editing on terminal `fd`, as the app will (input already typed
    stays queued for it); returns the previous settings, or None when `fd` is no terminal."""
    if termios is None or not os.isatty(fd):
        return None
    try:
        before = termios.tcgetattr(fd)
        attrs = termios.tcgetattr(fd)
        # The modes Textual sets itself (its LinuxDriver), except that Ctrl+C still stops a
        # start-up: no echo, no line editing, Enter stays CR (not Ctrl+J), Ctrl+S/Ctrl+Q
        # reach the app instead of pausing the terminal.
        attrs[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR
                      | termios.IGNCR)
        attrs[3] &= ~(termios.ECHO | termios.ECHONL | termios.ICANON | termios.IEXTEN)
        termios.tcsetattr(fd, termios.TCSANOW, attrs)
    except termios.error:
        return None
    return before


def opens_the_app(argv: list[str]) -> bool:
    """Whether these command-line arguments open the TUI (no command, only options); batch
    commands keep the terminal as it is."""
    args = iter(argv)
    for arg in args:
        if arg == "--database-url":
            next(args, None)
        elif not arg.startswith("-"):
            return False
    return True


def quiet_stdin_until_exit() -> None:
    """`quiet` on stdin when the app is opened, with its settings put back at exit."""
    if not opens_the_app(sys.argv[1:]):
        return
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):
        return
    before = quiet(fd)
    if before is not None:
        atexit.register(_restore, fd, before)


def _restore(fd: int, before: list[Any]) -> None:
    with contextlib.suppress(termios.error):
        termios.tcsetattr(fd, termios.TCSANOW, before)
