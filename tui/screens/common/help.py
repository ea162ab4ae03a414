"""F1: help for the focused field and the current screen, and every key that works here."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from tui.uikit import keymap


def _help_of(widget: Widget | None) -> str:
    """The nearest HELP text from the focused widget up to the screen."""
    node: Any = widget
    while node is not None and not isinstance(node, Screen):
        text = getattr(node, "HELP", None) or getattr(node, "help_text", None)
        if text:
            return str(text)
        node = node.parent
    return ""


def key_rows(screen: Screen[Any], focused: Widget | None) -> list[tuple[str, str, str]]:
    """(keys, description, id) of the bindings active on this screen, focused widget first."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    chain: list[Any] = []
    node: Any = focused
    while node is not None:
        chain.append(node)
        node = node.parent
    if screen not in chain:
        chain.append(screen)
    app = screen.app
    keymap = getattr(app, "_keymap", {}) or {}
    for node in chain:
        for b in getattr(node, "BINDINGS", []):
            if not isinstance(b, Binding) or not b.description or not b.id:
                continue  # Textual's own widget keys (arrows, paging) are summarised below
            key = keymap.get(b.id, b.key) if b.id else b.key
            ident = b.id or b.action
            if ident in seen:
                continue
            seen.add(ident)
            rows.append((app.get_key_display(Binding(key.split(",")[0], b.action)), b.description,
                         b.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Ayuda."""

    BINDINGS = keymap.BINDINGS["HelpScreen"]

    def __init__(self, screen: Screen[Any], focused: Widget | None) -> None:
        super().__init__()
        self.target = screen
        self.target_focused = focused

    def compose(self) -> ComposeResult:
        title = (self.target.__class__.__doc__ or "").strip().splitlines()[0:1]
        field_help = _help_of(self.target_focused)
        screen_help = getattr(self.target, "HELP", "") or ""
        lines = [f"Ayuda — {title[0] if title else 'pantalla'}", ""]
        if field_help and field_help != screen_help:
            lines += ["Campo actual:", f"  {field_help}", ""]
        if screen_help:
            lines += [str(screen_help), ""]
        lines.append("Teclas:")
        for key, desc, ident in key_rows(self.target, self.target_focused):
            lines.append(f"  {key:<12} {desc:<28} {ident}")
        lines += ["  Flechas, AvPág/RePág, Inicio/Fin: moverse · Tab: siguiente campo · "
                  "Escape: volver"]
        lines += ["", "Ctrl+P abre la paleta con todas las acciones. Las teclas se pueden "
                      "cambiar en el archivo de configuración (ver `complementarias keys`)."]
        with VerticalScroll(id="help-box", classes="dialog"):
            yield Static("\n".join(lines), id="help-text", markup=False)

    def action_dismiss(self) -> None:  # type: ignore[override]  # Escape closes with no result
        self.dismiss(None)
