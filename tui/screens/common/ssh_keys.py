"""Mis claves SSH: the public keys that open this account with `serve-ssh` (any role)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Label, Static

from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import Confirmed, ConfirmScreen
from tui.services import ssh_keys
from tui.uikit import keymap
from tui.uikit.errors import describe
from tui.uikit.formatting import fecha_hora, short
from tui.uikit.workers import service_worker
from tui.widgets.table import Table


class SshKeysScreen(MainScreen):
    """Mis claves SSH."""

    HELP = keymap.HELP["SshKeysScreen"]
    BINDINGS = keymap.BINDINGS["SshKeysScreen"]

    keys: list[ssh_keys.SshKey] = []
    """The keys shown, in table order."""

    def compose_body(self) -> ComposeResult:
        yield Static("Mis claves SSH", classes="admin-heading")
        yield Table(id="sshkeys-table", cursor_type="row")
        with Horizontal(id="sshkeys-row"):
            yield Label("Clave pública", id="sshkeys-label")
            yield Input(placeholder="ssh-ed25519 AAAA… comentario", id="sshkeys-input",
                        compact=True)
            yield Button("Agregar", id="sshkeys-ok", compact=True)
        yield Static("", id="sshkeys-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#sshkeys-table", DataTable)
        table.add_columns("Tipo", "Huella (SHA256)", "Comentario", "Agregada", "Último uso")
        self.query_one("#sshkeys-input", Input).focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        self.load()

    def _status(self, text: str) -> None:
        self.query_one("#sshkeys-status", Static).update(text)

    @service_worker("sshkeys-load")
    async def load(self) -> None:
        app = self.app
        self.keys = await ssh_keys.list_keys(app.pool, app.actor)
        table = self.query_one("#sshkeys-table", DataTable)
        table.clear()
        for k in self.keys:
            fp = k.fingerprint.removeprefix("SHA256:")
            table.add_row(k.algorithm.removeprefix("ssh-"), fp[:12] + "…",
                          short(k.comment or "—", 18), fecha_hora(k.created_at),
                          fecha_hora(k.last_used_at) if k.last_used_at else "nunca",
                          key=str(k.id))
        n = len(self.keys)
        self._status("Sin claves registradas: entra solo con su contraseña." if n == 0 else
                     f"{n} clave{'s' if n != 1 else ''} registrada{'s' if n != 1 else ''}.")

    @on(Input.Submitted, "#sshkeys-input")
    @on(Button.Pressed, "#sshkeys-ok")
    def action_add(self) -> None:
        text = self.query_one("#sshkeys-input", Input).value
        self._status("Guardando…")
        self.add(text)

    @service_worker("sshkeys-add", on_error=lambda screen, exc: screen.add_failed(exc))
    async def add(self, text: str) -> None:
        app = self.app
        parsed = await ssh_keys.add_key(app.pool, app.actor, text)
        self.query_one("#sshkeys-input", Input).value = ""
        app.notify(f"Clave {parsed.fingerprint} agregada.", title="Clave SSH")
        self.load()

    def add_failed(self, exc: BaseException) -> bool:
        """Said on the screen; what was pasted stays in the field, which gets the cursor."""
        self._status(describe(exc)[1])
        self.query_one("#sshkeys-input", Input).focus()
        return True

    def action_remove(self) -> None:
        table = self.query_one("#sshkeys-table", DataTable)
        if not self.keys or table.cursor_row < 0 or table.cursor_row >= len(self.keys):
            self._status("Seleccione una clave en la tabla para quitarla.")
            return
        key = self.keys[table.cursor_row]
        question = (f"¿Quitar la clave {key.algorithm} {key.fingerprint} "
                    f"({key.comment or 'sin comentario'})? Ya no abrirá su cuenta por SSH.")

        def confirmed(ok: Confirmed | None) -> None:
            if ok:
                self.remove_key(key.id)

        self.app.push_screen(ConfirmScreen("Quitar clave SSH", question,
                                           confirm_label="Quitar"), confirmed)

    @service_worker("sshkeys-remove")
    async def remove_key(self, key_id: int) -> None:
        app = self.app
        await ssh_keys.remove_key(app.pool, app.actor, key_id)
        app.notify("Clave quitada.", title="Clave SSH")
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()
