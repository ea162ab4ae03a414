"""Every way out of an edited form goes through one guard (save / discard / stay).

The enumeration test takes every key binding the app and the form declare and every palette
command, runs each on an edited form whose guard only records that it was asked, and fails if
any of them closed the form without asking: a new leave path that bypasses the guard fails
here."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Input

from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.home import HomeScreen
from tui.screens.instructor.solicitud_form import SolicitudFormScreen
from tui.shell.app import ComplementariasApp
from tui.shell.commands import app_commands

from .conftest import settle
from .ui_wait import until


async def _edited_form(app: Any, pilot: Any) -> SolicitudFormScreen:
    await settle(pilot)
    app.push_screen(SolicitudFormScreen(None))
    await settle(pilot)
    form = app.screen
    assert isinstance(form, SolicitudFormScreen)
    form.query_one("#f-responsableNombre", Input).value = "Ana Pérez"
    await settle(pilot)
    assert form.dirty
    return form


def _keys(*classes: type) -> list[tuple[str, str]]:
    out = []
    for cls in classes:
        for binding in cls.BINDINGS:  # type: ignore[attr-defined]
            if isinstance(binding, Binding):
                out.append((binding.key.split(",")[0], binding.action))
    return out


async def test_no_key_or_command_leaves_an_edited_form_unasked(make_app: Any,
                                                               login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edited_form(app, pilot)
        asked: list[str] = []
        current = {"path": ""}
        form.guard_leave = lambda proceed: asked.append(current["path"])  # type: ignore[method-assign]

        async def back_to_form(path: str) -> None:
            await settle(pilot)
            assert form in app.screen_stack, f"{path} closed the edited form without asking"
            while app.screen is not form:
                app.pop_screen()

        keys = _keys(ComplementariasApp, MainScreen, SolicitudFormScreen)
        for key, action in keys:
            current["path"] = f"key {key} ({action})"
            form.query_one("#f-responsableNombre", Input).focus()
            await pilot.press(key)
            await back_to_form(current["path"])
        commands = [(label, callback) for label, _help, callback in app_commands(app)]
        commands += [(label, callback) for label, _help, callback in
                     getattr(form, "palette_commands", list)()]
        commands += [(c.title, c.callback) for c in app.get_system_commands(form)]
        for label, callback in commands:
            current["path"] = f"palette {label}"
            result = callback()
            if hasattr(result, "__await__"):
                await result
            await back_to_form(current["path"])
        for path in ("key ctrl+q (quit)", "key f3 (go_home)", "key f12 (logout)",
                     "key escape (back)", "palette Inicio", "palette Cerrar sesión",
                     "palette Salir"):
            assert path in asked, f"{path} did not ask the form"
        assert app.is_running


async def test_palette_home_on_an_edited_new_form_asks_and_can_stay(make_app: Any,
                                                                    login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edited_form(app, pilot)
        home = next(cb for label, _h, cb in app_commands(app) if label == "Inicio")
        home()
        # (the form's leave worker awaits the question: wait for screens, not for workers)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # stay
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#f-responsableNombre", Input).value == "Ana Pérez"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.is_running
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is form)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # "Salir": discard on purpose
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_ending_the_app_writes_the_journal_of_an_edited_form(make_app: Any,
                                                                   login_as: Any) -> None:
    """SIGHUP/SIGTERM (an SSH session dropping) call `exit`: edits made a moment before are
    on disk, even if the journal's short delay had not passed."""
    from tui.uikit import journal

    session = await login_as("carlos")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _edited_form(app, pilot)
        form.query_one("#f-responsableNombre", Input).value = "Ana María Pérez"
        form.touch()
        app.exit()
    found = journal.read(session.actor.id, journal.NEW)
    assert found is not None and found[0]["responsableNombre"] == "Ana María Pérez"
