"""SVG snapshots of the coordinator screens at 80x24 and 120x36: the review queue (coordinator
and admin) and the coordinator's home with its dashboard.

The queue shows ages ("Días"), which grow every day: before taking it, the demo dates are
moved so that "now" is AS_OF for them, and the picture stays the same on any day. The home
shows dates, not ages, and its figures are fixed once SOL-2026-002 is past 7 days.

Update after an intended visual change with
`pytest tests/test_snapshots_coordinacion.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from textual.widgets import Select, Static

from .conftest import settle, wait_until
from .test_snapshots import session_for

SIZES = [(80, 24), (120, 36)]
AS_OF = "2026-11-29 12:00:00"  # the ages in the pictures: 002 is 18 days old, 003 is 10


def ages_as_of(url: str) -> None:
    """Shift every solicitud date so that the demo looks as it did at AS_OF (UTC)."""
    with psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC") as conn:
        conn.execute(
            'UPDATE public.solicitudes SET "fechaSolicitud" = "fechaSolicitud" + d, '
            '"fechaRevision" = "fechaRevision" + d, "fechaAprobacion" = "fechaAprobacion" + d '
            "FROM (SELECT (now() AT TIME ZONE 'UTC') - %s::timestamp AS d) AS shift",
            (AS_OF,))


def queue_loaded(pilot: Any) -> bool:
    return "revisar" in str(pilot.app.screen.query_one("#queue-status", Static).render())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["juan", "admin"])
def test_review_queue(snap_compare: Any, make_app: Any, demo_url: str, who: str,
                      size: tuple[int, int]) -> None:
    ages_as_of(demo_url)
    app = make_app(session_for(demo_url, who))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("r")
        await wait_until(pilot, lambda: queue_loaded(pilot))
        if who == "admin":
            await wait_until(pilot, lambda: len(pilot.app.screen.query_one(
                "#queue-centro", Select)._options) > 3)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES)
def test_coordinator_home(snap_compare: Any, make_app: Any, demo_url: str,
                          size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "juan"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await wait_until(pilot, lambda: "Pendientes" in str(
            pilot.app.screen.query_one("#home-dashboard", Static).render()))

    assert snap_compare(app, terminal_size=size, run_before=go)
