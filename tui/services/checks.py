"""What every validator shares (the form's, the horarios', the users'): the error a field
reports, the exception that carries them, and the checks of a single value."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

INT_MAX: Final = 2_147_483_647  # PostgreSQL INTEGER


@dataclass(frozen=True)
class FieldError:
    """One validation problem: the field it belongs to and a Spanish message for the user."""

    field: str
    message: str


class ValidationFailed(Exception):
    """Raised by services when data does not validate; carries every error found."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(error.message for error in self.errors)


def has_forbidden_chars(text: str, multiline: bool = True) -> bool:
    """True for control characters (tab/newline allowed only in multi-line text) or surrogates."""
    allowed = "\n\t" if multiline else ""
    for char in text:
        category = unicodedata.category(char)
        if char not in allowed and (
            category in ("Cc", "Cs") or (not multiline and category in ("Zl", "Zp"))
        ):
            return True
    return False


def as_date(value: object) -> date | None:
    """The calendar date of a ``date`` or ``datetime``; None for anything else."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
