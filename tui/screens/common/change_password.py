"""Change one's own password (forced after a temporary password)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.screens.common.confirm import GuardedDialog
from tui.services import auth
from tui.services.validation import ValidationFailed
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe
from tui.uikit.workers import service_worker

FIELD_IDS = {"currentPassword": "current", "confirmPassword": "confirm"}
"""Service field → the dialog's field (anything else is about the new password)."""


class ChangePasswordScreen(GuardedDialog, ModalScreen[bool]):
    """Cambiar contraseña."""

    app: ShellApp

    HELP = keymap.HELP["ChangePasswordScreen"]
    BINDINGS = keymap.BINDINGS["ChangePasswordScreen"]

    def __init__(self, forced: bool, current: str | None = None) -> None:
        """`current`: the password just typed at the login (a forced change right after it
        does not ask for it again)."""
        super().__init__()
        self.forced = forced
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="password-dialog"):
            yield Static("Cambiar contraseña", classes="dialog-title")
            if self.forced:
                yield Static("Su contraseña es temporal: debe cambiarla para continuar.",
                             classes="dialog-note")
            fields = [("new", "Nueva contraseña (mínimo 10 caracteres)"),
                      ("confirm", "Confirmar nueva contraseña")]
            if self.current is None:
                fields.insert(0, ("current", "Contraseña actual"))
            for name, label in fields:
                yield Label(label, classes="field-label")
                yield Input(password=True, id=f"pw-{name}")
                yield Static("", id=f"pw-{name}-error", classes="error field-error",
                             markup=False)
            yield Static("", id="pw-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Guardar", variant="primary", id="pw-save")
                yield Button("Cancelar", id="pw-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    @on(Button.Pressed, "#pw-save")
    def action_save(self) -> None:
        self._show({}, "Guardando…")
        current = self.current if self.current is not None else \
            self.query_one("#pw-current", Input).value
        self.do_save(current, self.query_one("#pw-new", Input).value,
                     self.query_one("#pw-confirm", Input).value)

    @on(Button.Pressed, "#pw-cancel")
    def action_cancel(self) -> None:
        self.cancel_guarded(False)

    def _show(self, by_field: dict[str, str], general: str = "") -> None:
        """Each message under its field; the cursor on the first field that is wrong."""
        for error in self.query(".error").results(Static):  # all the messages are Statics
            name = (error.id or "").removeprefix("pw-").removesuffix("-error")
            text = by_field.get(name, "") if name != "error" else general
            error.update(text)
            error.set_class(bool(text), "-shown")
        wrong = [i for i in self.query(Input) if (i.id or "")[3:] in by_field]
        if wrong:
            wrong[0].focus()

    @service_worker("password", on_error=lambda dialog, exc: dialog.save_failed(exc))
    async def do_save(self, current: str, new: str, confirm: str) -> None:
        app = self.app
        await auth.change_password(app.pool, app.actor, current, new, confirm)
        app.notify("Contraseña cambiada.", title="Listo")
        self.dismiss(True)

    def save_failed(self, exc: BaseException) -> bool:
        """Shown in the open dialog: each field's problem under it, anything else below."""
        if not isinstance(exc, ValidationFailed):
            self._show({}, describe(exc)[1])
            return True
        by_field: dict[str, str] = {}
        for e in exc.errors:
            name = FIELD_IDS.get(e.field, "new")
            if name == "current" and self.current is not None:
                name = "new"  # the login's password is no field here
            by_field[name] = "\n".join(filter(None, (by_field.get(name), e.message)))
        self._show(by_field)
        return True
