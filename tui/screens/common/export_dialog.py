"""Export dialog: format and file name, a progress bar, cancel, and where the file went.

Used for a filtered list of solicitudes (exactly the `Filtros` the list shows), for the view of
any other list screen (`exports.ListView`: its service, filters, search and order) and for one
solicitud's ficha.
The export runs in a worker; Escape while it runs cancels it (no partial file is left). A
folder as the name puts the default file name inside it; an existing file is replaced only
after a confirmation.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from tui.downloads import confine, download_hint, session_folder
from tui.render.format import (
    CSV_DIALECTS,
    default_csv_dialect,
    numero,
    plural,
    stamp,
)
from tui.screens.common.confirm import ConfirmScreen
from tui.services import exports
from tui.services.solicitudes import Filtros
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe
from tui.uikit.workers import service_worker

FORMAT_LABEL = {"xlsx": "XLSX (resumen, listado y agrupaciones)", "csv": "CSV (listado)",
                "pdf": "PDF (informe resumido)"}
FICHA_LABEL = {"pdf": "PDF (ficha paginada)", "xlsx": "XLSX (ficha en hojas)"}
VIEW_LABEL = {"csv": "CSV (las filas de la lista)", "xlsx": "XLSX (las filas de la lista)"}


class ExportDialog(ModalScreen[str | None]):
    """Exportar."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    HELP = keymap.HELP["ExportDialog"]
    BINDINGS = keymap.BINDINGS["ExportDialog"]

    def __init__(self, title: str, what: str, formats: dict[str, str], stem: str, *,
                 filtros: Filtros | None = None, solicitud: str | None = None,
                 view: exports.ListView | None = None,
                 noun: tuple[str, str] = ("solicitud", "solicitudes"),
                 directory: Path | None = None) -> None:
        super().__init__()
        self.title_text, self.what, self.formats, self.stem = title, what, formats, stem
        self.filtros, self.solicitud, self.view, self.noun = filtros, solicitud, view, noun
        self.directory = session_folder() or directory or Path.cwd()  # over SSH: fixed
        self.token: exports.CancelToken | None = None
        self.saved: str | None = None

    @classmethod
    def for_list(cls, filtros: Filtros, total: int | None = None,
                 directory: Path | None = None) -> ExportDialog:
        shown = plural(total, "solicitud", "solicitudes") if total is not None \
            else "las solicitudes"
        verb = "Se exporta" if total == 1 else "Se exportan"
        what = f"{verb} {shown} de la lista ({exports.describe_filters(filtros)})."
        stem = f"solicitudes-{stamp()}"
        dialect = CSV_DIALECTS[default_csv_dialect()]
        formats = {**FORMAT_LABEL, "csv": f"CSV (listado; {dialect.label})"}
        return cls("Exportar lista", what, formats, stem, filtros=filtros,
                   directory=directory)

    @classmethod
    def for_view(cls, view: exports.ListView, total: int, noun: tuple[str, str],
                 directory: Path | None = None) -> ExportDialog:
        """A list screen's view: every row it lists (all pages), in its order."""
        verb = "Se exporta" if total == 1 else "Se exportan"
        what = f"{verb} {plural(total, *noun)} de la lista ({view.filtros})."
        dialect = CSV_DIALECTS[default_csv_dialect()]
        formats = {**VIEW_LABEL, "csv": f"CSV (las filas de la lista; {dialect.label})"}
        return cls(f"Exportar {view.titulo.lower()}", what, formats,
                   f"{view.nombre}-{stamp()}", view=view, noun=noun, directory=directory)

    @classmethod
    def for_solicitud(cls, solicitud_id: str, codigo: str,
                      directory: Path | None = None) -> ExportDialog:
        return cls("Exportar ficha", "Se exporta la Ficha de Caracterización de "
                   f"{codigo} (F11-3030-003).",
                   FICHA_LABEL, codigo, solicitud=solicitud_id, directory=directory)

    def compose(self) -> ComposeResult:
        first = next(iter(self.formats))
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.what, classes="dialog-note", markup=False)
            yield Label("Formato", classes="field-label")
            yield Select([(label, key) for key, label in self.formats.items()], value=first,
                         allow_blank=False, id="export-format", compact=True)
            yield Label("Archivo", classes="field-label")
            yield Input(str(self.directory / f"{self.stem}.{first}"), id="export-path",
                        compact=True)
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static("", id="export-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Exportar (Ctrl+S)", variant="primary", id="export-yes",
                             compact=True)
                yield Button("Cerrar (Esc)", id="export-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-path", Input).focus()

    @property
    def fmt(self) -> str:
        return str(self.query_one("#export-format", Select).value)

    @on(Select.Changed, "#export-format")
    def _format(self) -> None:
        """Keep the file name's extension in step with the format."""
        box = self.query_one("#export-path", Input)
        path = Path(box.value)
        if path.suffix.lstrip(".").lower() in self.formats:
            box.value = str(path.with_suffix(f".{self.fmt}"))

    def status(self, text: str, error: bool = False) -> None:
        widget = self.query_one("#export-status", Static)
        widget.update(text)
        widget.set_class(error, "error")

    @property
    def running(self) -> bool:
        return self.token is not None

    @on(Button.Pressed, "#export-yes")
    @on(Input.Submitted, "#export-path")
    def action_export(self) -> None:
        if not self.running:
            self.token = exports.CancelToken()
            self.start(self.token)

    @service_worker("export-check", on_error=lambda dialog, exc: dialog.failed(exc))
    async def start(self, token: exports.CancelToken) -> None:
        """Check the name first: a wrong one is said at once; an existing file is replaced
        only if the user confirms."""
        path = confine(self.query_one("#export-path", Input).value.strip())  # SSH: own folder
        try:
            target = exports.resolve_target(path, self.fmt, f"{self.stem}.{self.fmt}")
            force = False
        except exports.TargetExists as exc:
            answer = await self.app.push_screen_wait(ConfirmScreen(
                "Reemplazar archivo", f"{exc.path} ya existe. ¿Reemplazarlo con esta "
                "exportación?", confirm_label="Reemplazar"))
            if answer is None:
                self.token = None
                self.status("No se exportó: el archivo existente se conserva.")
                return
            target, force = exc.path, True
        self.run_export(token, target, force)

    @on(Button.Pressed, "#export-no")
    def action_cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()
            self.status("Cancelando…")
            return
        self.dismiss(self.saved)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.status(f"{numero(done)} de {plural(total, *self.noun)}…")

    def failed(self, exc: BaseException) -> bool:
        """Said in the dialog (no toast); what was typed stays for another try."""
        self.token = None
        self.status(describe(exc)[1], error=True)
        self.query_one("#export-progress", ProgressBar).display = False
        return True

    @service_worker("export", on_error=lambda dialog, exc: dialog.failed(exc))
    async def run_export(self, token: exports.CancelToken, path: Path, force: bool) -> None:
        app = self.app
        bar = self.query_one("#export-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#export-yes", Button).disabled = True
        self.status("Exportando…")
        try:
            if self.view is not None:
                result = await exports.export_view(app.pool, app.actor, self.view, self.fmt,
                                                   path, progress=self._progress, cancel=token,
                                                   force=force)
            elif self.filtros is not None:
                result = await exports.export_list(app.pool, app.actor, self.filtros, self.fmt,
                                                   path, progress=self._progress, cancel=token,
                                                   force=force)
            else:
                assert self.solicitud is not None
                result = await exports.export_solicitud(app.pool, app.actor, self.solicitud,
                                                        self.fmt, path, force=force)
        finally:
            self.token = None
            self.query_one("#export-yes", Button).disabled = False
        bar.update(total=max(result.rows, 1), progress=max(result.rows, 1))
        self.saved = str(result.path)
        hint = download_hint(str(result.path))
        self.status(f"Listo: guardado en {result.path}" + (f"\n{hint}" if hint else ""))
        self.query_one("#export-no", Button).focus()
        app.notify(f"Archivo guardado en {result.path}", title="Exportado", markup=False)
