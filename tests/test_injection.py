"""Terminal and markup injection: hostile text stored as the web app (or a user) could store it
is shown literally and inert on every screen type, and no control byte of it reaches the
terminal.

The hostile values carry Rich/Textual markup (`[bold]`, `[@click=app.quit]`, `[link=…]`),
ANSI CSI and OSC sequences (clear screen, an OSC 8 hyperlink, an OSC 52 clipboard write), BEL
and a C1 control. Each test renders the real screen on the demo database and inspects what
the compositor would send to the terminal.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest

from tui.uikit.formatting import inert

from .conftest import settle, shown, wait_until

NAME = "[bold]Carlos[/bold] \x1b[2J"
EMPRESA = "[@click=app.quit]Emp\x1b]8;;http://evil.example\x1b\\ok"
COMMENT = "[link=http://evil.example]ver[/link]\x07\x9b31m fin"
PROGRAMA = "[bold red]Prog\x1b[31m"
TITULO = "[@click=app.quit]Hola\x1b[5m"
MENSAJE = "[link=http://evil.example]x[/link] \x1b]52;c;ZXZpbA==\x07"
CENTRO = "[reverse]Centro\x1b[8m"

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
INJECTED = re.compile(r"\x1b\[2J|\x1b\]52|\x1b\[5m|\x1b\[8m|\x07|\x9b|\x1b\]8;[^\x1b]*evil")


def make_hostile(url: str) -> None:
    """Hostile values in every user-supplied column the screens show (as plain SQL, the way
    the web app could have written them: no validation of ours on the way in)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute('UPDATE public.users SET "name" = %s WHERE "email" LIKE %s',
                     (NAME, "carlos%"))
        conn.execute('UPDATE public.solicitudes SET "nombreEmpresa" = %s, '
                     '"comentariosRevision" = %s', (EMPRESA, COMMENT))
        conn.execute('UPDATE public.programas SET "nombre" = %s', (PROGRAMA,))
        conn.execute('UPDATE public.centros SET "nombre" = %s', (CENTRO,))
        conn.execute('UPDATE public.notificaciones SET "titulo" = %s, "mensaje" = %s',
                     (TITULO, MENSAJE))


def screen_text(app: Any) -> str:
    """What the screen shows: the text of every segment the compositor produces."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def terminal_bytes(app: Any) -> str:
    """The exact output a full repaint writes to the terminal."""
    update = app.screen._compositor.render_update(full=True)
    return update.render_segments(app.console)


def assert_inert(app: Any, *shown: str) -> None:
    text = screen_text(app)
    bad = CONTROL.search(text)
    assert bad is None, repr(text[max(0, bad.start() - 60): bad.end() + 20])
    out = terminal_bytes(app)
    found = INJECTED.search(out)
    assert found is None, repr(out[max(0, found.start() - 40): found.end() + 40])
    for value in shown:
        assert value in text, (value, text)


@pytest.fixture
def hostile(demo_url: str) -> str:
    make_hostile(demo_url)
    return demo_url


def test_inert_shows_controls_as_symbols() -> None:
    assert inert("a\x1b[2Jb\x07\x9b\x00") == "a␛[2Jb␇\ufffd␀"
    assert inert("uno\ndos\tfin", multiline=True) == "uno\ndos\tfin"
    assert inert("uno\ndos") == "uno␊dos"


SIZE = (200, 50)


async def test_list_screen(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: "de " in str(
            app.screen.query_one("#list-status").render()))
        assert_inert(app, "[bold]Carlos[/bold] ␛[2J", "[@click=app.quit]Emp␛]8;;", "[bold red]Prog")
        assert app.is_running


async def test_detail_screen(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with psycopg.connect(hostile) as conn:
            sid = conn.execute("SELECT id FROM public.solicitudes WHERE codigo = "
                               "'SOL-2026-004'").fetchone()[0]
        app.open_solicitud(sid)
        await wait_until(pilot, lambda: "SOL-2026-004" in screen_text(app))
        assert_inert(app, "[@click=app.quit]Emp", "[link=http://evil.example]ver[/link]␇",
                     "[bold red]Prog␛[31m")


async def test_review_queue(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_review_queue()
        await wait_until(pilot, lambda: "revisar" in str(
            app.screen.query_one("#queue-status").render()))
        assert_inert(app, "[@click=app.quit]Emp", "[bold red]Prog")


async def test_users_screen(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_users()
        await wait_until(pilot, lambda: "Mostrando" in str(
            app.screen.query_one("#users-status").render()))
        assert_inert(app, "[bold]Carlos[/bold] ␛[2J")
        app.action_open_centros()
        await wait_until(pilot, lambda: "Mostrando" in str(
            app.screen.query_one("#centros-status").render()))
        assert_inert(app, "[reverse]Centro␛[8m")


async def test_notifications_sidebar(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_notifications = True
        await wait_until(pilot, lambda: "Hola" in screen_text(app))
        # The message wraps in the sidebar's width: its first line is checked whole.
        assert_inert(app, "[@click=app.quit]Hola␛[5m", "[link=http://evil.example]x[/link",
                     "␛]52;c;ZXZpbA==␇")
        assert app.is_running


async def test_dialogs(make_app: Any, login_as: Any, hostile: str) -> None:
    """The confirmation dialogs quote user text (a name in «Desactivar …»)."""
    from tui.screens.common.confirm import ConfirmScreen

    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_users()
        await wait_until(pilot, lambda: "Mostrando" in str(
            app.screen.query_one("#users-status").render()))
        screen = app.screen
        row = next(i for i, u in enumerate(screen.items) if u.name == NAME)
        screen.table.move_cursor(row=row)
        await pilot.pause()
        await pilot.press("d")
        assert await shown(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        assert_inert(app, "[bold]Carlos[/bold] ␛[2J")
        await pilot.press("escape")


async def test_home_and_header(make_app: Any, login_as: Any, hostile: str) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "Prog" in screen_text(app))
        assert_inert(app, "[bold red]Prog␛[31m")


async def test_solicitud_form(make_app: Any, login_as: Any, hostile: str) -> None:
    """The form loads stored text into its inputs: shown literally, controls as symbols."""
    from textual.widgets import TabbedContent

    from tui.screens.instructor.solicitud_form import SolicitudFormScreen

    app = make_app(await login_as("carlos"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with psycopg.connect(hostile) as conn:
            sid = conn.execute("SELECT id FROM public.solicitudes WHERE codigo = "
                               "'SOL-2026-005'").fetchone()[0]
        app.push_screen(SolicitudFormScreen(sid))
        await wait_until(pilot, lambda: "Prog" in screen_text(app))
        assert_inert(app, "[bold red]Prog␛[31m")
        app.screen.query_one(TabbedContent).active = "sec-empresa"
        await settle(pilot)
        assert_inert(app, "[@click=app.quit]Emp␛]8;;")
        app.screen.query_one(TabbedContent).active = "sec-envio"
        await settle(pilot)
        assert_inert(app, "[@click=app.quit]Emp␛]8;;")


def test_cli_user_list(hostile: str, capsys: Any) -> None:
    from tui.cli import main as cli

    assert cli.main(["--database-url", hostile, "user", "list"]) == 0
    out = capsys.readouterr().out
    assert "[bold]Carlos[/bold] ␛[2J" in out
    assert not CONTROL.search(out)
