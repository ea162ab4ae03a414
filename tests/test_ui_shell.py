"""The TUI shell at 80x24 by keyboard: login, home, lists, detail, sidebar, help, palette."""

from __future__ import annotations

from typing import Any

import psycopg
from textual.widgets import DataTable, Input, Static

from tui.screens.common.help import HelpScreen
from tui.screens.common.home import HomeScreen
from tui.screens.common.login import LoginScreen
from tui.screens.common.solicitud_detail import SolicitudDetailScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.widgets.notification_sidebar import NotificationSidebar

from .conftest import settle, wait_until


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_text(pilot: Any, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != "@" else "@")


async def test_login_wrong_password_then_right(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "juan.martinez@sena.edu.co" in text_of(app, "#login-demo")
        app.screen.query_one("#login-email", Input).value = "carlos.rodriguez@sena.edu.co"
        app.screen.query_one("#login-password", Input).value = "mala-clave"
        app.screen.query_one("#login-password", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Correo o contraseña incorrectos" in text_of(app, "#login-error")
        assert app.screen.query_one("#login-password", Input).value == ""
        assert app.screen.query_one("#login-email", Input).value, "the email is kept"
        app.screen.query_one("#login-password", Input).value = "Instructor.2026"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor.email == "carlos.rodriguez@sena.edu.co"


async def test_home_counts_cover_all_solicitudes(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # carlos: APROBADA 001, PENDIENTE 002, BORRADOR 005 in the demo data
        assert text_of(app, "#tile-APROBADA").endswith("1")
        assert text_of(app, "#tile-PENDIENTE").endswith("1")
        assert text_of(app, "#tile-BORRADOR").endswith("1")
        assert app.screen.query_one("#home-recent", DataTable).row_count == 3


async def test_list_filters_and_opens_detail(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SolicitudesScreen)
        table = screen.query_one("#list-table", DataTable)
        # CGAO without drafts of others: 001, 002, 003, 004, 009 (005 is carlos's draft)
        assert table.row_count == 5
        assert "de 5" in text_of(app, "#list-status")
        screen.query_one("#filter-text", Input).value = "Progreso"
        await wait_until(pilot, lambda: table.row_count == 1)  # after the typing debounce
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SolicitudDetailScreen)
        assert "SOL-2026-003" in text_of(app, "#detail-text")
        assert "Historial" in text_of(app, "#detail-text")


async def test_sidebar_receives_live_notification_from_the_web_app(
        make_app: Any, login_as: Any, demo_url: str) -> None:
    session = await login_as("carlos")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        sidebar = app.screen.query_one(NotificationSidebar)
        assert sidebar.display
        before = app.unread
        with psycopg.connect(demo_url, autocommit=True) as conn:  # as the web app would
            conn.execute(
                'INSERT INTO notificaciones (id, tipo, titulo, mensaje, "usuarioId") '
                "VALUES ('cwebapp00000000000000001', 'SISTEMA', 'Aviso web', 'Desde la web', %s)",
                (session.actor.id,))
        await wait_until(pilot, lambda: app.unread == before + 1)
        assert app.unread == before + 1


async def test_f1_help_lists_keys_with_ids(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "home-new" in text and "toggle-notifications" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_user_text_with_markup_is_shown_literally(make_app: Any, login_as: Any,
                                                        demo_url: str) -> None:
    hostile = "[bold]Empresa[/bold] [@click=app.quit]x[/]"
    with psycopg.connect(demo_url, autocommit=True) as conn:
        conn.execute('UPDATE solicitudes SET "nombreEmpresa" = %s WHERE codigo = %s',
                     (hostile, "SOL-2026-003"))
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        table = app.screen.query_one("#list-table", DataTable)
        cells = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert hostile in cells
        await pilot.press("enter")  # SOL-2026-003 is the newest: first row
        await settle(pilot)
        assert hostile in text_of(app, "#detail-text")
        assert app.is_running


async def test_logout_from_a_deep_screen_returns_to_login(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None and app.is_running


async def test_page_keys_page_through_more_than_one_page(make_app: Any, login_as: Any,
                                                          demo_url: str) -> None:
    from tui.screens.common import solicitudes as list_screen

    session = await login_as("carlos")
    app = make_app(session)
    list_screen.PAGE, old = 2, list_screen.PAGE
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("l")
            await settle(pilot)
            assert "1–2 de 3" in text_of(app, "#list-status")
            await pilot.press("pagedown")
            await settle(pilot)
            assert "3–3 de 3" in text_of(app, "#list-status")
            await pilot.press("pageup")
            await settle(pilot)
            assert "1–2 de 3" in text_of(app, "#list-status")
    finally:
        list_screen.PAGE = old


async def test_escape_goes_back_from_any_main_screen(make_app: Any, login_as: Any) -> None:
    """Escape leaves the list, the review queue and the informes for the screen below (from
    a search field, it first returns to the table); on the home screen it does nothing."""
    from tui.screens.common.home import HomeScreen

    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l", "/")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable) and isinstance(app.screen, SolicitudesScreen)
        await pilot.press("escape")
        await settle(pilot)
        for key in ("l", "r", "i"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, HomeScreen), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2
