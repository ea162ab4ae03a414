"""80x24 first: in every list, every column of every row can be read, either in the table
(whole, in sight) or on the line under it; and a sort of the page only says so."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from tui.widgets.row_detail import RowDetail, hidden_columns

from .conftest import settle, wait_until

LISTS = [
    ("juan", "open_solicitudes", "#list-table"),
    ("carlos", "open_solicitudes", "#list-table"),
    ("juan", "open_review_queue", "#queue-table"),
    ("admin", "open_users", "#users-table"),
    ("juan", "open_users", "#users-table"),
    ("admin", "open_centros", "#centros-table"),
    ("admin", "open_programas", "#programas-table"),
    ("admin", "open_audit", "#audit-table"),
]


def cell_text(cell: Any) -> str:
    return str(getattr(cell, "plain", cell))


@pytest.mark.parametrize(("who", "action", "table_id"), LISTS)
async def test_every_column_of_every_row_is_readable_at_80x24(
        make_app: Any, login_as: Any, who: str, action: str, table_id: str) -> None:
    app = make_app(await login_as(who))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        getattr(app, f"action_{action}")()
        await wait_until(pilot, lambda: app.screen.query_one(table_id, DataTable).row_count)
        table = app.screen.query_one(table_id, DataTable)
        detail = app.screen.query_one(RowDetail)
        labels = [cell_text(c.label) for c in table.ordered_columns]
        view = table.scrollable_content_region.width
        assert sum(c.get_render_width(table) for c in table.ordered_columns) > view or \
            action in ("open_review_queue", "open_users", "open_centros", "open_programas",
                       "open_audit"), "the list fits: nothing to prove here"
        cut_somewhere = False
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            cells = [cell_text(c) for c in table.get_row_at(row)]
            x, in_sight = 0, []
            for column in table.ordered_columns:
                width = column.get_render_width(table)
                in_sight.append(x + width <= view)
                x += width
            shown = str(detail.render()) if detail.display else ""
            for i, label in enumerate(labels):
                whole = in_sight[i] and not cells[i].endswith("…")
                if not whole:
                    cut_somewhere = True
                    assert f"{label}: " in shown, (row, label, shown)
            # and the line names only what the table does not show whole
            assert all(f"{labels[i]}: " in shown for i in hidden_columns(table, cells)
                       if not in_sight[i])
        assert cut_somewhere, "at 80 columns some value of this list is cut or out of sight"


async def test_line_shows_the_whole_value_of_a_cut_cell(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open_users()
        await wait_until(pilot, lambda: app.screen.query_one("#users-table").row_count)
        table = app.screen.query_one("#users-table", DataTable)
        row = next(i for i in range(table.row_count)
                   if cell_text(table.get_row_at(i)[0]).startswith("Administrador del"))
        table.move_cursor(row=row)
        await pilot.pause()
        assert "Nombre: Administrador del Sistema" in str(app.screen.query_one(RowDetail)
                                                          .render())


async def test_the_line_follows_the_width(make_app: Any, login_as: Any) -> None:
    """Wider terminal: the columns fit and the line goes; back to 80: it returns."""
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: app.screen.query_one("#list-table").row_count)
        await pilot.pause()
        detail = app.screen.query_one(RowDetail)
        assert detail.display and "Instructor: " in str(detail.render())
        await pilot.resize_terminal(200, 36)
        await settle(pilot)
        assert not detail.display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert detail.display and "Instructor: " in str(detail.render())


async def test_f8_hides_and_shows_the_line_and_the_lean_layout_starts_without_it(
        demo_url: str, login_as: Any) -> None:
    """Over SSH (the lean layout) the line is off, so a row move costs only the row; F8
    brings it back on any list (and hides it again)."""
    from tui.config import Settings
    from tui.db.urls import DatabaseChoice
    from tui.shell.app import ComplementariasApp
    from tui.shell.database import OpenDatabase

    db = OpenDatabase(url=demo_url, choice=DatabaseChoice(demo_url, None, "DATABASE_URL"))
    app = ComplementariasApp(db, session=await login_as("juan"),
                             settings=Settings(low_bandwidth=True, lean_layout=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: app.screen.query_one("#list-table",
                                                             DataTable).row_count)
        detail = app.screen.query_one(RowDetail)
        assert not app.show_row_detail and not detail.display
        await pilot.press("f8")
        await settle(pilot)
        assert detail.display and "Empresa: " in str(detail.render())
        await pilot.press("j")
        await settle(pilot)
        assert detail.display
        await pilot.press("f8")
        await settle(pilot)
        assert not detail.display
