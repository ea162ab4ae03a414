"""The searches of the screen-query benchmark, old code against new, alternating
(`benchmarks.alternate`: two worker processes on the same database, the code of `--old` and
this tree, asked in turn). It prints p50/p95 per role and search, and checks that both return
the same rows in the same order and the same total.

    python -m benchmarks.alternate_search --old /tmp/old-tree --reps 15
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import psycopg
from psycopg.rows import dict_row

from benchmarks import alternate

PAGE = 50


async def _serve(url: str) -> None:
    """Worker: answers one JSON line per case name with its time and result."""
    from benchmarks import bench_queries as bq
    from tui.db.pool import make_pool
    from tui.services import solicitudes as sv

    pool = make_pool(url, min_size=1, max_size=2, name="alternate")
    await pool.open(wait=True)
    actors = await bq.pick_actors(pool, url)
    cases: dict[str, Any] = {}
    for role, a in actors.items():
        first = await sv.list_page(pool, a, limit=PAGE)
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
            t = bq.W.search_terms(c, role=a.role, actor_id=a.id, centro_id=a.centro_id,
                                  offset=min(first.total - 1, 1000) if first.exact else 1000)
        cur = None
        for _ in range(4):
            cur = (await sv.list_page(pool, a, sv.Filtros(texto=bq.COMMON), cursor=cur,
                                      limit=PAGE)).next_cursor
        for name, texto, cursor in (
                ("búsqueda «esperanza 12»", bq.SEARCH.strip("%"), None),
                (f"búsqueda: común «{bq.COMMON}»", bq.COMMON, None),
                ("búsqueda: común, 5.ª página", bq.COMMON, cur),
                ("búsqueda: nombre poco común", t["responsableNombre"].lower(), None),
                ("búsqueda: código exacto", t["codigo"].lower(), None),
                ("búsqueda: sin resultados", bq.NOTHING, None),
                ("búsqueda: par común «carlos rodriguez»", "carlos rodriguez", None)):
            cases[f"{role}|{name}"] = (a, texto, cursor)
    print(json.dumps(list(cases)), flush=True)
    for line in sys.stdin:
        a, texto, cursor = cases[line.strip()]
        t0 = time.perf_counter()
        page = await sv.list_page(pool, a, sv.Filtros(texto=texto), cursor=cursor, limit=PAGE)
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"ms": ms, "ids": [r["id"] for r in page.rows], "total": page.total,
                          "exact": page.exact, "next": page.next_cursor}), flush=True)
    await pool.close()


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same rows in the same order, and the same total when both are exact."""
    return a["ids"] == b["ids"] and not (a["exact"] and b["exact"] and a["total"] != b["total"])


if __name__ == "__main__":
    alternate.main("benchmarks.alternate_search", _serve, _same, "consulta")
