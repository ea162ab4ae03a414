"""Redrawing a line of text without laying the screen out again when its size is fixed."""

from __future__ import annotations

from textual.widgets import Static


def show_text(line: Static, text: str) -> None:
    """Show `text` in `line`. Static.update lays the whole screen out again by default; a
    line whose width and height do not depend on its text (no `auto` in its CSS) only needs
    a repaint. Status lines change on every key or row move, so that layout was paid per key
    (~15 ms of CPU on the solicitud form)."""
    line.update(text, layout=line.styles.auto_dimensions)
