"""One worker pattern (`tui.uikit.workers.service_worker`): a failing service call ends as a
Spanish toast and a logged traceback, and the screen keeps working; every screen and widget
starts its workers through it."""

from __future__ import annotations

import ast
import logging
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Static

from tui.screens.coordinacion.review_queue import ReviewQueueScreen
from tui.services.validation import FieldError, ValidationFailed
from tui.uikit.workers import service_worker

from .conftest import settle, wait_until

ROOT = Path(__file__).resolve().parent.parent


def status(app: Any) -> str:
    return str(app.screen.query_one("#queue-status", Static).render())


def codigos(app: Any) -> list[str]:
    table = app.screen.query_one("#queue-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def sql(pool: Any, query: str) -> None:
    async with pool.connection() as conn:
        await conn.execute(query)


async def test_a_failing_query_is_a_spanish_toast_a_logged_traceback_and_the_screen_works(
        make_app: Any, login_as: Any, pool: Any, caplog: Any) -> None:
    caplog.set_level(logging.WARNING, logger="complementarias.ui")
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open_review_queue()
        await wait_until(pilot, lambda: "revisar" in status(app))
        assert codigos(app) == ["SOL-2026-002", "SOL-2026-003"]
        # The database loses the table under the screen: the next load fails for real.
        await sql(pool, "ALTER TABLE public.solicitudes RENAME TO solicitudes_gone")
        await pilot.press("r")
        await wait_until(pilot, lambda: status(app) == "No se pudo cargar la cola.")
        toast = [n for n in app._notifications if n.severity == "error"]
        assert [n.title for n in toast] == ["Error de base de datos"]
        assert "solicitudes" in toast[0].message  # PostgreSQL's own first line, as text
        failure = [r for r in caplog.records if r.name == "complementarias.ui"]
        assert [r.levelno for r in failure] == [logging.ERROR]
        assert "ReviewQueueScreen.load" in failure[0].getMessage()
        assert failure[0].exc_info is not None  # the traceback is in the log
        assert "UndefinedTable" in caplog.text
        # The app and the screen are still there and answer keys.
        assert app.is_running and isinstance(app.screen, ReviewQueueScreen)
        await sql(pool, "ALTER TABLE public.solicitudes_gone RENAME TO solicitudes")
        await pilot.press("r")
        await wait_until(pilot, lambda: "revisar" in status(app))
        assert codigos(app) == ["SOL-2026-002", "SOL-2026-003"]
        table = app.screen.query_one("#queue-table", DataTable)
        await pilot.press("j")
        assert table.cursor_row == 1


class Refusing(Static):
    """A widget whose service call is refused; `in_place` decides who shows it."""

    def __init__(self, in_place: bool) -> None:
        super().__init__("listo", id="refusing")
        self.in_place = in_place

    @service_worker("refuse", on_error=lambda widget, exc: widget.show_here(exc))
    async def refuse(self) -> None:
        raise ValidationFailed([FieldError("nombre", "Nombre: es obligatorio.")])

    def show_here(self, exc: BaseException) -> bool:
        self.update(f"bajo el campo: {exc}")
        return self.in_place


class RefusingApp(App[None]):
    def __init__(self, in_place: bool) -> None:
        super().__init__()
        self.in_place = in_place

    def compose(self) -> ComposeResult:
        yield Refusing(self.in_place)


async def test_a_refusal_shown_in_place_makes_no_toast(caplog: Any) -> None:
    caplog.set_level(logging.WARNING, logger="complementarias.ui")
    for in_place in (True, False):
        app = RefusingApp(in_place)
        async with app.run_test() as pilot:
            worker = app.query_one(Refusing).refuse()
            await worker.wait()
            await pilot.pause()
            assert str(app.query_one(Refusing).render()).startswith("bajo el campo")
            titles = [n.title for n in app._notifications]
            assert titles == ([] if in_place else ["Revise los datos"])
            assert worker.error is None and app.is_running  # the app never sees the failure
    refusals = [r for r in caplog.records if r.name == "complementarias.ui"]
    assert [r.levelno for r in refusals] == [logging.WARNING, logging.WARNING]


# ---- every worker goes through the decorator ----------------------------------------------
EXCEPTIONS = {
    # Opening the database at start-up: a failure must end the app with the message the
    # command line would print, which is the opposite of keeping the screen usable.
    ("tui/shell/app.py", "_await_database"),
}
"""(file, function) allowed to use Textual's `@work` or `run_worker` directly."""


def direct_workers(source: str, rel: str) -> list[tuple[str, str]]:
    """(rel, function) of each `@work` decorator and each `run_worker` call in `source`."""
    tree = ast.parse(source)
    found: list[tuple[str, str]] = []

    def name_of(node: ast.expr) -> str:
        node = node.func if isinstance(node, ast.Call) else node
        return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")

    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if any(name_of(d) == "work" for d in fn.decorator_list):
            found.append((rel, fn.name))
        for call in ast.walk(fn):
            if isinstance(call, ast.Call) and name_of(call) == "run_worker":
                found.append((rel, fn.name))
    return found


def test_direct_workers_finds_both_forms() -> None:
    sample = ("from textual import work\n"
              "class S:\n"
              "    @work(group='x')\n"
              "    async def a(self): ...\n"
              "    @textual.work\n"
              "    async def b(self): ...\n"
              "    def c(self):\n"
              "        self.run_worker(self.a())\n")
    assert direct_workers(sample, "s.py") == [("s.py", "a"), ("s.py", "b"), ("s.py", "c")]


def test_screens_and_widgets_start_workers_only_through_service_worker() -> None:
    files = [p for folder in ("screens", "widgets", "shell", "uikit")
             for p in sorted((ROOT / "tui" / folder).rglob("*.py"))
             if p.name != "workers.py"]
    assert len(files) > 40
    direct = [hit for p in files for hit in direct_workers(
        p.read_text(encoding="utf-8"), p.relative_to(ROOT).as_posix())]
    assert set(direct) <= EXCEPTIONS, f"use tui.uikit.workers.service_worker: {direct}"
    assert set(direct) == EXCEPTIONS  # an exception that no longer exists leaves the list
