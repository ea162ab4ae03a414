"""Several named queries in one round trip (psycopg's pipeline mode).

A write path's last statements (the estado, its notifications and history row, then the
solicitud read back for the screen) do not depend on each other's results: sent one at a
time they cost a round trip each, sent together one. They run in order on the caller's
connection and transaction; the first failure is raised (with the statements after it not
run, as in a transaction that stops at an error).
"""

from __future__ import annotations

from typing import Any

Call = tuple[Any, dict[str, Any]]
"""A named query of `AQ` (its SQL is used) and its parameters."""


async def run(conn: Any, *calls: Call) -> list[list[Any]]:
    """Every call's rows ([] for a statement that returns none), in order."""
    if not calls:
        return []
    cursors = []
    async with conn.pipeline():
        for query, params in calls:
            cur = conn.cursor()
            cursors.append(cur)
            await cur.execute(query.sql, params)
    out: list[list[Any]] = []
    for cur in cursors:
        out.append(await cur.fetchall() if cur.description is not None else [])
        await cur.close()
    return out
