"""Waiting for the screen while an action's worker awaits an open dialog."""

from __future__ import annotations

from typing import Any

from .conftest import WAIT_S, shown


async def until(pilot: Any, condition: Any, timeout: float = WAIT_S) -> None:
    """Pause until `condition()` holds (not conftest's `wait_until`: an action's worker awaits
    the open dialog, so waiting for every worker would never end). Fails after `timeout` s of
    wall clock."""
    assert await shown(pilot, condition, timeout), "la condición no se cumplió a tiempo"
