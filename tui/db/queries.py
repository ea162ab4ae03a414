"""The named SQL queries of sql/queries/, loaded with aiosql.

`Q` runs on synchronous psycopg connections (CLI, migrations, seeds); `AQ` on async ones
(services, the TUI). Both hold the same queries under the same names. The async pool returns
dict rows; aiosql's stock adapter reads `$` (single value) results by position, which fails
on dict rows, so ours reads the first column of either kind.

Parsing every file costs ~80 ms, paid before the first frame if done at import. So each file
is parsed on the first use of one of its queries: a quick scan of the `-- name:` headers maps
every name to its file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiosql
from aiosql.adapters.apyformat import AsyncPyFormatAdapter

from tui.paths import QUERIES_DIR

_NAME = re.compile(r"^-- name:\s*([A-Za-z0-9_]+)", re.M)


class _AsyncAdapter(AsyncPyFormatAdapter):
    async def select_value(self, conn: Any, query_name: str, sql: str, parameters: Any) -> Any:
        cur = await conn.execute(sql, parameters)
        try:
            row = await cur.fetchone()
        finally:
            await cur.close()
        if row is None:
            return None
        return next(iter(row.values())) if isinstance(row, dict) else row[0]


def _index(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in sorted(folder.glob("*.sql")):
        for name in _NAME.findall(path.read_text(encoding="utf-8")):
            out[name] = path
    return out


class _LazyQueries:
    """Looks like aiosql's Queries object; parses a file when one of its names is used."""

    def __init__(self, adapter: Any, folder: Path = QUERIES_DIR) -> None:
        self._adapter = adapter
        self._files = _index(folder)
        self._loaded: dict[Path, Any] = {}

    def __getattr__(self, name: str) -> Any:
        path = self.__dict__["_files"].get(name)
        if path is None:
            raise AttributeError(name)
        queries = self._loaded.get(path)
        if queries is None:
            queries = aiosql.from_path(path, self._adapter, mandatory_parameters=False)
            self._loaded[path] = queries
        fn = getattr(queries, name)
        setattr(self, name, fn)  # next time, a plain attribute
        return fn

    @property
    def available_queries(self) -> list[str]:
        return sorted(self._files)


Q: Any = _LazyQueries("psycopg")
AQ: Any = _LazyQueries(_AsyncAdapter)
