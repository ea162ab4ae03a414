"""Más filtros: programa, instructor, centro (admins) and a range of fechaSolicitud.

The dialog edits a copy of the list's Filtros and returns it with the labels the list shows in
its summary line; on a wrong date it names the field and keeps everything typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tui.screens.admin.admin_list import centro_options
from tui.screens.admin.user_picker import UserPickerScreen
from tui.screens.instructor.programa_picker import ProgramaPickerScreen
from tui.services.programas import Programa
from tui.services.solicitudes import Filtros
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.workers import service_worker
from tui.widgets.form_model import fecha_text, parse_fecha

NINGUNO = "(todos)"


@dataclass(frozen=True)
class ListFilters:
    """What the dialog returns: the filters and the names shown for the chosen ids."""

    filtros: Filtros
    labels: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        f, parts = self.filtros, []
        for key, name in (("programa_id", "programa"), ("instructor_id", "instructor"),
                          ("centro_id", "centro")):
            if getattr(f, key):
                parts.append(f"{name}: {self.labels.get(key, '?')}")
        if f.desde:
            parts.append(f"desde {fecha_text(f.desde)}")
        if f.hasta:
            parts.append(f"hasta {fecha_text(f.hasta)}")
        return " · ".join(parts)


class ListFiltersScreen(ModalScreen[ListFilters | None]):
    """Más filtros."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    HELP = keymap.HELP["ListFiltersScreen"]
    BINDINGS = keymap.BINDINGS["ListFiltersScreen"]

    def __init__(self, current: ListFilters, role: str) -> None:
        super().__init__()
        self.filtros = current.filtros
        self.labels = dict(current.labels)
        self.role = role

    def compose(self) -> ComposeResult:
        f = self.filtros
        with Vertical(classes="dialog", id="more-filters"):
            yield Static("Más filtros", classes="dialog-title")
            with Horizontal(classes="admin-row"):
                yield Label("Programa", classes="admin-label")
                yield Button(self._label("programa_id"), id="lf-programa", compact=True)
            if self.role != "INSTRUCTOR":
                with Horizontal(classes="admin-row"):
                    yield Label("Instructor", classes="admin-label")
                    yield Button(self._label("instructor_id"), id="lf-instructor",
                                 compact=True)
            if self.role == "ADMIN":
                with Horizontal(classes="admin-row"):
                    yield Label("Centro", classes="admin-label")
                    yield Select([], prompt="Todos los centros", id="lf-centro", compact=True)
            with Horizontal(classes="admin-row", id="lf-desde-row"):
                yield Label("Desde", classes="admin-label")
                yield Input(fecha_text(f.desde), placeholder="dd/mm/aaaa", id="lf-desde",
                            compact=True, max_length=10)
            with Horizontal(classes="admin-row", id="lf-hasta-row"):
                yield Label("Hasta", classes="admin-label")
                yield Input(fecha_text(f.hasta), placeholder="dd/mm/aaaa", id="lf-hasta",
                            compact=True, max_length=10)
            yield Static("", id="lf-error", classes="admin-form-error", markup=False)
            with Horizontal(classes="admin-form-buttons"):
                yield Button("Limpiar", id="lf-clear", compact=True)
                yield Button("Aplicar (Ctrl+S)", variant="primary", id="lf-apply",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#lf-programa", Button).focus()
        if self.role == "ADMIN":
            self.load_centros()

    def _label(self, key: str) -> str:
        return self.labels.get(key, NINGUNO) if getattr(self.filtros, key) else NINGUNO

    @service_worker("list-filters-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        options = await centro_options(self.app)
        self.centro_names = {value: label.split(" · ")[0] for label, value in options}
        select = self.query_one("#lf-centro", Select)
        select.set_options(options)
        if self.filtros.centro_id in self.centro_names:
            select.value = self.filtros.centro_id

    # ---- pickers -------------------------------------------------------------------------------
    @on(Button.Pressed, "#lf-programa")
    def _pick_programa(self) -> None:
        def chosen(p: Programa | None) -> None:
            if p is not None:
                self._set("programa_id", p.id, p.codigo, "#lf-programa")
        self.app.push_screen(ProgramaPickerScreen(for_filter=True), chosen)

    @on(Button.Pressed, "#lf-instructor")
    def _pick_instructor(self) -> None:
        def chosen(picked: dict[str, str] | None) -> None:
            if picked:
                uid, name = next(iter(picked.items()))
                self._set("instructor_id", uid, name, "#lf-instructor")
        self.app.push_screen(UserPickerScreen("Elegir instructor", role="INSTRUCTOR",
                                              multiple=False, active_only=False), chosen)

    def _set(self, key: str, value: str | None, label: str, button: str) -> None:
        changes: dict[str, Any] = {key: value}  # one of Filtros' text fields
        self.filtros = replace(self.filtros, **changes)
        if value is None:
            self.labels.pop(key, None)
        else:
            self.labels[key] = label
        self.query_one(button, Button).label = label if value else NINGUNO

    @on(Button.Pressed, "#lf-clear")
    def _clear(self) -> None:
        self._set("programa_id", None, "", "#lf-programa")
        if self.role != "INSTRUCTOR":
            self._set("instructor_id", None, "", "#lf-instructor")
        if self.role == "ADMIN":
            self.query_one("#lf-centro", Select).clear()
        self.query_one("#lf-desde", Input).value = ""
        self.query_one("#lf-hasta", Input).value = ""

    # ---- result --------------------------------------------------------------------------------
    def _date(self, widget: str, label: str) -> date | None:
        try:
            return parse_fecha(self.query_one(f"#{widget}", Input).value)
        except ValueError as exc:
            raise _Invalid(widget, f"{label}: {exc}.") from None

    @on(Button.Pressed, "#lf-apply")
    def action_apply(self) -> None:
        error = self.query_one("#lf-error", Static)
        try:
            desde, hasta = self._date("lf-desde", "Desde"), self._date("lf-hasta", "Hasta")
            if desde and hasta and desde > hasta:
                raise _Invalid("lf-hasta", "Hasta: no puede ser anterior a Desde.")
        except _Invalid as bad:
            error.update(bad.message)
            error.add_class("-shown")
            self.query_one(f"#{bad.widget}", Input).focus()
            return
        filtros = replace(self.filtros, desde=desde, hasta=hasta)
        if self.role == "ADMIN":
            value = self.query_one("#lf-centro", Select).value
            centro = None if value is Select.NULL else str(value)
            filtros = replace(filtros, centro_id=centro)
            if centro:
                self.labels["centro_id"] = getattr(self, "centro_names", {}).get(centro, "?")
        self.dismiss(ListFilters(filtros, self.labels))

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Invalid(Exception):
    def __init__(self, widget: str, message: str) -> None:
        super().__init__(message)
        self.widget, self.message = widget, message
