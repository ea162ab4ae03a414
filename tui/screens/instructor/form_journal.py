"""The local journal half of the solicitud form (see tui/uikit/journal.py): written shortly after
each edit, restored when the form opens, removed once the edits are saved or discarded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.uikit import journal
from tui.uikit.app_context import ShellApp


class FormJournal:
    """Mixin for SolicitudFormScreen (through FormSaving)."""

    app: ShellApp  # the screen's app, typed (tui.uikit.app_context)
    solicitud_id: str | None
    collect: Any
    fill: Any
    touch: Any
    load_programa: Any
    _journal_timer: Any

    if TYPE_CHECKING:  # provided by FormSaving
        @property
        def dirty(self) -> bool: ...

    @property
    def journal_key(self) -> str:
        return self.solicitud_id or journal.NEW

    def write_journal(self) -> None:
        self._journal_timer = None
        if not self.dirty:
            return
        form, horarios, _problems = self.collect()
        try:
            journal.write(self.app.actor.id, self.journal_key, form, horarios)
        except OSError as exc:  # the database save still works; say it once
            self.app.notify(f"No se pudo escribir el respaldo local: {exc}",
                            title="Respaldo local", severity="warning")

    def flush_journal(self) -> None:
        """Write now what a pending journal write would (the app is ending)."""
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self.write_journal()

    def clear_journal(self) -> None:
        for key in {self.journal_key, journal.NEW}:
            journal.clear(self.app.actor.id, key)

    def restore_journal(self) -> bool:
        """Put back edits a previous session left unsaved; True if there were any."""
        found = journal.read(self.app.actor.id, self.journal_key)
        if found is None:
            return False
        form, horarios = found
        self.fill(form, horarios)
        if form.get("programaId") and self.solicitud_id is None:
            self.load_programa(str(form["programaId"]))
        self.touch()
        self.app.notify("Se recuperaron los cambios sin guardar de una sesión anterior; se "
                        "guardarán en unos segundos.", title="Cambios recuperados", timeout=8)
        return True
