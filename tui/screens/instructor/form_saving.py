"""Saving the solicitud form: autosave of drafts, Ctrl+S, conflicts, submit and leaving.

Saves never run two at a time (a lock) and are never cancelled half-way (their worker group
is not exclusive), so the `updatedAt` kept for the next save is always the one of the last
write. A draft save that the service refuses for some fields is retried without them: what
is valid gets stored, and the refused fields keep their typed text with the error under it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.timer import Timer

from tui.screens.common.confirm import ConfirmScreen
from tui.screens.instructor.form_conflict import OVERWRITE, RELOAD, FormConflictScreen
from tui.screens.instructor.form_journal import FormJournal
from tui.services import horarios as hz
from tui.services import solicitudes, transitions
from tui.services.common import Conflict, ServiceError
from tui.services.model import DRAFT, EDITABLE_BY_OWNER, ESTADO_LABEL
from tui.services.solicitudes import Solicitud
from tui.services.tz import BOGOTA
from tui.services.validation import FieldError, ValidationFailed
from tui.uikit import journal
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe, report_error
from tui.uikit.workers import log_failure, service_worker
from tui.widgets import form_model as fm

AUTOSAVE_DELAY = 2.0  # seconds after the last edit
RETRY_DELAY = 5.0  # seconds between attempts while saves fail (connection lost)
JOURNAL_DELAY = 0.3  # seconds after an edit before the local journal is written


def _stamp() -> str:
    return datetime.now(BOGOTA).strftime("%H:%M:%S")


class FormSaving(FormJournal):
    """Mixin for SolicitudFormScreen: the screen provides collect(), submit_problems(),
    show_errors(), apply_solicitud(), refresh_status(), refresh_summary() and
    focus_section()."""

    app: ShellApp  # the screen's app, typed (tui.uikit.app_context)
    set_timer: Any
    call_after_refresh: Any
    collect: Any
    submit_problems: Any
    show_errors: Any
    apply_solicitud: Any
    refresh_status: Any
    refresh_summary: Any
    focus_section: Any

    def init_saving(self, solicitud_id: str | None) -> None:
        self.solicitud_id = solicitud_id
        self.codigo: str | None = None
        self.estado = DRAFT
        self.updated_at: datetime | None = None
        self.save_state = ""
        self.save_state_changed = asyncio.Event()  # set on every change (tests await it)
        self.unsaved: list[FieldError] = []
        self._saved_horarios: list[hz.Horario] = []
        self._base: dict[str, Any] | None = None  # the stored form the edits started from
        self._gen = 0  # edits so far
        self._saved_gen = 0  # edits included in the last save (or load)
        self._lock = asyncio.Lock()
        self._timer: Timer | None = None
        self._journal_timer: Timer | None = None
        self._failing = False

    # ---- state ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Edits made since the last save or load."""
        return self._gen != self._saved_gen

    def mark_clean(self) -> None:
        self._saved_gen = self._gen

    def remember(self, sol: Solicitud) -> None:
        self.solicitud_id, self.codigo, self.estado = sol.id, sol.codigo, sol.estado
        self.updated_at = sol.updated_at
        self._saved_horarios = list(sol.horarios)
        self._base = solicitudes.form_values(sol.data)

    def set_save_state(self, text: str) -> None:
        self.save_state = text
        self.save_state_changed.set()
        self.refresh_status()

    def touch(self) -> None:
        """An edit: drafts save themselves after AUTOSAVE_DELAY without further edits; the
        local journal keeps the edits on disk meanwhile (see tui/uikit/journal.py)."""
        self._gen += 1
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(JOURNAL_DELAY, self.write_journal)
        self._stop_timer()
        if self.estado == DRAFT:
            self._timer = self.set_timer(AUTOSAVE_DELAY, lambda: self.run_save(False))
            self.set_save_state("Cambios sin guardar")
        else:
            self.set_save_state("Cambios sin guardar (Ctrl+S guarda)")
        self.refresh_summary()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # ---- loading -----------------------------------------------------------------------------
    @service_worker("form-load", on_error=lambda form, exc: form.load_failed(exc))
    async def load(self) -> None:
        app = self.app
        sol = await solicitudes.get(app.pool, app.actor, str(self.solicitud_id))
        if self._editable(sol):
            self.apply_solicitud(sol)
            self.set_save_state("Sin cambios")
            self.restore_journal()
            self.call_after_refresh(self.focus_section, "sec-programa")

    def _editable(self, sol: Solicitud) -> bool:
        if sol.data.get("instructorId") == self.app.actor.id and sol.estado in EDITABLE_BY_OWNER:
            return True
        self.app.notify(f"La solicitud {sol.codigo} está "
                        f"{ESTADO_LABEL[sol.estado].lower()}: ya no se puede editar.",
                        title="No editable", severity="warning")
        journal.clear(self.app.actor.id, self.journal_key)
        self.app.pop_screen()
        return False

    def load_failed(self, exc: BaseException) -> bool:
        """Nothing to edit: back to the screen below (the toast says why)."""
        if isinstance(exc, ServiceError):  # gone or not ours: its journal is moot
            journal.clear(self.app.actor.id, self.journal_key)
        self.app.pop_screen()
        return False

    # ---- saving ------------------------------------------------------------------------------
    def action_save(self) -> None:
        self._stop_timer()
        self.run_save(True)

    @service_worker("form-save", exclusive=False)
    async def run_save(self, manual: bool) -> None:
        if not manual:
            self._timer = None  # the timer that called us has fired
        await self.save_now(manual)

    async def save_now(self, manual: bool) -> bool:
        """Save (or create the draft); True when the solicitud is stored."""
        async with self._lock:
            if not self.dirty and (not manual or self.estado != DRAFT):
                if manual:
                    self.set_save_state("Sin cambios que guardar")
                return True
            form, horarios, problems = self.collect()
            if self.estado != DRAFT:
                missing = self.submit_problems()
                if missing:
                    self.show_errors(missing)
                    self.set_save_state("No guardada: complete los datos (F4)")
                    return False
            elif self.solicitud_id is None and not form.get("programaId"):
                self.set_save_state("Sin guardar: elija el programa (Ctrl+O)")
                if manual:
                    self.show_errors([FieldError("programaId", "Programa: elija el programa "
                                                 "para crear el borrador.")])
                return False
            gen = self._gen
            self.set_save_state("Guardando…")
            try:
                sol, refused, rows = await self._write_valid_part(form, horarios)
            except Conflict as exc:
                return await self._resolve_conflict(exc, form, horarios, gen)
            except ValidationFailed as exc:
                self.show_errors(problems + list(exc.errors))
                self.set_save_state("No guardada: revise los campos marcados (F4)")
                return False
            except Exception as exc:  # noqa: BLE001 - shown; the typed text stays
                self._failed(exc, manual)
                return False
            self._saved(sol, gen, problems + refused, rows)
            return True

    async def _write(self, form: dict[str, Any], rows: list[hz.Horario]) -> Solicitud:
        app = self.app
        if self.solicitud_id is None:
            return await solicitudes.create_draft(app.pool, app.actor, form, rows)
        return await solicitudes.save(app.pool, app.actor, self.solicitud_id, form, rows,
                                      self.updated_at, base=self._base)  # type: ignore[arg-type]  # known once the draft exists

    async def _write_valid_part(self, form: dict[str, Any], rows: list[hz.Horario]
                                ) -> tuple[Solicitud, list[FieldError], list[hz.Horario]]:
        """Write; a draft refused for some fields is written again without them."""
        try:
            return await self._write(form, rows), [], rows
        except ValidationFailed as exc:
            bad = {e.field.split("[", 1)[0] for e in exc.errors}
            if self.estado != DRAFT or bad & {"programaId", "solicitud"}:
                raise
            part = {k: v for k, v in form.items() if k not in bad}
            kept = self._saved_horarios if "horarios" in bad else rows
            return await self._write(part, kept), list(exc.errors), kept

    def _saved(self, sol: Solicitud, gen: int, unsaved: list[FieldError],
               rows: list[hz.Horario]) -> None:
        self.remember(sol)
        self._saved_horarios = rows
        if gen == self._gen:
            self.mark_clean()
            self.clear_journal()
        else:
            journal.clear(self.app.actor.id, journal.NEW)
            self.write_journal()
        self._failing = False
        self.unsaved = unsaved
        self.show_errors(unsaved)
        n = len({e.field.split("[", 1)[0] for e in unsaved})
        self.set_save_state(f"Guardado {_stamp()}" + (
            f" salvo {n} campo{'s' if n != 1 else ''}" if n else ""))
        if self.dirty and self.estado == DRAFT and self._timer is None:
            self._timer = self.set_timer(AUTOSAVE_DELAY, lambda: self.run_save(False))

    def _failed(self, exc: BaseException, manual: bool) -> None:
        """The typed text stays; a draft tries again by itself every RETRY_DELAY (the
        database may be restarting), without a new toast each time."""
        log_failure("form-save", exc)
        self.set_save_state(f"Error al guardar: {describe(exc)[0]} (se reintentará)"
                            if self.estado == DRAFT else
                            f"Error al guardar: {describe(exc)[0]}")
        if manual or not self._failing:
            report_error(self.app, exc)
        self._failing = True
        if self.estado == DRAFT and self._timer is None:
            self._timer = self.set_timer(RETRY_DELAY, lambda: self.run_save(False))

    async def _resolve_conflict(self, exc: Conflict, form: dict[str, Any],
                                rows: list[hz.Horario], gen: int) -> bool:
        self.set_save_state("Conflicto: cambiada por otra persona")
        choice = await self.app.push_screen_wait(
            FormConflictScreen(exc.message, exc.changed, exc.current))
        app = self.app
        try:
            if choice == RELOAD:
                sol = await solicitudes.get(app.pool, app.actor, str(self.solicitud_id))
                if self._editable(sol):
                    self.apply_solicitud(sol)
                    self.set_save_state(f"Recargada {_stamp()}")
                return False
            if choice == OVERWRITE:
                fresh = await solicitudes.get(app.pool, app.actor, str(self.solicitud_id))
                self.updated_at, self._base = fresh.updated_at, solicitudes.form_values(fresh.data)
                sol, refused, kept = await self._write_valid_part(form, rows)
                self._saved(sol, gen, refused, kept)
                return True
        except Exception as err:  # noqa: BLE001 - shown; the typed text stays
            self._failed(err, True)
            return False
        self.set_save_state("Sin guardar por el conflicto (Ctrl+S lo resuelve)")
        return False

    # ---- submit --------------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.estado == DRAFT:
            self._submit()

    @service_worker("form-submit")
    async def _submit(self) -> None:
        app = self.app
        missing = self.submit_problems()
        if missing:
            self.show_errors(missing)
            app.notify(f"Faltan o hay que corregir {len(missing)} datos; F4 lleva al primero.",
                       title="No se puede enviar", severity="warning")
            return
        answer = await app.push_screen_wait(ConfirmScreen(
            "Enviar a revisión", f"¿Enviar la solicitud {self.codigo or 'nueva'} al "
            "coordinador? Podrá editarla hasta que un coordinador la tome en revisión.",
            confirm_label="Enviar"))
        if answer is None:
            return
        self._stop_timer()
        if not await self.save_now(True):
            return
        try:
            sol = await transitions.submit(app.pool, app.actor, str(self.solicitud_id))
        except ValidationFailed as exc:
            self.show_errors(list(exc.errors))
            app.notify("El servidor encontró datos por corregir; F4 lleva al primero.",
                       title="No se puede enviar", severity="warning")
            return
        self.remember(sol)
        self.mark_clean()
        app.notify(f"{sol.codigo} enviada al coordinador.", title="Solicitud enviada")
        app.pop_screen()

    # ---- leaving -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.guard_leave(self.app.pop_screen)

    def guard_leave(self, proceed: Callable[[], Any]) -> None:
        """Every way out of the form (Escape here; F3, F12, Ctrl+Q and the palette through
        `App.leave_guarded`): a draft is saved first, and what cannot be saved is asked
        about (leave / stay); `proceed` runs once leaving is agreed."""
        self._leave(proceed)

    @service_worker("form-leave")
    async def _leave(self, proceed: Callable[[], Any]) -> None:
        self._stop_timer()
        question = None
        if self.estado == DRAFT:
            has_programa = self.solicitud_id or self.collect()[0].get("programaId")
            if self.dirty and has_programa:
                await self.save_now(False)
            if self.dirty and has_programa:
                question = ("No se pudo guardar el borrador. ¿Salir de todos modos? Se "
                            "perderán los últimos cambios.")
            elif self.dirty:
                question = ("La solicitud nueva no tiene programa, así que no se ha guardado. "
                            "¿Salir y descartarla?")
            elif self.unsaved:
                names = ", ".join(dict.fromkeys(fm.label(e.field.split("[", 1)[0])
                                                for e in self.unsaved))
                question = (f"Estos campos tienen errores y no se guardaron: {names}. ¿Salir "
                            "de todos modos?")
        elif self.dirty:
            question = ("Hay cambios sin guardar en esta solicitud pendiente (Ctrl+S los "
                        "guarda). ¿Salir y descartarlos?")
        if question:
            answer = await self.app.push_screen_wait(
                ConfirmScreen("Salir del formulario", question, confirm_label="Salir"))
            if answer is None:
                if self.dirty and self.estado == DRAFT:
                    self.run_save(False)
                return
        self.clear_journal()  # saved, or discarded on purpose
        proceed()
