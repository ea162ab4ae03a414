"""Centros de formación (admins)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult

from tui.screens.admin.admin_list import (
    AdminListScreen,
    activo_select,
    estado_text,
)
from tui.screens.admin.centro_form import CentroFormScreen
from tui.services import centros
from tui.services.common import Page
from tui.uikit import keymap
from tui.uikit.workers import service_worker


class CentrosScreen(AdminListScreen):
    """Centros de formación."""

    HELP = keymap.HELP["CentrosScreen"]
    PREFIX = "centros"
    NOUN = ("centro", "centros")
    COLUMNS = (("Código", 6, False), ("Nombre", 18, True), ("Ciudad", 11, False),
               ("Región", 12, False), ("Usu.", 4, False), ("Prog.", 5, False),
               ("Estado", 8, False))
    BINDINGS = keymap.BINDINGS["CentrosScreen"]

    def heading(self) -> str:
        return "Centros de formación"

    def compose_filters(self) -> ComposeResult:
        yield activo_select("centros")

    ORDERS = centros.ORDENES
    EXPORT_NAME = "centros"

    def service(self) -> Callable[..., Awaitable[Page[Any]]]:
        return centros.list_centros

    def export_columns(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        return (("Código", lambda c: c.codigo), ("Nombre", lambda c: c.nombre),
                ("Ciudad", lambda c: c.ciudad), ("Región", lambda c: c.region),
                ("Usuarios", lambda c: c.usuarios), ("Programas", lambda c: c.programas),
                ("Estado", lambda c: estado_text(c.is_active)))

    def cells(self, c: Any) -> list[str]:
        return [c.codigo, c.nombre, c.ciudad, c.region, str(c.usuarios), str(c.programas),
                estado_text(c.is_active)]

    def action_open(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        self.edit(None)

    def action_edit(self) -> None:
        if self.selected() is not None:
            self.edit(self.selected())

    @service_worker("centros-action")
    async def edit(self, centro: Any) -> None:
        saved = await self.app.push_screen_wait(CentroFormScreen(centro))
        if saved is not None:
            self.app.notify(f"Centro {saved.codigo} guardado.", title="Listo")
            self.load()

    def toggle_text(self, c: Any, active: bool) -> tuple[str, str]:
        return f"{c.codigo} · {c.nombre}", (
            "Volverá a ofrecerse para usuarios y programas nuevos." if active else
            "No se podrán crear usuarios ni programas en él; los existentes no cambian.")

    async def set_active(self, c: Any, active: bool) -> None:
        app = self.app
        await centros.set_active(app.pool, app.actor, c.id, active)
