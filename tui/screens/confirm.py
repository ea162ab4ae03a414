"""A yes/no dialog, optionally asking for a value and a comment (required or not).

Given `perform`, the dialog runs the action itself and stays open when it fails: every field
keeps what was typed, and the error shows under the field it is about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.formatting import inert
from tui.screens.dialog_guard import GuardedDialog


@dataclass(frozen=True)
class Confirmed:
    comment: str = ""
    value: str = ""
    result: Any = None
    """What `perform` returned (when the dialog ran the action itself)."""


class ConfirmScreen(GuardedDialog, ModalScreen[Confirmed | None]):
    """Confirmar."""

    HELP = ("Enter o Ctrl+S confirma; Escape cancela sin cambiar nada (si escribió algo, "
            "pregunta antes de descartarlo). Si la acción falla, el diálogo sigue abierto con "
            "lo escrito y el error bajo el campo.")
    BINDINGS = [
        Binding("escape", "cancel", "Cancelar", id="dialog-cancel"),
        Binding("ctrl+s", "confirm", "Confirmar", id="dialog-confirm"),
        Binding("f1", "app.help", "Ayuda", id="dialog-help"),
    ]

    def __init__(self, title: str, question: str, *, confirm_label: str = "Confirmar",
                 comment_label: str | None = None, comment_required: bool = False,
                 value_label: str | None = None, value: str = "",
                 perform: Callable[[Confirmed], Awaitable[Any]] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.confirm_label = confirm_label
        self.comment_label = comment_label
        self.comment_required = comment_required
        self.value_label = value_label
        self.value = value
        self.perform = perform

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Static(inert(self.title_text), classes="dialog-title", markup=False)
            yield Static(inert(self.question, multiline=True), classes="dialog-note",
                         markup=False)
            if self.value_label:
                yield Label(self.value_label, classes="field-label")
                yield Input(self.value, id="confirm-value")
                yield Static("", id="confirm-value-error", classes="error field-error",
                             markup=False)
            if self.comment_label:
                yield Label(self.comment_label + (" *" if self.comment_required else ""),
                            classes="field-label")
                yield TextArea(id="confirm-comment", soft_wrap=True)
                yield Static("", id="confirm-comment-error", classes="error field-error",
                             markup=False)
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

    def show_error(self, message: str, where: str = "") -> None:
        """`message` under the field `where` ("value", "comment") or under the dialog."""
        for slot in ("value", "comment", ""):
            widget = self.query(f"#confirm-{slot}-error" if slot else "#confirm-error")
            if widget:
                shown = message if slot == where else ""
                widget.first(Static).update(shown)
                widget.first(Static).set_class(bool(shown), "-shown")
        if where:
            self.query_one(f"#confirm-{where}").focus()

    @on(Button.Pressed, "#confirm-yes")
    @on(Input.Submitted, "#confirm-value")
    def action_confirm(self) -> None:
        comment = ""
        if self.comment_label:
            comment = self.query_one("#confirm-comment", TextArea).text.strip()
            if self.comment_required and not comment:
                self.show_error(f"{self.comment_label}: es obligatorio.", "comment")
                return
        value = self.query_one("#confirm-value", Input).value.strip() if self.value_label else ""
        answer = Confirmed(comment, value)
        if self.perform is None:
            self.dismiss(answer)
            return
        self.show_error("Procesando…")
        self.query_one("#confirm-yes", Button).disabled = True
        self._perform(answer)

    @work(exclusive=True, group="confirm")
    async def _perform(self, answer: Confirmed) -> None:
        from tui.errors import describe, report_error
        from tui.services.common import ServiceError, SessionEnded
        from tui.services.validation import ValidationFailed

        assert self.perform is not None
        try:
            result = await self.perform(answer)
        except Exception as exc:  # noqa: BLE001 - shown in the open dialog
            self.query_one("#confirm-yes", Button).disabled = False
            if isinstance(exc, SessionEnded) or not isinstance(exc, ServiceError | ValidationFailed):
                report_error(self.app, exc)
            self.show_error(describe(exc)[1], self._field_of(exc))
            return
        self.dismiss(Confirmed(answer.comment, answer.value, result))

    def _field_of(self, exc: Exception) -> str:
        """Which field an error is about: a comment error, or one naming the value's label."""
        from tui.services.validation import ValidationFailed

        if isinstance(exc, ValidationFailed) and self.comment_label and \
                any(e.field.startswith("coment") for e in exc.errors):
            return "comment"
        if self.value_label and self.value_label.lower() in str(exc).lower():
            return "value"
        return ""

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.cancel_guarded(None)
