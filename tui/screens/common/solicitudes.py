"""Solicitudes: every solicitud in the user's scope, filtered, paged in SQL, with the total."""

from __future__ import annotations

from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from tui.screens.common.list_filters import ListFilters, ListFiltersScreen
from tui.screens.common.list_screen import PAGE, Column, ListScreen
from tui.screens.coordinacion import solicitud_actions as sa
from tui.services import solicitudes
from tui.services.common import Page
from tui.services.solicitudes import ESTADO_LABEL, ESTADOS, ORDEN_BUSQUEDA, ORDENES, Filtros
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import fecha, literal
from tui.uikit.workers import service_worker
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table


class SolicitudesScreen(sa.SolicitudActions, ListScreen):
    """Solicitudes."""

    app: ShellApp  # as its bases say (one definition for the type checker)

    HELP = keymap.HELP["SolicitudesScreen"]
    BINDINGS = keymap.BINDINGS["SolicitudesScreen"]
    ORDERS = ORDENES

    TABLE_ID, SEARCH_ID, STATUS_ID = "list-table", "filter-text", "list-status"

    def __init__(self, estado: str | None = None) -> None:
        super().__init__()
        self.filters = dict(Filtros(estado=estado, orden=self.filters["orden"]).__dict__)
        self.labels: dict[str, str] = {}
        """Names shown for the ids chosen in «Más filtros»."""

    @property
    def filtros(self) -> Filtros:
        return Filtros(**self.filters)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="list-filters"):
            yield Select([(ESTADO_LABEL[e], e) for e in ESTADOS], prompt="Estado: todos",
                         id="filter-estado", value=self.filtros.estado or Select.NULL,
                         compact=True)
            yield Select([], prompt="Año: todos", id="filter-year", compact=True)
            yield Input(placeholder="/ buscar código, programa, empresa, ficha",
                        id="filter-text", compact=True)
        yield Static("", id="list-active", markup=False)
        yield Table(id="list-table", cursor_type="row", follow=self.follow_row)
        yield RowDetail(id="list-row-detail")
        yield Static("", id="list-status")

    def on_mount(self) -> None:
        self._show_active()
        self.load_years()
        self.load()

    # ---- data ------------------------------------------------------------------------------------
    @service_worker("years")
    async def load_years(self) -> None:
        app = self.app
        years = await solicitudes.years(app.pool, app.actor)
        self.query_one("#filter-year", Select).set_options((str(y), y) for y in years)

    async def fetch(self, cursor: str | None) -> Page[Any]:
        app = self.app
        return await solicitudes.list_page(app.pool, app.actor, self.filtros, cursor, PAGE)

    def columns(self) -> list[Column]:
        return [(label, None) for label in ("Código", "Estado", "Programa", "Empresa",
                                            "Instructor", "Fecha", "Ficha")]

    def status_text(self) -> str:
        page = self.page
        assert page is not None
        total = f"{page.total}" if page.exact else (
            f"≈ {page.total:,}" if page.extra.get("estimado")
            else f"más de {page.total:,}").replace(",", " ")
        # the order of the whole filtered list (SQL); a search keeps its ranking
        order = f"Orden: {ORDEN_BUSQUEDA}" if self.filtros.texto else self.order_text()
        return f"Mostrando {self.shown_range()} de {total} · {order} · página {len(self.cursors)}"

    def table_cells(self, r: dict[str, Any]) -> list[Any]:
        return [literal(r["codigo"]), ESTADO_LABEL[r["estado"]], literal(r["programa_nombre"]),
                literal(r["nombreEmpresa"]), literal(r["instructor_nombre"]),
                fecha(r["fechaSolicitud"], local=True), literal(r["numeroFicha"])]

    def selected_target(self) -> sa.Target | None:
        row = self.selected()
        if row is None:
            return None
        owner = self.app.actor.id if self.app.actor.role == "INSTRUCTOR" else row.get(
            "instructorId")
        return sa.Target(row["id"], row["codigo"], row["estado"], owner, row["numeroFicha"])

    def after_action(self, solicitud_id: str | None) -> None:
        self.load()  # (the mixin's does nothing)

    # ---- filters -----------------------------------------------------------------------------
    def _show_active(self) -> None:
        summary = ListFilters(self.filtros, self.labels).summary()
        active = self.query_one("#list-active", Static)
        active.update(f"Filtros: {summary}" if summary else "")
        active.display = bool(summary)

    @on(Select.Changed, "#filter-estado")
    def _estado(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if value != self.filtros.estado:
            self.set_filter(estado=value)

    @on(Select.Changed, "#filter-year")
    def _year(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else int(cast("int | str", event.value))
        if value != self.filtros.year:
            self.set_filter(year=value)

    # ---- keys --------------------------------------------------------------------------------
    def action_open(self) -> None:
        self.action_sol_view()

    def action_filter_estado(self) -> None:
        select = self.query_one("#filter-estado", Select)
        select.focus()
        select.action_show_overlay()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [("Más filtros", "Programa, instructor, centro y fechas de solicitud",
                 self.action_more_filters),
                ("Exportar lista", "La lista filtrada en CSV, XLSX o un resumen PDF (Ctrl+E)",
                 self.action_export_list),
                *super().palette_commands()]

    def action_more_filters(self) -> None:
        def chosen(result: ListFilters | None) -> None:
            if result is None:
                return
            self.labels = result.labels
            self.set_filter(**{k: getattr(result.filtros, k) for k in (
                "programa_id", "instructor_id", "centro_id", "desde", "hasta")})
            self._show_active()
        self.app.push_screen(ListFiltersScreen(ListFilters(self.filtros, self.labels),
                                               self.app.actor.role), chosen)

    def action_new(self) -> None:
        self.app.action_new_solicitud()

    def export_dialog(self) -> Any:
        from tui.screens.common.export_dialog import ExportDialog

        return ExportDialog.for_list(self.filtros, self.total)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return getattr(self.app, "session", None) is not None and \
                self.app.actor.role == "INSTRUCTOR"
        return super().check_action(action, parameters)
