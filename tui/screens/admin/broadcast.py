"""Enviar aviso (admins): a SISTEMA notification to every active user, a role and/or a centro,
or to users chosen one by one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.screens.admin.admin_list import centro_options
from tui.screens.admin.user_picker import UserPickerScreen
from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import Confirmed, ConfirmScreen
from tui.services import notifications, users
from tui.services.model import ROLE_PLURAL as ROLES
from tui.uikit import keymap
from tui.uikit.workers import service_worker, status_line

NONE_CHOSEN = "(por rol y centro) · Ctrl+O elige usuarios"


class BroadcastScreen(MainScreen):
    """Enviar aviso."""

    HELP = keymap.HELP["BroadcastScreen"]
    BINDINGS = keymap.BINDINGS["BroadcastScreen"]

    centro_codes: dict[str, str] = {}
    """Centro id → código, for the destination line."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: dict[str, str] = {}
        """Users chosen one by one (id → name); when any, role and centro are not used."""

    def compose_body(self) -> ComposeResult:
        yield Static("Enviar aviso (notificación del sistema)", classes="admin-heading")
        with Horizontal(classes="admin-row"):
            yield Label("Título *", classes="admin-label")
            yield Input(id="broadcast-titulo", compact=True, max_length=200)
        with Horizontal(classes="admin-row -tall", id="broadcast-mensaje-row"):
            yield Label("Mensaje *", classes="admin-label")
            yield TextArea(id="broadcast-mensaje", compact=True)
        with Horizontal(classes="admin-row"):
            yield Label("Rol", classes="admin-label")
            yield Select(list((v, k) for k, v in ROLES.items()), prompt="Todos los roles",
                         id="broadcast-role", compact=True)
        with Horizontal(classes="admin-row"):
            yield Label("Centro", classes="admin-label")
            yield Select([], prompt="Todos los centros", id="broadcast-centro", compact=True,
                         classes="admin-centros")
        with Horizontal(classes="admin-row"):
            yield Label("Usuarios", classes="admin-label")
            yield Button(NONE_CHOSEN, id="broadcast-pick", compact=True)
        yield Static("", id="broadcast-dest", markup=False)
        with Horizontal(classes="admin-form-buttons", id="broadcast-buttons"):
            yield Button("Enviar (Ctrl+S)", variant="primary", id="broadcast-ok", compact=True)
        yield Static("", id="broadcast-status", classes="admin-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#broadcast-titulo", Input).focus()
        self._describe()
        self.load_centros()

    @service_worker("broadcast-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        options = await centro_options(self.app)
        self.centro_codes = {value: label.split(" · ")[0] for label, value in options}
        self.query_one("#broadcast-centro", Select).set_options(options)

    def _choice(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

    def destination(self) -> str:
        if self.chosen:
            names = sorted(self.chosen.values())
            shown = ", ".join(names[:3]) + (f" y {len(names) - 3} más" if len(names) > 3 else "")
            return f"{len(names)} usuario{'s' if len(names) != 1 else ''} elegido" \
                   f"{'s' if len(names) != 1 else ''}: {shown}"
        role, centro = self._choice("broadcast-role"), self._choice("broadcast-centro")
        who = ROLES[role].lower() if role else "todos los usuarios"
        where = f" del centro {self.centro_codes.get(centro, '')}" if centro else ""
        return f"{who} activos{where}"

    @on(Select.Changed)
    def _describe(self) -> None:
        self.query_one("#broadcast-dest", Static).update(f"Destino: {self.destination()}.")

    @on(Button.Pressed, "#broadcast-pick")
    def action_pick_users(self) -> None:
        def picked(result: dict[str, str] | None) -> None:
            if result is None:
                return
            self.chosen = result
            n = len(result)
            self.query_one("#broadcast-pick", Button).label = (
                f"{n} elegido{'s' if n != 1 else ''} · Ctrl+O cambia" if n else NONE_CHOSEN)
            for widget in ("#broadcast-role", "#broadcast-centro"):
                self.query_one(widget, Select).disabled = bool(n)
            self._describe()
        self.app.push_screen(UserPickerScreen("Destinatarios del aviso", chosen=self.chosen),
                             picked)

    @on(Input.Submitted, "#broadcast-titulo")
    def _next(self) -> None:
        self.query_one("#broadcast-mensaje", TextArea).focus()

    @on(Button.Pressed, "#broadcast-ok")
    def action_send(self) -> None:
        titulo = self.query_one("#broadcast-titulo", Input).value.strip()
        mensaje = self.query_one("#broadcast-mensaje", TextArea).text.strip()
        for value, widget, label in ((titulo, "#broadcast-titulo", "Título"),
                                     (mensaje, "#broadcast-mensaje", "Mensaje")):
            if not value:
                self.query_one("#broadcast-status", Static).update(f"{label}: es obligatorio.")
                self.query_one(widget).focus()
                return
        self.send(titulo, mensaje)

    @service_worker("broadcast-send", on_error=status_line(
        "#broadcast-status", "No se envió; el texto se conserva."))
    async def send(self, titulo: str, mensaje: str) -> None:
        app = self.app
        role, centro = self._choice("broadcast-role"), self._choice("broadcast-centro")
        chosen = list(self.chosen) or None
        if chosen:
            role = centro = None
        status = self.query_one("#broadcast-status", Static)
        count = len(chosen) if chosen else (await users.list_users(
            app.pool, app.actor, role=role, centro_id=centro, activo=True, limit=1)).total
        if count == 0:
            status.update("Ningún usuario activo coincide con ese destino: no se envió nada.")
            return
        question = (f"Se enviará «{titulo}» a {count} usuario{'s' if count != 1 else ''} "
                    f"({self.destination()}). No se puede deshacer.")
        if await app.push_screen_wait(ConfirmScreen("Enviar aviso", question,
                                                    confirm_label="Enviar")) is None:
            return
        status.update("Enviando…")
        sent = await notifications.broadcast(app.pool, app.actor, titulo, mensaje,
                                             role=role, centro_id=centro, user_ids=chosen)
        text = f"Enviado a {sent} usuario{'s' if sent != 1 else ''}."
        status.update(text)
        app.notify(text, title="Aviso enviado")
        self.query_one("#broadcast-titulo", Input).value = ""
        self.query_one("#broadcast-mensaje", TextArea).text = ""
        self.query_one("#broadcast-titulo", Input).focus()
        app.refresh_unread()

    def action_back(self) -> None:
        typed = self.query_one("#broadcast-titulo", Input).value.strip() or \
            self.query_one("#broadcast-mensaje", TextArea).text.strip()
        if not typed:
            self.app.pop_screen()
            return

        async def confirmed(ok: Confirmed | None) -> None:
            if ok:
                await self.app.pop_screen()

        self.app.push_screen(ConfirmScreen("Descartar aviso", "El aviso escrito no se ha "
                                           "enviado. ¿Salir y descartarlo?",
                                           confirm_label="Descartar"), confirmed)
