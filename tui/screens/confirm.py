"""A yes/no dialog, optionally asking for a comment (required or not)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.formatting import inert


@dataclass(frozen=True)
class Confirmed:
    comment: str = ""
    value: str = ""


class ConfirmScreen(ModalScreen[Confirmed | None]):
    """Confirmar."""

    HELP = "Enter o Ctrl+S confirma; Escape cancela sin cambiar nada."
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="dialog-cancel"),
        Binding("ctrl+s", "confirm", "Confirmar", id="dialog-confirm"),
    ]

    def __init__(self, title: str, question: str, *, confirm_label: str = "Confirmar",
                 comment_label: str | None = None, comment_required: bool = False,
                 value_label: str | None = None, value: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.confirm_label = confirm_label
        self.comment_label = comment_label
        self.comment_required = comment_required
        self.value_label = value_label
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(inert(self.title_text), classes="dialog-title", markup=False)
            yield Static(inert(self.question, multiline=True), classes="dialog-note",
                         markup=False)
            if self.value_label:
                yield Label(self.value_label, classes="field-label")
                yield Input(self.value, id="confirm-value")
            if self.comment_label:
                yield Label(self.comment_label + (" *" if self.comment_required else ""),
                            classes="field-label")
                yield TextArea(id="confirm-comment", soft_wrap=True)
            yield Static("", id="confirm-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, variant="primary", id="confirm-yes")
                yield Button("Cancelar", id="confirm-no")

    def on_mount(self) -> None:
        if self.value_label:
            self.query_one("#confirm-value", Input).focus()
        elif self.comment_label:
            self.query_one("#confirm-comment", TextArea).focus()
        else:
            self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    @on(Input.Submitted, "#confirm-value")
    def action_confirm(self) -> None:
        comment = ""
        if self.comment_label:
            comment = self.query_one("#confirm-comment", TextArea).text.strip()
            if self.comment_required and not comment:
                self.query_one("#confirm-error", Static).update(
                    f"{self.comment_label}: es obligatorio.")
                self.query_one("#confirm-comment", TextArea).focus()
                return
        value = self.query_one("#confirm-value", Input).value.strip() if self.value_label else ""
        self.dismiss(Confirmed(comment, value))

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(None)
