"""How values are shown: Spanish dates, hours, empty values."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rich.text import Text

from tui.render.format import plural
from tui.services.text import inert
from tui.services.tz import BOGOTA

__all__ = ["inert", "plural"]

def fecha(value: date | datetime | None, local: bool = False) -> str:
    """dd/mm/aaaa. Date-only fields are stored as midnight UTC (as the web app stores them) and
    shown as that date; `local=True` converts an instant (e.g. fechaSolicitud) to Bogotá."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and local:
        value = value.replace(tzinfo=UTC).astimezone(BOGOTA)
    return f"{value:%d/%m/%Y}"


def fecha_hora(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.replace(tzinfo=value.tzinfo or UTC).astimezone(BOGOTA)
    return f"{local:%d/%m/%Y %H:%M}"



def horas(value: float) -> str:
    return f"{value:g} h"



def short(text: str, width: int) -> str:
    """Cut to `width` characters with an ellipsis (for narrow table columns)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def literal(value: object, multiline: bool = False) -> Text:
    """A table cell shown exactly as typed: user text is never read as markup, and its
    control characters are shown, not sent."""
    return Text("—" if value is None or value == "" else inert(value, multiline))
