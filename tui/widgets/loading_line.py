"""A one-line "Cargando…" status: the low-bandwidth stand-in for Textual's animated indicator."""

from __future__ import annotations

from textual.widgets import Static


class LoadingLine(Static):
    """Drawn once; never animates (an animated indicator repaints its area many times a second)."""

    DEFAULT_CSS = """
    LoadingLine { height: 1; width: 100%; content-align: left top; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__("Cargando…", markup=False)
