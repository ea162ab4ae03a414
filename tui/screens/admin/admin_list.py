"""The list frame every admin list screen shares.

`AdminListScreen` is the list component (`ListScreen`) as Usuarios, Centros, Programas and
Auditoría use it: a heading, filters and a search box in a row, columns that share the extra
width of wide terminals, the exact total, the order (`o`) and the export of the view
(Ctrl+E), and the activate/deactivate row actions. Each screen supplies its columns, its list
service, its orders (the service's), the typed columns of its export and its actions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.list_screen import PAGE, Column, ListScreen
from tui.services import centros
from tui.services.common import Page
from tui.services.exports import ListView
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import literal, short
from tui.uikit.workers import service_worker
from tui.widgets.row_detail import RowDetail
from tui.widgets.table import Table

__all__ = ["PAGE", "AdminListScreen", "activo_select", "centro_options", "estado_text",
           ]




def activo_select(prefix: str) -> Select[str]:
    """The Activos / Inactivos / todos filter."""
    return Select([("Activos", "1"), ("Inactivos", "0")], prompt="Estado: todos",
                  id=f"{prefix}-activo", classes="admin-activo", compact=True)


def estado_text(active: bool) -> str:
    return "Activo" if active else "Inactivo"


async def centro_options(app: ShellApp, active_only: bool = False) -> list[tuple[str, str]]:
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


class AdminListScreen(ListScreen):
    """Lista."""

    PREFIX = "admin"
    NOUN = ("elemento", "elementos")
    # (label, width, flexible): flexible columns share the extra width of wide terminals
    COLUMNS: tuple[tuple[str, int, bool], ...] = ()
    FAILED = "No se pudo cargar la lista (F5 para reintentar)."
    PAGE_IN_TABLE = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.TABLE_ID, cls.SEARCH_ID = f"{cls.PREFIX}-table", f"{cls.PREFIX}-search-box"
        cls.STATUS_ID = f"{cls.PREFIX}-status"

    # ---- what each screen supplies ---------------------------------------------------------
    EXPORT_NAME = ""
    """The export's file stem («usuarios»)."""
    EXPORT_TITLE = ""
    """The export's sheet and dialog title (empty: the plural noun, «Usuarios»)."""

    def service(self) -> Callable[..., Awaitable[Page[Any]]]:
        """The list's service (called with the filters, search and order)."""
        raise NotImplementedError

    def export_columns(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        """The export's columns: the table's, each a heading and a row's typed value."""
        raise NotImplementedError

    def heading(self) -> str:
        return ""

    def compose_filters(self) -> ComposeResult:
        yield from ()

    def cells(self, item: Any) -> list[str]:
        raise NotImplementedError

    @property
    def items(self) -> list[Any]:
        return self.rows

    # ---- frame ---------------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        p = self.PREFIX
        yield Static(self.heading(), id=f"{p}-heading", classes="admin-heading", markup=False)
        with Horizontal(id=f"{p}-filters", classes="admin-filters"):
            yield from self.compose_filters()
            yield Input(placeholder="/ buscar", id=self.SEARCH_ID,
                        classes="admin-search", compact=True)
        yield Table(id=self.TABLE_ID, classes="admin-table", cursor_type="row",
                    follow=self.follow_row)
        yield RowDetail(id=f"{p}-row-detail")
        yield Static("", id=self.STATUS_ID, classes="admin-status", markup=False)

    def on_mount(self) -> None:
        self.load()
        if self.query(".admin-centros"):
            self.load_centros()

    @service_worker("admin-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        """The options of the centro filter (by código)."""
        options = await centro_options(self.app)
        self.centro_labels = {value: label for label, value in options}
        self.query_one(".admin-centros", Select).set_options(
            (label.split(" · ")[0], value) for label, value in options)

    async def fetch(self, cursor: str | None) -> Page[Any]:
        app = self.app
        return await self.service()(app.pool, app.actor, cursor=cursor, limit=PAGE,
                                    **self.filters)

    def export_view(self) -> ListView:
        return ListView(self.EXPORT_NAME, self.EXPORT_TITLE or self.NOUN[1].capitalize(),
                        self.export_columns(), self.service(), dict(self.filters),
                        self.filters_text())

    def columns(self) -> list[Column]:
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
        return [(label, width)
                for (label, _w, _f), width in zip(self.COLUMNS, widths, strict=True)]

    def table_cells(self, item: Any) -> list[Any]:
        return [literal(short(c, w or 0))
                for c, (_l, w) in zip(self.cells(item), self._columns, strict=False)]

    def full_values(self, item: Any) -> list[str]:
        return [str(literal(c)) for c in self.cells(item)]

    def status_text(self) -> str:
        more = " · AvPág: siguiente" if self.next_cursor else ""
        return (f"Mostrando {self.shown_range()} de {self.total} {self.NOUN[self.total != 1]} · "
                f"{self.order_text()} · página {len(self.cursors)}{more}")

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

    @service_worker("admin-toggle")
    async def toggle(self, active: bool) -> None:
        item = self.selected()
        if item is None:
            return
        verb = "Reactivar" if active else "Desactivar"
        name, note = self.toggle_text(item, active)
        if not await self.confirm(f"{verb} {self.NOUN[0]}", f"{verb} {name}. {note}", verb):
            return
        await self.set_active(item, active)
        self.app.notify(f"{name}: {'reactivado' if active else 'desactivado'}.", title="Listo",
                        markup=False)
        self.load()

    # ---- events and keys ----------------------------------------------------------------------
    @on(Select.Changed, ".admin-centros")
    def _centro_changed(self, event: Select.Changed) -> None:
        self.set_filter(centro_id=None if event.value is Select.NULL else str(event.value))

    @on(Select.Changed, ".admin-activo")
    def _activo_changed(self, event: Select.Changed) -> None:
        self.set_filter(activo=None if event.value is Select.NULL else event.value == "1")

    def action_back(self) -> None:
        if self.query_one(f"#{self.PREFIX}-filters").has_focus_within:
            self.table.focus()
        else:
            self.app.pop_screen()
