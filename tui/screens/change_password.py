"""Change one's own password (forced after a temporary password)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.errors import describe
from tui.services import auth
from tui.services.validation import ValidationFailed


class ChangePasswordScreen(ModalScreen[bool]):
    """Cambiar contraseña."""

    HELP = ("La nueva contraseña debe tener al menos 10 caracteres y no puede ser su correo ni "
            "su cédula.")
    BINDINGS = [Binding("escape", "cancel", "Cancelar", id="dialog-cancel")]

    def __init__(self, forced: bool) -> None:
        super().__init__()
        self.forced = forced

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="password-dialog"):
            yield Static("Cambiar contraseña", classes="dialog-title")
            if self.forced:
                yield Static("Su contraseña es temporal: debe cambiarla para continuar.",
                             classes="dialog-note")
            yield Label("Contraseña actual", classes="field-label")
            yield Input(password=True, id="pw-current")
            yield Label("Nueva contraseña (mínimo 10 caracteres)", classes="field-label")
            yield Input(password=True, id="pw-new")
            yield Label("Confirmar nueva contraseña", classes="field-label")
            yield Input(password=True, id="pw-confirm")
            yield Static("", id="pw-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Guardar", variant="primary", id="pw-save")
                yield Button("Cancelar", id="pw-cancel")

    def on_mount(self) -> None:
        self.query_one("#pw-current", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        order = ["pw-current", "pw-new", "pw-confirm"]
        idx = order.index(event.input.id or "pw-current")
        if idx < 2:
            self.query_one(f"#{order[idx + 1]}", Input).focus()
        else:
            self.save()

    @on(Button.Pressed, "#pw-save")
    def save(self) -> None:
        self.query_one("#pw-error", Static).update("Guardando…")
        self.do_save(self.query_one("#pw-current", Input).value,
                     self.query_one("#pw-new", Input).value,
                     self.query_one("#pw-confirm", Input).value)

    @on(Button.Pressed, "#pw-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @work(exclusive=True, group="password")
    async def do_save(self, current: str, new: str, confirm: str) -> None:
        app = self.app
        try:
            await auth.change_password(app.pool, app.actor, current, new,  # type: ignore[attr-defined]
                                       confirm)
        except ValidationFailed as exc:
            self.query_one("#pw-error", Static).update(
                "\n".join(e.message for e in exc.errors))
            field = {"currentPassword": "#pw-current", "confirmPassword": "#pw-confirm"}.get(
                exc.errors[0].field, "#pw-new")
            self.query_one(field, Input).focus()
            return
        except Exception as exc:  # noqa: BLE001
            self.query_one("#pw-error", Static).update(describe(exc)[1])
            return
        app.notify("Contraseña cambiada.", title="Listo")
        self.dismiss(True)
