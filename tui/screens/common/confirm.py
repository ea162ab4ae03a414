"""A yes/no dialog, optionally asking for a value and a comment (required or not), and the
guard every dialog with fields shares (it asks with this dialog).

Given `perform`, the dialog runs the action itself and stays open when it fails: every field
keeps what was typed, and the error shows under the field it is about.

Escape never throws typed text away unasked: a dialog remembers what its fields held once it
was drawn (or once its data arrived: `snapshot_fields`); leaving it with `cancel_guarded` while
a field differs asks first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from tui.uikit import keymap
from tui.uikit.formatting import inert
from tui.uikit.workers import service_worker


def field_values(screen: Any) -> dict[str, object]:
    """What every editable field of `screen` holds, by widget (value or text)."""
    values: dict[str, object] = {}
    for widget in screen.query("Input, TextArea, Select, Checkbox"):
        key = widget.id or str(id(widget))
        if isinstance(widget, TextArea):
            values[key] = widget.text
        elif isinstance(widget, (Input, Select, Checkbox)):
            values[key] = widget.value
    return values


class GuardedDialog:
    """Mixin for a ModalScreen: `cancel_guarded()` dismisses it, asking first when a field
    was changed since `snapshot_fields()` (taken once the dialog is drawn)."""

    _initial_fields: dict[str, object] | None = None

    def _on_mount(self, event: events.Mount) -> None:
        # Textual calls the `_on_mount` of every class in the MRO, so Screen's runs too.
        screen: Any = self
        screen.call_after_refresh(self._first_snapshot)

    def _first_snapshot(self) -> None:
        if self._initial_fields is None:
            self.snapshot_fields()

    def snapshot_fields(self) -> None:
        """The fields as they are now count as unchanged (call after loading data)."""
        self._initial_fields = field_values(self)

    def fields_changed(self) -> bool:
        return self._initial_fields is not None and field_values(self) != self._initial_fields

    def cancel_guarded(self, result: Any = None) -> None:
        """Close with `result`; when something was typed, only after the user agrees."""
        screen: Any = self
        self.guard_leave(lambda: screen.dismiss(result))

    def guard_leave(self, proceed: Callable[[], Any]) -> None:
        """Run `proceed` (which closes this dialog), asking first when a field was changed;
        the app's leave paths (F3, F12, Ctrl+Q, the palette) come here too."""
        screen: Any = self
        if not self.fields_changed():
            proceed()
            return
        def answered(answer: Any) -> None:
            if answer is not None:
                proceed()

        screen.app.push_screen(ConfirmScreen(
            "¿Descartar lo escrito?", "Este diálogo tiene cambios sin guardar. Si lo cierra "
            "ahora se pierden.", confirm_label="Descartar y cerrar"), answered)


@dataclass(frozen=True)
class Confirmed:
    comment: str = ""
    value: str = ""
    result: Any = None
    """What `perform` returned (when the dialog ran the action itself)."""


class ConfirmScreen(GuardedDialog, ModalScreen[Confirmed | None]):
    """Confirmar."""

    HELP = keymap.HELP["ConfirmScreen"]
    BINDINGS = keymap.BINDINGS["ConfirmScreen"]

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

    @service_worker("confirm", on_error=lambda dialog, exc: dialog._failed(exc))
    async def _perform(self, answer: Confirmed) -> None:
        assert self.perform is not None
        result = await self.perform(answer)
        self.dismiss(Confirmed(answer.comment, answer.value, result))

    def _failed(self, exc: BaseException) -> bool:
        """Shown in the open dialog, under the field it is about; a refusal (a rule, bad
        input) only there, anything else also as a toast."""
        from tui.services.common import ServiceError
        from tui.services.validation import ValidationFailed
        from tui.uikit.errors import describe

        self.query_one("#confirm-yes", Button).disabled = False
        self.show_error(describe(exc)[1], self._field_of(exc))
        return isinstance(exc, ServiceError | ValidationFailed)

    def _field_of(self, exc: BaseException) -> str:
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
