"""Concurrent-session limits of `serve-ssh` (total and per user), kept in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

TOO_MANY_TOTAL = ("El servidor alcanzó el máximo de sesiones simultáneas ({n}). Intente de "
                  "nuevo en unos minutos.")
TOO_MANY_USER = ("Ya tiene {n} sesiones abiertas, el máximo por usuario. Cierre una e intente "
                 "de nuevo.")


@dataclass
class SessionRegistry:
    max_total: int = 20
    max_per_user: int = 3
    active: dict[int, str] = field(default_factory=dict)  # session number -> user id
    _numbers: count = field(default_factory=lambda: count(1))

    def open(self, user_id: str) -> tuple[int | None, str]:
        """(session number, "") when allowed, else (None, the Spanish reason)."""
        if len(self.active) >= self.max_total:
            return None, TOO_MANY_TOTAL.format(n=self.max_total)
        if sum(1 for u in self.active.values() if u == user_id) >= self.max_per_user:
            return None, TOO_MANY_USER.format(n=self.max_per_user)
        number = next(self._numbers)
        self.active[number] = user_id
        return number, ""

    def close(self, number: int | None) -> None:
        if number is not None:
            self.active.pop(number, None)
