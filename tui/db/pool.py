"""The async connection pool every service call runs on."""

from __future__ import annotations

from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool


def make_pool(url: str, *, min_size: int = 1, max_size: int = 10,
              timeout: float = 10.0, name: str = "complementarias") -> AsyncConnectionPool[Any]:
    """A closed pool (open it inside the event loop with `await pool.open()`).

    Connections are autocommit (services open explicit transactions), return dict rows, run
    in UTC (Prisma writes UTC wall-clock time into timestamp columns), and are checked before
    use, so a PostgreSQL restart costs no failed request.
    """
    return AsyncConnectionPool(
        url,
        open=False,
        min_size=min_size,
        max_size=max_size,
        timeout=timeout,
        name=name,
        check=AsyncConnectionPool.check_connection,
        kwargs={
            "autocommit": True,
            "row_factory": dict_row,
            "options": "-c TimeZone=UTC -c statement_timeout=30000",
            "connect_timeout": 10,
            "application_name": name,
            # No server-side prepared statements: every query is planned with its real
            # parameters (no generic plans for optional filters) and poolers are happy.
            "prepare_threshold": None,
        },
    )
