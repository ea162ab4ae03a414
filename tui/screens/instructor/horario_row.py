"""Add or edit one horario row, with an error under each field that is wrong."""

from __future__ import annotations

import re
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from tui.screens.common.confirm import GuardedDialog
from tui.services import horarios as hz
from tui.uikit import keymap
from tui.widgets import form_model as fm
from tui.widgets.form_checkbox import FormCheckbox

FIELDS = (("diaSemana", "Día"), ("fecha", "Fecha (opcional)"), ("horaInicio", "Hora de inicio"),
          ("horaFin", "Hora de fin"), ("esFlexible", "Flexible"),
          ("observaciones", "Observaciones"))
_HORA_RE = re.compile(r"(\d{1,2})(?::(\d{2}))?")


def normalise_hora(text: str) -> str:
    """"8" or "8:00" → "08:00"; anything else is returned as typed (the validator names it)."""
    match = _HORA_RE.fullmatch(text.strip())
    if match is None:
        return text.strip()
    return f"{int(match[1]):02d}:{match[2] or '00'}"


class HorarioRowScreen(GuardedDialog, ModalScreen[hz.Horario | None]):
    """Horario."""

    HELP = keymap.HELP["HorarioRowScreen"]
    BINDINGS = keymap.BINDINGS["HorarioRowScreen"]

    def __init__(self, rows: list[hz.Horario], index: int | None) -> None:
        super().__init__()
        self.rows = rows
        self.index = index
        self.initial = rows[index] if index is not None else hz.Horario("LUNES", "08:00",
                                                                          "12:00")

    def compose(self) -> ComposeResult:
        title = "Agregar horario" if self.index is None else f"Editar horario {self.index + 1}"
        h = self.initial
        editors: dict[str, Widget] = {
            "diaSemana": Select([(hz.DIA_LABEL[d], d) for d in hz.DIAS], value=h.dia_semana,
                                allow_blank=False, compact=True, id="hr-diaSemana"),
            "fecha": Input(fm.fecha_text(h.fecha), placeholder="dd/mm/aaaa", compact=True,
                           max_length=10, restrict=r"[0-9/]*", id="hr-fecha"),
            "horaInicio": Input(h.hora_inicio, placeholder="HH:MM", compact=True, max_length=5,
                                restrict=r"[0-9:]*", id="hr-horaInicio"),
            "horaFin": Input(h.hora_fin, placeholder="HH:MM", compact=True, max_length=5,
                             restrict=r"[0-9:]*", id="hr-horaFin"),
            "esFlexible": FormCheckbox("Sí, el horario es flexible", h.es_flexible, compact=True,
                                   id="hr-esFlexible"),
            "observaciones": Input(h.observaciones or "", compact=True,
                                   max_length=hz.MAX_OBSERVACIONES, id="hr-observaciones"),
        }
        with Vertical(classes="dialog", id="horario-dialog"):
            yield Static(title, classes="dialog-title")
            for name, text in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(text, classes="form-label")
                    yield editors[name]
                yield Static("", classes="form-error", id=f"hr-err-{name}", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Guardar", variant="primary", id="hr-save")
                yield Button("Cancelar", id="hr-cancel")

    def on_mount(self) -> None:
        self.query_one("#hr-diaSemana").focus()

    @on(Input.Changed, "#hr-fecha")
    def _fecha_sets_day(self, event: Input.Changed) -> None:
        """A typed date decides the weekday, so the two never disagree."""
        try:
            day = fm.parse_fecha(event.value)
        except ValueError:
            return
        if day is not None:
            self.query_one("#hr-diaSemana", Select).value = hz.DIAS[day.weekday()]

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def _row(self) -> tuple[hz.Horario | None, dict[str, str]]:
        errors: dict[str, str] = {}
        fecha: date | None = None
        try:
            fecha = fm.parse_fecha(self.query_one("#hr-fecha", Input).value)
        except ValueError as exc:
            errors["fecha"] = f"Fecha: {exc}"
        obs = self.query_one("#hr-observaciones", Input).value.strip()
        row = hz.Horario(
            dia_semana=str(self.query_one("#hr-diaSemana", Select).value),
            hora_inicio=normalise_hora(self.query_one("#hr-horaInicio", Input).value),
            hora_fin=normalise_hora(self.query_one("#hr-horaFin", Input).value),
            fecha=fecha, es_flexible=self.query_one("#hr-esFlexible", Checkbox).value,
            observaciones=obs or None)
        rows = list(self.rows)
        index = len(rows) if self.index is None else self.index
        rows[index:index + 1] = [row]
        prefix = f"horarios[{index}]."
        for err in hz.validate_horarios(rows):
            if err.field.startswith(prefix):
                name = err.field[len(prefix):]
                text = err.message.split(": ", 1)[-1]
                errors.setdefault(name, text[:1].upper() + text[1:])
        return (None if errors else row), errors

    @on(Button.Pressed, "#hr-save")
    def action_save(self) -> None:
        row, errors = self._row()
        for name, _text in FIELDS:
            error = self.query_one(f"#hr-err-{name}", Static)
            error.update(errors.get(name, ""))
            error.set_class(name in errors, "-shown")
            self.query_one(f"#hr-{name}").set_class(name in errors, "-invalid")
        if row is not None:
            self.dismiss(row)
            return
        first = next(name for name, _text in FIELDS if name in errors)
        self.query_one(f"#hr-{first}").focus()

    @on(Button.Pressed, "#hr-cancel")
    def action_cancel(self) -> None:
        self.cancel_guarded(None)
