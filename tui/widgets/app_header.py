"""One-line header: app name, user, role, centro and the unread notification count."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.services.model import ROLE_LABEL, ROLE_SHORT
from tui.uikit.formatting import inert, short

PARTICLES = {"de", "del", "la", "las", "los", "y"}


def short_name(name: str) -> str:
    """First name and first surname, with its particles ("Carlos Rodríguez Pérez" → "Carlos
    Rodríguez", "Ana de la Torre Gil" → "Ana de la Torre"); a four-word name without
    particles keeps its first and third words (two given names, two surnames)."""
    words = name.split()
    if len(words) >= 4 and not PARTICLES & {w.lower() for w in words}:
        return f"{words[0]} {words[2]}"
    out = words[:1]
    for word in words[1:]:
        out.append(word)
        if word.lower() not in PARTICLES:
            break
    return " ".join(out)


def user_line(actor: Any, width: int) -> str:
    """The user as it fits in `width`: whole, then the name shortened, then the role
    abbreviated, then the name's initial only; never cut in the middle of a word unless
    nothing else fits."""
    role, name, centro = actor.role, inert(actor.name), inert(actor.centro_codigo)
    full, brief = ROLE_LABEL.get(role, role), ROLE_SHORT.get(role, role)
    first = name.split()[0] if name.split() else name
    candidates = [f"{centro} · {full} · {name}", f"{centro} · {full} · {short_name(name)}",
                  f"{centro} · {brief} · {short_name(name)}", f"{centro} · {brief} · {first}",
                  f"{brief} · {first}"]
    fits = next((c for c in candidates if len(c) <= width), None)
    return fits if fits is not None else short(candidates[-1], max(width, 1))


class AppHeader(Horizontal):
    """The header of every main screen."""

    def compose(self) -> ComposeResult:
        yield Static("Complementarias SENA", id="header-title")
        yield Static("", id="header-user", markup=False)
        yield Static("", id="header-unread")

    def on_mount(self) -> None:
        self.watch(self.app, "unread", self._show_unread)
        self._show_user()

    def on_resize(self, event: events.Resize) -> None:
        self._show_user()

    def _show_user(self) -> None:
        session = getattr(self.app, "session", None)
        if session is None:
            return
        box = self.query_one("#header-user", Static)
        width = box.size.width or max(10, self.app.size.width - 40)
        box.update(user_line(session.actor, width - 2))
        if not box.size.width:  # not laid out yet: again once it is
            self.call_after_refresh(self._show_user)

    def _show_unread(self, unread: int) -> None:
        label = self.query_one("#header-unread", Static)
        label.update(f"F2 Notif: {unread}")
        label.set_class(unread > 0, "has-unread")
