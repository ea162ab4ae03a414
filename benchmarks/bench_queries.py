"""Screen queries at scale: ours (services, keyset, aggregates, cx_ indexes) against the web
app's pattern (OFFSET + full COUNT, take 1000 + aggregate in the client) on the same data,
both on Prisma's bare schema (cx_ indexes dropped inside a rolled-back transaction) and with
our indexes. Prints Markdown tables."""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import aiosql
import psycopg
from psycopg.rows import dict_row

from tui.services import informes, notifications, reports, users
from tui.services import solicitudes as sv
from tui.services.common import Actor, encode_cursor, refresh_actor

W: Any = aiosql.from_path(Path(__file__).with_name("webapp.sql"), "psycopg",
                          mandatory_parameters=False)
PAGE = 50
DEEP = 500 * PAGE  # "page 500"
SEARCH = "%esperanza 12%"
COMMON = "rodriguez"  # ~13 % of the synthetic solicitudes (responsables and instructors)
NOTHING = "zzqxw nada"
TARGET = {"lista": 10.0, "panel": 20.0, "búsqueda": 50.0}  # p95 ms per kind of operation


def kind(name: str) -> str:
    if name.startswith("búsqueda") or name.startswith("usuarios"):
        return "búsqueda"
    if name.startswith(("panel", "informe", "urgentes")):
        return "panel"
    return "lista"


@dataclass
class Row:
    role: str
    name: str
    ours: list[float]
    web_bare: list[float] | None = None
    web_idx: list[float] | None = None


def pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def fmt(ms: float) -> str:
    return f"{ms:.1f}" if ms < 100 else f"{ms:.0f}"


async def timed_async(fn: Callable[[], Awaitable[Any]], reps: int) -> list[float]:
    await fn()  # warm-up
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def timed(fn: Callable[[], Any], reps: int) -> list[float]:
    fn()
    out = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


async def pick_actors(pool: Any, url: str) -> dict[str, Actor]:
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
        ids = {"instructor": W.pick_instructor(c)["id"],
               "coordinador": W.pick_coordinador(c)["id"],
               "admin": W.pick_admin(c)}
    async with pool.connection() as conn:
        return {role: await refresh_actor(conn, uid) for role, uid in ids.items()}


def cursors(url: str, actor: Actor, total_hint: int) -> tuple[str | None, str | None, int]:
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
        offset = DEEP if actor.role != "INSTRUCTOR" else max(0, min(DEEP, total_hint - PAGE - 1))
        r = W.deep_cursor(c, role=actor.role, actor_id=actor.id, centro_id=actor.centro_id,
                          offset=offset)
        list_cur = encode_cursor(r["createdAt"], r["id"]) if r else None
        q = None
        if actor.role != "INSTRUCTOR":
            r = W.deep_queue_cursor(c, role=actor.role, centro_id=actor.centro_id,
                                    offset=DEEP // 10)
            q = encode_cursor(r["fechaSolicitud"], r["id"]) if r else None
    return list_cur, q, offset


async def ours(pool: Any, url: str, actors: dict[str, Actor], reps: int) -> list[Row]:
    rows: list[Row] = []
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
        year = int(W.last_full_year(c))
    for role, a in actors.items():
        first = await sv.list_page(pool, a, limit=PAGE)
        deep, qdeep, _ = cursors(url, a, first.total)
        sid = first.rows[0]["id"]
        with psycopg.connect(url, autocommit=True, row_factory=dict_row) as c:
            t = W.search_terms(c, role=a.role, actor_id=a.id, centro_id=a.centro_id,
                               offset=min(first.total - 1, 1000) if first.exact else 1000)
        cur = None
        for _ in range(4):  # the 5th page of a common term
            cur = (await sv.list_page(pool, a, sv.Filtros(texto=COMMON), cursor=cur,
                                      limit=PAGE)).next_cursor
        cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
            ("lista: 1.ª página + total", lambda a=a: sv.list_page(pool, a, limit=PAGE)),
            ("lista: página profunda (keyset)",
             lambda a=a, d=deep: sv.list_page(pool, a, cursor=d, limit=PAGE)),
            ("lista: estado PENDIENTE", lambda a=a: sv.list_page(
                pool, a, sv.Filtros(estado="PENDIENTE"), limit=PAGE)),
            ("búsqueda (texto)", lambda a=a: sv.list_page(
                pool, a, sv.Filtros(texto=SEARCH.strip("%")), limit=PAGE)),
            (f"búsqueda: común «{COMMON}»", lambda a=a: sv.list_page(
                pool, a, sv.Filtros(texto=COMMON), limit=PAGE)),
            ("búsqueda: común, 5.ª página", lambda a=a, c=cur: sv.list_page(
                pool, a, sv.Filtros(texto=COMMON), cursor=c, limit=PAGE)),
            ("búsqueda: nombre poco común", lambda a=a, q=t["responsableNombre"]: sv.list_page(
                pool, a, sv.Filtros(texto=q.lower()), limit=PAGE)),
            ("búsqueda: código exacto", lambda a=a, q=t["codigo"]: sv.list_page(
                pool, a, sv.Filtros(texto=q.lower()), limit=PAGE)),
            ("búsqueda: sin resultados", lambda a=a: sv.list_page(
                pool, a, sv.Filtros(texto=NOTHING), limit=PAGE)),
            ("conteos por estado", lambda a=a: sv.counts(pool, a)),
            ("años (filtro)", lambda a=a: sv.years(pool, a)),
            ("detalle de solicitud", lambda a=a, s=sid: sv.get(pool, a, s)),
            ("notificaciones", lambda a=a: notifications.list_for(pool, a)),
            ("no leídas (contador)", lambda a=a: notifications.unread_count(pool, a)),
        ]
        if role != "instructor":
            cases += [
                ("panel (dashboard)", lambda a=a: reports.dashboard(pool, a)),
                ("cola de revisión", lambda a=a: sv.review_queue(pool, a, limit=PAGE)),
                ("cola: página profunda",
                 lambda a=a, q=qdeep: sv.review_queue(pool, a, cursor=q, limit=PAGE)),
                ("urgentes (informe)", lambda a=a: reports.queue_urgentes(pool, a)),
                ("informe: año en curso", lambda a=a: informes.informe(pool, a)),
                (f"informe: año {year}", lambda a=a: informes.informe(
                    pool, a, date(year, 1, 1), date(year, 12, 31))),
                ("informe: rango libre (días)", lambda a=a: informes.informe(
                    pool, a, date(year, 3, 10), date(year, 3, 24))),
                (f"usuarios: búsqueda «{COMMON}»", lambda a=a: users.list_users(
                    pool, a, texto=COMMON)),
            ]
        for name, fn in cases:
            rows.append(Row(role, name, await timed_async(fn, reps)))
    return rows


def _load_relations(c: Any, page: list[dict[str, Any]]) -> None:
    W.web_programas_in(c, ids=list({r["programaId"] for r in page}))
    W.web_users_in(c, ids=list({r["instructorId"] for r in page}))


def web_cases(c: Any, actors: dict[str, Actor], offsets: dict[str, int]
              ) -> dict[tuple[str, str], Callable[[], Any]]:
    """The web app's way of getting what each of our screens shows."""
    out: dict[tuple[str, str], Callable[[], Any]] = {}
    for role, a in actors.items():
        def page(offset: int, limit: int, estado: str | None = None, a: Actor = a) -> Any:
            if a.role == "INSTRUCTOR":
                rows = list(W.web_page_instructor(c, id=a.id, offset=offset, limit=limit))
                W.web_count_instructor(c, id=a.id)
            elif a.role == "COORDINADOR":
                rows = list(W.web_page_centro(c, id=a.centro_id, estado=estado, offset=offset,
                                              limit=limit))
                W.web_count_centro(c, id=a.centro_id, estado=estado)
            else:
                rows = list(W.web_page_all(c, estado=estado, offset=offset, limit=limit))
                W.web_count_all(c, estado=estado)
            _load_relations(c, rows)
            return rows

        def dashboard(page: Callable[..., Any] = page) -> Any:
            rows = page(0, 1000)  # take: 1000, then reduce() in JavaScript
            tally: dict[str, int] = {}
            for r in rows:
                tally[r["estado"]] = tally.get(r["estado"], 0) + 1
            return tally

        def search() -> Any:
            rows = list(W.web_search(c, q=SEARCH))
            W.web_search_count(c, q=SEARCH)
            _load_relations(c, rows)

        def detail(a: Actor = a) -> Any:
            sid = W.some_solicitud(c, actor_id=a.id) if a.role == "INSTRUCTOR" else \
                W.some_solicitud(c, actor_id=actors["instructor"].id)
            row = W.web_solicitud(c, id=sid)
            W.web_horarios_in(c, ids=[sid])
            _load_relations(c, [row])

        def notes(a: Actor = a) -> Any:
            list(W.web_notificaciones(c, id=a.id))
            W.web_unread(c, id=a.id)

        off = offsets[role]
        out[(role, "lista: 1.ª página + total")] = lambda p=page: p(0, PAGE)
        out[(role, "lista: página profunda (keyset)")] = lambda p=page, o=off: p(o, PAGE)
        out[(role, "lista: estado PENDIENTE")] = lambda p=page: p(0, PAGE, "PENDIENTE")
        out[(role, "búsqueda (texto)")] = search
        out[(role, "conteos por estado")] = dashboard
        out[(role, "detalle de solicitud")] = detail
        out[(role, "notificaciones")] = notes
        out[(role, "no leídas (contador)")] = lambda a=a: W.web_unread(c, id=a.id)
        if role != "instructor":
            out[(role, "panel (dashboard)")] = dashboard
            out[(role, "cola de revisión")] = lambda p=page: p(0, PAGE, "PENDIENTE")
            out[(role, "cola: página profunda")] = lambda p=page: p(DEEP // 10, PAGE, "PENDIENTE")
    return out


def web(url: str, actors: dict[str, Actor], offsets: dict[str, int], rows: list[Row],
        reps: int, bare: bool) -> None:
    with psycopg.connect(url, row_factory=dict_row, options="-c TimeZone=UTC") as c:
        if bare:
            W.drop_cx_indexes(c)  # inside this transaction only: rolled back below
        for (role, name), fn in web_cases(c, actors, offsets).items():
            samples = timed(fn, reps)
            for r in rows:
                if r.role == role and r.name == name:
                    if bare:
                        r.web_bare = samples
                    else:
                        r.web_idx = samples
        c.rollback()


def table(rows: list[Row]) -> str:
    head = ("| rol | consulta | objetivo p95 | nuestra p50 | nuestra p95 | "
            "web (sin índices) p50 | ×  | web + cx_ p50 | ganancia cx_ |\n"
            "|---|---|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in rows:
        p50, p95 = pct(r.ours, 50), pct(r.ours, 95)
        bare = statistics.median(r.web_bare) if r.web_bare else None
        idx = statistics.median(r.web_idx) if r.web_idx else None
        flag = " ⚠" if p95 > TARGET[kind(r.name)] else ""
        lines.append(
            f"| {r.role} | {r.name} | {TARGET[kind(r.name)]:.0f} | {fmt(p50)} | {fmt(p95)}{flag} | "
            f"{fmt(bare) if bare else '–'} | {f'{bare / p50:.0f}×' if bare else '–'} | "
            f"{fmt(idx) if idx else '–'} | {f'{bare / idx:.1f}×' if bare and idx else '–'} |")
    return "\n".join(lines)


def geomean(values: list[float]) -> float:
    return statistics.geometric_mean(values) if values else 0.0


async def cancel_check(pool: Any, url: str, admin: Actor) -> str:
    """Search-as-you-type: a newer keystroke cancels the running search (Textual cancels the
    exclusive worker; psycopg then cancels the statement on the server). Is it really gone?"""
    import asyncio

    task = asyncio.create_task(sv.list_page(pool, admin, sv.Filtros(texto=SEARCH.strip("%"))))
    await asyncio.sleep(0.2)
    with psycopg.connect(url, autocommit=True) as c:
        running = W.active_list_queries(c, app="bench")
    task.cancel()
    t = time.perf_counter()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    took = (time.perf_counter() - t) * 1000
    await asyncio.sleep(0.05)
    with psycopg.connect(url, autocommit=True) as c:
        after = W.active_list_queries(c, app="bench")
    return (f"Búsqueda cancelada: {running} consulta(s) activa(s) antes, {after} después "
            f"({took:.0f} ms hasta liberar la conexión).")
