"""Entry point of benchmarks/run: load the data set if needed, then run the benchmarks."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

import psycopg

from benchmarks import bench_queries as bq
from tui.db.pool import make_pool
from tui.shell.database import open_database
from tui.synthetic.generator import load_synthetic


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="benchmarks/run")
    p.add_argument("--solicitudes", type=int, default=1_000_000,
                   help="size of the data set (loaded synthetically when missing)")
    p.add_argument("--reps", type=int, default=40, help="samples per query of ours")
    p.add_argument("--web-reps", type=int, default=5, help="samples per web-pattern query")
    p.add_argument("--duration", type=float, default=60.0, help="concurrency run, seconds")
    p.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    p.add_argument("--only", choices=["queries", "writes", "concurrency", "startup"],
                   action="append",
                   help="run only these parts (repeatable)")
    return p


def ensure_data(url: str, n: int) -> None:
    with psycopg.connect(url, autocommit=True) as c:
        have = int(bq.W.solicitudes_total(c))
    if have >= n * 0.95:
        print(f"Datos: {have:,} solicitudes.".replace(",", " "))
        return
    print(f"Cargando {n - have:,} solicitudes sintéticas…".replace(",", " "))
    t = time.perf_counter()

    def tick(phase: str, done: int, total: int) -> None:
        sys.stdout.write(f"\r  {phase}: {done:,}/{total:,}".replace(",", " "))
        sys.stdout.flush()

    load_synthetic(url, n - have, progress=tick)
    print(f"\n  cargadas en {time.perf_counter() - t:.0f} s")


async def queries(url: str, reps: int, web_reps: int) -> None:
    pool = make_pool(url, min_size=2, max_size=4, name="bench")
    await pool.open(wait=True)
    try:
        actors = await bq.pick_actors(pool, url)
        rows = await bq.ours(pool, url, actors, reps)
        cancel = await bq.cancel_check(pool, url, actors["admin"])
    finally:
        await pool.close()
    offsets = {}
    for role, a in actors.items():
        total = len(rows)  # unused for non-instructors
        offsets[role] = bq.cursors(url, a, total if role != "instructor" else 10**9)[2] \
            if role != "instructor" else 0
    inst_total = await _instructor_total(url, actors["instructor"].id)
    offsets["instructor"] = max(0, min(bq.DEEP, inst_total - bq.PAGE - 1))
    print("\n## Consultas de pantalla, solo las nuestras (ms)\n", flush=True)
    print(bq.table(rows), flush=True)
    bq.web(url, actors, offsets, rows, web_reps, bare=True)
    bq.web(url, actors, offsets, rows, web_reps, bare=False)
    print("\n## Consultas de pantalla (ms)\n")
    print(bq.table(rows))
    dash = [statistics_ratio(r) for r in rows if r.name in ("panel (dashboard)",
                                                            "conteos por estado")]
    gains = [(sum(r.web_bare) / len(r.web_bare)) / (sum(r.web_idx) / len(r.web_idx))
             for r in rows if r.web_bare and r.web_idx]
    over = [f"{r.role}/{r.name}" for r in rows if bq.pct(r.ours, 95) > bq.TARGET[bq.kind(r.name)]]
    print(f"\nPaneles: ours vs web, × mínimo {min(dash):.0f}, mediana "
          f"{sorted(dash)[len(dash) // 2]:.0f}.")
    print(f"Patrón de la web: con índices cx_ {bq.geomean(gains):.1f}× más rápido "
          "(media geométrica) que sobre el esquema de Prisma.")
    print("p95 sobre el objetivo (listas 10 ms, paneles e informes 20 ms, búsquedas 50 ms): "
          + (", ".join(over) if over else "ninguna"))
    print(cancel)


def statistics_ratio(r: bq.Row) -> float:
    if not r.web_bare:
        return 0.0
    return sorted(r.web_bare)[len(r.web_bare) // 2] / bq.pct(r.ours, 50)


async def _instructor_total(url: str, uid: str) -> int:
    with psycopg.connect(url, autocommit=True) as c:
        return int(bq.W.web_count_instructor(c, id=uid))


def main() -> int:
    args = _parser().parse_args()
    parts = set(args.only or ["queries", "writes", "concurrency", "startup"])
    db = open_database(None)
    ensure_data(db.url, args.solicitudes)
    from benchmarks import machine

    print(machine.line(db.url), flush=True)
    if "queries" in parts:
        asyncio.run(queries(db.url, args.reps, args.web_reps))
    if "writes" in parts:
        from benchmarks import bench_writes

        asyncio.run(bench_writes.run(db.url))
    if "concurrency" in parts:
        from benchmarks import bench_concurrency

        asyncio.run(bench_concurrency.run(db.url, args.users, args.duration))
    if "startup" in parts:
        from benchmarks import bench_startup

        bench_startup.run(db.url)
    print("\n" + machine.line(db.url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
