"""No dialog drops what was typed: a refused action keeps the dialog open with every field as
typed and the error under its field; Escape on a changed dialog asks first."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, Static, TextArea

from tui.screens.common.change_password import ChangePasswordScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.home import HomeScreen
from tui.screens.common.login import LoginScreen
from tui.screens.instructor.horario_row import HorarioRowScreen
from tui.services import auth
from tui.services.transitions import MAX_COMMENT

from .conftest import settle
from .keyburst import TAB, burst, typed
from .test_ui_review_queue import open_queue, sql
from .ui_wait import until


def shown(dialog: Any, selector: str) -> str:
    return str(dialog.query_one(selector, Static).render())


async def open_dialog(app: Any, pilot: Any, key: str) -> ConfirmScreen:
    await open_queue(app, pilot)
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen)
                and app.screen.query_one("#confirm-yes"))
    return app.screen


async def submit(pilot: Any, dialog: ConfirmScreen) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not dialog.is_attached
                or "Procesando" not in shown(dialog, "#confirm-error"))


async def test_reject_with_a_comment_over_the_limit_keeps_it(make_app: Any,
                                                             login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot, "x")
        long = "Falta la empresa. " + "x" * MAX_COMMENT
        dialog.query_one("#confirm-comment", TextArea).text = long
        await submit(pilot, dialog)
        assert app.screen is dialog
        assert dialog.query_one("#confirm-comment", TextArea).text == long
        assert f"máximo {MAX_COMMENT}" in shown(dialog, "#confirm-comment-error")
        assert app.focused is dialog.query_one("#confirm-comment")


async def test_approve_with_a_bad_or_taken_ficha_keeps_the_dialog(make_app: Any,
                                                                  login_as: Any,
                                                                  pool: Any) -> None:
    taken = (await sql(pool, 'SELECT "numeroFicha" AS f FROM public.solicitudes WHERE '
                       '"numeroFicha" IS NOT NULL LIMIT 1'))[0]["f"]
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(app, pilot, "a")
        await until(pilot, lambda: dialog.query_one("#confirm-value", Input).value)
        comment = dialog.query_one("#confirm-comment", TextArea)
        comment.text = "Aprobada con observaciones"
        for ficha in ("12ab", taken):
            dialog.query_one("#confirm-value", Input).value = ficha
            await submit(pilot, dialog)
            assert app.screen is dialog, ficha
            assert "número de ficha" in shown(dialog, "#confirm-value-error").lower(), ficha
            assert dialog.query_one("#confirm-value", Input).value == ficha
            assert comment.text == "Aprobada con observaciones"
        # with a good number it goes through
        dialog.query_one("#confirm-value", Input).value = "9876543"
        await submit(pilot, dialog)
        assert not dialog.is_attached
        rows = await sql(pool, 'SELECT "estado"::text AS e FROM public.solicitudes WHERE '
                         '"numeroFicha" = %s', "9876543")
        assert rows == [{"e": "APROBADA"}]


async def test_escape_on_a_changed_dialog_asks(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog = HorarioRowScreen([], None)
        app.push_screen(dialog)
        await settle(pilot)
        await pilot.press("escape")  # unchanged: closes at once
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        dialog = HorarioRowScreen([], None)
        app.push_screen(dialog)
        await settle(pilot)
        dialog.query_one("#hr-observaciones", Input).value = "Sala 3"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen), "asked before discarding"
        await pilot.press("escape")  # stay
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#hr-observaciones", Input).value == "Sala 3"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # "Descartar y cerrar"
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_password_errors_show_at_their_field(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_change_password()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangePasswordScreen)
        await typed(pilot, f"Instructor.2026{TAB}Nueva.Clave.2026{TAB}Otra.Clave.2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "no coincide" in shown(dialog, "#pw-confirm-error")
        assert dialog.query_one("#pw-new", Input).value == "Nueva.Clave.2026"
        assert app.focused is dialog.query_one("#pw-confirm")


async def test_forced_change_after_login_does_not_ask_the_password_again(
        make_app: Any, login_as: Any, pool: Any) -> None:
    session = await login_as("carlos")
    await auth.set_password(pool, session.actor.id, "Temporal.2026x", must_change=True)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        burst(app, f"{session.actor.email}{TAB}Temporal.2026x\r")
        await until(pilot, lambda: isinstance(app.screen, ChangePasswordScreen))
        dialog = app.screen
        await settle(pilot)
        assert not dialog.query("#pw-current"), "the temporary password was just typed"
        burst(app, f"Definitiva.2026{TAB}Definitiva.2026\r")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    await auth.login(pool, session.actor.email, "Definitiva.2026")
