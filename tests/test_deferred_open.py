"""`complementarias` draws the login screen before the database is open: the database opens in
a thread after the first frame, the login waits for it, and a failure ends the app with the
message the command line would print."""

from __future__ import annotations

import threading
from typing import Any

from textual.widgets import Input, Static

from tui.config import Settings
from tui.db.embedded import EmbeddedError
from tui.db.urls import DatabaseChoice
from tui.screens.common.home import HomeScreen
from tui.screens.common.login import LoginScreen
from tui.shell.app import ComplementariasApp
from tui.shell.database import OpenDatabase, PendingDatabase

from .conftest import settle, wait_until


def pending(opener: Any) -> ComplementariasApp:
    choice = DatabaseChoice(None, None, "embebida")
    return ComplementariasApp(PendingDatabase(choice, opener),
                              settings=Settings(low_bandwidth=True))


async def test_login_waits_for_a_database_still_opening(demo_url: str) -> None:
    release = threading.Event()
    opened: list[str] = []

    def slow_open() -> OpenDatabase:
        release.wait(10)  # the embedded server still starting
        opened.append(threading.current_thread().name)
        return OpenDatabase(url=demo_url, choice=DatabaseChoice(None, None, "embebida"))

    app = pending(slow_open)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and not app.database_is_open
        assert "Cuentas de demostración" in str(app.screen.query_one("#login-demo",
                                                                     Static).render())
        await pilot.press(*"juan.martinez@sena.edu.co", "enter", *"Coordinador.2026", "enter")
        await pilot.pause(0.2)
        assert "Preparando la base de datos" in str(app.screen.query_one("#login-error",
                                                                         Static).render())
        assert app.screen.query_one("#login-password", Input).value  # nothing typed is lost
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert isinstance(app.screen, HomeScreen) and app.database_is_open
        assert opened and opened[0] != threading.main_thread().name


async def test_a_database_that_cannot_open_ends_the_app_with_its_message(capsys: Any) -> None:
    def broken() -> OpenDatabase:
        raise EmbeddedError("no se pudo iniciar PostgreSQL embebido: \x1b[2Jdisco lleno")

    app = pending(broken)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    shown = capsys.readouterr().err  # printed once the terminal is restored
    assert "Error: no se pudo iniciar PostgreSQL embebido" in shown
    assert "\x1b" not in shown  # the message is inert
