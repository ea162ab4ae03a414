"""The searches of the screen-query benchmark, old code against new, alternating.

A single before/after run on a loaded machine is noise. This starts two worker processes on
the same database, one importing the code of `--old` (a source tree, e.g. `git archive` of the
commit before the change) and one this tree, and asks them in turn for each service call
(which one goes first alternates), so both see the same load. It prints p50/p95 per role and
search, and checks that both return the same rows in the same order and the same total.

    python -m benchmarks.alternate_search --old /tmp/old-tree --reps 15
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

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


def _worker(tree: Path, url: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen([sys.executable, "-m", "benchmarks.alternate_search", "--serve",
                             url], cwd=tree, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--old", type=Path, help="source tree of the code before the change")
    p.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        asyncio.run(_serve(args.serve))
        return
    here = Path(__file__).resolve().parent.parent
    workers = {"antes": _worker(args.old, args.url), "después": _worker(here, args.url)}
    ready = [json.loads(w.stdout.readline()) for w in workers.values()]  # type: ignore[union-attr]
    names = ready[0]
    times: dict[tuple[str, str], list[float]] = {}
    differ: set[str] = set()
    for rep in range(args.reps + 1):  # the first round warms up
        for name in names:
            order = list(workers) if rep % 2 else list(workers)[::-1]
            got = {}
            for which in order:
                w = workers[which]
                w.stdin.write(name + "\n")  # type: ignore[union-attr]
                w.stdin.flush()  # type: ignore[union-attr]
                got[which] = json.loads(w.stdout.readline())  # type: ignore[union-attr]
                if rep:
                    times.setdefault((name, which), []).append(got[which]["ms"])
            a, b = got["antes"], got["después"]
            if a["ids"] != b["ids"] or (a["exact"] and b["exact"] and a["total"] != b["total"]):
                differ.add(name)
    for w in workers.values():
        w.stdin.close()  # type: ignore[union-attr]
        w.wait()

    def pct(s: list[float], q: float) -> float:
        s = sorted(s)
        return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]

    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| rol | consulta | antes p50 | antes p95 | después p50 | después p95 | "
          "después/antes (p50) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in names:
        role, what = name.split("|")
        old, new = times[(name, "antes")], times[(name, "después")]
        mark = " (resultados distintos)" if name in differ else ""
        print(f"| {role} | {what}{mark} | {pct(old, 50):.1f} | {pct(old, 95):.1f} | "
              f"{pct(new, 50):.1f} | {pct(new, 95):.1f} | "
              f"{pct(new, 50) / pct(old, 50):.2f} |")


if __name__ == "__main__":
    main()
