"""Horizontal bars drawn with block characters: label, bar, value. Readable in 16 colours and
in monochrome (the bar's length carries the figure; the colour only helps), and scaled to the
width the widget gets, so it fits 80 columns as well as 200."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float, largest: float, width: int) -> str:
    """A bar of `width` cells for the largest value, with eighth-cell precision; any value
    above zero gets at least a sliver, so small counts never look like none."""
    if largest <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


class BarChart(Static):
    """Rows of (label, value, shown text); `set_rows` replaces them."""

    DEFAULT_CLASSES = "bar-chart"

    def __init__(self, *, id: str | None = None, empty: str = "Sin datos.") -> None:
        super().__init__("", id=id, markup=False)
        self.rows: list[tuple[str, float, str]] = []
        self.empty = empty

    def set_rows(self, rows: list[tuple[str, float, str]]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return max(1, len(self.rows))

    def render(self) -> Text:
        if not self.rows or not any(v > 0 for _l, v, _s in self.rows):
            return Text(self.empty, style="dim")
        label_w = min(max(len(label) for label, _v, _s in self.rows), 24)
        shown_w = max(len(shown) for _l, _v, shown in self.rows)
        room = max(4, self.size.width - label_w - shown_w - 3)
        largest = max(v for _l, v, _s in self.rows)
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (label, value, shown) in enumerate(self.rows):
            if i:
                out.append("\n")
            out.append(label[:label_w].ljust(label_w) + " ")
            drawn = bar(value, largest, room)
            out.append(drawn, style="bold")
            out.append(" " * (room - len(drawn) + 1) + shown.rjust(shown_w), style="dim")
        return out
