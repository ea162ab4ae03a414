"""Race-free yearly numbers: solicitud codigo and número de ficha.

Both come from a counter row per (kind, year) in schema complementarias, bumped inside the
caller's transaction: the row lock makes concurrent callers wait for each other, so numbers
are distinct without retries, and a rolled-back transaction gives its number back. On first
use in a year the counter starts after the highest number already stored, so rows the web
app wrote are respected; a later collision with such a row resyncs the counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import re
from typing import Any, cast

from tui.db.queries import AQ
from tui.services.boundary import checked
from tui.services.common import Actor, ServiceError, bogota_year, refresh_actor

FICHA_RE = re.compile(r"[0-9]{7,10}")


def format_codigo(year: int, n: int) -> str:
    return f"SOL-{year}-{n:03d}"


def format_ficha(year: int, n: int) -> str:
    return f"{year}{n:04d}"


def codigo_sort_key(codigo: str) -> tuple[int, int, str]:
    """SOL-2026-1000 after SOL-2026-999: sort by (year, number), not by text."""
    m = re.fullmatch(r"SOL-(\d{4})-(\d+)", codigo or "")
    if not m:
        return (0, 0, codigo or "")
    return (int(m.group(1)), int(m.group(2)), "")


async def _next(conn: Any, kind: str, year: int) -> int:
    value = await AQ.bump_counter(conn, kind=kind, year=year)
    if value is None:
        highest = await _highest(conn, kind, year)
        value = await AQ.start_counter(conn, kind=kind, year=year, start=highest + 1)
    return int(value)


async def _highest(conn: Any, kind: str, year: int) -> int:
    if kind == "codigo":
        return int(await AQ.max_codigo_number(conn, prefix=f"SOL-{year}-%"))
    return int(await AQ.max_ficha_number(conn, year=year))


async def resync(conn: Any, kind: str, year: int) -> None:
    await AQ.resync_counter(conn, kind=kind, year=year, highest=await _highest(conn, kind, year))


async def next_codigo(conn: Any, year: int | None = None) -> str:
    year = year or bogota_year()
    return format_codigo(year, await _next(conn, "codigo", year))


async def next_ficha(conn: Any, year: int | None = None) -> str:
    """The next free ficha number of the year (skipping numbers typed by hand)."""
    year = year or bogota_year()
    for _ in range(1000):
        ficha = format_ficha(year, await _next(conn, "ficha", year))
        if await AQ.ficha_owner(conn, numero_ficha=ficha) is None:
            return ficha
    raise ServiceError("No se encontró un número de ficha libre; escriba uno a mano.")


@checked
async def proposed_ficha(pool: Pool, actor: Actor, year: int | None = None) -> str:
    """The number the approve dialog proposes to a reviewer. Not reserved: the counter is
    rolled back and the approval takes its own number in its own transaction."""
    async with pool.connection() as conn, conn.transaction(force_rollback=True):
        await refresh_actor(conn, actor, "COORDINADOR", "ADMIN")  # who may approve
        return await next_ficha(conn, year)


def check_typed_ficha(value: str) -> str:
    value = (value or "").strip()
    if not FICHA_RE.fullmatch(value):
        raise ServiceError("Número de ficha: solo dígitos, de 7 a 10 caracteres.")
    return value


async def ficha_taken_by(conn: Any, ficha: str) -> str | None:
    return cast("str | None", await AQ.ficha_owner(conn, numero_ficha=ficha))
