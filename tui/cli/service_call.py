"""One service call from the command line: open the database and a pool, run, close.

Shared by the commands in `tui.cli.main` and the batch commands in `tui.cli.batch`.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tui.shell.database import fail, open_database

T = TypeVar("T")


def run_service(args: argparse.Namespace, work: Callable[[Any], Awaitable[T]]) -> T:
    """Open the database and a pool, run one async service call, close everything.

    Refusals of the services (and database errors) end as "Error: …" on stderr, exit 1.
    """
    import psycopg

    from tui.db import migrations
    from tui.db.pool import make_pool
    from tui.services.common import ServiceError
    from tui.services.validation import ValidationFailed

    db = open_database(args.database_url)
    try:
        if migrations.pending(db.require_direct()):
            fail("La base de datos tiene migraciones pendientes: ejecute `complementarias "
                 "migrate` primero.")
    except migrations.MigrationError as exc:
        fail(str(exc))

    async def run() -> T:
        pool = make_pool(db.url, min_size=1, max_size=2, pooled=db.pooled)
        await pool.open(wait=True)
        try:
            return await work(pool)
        finally:
            await pool.close()

    try:
        return asyncio.run(run())
    except ServiceError as exc:
        fail(exc.message)
    except ValidationFailed as exc:
        fail("; ".join(e.message for e in exc.errors))
    except psycopg.Error as exc:
        fail(f"la base de datos respondió: {str(exc).strip() or type(exc).__name__}")
    raise AssertionError("unreachable")
