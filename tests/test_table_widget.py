"""The project's DataTable: a frame drawn between adding rows and measuring them must not leave
the header at the old column widths (a race seen under load in the snapshots)."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.table import Table


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Table()


async def test_header_follows_widths_measured_after_a_frame_was_drawn() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Código", "Estado")
        await pilot.pause()
        table.clear()
        table.add_row("SOL-2026-000002", "En revisión larga")
        assert table.render_line(0).text.rstrip() == " Código  Estado"  # drawn before idle
        await table._on_idle(events.Idle())  # measures the new widths, as on idle
        assert table.render_line(0).text.rstrip() == " Código           Estado"
        assert isinstance(table, DataTable)  # screens still query it as a DataTable
