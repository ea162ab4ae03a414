"""50 simulated users on one real pool for 60 s: instructors create, autosave, submit and list;
coordinadores list their queue and approve; everybody reads notifications. Reports throughput,
p95 per operation and errors, then checks the data: no duplicate codigo or ficha, and every
solicitud touched has the history its estado implies."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import aiosql
import psycopg

from benchmarks.bench_queries import fmt, pct
from tui.db.pool import make_pool
from tui.services import horarios, notifications, programas, transitions
from tui.services import solicitudes as sv
from tui.services.common import Actor, InvalidTransition, refresh_actor

C: Any = aiosql.from_path(Path(__file__).with_name("concurrency.sql"), "psycopg",
                          mandatory_parameters=False)


class Stats:
    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.refused = 0  # two coordinadores approving the same one: the second is refused
        self.created: list[str] = []

    async def op(self, name: str, coro: Any) -> Any:
        t = time.perf_counter()
        try:
            return await coro
        except InvalidTransition:
            self.refused += 1
            return None
        except Exception as exc:  # noqa: BLE001 - counted and reported
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            return None
        finally:
            self.ms[name].append((time.perf_counter() - t) * 1000)


def _form(programa: Any, start: dt.date, rows: list[Any]) -> dict[str, Any]:
    return dict(
        programaId=programa.id, municipio="Bucaramanga", departamento="Santander",
        nombreEmpresa="Empresa de carga S.A.S.", representanteLegal="Ana Pérez",
        direccionEmpresa="Calle 1", lugarFormacion="Sede de la empresa",
        inicioInscripcion=start - dt.timedelta(days=20),
        finalizacionInscripcion=start - dt.timedelta(days=10), fechaInicioCurso=start,
        fechaFinalizacionCurso=rows[-1].fecha, justificacion="Prueba de carga.",
        cumpleRequisitos=True, autorizaUsoInfo=True, confirmaVeracidad=True)


async def instructor(pool: Any, me: Actor, stop: float, st: Stats) -> None:
    progs = await programas.programas_para_solicitud(pool, me)
    rnd = random.Random(me.id)
    while time.monotonic() < stop:
        p = rnd.choice(progs)
        start = dt.date(2027, 2, 1) + dt.timedelta(days=7 * rnd.randint(0, 20))
        rows = horarios.generar(start, p.duracion_horas)
        draft = await st.op("crear", sv.create_draft(pool, me, _form(p, start, rows), rows))
        if draft is None:
            continue
        st.created.append(draft.id)
        form = sv.form_values(draft.data)
        form["observaciones"] = "Autoguardado"
        saved = await st.op("autoguardar", sv.save(pool, me, draft.id, form, list(draft.horarios),
                                                   draft.updated_at))
        if saved is not None:
            await st.op("enviar", transitions.submit(pool, me, draft.id))
        await st.op("listar", sv.list_page(pool, me))
        await st.op("notificaciones", notifications.list_for(pool, me))


async def coordinador(pool: Any, me: Actor, stop: float, st: Stats) -> None:
    while time.monotonic() < stop:
        page = await st.op("cola", sv.review_queue(pool, me, limit=20))
        await st.op("notificaciones", notifications.unread_count(pool, me))
        # The freshly submitted first, else the oldest of the queue.
        created = set(st.created)
        todo = [r for r in (page.rows if page else []) if r["estado"] == "PENDIENTE"]
        mine = [r for r in todo if r["id"] in created] or todo
        if not mine:
            await asyncio.sleep(0.05)
            continue
        await st.op("aprobar", transitions.approve(pool, me, random.choice(mine)["id"]))


async def run(url: str, users: int = 50, duration: float = 60.0) -> None:
    n_coord = max(1, users // 5)
    with psycopg.connect(url, autocommit=True) as c:
        centros = [r[0] for r in C.busy_centros(c, n=max(1, n_coord // 2))]
        inst = [r[0] for r in C.instructors_of(c, centros=centros, n=users - n_coord)]
        coords = [r[0] for r in C.coordinadores_of(c, centros=centros, n=n_coord)]
    pool = make_pool(url, name="bench-concurrency")  # the app's pool, default size
    await pool.open(wait=True)
    st = Stats()
    try:
        async with pool.connection() as conn:
            inst_a = [await refresh_actor(conn, i) for i in inst]
            coord_a = [await refresh_actor(conn, i) for i in coords]
        stop = time.monotonic() + duration
        t0 = time.perf_counter()
        await asyncio.gather(*(instructor(pool, a, stop, st) for a in inst_a),
                             *(coordinador(pool, a, stop, st) for a in coord_a))
        elapsed = time.perf_counter() - t0
    finally:
        await pool.close()
    total = sum(len(v) for v in st.ms.values())
    print(f"\n## Concurrencia: {len(inst_a)} instructores + {len(coord_a)} coordinadores, "
          f"un pool de 10 conexiones, {elapsed:.0f} s\n")
    print("| operación | n | p50 ms | p95 ms |\n|---|---:|---:|---:|")
    for name, v in st.ms.items():
        print(f"| {name} | {len(v)} | {fmt(pct(v, 50))} | {fmt(pct(v, 95))} |")
    print(f"\nRendimiento: {total / elapsed:.0f} operaciones/s; errores: {len(st.errors)}; "
          f"aprobaciones rechazadas porque otro coordinador ya la había aprobado: {st.refused}")
    for e in st.errors[:5]:
        print("  " + e)
    with psycopg.connect(url, autocommit=True) as c:
        dup = C.duplicates(c)
        missing = C.history_gaps(c, ids=st.created)
    print(f"Códigos o fichas duplicados: {dup}; solicitudes con historial incompleto: {missing} "
          f"(de {len(st.created)} creadas)")
