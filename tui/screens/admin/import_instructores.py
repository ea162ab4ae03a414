"""Import instructors from a CSV or XLSX file: dry run first, then one transaction.

The table shows every row of the file with its result (se crea / duplicado / error and why).
After the import it shows each new account's temporary password, once; Ctrl+G saves them to
a CSV for the coordinator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static

from tui.render.format import plural, stamp
from tui.screens.admin.admin_list import centro_options
from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.services import import_files, imports
from tui.services.common import ServiceError
from tui.services.exports import TargetExists
from tui.uikit import keymap
from tui.uikit.errors import describe
from tui.uikit.formatting import literal
from tui.uikit.workers import service_worker
from tui.widgets.table import Table

HINT = ("Columnas: nombres, apellidos, cedula, email, telefono, especialidad (en cualquier "
        "orden). CSV o XLSX, hasta {mb} MB y {rows} filas. Enter o Ctrl+R revisa el archivo "
        "sin crear nada; Ctrl+S importa.")


class ImportInstructoresScreen(MainScreen):
    """Importar instructores."""

    HELP = keymap.HELP["ImportInstructoresScreen"]
    BINDINGS = keymap.BINDINGS["ImportInstructoresScreen"]

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.initial_path = path
        self.report: imports.ImportReport | None = None
        self.checked: tuple[str, str | None] | None = None  # (path, centro) of the report
        self.busy = False

    def compose_body(self) -> ComposeResult:
        app = self.app
        self.is_admin = app.actor.role == "ADMIN"
        heading = "Importar instructores" + ("" if self.is_admin else
                                            f" · centro {app.actor.centro_codigo}")
        yield Static(heading, classes="admin-heading", markup=False)
        with Horizontal(classes="import-row"):
            yield Label("Archivo", classes="import-label")
            yield Input(self.initial_path, placeholder="ruta del .csv o .xlsx",
                        id="import-path", compact=True)
        if self.is_admin:
            with Horizontal(classes="import-row"):
                yield Label("Centro", classes="import-label")
                yield Select([], prompt="Elija el centro", id="import-centro", compact=True)
        yield Static(HINT.format(mb=import_files.MAX_BYTES // 1048576, rows=import_files.MAX_ROWS),
                     id="import-hint", markup=False)
        yield Table(id="import-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-detail", markup=False)
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Static("", id="import-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#import-table", DataTable)
        for label, width in (("Fila", 4), ("Resultado", 9), ("Nombre", 18), ("Correo", 24),
                             ("Motivo / contraseña", None)):
            table.add_column(label, width=width)
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-path", Input).focus()
        if self.is_admin:
            self.load_centros()

    @service_worker("import-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        options = await centro_options(self.app, active_only=True)
        self.query_one("#import-centro", Select).set_options(
            (label, label.split(" · ")[0]) for label, _id in options)

    # ---- state -------------------------------------------------------------------------------
    def _inputs(self) -> tuple[str, str | None]:
        path = self.query_one("#import-path", Input).value.strip()
        centro = None
        if self.is_admin:
            value = self.query_one("#import-centro", Select).value
            centro = None if value is Select.NULL else str(value)
        return path, centro

    def status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#import-status", Static)
        widget.update(text)
        widget.set_class(error, "error")

    def failed(self, exc: BaseException, checked: bool = True) -> bool:
        """A failed check or import, said on the screen (the path stays typed); a failed
        check also drops the last report."""
        if not checked:
            self.report = None
            self.query_one("#import-table", DataTable).clear()
            self.refresh_bindings()
        self.status(describe(exc)[1], error=True)
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "run":
            ready = self.report is not None and self.report.dry_run \
                and self.report.count(imports.CREAR) > 0
            return True if ready else None
        if action == "save_passwords":
            return True if self.report is not None and self.report.created else None
        return True

    def _fill(self, report: imports.ImportReport) -> None:
        table = self.query_one("#import-table", DataTable)
        table.clear()
        for r in report.rows:
            table.add_row(str(r.linea), self._label(r), literal(r.nombre), literal(r.email),
                          literal(self._last(r)), key=str(r.linea))
        self._show_detail()
        self.refresh_bindings()

    @staticmethod
    def _label(r: imports.ImportRow) -> str:
        return "Creado" if r.password else imports.STATUS_LABEL[r.estado]

    @staticmethod
    def _last(r: imports.ImportRow) -> str:
        return f"Contraseña temporal: {r.password}" if r.password else r.motivo

    @on(DataTable.RowHighlighted, "#import-table")
    def _show_detail(self) -> None:
        """The highlighted row in full (the table cuts long reasons at 80 columns)."""
        table = self.query_one("#import-table", DataTable)
        row = None
        if self.report is not None and table.row_count:
            line = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            row = next((r for r in self.report.rows if str(r.linea) == line), None)
        self.query_one("#import-detail", Static).update(
            "" if row is None else f"Fila {row.linea} · {self._label(row)} · "
            f"{row.nombre or '—'} <{row.email or '—'}>" + (f" · {self._last(row)}"
                                                         if self._last(row) else ""))

    # ---- actions -------------------------------------------------------------------------------
    @on(Input.Submitted, "#import-path")
    def action_check(self) -> None:
        if not self.busy:
            self.dry_run()

    @service_worker("import", on_error=lambda screen, exc: screen.failed(exc, checked=False))
    async def dry_run(self) -> None:
        app = self.app
        path, centro = self._inputs()
        self.status("Revisando el archivo…")
        report = await imports.dry_run(app.pool, app.actor, path, centro)
        self.report, self.checked = report, (path, centro)
        self._fill(report)
        ready = "Ctrl+S crea las cuentas." if report.count(imports.CREAR) else \
            "No hay filas para crear."
        self.status(f"Simulación: {report.summary()}. {ready}")
        self.query_one("#import-table", DataTable).focus()

    def action_run(self) -> None:
        if self.report is not None and self.report.dry_run and not self.busy:
            self.run_import()

    @service_worker("import", on_error=lambda screen, exc: screen.failed(exc))
    async def run_import(self) -> None:
        app = self.app
        path, centro = self._inputs()
        if (path, centro) != self.checked:
            self.status("El archivo o el centro cambió: revíselo de nuevo (Enter).", True)
            return
        assert self.report is not None
        n = self.report.count(imports.CREAR)
        answer = await app.push_screen_wait(ConfirmScreen(
            "Importar instructores", f"{'Se creará' if n == 1 else 'Se crearán'} "
            f"{plural(n, 'instructor', 'instructores')} en el centro "
            f"{self.report.centro_codigo}, en una sola transacción. Las filas duplicadas o "
            "con errores se omiten.", confirm_label="Importar"))
        if answer is None:
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display, self.busy = True, True
        bar.update(total=n, progress=0)

        def progress(done: int, total: int) -> None:
            bar.update(total=max(total, 1), progress=done)
            self.status(f"Preparando contraseñas: {done} de {total}…")

        try:
            report = await imports.run_import(app.pool, app.actor, path, centro, progress)
        finally:
            bar.display, self.busy = False, False
        self.report = report
        self._fill(report)
        self.status(f"Importación terminada: {report.summary()}. Las contraseñas se muestran "
                    "solo ahora: Ctrl+G las guarda en un archivo.")

    def action_save_passwords(self) -> None:
        if self.report is not None and self.report.created:
            self.save_passwords()

    @service_worker("import-save")
    async def save_passwords(self) -> None:
        app = self.app
        assert self.report is not None
        default = Path.cwd() / f"contrasenas-{stamp()}.csv"
        report = self.report

        async def write(answer: Any) -> Any:
            """Inside the dialog: a failure keeps it open with the path typed; an existing
            file is replaced only if the user says so."""
            try:
                return imports.write_passwords(report, answer.value)
            except TargetExists as exists:
                again = await app.push_screen_wait(ConfirmScreen(
                    "Reemplazar archivo", f"{exists.path} ya existe. ¿Reemplazarlo?",
                    confirm_label="Reemplazar"))
                if again is None:
                    raise ServiceError("Archivo: ya existe y se conserva; escriba otro "
                                       "nombre.") from None
                return imports.write_passwords(report, exists.path, force=True)

        answer = await app.push_screen_wait(ConfirmScreen(
            "Guardar contraseñas temporales", "Se guarda un CSV con nombre, correo, cédula y "
            "contraseña temporal de cada cuenta creada (solo su usuario puede leerlo).",
            confirm_label="Guardar", value_label="Archivo", value=str(default), perform=write))
        if answer is None:
            return
        saved = answer.result
        self.passwords_saved = True
        self.status(f"Contraseñas guardadas en {saved}")
        app.notify(f"Contraseñas guardadas en {saved}", title="Guardado", markup=False)

    def action_move(self, delta: int) -> None:
        table = self.query_one("#import-table", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + delta)))

    passwords_saved = False

    def action_back(self) -> None:
        self.guard_leave(self.app.pop_screen)

    def guard_leave(self, proceed: Any) -> None:
        """Every way out (Escape; F3, F12, Ctrl+Q through the app): not while importing, and
        the temporary passwords, shown only now, are not left behind unasked."""
        if self.busy:
            self.app.notify("Espere a que termine la importación.", severity="warning")
            return
        if self.report is None or not self.report.created or self.passwords_saved:
            proceed()
            return
        self.app.push_screen(ConfirmScreen(
            "Contraseñas sin guardar", "Las contraseñas temporales se muestran solo ahora y no "
            "se guardaron (Ctrl+G). ¿Salir de todos modos?", confirm_label="Salir"),
            lambda answer: proceed() if answer is not None else None)
