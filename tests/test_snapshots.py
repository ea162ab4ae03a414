"""SVG snapshots of every shell screen and dialog at 80x24 and 120x36 (demo data is fixed).

Update after an intended visual change with `pytest tests/test_snapshots.py --snapshot-update`
and review the SVGs in tests/__snapshots__/.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tui.db.pool import make_pool
from tui.services.auth import login
from tui.services.seed import demo_accounts

from .conftest import settle, shown, stable_svg, wait_until

SIZES = [(80, 24), (120, 36)]


def session_for(url: str, prefix: str) -> Any:
    async def run() -> Any:
        pool = make_pool(url)
        await pool.open()
        try:
            email, _r, password = next(a for a in demo_accounts() if a[0].startswith(prefix))
            return await login(pool, email, password)
        finally:
            await pool.close()

    return asyncio.run(run())


@pytest.mark.parametrize("size", SIZES)
def test_login(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("who", ["carlos", "juan"])
def test_home(snap_compare: Any, make_app: Any, demo_url: str, who: str,
              size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, who))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES)
def test_list(snap_compare: Any, make_app: Any, demo_url: str, size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "juan"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: "Mostrando" in str(
            pilot.app.screen.query_one("#list-status").render()))
        await wait_until(pilot, lambda: len(pilot.app.screen.query_one("#filter-year")._options)
                         > 1)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES)
def test_detail_and_sidebar(snap_compare: Any, make_app: Any, demo_url: str,
                            size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "carlos"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("enter")  # the first recent solicitud
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, make_app: Any, demo_url: str, size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "carlos"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=go)


@pytest.mark.parametrize("size", SIZES)
def test_approve_dialog(snapshot: Any, make_app: Any, demo_url: str,
                        size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "juan"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("l")
        await wait_until(pilot, lambda: "Mostrando" in str(
            pilot.app.screen.query_one("#list-status").render()))
        await wait_until(pilot, lambda: len(pilot.app.screen.query_one("#filter-year")._options)
                         > 1)
        # From the detail of SOL-2026-003 (EN_REVISION, the newest): the dialog over a
        # fixed text, not over a table still settling its column widths.
        await pilot.press("enter")
        await wait_until(pilot, lambda: "SOL-2026-003" in str(
            pilot.app.screen.query_one("#detail-text").render()))
        await pilot.press("a")
        # The action's worker waits on the dialog: wait for the screen, not for workers.
        assert await shown(pilot, lambda: pilot.app.screen.__class__.__name__ ==
                           "ConfirmScreen" and pilot.app.focused is
                           pilot.app.screen.query_one("#confirm-value"))
        for _ in range(3):
            await pilot.pause(0.05)

    # Compared as text with ids normalised: the drawing is stable, Rich's id hash is not.
    assert stable_svg(app, size, go) == snapshot


@pytest.mark.parametrize("size", SIZES)
def test_change_password_dialog(snap_compare: Any, make_app: Any, demo_url: str,
                                size: tuple[int, int]) -> None:
    app = make_app(session_for(demo_url, "carlos"))

    async def go(pilot: Any) -> None:
        await settle(pilot)
        # the home's table filled first: the dialog over a table whose widths are settled
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#home-recent").row_count)
        await settle(pilot)
        pilot.app.action_change_password()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=go)
