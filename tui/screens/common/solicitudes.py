"""Solicitudes: every solicitud in the user's scope, filtered, paged in SQL, with the total."""

from __future__ import annotations

from typing import Any, cast

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from tui.uikit.errors import report_error
from tui.uikit.formatting import fecha, literal
from tui.screens.coordinacion import solicitud_actions as sa
from tui.screens.common.base import MainScreen
from tui.screens.common.list_filters import ListFilters, ListFiltersScreen
from tui.services import solicitudes
from tui.services.numbering import codigo_sort_key
from tui.services.solicitudes import ESTADO_LABEL, ESTADOS, Filtros
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table

PAGE = 50


class SolicitudesScreen(sa.SolicitudActions, MainScreen):
    """Solicitudes."""

    HELP = ("Todas las solicitudes de su alcance. Filtre por estado (f) y año, busque por "
            "código, programa, empresa o ficha (/); m abre más filtros: programa, instructor, "
            "centro y rango de fechas de solicitud; Ctrl+E exporta la lista filtrada. Avance de "
            "página con AvPág/RePág. Las "
            "acciones disponibles dependen del estado de la solicitud seleccionada.")
    BINDINGS = [
        Binding("slash", "search", "Buscar", id="list-search"),
        Binding("f", "filter_estado", "Estado", id="list-filter-estado"),
        Binding("m", "more_filters", "Filtros", id="list-more-filters"),
        Binding("n", "new", "Nueva", id="list-new"),
        Binding("r", "reload", "Recargar", id="list-reload", show=False),
        # priority: the focused table would take PgDn/PgUp to scroll its (single) page
        Binding("pagedown,ctrl+f", "next_page", "Pág. sig.", id="list-next-page",
                priority=True),
        Binding("pageup,ctrl+u", "prev_page", "Pág. ant.", id="list-prev-page",
                priority=True),
        Binding("j", "cursor_down", "Abajo", id="list-down", show=False),
        Binding("k", "cursor_up", "Arriba", id="list-up", show=False),
        Binding("g", "top", "Primera", id="list-top", show=False),
        Binding("G", "bottom", "Última", id="list-bottom", show=False),
        Binding("o", "sort", "Ordenar", id="list-sort", show=False),
        Binding("ctrl+e", "export_list", "Exportar", id="list-export", show=False),
        *sa.BINDINGS,
    ]
    SORTS = (("createdAt", "más recientes"), ("codigo", "código"), ("estado", "estado"),
             ("programa_nombre", "programa"), ("nombreEmpresa", "empresa"))

    def __init__(self, estado: str | None = None) -> None:
        super().__init__()
        self.filtros = Filtros(estado=estado)
        self.cursors: list[str | None] = [None]
        self.rows: list[dict[str, Any]] = []
        self.total = 0
        self.sort_index = 0
        self._debounce: Timer | None = None
        self.labels: dict[str, str] = {}
        """Names shown for the ids chosen in «Más filtros»."""

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="list-filters"):
            yield Select([(ESTADO_LABEL[e], e) for e in ESTADOS], prompt="Estado: todos",
                         id="filter-estado", value=self.filtros.estado or Select.NULL,
                         compact=True)
            yield Select([], prompt="Año: todos", id="filter-year", compact=True)
            yield Input(placeholder="/ buscar código, programa, empresa, ficha",
                        id="filter-text", compact=True)
        yield Static("", id="list-active", markup=False)
        yield Table(id="list-table", cursor_type="row", follow=self._highlighted)
        yield RowDetail(id="list-row-detail")
        yield Static("", id="list-status")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#list-table", DataTable)
        table.add_columns("Código", "Estado", "Programa", "Empresa", "Instructor", "Fecha",
                          "Ficha")
        table.focus()
        # the table's width changes with the terminal and the sidebar: what it hides too

        def sidebar_toggled(_show: bool) -> None:
            self.call_after_refresh(self._show_row_detail)

        self.watch(self.app, "show_notifications", sidebar_toggled, init=False)
        self._show_active()
        self.load_years()
        self.load()

    # ---- data ------------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load()

    @work(exclusive=True, group="years")
    async def load_years(self) -> None:
        app: Any = self.app
        try:
            years = await solicitudes.years(app.pool, app.actor)
        except Exception as exc:  # noqa: BLE001
            report_error(app, exc)
            return
        self.query_one("#filter-year", Select).set_options((str(y), y) for y in years)

    @work(exclusive=True, group="list")
    async def load(self) -> None:
        app: Any = self.app
        self.query_one("#list-status", Static).update("Cargando…")
        try:
            page = await solicitudes.list_page(app.pool, app.actor, self.filtros,
                                               self.cursors[-1], PAGE)
        except Exception as exc:  # noqa: BLE001
            report_error(app, exc)
            self.query_one("#list-status", Static).update("No se pudo cargar la lista.")
            return
        self.rows, self.total = page.rows, page.total
        self.total_text = f"{page.total}" if page.exact else (
            f"≈ {page.total:,}" if page.extra.get("estimado")
            else f"más de {page.total:,}").replace(",", " ")
        self.next_cursor = page.next_cursor
        self._fill()

    def _fill(self) -> None:
        key = self.SORTS[self.sort_index][0]
        if key == "createdAt":
            rows = self.rows
        elif key == "codigo":  # SOL-2026-1000 after SOL-2026-999
            rows = sorted(self.rows, key=lambda r: codigo_sort_key(r["codigo"]))
        else:
            rows = sorted(self.rows, key=lambda r: str(r.get(key) or ""))
        table = self.query_one("#list-table", DataTable)
        selected = self._selected_id()
        table.clear()
        for r in rows:
            table.add_row(*self._cells(r), key=r["id"])
        if selected:
            try:
                table.move_cursor(row=table.get_row_index(selected))
            except Exception:  # noqa: BLE001 - the row left the page
                pass
        start = (len(self.cursors) - 1) * PAGE
        shown = f"{start + 1}–{start + len(rows)}" if rows else "0"
        # Only the default order comes from SQL over the whole filtered list; `o` sorts the
        # rows of this page, and the status line says so.
        order = "orden: más recientes" if self.sort_index == 0 else \
            f"ordenada por {self.SORTS[self.sort_index][1]}: esta página"
        self.query_one("#list-status", Static).update(
            f"Mostrando {shown} de {getattr(self, 'total_text', self.total)} · {order} · "
            f"página {len(self.cursors)}")
        self.call_after_refresh(self._show_row_detail)  # once the columns are measured
        self.refresh_bindings()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_row_detail)

    @staticmethod
    def _cells(r: dict[str, Any]) -> list[Any]:
        return [literal(r["codigo"]), ESTADO_LABEL[r["estado"]], literal(r["programa_nombre"]),
                literal(r["nombreEmpresa"]), literal(r["instructor_nombre"]),
                fecha(r["fechaSolicitud"], local=True), literal(r["numeroFicha"])]

    def _show_row_detail(self) -> None:
        """Under the table: the selected row's columns out of sight at this width."""
        sid = self._selected_id()
        row = next((r for r in self.rows if r["id"] == sid), None)
        self.query_one(RowDetail).show_row(
            self.query_one("#list-table", DataTable),
            None if row is None else [str(c) for c in self._cells(row)])

    def _selected_id(self) -> str | None:
        table = self.query_one("#list-table", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001
            return None

    def selected_target(self) -> sa.Target | None:
        sid = self._selected_id()
        row = next((r for r in self.rows if r["id"] == sid), None)
        if row is None:
            return None
        owner = self.app.actor.id if self.app.actor.role == "INSTRUCTOR" else row.get(
            "instructorId")
        return sa.Target(row["id"], row["codigo"], row["estado"], owner, row["numeroFicha"])

    def after_action(self, solicitud_id: str | None) -> None:
        self.load()

    # ---- filters -----------------------------------------------------------------------------
    def _set_filters(self, **changes: Any) -> None:
        data = {**self.filtros.__dict__, **changes}
        self.filtros = Filtros(**data)
        self.cursors = [None]
        self.load()

    def _show_active(self) -> None:
        summary = ListFilters(self.filtros, self.labels).summary()
        active = self.query_one("#list-active", Static)
        active.update(f"Filtros: {summary}" if summary else "")
        active.display = bool(summary)

    @on(Select.Changed, "#filter-estado")
    def _estado(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if value != self.filtros.estado:
            self._set_filters(estado=value)

    @on(Select.Changed, "#filter-year")
    def _year(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else int(cast("int | str", event.value))
        if value != self.filtros.year:
            self._set_filters(year=value)

    @on(Input.Changed, "#filter-text")
    def _text(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value
        self._debounce = self.set_timer(0.3, lambda: self._set_filters(texto=text or None))

    @on(Input.Submitted, "#filter-text")
    def _text_done(self) -> None:
        self.query_one("#list-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#list-table")
    def _highlighted(self) -> None:
        self._show_row_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#list-table")
    def _selected(self) -> None:
        self.action_sol_view()

    # ---- keys --------------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one("#filter-text", Input).focus()

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
            self._set_filters(**{k: getattr(result.filtros, k) for k in (
                "programa_id", "instructor_id", "centro_id", "desde", "hasta")})
            self._show_active()
        self.app.push_screen(ListFiltersScreen(ListFilters(self.filtros, self.labels),
                                               self.app.actor.role), chosen)

    def action_new(self) -> None:
        self.app.action_new_solicitud()

    def action_reload(self) -> None:
        self.load()

    def action_export_list(self) -> None:
        from tui.screens.common.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog.for_list(self.filtros, self.total))

    def action_next_page(self) -> None:
        if getattr(self, "next_cursor", None):
            self.cursors.append(self.next_cursor)
            self.load()

    def action_prev_page(self) -> None:
        if len(self.cursors) > 1:
            self.cursors.pop()
            self.load()

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(self.SORTS)
        self._fill()

    def action_cursor_down(self) -> None:
        self.query_one("#list-table", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#list-table", DataTable).action_cursor_up()

    def action_top(self) -> None:
        self.query_one("#list-table", DataTable).move_cursor(row=0)

    def action_bottom(self) -> None:
        table = self.query_one("#list-table", DataTable)
        table.move_cursor(row=max(0, table.row_count - 1))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new":
            return getattr(self.app, "session", None) is not None and \
                self.app.actor.role == "INSTRUCTOR"
        return super().check_action(action, parameters)
