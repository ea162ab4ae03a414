"""Start-up stays light: `complementarias` draws its login frame without the database layer,
the exports, the batch and SSH commands or the other areas' screens, and reads only the
login's styles before it (the others right after, in the same order: every screen looks the
same). The gain of issue 16 item 5, guarded structurally (README, "Start-up and memory")."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tui.cli.main import parse_args
from tui.config import Settings
from tui.db.urls import DatabaseChoice
from tui.screens.common.login import LoginScreen
from tui.shell.app import ComplementariasApp
from tui.shell.database import OpenDatabase, PendingDatabase
from tui.ssh.ssh_app import SshApp

from .conftest import shown

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 90.0  # a loaded CI machine

# Imported before the login's first frame, any of these is start-up time spent for nothing.
HEAVY = ("psycopg", "psycopg_pool", "aiosql", "yoyo", "sqlparse", "openpyxl", "fpdf",
         "asyncssh", "bcrypt", "tomllib", "tui.db.embedded", "tui.db.migrations",
         "tui.db.queries", "tui.db.pool", "tui.services.seed", "tui.services.auth",
         "tui.cli.batch", "tui.cli.service_call", "tui.ssh", "tui.synthetic",
         "tui.render.pdf", "tui.render.xlsx", "tui.screens.admin", "tui.screens.coordinacion",
         "tui.screens.instructor", "tui.screens.common.home", "tui.widgets",
         "textual.widgets._text_area", "textual.widgets._data_table")


def _first_frame_modules(tmp_path: Path) -> set[str]:
    """The modules of a real `complementarias` (python -m tui.cli.main, on a pseudo-terminal)
    at the moment its login frame is written (benchmarks/first_frame.py ends it there)."""
    out = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TERM="xterm-256color", FIRST_FRAME_MODULES=str(out),
               COMPLEMENTARIAS_CONFIG_DIR=str(tmp_path),
               COMPLEMENTARIAS_DATA_DIR=str(tmp_path / "data"))
    pid, fd = pty.fork()
    if pid == 0:  # child, in a folder without .env: the embedded database, never opened
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, str(ROOT / "benchmarks" / "first_frame.py"),
                                   "-m", "tui.cli.main"], env)
    deadline = time.monotonic() + BUDGET_S
    try:
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 1.0)[0]:
                try:
                    data = os.read(fd, 65536)
                except OSError:  # EIO: the process closed the terminal, it is ending
                    data = b""
                if not data:
                    os.waitpid(pid, 0)
                    pid = 0
                    break
    finally:
        if pid:  # still running after the budget: it never drew its login
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)
    assert out.exists(), "the process did not reach its login frame"
    return set(out.read_text().split())


def test_the_login_frame_imports_only_what_it_shows(tmp_path: Path) -> None:
    modules = _first_frame_modules(tmp_path)
    assert {"tui.shell.app", "tui.screens.common.login", "textual.widgets._input"} <= modules
    loaded = sorted(m for m in modules for heavy in HEAVY
                    if m == heavy or m.startswith(heavy + "."))
    assert loaded == [], f"imported before the login frame: {loaded}"


def test_opening_the_app_builds_no_command_parser(capsys: Any) -> None:
    args = parse_args(["--database-url", "postgresql://x/y", "--low-bandwidth"])
    assert args.database_url == "postgresql://x/y" and args.low_bandwidth
    assert not hasattr(args, "func") and not hasattr(args, "command")
    assert parse_args(["migrate", "--list"]).list  # a command: the whole parser
    for wrong in (["--no-such-option"], ["--database-url"]):
        with pytest.raises(SystemExit):  # the whole parser's usage and error
            parse_args(wrong)
        assert "COMANDO" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    shown_help = capsys.readouterr().out
    assert all(c in shown_help for c in ("migrate", "export", "serve-ssh", "keys"))


class FirstFrameStyles(ComplementariasApp):
    """Records which style files were read when the login's first frame was drawn."""

    CSS_PATH = SshApp.CSS_PATH  # absolute paths (relative ones resolve beside the class)
    at_first_frame: list[str] | None = None

    def _display(self, screen: Any, renderable: Any) -> None:
        if self.at_first_frame is None and renderable is not None \
                and isinstance(screen, LoginScreen):
            self.at_first_frame = _style_files(self)
        super()._display(screen, renderable)


def _style_files(app: ComplementariasApp) -> list[str]:
    return [Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")]


def _css_order() -> list[str]:
    return [Path(p).name for p in ComplementariasApp.CSS_PATH]


async def test_the_other_screens_styles_are_read_after_the_login_frame(demo_url: str) -> None:
    choice = DatabaseChoice(None, None, "embebida")
    db = OpenDatabase(url=demo_url, choice=choice)
    app = FirstFrameStyles(PendingDatabase(choice, lambda: db),
                           settings=Settings(low_bandwidth=True))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot, lambda: len(_style_files(app)) == len(_css_order()))
        assert app.at_first_frame == _css_order()[:ComplementariasApp.LOGIN_CSS]
        assert _style_files(app) == _css_order()  # then all, in CSS_PATH's order


async def test_an_app_opened_logged_in_reads_every_style_at_start(
        make_app: Any, login_as: Any) -> None:
    app = make_app(session=await login_as("juan"))
    assert [Path(p).name for p in app.css_path] == _css_order()  # read before its first frame
