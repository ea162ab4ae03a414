"""Pick users: one (the instructor filter of the list) or several (the broadcast's chosen users).

The search runs in SQL as the user types (users in the actor's scope, active only when asked);
choices made under one search are kept while the text changes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from tui.services import users
from tui.services.users import UserInfo
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.workers import service_worker, status_line

SHOWN = 50


def describe(u: UserInfo) -> str:
    return f"{u.name} · {u.email} · {u.centro_codigo or '—'}"


class UserPickerScreen(ModalScreen[dict[str, str] | None]):
    """Elegir usuarios."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    HELP = keymap.HELP["UserPickerScreen"]
    BINDINGS = keymap.BINDINGS["UserPickerScreen"]

    def __init__(self, title: str, *, role: str | None = None, multiple: bool = True,
                 active_only: bool = True, chosen: dict[str, str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.role = role
        self.multiple = multiple
        self.active_only = active_only
        self.chosen: dict[str, str] = dict(chosen or {})
        """Id → label of every user chosen so far, whatever the search shows now."""
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="user-picker"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Input(placeholder="Buscar por nombre, correo o cédula", id="user-picker-search",
                        max_length=100)
            yield SelectionList[str](id="user-picker-options")
            yield Static("Cargando…", id="user-picker-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#user-picker-search", Input).focus()
        self.load(None)

    @service_worker("user-picker", on_error=status_line("#user-picker-status",
                                                         "No se pudo cargar la lista."))
    async def load(self, texto: str | None) -> None:
        app = self.app
        page = await users.list_users(app.pool, app.actor, role=self.role,
                                      activo=True if self.active_only else None,
                                      texto=texto, limit=SHOWN)
        options = self.query_one("#user-picker-options", SelectionList)
        options.clear_options()
        options.add_options([Selection(describe(u), u.id, u.id in self.chosen)
                             for u in page.rows])
        if page.rows:
            options.highlighted = 0
        self.labels = {u.id: u.name for u in page.rows}
        self._status(page.total)

    def _status(self, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        found = getattr(self, "total", 0)
        more = f" (se muestran {SHOWN}; afine la búsqueda)" if found > SHOWN else ""
        picked = f" · {len(self.chosen)} elegido{'s' if len(self.chosen) != 1 else ''}" \
            if self.multiple else ""
        self.query_one("#user-picker-status", Static).update(
            f"{found} usuario{'s' if found != 1 else ''}{more}{picked}" if found else
            f"Ningún usuario coincide.{picked}")

    @on(Input.Changed, "#user-picker-search")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value.strip() or None
        self._debounce = self.set_timer(0.25, lambda: self.load(text))

    @on(Input.Submitted, "#user-picker-search")
    def _search_done(self) -> None:
        self.action_focus_list()

    @on(SelectionList.SelectionToggled, "#user-picker-options")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        uid = str(event.selection.value)
        if uid in self.chosen:
            del self.chosen[uid]
        else:
            if not self.multiple:
                self.chosen.clear()
                self.chosen[uid] = self.labels.get(uid, uid)
                self.dismiss(self.chosen)
                return
            self.chosen[uid] = self.labels.get(uid, uid)
        self._status()

    def action_focus_list(self) -> None:
        self.query_one("#user-picker-options", SelectionList).focus()

    def action_done(self) -> None:
        self.dismiss(self.chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
