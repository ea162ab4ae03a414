"""The list component (`ListScreen`) that every list screen configures: what it does the
same way for all of them."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tui.screens.admin.audit import AuditScreen
from tui.screens.admin.centros import CentrosScreen
from tui.screens.admin.programas import ProgramasScreen
from tui.screens.admin.users import UsersScreen
from tui.screens.common import solicitudes as solicitudes_screen
from tui.screens.common.list_screen import ListScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.screens.coordinacion.review_queue import ReviewQueueScreen

from .conftest import settle, wait_until


def test_every_list_screen_is_the_list_component() -> None:
    for screen in (SolicitudesScreen, ReviewQueueScreen, UsersScreen, CentrosScreen,
                   ProgramasScreen, AuditScreen):
        assert issubclass(screen, ListScreen), screen
    # each keeps its own widget ids (tests, styles and keymaps name them)
    assert (UsersScreen.TABLE_ID, UsersScreen.SEARCH_ID, UsersScreen.STATUS_ID) == (
        "users-table", "users-search-box", "users-status")
    assert ReviewQueueScreen.TABLE_ID == "queue-table"


def status(app: Any) -> str:
    return str(app.screen.query_one("#list-status", Static).render())


async def test_a_page_whose_rows_all_left_goes_back_one(make_app: Any, login_as: Any,
                                                        pool: Any, monkeypatch: Any) -> None:
    """Carlos has three solicitudes; two a page. The last one leaves his list while page 2
    is shown: reloading shows page 1 with the new total, not an empty page 2."""
    monkeypatch.setattr(solicitudes_screen, "PAGE", 2)
    session = await login_as("carlos")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: "1–2 de 3" in status(app))
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: "3–3 de 3" in status(app))
        assert isinstance(app.screen, SolicitudesScreen)
        gone = app.screen.rows[0]["id"]
        async with pool.connection() as conn:
            await conn.execute(
                'UPDATE public.solicitudes SET "instructorId" = (SELECT "id" FROM public.users'
                ' WHERE "role" = \'INSTRUCTOR\' AND "id" <> %s LIMIT 1) WHERE "id" = %s',
                (session.actor.id, gone))
        await pilot.press("r")
        await wait_until(pilot, lambda: "1–2 de 2" in status(app))
        assert "página 1" in status(app)
        assert gone not in [r["id"] for r in app.screen.rows]
