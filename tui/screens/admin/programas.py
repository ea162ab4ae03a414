"""Programas: coordinators manage their centro's, admins every centro's (with a filter)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Select

from tui.screens.admin.admin_list import (
    AdminListScreen,
    activo_select,
    centro_options,
    estado_text,
)
from tui.screens.admin.programa_form import ProgramaFormScreen
from tui.services import programas
from tui.services.common import Page
from tui.services.labels import enum_label
from tui.uikit import keymap
from tui.uikit.formatting import plural
from tui.uikit.workers import service_worker

TIPO_SHORT = {"COMPLEMENTARIA": "Complem.", "TRANSVERSAL": "Transv.", "ESPECIFICA": "Específ.",
              "VIRTUAL": "Virtual"}
MODALIDAD_SHORT = {"DESESCOLARIZADA": "Desescol."}


class ProgramasScreen(AdminListScreen):
    """Programas de formación."""

    HELP = keymap.HELP["ProgramasScreen"]
    PREFIX = "programas"
    NOUN = ("programa", "programas")
    BINDINGS = keymap.BINDINGS["ProgramasScreen"]

    def __init__(self) -> None:
        super().__init__()
        self.is_admin = False

    def compose_body(self) -> ComposeResult:
        app = self.app
        self.is_admin = app.actor.role == "ADMIN"
        middle = (("Centro", 6, False),) if self.is_admin else (("Cupo", 4, False),)
        self.COLUMNS = (("Código", 11, False), ("Nombre", 15 if self.is_admin else 17, True),
                        ("Tipo", 8, False), ("Modalidad", 10, False), ("Horas", 5, False),
                        *middle, ("Estado", 8, False))
        yield from super().compose_body()

    def heading(self) -> str:
        actor: Any = self.app.actor
        if self.is_admin:
            return "Programas de formación de todos los centros"
        return f"Programas de {actor.centro_codigo} · {actor.centro_nombre}"

    def compose_filters(self) -> ComposeResult:
        if self.is_admin:
            yield Select([], prompt="Centro: todos", id="programas-centro", compact=True,
                         classes="admin-centros")
        yield activo_select("programas")

    ORDERS = programas.ORDENES
    EXPORT_NAME = "programas"

    def service(self) -> Callable[..., Awaitable[Page[Any]]]:
        return programas.list_programas

    def export_columns(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        middle: tuple[str, Callable[[Any], Any]] = \
            ("Centro", lambda p: p.centro_codigo) if self.is_admin else \
            ("Cupo", lambda p: p.cupo_aprendices)
        return (("Código", lambda p: p.codigo), ("Nombre", lambda p: p.nombre),
                ("Tipo", lambda p: enum_label(p.tipo_formacion)),
                ("Modalidad", lambda p: enum_label(p.modalidad)),
                ("Horas", lambda p: p.duracion_horas), middle,
                ("Estado", lambda p: estado_text(p.is_active)))

    def cells(self, p: Any) -> list[str]:
        middle = p.centro_codigo if self.is_admin else str(p.cupo_aprendices)
        return [p.codigo, p.nombre, TIPO_SHORT.get(p.tipo_formacion, p.tipo_formacion),
                MODALIDAD_SHORT.get(p.modalidad, p.modalidad.title()), f"{p.duracion_horas} h",
                middle, estado_text(p.is_active)]

    ROW_ACTIONS = ("edit", "contenido", "deactivate", "reactivate")

    # ---- actions -------------------------------------------------------------------------------
    def action_open(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        self.edit(None, False)

    def action_edit(self) -> None:
        if self.selected() is not None:
            self.edit(self.selected().id, False)

    def action_contenido(self) -> None:
        if self.selected() is not None:
            self.edit(self.selected().id, True)

    @service_worker("programas-action")
    async def edit(self, programa_id: str | None, contenido: bool) -> None:
        app = self.app
        current = None if programa_id is None else \
            await programas.get_programa(app.pool, app.actor, programa_id)
        options = await centro_options(app, active_only=True) if self.is_admin else []
        saved = await app.push_screen_wait(
            ProgramaFormScreen(current, self.is_admin, options, contenido=contenido))
        if saved is not None:
            p = saved.programa
            app.notify(f"Programa {p.codigo} guardado: "
                       f"{plural(len(saved.objetivos), 'objetivo')}, "
                       f"{plural(len(saved.competencias), 'competencia')}, "
                       f"{plural(len(saved.resultados), 'resultado')}.", title="Listo")
            self.load()

    def toggle_text(self, p: Any, active: bool) -> tuple[str, str]:
        return f"{p.codigo} · {p.nombre}", (
            "Los instructores podrán volver a elegirlo en sus solicitudes." if active else
            "No se podrán crear solicitudes nuevas con él; las existentes no cambian.")

    async def set_active(self, p: Any, active: bool) -> None:
        app = self.app
        await programas.set_active(app.pool, app.actor, p.id, active)
