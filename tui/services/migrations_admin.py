"""Migrations from the admin menu: the admin role read from the database at every call, yoyo's
lock (tui.db.migrations takes it), and each migration's audit entry written in the migration's
own transaction, so an applied migration is never left unrecorded (nor a record without it).

The migration functions are synchronous (yoyo): they run in a thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import asyncio

import psycopg

from tui.db import migrations
from tui.db.migrations import BASELINE, MigrationError, MigrationInfo
from tui.db.queries import AQ
from tui.services import audit
from tui.services.boundary import checked
from tui.services.common import Actor, refresh_actor

__all__ = ["BASELINE", "MigrationError", "MigrationInfo", "apply", "rollback", "status"]


async def _admin(pool: Pool, actor: Actor) -> Actor:
    """The admin, from the database. Below migration 0002 (rolled back from this very screen)
    there is no pending-password state to read: role and active flag only."""
    async with pool.connection() as conn:  # autocommit: a failed query leaves nothing open
        try:
            return await refresh_actor(conn, actor, "ADMIN")
        except psycopg.errors.UndefinedTable:
            return await refresh_actor(conn, actor, "ADMIN", query=AQ.actor_below_app_schema)


@checked
async def status(pool: Pool, actor: Actor, url: str) -> tuple[list[MigrationInfo], str | None]:
    """Every migration with its applied date, and who holds the lock (None when free)."""
    await _admin(pool, actor)

    def read() -> tuple[list[MigrationInfo], str | None]:
        return migrations.status(url), migrations.lock_holder(url)

    return await asyncio.to_thread(read)


@checked
async def apply(pool: Pool, actor: Actor, url: str) -> list[str]:
    """Apply the pending migrations; returns their ids."""
    actor = await _admin(pool, actor)
    return await asyncio.to_thread(migrations.apply, url,
                                   audit.migration_recorder("migrate_apply", actor))


@checked
async def rollback(pool: Pool, actor: Actor, url: str, count: int = 1) -> list[str]:
    """Roll back the last `count` applied migrations; returns their ids."""
    actor = await _admin(pool, actor)
    return await asyncio.to_thread(migrations.rollback, url, count,
                                   audit.migration_recorder("migrate_rollback", actor))
