"""The solicitud form: five sections, every field of the Ficha de Caracterización.

Drafts save themselves about two seconds after the last edit (the first save creates the
draft, once a programa is chosen); a PENDIENTE solicitud saves only with Ctrl+S and full
validation. Saving, conflicts, submitting and leaving live in `form_saving.FormSaving`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Input,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from tui.screens.common.base import MainScreen
from tui.screens.instructor.form_saving import FormSaving
from tui.screens.instructor.programa_picker import ProgramaPickerScreen
from tui.services import horarios as hz
from tui.services import programas, solicitudes
from tui.services.labels import MODALIDAD_LABEL
from tui.services.model import DRAFT, ESTADO_LABEL
from tui.services.programas import Programa, ProgramaDetalle
from tui.services.validation import FLAG_FIELDS, FieldError, validate_submit
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe
from tui.uikit.formatting import fecha, horas, inert
from tui.uikit.redraw import show_text
from tui.uikit.workers import service_worker
from tui.widgets import form_model as fm
from tui.widgets.form_field import FormField
from tui.widgets.form_objetivos import ObjetivosEditor
from tui.widgets.horario_editor import HorarioEditor

PREFILLED = ("programaId", "codigoPrograma", "versionPrograma", "duracionMaxima", "cupoMaximo",
             "numeroAprendicesInscribir", "modalidad")
FOCUSABLE = (Input, Select, Checkbox, TextArea, Button, DataTable, OptionList)


class SolicitudFormScreen(FormSaving, MainScreen):
    """Formulario de solicitud."""

    app: ShellApp  # as its bases say (one definition for the type checker)

    HELP = keymap.HELP["SolicitudFormScreen"]
    BINDINGS = keymap.BINDINGS["SolicitudFormScreen"]

    def __init__(self, solicitud_id: str | None) -> None:
        super().__init__()
        self.init_saving(solicitud_id)
        self.fields: dict[str, FormField] = {}
        self.programa_nombre = ""
        self.errors: list[FieldError] = []
        self._error_cursor = -1

    # ---- layout ----------------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield Static("", id="form-status", markup=False)
        with TabbedContent(id="form-tabs"):
            for sec in fm.SECTIONS:
                with TabPane(sec.tab, id=sec.id):
                    scroll = VerticalScroll(id=f"{sec.id}-scroll", classes="form-scroll")
                    scroll.help_text = sec.help  # type: ignore[attr-defined]  # ours, for F1
                    with scroll:
                        yield from getattr(self, f"_compose_{sec.id[4:]}")(sec)

    def _field(self, name: str) -> FormField:
        self.fields[name] = FormField(name)
        return self.fields[name]

    def _compose_programa(self, sec: fm.Section) -> ComposeResult:
        for name in sec.fields:
            yield self._field(name)

    _compose_empresa = _compose_programa

    def _compose_programacion(self, sec: fm.Section) -> ComposeResult:
        yield Static("Programas especiales", classes="form-subtitle")
        with Grid(id="flags-grid"):
            for name in FLAG_FIELDS:
                yield self._field(name)
        for name in sec.fields[len(FLAG_FIELDS):-1]:
            yield self._field(name)
        yield HorarioEditor(id="horario-editor")

    def _compose_justificacion(self, sec: fm.Section) -> ComposeResult:
        yield Static("Del programa (solo lectura)", classes="form-subtitle")
        yield Static("Elija un programa en la sección 1.", id="programa-info", markup=False)
        yield self._field("justificacion")
        yield self._field("resultadosEsperados")
        yield ObjetivosEditor(id="objetivos-editor")
        yield self._field("observaciones")

    def _compose_envio(self, sec: fm.Section) -> ComposeResult:
        yield Static("", id="form-summary", markup=False)
        yield Static("Declaraciones (necesarias para enviar)", classes="form-subtitle")
        for name in sec.fields:
            yield self._field(name)
        with Horizontal(id="form-actions"):
            yield Button("Enviar a revisión (F5)", variant="primary", id="form-submit-button")
            yield Button("Guardar (Ctrl+S)", id="form-save-button")
        yield Static("", id="form-missing", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        if self.solicitud_id is None:
            self.fill(solicitudes.new_form(self.app.actor), [])
            self.set_save_state("Elija el programa (Enter) para crear el borrador")
            self.restore_journal()
            self.call_after_refresh(self.fields["programaId"].editor.focus)
        else:
            self.set_save_state("Cargando…")
            self.load()

    # ---- loading -----------------------------------------------------------------------------
    def apply_solicitud(self, sol: solicitudes.Solicitud) -> None:
        """Show a stored solicitud (first load, or reload after a conflict)."""
        self.remember(sol)
        self.programa_nombre = str(sol.data.get("programa_nombre") or "")
        self.fill(solicitudes.form_values(sol.data), list(sol.horarios))
        self.fields["programaId"].set_display(self.programa_nombre)
        if sol.data.get("programaId"):
            self.load_programa(str(sol.data["programaId"]))
        draft = self.estado == DRAFT
        self.fields["programaId"].editor.disabled = not draft
        self.query_one("#form-submit-button", Button).display = draft

    def fill(self, form: dict[str, Any], horarios: list[hz.Horario]) -> None:
        """Put values in every editor without counting it as an edit."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed, TextArea.Changed):
            for name, widget in self.fields.items():
                widget.set_value(form.get(name))
        self.query_one(HorarioEditor).set_rows(horarios)
        self.query_one(ObjetivosEditor).set_items(form.get("objetivosPersonalizados") or [])
        self.show_errors([])
        self.mark_clean()
        self._sync_calculator()
        self.refresh_summary()

    @service_worker("form-programa", on_error=lambda form, exc: form.programa_failed(exc))
    async def load_programa(self, programa_id: str) -> None:
        app = self.app
        det = await programas.get_programa(app.pool, app.actor, programa_id)
        self.programa_nombre = det.programa.nombre
        self.fields["programaId"].set_display(f"{det.programa.codigo} · {det.programa.nombre}")
        self.query_one("#programa-info", Static).update(programa_text(det))

    def programa_failed(self, exc: BaseException) -> bool:
        """Shown in place of the programa's data; the form stays usable."""
        self.query_one("#programa-info", Static).update(
            "No se pudo leer el programa: " + describe(exc)[1])
        return True

    def refresh_data(self) -> None:
        """After a modal or a notification: only the derived views (never reload edits)."""
        self.refresh_summary()

    # ---- reading the editors -------------------------------------------------------------------
    def collect(self) -> tuple[dict[str, Any], list[hz.Horario], list[FieldError]]:
        """The form as the services take it, the horarios, and the malformed fields (left
        out, so a stored value is never replaced by something that cannot be saved; a
        cleared field is sent as None and the service decides what a draft stores)."""
        form: dict[str, Any] = {}
        problems: list[FieldError] = []
        for name, widget in self.fields.items():
            try:
                value = widget.get_value()
            except ValueError as exc:
                problems.append(FieldError(name, str(exc)))
                continue
            form[name] = value
        form["objetivosPersonalizados"] = list(self.query_one(ObjetivosEditor).items)
        return form, list(self.query_one(HorarioEditor).rows), problems

    def submit_problems(self) -> list[FieldError]:
        """What full validation would refuse now (malformed fields first)."""
        form, horarios, problems = self.collect()
        return problems + validate_submit(form, horarios)

    # ---- edits ---------------------------------------------------------------------------------
    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Any) -> None:
        field = self._field_of(event.control)
        if field is None:
            return
        if field.has_class("-has-error"):
            field.show_error(None)
            self.errors = [e for e in self.errors if e.field.split("[")[0] != field.field]
            self._show_error_marks()
        if field.field in ("duracionMaxima", "fechaInicioCurso"):
            self._sync_calculator()
        self.touch()

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        field = self._field_of(event.input)
        if field is not None and field.kind in ("date", "int"):
            field.check_format()

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if self._field_of(event.input) is not None:
            self.focus_next()

    @on(HorarioEditor.Changed)
    @on(ObjetivosEditor.Changed)
    def _list_edited(self) -> None:
        self.errors = [e for e in self.errors
                       if not e.field.startswith(("horarios", "objetivosPersonalizados"))]
        self._show_error_marks()
        self.touch()

    @on(HorarioEditor.CopyEndDate)
    def _copy_end(self, event: HorarioEditor.CopyEndDate) -> None:
        self.fields["fechaFinalizacionCurso"].set_value(event.fecha)
        self.app.notify(f"Fecha de finalización del curso: {fecha(event.fecha)}",
                        title="Fin estimado copiado")

    def _field_of(self, widget: Widget | None) -> FormField | None:
        node: Any = widget
        while node is not None and node is not self:
            if isinstance(node, FormField):
                return node
            node = node.parent
        return None

    def _sync_calculator(self) -> None:
        def parsed(name: str) -> Any:
            try:
                return self.fields[name].get_value()
            except ValueError:
                return None

        inicio = parsed("fechaInicioCurso")
        self.query_one(HorarioEditor).set_context(
            parsed("duracionMaxima"), inicio if isinstance(inicio, date) else None)

    # ---- programa --------------------------------------------------------------------------
    @on(Button.Pressed, "#f-programaId")
    def action_pick_programa(self) -> None:
        if self.estado != DRAFT:
            self.app.notify("El programa solo se cambia en un borrador.", severity="warning")
            return
        self.app.push_screen(ProgramaPickerScreen(), self._programa_chosen)

    def _programa_chosen(self, p: Programa | None) -> None:
        if p is None:
            return
        pre = solicitudes.new_form(self.app.actor, {
            "id": p.id, "codigo": p.codigo, "duracionHoras": p.duracion_horas,
            "cupoAprendices": p.cupo_aprendices, "modalidad": p.modalidad})
        for name in PREFILLED:
            self.fields[name].set_value(pre[name])
            self.fields[name].show_error(None)
        self.programa_nombre = p.nombre
        self.fields["programaId"].set_display(f"{p.codigo} · {p.nombre}")
        self._sync_calculator()
        self.load_programa(p.id)
        self.touch()  # (focus goes back where it was when the picker opened)

    # ---- errors and jumping to them -------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        """Show each error under its field (typed text untouched), on the tabs and the lists."""
        self.errors = list(errors)
        self._error_cursor = -1
        first: dict[str, str] = {}
        for err in errors:
            first.setdefault(err.field.split("[", 1)[0], err.message)
        for name, widget in self.fields.items():
            widget.show_error(first.get(name))
        self.query_one(HorarioEditor).show_errors(self.errors)
        self.query_one(ObjetivosEditor).show_errors(self.errors)
        self._show_error_marks()
        self.refresh_summary()

    def _show_error_marks(self) -> None:
        tabs = self.query_one(TabbedContent)
        bad = {fm.section_of(e.field) for e in self.errors}
        for sec in fm.SECTIONS:
            tab = tabs.get_tab(sec.id)
            label = sec.tab + (" !" if sec.id in bad else "")
            if tab.label_text != label:  # a new label lays the whole screen out again
                tab.label = label
        self.refresh_status()

    def action_goto_error(self) -> None:
        targets = self.errors or self.submit_problems()
        if not targets:
            self.app.notify("No hay errores: la solicitud está completa.", title="Validación")
            return
        self._error_cursor = (self._error_cursor + 1) % len(targets)
        err = targets[self._error_cursor]
        self.app.notify(err.message, title=f"Error {self._error_cursor + 1} de {len(targets)}",
                        severity="warning", markup=False)
        self.goto_field(err.field)

    def goto_field(self, field: str) -> None:
        """Show the field's section and put the cursor in it (a horario or objetivo row too)."""
        section = fm.section_of(field)
        if section is None:
            return
        self.query_one(TabbedContent).active = section
        base, _, rest = field.partition("[")
        index = int(rest.split("]", 1)[0]) if rest else 0

        def focus() -> None:
            if base == "horarios":
                self.query_one(HorarioEditor).focus_row(index)
            elif base == "objetivosPersonalizados":
                self.query_one(ObjetivosEditor).focus_item(index)
            elif base in self.fields:
                self.fields[base].editor.focus()
            if self.focused is not None:
                self.focused.scroll_visible(animate=False)

        self.call_after_refresh(focus)

    # ---- sections ----------------------------------------------------------------------------
    def action_section(self, number: int) -> None:
        section = fm.SECTIONS[number - 1].id
        self.query_one(TabbedContent).active = section
        self.call_after_refresh(self.focus_section, section)

    def action_next_section(self, step: int = 1) -> None:
        ids = [s.id for s in fm.SECTIONS]
        current = ids.index(self.query_one(TabbedContent).active or ids[0])
        self.action_section((current + step) % len(ids) + 1)

    def action_prev_section(self) -> None:
        self.action_next_section(-1)

    def focus_section(self, section: str) -> None:
        scroll = self.query_one(f"#{section}-scroll")
        target = next((w for w in scroll.query("*") if isinstance(w, FOCUSABLE)
                       and w.focusable), None)
        if target is not None:
            target.focus()
            scroll.scroll_home(animate=False)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self) -> None:
        self.refresh_summary()

    # ---- status and summary ----------------------------------------------------------------
    def refresh_status(self) -> None:
        label = ESTADO_LABEL.get(self.estado, self.estado)
        parts = [self.codigo or "Nueva solicitud", label, self.save_state]
        if self.errors:
            n = len(self.errors)
            parts.append(f"{n} error{'es' if n != 1 else ''} (F4)")
        show_text(self.query_one("#form-status", Static), " · ".join(p for p in parts if p))

    def refresh_summary(self) -> None:
        if not self.is_mounted or self.query_one(TabbedContent).active != "sec-envio":
            return
        form, horarios, _problems = self.collect()
        r = hz.calcular(horarios, form.get("duracionMaxima"), form.get("fechaInicioCurso"))
        duracion = form.get("duracionMaxima")
        lines = [
            f"Solicitud {self.codigo or 'nueva (sin guardar)'} · "
            f"{ESTADO_LABEL.get(self.estado, self.estado)}",
            f"Programa: {self.programa_nombre or '(sin elegir)'}",
            f"Empresa: {form.get('nombreEmpresa') or '—'} · {form.get('municipio') or '—'}, "
            f"{form.get('departamento') or '—'}",
            f"Curso: {fecha(form.get('fechaInicioCurso'))} a "
            f"{fecha(form.get('fechaFinalizacionCurso'))} · "
            f"{form.get('numeroAprendicesInscribir') or '—'} aprendices (cupo "
            f"{form.get('cupoMaximo') or '—'})",
            f"Horarios: {len(horarios)} · {horas(r.total_horas)}"
            + (f" de {horas(duracion)} ({r.porcentaje:.0f} %)" if duracion else "")
            + f" · objetivos propios: {len(form['objetivosPersonalizados'])}",
        ]
        self.query_one("#form-summary", Static).update(inert("\n".join(lines), multiline=True))
        missing = self.submit_problems()
        text = "Lista para enviar: no falta nada." if not missing else (
            f"Falta o debe corregir ({len(missing)}); F4 lleva a cada uno:\n"
            + "\n".join(f"• {e.message}" for e in missing[:10])
            + (f"\n… y {len(missing) - 10} más" if len(missing) > 10 else ""))
        box = self.query_one("#form-missing", Static)
        box.update(inert(text, multiline=True))
        box.set_class(bool(missing), "-has-missing")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "pick_programa"):
            return self.estado == DRAFT
        return True

    @on(Button.Pressed, "#form-submit-button")
    def _submit_button(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#form-save-button")
    def _save_button(self) -> None:
        self.action_save()


def programa_text(det: ProgramaDetalle) -> str:
    p = det.programa
    modalidad = MODALIDAD_LABEL.get(p.modalidad, p.modalidad).lower()
    lines = [f"{p.codigo} · {p.nombre} ({p.duracion_horas} h, {modalidad}, cupo "
             f"{p.cupo_aprendices})", "Objetivos:"]
    lines += [f"  {o.orden}. {o.descripcion}" for o in det.objetivos] or ["  (ninguno)"]
    lines.append("Competencias:")
    lines += [f"  {c.codigo or '•'} {c.descripcion}" for c in det.competencias] or ["  (ninguna)"]
    lines.append("Resultados de aprendizaje:")
    lines += [f"  {r.codigo or '•'} {r.descripcion}" for r in det.resultados] or ["  (ninguno)"]
    return "\n".join(lines)
