"""The editable list of objetivos personalizados: add, edit and remove by keyboard."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.common.confirm import Confirmed, ConfirmScreen
from tui.services.validation import MAX_OBJETIVOS, FieldError
from tui.uikit import keymap

EMPTY = "(ninguno: a para agregar)"


class ObjetivosEditor(Vertical):
    """Objetivos personalizados."""

    HELP = keymap.HELP["ObjetivosEditor"]
    BINDINGS = keymap.BINDINGS["ObjetivosEditor"]

    class Changed(Message):
        """The user changed the list."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("Objetivos personalizados (a agregar · e editar · x quitar)",
                     classes="form-label")
        yield OptionList(id="objetivos-list", markup=False)
        yield Static("", classes="form-error", id="objetivos-error", markup=False)

    def on_mount(self) -> None:
        self._refresh()

    def set_items(self, items: list[str]) -> None:
        self.items = [str(i) for i in items]
        self._refresh()

    def show_errors(self, errors: list[FieldError]) -> None:
        mine = [e.message for e in errors if e.field.startswith("objetivosPersonalizados")]
        self.query_one("#objetivos-error", Static).update("\n".join(mine[:3]))
        self.set_class(bool(mine), "-has-error")

    def focus_item(self, index: int) -> None:
        olist = self.query_one(OptionList)
        olist.focus()
        if 0 <= index < len(self.items):
            olist.highlighted = index

    def _refresh(self) -> None:
        olist = self.query_one(OptionList)
        keep = olist.highlighted
        olist.clear_options()
        olist.add_options([Option(f"{i + 1}. {text}") for i, text in enumerate(self.items)]
                          or [Option(EMPTY, disabled=True)])
        if self.items:
            olist.highlighted = min(keep or 0, len(self.items) - 1)

    def _cursor(self) -> int | None:
        index = self.query_one(OptionList).highlighted
        return index if self.items and index is not None and index < len(self.items) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "remove"):
            return self._cursor() is not None
        return True

    def _ask(self, title: str, text: str, index: int | None) -> None:
        def done(answer: Confirmed | None) -> None:
            value = answer.value.strip() if answer else ""
            if not value:
                return
            if index is None:
                self.items.append(value)
            else:
                self.items[index] = value
            self._changed(len(self.items) - 1 if index is None else index)

        self.app.push_screen(ConfirmScreen(title, "Escriba el objetivo (hasta 500 caracteres).",
                                           confirm_label="Guardar", value_label="Objetivo",
                                           value=text), done)

    def action_add(self) -> None:
        if len(self.items) >= MAX_OBJETIVOS:
            self.app.notify(f"Se admiten como máximo {MAX_OBJETIVOS} objetivos.",
                            severity="warning")
            return
        self._ask("Agregar objetivo", "", None)

    def action_edit(self) -> None:
        index = self._cursor()
        if index is not None:
            self._ask(f"Editar objetivo {index + 1}", self.items[index], index)

    def action_remove(self) -> None:
        index = self._cursor()
        if index is not None:
            del self.items[index]
            self._changed(index)

    @on(OptionList.OptionSelected, "#objetivos-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def _changed(self, index: int) -> None:
        self._refresh()
        self.show_errors([])
        self.focus_item(min(index, len(self.items) - 1))
        self.post_message(self.Changed())
