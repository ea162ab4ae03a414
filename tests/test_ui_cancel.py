"""Ctrl+G cancels what a screen is waiting for, on the server too; F5 loads it again.

A real slow query: another connection holds an exclusive lock on solicitudes, so the list's
query waits in PostgreSQL until it is cancelled."""

from __future__ import annotations

from typing import Any

import psycopg

from .conftest import settle, shown, wait_until


async def poll(pilot: Any, condition: Any) -> None:
    """Pause until `condition()` without waiting for the workers, which are blocked on
    purpose (the caller asserts the condition)."""
    await shown(pilot, condition)


def waiting(watch: psycopg.Connection[Any]) -> int:
    """Queries of this database waiting for a lock (the app's, behind the test's lock)."""
    row = watch.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND wait_event_type = 'Lock' AND pid <> "
                        "pg_backend_pid()").fetchone()
    return int(row[0]) if row else 0


async def test_ctrl_g_cancels_a_waiting_query_on_the_server(make_app: Any, login_as: Any,
                                                            demo_url: str) -> None:
    app = make_app(await login_as("juan"))
    with psycopg.connect(demo_url, autocommit=True) as watch, \
            psycopg.connect(demo_url) as locker:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: app.screen.query_one("#home-recent").row_count > 0)
            locker.execute('LOCK TABLE public.solicitudes IN ACCESS EXCLUSIVE MODE')
            await pilot.press("l")
            # The list waits (its years come from the summary table, which is not locked).
            await poll(pilot, lambda: waiting(watch) >= 1)
            assert waiting(watch) >= 1
            assert app.screen_workers(), "the list is loading"
            await pilot.press("ctrl+g")
            await poll(pilot, lambda: waiting(watch) == 0)
            assert waiting(watch) == 0, "the query stopped in PostgreSQL, not only in the app"
            assert not app.screen_workers()
            assert any("Consulta cancelada" in n.message for n in app._notifications)
            locker.rollback()  # the lock goes away; F5 loads the list
            await pilot.press("f5")
            await wait_until(pilot, lambda: app.screen.query_one("#list-table").row_count > 0)
            assert app.screen.query_one("#list-table").row_count == 5
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert any("No hay ninguna consulta" in n.message for n in app._notifications)
