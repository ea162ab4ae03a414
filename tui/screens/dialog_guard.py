"""Escape never throws typed text away unasked: the guard every dialog with fields shares.

A dialog remembers what its fields held once it was drawn (or once its data arrived:
`snapshot_fields`); leaving it with `cancel_guarded` while a field differs asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widgets import Checkbox, Input, Select, TextArea


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
        from tui.screens.confirm import ConfirmScreen

        def answered(answer: Any) -> None:
            if answer is not None:
                proceed()

        screen.app.push_screen(ConfirmScreen(
            "¿Descartar lo escrito?", "Este diálogo tiene cambios sin guardar. Si lo cierra "
            "ahora se pierden.", confirm_label="Descartar y cerrar"), answered)
