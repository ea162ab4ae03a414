"""The line under a list that shows, for the selected row, every column the table cannot.

At 80 columns a list either pushes its last columns off the right edge or cuts long values
("Excel Básico para Ges…"). This pane names each column of the selected row that is out of
sight or cut, with its whole value, so every column of every list can be read from the
keyboard without scrolling sideways. When the whole row fits, it is empty and takes no room.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.widgets import DataTable, Static

from tui.uikit.formatting import inert


def hidden_columns(table: DataTable[Any], values: Sequence[str]) -> list[int]:
    """Indexes of the columns of the cursor's row that are out of the table's view or whose
    cell shows less than `values` (the row's whole values, in column order)."""
    if not table.row_count or not 0 <= table.cursor_row < table.row_count:
        return []
    cells = table.get_row_at(table.cursor_row)
    view = table.scrollable_content_region.width or table.size.width
    left, out, x = table.scroll_x, [], 0
    for i, column in enumerate(table.ordered_columns):
        width = column.get_render_width(table)
        seen = x >= left and x + width <= left + view
        x += width
        if i >= len(values):
            break
        shown = str(getattr(cells[i], "plain", cells[i])) if i < len(cells) else ""
        if not seen or shown.strip() != str(values[i]).strip():
            out.append(i)
    return out


class RowDetail(Static):
    """The selected row's hidden or cut columns, in full ("Empresa: … · Ficha: …")."""

    DEFAULT_CSS = """
    RowDetail { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.display = False
        self._row: tuple[DataTable[Any], Sequence[str] | None] | None = None

    def show_row(self, table: DataTable[Any], values: Sequence[str] | None) -> None:
        """Show what the table hides of its cursor's row (`values`: the row in full), unless
        the app hides the line (F8, `show_row_detail`)."""
        self._row = (table, values)
        if values is None or not getattr(self.app, "show_row_detail", True):
            self.display = False
            return
        labels = [str(getattr(c.label, "plain", c.label)) for c in table.ordered_columns]
        parts = [f"{labels[i]}: {inert(values[i]) or '—'}"
                 for i in hidden_columns(table, values)]
        self.update(" · ".join(parts))
        self.display = bool(parts)

    def redisplay(self) -> None:
        """Show or hide the last row again (after F8)."""
        if self._row is not None:
            self.show_row(*self._row)
