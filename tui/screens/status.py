"""A first screen that proves the app reaches its database."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tui.services.system import database_summary


class StatusScreen(Screen[None]):
    """Database connection status."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="status-box"):
            yield Static("Conectando a la base de datos…", id="status-text")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="status")
    async def load(self) -> None:
        text = self.query_one("#status-text", Static)
        db = self.app.db  # type: ignore[attr-defined]
        try:
            s = await database_summary(self.app.pool)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            text.update(f"No se pudo consultar la base de datos: {exc}")
            text.add_class("error")
            return
        text.update(
            f"Conectado a PostgreSQL {s.version}\n"
            f"Base de datos: {db.choice.source} ({db.shown_url})\n\n"
            f"Centros: {s.centros}   Usuarios: {s.usuarios}   Solicitudes: {s.solicitudes}"
        )
