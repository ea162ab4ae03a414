"""A save was refused because someone changed the solicitud first: show what differs and let
the user reload (losing their edits) or overwrite (saving theirs over the stored copy)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.uikit import keymap
from tui.widgets import form_model as fm

RELOAD = "reload"
OVERWRITE = "overwrite"


class FormConflictScreen(ModalScreen[str | None]):
    """Cambios de otra persona."""

    HELP = keymap.HELP["FormConflictScreen"]
    BINDINGS = keymap.BINDINGS["FormConflictScreen"]

    def __init__(self, message: str, changed: tuple[str, ...], current: dict[str, Any]) -> None:
        super().__init__()
        self.message = message
        self.changed = changed
        self.current = current or {}

    def compose(self) -> ComposeResult:
        lines = [f"• {fm.label(f)}: {fm.display(f, self.current.get(f))}" for f in self.changed]
        with Vertical(classes="dialog", id="conflict-dialog"):
            yield Static("Cambiada por otra persona", classes="dialog-title")
            yield Static(self.message, classes="dialog-note", markup=False)
            yield Static("Campos que difieren (valor guardado ahora):", classes="dialog-subtitle")
            with VerticalScroll(id="conflict-list"):
                yield Static("\n".join(lines) or "Solo cambiaron los horarios u otros datos "
                             "internos.", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Recargar (perder mis cambios)", id="conflict-reload")
                yield Button("Sobrescribir (guardar lo mío)", variant="warning",
                             id="conflict-overwrite")

    def on_mount(self) -> None:
        self.query_one("#conflict-reload", Button).focus()

    @on(Button.Pressed, "#conflict-reload")
    def action_reload(self) -> None:
        self.dismiss(RELOAD)

    @on(Button.Pressed, "#conflict-overwrite")
    def action_overwrite(self) -> None:
        self.dismiss(OVERWRITE)

    def action_cancel(self) -> None:
        self.dismiss(None)
