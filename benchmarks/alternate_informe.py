"""The informe of free ranges of days, old code against new, alternating
(`benchmarks.alternate`: two worker processes on the same database, the code of `--old` and
this tree, asked in turn). It prints p50/p95 per role and range, and checks that both return
the same informe (the response time to 9 decimals: the summaries sum it in floating point).

    python -m benchmarks.alternate_informe --old /tmp/old-tree --reps 20
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from datetime import date
from typing import Any

import psycopg
from psycopg.rows import dict_row

from benchmarks import alternate


def ranges(year: int) -> dict[str, tuple[date, date]]:
    """Ranges that are not whole years, around `year` (the last full year of data)."""
    return {"15 días": (date(year, 3, 10), date(year, 3, 24)),
            "3 meses y 10 días (cruza el año)": (date(year, 11, 20), date(year + 1, 2, 28)),
            "45 días (mes y medio)": (date(year, 5, 17), date(year, 6, 30)),
            "2 días (fin de año)": (date(year, 12, 31), date(year + 1, 1, 1))}


async def _serve(url: str) -> None:
    """Worker: answers one JSON line per case name with its time and result."""
    from benchmarks import bench_queries as bq
    from tui.db.pool import make_pool
    from tui.services import informes

    pool = make_pool(url, min_size=1, max_size=2, name="alternate")
    await pool.open(wait=True)
    actors = await bq.pick_actors(pool, url)
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
        year = int(bq.W.last_full_year(c))
    centro = actors["coordinador"].centro_id
    cases: dict[str, Any] = {}
    for name, (desde, hasta) in ranges(year).items():
        cases[f"admin|{name}"] = (actors["admin"], desde, hasta, None)
        cases[f"admin, un centro|{name}"] = (actors["admin"], desde, hasta, centro)
        cases[f"coordinador|{name}"] = (actors["coordinador"], desde, hasta, None)
    print(json.dumps(list(cases)), flush=True)
    for line in sys.stdin:
        actor, desde, hasta, centro_id = cases[line.strip()]
        t0 = time.perf_counter()
        inf = await informes.informe(pool, actor, desde, hasta, centro_id)
        ms = (time.perf_counter() - t0) * 1000
        out = dataclasses.asdict(inf)
        out["respuesta_promedio_dias"] = round(out["respuesta_promedio_dias"] or 0, 9)
        print(json.dumps({"ms": ms, "informe": out}, default=str), flush=True)
    await pool.close()


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["informe"] == b["informe"])


if __name__ == "__main__":
    alternate.main("benchmarks.alternate_informe", _serve, _same, "rango")
