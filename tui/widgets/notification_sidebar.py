"""The notification sidebar: newest first, unread marked, Enter opens the solicitud."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, ListItem, ListView, Static

from tui.services import notifications
from tui.services.notifications import Notificacion
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import fecha_hora, inert, plural
from tui.uikit.workers import service_worker


class NotificationItem(ListItem):
    def __init__(self, n: Notificacion) -> None:
        super().__init__(classes="unread" if not n.leida else "")
        self.notification = n

    def compose(self) -> ComposeResult:
        n = self.notification
        mark = "●" if not n.leida else " "
        yield Label(f"{mark} {inert(n.titulo)}", classes="notif-title", markup=False)
        yield Label(f"  {fecha_hora(n.fecha)} {n.solicitud_codigo or ''}",
                    classes="notif-date", markup=False)
        yield Label(inert(n.mensaje, multiline=True), classes="notif-text", markup=False)


class NotificationSidebar(Vertical):
    """Notificaciones."""

    app: ShellApp

    HELP = keymap.HELP["NotificationSidebar"]
    BINDINGS = keymap.BINDINGS["NotificationSidebar"]

    def compose(self) -> ComposeResult:
        yield Static("Notificaciones", id="sidebar-title")
        yield ListView(id="sidebar-list")
        yield Static("", id="sidebar-status", markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "unread", self._title)

    def _title(self, unread: int) -> None:
        self.query_one("#sidebar-title", Static).update(f"Notificaciones ({unread} sin leer)")

    # gone or not ours: the sidebar still shows the rest, no toast (the failure is logged)
    @service_worker("announce", exclusive=False, on_error=lambda _sidebar, _exc: True)
    async def announce(self, notification_id: str) -> None:
        """A toast that says what happened: the notification's own title and message
        ("Solicitud aprobada: Tu solicitud SOL-2026-003 ha sido aprobada. Número de ficha
        asignado: …"), not a bare "you have notifications"."""
        app = self.app
        n = await notifications.get_for(app.pool, app.actor, notification_id)
        app.notify(f"{n.mensaje} (F2: notificaciones)", title=n.titulo, timeout=8)

    @service_worker("sidebar")
    async def reload(self) -> None:
        app = self.app
        page = await notifications.list_for(app.pool, app.actor, limit=30)
        lst = self.query_one("#sidebar-list", ListView)
        index = lst.index
        await lst.clear()
        await lst.extend(NotificationItem(n) for n in page.rows)
        if page.rows:
            lst.index = min(index or 0, len(page.rows) - 1)
        more = f" (30 de {page.total})" if page.total > len(page.rows) else ""
        self.query_one("#sidebar-status", Static).update(
            "Sin notificaciones." if not page.rows else f"{page.total} en total{more}")

    def _selected(self) -> Notificacion | None:
        item = self.query_one("#sidebar-list", ListView).highlighted_child
        return item.notification if isinstance(item, NotificationItem) else None

    def action_cursor_down(self) -> None:
        self.query_one("#sidebar-list", ListView).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#sidebar-list", ListView).action_cursor_up()

    @on(ListView.Selected, "#sidebar-list")
    def _open(self, event: ListView.Selected) -> None:
        item = event.item
        if not isinstance(item, NotificationItem):
            return
        self._mark(item.notification.id)
        if item.notification.solicitud_id:
            self.app.open_solicitud(item.notification.solicitud_id)

    def action_mark_read(self) -> None:
        n = self._selected()
        if n is not None and not n.leida:
            self._mark(n.id)

    @service_worker("sidebar-mark", exclusive=False)
    async def _mark(self, notif_id: str) -> None:
        app = self.app
        await notifications.mark_read(app.pool, app.actor, notif_id)
        app.refresh_unread()
        self.reload()

    @service_worker("sidebar-mark", exclusive=False)
    async def action_mark_all(self) -> None:
        app = self.app
        n = await notifications.mark_all_read(app.pool, app.actor)
        app.notify(f"{plural(n, 'notificación marcada', 'notificaciones marcadas')} como "
                   f"{'leída' if n == 1 else 'leídas'}.")
        app.refresh_unread()
        self.reload()
