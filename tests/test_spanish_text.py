"""Spanish everywhere the user reads: every screen each role can open, at 80x24, is drawn and
its text scanned for English words (Textual's own included) and raw enum names."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tui.services import notifications
from tui.services.labels import ENUM_LABEL
from tui.shell import textual_es
from tui.uikit.formatting import plural
from tui.uikit.messages import NotificationArrived
from tui.widgets.app_header import short_name, user_line

from .conftest import settle

ENGLISH = ("Dismiss", "menu", "No matches", "found", "Search", "commands", "themes", "Exit",
           "palette", "Screenshot", "Saved", "Failed", "Press", "Submit",
           "Select", "Loading", "Close", "Save", "Next", "Previous", "Page", "pgdn", "pgup",
           "space", "Toggle", "Show", "Hide", "Keys", "Theme", "Quit", "Delete",
           "Edit", "New", "Back", "Help", "Yes", "OK", "Error", "Warning", "Notification",
           "You have", "Tienes notificaciones")
"""Words that must not be on screen ("Error" is Spanish too, but Textual's toasts never set
a title of ours: every "Error…" we write has more after it, checked below as a whole word)."""
ENGLISH_RE = re.compile(r"(?<![\w.@/-])(" + "|".join(map(re.escape, ENGLISH)) +
                        r")(?![\w.@/-])")
ENUMS = (*ENUM_LABEL, "NUEVA_SOLICITUD", "SOLICITUD_APROBADA", "SOLICITUD_RECHAZADA",
         "SOLICITUD_REVISION", "ASIGNACION_FICHA", "RECORDATORIO", "SISTEMA", "COMPLEMENTARIA",
         "TRANSVERSAL", "ESPECIFICA", "PRESENCIAL", "DESESCOLARIZADA", "MIERCOLES", "SABADO")
ENUM_RE = re.compile(r"\b(" + "|".join(ENUMS) + r")\b")
ISO_DATE_RE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def screen_text(app: Any) -> str:
    """What the current screen draws, as text (the footer included), and its toasts (drawn
    on a layer of their own)."""
    from textual.widgets._toast import Toast

    toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
    return "\n".join([strip.text for strip in app.screen._compositor.render_strips()]
                     + toasts)


def problems(text: str) -> list[str]:
    found = [f"English {m.group(0)!r}" for m in ENGLISH_RE.finditer(text)
             if m.group(0) != "Error" or not re.search(r"Error\b(?! de | inesperado)", text)]
    found += [f"enum {m.group(0)!r}" for m in ENUM_RE.finditer(text)]
    found += [f"ISO date {m.group(0)!r}" for m in ISO_DATE_RE.finditer(text)]
    return found


async def visit(pilot: Any, name: str, seen: dict[str, list[str]], *keys: str) -> None:
    if keys:
        await pilot.press(*keys)
    await settle(pilot)
    text = screen_text(pilot.app)
    bad = problems(text)
    if bad:
        seen[name] = [*bad, text]


SCREENS = {
    "carlos": ["open_solicitudes", "open_ssh_keys", "change_password"],
    "juan": ["open_solicitudes", "open_review_queue", "open_users", "open_programas",
             "open_informes", "open_ssh_keys"],
    "admin": ["open_solicitudes", "open_review_queue", "open_users", "open_programas",
              "open_informes", "open_centros", "open_migrations", "open_broadcast",
              "open_audit"],
}


@pytest.mark.parametrize("who", ["carlos", "juan", "admin"])
async def test_every_screen_reads_in_spanish(make_app: Any, login_as: Any, pool: Any,
                                             who: str) -> None:
    session = await login_as(who)
    app = make_app(session)
    seen: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await visit(pilot, "inicio", seen)
        await visit(pilot, "inicio + ctrl+c", seen, "ctrl+c")  # Textual's "quit?" toast
        await visit(pilot, "mi perfil", seen, "m")
        await visit(pilot, "ayuda", seen, "f1")
        await visit(pilot, "inicio", seen, "escape", "escape")
        await visit(pilot, "paleta", seen, "ctrl+p")
        await visit(pilot, "paleta sin resultados", seen, *"zzqx")
        await pilot.pause(textual_es.Paleta._NO_MATCHES_COUNTDOWN + 0.3)
        await visit(pilot, "paleta sin resultados", seen)
        assert textual_es.NO_MATCHES in screen_text(app)
        await visit(pilot, "inicio", seen, "escape")
        page = await notifications.list_for(pool, session.actor, limit=1)
        if page.rows:  # a notification arriving: its toast says what happened
            app.screen.post_message(NotificationArrived(page.rows[0].id))
            await visit(pilot, "notificación nueva", seen)
            assert page.rows[0].titulo in screen_text(app)
        await visit(pilot, "notificaciones", seen, "f2")
        await visit(pilot, "inicio", seen, "f2")
        for action in SCREENS[who]:
            getattr(app, f"action_{action}")()
            await visit(pilot, action, seen)
            if action == "open_solicitudes":
                await visit(pilot, "estado (lista abierta)", seen, "f")
                await visit(pilot, "lista", seen, "escape")
                await visit(pilot, "detalle", seen, "enter")
                await visit(pilot, "lista", seen, "escape")
            app.action_go_home()
            await settle(pilot)
    assert seen == {}, seen


def test_problems_finds_english_enums_and_iso_dates() -> None:
    """The scanner itself: it catches what it must and lets Spanish through."""
    assert problems("esc Dismiss menu") == ["English 'Dismiss'", "English 'menu'"]
    assert problems("Estado: EN_REVISION") == ["enum 'EN_REVISION'"]
    assert problems("desde 2026-03-02") == ["ISO date '2026-03-02'"]
    assert problems("Solicitud en revisión · 02/03/2026 · carlos.rodriguez@sena.edu.co") == []


def test_plurals_and_header_abbreviation() -> None:
    assert [plural(n, "horario") for n in (0, 1, 2)] == ["0 horarios", "1 horario",
                                                         "2 horarios"]
    assert plural(1, "notificación", "notificaciones") == "1 notificación"
    assert plural(3, "notificación", "notificaciones") == "3 notificaciones"
    assert short_name("Carlos Rodríguez Pérez") == "Carlos Rodríguez"
    assert short_name("Administrador del Sistema") == "Administrador del Sistema"

    class Actor:
        role, name, centro_codigo = "ADMIN", "Administrador del Sistema", "CGAO"

    line = user_line(Actor(), 38)
    assert line == "CGAO · Admin. · Administrador del Sistema"[:38] or len(line) <= 38
    assert "Sistema" in user_line(Actor(), 60) and "…" not in user_line(Actor(), 40)


def test_key_names_in_spanish() -> None:
    from textual.binding import Binding

    shown = {k: textual_es.key_display(Binding(k, "x")) for k in
             ("pagedown", "pageup", "delete", "ctrl+pageup", "f1", "escape", "a")}
    assert shown == {"pagedown": "AvPág", "pageup": "RePág", "delete": "Supr",
                     "ctrl+pageup": "^RePág", "f1": None, "escape": None, "a": None}


async def test_a_toast_still_shown_is_not_shown_twice(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(2):  # e.g. two workers of a screen failing with the same message
            app.notify("Se perdió la conexión.", title="Sin conexión", severity="error")
        app.notify("Otra cosa.", title="Sin conexión", severity="error")
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Se perdió la conexión.",
                                                           "Otra cosa."]


def test_export_file_name_in_bogota_time_and_count_in_the_right_number() -> None:
    from datetime import datetime, timedelta, timezone

    from tui.screens.common.export_dialog import ExportDialog
    from tui.services.solicitudes import Filtros

    before = datetime.now(timezone(timedelta(hours=-5)))
    dialog = ExportDialog.for_list(Filtros(), 1)
    after = datetime.now(timezone(timedelta(hours=-5)))
    assert dialog.stem in {f"solicitudes-{t:%Y%m%d-%H%M}" for t in (before, after)}
    assert dialog.what.startswith("Se exporta 1 solicitud de la lista")
