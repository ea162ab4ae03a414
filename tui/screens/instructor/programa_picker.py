"""Pick a programa, filtered as the user types (the filtering runs in SQL).

For a solicitud (the default): the active COMPLEMENTARIA programas of the instructor's centro.
For the list's filter (`for_filter=True`): every programa in the user's scope."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.services import programas
from tui.services.labels import MODALIDAD_LABEL
from tui.services.programas import Programa
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.workers import service_worker, status_line

SHOWN = 50


def describe(p: Programa) -> str:
    modalidad = MODALIDAD_LABEL.get(p.modalidad, p.modalidad).lower()
    return (f"{p.codigo}  {p.nombre} · {p.duracion_horas} h · {modalidad} · "
            f"cupo {p.cupo_aprendices}")


class ProgramaPickerScreen(ModalScreen[Programa | None]):
    """Elegir programa."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    HELP = keymap.HELP["ProgramaPickerScreen"]
    BINDINGS = keymap.BINDINGS["ProgramaPickerScreen"]

    def __init__(self, for_filter: bool = False) -> None:
        super().__init__()
        self.for_filter = for_filter
        self.found: list[Programa] = []
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="programa-picker"):
            yield Static("Elegir programa", classes="dialog-title")
            yield Input(placeholder="Buscar por código o nombre", id="picker-search")
            yield OptionList(id="picker-list", markup=False)
            yield Static("Cargando…", id="picker-status")

    def on_mount(self) -> None:
        self.query_one("#picker-search", Input).focus()
        self.load(None)

    @service_worker("programa-picker", on_error=status_line("#picker-status",
                                                             "No se pudo cargar la lista."))
    async def load(self, texto: str | None) -> None:
        app = self.app
        if self.for_filter:
            self.found = list((await programas.list_programas(
                app.pool, app.actor, texto=texto, limit=SHOWN)).rows)
        else:
            self.found = await programas.programas_para_solicitud(app.pool, app.actor, texto)
        olist = self.query_one("#picker-list", OptionList)
        olist.clear_options()
        olist.add_options([Option(describe(p), id=p.id) for p in self.found])
        if self.found:
            olist.highlighted = 0
        n = len(self.found)
        self.query_one("#picker-status", Static).update(
            f"{n} programa{'s' if n != 1 else ''} · Enter elige · Escape cancela" if n else
            "Ningún programa coincide." if self.for_filter else
            "Ningún programa activo de formación complementaria coincide.")

    @on(Input.Changed, "#picker-search")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        text = event.value.strip() or None
        self._debounce = self.set_timer(0.25, lambda: self.load(text))

    @on(Input.Submitted, "#picker-search")
    def _submitted(self) -> None:
        index = self.query_one("#picker-list", OptionList).highlighted
        if self.found and index is not None and index < len(self.found):
            self.dismiss(self.found[index])

    @on(OptionList.OptionSelected, "#picker-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = next((p for p in self.found if p.id == event.option.id), None)
        if chosen is not None:
            self.dismiss(chosen)

    def action_focus_list(self) -> None:
        self.query_one("#picker-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
