"""A checkbox whose mark is only drawn when it is checked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class FormCheckbox(Checkbox):
    """A checkbox that reads the same in 16 colours: "X" when checked, blank when not
    (Textual's own draws an "X" in both states and tells them apart by colour only)."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
