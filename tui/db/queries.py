"""The named SQL queries of sql/queries/, loaded once with aiosql.

`Q` runs on synchronous psycopg connections (CLI, migrations, seeds); `AQ` on async ones
(services, the TUI). Both hold the same queries under the same names. The async pool returns
dict rows; aiosql's stock adapter reads `$` (single value) results by position, which fails
on dict rows, so ours reads the first column of either kind.
"""

from __future__ import annotations

from typing import Any

import aiosql
from aiosql.adapters.apyformat import AsyncPyFormatAdapter

from tui.paths import QUERIES_DIR


class _AsyncAdapter(AsyncPyFormatAdapter):  # type: ignore[misc]
    async def select_value(self, conn: Any, query_name: str, sql: str, parameters: Any) -> Any:
        cur = await conn.execute(sql, parameters)
        try:
            row = await cur.fetchone()
        finally:
            await cur.close()
        if row is None:
            return None
        return next(iter(row.values())) if isinstance(row, dict) else row[0]


Q: Any = aiosql.from_path(QUERIES_DIR, "psycopg", mandatory_parameters=False)
AQ: Any = aiosql.from_path(QUERIES_DIR, _AsyncAdapter, mandatory_parameters=False)
