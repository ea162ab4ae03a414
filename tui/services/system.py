"""Facts about the connected database, for the status screen and `db status`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.db.queries import AQ


@dataclass(frozen=True)
class DatabaseSummary:
    version: str
    usuarios: int
    solicitudes: int
    centros: int


async def database_summary(pool: Any) -> DatabaseSummary:
    async with pool.connection() as conn:
        row = await AQ.database_summary(conn)
    return DatabaseSummary(**row)
