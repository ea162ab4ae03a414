"""Waiting for the screen while an action's worker awaits an open dialog."""

from __future__ import annotations

from typing import Any

BUDGET_S = 60.0


async def until(pilot: Any, condition: Any) -> None:
    """Pause until `condition()` holds, at most BUDGET_S (not conftest's `wait_until`: an
    action's worker awaits the open dialog, so waiting for every worker would never end)."""
    for _ in range(int(BUDGET_S / 0.05)):
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - widgets may not exist yet
            pass
        await pilot.pause(0.05)
    assert condition()
