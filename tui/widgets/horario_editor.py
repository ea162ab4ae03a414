"""The horario editor: a table of rows, keys to add, edit, delete and apply templates, and the
live hours calculator under it (its end date is a suggestion that `c` copies on request)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.screens.instructor.horario_plantilla import GENERAR, HorarioPlantillaScreen
from tui.screens.instructor.horario_row import HorarioRowScreen
from tui.services import horarios as hz
from tui.services.validation import FieldError
from tui.uikit import keymap
from tui.uikit.formatting import horas
from tui.widgets import form_model as fm
from tui.widgets.table import Table

HINT = "a agregar · e editar · x quitar · t plantilla · c copiar fin estimado"


class HorarioEditor(Vertical):
    """Horarios."""

    HELP = keymap.HELP["HorarioEditor"]
    BINDINGS = keymap.BINDINGS["HorarioEditor"]

    class Changed(Message):
        """The user changed the rows."""

    class CopyEndDate(Message):
        """The user asked to copy the estimated end date into fechaFinalizacionCurso."""

        def __init__(self, fecha: date) -> None:
            super().__init__()
            self.fecha = fecha

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[hz.Horario] = []
        self.duracion: int | None = None
        self.fecha_inicio: date | None = None
        self.row_errors: dict[int, str] = {}
        self.read_only = False

    def compose(self) -> ComposeResult:
        yield Static("Horarios *", classes="form-label horario-title")
        yield Table(id="horario-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="horario-errors", classes="form-error", markup=False)
        yield Static("", id="horario-calc")
        yield Static(HINT, id="horario-hint")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("#", "Día", "Fecha", "Inicio", "Fin", "Flex.",
                                              "Horas", "Observaciones")
        self._refresh()

    # ---- state from the screen -------------------------------------------------------------
    def set_rows(self, rows: list[hz.Horario]) -> None:
        """Replace the rows (loading or reloading; no Changed message)."""
        self.rows = list(rows)
        self.row_errors = {}
        self._refresh()

    def set_context(self, duracion: int | None, fecha_inicio: date | None) -> None:
        """The duration and start date the calculator compares with."""
        if (duracion, fecha_inicio) != (self.duracion, self.fecha_inicio):
            self.duracion, self.fecha_inicio = duracion, fecha_inicio
            self._show_calc()

    def show_errors(self, errors: list[FieldError]) -> None:
        """Mark the rows named by `horarios[i]…` errors (and the list-level ones)."""
        self.row_errors = {}
        general: list[str] = []
        for err in errors:
            if err.field.startswith("horarios["):
                index = int(err.field[9:].split("]", 1)[0])
                self.row_errors.setdefault(index, err.message)
            elif err.field == "horarios":
                general.append(err.message)
        self._refresh()
        lines = general + [self.row_errors[i] for i in sorted(self.row_errors)]
        if len(lines) > 3:
            lines = [*lines[:3], f"… y {len(lines) - 3} más"]
        self.query_one("#horario-errors", Static).update("\n".join(lines))
        self.set_class(bool(lines), "-has-error")

    def focus_row(self, index: int) -> None:
        table = self.query_one(DataTable)
        table.focus()
        if 0 <= index < table.row_count:
            table.move_cursor(row=index)

    @property
    def resumen(self) -> hz.Resumen:
        return hz.calcular(self.rows, self.duracion, self.fecha_inicio)

    # ---- drawing -----------------------------------------------------------------------------
    def _refresh(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for i, h in enumerate(self.rows):
            obs = (h.observaciones or "").replace("\n", " ")
            table.add_row(f"{'!' if i in self.row_errors else ''}{i + 1}",
                          hz.DIA_LABEL.get(h.dia_semana, h.dia_semana),
                          fm.fecha_text(h.fecha) or "semanal", h.hora_inicio, h.hora_fin,
                          "sí" if h.es_flexible else "no", f"{h.horas:g}",
                          Text(obs[:28] + ("…" if len(obs) > 28 else "")))  # user text
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1))
        if not self.row_errors:
            self.query_one("#horario-errors", Static).update("")
            self.remove_class("-has-error")
        self._show_calc()

    def _show_calc(self) -> None:
        r = self.resumen
        week = ", una semana" if any(h.fecha is None for h in self.rows) else ""
        if self.duracion:
            parts = [f"Total {r.total_horas:g}/{horas(self.duracion)} "
                     f"({r.porcentaje:.0f} %{week})", f"faltan {horas(r.horas_faltantes)}",
                     f"{r.semanas} semana" + ("s" if r.semanas != 1 else "")]
        else:
            parts = [f"Total {horas(r.total_horas)}" + (f" ({week[2:]})" if week else ""),
                     "escriba la duración máxima para comparar"]
        if r.fecha_fin_estimada:
            parts.append(f"fin estimado {fm.fecha_text(r.fecha_fin_estimada)}")
        elif self.duracion and not self.fecha_inicio:
            parts.append("escriba la fecha de inicio para estimar el fin")
        self.query_one("#horario-calc", Static).update(" · ".join(parts))

    def _changed(self) -> None:
        self.row_errors = {}
        self._refresh()
        self.post_message(self.Changed())

    # ---- actions -----------------------------------------------------------------------------
    def _cursor(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.rows and 0 <= table.cursor_row < len(self.rows) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action in ("add", "edit", "delete", "template"):
            return False
        if action in ("edit", "delete"):
            return self._cursor() is not None
        return True

    def action_add(self) -> None:
        self.app.push_screen(HorarioRowScreen(self.rows, None), self._saved_row(None))

    def action_edit(self) -> None:
        index = self._cursor()
        if index is not None:
            self.app.push_screen(HorarioRowScreen(self.rows, index), self._saved_row(index))

    def _saved_row(self, index: int | None) -> Callable[[hz.Horario | None], None]:
        def done(row: hz.Horario | None) -> None:
            if row is None:
                return
            if index is None:
                self.rows.append(row)
            else:
                self.rows[index] = row
            self._changed()
            self.focus_row(len(self.rows) - 1 if index is None else index)

        return done

    @on(DataTable.RowSelected, "#horario-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not self.read_only:
            self.action_edit()

    def action_delete(self) -> None:
        index = self._cursor()
        if index is not None:
            del self.rows[index]
            self._changed()

    def action_template(self) -> None:
        self.app.push_screen(HorarioPlantillaScreen(len(self.rows)), self._apply_template)

    def _apply_template(self, key: str | None) -> None:
        if key is None:
            return
        if key == GENERAR:
            if not self.fecha_inicio or not self.duracion:
                self.app.notify("Para generar escriba primero la fecha de inicio del curso y "
                                "la duración máxima.", title="Generar horarios",
                                severity="warning")
                return
            try:
                rows = hz.generar(self.fecha_inicio, self.duracion)
            except ValueError as exc:
                self.app.notify(str(exc), title="Generar horarios", severity="error")
                return
        else:
            rows = hz.plantilla(key)
        self.rows = rows
        self._changed()
        self.focus_row(0)

    def action_copy_end(self) -> None:
        fin = self.resumen.fecha_fin_estimada
        if fin is None:
            self.app.notify("No hay fecha de fin estimada: faltan la duración, la fecha de "
                            "inicio o los horarios.", severity="warning")
            return
        self.post_message(self.CopyEndDate(fin))
