"""Concurrency and robustness of the services on a real PostgreSQL: race-free codigos and fichas,
two reviewers at once, codigos past 999, codigos taken by the web app, and a server restart
under an open pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from datetime import date
from typing import Any

from tui.services import horarios as hz
from tui.services import numbering
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import Actor, InvalidTransition, ServiceError, bogota_year, refresh_actor
from tui.services.ids import new_id
from tui.services.validation import FLAG_FIELDS

CARLOS = "carlos.rodriguez@sena.edu.co"
MARIA = "maria.gonzalez@sena.edu.co"
ANA = "ana.torres@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
ADMIN = "admin@sena.edu.co"
YEAR = bogota_year()
START = date(2027, 2, 1)  # a Monday


async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def actor(pool: Any, email: str) -> Actor:
    rows = await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', email)
    async with pool.connection() as conn:
        return await refresh_actor(conn, rows[0]["id"])


async def programa_id(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "id" FROM public.programas WHERE "codigo" = %s', codigo)
    return rows[0]["id"]


def full_form(a: Actor, prog_id: str) -> dict[str, Any]:
    form: dict[str, Any] = {f: False for f in FLAG_FIELDS}
    form.update(
        programaId=prog_id, responsableNombre=a.name, responsableCedula=a.cedula,
        responsableEmail=a.email, codigoPrograma="CF-001-2024", versionPrograma="1",
        duracionMaxima=40, cupoMaximo=30, numeroAprendicesInscribir=25, modalidad="PRESENCIAL",
        municipio="Bucaramanga", departamento="Santander", nombreEmpresa="Empresa Concurrente",
        representanteLegal="Rosa Díaz", direccionEmpresa="Calle 1 # 2-3",
        lugarFormacion="Sede", tipoAmbiente="AULA", inicioInscripcion=date(2027, 1, 11),
        finalizacionInscripcion=date(2027, 1, 22), fechaInicioCurso=START,
        fechaFinalizacionCurso=date(2027, 2, 26), justificacion="Necesidad de la empresa.",
        objetivosPersonalizados=[], cumpleRequisitos=True, autorizaUsoInfo=True,
        confirmaVeracidad=True,
    )
    return form


async def first_free_codigo(pool: Any) -> int:
    """The number the next codigo of this year must get: after the highest stored (the seeds
    hold SOL-2026-001…009)."""
    rows = await sql(pool, """SELECT coalesce(max(substring("codigo" FROM '^SOL-[0-9]{4}-([0-9]+)$')
                                               ::int), 0) + 1 AS n
                                FROM public.solicitudes WHERE "codigo" LIKE %s""",
                     f"SOL-{YEAR}-%")
    return int(rows[0]["n"])


async def first_free_ficha(pool: Any) -> int:
    """The number the next default ficha of this year must get (seeds: 20260001, 20260002)."""
    rows = await sql(pool, """SELECT coalesce(max(substring("numeroFicha" FROM 5)::int), 0) + 1
                                  AS n FROM public.solicitudes
                                WHERE "numeroFicha" ~ ('^' || %s::text || '[0-9]{4}$')""",
                     YEAR)
    return int(rows[0]["n"])


def number(codigo: str) -> int:
    prefix = f"SOL-{YEAR}-"
    assert codigo.startswith(prefix), codigo
    return int(codigo[len(prefix):])


async def pendientes(pool: Any, n: int) -> list[sv.Solicitud]:
    carlos = await actor(pool, CARLOS)
    prog = await programa_id(pool, "CF-001-2024")
    drafts = await asyncio.gather(*(sv.create_draft(pool, carlos, full_form(carlos, prog),
                                                    hz.generar(START, 40)) for _ in range(n)))
    return list(await asyncio.gather(*(tr.submit(pool, carlos, d.id) for d in drafts)))


# ---- codigos -----------------------------------------------------------------------------------
async def test_fifty_concurrent_drafts_get_fifty_consecutive_codigos(pool: Any) -> None:
    who = [await actor(pool, e) for e in (CARLOS, MARIA, ANA)]
    progs = {CARLOS: await programa_id(pool, "CF-001-2024"),
             MARIA: await programa_id(pool, "CF-002-2024"),
             ANA: await programa_id(pool, "CF-004-2024")}
    n0 = await first_free_codigo(pool)
    calls = [sv.create_draft(pool, who[i % 3], {"programaId": progs[who[i % 3].email]})
             for i in range(50)]
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    codigos = [r.codigo for r in results]  # type: ignore[union-attr]
    assert len(set(codigos)) == 50
    assert sorted(number(c) for c in codigos) == list(range(n0, n0 + 50))
    rows = await sql(pool, """SELECT count(*) AS n, count(DISTINCT "codigo") AS d
                                FROM public.solicitudes WHERE "estado" = 'BORRADOR'""")
    assert rows[0]["n"] == rows[0]["d"] == 51  # plus the seed draft
    # Each draft got exactly one "Creada" history row.
    hist = await sql(pool, """SELECT h.solicitud_id, count(*) AS n
                                FROM complementarias.historial h
                                JOIN public.solicitudes s ON s."id" = h.solicitud_id
                               WHERE s."codigo" = ANY(%s) GROUP BY 1""", codigos)
    assert len(hist) == 50 and {h["n"] for h in hist} == {1}


async def test_codigo_past_999_keeps_counting_and_sorts_numerically(pool: Any) -> None:
    carlos = await actor(pool, CARLOS)
    prog = await programa_id(pool, "CF-001-2024")
    n0 = await first_free_codigo(pool)
    first = await sv.create_draft(pool, carlos, {"programaId": prog})
    assert number(first.codigo) == n0
    await sql(pool, "UPDATE complementarias.counters SET last = 998 "
                    "WHERE kind = 'codigo' AND year = %s", YEAR)
    made = [await sv.create_draft(pool, carlos, {"programaId": prog}) for _ in range(3)]
    assert [m.codigo for m in made] == [f"SOL-{YEAR}-999", f"SOL-{YEAR}-1000", f"SOL-{YEAR}-1001"]
    codigos = [m.codigo for m in made] + [first.codigo, f"SOL-{YEAR}-002"]
    shuffled = random.Random(4).sample(codigos, len(codigos))
    assert sorted(shuffled, key=numbering.codigo_sort_key) == [
        f"SOL-{YEAR}-002", first.codigo, f"SOL-{YEAR}-999", f"SOL-{YEAR}-1000",
        f"SOL-{YEAR}-1001"]
    assert numbering.codigo_sort_key(f"SOL-{YEAR - 1}-5000") < \
        numbering.codigo_sort_key(f"SOL-{YEAR}-001")


async def _copy_solicitud(pool: Any, from_codigo: str, new_codigo: str) -> None:
    """Insert a row the way the web app would: its own id and codigo, plain SQL."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("""CREATE TEMP TABLE cx_copy ON COMMIT DROP AS
                              SELECT * FROM public.solicitudes WHERE "codigo" = %s""",
                           (from_codigo,))
        await conn.execute("""UPDATE cx_copy SET "id" = %s, "codigo" = %s, "numeroFicha" = NULL,
                                     "estado" = 'PENDIENTE'""", (new_id(), new_codigo))
        await conn.execute("INSERT INTO public.solicitudes SELECT * FROM cx_copy")


async def test_first_codigo_of_the_year_counts_past_999_numerically(pool: Any) -> None:
    # No counter yet; the web app already wrote 999 and 1000 (text max would say 999).
    await _copy_solicitud(pool, "SOL-2026-002", f"SOL-{YEAR}-999")
    await _copy_solicitud(pool, "SOL-2026-002", f"SOL-{YEAR}-1000")
    carlos = await actor(pool, CARLOS)
    d = await sv.create_draft(pool, carlos, {"programaId": await programa_id(pool, "CF-001-2024")})
    assert d.codigo == f"SOL-{YEAR}-1001"


async def test_codigo_taken_by_the_web_app_is_skipped(pool: Any) -> None:
    carlos = await actor(pool, CARLOS)
    prog = await programa_id(pool, "CF-001-2024")
    n0 = await first_free_codigo(pool)
    first = await sv.create_draft(pool, carlos, {"programaId": prog})
    assert number(first.codigo) == n0
    # The web app inserts the next eight codigos behind our counter's back.
    for k in range(1, 9):
        await _copy_solicitud(pool, "SOL-2026-002", numbering.format_codigo(YEAR, n0 + k))
    d = await sv.create_draft(pool, carlos, {"programaId": prog})
    assert d.estado == "BORRADOR"
    assert number(d.codigo) == n0 + 9
    nxt = await sv.create_draft(pool, carlos, {"programaId": prog})
    assert number(nxt.codigo) == n0 + 10
    rows = await sql(pool, """SELECT "codigo" FROM public.solicitudes WHERE "codigo" LIKE %s
                               GROUP BY "codigo" HAVING count(*) > 1""", f"SOL-{YEAR}-%")
    assert rows == []


# ---- fichas ------------------------------------------------------------------------------------
async def test_twenty_concurrent_approvals_get_distinct_fichas(pool: Any) -> None:
    sols = await pendientes(pool, 20)
    juan = await actor(pool, JUAN)
    f0 = await first_free_ficha(pool)
    results = await asyncio.gather(*(tr.approve(pool, juan, s.id) for s in sols),
                                   return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    fichas = [r.data["numeroFicha"] for r in results]  # type: ignore[union-attr]
    assert len(set(fichas)) == 20
    assert sorted(fichas) == [f"{YEAR}{n:04d}" for n in range(f0, f0 + 20)]
    n = await sql(pool, """SELECT count(*) AS n FROM public.notificaciones
                            WHERE "tipo" IN ('SOLICITUD_APROBADA', 'ASIGNACION_FICHA')
                              AND "solicitudId" = ANY(%s)""", [s.id for s in sols])
    assert n[0]["n"] == 40


async def warm_up(pool: Any, n: int) -> None:
    """Open `n` pool connections at once, so that concurrent calls really overlap."""
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(n):
            await stack.enter_async_context(pool.connection())


async def test_two_reviewers_approving_at_once_exactly_one_wins(pool: Any) -> None:
    (s,) = await pendientes(pool, 1)
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    f0 = await first_free_ficha(pool)
    await warm_up(pool, 8)
    results = await asyncio.gather(*(tr.approve(pool, who, s.id)
                                     for who in (juan, admin, juan, admin, juan, admin)),
                                   return_exceptions=True)
    ok = [r for r in results if isinstance(r, sv.Solicitud)]
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(ok) == 1 and len(refused) == 5, results
    assert ok[0].data["numeroFicha"] == f"{YEAR}{f0:04d}"
    notes = await sql(pool, """SELECT "tipo"::text AS tipo FROM public.notificaciones
                                WHERE "solicitudId" = %s AND "tipo" <> 'NUEVA_SOLICITUD'""", s.id)
    assert sorted(n["tipo"] for n in notes) == ["ASIGNACION_FICHA", "SOLICITUD_APROBADA"]
    hist = await sql(pool, """SELECT accion FROM complementarias.historial
                               WHERE solicitud_id = %s AND estado_hasta = 'APROBADA'""", s.id)
    assert len(hist) == 1
    # The loser consumed no number: the next approval takes the next one.
    (s2,) = await pendientes(pool, 1)
    assert (await tr.approve(pool, juan, s2.id)).data["numeroFicha"] == f"{YEAR}{f0 + 1:04d}"


async def test_take_and_reject_at_once_one_wins(pool: Any) -> None:
    (s,) = await pendientes(pool, 1)
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    await warm_up(pool, 8)
    results = await asyncio.gather(tr.reject(pool, juan, s.id, "No procede."),
                                   tr.approve(pool, admin, s.id),
                                   tr.take_into_review(pool, juan, s.id),
                                   tr.reject(pool, admin, s.id, "Tampoco."),
                                   return_exceptions=True)
    names = [type(r).__name__ for r in results]
    assert names.count("Solicitud") >= 1 and set(names) <= {"Solicitud", "InvalidTransition"}
    hist = await sql(pool, """SELECT estado_desde, estado_hasta FROM complementarias.historial
                               WHERE solicitud_id = %s ORDER BY id""", s.id)
    # Every success is one history row, and each one starts where the previous one ended.
    assert len(hist) == 2 + names.count("Solicitud")  # Creada, Enviada, then the winners
    for prev, cur in itertools.pairwise(hist):
        assert cur["estado_desde"] == prev["estado_hasta"]
    row = await sql(pool, """SELECT "estado"::text AS e, "numeroFicha" FROM public.solicitudes
                              WHERE "id" = %s""", s.id)
    assert row[0]["e"] in ("RECHAZADA", "APROBADA")
    assert (row[0]["numeroFicha"] is None) == (row[0]["e"] == "RECHAZADA")


async def test_same_typed_ficha_on_two_solicitudes_at_once(pool: Any) -> None:
    a, b = await pendientes(pool, 2)
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    await warm_up(pool, 4)
    results = await asyncio.gather(tr.approve(pool, juan, a.id, numero_ficha="88776655"),
                                   tr.approve(pool, admin, b.id, numero_ficha="88776655"),
                                   return_exceptions=True)
    ok = [r for r in results if isinstance(r, sv.Solicitud)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(ok) == 1 and len(refused) == 1, results
    assert "88776655" in refused[0].message
    rows = await sql(pool, """SELECT "estado"::text AS e, "numeroFicha" FROM public.solicitudes
                               WHERE "id" = ANY(%s) ORDER BY "estado" """, [a.id, b.id])
    assert [(r["e"], r["numeroFicha"]) for r in rows] == [("PENDIENTE", None),
                                                         ("APROBADA", "88776655")]


# ---- server restart ----------------------------------------------------------------------------
async def test_service_calls_survive_a_database_restart(pool: Any, pg_server: Any) -> None:
    carlos = await actor(pool, CARLOS)
    prog = await programa_id(pool, "CF-001-2024")
    before = await sv.list_page(pool, carlos)
    pg_server._stop_server()
    try:
        assert not pg_server.running
    finally:
        pg_server.ensure_running()
    after = await sv.list_page(pool, carlos)
    assert after.total == before.total
    d = await sv.create_draft(pool, carlos, {"programaId": prog})
    assert (await sv.get(pool, carlos, d.id)).estado == "BORRADOR"
