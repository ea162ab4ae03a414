"""The async connection pool every service call runs on."""

from __future__ import annotations

from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from tui.db.queries import AQ

# What every service takes: the app's pool of autocommit connections with dict rows.
Pool = AsyncConnectionPool[Any]

STATEMENT_TIMEOUT_MS = 30000


def make_pool(url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 10.0,
              name: str = "complementarias", pooled: bool = False) -> Pool:
    """A closed pool (open it inside the event loop with `await pool.open()`).

    Connections are autocommit (services open explicit transactions), return dict rows, run
    in UTC (Prisma writes UTC wall-clock time into timestamp columns), and are checked before
    use, so a PostgreSQL restart costs no failed request.

    `pooled`: `url` goes through a transaction pooler (PgBouncer), where each transaction
    may run on another server connection. PgBouncer refuses the `options` startup parameter,
    so UTC is set once per connection instead (a setting it carries across server
    connections) and the statement timeout is left to the role (see the README).
    """
    kwargs: dict[str, Any] = {
        "autocommit": True,
        "row_factory": dict_row,
        "connect_timeout": 10,
        "application_name": name,
        # No server-side prepared statements: every query is planned with its real
        # parameters (no generic plans for optional filters), and a transaction pooler,
        # which lends each transaction another server connection, never sees a statement
        # prepared on a connection it no longer holds.
        "prepare_threshold": None,
    }
    if not pooled:
        kwargs["options"] = f"-c TimeZone=UTC -c statement_timeout={STATEMENT_TIMEOUT_MS}"
    return AsyncConnectionPool(
        url,
        open=False,
        min_size=min_size,
        max_size=max_size,
        timeout=timeout,
        name=name,
        check=AsyncConnectionPool.check_connection,
        configure=_use_utc if pooled else None,
        kwargs=kwargs,
    )


async def _use_utc(conn: Any) -> None:
    await AQ.use_utc(conn)
