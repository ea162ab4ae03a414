"""Cola de revisión: PENDIENTE and EN_REVISION of the coordinator's centro, oldest first."""

from __future__ import annotations

from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from tui.uikit.errors import report_error
from tui.uikit.formatting import literal, short
from tui.screens.coordinacion import solicitud_actions as sa
from tui.screens.common.base import MainScreen
from tui.services import reports, solicitudes
from tui.services.centros import list_centros
from tui.services.common import Page
from tui.services.solicitudes import ESTADO_LABEL
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table

PAGE = 50
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


class ReviewQueueScreen(sa.SolicitudActions, MainScreen):
    """Cola de revisión."""

    HELP = ("Solicitudes por revisar (pendientes y en revisión), las más antiguas primero; "
            "Días es el tiempo desde el envío y más de 7 se marca urgente. Busque con /, "
            "avance de página con AvPág/RePág. t toma en revisión, a aprueba, x rechaza, "
            "v devuelve al instructor, Enter abre el detalle.")
    BINDINGS = [
        *sa.BINDINGS,  # first: the review keys are what the footer must show at 80 columns
        Binding("slash", "search", "Buscar", id="queue-search"),
        Binding("f", "filter_centro", "Centro", id="queue-filter-centro"),
        Binding("r", "reload", "Recargar", id="queue-reload", show=False),
        # priority: the focused table would otherwise take PgDn/PgUp to scroll itself
        Binding("pagedown,ctrl+f", "page(1)", "Pág. sig.", id="queue-next-page",
                show=False, priority=True),
        Binding("pageup,ctrl+u", "page(-1)", "Pág. ant.", id="queue-prev-page", show=False,
                priority=True),
        Binding("j", "move(1)", "Abajo", id="queue-down", show=False),
        Binding("k", "move(-1)", "Arriba", id="queue-up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.texto: str | None = None
        self.centro_id: str | None = None
        self.cursors: list[str | None] = [None]
        self.next_cursor: str | None = None
        self.rows: list[dict[str, Any]] = []
        self.targets: dict[str, sa.Target] = {}
        self.total = 0
        self.urgentes = 0
        self._debounce: Timer | None = None

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
        yield Table(id="queue-table", cursor_type="row", follow=self._highlighted)
        yield RowDetail(id="queue-row-detail")
        yield Static("Cargando…", id="queue-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#queue-table", DataTable).focus()
        self._fill(loaded=False)  # the column headers while the first page loads
        # the sidebar changes the table's width: lay the columns out again once it has

        def sidebar_toggled(_show: bool) -> None:
            self.call_after_refresh(self._relayout)

        self.watch(self.app, "show_notifications", sidebar_toggled, init=False)
        if self.is_admin:
            self.load_centros()
        self.load()

    # ---- data ------------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load()

    @work(exclusive=True, group="queue-centros")
    async def load_centros(self) -> None:
        app: Any = self.app
        try:
            centros = (await list_centros(app.pool, app.actor, limit=200)).rows
        except Exception as exc:  # noqa: BLE001
            report_error(app, exc)
            return
        self.query_one("#queue-centro", Select).set_options(
            (literal(short(f"{c.codigo} · {c.nombre}", 26)), c.id) for c in centros)

    @work(exclusive=True, group="queue")
    async def load(self) -> None:
        app: Any = self.app
        try:
            page = await self._fetch()
            while not page.rows and len(self.cursors) > 1:  # the rows of a page all left
                self.cursors.pop()
                page = await self._fetch()
            urgentes = await reports.queue_urgentes(app.pool, app.actor, self.texto,
                                                    self.centro_id)
        except Exception as exc:  # noqa: BLE001
            report_error(app, exc)
            self.query_one("#queue-status", Static).update("No se pudo cargar la cola.")
            return
        self.rows, self.total, self.next_cursor = page.rows, page.total, page.next_cursor
        self.targets = {r["id"]: sa.Target(r["id"], r["codigo"], r["estado"], r["instructorId"],
                                           r["numeroFicha"]) for r in page.rows}
        self.urgentes = urgentes
        self._fill()

    async def _fetch(self) -> Page[dict[str, Any]]:
        app: Any = self.app
        return await solicitudes.review_queue(app.pool, app.actor, self.texto, self.centro_id,
                                              self.cursors[-1], PAGE)

    def _widths(self) -> tuple[int, ...]:
        """Fixed widths for Código, Estado and Días; Programa, Instructor and Empresa share
        the rest of the table's width (so nothing scrolls sideways at 80 columns)."""
        width = self.query_one("#queue-table", DataTable).size.width or self.app.size.width
        free = max(30, width - sum(FIXED) - SPARE)
        programa = free * 2 // 5
        instructor = (free - programa) // 2
        return (*FIXED, programa, instructor, free - programa - instructor)

    def _fill(self, loaded: bool = True) -> None:
        table = self.query_one("#queue-table", DataTable)
        selected = self._selected_id()
        widths = self._widths()
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        w_prog, w_inst, w_emp = widths[3:]
        for r in self.rows:
            table.add_row(literal(r["codigo"]), ESTADO_LABEL[r["estado"]],
                          edad(float(r["dias"])), literal(short(r["programa_nombre"], w_prog)),
                          literal(nombre_corto(r["instructor_nombre"], w_inst)),
                          literal(short(r["nombreEmpresa"] or "—", w_emp)), key=r["id"])
        if selected:
            try:
                table.move_cursor(row=table.get_row_index(selected))
            except Exception:  # noqa: BLE001 - the row left the queue
                pass
        if loaded:
            self.query_one("#queue-status", Static).update(self._status())
        self.call_after_refresh(self._show_row_detail)
        self.refresh_bindings()

    def _show_row_detail(self) -> None:
        """Under the table: the selected row's values cut to fit the columns, in full."""
        sid = self._selected_id()
        r = next((r for r in self.rows if r["id"] == sid), None)
        self.query_one(RowDetail).show_row(
            self.query_one("#queue-table", DataTable), None if r is None else
            [r["codigo"], ESTADO_LABEL[r["estado"]], str(edad(float(r["dias"]))),
             r["programa_nombre"], r["instructor_nombre"], r["nombreEmpresa"] or "—"])

    def _status(self) -> str:
        if not self.total:
            return "Nada por revisar" + (" con esa búsqueda." if self.texto else ".")
        status = f"{self.total} por revisar · {self.urgentes} " + \
            ("urgente" if self.urgentes == 1 else "urgentes")
        pages = len(self.cursors)
        if self.rows and (pages > 1 or self.next_cursor):
            start = (pages - 1) * PAGE
            keys = "/".join(k for k, on in (("AvPág", self.next_cursor), ("RePág", pages > 1))
                            if on)
            status += f" · {start + 1}–{start + len(self.rows)} · página {pages} ({keys})"
        return status

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        self._fill(loaded=bool(self.rows))

    def _selected_id(self) -> str | None:
        table = self.query_one("#queue-table", DataTable)
        row = table.cursor_row
        return table.ordered_rows[row].key.value if 0 <= row < table.row_count else None

    def selected_target(self) -> sa.Target | None:
        return self.targets.get(self._selected_id() or "")

    def after_action(self, solicitud_id: str | None) -> None:
        self.load()

    # ---- filters -----------------------------------------------------------------------------
    def _restart(self) -> None:
        self.cursors = [None]
        self.load()

    @on(Select.Changed, "#queue-centro")
    def _centro(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if value != self.centro_id:
            self.centro_id = value
            self._restart()
            self.query_one("#queue-table", DataTable).focus()

    @on(Input.Changed, "#queue-text")
    def _text(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.3, lambda: self._search(event.value))

    def _search(self, text: str) -> None:
        if (text.strip() or None) != self.texto:
            self.texto = text.strip() or None
            self._restart()

    @on(Input.Submitted, "#queue-text")
    def _text_done(self) -> None:
        self.query_one("#queue-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#queue-table")
    def _highlighted(self) -> None:
        self._show_row_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#queue-table")
    def _selected(self) -> None:
        self.action_sol_view()

    # ---- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_centro":
            return self.is_admin
        if action == "page":  # an open centro list keeps its own PgDn/PgUp
            return not any(isinstance(w, Select) for w in
                           (self.focused, *(self.focused.ancestors if self.focused else ())))
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        self.query_one("#queue-text", Input).focus()

    def action_filter_centro(self) -> None:
        select = self.query_one("#queue-centro", Select)
        select.focus()
        select.action_show_overlay()

    def action_reload(self) -> None:
        self.load()

    def action_page(self, step: int) -> None:
        """Keyset paging: forward to the cursor after this page, back to the one before."""
        if step > 0 and self.next_cursor:
            self.cursors.append(self.next_cursor)
        elif step < 0 and len(self.cursors) > 1:
            self.cursors.pop()
        else:
            return
        self.load()

    def action_move(self, step: int) -> None:
        table = self.query_one("#queue-table", DataTable)
        table.move_cursor(row=max(0, table.cursor_row + step))
