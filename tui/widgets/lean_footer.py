"""The footer, redrawn only when the keys it shows change.

Textual's Footer rebuilds itself on every bindings update; the lists refresh their bindings
on each row move (the actions depend on the selected solicitud), so over SSH every move
re-sent the whole footer line, usually unchanged.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def bindings_signature(screen: Screen[Any]) -> tuple[Any, ...]:
    return tuple((b.key, b.action, b.description, enabled, tooltip)
                 for (_, b, enabled, tooltip) in screen.active_bindings.values() if b.show)


class LeanFooter(Footer):
    """A Footer that skips rebuilds which would draw the same keys, with Ctrl+P first.

    Textual docks the palette key on the right, over the last keys of a full line (at 80
    columns their text ran under it). Here it comes first, in the flow: a line too long for
    the terminal loses its last keys cleanly (F1 lists them all)."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        yield from sorted(keys, key=lambda w: not w.has_class("-command-palette"))

    _signature: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (self.is_attached and screen is self.screen and screen.is_current):
            super().bindings_changed(screen)  # a screen on its way out: nothing to compare
            return
        signature = bindings_signature(screen)
        if self._bindings_ready and signature == self._signature:
            return
        self._signature = signature
        super().bindings_changed(screen)
