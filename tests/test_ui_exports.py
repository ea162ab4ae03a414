"""The export dialog (list and ficha) and the instructor import screen, by keyboard at 80x24,
with the files they write checked; and their SVG snapshots at 80x24 and 120x36."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from textual.widgets import DataTable, Input, Select, Static

from tui.screens.admin.import_instructores import ImportInstructoresScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.export_dialog import ExportDialog
from tui.screens.common.solicitud_detail import SolicitudDetailScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.services import exports

from .conftest import settle, wait_until
from .test_ui_admin import until

SIZE = (80, 24)
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = "tests/fixtures/instructores.csv"


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_list(app: Any, pilot: Any) -> None:
    await settle(pilot)
    app.action_open_solicitudes()
    await wait_until(pilot, lambda: "Mostrando" in text(app, "#list-status"))


async def open_export(app: Any, pilot: Any, path: Path) -> None:
    await pilot.press("ctrl+e")
    await until(pilot, lambda: isinstance(app.screen, ExportDialog))
    app.screen.query_one("#export-path", Input).value = str(path)


async def test_list_export_writes_what_the_list_shows(make_app: Any, login_as: Any,
                                                      tmp_path: Path) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        screen = app.screen
        assert isinstance(screen, SolicitudesScreen)
        screen.query_one("#filter-estado", Select).value = "PENDIENTE"
        await wait_until(pilot, lambda: "de 1 " in text(app, "#list-status"))
        await open_export(app, pilot, tmp_path / "pendientes.xlsx")
        assert text(app, ".dialog-note") == \
            "Se exporta 1 solicitud de la lista (estado Pendiente)."
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Listo" in text(app, "#export-status"))
        assert text(app, "#export-status") == \
            f"Listo: guardado en {tmp_path / 'pendientes.xlsx'}"
        wb = load_workbook(tmp_path / "pendientes.xlsx")
        assert wb.sheetnames[0] == "Resumen"
        assert [r[0] for r in wb["Listado completo"].iter_rows(min_row=2, values_only=True)] \
            == ["SOL-2026-002"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)


async def test_format_changes_the_extension_and_errors_keep_the_name(
        make_app: Any, login_as: Any, tmp_path: Path) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await open_export(app, pilot, tmp_path / "lista.xlsx")
        app.screen.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        assert box.value == str(tmp_path / "lista.csv")
        box.value = str(tmp_path / "no-existe" / "lista.csv")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "no existe" in text(app, "#export-status"))
        assert app.screen.query_one("#export-status").has_class("error")
        assert box.value == str(tmp_path / "no-existe" / "lista.csv")


async def test_escape_cancels_a_running_export_and_leaves_no_file(
        make_app: Any, login_as: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """The writer waits after its first batch until the user has pressed Escape."""
    gate = threading.Event()
    real_writer = exports._writer

    class SlowWriter:
        def __init__(self, fmt: str, path: Path, *args: Any) -> None:
            self.inner = real_writer(fmt, path, *args)

        def add(self, rows: list[Any]) -> None:
            self.inner.add(rows)
            gate.wait(10)

        def finish(self, summary: Any) -> None:
            self.inner.finish(summary)

        def abort(self) -> None:
            self.inner.abort()

    monkeypatch.setattr(exports, "BATCH", 1)
    monkeypatch.setattr(exports, "_writer", SlowWriter)
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await open_export(app, pilot, tmp_path / "todo.xlsx")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.query_one("#export-progress").display)
        await pilot.press("escape")
        assert text(app, "#export-status") == "Cancelando…"
        gate.set()
        await until(pilot, lambda: "cancelada" in text(app, "#export-status"))
        assert isinstance(app.screen, ExportDialog)  # still open: it says what happened
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
    assert list(tmp_path.iterdir()) == []


async def test_detail_exports_the_ficha_as_pdf(make_app: Any, login_as: Any,
                                               tmp_path: Path) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SolicitudDetailScreen))
        await wait_until(pilot, lambda: app.screen.sol is not None)
        codigo = app.screen.sol.codigo
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        assert f"Ficha de Caracterización de {codigo}" in text(app, ".dialog-note")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "ficha")
        await pilot.press("enter")  # Enter in the file name exports too
        await until(pilot, lambda: "Listo" in text(app, "#export-status"))
    reader = PdfReader(str(tmp_path / "ficha.pdf"))
    assert codigo in reader.pages[0].extract_text()


async def test_import_screen_dry_run_then_import_and_save_passwords(
        make_app: Any, login_as: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_users()
        await wait_until(pilot, lambda: "Mostrando" in text(app, "#users-status"))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportInstructoresScreen))
        assert app.screen.check_action("run", ()) is None  # nothing to import yet
        await pilot.press(*FIXTURE, "enter")
        await until(pilot, lambda: "Simulación" in text(app, "#import-status"))
        table = app.screen.query_one("#import-table", DataTable)
        assert table.row_count == 11
        assert "3 se crearán, 4 duplicados, 4 con errores" in text(app, "#import-status")
        await pilot.press("j", "j")  # the third row: a duplicate, its reason in full below
        assert text(app, "#import-detail") == (
            "Fila 4 · Duplicado · Carlos Repetido <carlos.rodriguez@sena.edu.co> · Duplicado: "
            "el correo carlos.rodriguez@sena.edu.co ya está registrado.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Se crearán 3 instructores en el centro CGAO" in text(app, ".dialog-note")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Importación terminada" in text(app, "#import-status"))
        labels = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert labels.count("Creado") == 3
        await pilot.press("g")
        assert "Contraseña temporal: " in text(app, "#import-detail")
        await pilot.press("escape")  # the passwords are shown only now: asked first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "no se guardaron" in text(app, ".dialog-note")
        await pilot.press("escape")  # stay
        await until(pilot, lambda: isinstance(app.screen, ImportInstructoresScreen))
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        app.screen.query_one("#confirm-value", Input).value = str(tmp_path / "claves.csv")
        await pilot.press("enter")
        await until(pilot, lambda: "guardadas" in text(app, "#import-status"))
    assert len((tmp_path / "claves.csv").read_text(encoding="utf-8-sig").splitlines()) == 4


async def test_admin_import_needs_a_centro(make_app: Any, login_as: Any,
                                           monkeypatch: Any) -> None:
    monkeypatch.chdir(ROOT)
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportInstructoresScreen(FIXTURE))
        await wait_until(pilot, lambda: len(app.screen.query_one("#import-centro",
                                                                 Select)._options) > 1)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "elija el centro" in text(app, "#import-status"))
        app.screen.query_one("#import-centro", Select).value = "CIDM"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "centro CIDM" in text(app, "#import-status"))


async def test_dialog_asks_before_replacing_and_takes_a_folder(make_app: Any, login_as: Any,
                                                               tmp_path: Path) -> None:
    """An existing file is replaced only after «Reemplazar»; Escape keeps it. A folder puts
    the default name inside it; a wrong extension is said at once and the name stays."""
    existing = tmp_path / "lista.csv"
    existing.write_bytes(b"old")
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await open_export(app, pilot, existing)
        app.screen.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert f"{existing} ya existe" in text(app, ".dialog-note")
        await pilot.press("escape")
        await until(pilot, lambda: "se conserva" in text(app, "#export-status"))
        assert existing.read_bytes() == b"old"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Listo" in text(app, "#export-status"))
        assert existing.read_bytes().startswith("\ufeffCódigo".encode())
        box = app.screen.query_one("#export-path", Input)
        box.value = str(tmp_path / "lista.pdf")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "extensión .pdf" in text(app, "#export-status"))
        assert box.value == str(tmp_path / "lista.pdf")
        box.value = str(tmp_path)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Listo" in text(app, "#export-status"))
        stem = app.screen.stem
    assert stem.startswith("solicitudes-") and (tmp_path / f"{stem}.csv").is_file()


async def test_dialog_names_the_csv_dialect(make_app: Any, login_as: Any,
                                            monkeypatch: Any) -> None:
    monkeypatch.setenv("COMPLEMENTARIAS_CSV_DIALECT", "rfc4180")
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        assert app.screen.formats["csv"] == "CSV (listado; RFC 4180: «,» y punto decimal)"
