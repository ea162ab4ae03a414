"""The list component every list screen configures: a table paged in SQL (keyset cursors),
a debounced search box, filters, an order chosen with `o` (read in SQL over the whole
list), the total in a status line, the row-detail line, the list keys and the export of
what the list shows (Ctrl+E).

A screen says what it lists (`fetch` a page for a cursor with `self.filters`; the `columns`
and `table_cells` of a row), which widgets are its table, search box and status line (by id:
tests, styles and keymaps name them), and, if it wants, how its status reads. Everything
else (paging back and forth, a page whose rows all left, the cursor kept on its row across
reloads, columns fitted again when the terminal or the sidebar changes the width, what a cut
column hides shown under the table, the order cycled and kept across reloads, filters and
searches) happens here, once.

Orders: `ORDERS` is the service's declaration (key -> Spanish label, the first the
default; each key names a branch of the list's query); the chosen key is the `orden`
filter, so it goes to the service with the other filters and is kept when they change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from tui.screens.common.base import MainScreen
from tui.services.common import Orders, Page
from tui.uikit.redraw import show_text
from tui.uikit.workers import service_worker
from tui.widgets.row_detail import RowDetail

if TYPE_CHECKING:
    from tui.services.exports import ListView

PAGE = 50
SEARCH_DELAY = 0.3
"""Seconds of no typing before the search runs."""

Column = tuple[str, "int | None"]
"""(label, width); None: as wide as its values."""


class ListScreen(MainScreen):
    """Lista."""

    TABLE_ID = "list-table"
    SEARCH_ID = "list-search"
    STATUS_ID = "list-status"
    LOADING: str | None = "Cargando…"
    """Said while a page loads (None: the last status stays until the new one)."""
    FAILED = "No se pudo cargar la lista."
    PAGE_IN_TABLE = False
    """PgDn/PgUp first move through the rows shown, then to the next or previous page."""
    ORDERS: Orders = {}
    """The orders `o` cycles through (the service's declaration); empty: no `o`."""
    NOUN = ("fila", "filas")
    """What a row is (singular, plural), for the status and the export."""

    def __init__(self) -> None:
        super().__init__()
        self.filters: dict[str, Any] = {"orden": self._first_order()} if self.ORDERS else {}
        self.cursors: list[str | None] = [None]
        """The keyset cursor of every page up to the one shown (None: the first)."""
        self.starts: list[int] = [0]
        """How many rows come before each of those pages."""
        self.rows: list[Any] = []
        self.page: Page[Any] | None = None
        self.next_cursor: str | None = None
        self._debounce: Timer | None = None
        self._table: DataTable[Any] | None = None
        self.centro_labels: dict[str, str] = {}
        """Centro id -> «código · nombre», for a centro filter in words."""
        self._columns: list[Column] = []

    # ---- what each screen supplies ---------------------------------------------------------
    async def fetch(self, cursor: str | None) -> Page[Any]:
        raise NotImplementedError

    async def fetched(self, page: Page[Any]) -> None:
        """After a page arrived, before it is shown (for what goes with it, e.g. counts)."""

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def table_cells(self, row: Any) -> list[Any]:
        raise NotImplementedError

    def full_values(self, row: Any) -> list[str]:
        """The row's values in full, for the row-detail line."""
        return [str(c) for c in self.table_cells(row)]

    def status_text(self) -> str:
        raise NotImplementedError

    def order_text(self) -> str:
        """«Orden: más recientes», for the status line ("" without orders)."""
        order = self.filters.get("orden")
        return f"Orden: {self.ORDERS[order]}" if order in self.ORDERS else ""

    def export_view(self) -> ListView | None:
        """What the list shows, to export (its service, filters, search, order and typed
        columns); None: the list has no export."""
        return None

    def export_dialog(self) -> Any:
        """The export dialog for exactly what the list shows (Ctrl+E; None: no export)."""
        view = self.export_view()
        if view is None:
            return None
        from tui.screens.common.export_dialog import ExportDialog

        return ExportDialog.for_view(view, self.total, self.NOUN)

    def filters_text(self) -> str:
        """The filters, search and order in words (the export's note and its audit entry)."""
        words = [self.filter_words(key, value) for key, value in self.filters.items()
                 if value is not None and key != "orden"]
        order = self.order_text()
        return ", ".join([w for w in words if w] + ([order.lower()] if order else [])) \
            or "sin filtros"

    def filter_words(self, key: str, value: Any) -> str:
        """One filter in words («búsqueda «ana»», «activos»)."""
        if key == "texto":
            return f"búsqueda «{value}»"
        if key == "activo":
            return "activos" if value else "inactivos"
        if key == "centro_id":
            return f"centro {self.centro_labels.get(value, value)}"
        return f"{key} {value}"

    def action_open(self) -> None:
        """Enter on a row."""

    # ---- the widgets -----------------------------------------------------------------------------
    @property
    def table(self) -> DataTable[Any]:
        table = self._mounted_table()
        if table is None:
            raise NoMatches(f"#{self.TABLE_ID}")
        return table

    def _mounted_table(self) -> DataTable[Any] | None:
        """The list's table, None before it is mounted. Kept once found: the footer asks for
        the selected row on every row move (`check_action` of each key), and a DOM query
        per ask walked the whole screen (~0.5 ms each)."""
        table = self._table
        if table is None or not table.is_attached:
            try:
                table = self.get_widget_by_id(self.TABLE_ID, DataTable)
            except NoMatches:
                return None
            self._table = table
        return table

    def status(self, text: str) -> None:
        show_text(self.query_one(f"#{self.STATUS_ID}", Static), text)

    @staticmethod
    def row_id(row: Any) -> str:
        return str(row["id"] if isinstance(row, dict) else row.id)

    def selected_id(self) -> str | None:
        table = self._mounted_table()
        if table is None:
            return None
        row = table.cursor_row
        return table.ordered_rows[row].key.value if 0 <= row < table.row_count else None

    def selected(self) -> Any:
        sid = self.selected_id()
        return next((r for r in self.rows if self.row_id(r) == sid), None)

    def on_mount(self) -> None:  # (after the screen's own on_mount; Textual calls both)
        self.table.focus()
        self.fill()  # the column headers while the first page loads
        self.watch(self.app, "show_notifications", self._sidebar_toggled, init=False)

    def _sidebar_toggled(self, _show: bool) -> None:
        self.call_after_refresh(self.refit)  # once the sidebar has taken (or left) its width

    # ---- data ------------------------------------------------------------------------------------
    def refresh_data(self) -> None:
        self.load()

    @service_worker("list", on_error=lambda screen, _exc: screen.status(screen.FAILED))
    async def load(self) -> None:
        if self.LOADING:
            self.status(self.LOADING)
        page = await self.fetch(self.cursors[-1])
        while not page.rows and len(self.cursors) > 1:  # the rows of a page all left
            self._back()
            page = await self.fetch(self.cursors[-1])
        await self.fetched(page)
        self.page, self.rows, self.next_cursor = page, list(page.rows), page.next_cursor
        self.fill()

    @property
    def total(self) -> int:
        return self.page.total if self.page is not None else 0

    def set_filter(self, **changes: Any) -> None:
        """Change filters; a change lists again from the first page."""
        if all(self.filters.get(k) == v for k, v in changes.items()):
            return
        self.filters.update(changes)
        self.restart()

    def restart(self) -> None:
        self.cursors, self.starts = [None], [0]
        self.load()

    def _back(self) -> None:
        self.cursors.pop()
        self.starts.pop()

    def search(self, text: str) -> None:
        self.set_filter(texto=text.strip() or None)

    # ---- the table ---------------------------------------------------------------------------
    def fill(self) -> None:
        """Show the rows (the cursor stays on its row if it is still listed) and the status."""
        table = self.table
        selected = self.selected_id()
        columns = self.columns()
        if columns != self._columns:
            self._columns = columns
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(label, width=width)
        else:
            table.clear()
        for row in self.rows:
            table.add_row(*self.table_cells(row), key=self.row_id(row))
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        if self.page is not None:
            self.status(self.status_text())
        self.call_after_refresh(self.show_row_detail)  # once the columns are laid out
        self.refresh_bindings()

    def shown_range(self) -> str:
        """Which rows of the whole list are shown: "51–100", or "0"."""
        start = self.starts[-1]
        return f"{start + 1}–{start + len(self.rows)}" if self.rows else "0"

    def show_row_detail(self) -> None:
        """Under the table: the selected row's columns that are cut or out of sight."""
        row = self.selected()
        values: Sequence[str] | None = None if row is None else self.full_values(row)
        self.query_one(RowDetail).show_row(self.table, values)

    def on_resize(self, event: events.Resize) -> None:
        self.refit()

    def refit(self) -> None:
        """The body's width changed (terminal, sidebar): fit the columns again, if they
        follow the width, and say again what the table hides."""
        if self._columns and self.columns() != self._columns:
            self.fill()
        else:
            self.call_after_refresh(self.show_row_detail)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == self.TABLE_ID:
            self.follow_row()

    def follow_row(self) -> None:
        """What depends on the selected row: the detail line and the footer's keys (the
        table calls this in the same frame as the cursor move: `Table(follow=…)`)."""
        self.show_row_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == self.TABLE_ID:
            self.action_open()

    @on(Input.Changed)
    def _search_changed(self, event: Input.Changed) -> None:
        if event.input.id != self.SEARCH_ID:
            return
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value
        self._debounce = self.set_timer(SEARCH_DELAY, lambda: self.search(text))

    @on(Input.Submitted)
    def _search_done(self, event: Input.Submitted) -> None:
        if event.input.id == self.SEARCH_ID:
            self.table.focus()

    # ---- keys --------------------------------------------------------------------------------
    def action_search(self) -> None:
        self.query_one(f"#{self.SEARCH_ID}", Input).focus()

    def action_reload(self) -> None:
        self.load()

    def _first_order(self) -> str | None:
        """The order this kind of list was last shown in during the session, else the
        service's default."""
        chosen = self.app.list_orders.get(type(self).__name__)
        return chosen if chosen in self.ORDERS else next(iter(self.ORDERS), None)

    def action_sort(self) -> None:
        """The next order (whole list, in SQL); the first page of it. The list comes in it
        when opened again in this session."""
        keys = list(self.ORDERS)
        if len(keys) > 1:
            current = self.filters.get("orden")
            nxt = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
            self.app.list_orders[type(self).__name__] = nxt
            self.set_filter(orden=nxt)

    def action_export_list(self) -> None:
        dialog = self.export_dialog()
        if dialog is not None:
            self.app.push_screen(dialog)

    def action_next_page(self) -> None:
        table = self.table
        if self.PAGE_IN_TABLE and table.has_focus and table.cursor_row < table.row_count - 1:
            table.action_page_down()
        elif self.next_cursor:
            self.cursors.append(self.next_cursor)
            self.starts.append(self.starts[-1] + len(self.rows))
            self.load()

    def action_prev_page(self) -> None:
        table = self.table
        if self.PAGE_IN_TABLE and table.has_focus and table.cursor_row > 0:
            table.action_page_up()
        elif len(self.cursors) > 1:
            self._back()
            self.load()

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_top(self) -> None:
        self.table.move_cursor(row=0)

    def action_bottom(self) -> None:
        self.table.move_cursor(row=max(0, self.table.row_count - 1))
