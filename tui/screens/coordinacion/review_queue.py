"""Cola de revisión: PENDIENTE and EN_REVISION of the coordinator's centro, oldest first
(or newest first: `o`)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from tui.screens.admin.admin_list import centro_options
from tui.screens.common.list_screen import PAGE, Column, ListScreen
from tui.screens.coordinacion import solicitud_actions as sa
from tui.services import reports, solicitudes
from tui.services.common import Page
from tui.services.exports import ListView
from tui.services.solicitudes import ESTADO_LABEL
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import literal, short
from tui.uikit.workers import service_worker
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table

COLUMNS = ("Código", "Estado", "Días", "Programa", "Instructor", "Empresa")
FIXED = (12, 11, 10)  # Código, Estado and Días ("19 urgente")
SPARE = 2 * len(COLUMNS) + 2  # cell padding and the vertical scrollbar


def nombre_corto(name: str, width: int) -> str:
    """A person's name in `width`: whole, or "Carlos R." (first name, initial), or cut."""
    if len(name) <= width:
        return name
    words = name.split()
    if len(words) > 1 and len(words[0]) + 3 <= width:
        return f"{words[0]} {words[1][0]}."
    return short(name, width)


def edad(dias: float) -> Content:
    """The age in whole days; more than URGENTE_DIAS is marked "urgente"."""
    n = int(dias)
    if dias > reports.URGENTE_DIAS:
        return Content.assemble(f"{n} ", ("urgente", "bold $warning"))
    return Content("hoy" if n == 0 else str(n))


class ReviewQueueScreen(sa.SolicitudActions, ListScreen):
    """Cola de revisión."""

    app: ShellApp  # as its bases say (one definition for the type checker)

    HELP = keymap.HELP["ReviewQueueScreen"]
    BINDINGS = keymap.BINDINGS["ReviewQueueScreen"]
    TABLE_ID, SEARCH_ID, STATUS_ID = "queue-table", "queue-text", "queue-status"
    LOADING = None
    FAILED = "No se pudo cargar la cola."
    ORDERS = solicitudes.ORDENES_COLA
    NOUN = ("solicitud", "solicitudes")

    def __init__(self) -> None:
        super().__init__()
        self.filters.update(texto=None, centro_id=None)
        self.urgentes = 0

    @property
    def is_admin(self) -> bool:
        session = getattr(self.app, "session", None)
        return session is not None and session.actor.role == "ADMIN"

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="queue-filters"):
            if self.is_admin:
                yield Select([], prompt="Centro: todos", id="queue-centro", compact=True)
            yield Input(placeholder="/ buscar código, programa, empresa, instructor",
                        id="queue-text", compact=True)
        yield Table(id="queue-table", cursor_type="row", follow=self.follow_row)
        yield RowDetail(id="queue-row-detail")
        yield Static("Cargando…", id="queue-status", markup=False)

    def on_mount(self) -> None:
        if self.is_admin:
            self.load_centros()
        self.load()

    # ---- data ------------------------------------------------------------------------------------
    @service_worker("queue-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        options = await centro_options(self.app)
        self.centro_labels = {value: label for label, value in options}
        self.query_one("#queue-centro", Select).set_options(
            (literal(short(label, 26)), value) for label, value in options)

    async def fetch(self, cursor: str | None) -> Page[dict[str, Any]]:
        app = self.app
        return await solicitudes.review_queue(app.pool, app.actor, cursor=cursor, limit=PAGE,
                                              **self.filters)

    async def fetched(self, page: Page[Any]) -> None:
        app = self.app
        self.urgentes = await reports.queue_urgentes(app.pool, app.actor, self.filters["texto"],
                                                     self.filters["centro_id"])

    def columns(self) -> list[Column]:
        """Fixed widths for Código, Estado and Días; Programa, Instructor and Empresa share
        the rest of the table's width (so nothing scrolls sideways at 80 columns)."""
        width = self.query_one("#queue-table", DataTable).size.width or self.app.size.width
        free = max(30, width - sum(FIXED) - SPARE)
        programa = free * 2 // 5
        instructor = (free - programa) // 2
        return list(zip(COLUMNS, (*FIXED, programa, instructor, free - programa - instructor),
                        strict=True))

    def table_cells(self, r: dict[str, Any]) -> list[Any]:
        w_prog, w_inst, w_emp = (w or 0 for _label, w in self._columns[3:])
        return [literal(r["codigo"]), ESTADO_LABEL[r["estado"]], edad(float(r["dias"])),
                literal(short(r["programa_nombre"], w_prog)),
                literal(nombre_corto(r["instructor_nombre"], w_inst)),
                literal(short(r["nombreEmpresa"] or "—", w_emp))]

    def full_values(self, r: dict[str, Any]) -> list[str]:
        return [r["codigo"], ESTADO_LABEL[r["estado"]], str(edad(float(r["dias"]))),
                r["programa_nombre"], r["instructor_nombre"], r["nombreEmpresa"] or "—"]

    def status_text(self) -> str:
        if not self.total:
            return "Nada por revisar" + (" con esa búsqueda." if self.filters["texto"] else ".")
        status = f"{self.total} por revisar · {self.urgentes} " + \
            ("urgente" if self.urgentes == 1 else "urgentes") + f" · {self.order_text()}"
        pages = len(self.cursors)
        if self.rows and (pages > 1 or self.next_cursor):
            keys = "/".join(k for k, on in (("AvPág", self.next_cursor), ("RePág", pages > 1))
                            if on)
            status += f" · {self.shown_range()} · página {pages} ({keys})"
        return status

    def selected_target(self) -> sa.Target | None:
        r = self.selected()
        return None if r is None else sa.Target(r["id"], r["codigo"], r["estado"],
                                                r["instructorId"], r["numeroFicha"])

    def after_action(self, solicitud_id: str | None) -> None:
        self.load()  # (the mixin's does nothing)

    # ---- filters -----------------------------------------------------------------------------
    @on(Select.Changed, "#queue-centro")
    def _centro(self, event: Select.Changed) -> None:
        self.set_filter(centro_id=None if event.value is Select.NULL else str(event.value))
        self.table.focus()

    def action_open(self) -> None:
        self.action_sol_view()

    def export_view(self) -> ListView:
        return ListView("cola-revision", "Cola de revisión", (
            ("Código", lambda r: r["codigo"]), ("Estado", lambda r: ESTADO_LABEL[r["estado"]]),
            ("Días", lambda r: int(r["dias"])), ("Programa", lambda r: r["programa_nombre"]),
            ("Instructor", lambda r: r["instructor_nombre"]),
            ("Empresa", lambda r: r["nombreEmpresa"] or "")),
            solicitudes.review_queue, dict(self.filters), self.filters_text())

    # ---- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_centro":
            return self.is_admin
        if action in ("next_page", "prev_page"):  # an open centro list keeps its PgDn/PgUp
            return not any(isinstance(w, Select) for w in
                           (self.focused, *(self.focused.ancestors if self.focused else ())))
        return super().check_action(action, parameters)

    def action_filter_centro(self) -> None:
        select = self.query_one("#queue-centro", Select)
        select.focus()
        select.action_show_overlay()
