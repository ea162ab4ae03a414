"""Keys typed in a burst land where they were typed (issue: type-ahead over SSH).

Every test posts its whole burst before the app handles any of it (tests/keyburst.py)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

from tui.config import Settings
from tui.db.urls import DatabaseChoice
from tui.screens.common.home import HomeScreen
from tui.screens.common.login import LoginScreen
from tui.screens.instructor.solicitud_form import SolicitudFormScreen
from tui.shell.app import ComplementariasApp
from tui.shell.database import OpenDatabase, PendingDatabase
from tui.ssh.ssh_app import SshApp

from .conftest import settle, wait_until
from .keyburst import CTRL_U, ENTER, TAB, burst, typed

EMAIL = "carlos.rodriguez@sena.edu.co"
PASSWORD = "Instructor.2026"
LOGIN = f"{EMAIL}{TAB}{PASSWORD}{ENTER}"


class EarlyBurstApp(ComplementariasApp):
    """The whole login arrives before the login screen exists (typed ahead at launch)."""

    CSS_PATH = SshApp.CSS_PATH  # absolute paths (relative ones resolve beside the class)

    async def on_mount(self) -> None:
        burst(self, LOGIN)
        await super().on_mount()


def _app(demo_url: str, cls: type[ComplementariasApp], pending: bool) -> ComplementariasApp:
    choice = DatabaseChoice(None, None, "embebida")
    db = OpenDatabase(url=demo_url, choice=choice)
    return cls(PendingDatabase(choice, lambda: db) if pending else db,
               settings=Settings(low_bandwidth=True))


async def _logged_in(pilot: Any) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    assert isinstance(pilot.app.screen, HomeScreen)
    assert pilot.app.actor.email == EMAIL


async def test_login_burst_after_the_screen_is_up(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        burst(app, LOGIN)
        await _logged_in(pilot)


async def test_login_burst_before_the_screen_is_mounted(demo_url: str) -> None:
    app = _app(demo_url, EarlyBurstApp, pending=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _logged_in(pilot)


async def test_login_burst_while_the_database_is_still_opening(demo_url: str) -> None:
    """As `complementarias` starts: the login screen first, the database in a thread."""
    app = _app(demo_url, EarlyBurstApp, pending=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _logged_in(pilot)


def _text(field: Input | TextArea) -> str:
    return field.text if isinstance(field, TextArea) else field.value


def _value_for(field: Input | TextArea, i: int) -> str:
    if isinstance(field, TextArea):
        return f"texto {i}"
    if field.type == "integer":
        return str(10 + i)
    if field.restrict == r"[0-9/]*":
        return f"{i + 1:02d}/02/2027"
    return f"valor {i}"


async def test_ten_values_across_form_fields_in_one_burst(make_app: Any,
                                                          login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(SolicitudFormScreen(None))
        await settle(pilot)
        await pilot.press("f6")  # section 2 (empresa): ten one-line fields in a row
        await settle(pilot)
        screen = app.screen
        chain = screen.focus_chain
        start = next(i for i, w in enumerate(chain) if isinstance(w, Input))
        chain[start].focus()
        await settle(pilot)
        data, expected = "", {}
        for widget in chain[start:]:
            if isinstance(widget, (Input, TextArea)):
                value = _value_for(widget, len(expected))
                expected[widget.id] = value
                data += value
            if len(expected) == 10:
                break
            data += TAB
        assert len(expected) == 10, "the form has at least ten text fields"
        await typed(pilot, data)
        got = {i: _text(screen.query_one(f"#{i}")) for i in expected}
        assert got == expected, (app.screen_stack, app.focused, [n.message for n in
                                 app._notifications], {w.id: _text(w) for w in
                                                       screen.query("Input, TextArea")})


async def test_ctrl_u_then_text_in_one_write(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        email = app.screen.query_one("#login-email", Input)
        email.value = "viejo@sena.edu.co"
        email.cursor_position = len(email.value)
        await typed(pilot, f"{CTRL_U}nuevo@sena.edu.co")
        assert email.value == "nuevo@sena.edu.co"


async def test_keys_typed_after_the_logins_enter_go_to_the_home_screen(make_app: Any) -> None:
    """`l` typed right after the login's Enter, while the login is still being checked,
    opens the list from the home screen: it is not typed into the login's fields."""
    from tui.screens.common.solicitudes import SolicitudesScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, LOGIN + "l")
        await wait_until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        assert isinstance(app.screen, SolicitudesScreen)
        assert app.actor.email == EMAIL
        assert isinstance(app.screen_stack[-2], HomeScreen)
