"""One-line header: app name, user, role, centro and the unread notification count."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.formatting import inert

ROLE_LABEL = {"INSTRUCTOR": "Instructor", "COORDINADOR": "Coordinador", "ADMIN": "Administrador"}


class AppHeader(Horizontal):
    """The header of every main screen."""

    def compose(self) -> ComposeResult:
        yield Static("Complementarias SENA", id="header-title")
        yield Static("", id="header-user", markup=False)
        yield Static("", id="header-unread")

    def on_mount(self) -> None:
        self.watch(self.app, "unread", self._show_unread)
        session = getattr(self.app, "session", None)
        if session is not None:
            a = session.actor
            self.query_one("#header-user", Static).update(
                inert(f"{a.centro_codigo} · {ROLE_LABEL.get(a.role, a.role)} · {a.name}"))

    def _show_unread(self, unread: int) -> None:
        label = self.query_one("#header-unread", Static)
        label.update(f"F2 Notif: {unread}")
        label.set_class(unread > 0, "has-unread")
