"""Textual's own English, in Spanish: the one place where the framework's strings are replaced.

Every string a user can read that Textual writes itself (found by reading
`textual/command.py`, `widgets/_select.py`, `keys.py` and `app.py` of Textual 8.2) is
overridden here, through public hooks where Textual has one:
- key names in the footer and the help (`App.get_key_display`, which Textual documents for
  overriding): `pgdn` → AvPág, `esc` → Esc, `del` → Supr…;
- the command palette (a subclass): its footer key "Exit the command palette", the
  placeholder "Search for commands…" / "Search for themes…" and "No matches found";
- the Select menu's footer key "Dismiss menu" (no public hook: the binding list of its
  overlay class is replaced once, at import, and its merged bindings rebuilt);
- Textual's own toasts (screenshot saved or failed, "Do you want to quit?" on Ctrl+C), through
  the app's single `notify`.
`tests/test_spanish_text.py` walks every screen and fails on any English word left.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widgets._select import SelectOverlay

KEY_NAMES = {
    "pagedown": "AvPág",
    "pageup": "RePág",
    "delete": "Supr",
    "space": "Espacio",
    "home": "Inicio",
    "end": "Fin",
    "backspace": "Retroceso",
}
"""Key names as a Spanish keyboard labels them, where Textual writes an English word (pgdn,
pgup, del, space…). esc, F-keys, ^ for Ctrl and the arrows read the same in Spanish."""

MODIFIERS = {"shift": "Mayús", "alt": "Alt", "super": "Super", "meta": "Meta"}


def key_display(binding: Binding) -> str | None:
    """The Spanish display of a binding's first key, or None where Textual's own is fine
    (letters, F-keys, esc, ^ for Ctrl, arrows)."""
    if binding.key_display:
        return binding.key_display
    first = binding.key.split(",")[0].strip()
    *mods, key = first.split("+")
    if key not in KEY_NAMES:
        return None
    name = KEY_NAMES[key]
    shown = [f"^{name}" if m == "ctrl" else MODIFIERS.get(m, m) for m in mods]
    if "ctrl" in mods:
        return "+".join([m for m in shown if not m.startswith("^")] + [f"^{name}"])
    return "+".join([*shown, name])


PALETTE_PLACEHOLDER = "Buscar una acción…"
THEME_PLACEHOLDER = "Buscar un tema…"
NO_MATCHES = "Sin resultados"


class Paleta(CommandPalette):
    """The command palette with Spanish texts (its footer key, its "no matches" line)."""

    BINDINGS = [Binding("escape", "escape", "Cerrar la paleta")]

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown adds "No matches found"; this one adds «Sin resultados»."""
        from rich.align import Align
        from rich.text import Text
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(NO_MATCHES, style="not bold")), disabled=True,
                    id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


# The Select menu (its overlay is built inside Select, so no subclass can reach it): its one
# visible key, Escape, described in Spanish.
SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Cerrar la lista")]
SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()

TOASTS = {
    "Screenshot": "Captura de pantalla",
    "Saved screenshot": "Captura de pantalla guardada",
    "Failed to save screenshot": "No se pudo guardar la captura de pantalla",
    "Do you want to quit?": "¿Quiere salir?",
}


def toast(message: str, title: str) -> tuple[str, str]:
    """Textual's own toast texts in Spanish (ours pass unchanged)."""
    title = TOASTS.get(title, title)
    if message.startswith("Saved screenshot to "):
        path = message.removeprefix("Saved screenshot to ").replace("[$text-success]", "")
        return f"Captura de pantalla guardada en {path}", title
    if message.startswith("Press ") and message.endswith(" to quit the app"):
        key = message.removeprefix("Press ").removesuffix(" to quit the app")
        return f"Pulse {key.replace('[b]', '').replace('[/b]', '')} para salir.", title
    return TOASTS.get(message, message), title
