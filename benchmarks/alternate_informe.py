"""The informe of free ranges of days, old code against new, alternating.

As `benchmarks.alternate_search`: two worker processes on the same database, one importing
the code of `--old` (a source tree) and one this tree, asked in turn for each range and scope
(which one goes first alternates), so both see the same load. It prints p50/p95 per role and
range, and checks that both return the same informe (the response time to 9 decimals: the
summaries sum it in floating point).

    python -m benchmarks.alternate_informe --old /tmp/old-tree --reps 20
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row


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


def _worker(tree: Path, url: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen([sys.executable, "-m", "benchmarks.alternate_informe", "--serve",
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
    if not args.url:
        from tui.shell.database import open_database
        args.url = open_database(None).url
    here = Path(__file__).resolve().parent.parent
    workers = {"antes": _worker(args.old, args.url), "después": _worker(here, args.url)}
    ready = [json.loads(w.stdout.readline()) for w in workers.values()]  # type: ignore[union-attr]
    names = ready[0]
    times: dict[tuple[str, str], list[float]] = {}
    differ: set[str] = set()
    loads = [os.getloadavg()[0]]
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
            if got["antes"]["informe"] != got["después"]["informe"]:
                differ.add(name)
    loads.append(os.getloadavg()[0])
    for w in workers.values():
        w.stdin.close()  # type: ignore[union-attr]
        w.wait()

    def pct(s: list[float], q: float) -> float:
        s = sorted(s)
        return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]

    print(f"load average: {loads[0]:.1f} → {loads[1]:.1f}")
    print("| rol | rango | antes p50 | antes p95 | después p50 | después p95 | "
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
