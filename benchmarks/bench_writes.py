"""Writes with the summary triggers and the search indexes: create, submit and approve through
the services, one user at a time (p50/p95), and the web app's own INSERT and UPDATE of one
solicitud with and without the triggers and the indexes of 0004-0005 (dropped inside a rolled-back
transaction)."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from pathlib import Path
from typing import Any

import aiosql
import psycopg

from benchmarks.bench_concurrency import C, _form
from benchmarks.bench_queries import fmt, pct
from tui.db.pool import make_pool
from tui.services import horarios, programas, transitions
from tui.services import solicitudes as sv
from tui.services.common import refresh_actor

WR: Any = aiosql.from_path(Path(__file__).with_name("writes.sql"), "psycopg",
                           mandatory_parameters=False)


async def services(url: str, reps: int) -> dict[str, list[float]]:
    with psycopg.connect(url, autocommit=True) as c:
        centro = [r[0] for r in C.busy_centros(c, n=1)]
        inst = next(iter(C.instructors_of(c, centros=centro, n=1)))[0]
        coord = next(iter(C.coordinadores_of(c, centros=centro, n=1)))[0]
    pool = make_pool(url, min_size=2, max_size=4, name="bench-writes")
    await pool.open(wait=True)
    ms: dict[str, list[float]] = {"crear": [], "enviar": [], "aprobar": []}
    try:
        async with pool.connection() as conn:
            me = await refresh_actor(conn, inst)
            boss = await refresh_actor(conn, coord)
        progs = await programas.programas_para_solicitud(pool, me)
        for i in range(reps + 1):
            p = progs[i % len(progs)]
            start = dt.date(2027, 3, 1) + dt.timedelta(days=7 * (i % 20))
            rows = horarios.generar(start, p.duracion_horas)
            t = time.perf_counter()
            draft = await sv.create_draft(pool, me, _form(p, start, rows), rows)
            took = {"crear": (time.perf_counter() - t) * 1000}
            t = time.perf_counter()
            await transitions.submit(pool, me, draft.id)
            took["enviar"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            await transitions.approve(pool, boss, draft.id)
            took["aprobar"] = (time.perf_counter() - t) * 1000
            if i:  # the first round warms the pool and the plans
                for k, v in took.items():
                    ms[k].append(v)
    finally:
        await pool.close()
    return ms


def web_shapes(url: str, reps: int, bare: bool) -> dict[str, list[float]]:
    ms: dict[str, list[float]] = {"INSERT (web)": [], "UPDATE estado (web)": []}
    with psycopg.connect(url, options="-c TimeZone=UTC") as c:
        if bare:
            WR.drop_summary_triggers_and_search_indexes(c)
        source = WR.some_sent_solicitud(c)
        for i in range(reps + 1):
            sid = "cb" + secrets.token_hex(11)[:23]
            t = time.perf_counter()
            WR.web_insert_copy(c, id=sid, codigo=f"SOL-BENCH-{sid}", source=source)
            a = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            WR.web_update_estado(c, id=sid, ficha=f"BENCH-{sid}")
            b = (time.perf_counter() - t) * 1000
            if i:
                ms["INSERT (web)"].append(a)
                ms["UPDATE estado (web)"].append(b)
        c.rollback()  # nothing stays: rows, dropped triggers and indexes
    return ms


async def run(url: str, reps: int = 40) -> None:
    ours = await services(url, reps)
    print("\n## Escrituras con disparadores de resumen e índices de búsqueda (ms)\n")
    print("| operación | n | p50 | p95 |\n|---|---:|---:|---:|")
    for name, v in ours.items():
        flag = " ⚠" if pct(v, 95) > 20 else ""
        print(f"| {name} (servicio) | {len(v)} | {fmt(pct(v, 50))} | {fmt(pct(v, 95))}{flag} |")
    bare = web_shapes(url, reps, bare=True)
    full = web_shapes(url, reps, bare=False)
    print("\n| sentencia de la web | p50 sin disparadores ni índices 0004-0005 | p50 con ellos | "
          "p95 sin | p95 con |\n|---|---:|---:|---:|---:|")
    for name in bare:
        print(f"| {name} | {fmt(pct(bare[name], 50))} | {fmt(pct(full[name], 50))} | "
              f"{fmt(pct(bare[name], 95))} | {fmt(pct(full[name], 95))} |")
