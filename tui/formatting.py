"""How values are shown: Spanish dates, hours, empty values."""

from __future__ import annotations

from datetime import date, datetime, timezone

from rich.text import Text

from tui.services.common import BOGOTA

def fecha(value: date | datetime | None, local: bool = False) -> str:
    """dd/mm/aaaa. Date-only fields are stored as midnight UTC (as the web app stores them) and
    shown as that date; `local=True` converts an instant (e.g. fechaSolicitud) to Bogotá."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and local:
        value = value.replace(tzinfo=timezone.utc).astimezone(BOGOTA)
    return f"{value:%d/%m/%Y}"


def fecha_hora(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.replace(tzinfo=value.tzinfo or timezone.utc).astimezone(BOGOTA)
    return f"{local:%d/%m/%Y %H:%M}"



def horas(value: float) -> str:
    return f"{value:g} h"



def short(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis (for narrow table columns)."""
    return text if len(text) <= width else text[: width - 1] + "…"


# C0 controls as their Control Pictures (␛ for ESC), DEL as ␡, C1 controls as U+FFFD.
_INERT = {c: chr(0x2400 + c) for c in range(32)} | {0x7F: "\u2421"} | \
    {c: "\ufffd" for c in range(0x80, 0xA0)}
_INERT_MULTILINE = {k: v for k, v in _INERT.items() if k not in (9, 10)}


def inert(value: object, multiline: bool = False) -> str:
    """User text made safe for the terminal: every control character (ESC of ANSI/OSC
    sequences, BEL, C1 CSI…) is shown as a visible symbol and never sent as such. Newlines
    and tabs stay in `multiline` text. Markup is a separate matter: show the result with
    markup off (`literal`, `markup=False`)."""
    return str(value).translate(_INERT_MULTILINE if multiline else _INERT)


def literal(value: object, multiline: bool = False) -> Text:
    """A table cell shown exactly as typed: user text is never read as markup, and its
    control characters are shown, not sent."""
    return Text("—" if value is None or value == "" else inert(value, multiline))
