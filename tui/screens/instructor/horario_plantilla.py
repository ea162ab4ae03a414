"""Choose a horario template (or "generar" from the start date and the duration)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.services import horarios as hz
from tui.uikit import keymap

GENERAR = "generar"


class HorarioPlantillaScreen(ModalScreen[str | None]):
    """Plantillas de horario."""

    HELP = keymap.HELP["HorarioPlantillaScreen"]
    BINDINGS = keymap.BINDINGS["HorarioPlantillaScreen"]

    def __init__(self, current_rows: int) -> None:
        super().__init__()
        self.current_rows = current_rows

    def compose(self) -> ComposeResult:
        note = (f"Reemplaza los {self.current_rows} horarios actuales." if self.current_rows
                else "Los horarios se agregan a la tabla; puede ajustarlos después.")
        with Vertical(classes="dialog", id="horario-template-dialog"):
            yield Static("Aplicar una plantilla de horario", classes="dialog-title")
            yield Static(note, classes="dialog-note")
            yield OptionList(
                *(Option(text, id=key) for key, (text, _make) in hz.PLANTILLAS.items()),
                Option("Generar: bloques de 4 h de lunes a viernes desde el inicio del curso "
                       "hasta cubrir la duración", id=GENERAR),
                id="horario-template-list", markup=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
