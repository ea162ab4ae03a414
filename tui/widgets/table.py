"""The DataTable every screen uses: cached lines that follow the columns' widths, and a row
move drawn in one frame with everything that depends on the selected row.

Textual's DataTable caches rendered cells and lines under a counter of changes. Adding rows
bumps the counter at once but measures the new column widths later, on idle; a frame drawn in
between caches the header at the old widths under the new counter, and it stays narrow (seen
under load: headers shorter than their columns). Bumping the counter whenever the widths
change after measuring drops those lines.

A moved cursor announces itself with `RowHighlighted`, a message that reaches the screen a
few hops later; by then Textual has often drawn the moved row, and what the screen changes
for the new row (the footer's keys, the row-detail line) went out as a second write. A table
given `follow` calls it at once when its cursor changes row, and, when the app sends only the
changed cells (`diffs_frames`, the low-bandwidth encoder), asks the screen for one repaint
that draws the row, the footer and the detail line together. The message is still posted
(the screens' handlers run again: they are idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class Table(DataTable[Any]):
    """A DataTable that redraws its cached lines when its column widths change, and whose
    row moves update the screen in the same frame (`follow`)."""

    _measured: tuple[int, ...] = ()

    def __init__(self, *args: Any, follow: Callable[[], None] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._follow = follow

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        if widths != self._measured:
            self._measured = widths
            self._update_count += 1  # the cache key of every cell, row and line
            self.refresh()

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if self._follow is None or old.row == new.row or not self.is_attached:
            return
        self._follow()
        if getattr(self.app, "diffs_frames", False):
            # Each widget's refresh reaches the screen from its own message loop: one repaint
            # of the screen draws them all in the next frame, whichever arrives first (only
            # the changed cells are sent).
            self.screen.refresh(layout=True)
