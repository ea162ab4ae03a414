"""SVG snapshots of the export dialog (over the list) and the instructor import screen (after
a dry run) at 80x24 and 120x36.

Update after an intended visual change with
`pytest tests/test_snapshots_exports.py --snapshot-update` and review the SVGs in
tests/__snapshots__/test_snapshots_exports/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tui.screens.admin.import_instructores import ImportInstructoresScreen
from tui.screens.common.export_dialog import ExportDialog

from .conftest import settle, wait_until
from .test_snapshots import session_for
from .test_ui_admin import until
from .test_ui_exports import FIXTURE, open_list, text

ROOT = Path(__file__).resolve().parent.parent

SIZES = [(80, 24), (120, 36)]


async def _export_dialog(pilot: Any) -> None:
    app = pilot.app
    await open_list(app, pilot)
    # the years arrive in their own worker: the table behind the dialog is settled after them
    await wait_until(pilot, lambda: len(app.screen.query_one("#filter-year")._options) > 1)
    await settle(pilot)
    await pilot.press("ctrl+e")
    await until(pilot, lambda: isinstance(app.screen, ExportDialog))
    app.screen.query_one("#export-path", Input).value = "/srv/exportes/solicitudes.xlsx"
    await pilot.pause(0.3)


async def _import_screen(pilot: Any) -> None:
    app = pilot.app
    await settle(pilot)
    app.push_screen(ImportInstructoresScreen(FIXTURE))
    await pilot.pause()
    await pilot.press("ctrl+r")
    await until(pilot, lambda: "Simulación" in text(app, "#import-status"))
    await pilot.press("j", "j")
    await pilot.pause(0.3)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("name", ["exportar_lista", "importar_instructores"])
def test_export_import_screen(snap_compare: Any, make_app: Any, demo_url: str, name: str,
                                 size: tuple[int, int], monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    app = make_app(session_for(demo_url, "juan"))
    run = _export_dialog if name == "exportar_lista" else _import_screen
    assert snap_compare(app, terminal_size=size, run_before=run)
