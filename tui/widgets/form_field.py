"""One labelled field of the solicitud form: its editor and the error line under it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from tui.services.validation import MAX_LENGTHS, REQUIRED_FIELDS
from tui.uikit.formatting import inert
from tui.widgets import form_model as fm
from tui.widgets.form_checkbox import FormCheckbox


class FormField(Vertical):
    """A form field; `help_text` is what F1 shows for it."""

    def __init__(self, field: str, *, required: bool | None = None) -> None:
        super().__init__(classes=f"form-field kind-{fm.kind_of(field)}", id=f"ff-{field}")
        self.field = field
        self.kind = fm.kind_of(field)
        self.required = field in REQUIRED_FIELDS if required is None else required
        self.help_text = fm.help_for(field)
        self.picked: Any = None  # the value of a picker field (chosen in a dialog)

    def compose(self) -> ComposeResult:
        text = fm.label(self.field) + (" *" if self.required else "")
        editor = self._make_editor(text)
        if self.kind == "check":
            yield editor
        elif self.kind == "picker":
            with Horizontal(classes="form-row"):
                yield Label(text, classes="form-label")
                yield editor
                yield Static("(sin elegir)", classes="form-picked", markup=False)
        else:
            # a text area goes under its label; a one-line field's label and editor are the
            # two columns of the field's own grid (solicitud_form.tcss), with no row container
            yield Label(text, classes="form-label")
            yield editor
        # The error line is mounted with the field's first error: hidden until then, it
        # would only add a widget per field (the form has about 50) for Textual to style and
        # visit on every refresh.

    def _make_editor(self, text: str) -> Widget:
        ident = f"f-{self.field}"
        if self.kind == "check":
            return FormCheckbox(text, id=ident, compact=True)
        if self.kind == "picker":
            return Button("Elegir…", id=ident, compact=True)
        if self.kind == "select":
            options = [(v, k) for k, v in fm.SELECT_OPTIONS[self.field].items()]
            return Select(options, id=ident, compact=True, prompt="Seleccione…")
        if self.kind == "textarea":
            return TextArea(id=ident, soft_wrap=True, compact=True, tab_behavior="focus")
        if self.kind == "date":
            return Input(id=ident, compact=True, placeholder="dd/mm/aaaa", max_length=10,
                         restrict=r"[0-9/]*")
        if self.kind == "int":
            return Input(id=ident, compact=True, type="integer", max_length=9, valid_empty=True)
        return Input(id=ident, compact=True, max_length=MAX_LENGTHS.get(self.field, 0))

    @property
    def editor(self) -> Any:
        return self.query_one(f"#f-{self.field}")

    # ---- values ------------------------------------------------------------------------------
    def get_value(self) -> Any:
        """The service value; ValueError (labelled, Spanish) when the typed text is malformed."""
        w = self.editor
        if self.kind == "picker":
            return self.picked
        if self.kind == "check":
            return bool(w.value)
        if self.kind == "select":
            return None if w.value is Select.NULL else str(w.value)
        if self.kind == "textarea":
            return w.text
        return fm.from_text(self.field, w.value)

    def set_value(self, value: Any) -> None:
        w = self.editor
        if self.kind == "picker":
            self.picked = value
        elif self.kind == "check":
            w.value = bool(value)
        elif self.kind == "select":
            w.value = value if value in fm.SELECT_OPTIONS[self.field] else Select.NULL
        elif self.kind == "textarea":
            # Control characters (the web app stores them) would reach the terminal: they
            # are shown, and saved if the user saves, as visible symbols.
            w.text = inert(value or "", multiline=True)
        else:
            w.value = inert(fm.to_text(self.field, value))

    def set_display(self, text: str) -> None:
        """What a picker field shows beside its button."""
        self.query_one(".form-picked", Static).update(inert(text) or "(sin elegir)")

    def check_format(self) -> str | None:
        """Show (and return) the format error of the typed text, or clear it."""
        try:
            self.get_value()
        except ValueError as exc:
            self.show_error(str(exc))
            return str(exc)
        if self.has_class("-format-error"):
            self.show_error(None)
        return None

    def show_error(self, message: str | None, *, format_error: bool = True) -> None:
        """Show a message under the field (None clears it); the typed text is never touched."""
        self.set_class(bool(message), "-has-error")
        self.set_class(bool(message) and format_error, "-format-error")
        self.editor.set_class(bool(message), "-invalid")
        lines = self.query(".form-error").results(Static)
        line = next(lines, None)
        if line is not None:
            line.update(message or "")
        elif message:
            self.mount(Static(message, classes="form-error", markup=False))
