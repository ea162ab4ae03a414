"""The list frame every admin list screen shares.

`AdminListScreen` is the common half of Usuarios, Centros and Programas: a DataTable paged in
SQL (keyset) with the exact total, a debounced search box, filters, page keys and j/k/g/G.
Each screen supplies its columns, its fetch and its actions.
"""

from __future__ import annotations

from typing import Any

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from tui.uikit.errors import report_error
from tui.uikit.formatting import literal, short
from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.services import centros
from tui.services.common import Page
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table

PAGE = 50


def list_bindings(prefix: str) -> list[Binding]:
    """The list keys, with ids under the screen's prefix (remappable per screen)."""
    return [
        Binding("escape", "back", "Volver", id=f"{prefix}-back", show=False),
        Binding("slash", "search", "Buscar", id=f"{prefix}-search", show=False),
        Binding("f5", "reload", "Recargar", id=f"{prefix}-reload", show=False),
        Binding("pagedown", "next_page", "Pág. sig.", id=f"{prefix}-next-page", show=False,
                priority=True),
        Binding("pageup", "prev_page", "Pág. ant.", id=f"{prefix}-prev-page", show=False,
                priority=True),
        Binding("j", "cursor_down", "Abajo", id=f"{prefix}-down", show=False),
        Binding("k", "cursor_up", "Arriba", id=f"{prefix}-up", show=False),
        Binding("g", "top", "Primera fila", id=f"{prefix}-top", show=False),
        Binding("G", "bottom", "Última fila", id=f"{prefix}-bottom", show=False),
    ]


def activo_select(prefix: str) -> Select[str]:
    """The Activos / Inactivos / todos filter."""
    return Select([("Activos", "1"), ("Inactivos", "0")], prompt="Estado: todos",
                  id=f"{prefix}-activo", classes="admin-activo", compact=True)


def estado_text(active: bool) -> str:
    return "Activo" if active else "Inactivo"


async def centro_options(app: Any, active_only: bool = False) -> list[tuple[str, str]]:
    """(label, id) of every centro the user may see, for the Selects (all pages)."""
    out: list[tuple[str, str]] = []
    cursor: str | None = None
    while True:
        page = await centros.list_centros(app.pool, app.actor, activo=True if active_only
                                          else None, cursor=cursor, limit=200)
        out += [(f"{c.codigo} · {c.nombre}", c.id) for c in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            return out


async def load_centro_options(app: Any, active_only: bool = False
                              ) -> list[tuple[str, str]] | None:
    """`centro_options` for a screen's worker: a failure is shown to the user (the screen stays
    usable without the centros) and gives None."""
    try:
        return await centro_options(app, active_only)
    except Exception as exc:  # noqa: BLE001 - shown
        report_error(app, exc)
        return None


class AdminListScreen(MainScreen):
    """Lista."""

    PREFIX = "admin"
    NOUN = ("elemento", "elementos")
    # (label, width, flexible): flexible columns share the extra width of wide terminals
    COLUMNS: tuple[tuple[str, int, bool], ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, Any] = {}
        self.cursors: list[str | None] = [None]
        self.items: list[Any] = []
        self.total = 0
        self.next_cursor: str | None = None
        self._debounce: Timer | None = None
        self._widths: list[int] = []

    # ---- what each screen supplies ---------------------------------------------------------
    def heading(self) -> str:
        return ""

    def compose_filters(self) -> ComposeResult:
        yield from ()

    async def fetch(self, cursor: str | None) -> Page[Any]:
        raise NotImplementedError

    def cells(self, item: Any) -> list[str]:
        raise NotImplementedError

    def action_open(self) -> None:
        """Enter on a row."""

    # ---- frame ---------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        p = self.PREFIX
        yield Static(self.heading(), id=f"{p}-heading", classes="admin-heading", markup=False)
        with Horizontal(id=f"{p}-filters", classes="admin-filters"):
            yield from self.compose_filters()
            yield Input(placeholder="/ buscar", id=f"{p}-search-box",
                        classes="admin-search", compact=True)
        yield Table(id=f"{p}-table", classes="admin-table", cursor_type="row",
                    follow=self._highlighted)
        yield RowDetail(id=f"{p}-row-detail")
        yield Static("", id=f"{p}-status", classes="admin-status", markup=False)

    def on_mount(self) -> None:
        self.table.focus()
        self.load()
        if self.query(".admin-centros"):
            self.load_centros()
        self.watch(self.app, "show_notifications", lambda _show: self._refit(), init=False)

    @work(exclusive=True, group="admin-centros")
    async def load_centros(self) -> None:
        """The options of the centro filter (by código)."""
        options = await load_centro_options(self.app)
        if options is None:
            return
        self.query_one(".admin-centros", Select).set_options(
            (label.split(" · ")[0], value) for label, value in options)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one(f"#{self.PREFIX}-table", DataTable)

    def status(self, text: str) -> None:
        self.query_one(f"#{self.PREFIX}-status", Static).update(text)

    def refresh_data(self) -> None:
        self.load()

    @work(exclusive=True, group="admin-list")
    async def load(self) -> None:
        self.status("Cargando…")
        try:
            page = await self.fetch(self.cursors[-1])
        except Exception as exc:  # noqa: BLE001 - shown once; F5 retries
            report_error(self.app, exc)
            self.status("No se pudo cargar la lista (F5 para reintentar).")
            return
        self.items, self.total, self.next_cursor = page.rows, page.total, page.next_cursor
        self.fill()

    def _column_widths(self) -> list[int]:
        """Fixed widths, the flexible columns grown (or shrunk, down to 8) to fit the body."""
        widths = [w for _l, w, _f in self.COLUMNS]
        flex = [i for i, (_l, _w, f) in enumerate(self.COLUMNS) if f]
        avail = self.size.width or self.app.size.width
        if getattr(self.app, "show_notifications", False):  # the sidebar takes its width
            sidebar = self.query_one("#sidebar").styles.width
            avail -= int(sidebar.value) if sidebar is not None else 0
        extra = avail - sum(widths) - 2 * len(widths) - 2  # cell padding, scrollbar
        for n, i in enumerate(flex):
            share = extra // len(flex) + (1 if n < extra % len(flex) else 0)
            widths[i] = max(8, widths[i] + share)
        return widths

    def fill(self) -> None:
        table = self.table
        widths = self._column_widths()
        selected = self.selected_id()
        if widths != self._widths:
            self._widths = widths
            table.clear(columns=True)
            for (label, _w, _f), width in zip(self.COLUMNS, widths):
                table.add_column(label, width=width)
        else:
            table.clear()
        for item in self.items:
            table.add_row(*(literal(short(c, w)) for c, w in zip(self.cells(item), widths)),
                          key=item.id)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        start = (len(self.cursors) - 1) * PAGE
        shown = f"{start + 1}–{start + len(self.items)}" if self.items else "0"
        more = " · AvPág: siguiente" if self.next_cursor else ""
        self.status(f"Mostrando {shown} de {self.total} {self.NOUN[self.total != 1]} · "
                    f"página {len(self.cursors)}{more}")
        self.call_after_refresh(self.show_row_detail)  # once the columns are laid out
        self.refresh_bindings()

    def show_row_detail(self) -> None:
        """Under the table: the selected row's columns that are cut or out of sight."""
        item = self.selected()
        self.query_one(RowDetail).show_row(
            self.table, None if item is None else
            [str(literal(c)) for c in self.cells(item)])

    def on_resize(self, event: events.Resize) -> None:
        self._refit()

    def _refit(self) -> None:
        """Fit the columns again when the body's width changes (terminal, sidebar)."""
        if self._widths and self._widths != self._column_widths():
            self.fill()

    def selected_id(self) -> str | None:
        found = self.query(f"#{self.PREFIX}-table")
        table = found.first(DataTable) if found else None
        if table is None or not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 - no row under the cursor
            return None

    def selected(self) -> Any:
        sid = self.selected_id()
        return next((i for i in self.items if i.id == sid), None)

    def set_filter(self, **changes: Any) -> None:
        if all(self.filters.get(k) == v for k, v in changes.items()):
            return
        self.filters.update(changes)
        self.cursors = [None]
        self.load()

    async def confirm(self, title: str, question: str, label: str) -> bool:
        """Ask (inside a worker); True when confirmed."""
        return await self.app.push_screen_wait(
            ConfirmScreen(title, question, confirm_label=label)) is not None

    # ---- row actions shared by the screens ------------------------------------------------------
    ROW_ACTIONS: tuple[str, ...] = ("edit", "deactivate", "reactivate")
    """Actions that need a selected row (disabled without one)."""

    def may(self, action: str, item: Any) -> bool | None:
        """Whether a row action is offered for this item (beyond needing a row)."""
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self.ROW_ACTIONS:
            return True
        item = self.selected()
        if item is None:
            return False if action == "reactivate" else None
        if action in ("deactivate", "reactivate") and \
                item.is_active != (action == "deactivate"):
            return False
        return self.may(action, item)

    def action_deactivate(self) -> None:
        self.toggle(False)

    def action_reactivate(self) -> None:
        self.toggle(True)

    def toggle_text(self, item: Any, active: bool) -> tuple[str, str]:
        """(what is toggled, what it means) for the confirmation."""
        return "", ""

    async def set_active(self, item: Any, active: bool) -> None:
        raise NotImplementedError

    @work(exclusive=True, group="admin-toggle")
    async def toggle(self, active: bool) -> None:
        item = self.selected()
        if item is None:
            return
        verb = "Reactivar" if active else "Desactivar"
        name, note = self.toggle_text(item, active)
        if not await self.confirm(f"{verb} {self.NOUN[0]}", f"{verb} {name}. {note}", verb):
            return
        try:
            await self.set_active(item, active)
        except Exception as exc:  # noqa: BLE001
            report_error(self.app, exc)
            return
        self.app.notify(f"{name}: {'reactivado' if active else 'desactivado'}.", title="Listo",
                        markup=False)
        self.load()

    # ---- events ----------------------------------------------------------------------------------
    @on(Input.Changed, ".admin-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value.strip() or None
        self._debounce = self.set_timer(0.3, lambda: self.set_filter(texto=text))

    @on(Input.Submitted, ".admin-search")
    def _search_done(self) -> None:
        self.table.focus()

    @on(Select.Changed, ".admin-centros")
    def _centro_changed(self, event: Select.Changed) -> None:
        self.set_filter(centro_id=None if event.value is Select.NULL else str(event.value))

    @on(Select.Changed, ".admin-activo")
    def _activo_changed(self, event: Select.Changed) -> None:
        self.set_filter(activo=None if event.value is Select.NULL else event.value == "1")

    @on(DataTable.RowHighlighted, ".admin-table")
    def _highlighted(self) -> None:
        self.show_row_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected, ".admin-table")
    def _row_selected(self) -> None:
        self.action_open()

    # ---- keys --------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.query_one(f"#{self.PREFIX}-filters").has_focus_within:
            self.table.focus()
        else:
            self.app.pop_screen()

    def action_search(self) -> None:
        self.query_one(f"#{self.PREFIX}-search-box", Input).focus()

    def action_reload(self) -> None:
        self.load()

    def action_next_page(self) -> None:
        """Page down the rows shown; past the last one, the next page from the database."""
        table = self.table
        if table.has_focus and table.cursor_row < table.row_count - 1:
            table.action_page_down()
        elif self.next_cursor:
            self.cursors.append(self.next_cursor)
            self.load()

    def action_prev_page(self) -> None:
        table = self.table
        if table.has_focus and table.cursor_row > 0:
            table.action_page_up()
        elif len(self.cursors) > 1:
            self.cursors.pop()
            self.load()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_top(self) -> None:
        self.table.move_cursor(row=0)

    def action_bottom(self) -> None:
        self.table.move_cursor(row=max(0, self.table.row_count - 1))
