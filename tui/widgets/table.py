"""The DataTable every screen uses: one whose cached lines follow its columns' widths.

Textual's DataTable caches rendered cells and lines under a counter of changes. Adding rows
bumps the counter at once but measures the new column widths later, on idle; a frame drawn in
between caches the header at the old widths under the new counter, and it stays narrow (seen
under load: headers shorter than their columns). Bumping the counter whenever the widths
change after measuring drops those lines.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Iterable

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class Table(DataTable[Any]):
    """A DataTable that redraws its cached lines when its column widths change."""

    _measured: tuple[int, ...] = ()

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        if widths != self._measured:
            self._measured = widths
            self._update_count += 1  # the cache key of every cell, row and line
            self.refresh()
