"""A checkbox whose mark is only drawn when it is checked."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class FormCheckbox(Checkbox):
    """A checkbox that reads the same in 16 colours: "X" when checked, blank when not
    (Textual's own draws an "X" in both states and tells them apart by colour only).

    Public API only: `BUTTON_INNER` (the mark, a documented class variable) is set per
    instance before Textual renders; a change of value re-renders (it toggles the `-on`
    class)."""

    def render(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()
