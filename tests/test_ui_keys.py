"""Keys are consistent in every dialog: F1 help, Ctrl+S where something is saved, Escape
closes only the innermost layer; focus shows on the widget, disabled looks disabled, a
refused key says why; the form keeps the user's place."""

from __future__ import annotations

from typing import Any

from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select

from tui.screens.admin.user_form import UserFormScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.screens.instructor.programa_picker import ProgramaPickerScreen
from tui.screens.instructor.solicitud_form import SolicitudFormScreen
from tui.shell.keys import _classes

from .conftest import settle, wait_until
from .ui_wait import until

SAVING_ACTIONS = {"save", "confirm", "export", "apply"}


def _dialogs() -> list[type]:
    return [c for c in _classes() if issubclass(c, ModalScreen)]


def test_every_dialog_has_f1_and_ctrl_s_where_it_saves() -> None:
    dialogs = _dialogs()
    assert len(dialogs) >= 10
    for cls in dialogs:
        keys = {k for b in cls.BINDINGS for k in b.key.split(",")}  # type: ignore[attr-defined]
        actions = {b.action for b in cls.BINDINGS}  # type: ignore[attr-defined]
        assert "f1" in keys, f"{cls.__name__}: F1 (help)"
        if actions & SAVING_ACTIONS or hasattr(cls, "action_save"):
            assert "ctrl+s" in keys, f"{cls.__name__}: Ctrl+S (save)"


async def test_escape_closes_the_estado_filter_only(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SolicitudesScreen)
        await pilot.press("f")
        await settle(pilot)
        select = screen.query_one("#filter-estado", Select)
        assert select.expanded
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen, "Escape closed the filter, not the screen"
        assert not select.expanded


async def test_focus_shows_on_the_widget_and_disabled_looks_disabled(
        make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(UserFormScreen(None, True))
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input)
        label = field.parent.query_one(Label)  # type: ignore[union-attr]
        assert "reverse" in str(field.styles.text_style)
        assert "reverse" not in str(label.styles.text_style)
        field.disabled = True
        await settle(pilot)
        assert "dim" in str(field.styles.text_style)


async def _new_form(app: Any, pilot: Any) -> SolicitudFormScreen:
    await settle(pilot)
    app.push_screen(SolicitudFormScreen(None))
    await settle(pilot)
    assert isinstance(app.screen, SolicitudFormScreen)
    return app.screen


async def test_a_letter_in_a_number_field_says_why(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(app, pilot)
        field = form.query_one("#f-cupoMaximo", Input)
        field.focus()
        await pilot.press("2", "x", "5")
        await settle(pilot)
        assert field.value == "25"
        assert any("solo admite números" in n.message for n in app._notifications)


async def test_choosing_a_programa_keeps_the_place(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(app, pilot)
        button = form.query_one("#f-programaId", Button)
        button.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProgramaPickerScreen)
                    and app.screen.query_one(OptionList).option_count)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is form)
        assert form.query_one("#f-codigoPrograma", Input).value, "the programa was chosen"
        assert app.focused is button


async def test_objetivos_reachable_at_80x24(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _new_form(app, pilot)
        await pilot.press("f6", "f6", "f6")  # section 4
        await settle(pilot)
        objetivos = form.query_one("#objetivos-list", OptionList)
        for _ in range(4):
            if app.focused is objetivos:
                break
            await pilot.press("tab")
            await settle(pilot)
        assert app.focused is objetivos
        assert app.screen.region.contains_region(objetivos.region), "shown on screen"
