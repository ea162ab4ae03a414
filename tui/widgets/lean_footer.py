"""The footer, redrawn in the same frame as the row move that changes its keys.

Textual's Footer rebuilds itself on every bindings update, and rebuilding is asynchronous
(`call_after_refresh(recompose)`: the old keys are removed and new ones mounted after the
next frame). The lists refresh their bindings on each row move (the actions depend on the
selected solicitud), so over SSH a move that showed or hid a key ("Tomar", "Aprobar") went
out as two writes: the moved row, then ~0.1-0.3 s later the footer.

`LeanFooter` composes a key for every binding the screen's binding chain could show,
those its `check_action` hides included (hidden with `display: none`). A bindings update that
only shows, hides, enables or disables keys is then applied to the mounted keys at once, so
the compositor draws it in the frame that draws the row move. Anything else (focus moved to a
widget with other bindings, another screen) rebuilds as Textual does. Updates that would
draw the same keys are skipped.

Textual internals used (tests/test_textual_internals.py fails loudly if an upgrade moves
them): `Screen._modal_binding_chain` (the bindings the screen could show, hidden ones
included), `Footer._bindings_ready` and `FooterKey._disabled` (what a click checks).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.errors import NoWidget
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class Slot(NamedTuple):
    """One key of the footer: which binding it shows."""

    key: str
    action: str
    description: str
    palette: bool = False


def bindings_signature(screen: Screen[Any]) -> tuple[Any, ...]:
    return tuple((b.key, b.action, b.description, enabled, tooltip)
                 for (_, b, enabled, tooltip) in screen.active_bindings.values() if b.show)


def _slot(binding: Binding, palette: bool = False) -> Slot:
    return Slot(binding.key, binding.action, binding.description, palette)


def _palette_first(slots: dict[Slot, Binding]) -> list[Slot]:
    return sorted(slots, key=lambda s: not s.palette)


class WholeKey(FooterKey):
    """A footer key drawn whole or not at all: the last key of a line too long for the
    terminal would otherwise end mid-word ("^q S"). Whether it fits is read from the layout
    of the frame being drawn (its region against its container's clip), and the footer
    refreshes its keys whenever that layout may have changed, so the decision is drawn in
    the same frame as the change."""

    def render(self) -> Text:
        text = super().render()
        try:
            geometry = self.screen.find_widget(self)
        except NoWidget:
            return text
        if geometry.region.right > geometry.clip.right:
            # Blank, not empty: the key keeps its width (layout asks `render` for it), so
            # it is drawn again, whole, as soon as the line has room for it.
            return Text(" " * text.cell_len, style=self.rich_style)
        return text


class LeanFooter(Footer):
    """A Footer whose keys appear and disappear in place, with Ctrl+P first.

    Textual docks the palette key on the right, over the last keys of a full line (at 80
    columns their text ran under it). Here it comes first, in the flow: a line too long for
    the terminal loses its last keys cleanly (F1 lists them all)."""

    _signature: tuple[Any, ...] | None = None
    _keys: dict[Slot, FooterKey] | None = None
    """The mounted keys by slot, in footer order (None: composed as Textual does)."""

    # ---- what the screen shows and could show ---------------------------------------------
    def _shown(self, screen: Screen[Any]) -> dict[Slot, tuple[Binding, bool, str]]:
        """The keys Textual's Footer would draw now, in its order: one per action (its first
        shown binding), then the palette key."""
        active = screen.active_bindings
        shown: dict[Slot, tuple[Binding, bool, str]] = {}
        actions: set[str] = set()
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                shown[_slot(binding)] = (binding, enabled, tooltip)
        palette = self._palette_key()
        if palette in active:
            _, binding, enabled, _tooltip = active[palette]
            shown[_slot(binding, True)] = (binding, enabled, binding.tooltip or binding.description)
        return shown

    def _palette_key(self) -> str | None:
        app = self.app
        return app.COMMAND_PALETTE_BINDING if self.show_command_palette and \
            app.ENABLE_COMMAND_PALETTE else None

    def _possible(self, screen: Screen[Any]) -> dict[Slot, Binding]:
        """Every key the screen's bindings could show, whatever `check_action` says now, in
        the order Textual's Footer would draw them: by key, in the order the binding chain
        first binds it (a priority binding first), then the palette key."""
        by_key: dict[str, list[Binding]] = {}
        for _node, bindings in screen._modal_binding_chain:
            for key, binding in bindings:
                by_key.setdefault(key, []).append(binding)
        slots: dict[Slot, Binding] = {}
        for candidates in by_key.values():
            for binding in sorted(candidates, key=lambda b: not b.priority):
                if binding.show:
                    slots.setdefault(_slot(binding), binding)
        palette = self._palette_key()
        for binding in sorted(by_key.get(palette or "", []), key=lambda b: not b.priority):
            slots.setdefault(_slot(binding, True), binding)
        return slots

    @staticmethod
    def _fits(possible: dict[Slot, Binding], shown: dict[Slot, Any]) -> bool:
        """Whether hiding the possible keys that are not shown draws exactly the shown
        keys, in their order (no binding groups: this footer does not lay them out)."""
        if any(binding.group is not None for binding in possible.values()):
            return False
        return [slot for slot in possible if slot in shown] == list(shown)

    # ---- composing and updating ------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._keys = None
        if not self._bindings_ready:
            return
        screen = self.screen
        shown, possible = self._shown(screen), self._possible(screen)
        if not self._fits(possible, shown):
            keys = list(super().compose())
            yield from sorted(keys, key=lambda w: not w.has_class("-command-palette"))
            return
        self._keys = {}
        for slot in _palette_first(possible):
            binding = possible[slot]
            _, enabled, tooltip = shown.get(slot, (binding, True, binding.tooltip))
            key = WholeKey(binding.key, self.app.get_key_display(binding), binding.description,
                            binding.action, disabled=not enabled, tooltip=tooltip,
                            classes="-command-palette" if slot.palette else "")
            if not slot.palette:
                key.data_bind(compact=Footer.compact)
            key.display = slot in shown
            self._keys[slot] = key
            yield key

    def on_resize(self) -> None:
        for key in self._keys.values() if self._keys else ():
            key.refresh()

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (self.is_attached and screen is self.screen and screen.is_current
                and screen.app.app_focus):
            super().bindings_changed(screen)  # a screen on its way out: nothing to compare
            return
        signature = bindings_signature(screen)
        if self._bindings_ready and signature == self._signature:
            return
        self._signature = signature
        if self._keys is not None and self._update_in_place(screen):
            return
        super().bindings_changed(screen)

    def _update_in_place(self, screen: Screen[Any]) -> bool:
        """Show, hide, enable or disable the mounted keys for the screen's bindings now;
        False when the keys themselves changed (then the footer is rebuilt)."""
        assert self._keys is not None
        shown, possible = self._shown(screen), self._possible(screen)
        if _palette_first(possible) != list(self._keys) or not self._fits(possible, shown):
            return False
        for slot, key in self._keys.items():
            entry = shown.get(slot)
            key.display = entry is not None
            key.refresh()  # whether it fits may change with the keys before it
            if entry is not None:
                _binding, enabled, tooltip = entry
                if key._disabled == enabled:
                    key._disabled = not enabled
                    key.set_class(not enabled, "-disabled")
                if key.tooltip != (tooltip or None):
                    key.tooltip = tooltip or None
        return True
