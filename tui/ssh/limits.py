"""Connection limits of `serve-ssh`, kept in one place.

- Before authentication (like OpenSSH's MaxStartups): at most `max_startups` connections in
  total and `max_startups_per_ip` from one address; each has the login grace time to
  authenticate.
- After authentication every connection holds one slot, with or without a shell (`ssh -N`
  too): `max_total` in all, `max_per_user` per account. A user at their own limit (or with a
  connection of theirs when the server is full) takes over: their oldest connection ends,
  so a dead session of theirs never locks them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

TOO_MANY_TOTAL = ("El servidor alcanzó el máximo de conexiones simultáneas ({n}). Intente de "
                  "nuevo en unos minutos.")
REPLACED = "Sesión cerrada: se abrió otra conexión con su cuenta."


@dataclass
class _Slot:
    user_id: str
    end: Callable[[str], None]  # ends the connection, with the reason given to the client


@dataclass
class ConnectionRegistry:
    max_total: int = 20
    max_per_user: int = 3
    max_startups: int = 30
    max_startups_per_ip: int = 10
    active: dict[int, _Slot] = field(default_factory=dict)  # slot number -> holder
    startups: Counter[str] = field(default_factory=Counter)  # address -> unauthenticated
    _numbers: count[int] = field(default_factory=lambda: count(1))

    # ---- before authentication -----------------------------------------------------------------
    def start(self, ip: str) -> bool:
        """A new TCP connection from `ip`: False when the unauthenticated caps are reached."""
        if sum(self.startups.values()) >= self.max_startups or \
                self.startups[ip] >= self.max_startups_per_ip:
            return False
        self.startups[ip] += 1
        return True

    def started(self, ip: str) -> None:
        """The connection authenticated or went away: no longer unauthenticated."""
        self.startups[ip] -= 1
        if self.startups[ip] <= 0:
            del self.startups[ip]

    # ---- after authentication ------------------------------------------------------------------
    def open(self, user_id: str, end: Callable[[str], None]) -> tuple[int | None, str]:
        """(slot number, "") when allowed (ending the user's oldest connection if needed),
        else (None, the Spanish reason)."""
        own = [n for n, s in self.active.items() if s.user_id == user_id]
        if len(own) >= self.max_per_user or (len(self.active) >= self.max_total and own):
            oldest = min(own)
            self.active.pop(oldest).end(REPLACED)
        elif len(self.active) >= self.max_total:
            return None, TOO_MANY_TOTAL.format(n=self.max_total)
        number = next(self._numbers)
        self.active[number] = _Slot(user_id, end)
        return number, ""

    def close(self, number: int | None) -> None:
        if number is not None:
            self.active.pop(number, None)
