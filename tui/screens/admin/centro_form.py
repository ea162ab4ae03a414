"""Create or edit a centro (admins), and the dialog frame every admin form shares.

`AdminFormScreen` is the common half of the user, centro and programa forms: labelled rows,
Ctrl+S to save in a worker, the service's ValidationFailed shown in the dialog with the cursor
on the first field named, and a stale copy (Conflict) explained field by field. The dialog stays
open on any failure, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.screens.common.confirm import GuardedDialog
from tui.services import centros
from tui.services.common import Conflict
from tui.services.validation import ValidationFailed
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe
from tui.uikit.workers import service_worker


class AdminFormScreen(GuardedDialog, ModalScreen[Any]):
    """Formulario."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    PREFIX = "admin"
    FIELDS: dict[str, str] = {}
    """Service field name → id of the widget that edits it."""
    DIFF: tuple[tuple[str, str], ...] = ()
    """(attribute, label) compared with a fresher copy after a Conflict."""

    def __init__(self, current: Any | None) -> None:
        super().__init__()
        self.current = current
        """The stored copy being edited (None for a new one); its updated_at guards the save."""

    # ---- what each form supplies ---------------------------------------------------------------
    def title_text(self) -> str:
        return ""

    def compose_fields(self) -> ComposeResult:
        yield from ()

    async def submit(self) -> Any:
        """Call the service; what it returns is the dialog's result."""
        raise NotImplementedError

    def focus_item(self, field: str, widget: Widget) -> None:
        """Place the cursor on a list item named like "objetivos[2]" (forms with lists)."""

    def diff_source(self, obj: Any) -> Any:
        return obj

    # ---- frame ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        p = self.PREFIX
        with Vertical(classes="dialog admin-form", id=f"{p}-form"):
            yield Static(self.title_text(), classes="dialog-title", markup=False)
            with VerticalScroll(classes="admin-form-body"):
                yield from self.compose_fields()
            yield Static("", id=f"{p}-form-error", classes="admin-form-error", markup=False)
            with Horizontal(classes="admin-form-buttons"):
                yield Button("Guardar (Ctrl+S)", variant="primary", id=f"{p}-form-ok",
                             compact=True)
                yield Button("Cancelar (Esc)", id=f"{p}-form-no", compact=True)

    @staticmethod
    def row(label: str, widget: Widget, tall: bool = False) -> Horizontal:
        return Horizontal(Label(label, classes="admin-label"), widget,
                          classes="admin-row" + (" -tall" if tall else ""))

    def on_mount(self) -> None:
        self.focus_first()

    def focus_first(self) -> None:
        for widget in self.query(".admin-row > Input, .admin-row > Select, .admin-row > TextArea"):
            if widget.focusable:
                widget.focus()
                return

    def text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def area(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text

    def choice(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return None if value is Select.NULL else str(value)

    def show_error(self, text: str, fields: tuple[str, ...] = ()) -> None:
        """The message under the fields; the rows of `fields` are marked as wrong."""
        error = self.query_one(f"#{self.PREFIX}-form-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")
        wrong = {self.FIELDS.get(f.split("[")[0]) for f in fields} - {None}
        for row in self.query(".admin-row"):
            row.set_class(any(w.id in wrong for w in row.children), "-error")

    # ---- saving --------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, ".admin-form-buttons Button")
    def _button(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.PREFIX}-form-ok":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.cancel_guarded(None)

    def action_save(self) -> None:
        self.show_error("Guardando…")
        self.save()

    @service_worker("admin-form", on_error=lambda dialog, exc: dialog.save_failed(exc))
    async def save(self) -> None:
        self.dismiss(await self.submit())

    def save_failed(self, exc: BaseException) -> bool:
        """In the dialog, what was typed kept: bad fields under their rows (no toast), a
        concurrent change explained, anything else also as a toast."""
        if isinstance(exc, ValidationFailed):
            self.show_error("\n".join(e.message for e in exc.errors),
                            tuple(e.field for e in exc.errors))
            self.focus_field(exc.errors[0].field if exc.errors else "")
            return True
        if isinstance(exc, Conflict):
            self.conflict(exc)
            return True
        self.show_error(describe(exc)[1])
        return False

    def focus_field(self, field: str) -> None:
        widget_id = self.FIELDS.get(field.split("[")[0])
        if widget_id is None:
            return
        widget = self.query_one(f"#{widget_id}")
        widget.focus()
        if "[" in field:
            self.focus_item(field, widget)

    def conflict(self, exc: Conflict) -> None:
        """Someone saved first: say what they changed and take their copy as the new base, so
        a second Ctrl+S deliberately writes the typed values over it."""
        fresh = exc.current
        changed = []
        if fresh is not None and self.current is not None:
            old, new = self.diff_source(self.current), self.diff_source(fresh)
            changed = [label for attr, label in self.DIFF
                       if getattr(old, attr, None) != getattr(new, attr, None)]
            self.current = fresh
        self.show_error(f"{exc.message} Cambió: {', '.join(changed) or 'otros datos'}. Lo "
                        "escrito se conserva: Ctrl+S lo guarda sobre esos cambios; Escape "
                        "lo descarta.")


class CentroFormScreen(AdminFormScreen):
    """Centro de formación."""

    HELP = keymap.HELP["CentroFormScreen"]
    PREFIX = "centros"
    BINDINGS = keymap.BINDINGS["CentroFormScreen"]
    FIELDS = {f: f"centro-{f}" for f in centros.LABELS}
    DIFF = tuple((f, label) for f, label in centros.LABELS.items())

    def title_text(self) -> str:
        c = self.current
        return "Nuevo centro" if c is None else f"Editar centro {c.codigo}"

    def compose_fields(self) -> ComposeResult:
        c = self.current
        for field, label in centros.LABELS.items():
            mark = " *" if field in centros.REQUIRED else ""
            value = getattr(c, field, None) or "" if c is not None else ""
            yield self.row(label + mark, Input(value, id=f"centro-{field}", compact=True))

    async def submit(self) -> Any:
        app = self.app
        values = {f: self.text(f"centro-{f}") for f in centros.LABELS}
        if self.current is None:
            return await centros.create_centro(
                app.pool, app.actor, values["codigo"], values["nombre"], values["ciudad"],
                values["region"], values["direccion"] or None, values["telefono"] or None)
        return await centros.update_centro(app.pool, app.actor, self.current.id,
                                           expected_updated_at=self.current.updated_at,
                                           **values)
