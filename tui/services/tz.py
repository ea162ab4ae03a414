"""The time zone of every date the users see (Colombia keeps no daylight saving time)."""

from __future__ import annotations

from datetime import timedelta, timezone

BOGOTA = timezone(timedelta(hours=-5), "America/Bogota")
