"""Who may do what: role × action × same/other centro × owner/non-owner, for every operation of
solicitudes.py, transitions.py and notifications.py, on the demo data. Each refusal leaves the
database as it was. Also the web app's known holes (DOMAIN.md, last section), shown closed.

Demo data (seeds/demo.json): CGAO = programas CF-001/002/003, CIDM = CF-004, CCS = CF-005.
  001 carlos APROBADA (CGAO)    002 carlos PENDIENTE (CGAO)   003 maria EN_REVISION (CGAO)
  004 maria RECHAZADA (CGAO)    005 carlos BORRADOR (CGAO)    006 ana PENDIENTE (CIDM)
  007 ana APROBADA (CIDM)       008 luis PENDIENTE (CCS)      009 maria CANCELADA (CGAO)
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from tui.db.pool import make_pool
from tui.services import notifications as nt
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import (
    Actor,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ServiceError,
    refresh_actor,
)
from tui.services.validation import ValidationFailed

from .conftest import create_db, drop_db

# A module fixture is made once: the file runs on one test worker.
pytestmark = pytest.mark.xdist_group("test_svc_authz")

USERS = {
    "carlos": "carlos.rodriguez@sena.edu.co",    # INSTRUCTOR CGAO
    "maria": "maria.gonzalez@sena.edu.co",       # INSTRUCTOR CGAO
    "ana": "ana.torres@sena.edu.co",             # INSTRUCTOR CIDM
    "luis": "luis.herrera@sena.edu.co",          # INSTRUCTOR CCS
    "juan": "juan.martinez@sena.edu.co",         # COORDINADOR CGAO
    "patricia": "patricia.gomez@sena.edu.co",    # COORDINADOR CIDM
    "andres": "andres.ramirez@sena.edu.co",      # COORDINADOR CCS
    "admin": "admin@sena.edu.co",                # ADMIN (centro CGAO)
}
ALL = {f"SOL-2026-{n:03d}" for n in range(1, 10)}
OK = "ok"


def s(*numbers: int) -> set[str]:
    return {f"SOL-2026-{n:03d}" for n in numbers}


# ---- helpers -----------------------------------------------------------------------------------
async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def actor(pool: Any, who: str) -> Actor:
    rows = await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', USERS[who])
    async with pool.connection() as conn:
        return await refresh_actor(conn, rows[0]["id"])


async def sol_id(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "codigo" = %s', codigo)
    return rows[0]["id"]


async def snapshot(pool: Any) -> tuple[Any, ...]:
    """Everything a refused action must leave untouched."""
    sols = await sql(pool, 'SELECT * FROM public.solicitudes ORDER BY "id"')
    hors = await sql(pool, 'SELECT * FROM public.horarios_detallados ORDER BY "id"')
    notes = await sql(pool, 'SELECT * FROM public.notificaciones ORDER BY "id"')
    hist = await sql(pool, "SELECT * FROM complementarias.historial ORDER BY id")
    return sols, hors, notes, hist


async def estado(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "estado"::text AS e FROM public.solicitudes WHERE "codigo" = %s',
                     codigo)
    return rows[0]["e"]


@pytest.fixture(scope="module")
async def ro_pool(pg_server: Any, templates: dict[str, str]) -> AsyncIterator[Any]:
    """One demo database shared by the read-only checks of this module (nothing writes)."""
    name = f"cx_authz_ro_{os.getpid()}"
    url = create_db(pg_server, name, template=templates["demo"])
    p = make_pool(url, min_size=1, max_size=5)
    await p.open(wait=True)
    try:
        before = await snapshot(p)
        yield p
        assert await snapshot(p) == before  # the read-only checks really wrote nothing
    finally:
        await p.close()
        drop_db(pg_server, name)


# ---- get -----------------------------------------------------------------------------------------
GET_CASES = [
    # owner sees own, in every estado (drafts included)
    ("carlos", "SOL-2026-001", OK), ("carlos", "SOL-2026-005", OK), ("maria", "SOL-2026-004", OK),
    # another instructor never sees it, same centro or not, draft or not
    ("maria", "SOL-2026-001", NotFound), ("maria", "SOL-2026-005", NotFound),
    ("carlos", "SOL-2026-003", NotFound), ("ana", "SOL-2026-002", NotFound),
    ("carlos", "SOL-2026-006", NotFound),
    # coordinator: own centro except drafts; never other centros
    ("juan", "SOL-2026-002", OK), ("juan", "SOL-2026-009", OK), ("juan", "SOL-2026-005", NotFound),
    ("juan", "SOL-2026-006", NotFound), ("juan", "SOL-2026-008", NotFound),
    ("patricia", "SOL-2026-006", OK), ("patricia", "SOL-2026-002", NotFound),
    ("andres", "SOL-2026-008", OK), ("andres", "SOL-2026-001", NotFound),
    # admin: everything but drafts
    ("admin", "SOL-2026-006", OK), ("admin", "SOL-2026-008", OK),
    ("admin", "SOL-2026-005", NotFound),
]


@pytest.mark.parametrize("who,codigo,expected", GET_CASES)
async def test_get(ro_pool: Any, who: str, codigo: str, expected: Any) -> None:
    a = await actor(ro_pool, who)
    sid = await sol_id(ro_pool, codigo)
    if expected is OK:
        got = await sv.get(ro_pool, a, sid)
        assert got.codigo == codigo
    else:
        with pytest.raises(expected):
            await sv.get(ro_pool, a, sid)


# ---- list_page, counts, review_queue -------------------------------------------------------------
LIST_SCOPE = {
    "carlos": s(1, 2, 5), "maria": s(3, 4, 9), "ana": s(6, 7), "luis": s(8),
    "juan": s(1, 2, 3, 4, 9), "patricia": s(6, 7), "andres": s(8),
    "admin": ALL - s(5),
}


async def all_codigos(pool: Any, a: Actor, filtros: sv.Filtros | None = None,
                      limit: int = 50) -> tuple[list[str], set[int]]:
    codigos: list[str] = []
    totals: set[int] = set()
    cursor = None
    while True:
        page = await sv.list_page(pool, a, filtros, cursor=cursor, limit=limit)
        codigos += [r["codigo"] for r in page.rows]
        totals.add(page.total)
        cursor = page.next_cursor
        if cursor is None:
            return codigos, totals


@pytest.mark.parametrize("who", sorted(LIST_SCOPE))
async def test_list_page_scope(ro_pool: Any, who: str) -> None:
    a = await actor(ro_pool, who)
    codigos, totals = await all_codigos(ro_pool, a, limit=2)
    assert sorted(codigos) == sorted(LIST_SCOPE[who])  # no duplicates, nothing missing
    assert totals == {len(LIST_SCOPE[who])}


async def test_list_filters_cannot_widen_the_scope(ro_pool: Any) -> None:
    juan, maria, admin, patricia, carlos = [
        await actor(ro_pool, w) for w in ("juan", "maria", "admin", "patricia", "carlos")]
    # A coordinator asking for another centro still gets only their own.
    codigos, _ = await all_codigos(ro_pool, juan, sv.Filtros(centro_id=patricia.centro_id))
    assert set(codigos) == LIST_SCOPE["juan"]
    # An instructor filtering by another instructor gets nothing of theirs.
    codigos, totals = await all_codigos(ro_pool, maria, sv.Filtros(instructor_id=carlos.id))
    assert codigos == [] and totals == {0}
    # A coordinator filtering drafts gets none.
    codigos, _ = await all_codigos(ro_pool, juan, sv.Filtros(estado="BORRADOR"))
    assert codigos == []
    # The admin may narrow to a centro.
    codigos, _ = await all_codigos(ro_pool, admin, sv.Filtros(centro_id=patricia.centro_id))
    assert set(codigos) == s(6, 7)


COUNTS = {
    "carlos": {"APROBADA": 1, "PENDIENTE": 1, "BORRADOR": 1},
    "maria": {"EN_REVISION": 1, "RECHAZADA": 1, "CANCELADA": 1},
    "juan": {"APROBADA": 1, "PENDIENTE": 1, "EN_REVISION": 1, "RECHAZADA": 1, "CANCELADA": 1},
    "patricia": {"APROBADA": 1, "PENDIENTE": 1},
    "admin": {"APROBADA": 2, "PENDIENTE": 3, "EN_REVISION": 1, "RECHAZADA": 1, "CANCELADA": 1},
}


@pytest.mark.parametrize("who", sorted(COUNTS))
async def test_counts_scope(ro_pool: Any, who: str) -> None:
    a = await actor(ro_pool, who)
    expected = {e: COUNTS[who].get(e, 0) for e in sv.ESTADOS}
    assert await sv.counts(ro_pool, a) == expected
    other = (await actor(ro_pool, "andres")).centro_id
    if who == "admin":
        assert await sv.counts(ro_pool, a, centro_id=other) == {
            e: (1 if e == "PENDIENTE" else 0) for e in sv.ESTADOS}
    else:  # the centro argument is ignored outside the admin role
        assert await sv.counts(ro_pool, a, centro_id=other) == expected


@pytest.mark.parametrize("who,expected", [
    ("carlos", PermissionDenied), ("maria", PermissionDenied), ("ana", PermissionDenied),
    ("juan", s(2, 3)), ("patricia", s(6)), ("andres", s(8)), ("admin", s(2, 3, 6, 8)),
])
async def test_review_queue(ro_pool: Any, who: str, expected: Any) -> None:
    a = await actor(ro_pool, who)
    if isinstance(expected, set):
        page = await sv.review_queue(ro_pool, a)
        assert {r["codigo"] for r in page.rows} == expected and page.total == len(expected)
        other = (await actor(ro_pool, "patricia")).centro_id
        page = await sv.review_queue(ro_pool, a, centro_id=other)
        assert {r["codigo"] for r in page.rows} == (s(6) if who == "admin" else expected)
    else:
        with pytest.raises(expected):
            await sv.review_queue(ro_pool, a)


async def test_review_queue_pages_oldest_first(ro_pool: Any) -> None:
    admin = await actor(ro_pool, "admin")
    seen: list[str] = []
    cursor = None
    while True:
        page = await sv.review_queue(ro_pool, admin, cursor=cursor, limit=1)
        assert page.total == 4 and len(page.rows) <= 1
        seen += [r["codigo"] for r in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    # fechaSolicitud: 002 11-10, 003 11-18, 006 11-24, 008 11-26
    assert seen == ["SOL-2026-002", "SOL-2026-003", "SOL-2026-006", "SOL-2026-008"]


async def test_list_filters_by_text_dates_and_year(ro_pool: Any) -> None:
    admin = await actor(ro_pool, "admin")

    async def codigos(f: sv.Filtros) -> set[str]:
        page = await sv.list_page(ro_pool, admin, f, limit=200)
        assert page.total == len(page.rows)
        return {r["codigo"] for r in page.rows}

    assert await codigos(sv.Filtros(texto="2026-002")) == s(2)
    assert await codigos(sv.Filtros(texto="SOL-2026-00_")) == set()  # "_" is literal
    assert await codigos(sv.Filtros(texto="%")) == set()              # "%" is literal
    assert await codigos(sv.Filtros(texto="excel básico")) == s(1, 3, 9)
    assert await codigos(sv.Filtros(desde=date(2026, 11, 10),
                                    hasta=date(2026, 11, 10))) == s(2)  # hasta inclusive
    assert await codigos(sv.Filtros(year=2026)) == LIST_SCOPE["admin"]
    assert await codigos(sv.Filtros(year=2025)) == set()
    assert await codigos(sv.Filtros(estado="PENDIENTE")) == s(2, 6, 8)
    with pytest.raises(ServiceError):
        await sv.list_page(ro_pool, admin, sv.Filtros(estado="BORRADOR'; --"))
    with pytest.raises(ServiceError):
        await sv.list_page(ro_pool, admin, cursor="no-es-un-cursor")
    assert await sv.years(ro_pool, admin) == [2026]


# ---- owner-only operations -----------------------------------------------------------------------
SAVE_CASES = [
    ("carlos", "SOL-2026-005", OK),                 # owner, draft
    ("maria", "SOL-2026-005", PermissionDenied),    # instructor, same centro
    ("ana", "SOL-2026-002", PermissionDenied),      # instructor, other centro
    ("juan", "SOL-2026-002", PermissionDenied),     # coordinator of the centro
    ("juan", "SOL-2026-005", PermissionDenied),
    ("patricia", "SOL-2026-002", PermissionDenied),  # coordinator of another centro (web hole)
    ("juan", "SOL-2026-006", PermissionDenied),      # idem
    ("andres", "SOL-2026-002", PermissionDenied),
    ("admin", "SOL-2026-002", PermissionDenied),
    ("admin", "SOL-2026-006", PermissionDenied),
]


@pytest.mark.parametrize("who,codigo,expected", SAVE_CASES)
async def test_save(pool: Any, who: str, codigo: str, expected: Any) -> None:
    a = await actor(pool, who)
    sid = await sol_id(pool, codigo)
    row = (await sql(pool, 'SELECT "updatedAt" FROM public.solicitudes WHERE "id" = %s', sid))[0]
    hors = await sql(pool, """SELECT "diaSemana"::text AS "diaSemana", "fecha", "horaInicio",
                                     "horaFin", "esFlexible", "observaciones"
                                FROM public.horarios_detallados WHERE "solicitudId" = %s""", sid)
    from tui.services.horarios import Horario
    horarios = [Horario.from_mapping(h) for h in hors]
    form = {"nombreEmpresa": "Cambiada por " + who}
    if expected is OK:
        saved = await sv.save(pool, a, sid, form, horarios, row["updatedAt"])
        assert saved.data["nombreEmpresa"] == "Cambiada por " + who
        return
    before = await snapshot(pool)
    with pytest.raises(expected):
        await sv.save(pool, a, sid, form, horarios, row["updatedAt"])
    assert await snapshot(pool) == before


DUPLICATE_CASES = [
    # duplicate (not an estado transition): only the owner; who cannot even see it: NotFound
    ("maria", "SOL-2026-004", "BORRADOR"), ("maria", "SOL-2026-009", "BORRADOR"),
    ("carlos", "SOL-2026-004", NotFound), ("ana", "SOL-2026-004", NotFound),
    ("juan", "SOL-2026-004", PermissionDenied), ("patricia", "SOL-2026-004", NotFound),
    ("admin", "SOL-2026-004", PermissionDenied),
]

# ---- the role × action × scope matrix, derived from the rules table --------------------------
# Demo facts the matrix is built on: each solicitud's estado, owner and centro (docstring above).
DEMO = {  # codigo: (estado, owner, centro)
    "SOL-2026-001": ("APROBADA", "carlos", "CGAO"),
    "SOL-2026-002": ("PENDIENTE", "carlos", "CGAO"),
    "SOL-2026-003": ("EN_REVISION", "maria", "CGAO"),
    "SOL-2026-004": ("RECHAZADA", "maria", "CGAO"),
    "SOL-2026-005": ("BORRADOR", "carlos", "CGAO"),
    "SOL-2026-006": ("PENDIENTE", "ana", "CIDM"),
    "SOL-2026-007": ("APROBADA", "ana", "CIDM"),
    "SOL-2026-008": ("PENDIENTE", "luis", "CCS"),
    "SOL-2026-009": ("CANCELADA", "maria", "CGAO"),
}
ROLE = {"carlos": ("INSTRUCTOR", "CGAO"), "maria": ("INSTRUCTOR", "CGAO"),
        "ana": ("INSTRUCTOR", "CIDM"), "luis": ("INSTRUCTOR", "CCS"),
        "juan": ("COORDINADOR", "CGAO"), "patricia": ("COORDINADOR", "CIDM"),
        "andres": ("COORDINADOR", "CCS"), "admin": ("ADMIN", "CGAO")}


def expected(action: str, who: str, codigo: str) -> Any:
    """What the rules table says `who` gets for `action` on `codigo`: the new estado, or the
    refusal (who may act is checked before the estado, so a refusal leaks nothing)."""
    rule = tr.RULES[action]
    estado, owner, centro = DEMO[codigo]
    role, own_centro = ROLE[who]
    allowed = {"owner": who == owner, "admin": role == "ADMIN",
               "reviewer": role == "ADMIN" or (role == "COORDINADOR" and centro == own_centro),
               }[rule.who]
    if not allowed:
        return PermissionDenied
    return rule.hasta if estado in rule.desde else InvalidTransition


MATRIX = [(who, action, codigo, expected(action, who, codigo))
          for action in tr.RULES for who in ROLE for codigo in DEMO]
ALLOWED = [case for case in MATRIX if isinstance(case[3], str)]
REFUSED = [case for case in MATRIX if not isinstance(case[3], str)]


def test_the_matrix_covers_every_rule_role_scope_and_estado() -> None:
    assert {a for _, a, _, _ in MATRIX} == set(tr.RULES)
    assert {ROLE[w][0] for w, _, _, _ in MATRIX} == {"INSTRUCTOR", "COORDINADOR", "ADMIN"}
    assert {DEMO[c][0] for _, _, c, _ in MATRIX} == set(sv.ESTADOS)
    # every rule has someone allowed, someone refused for the role, and a wrong estado
    for action in tr.RULES:
        outcomes = {e if not isinstance(e, str) else "ok" for _, a, _, e in MATRIX if a == action}
        assert outcomes == {"ok", PermissionDenied, InvalidTransition}, action
    # scope: a coordinator of another centro is refused every review action
    assert all(e is PermissionDenied for w, a, c, e in MATRIX
               if w == "patricia" and DEMO[c][2] != "CIDM" and tr.RULES[a].who == "reviewer")
    assert len(MATRIX) == 8 * 9 * len(tr.RULES)


async def run_action(pool: Any, a: Actor, action: str, sid: str) -> sv.Solicitud:
    if action == "submit":
        return await tr.submit(pool, a, sid)
    if action == "cancel":
        return await tr.cancel(pool, a, sid)
    if action == "duplicate":
        return await tr.duplicate(pool, a, sid)
    if action == "take":
        return await tr.take_into_review(pool, a, sid)
    if action == "approve":
        return await tr.approve(pool, a, sid)
    if action == "reject":
        return await tr.reject(pool, a, sid, "No cumple.")
    if action == "return":
        return await tr.return_to_instructor(pool, a, sid, "Complete la justificación.")
    if action == "admin_cancel":
        return await tr.admin_cancel(pool, a, sid, "Motivo administrativo.")
    raise AssertionError(action)


@pytest.mark.parametrize("action", sorted(tr.RULES))
async def test_refusals_of_the_matrix(pool: Any, action: str) -> None:
    """Every refused (role, solicitud) pair of one action, on one database: the refusal the
    rules table predicts, a Spanish message, and nothing changed."""
    before = await snapshot(pool)
    tried = 0
    for who, act, codigo, refusal in REFUSED:
        if act != action:
            continue
        a = await actor(pool, who)
        with pytest.raises(refusal) as info:
            await run_action(pool, a, action, await sol_id(pool, codigo))
        assert type(info.value) is refusal, (who, codigo)
        assert info.value.message
        tried += 1
    assert tried and await snapshot(pool) == before


@pytest.mark.parametrize("who,action,codigo,hasta", ALLOWED,
                         ids=[f"{w}-{a}-{c[-3:]}" for w, a, c, _ in ALLOWED])
async def test_allowed_cases_of_the_matrix(pool: Any, who: str, action: str, codigo: str,
                                           hasta: str) -> None:
    a = await actor(pool, who)
    sid = await sol_id(pool, codigo)
    try:
        result = await run_action(pool, a, action, sid)
    except ValidationFailed as exc:  # the seed draft is incomplete: submitting names fields
        assert action == "submit" and exc.errors
        return
    assert result.estado == hasta == await estado(pool, codigo)
    last = (await sql(pool, """SELECT actor_id, estado_hasta FROM complementarias.historial
                                WHERE solicitud_id = %s ORDER BY id DESC LIMIT 1""", sid))[0]
    assert (last["actor_id"], last["estado_hasta"]) == (a.id, hasta)


@pytest.mark.parametrize("who,codigo,expected", DUPLICATE_CASES)
async def test_duplicate_authorization(pool: Any, who: str, codigo: str, expected: Any) -> None:
    a = await actor(pool, who)
    sid = await sol_id(pool, codigo)
    if isinstance(expected, str):
        result = await run_action(pool, a, "duplicate", sid)
        assert result.estado == expected and result.id != sid
        assert result.data["instructorId"] == a.id
        return
    before = await snapshot(pool)
    with pytest.raises(expected) as info:
        await run_action(pool, a, "duplicate", sid)
    assert info.value.message
    assert await snapshot(pool) == before


# ---- notifications -------------------------------------------------------------------------------
async def test_mark_read_of_someone_elses_notification(pool: Any) -> None:
    juan, carlos = await actor(pool, "juan"), await actor(pool, "carlos")
    theirs = (await nt.list_for(pool, juan, solo_no_leidas=True)).rows
    assert theirs
    before = await snapshot(pool)
    for n in theirs:
        assert await nt.mark_read(pool, carlos, n.id) is False
        with pytest.raises(ServiceError):
            await nt.get_for(pool, carlos, n.id)
    marked = await nt.mark_all_read(pool, carlos)
    assert marked == 1  # carlos's own unread one only
    after = await snapshot(pool)
    assert after[2] != before[2]
    juans = [n for n in after[2] if n["usuarioId"] == juan.id]
    assert juans == [n for n in before[2] if n["usuarioId"] == juan.id]
    assert await nt.unread_count(pool, juan) == len(theirs)
    assert await nt.mark_read(pool, juan, theirs[0].id) is True


@pytest.mark.parametrize("who", ["carlos", "juan", "patricia"])
async def test_broadcast_by_non_admin_is_refused(pool: Any, who: str) -> None:
    a = await actor(pool, who)
    target = await actor(pool, "maria")
    before = await snapshot(pool)
    for kwargs in ({}, {"user_ids": [target.id]}, {"role": "INSTRUCTOR"},
                   {"centro_id": a.centro_id}):
        with pytest.raises(PermissionDenied):
            await nt.broadcast(pool, a, "Aviso", "Texto", **kwargs)  # type: ignore[arg-type]
    assert await snapshot(pool) == before


# ---- the web app's known holes, closed ----------------------------------------------------------
async def test_coordinator_cannot_touch_other_centros_solicitudes(pool: Any) -> None:
    patricia = await actor(pool, "patricia")
    sid = await sol_id(pool, "SOL-2026-002")  # CGAO
    before = await snapshot(pool)
    with pytest.raises(NotFound):
        await sv.get(pool, patricia, sid)
    for action in ("take", "approve", "reject", "cancel"):
        with pytest.raises(PermissionDenied):
            await run_action(pool, patricia, action, sid)
    row = (await sql(pool, 'SELECT "updatedAt" FROM public.solicitudes WHERE "id" = %s', sid))[0]
    with pytest.raises(PermissionDenied):
        await sv.save(pool, patricia, sid, {"municipio": "Bogotá"}, [], row["updatedAt"])
    assert await snapshot(pool) == before


async def test_lists_are_not_cut_at_100(pool: Any) -> None:
    carlos = await actor(pool, "carlos")
    prog = (await sql(pool, """SELECT "id" FROM public.programas
                                WHERE "codigo" = 'CF-001-2024'"""))[0]["id"]
    made = await asyncio.gather(*(sv.create_draft(pool, carlos, {"programaId": prog})
                                  for _ in range(120)))
    codigos, totals = await all_codigos(pool, carlos, limit=50)
    expected = {m.codigo for m in made} | LIST_SCOPE["carlos"]
    assert len(codigos) == len(expected) == 123
    assert set(codigos) == expected
    assert totals == {123}
    counts = await sv.counts(pool, carlos)
    assert counts["BORRADOR"] == 121 and sum(counts.values()) == 123
    # Newest first, strictly, across page boundaries.
    created = {r["codigo"]: (r["createdAt"], r["id"])
               for r in await sql(pool, 'SELECT "codigo", "createdAt", "id" '
                                        'FROM public.solicitudes')}
    keys = [created[c] for c in codigos]
    assert keys == sorted(keys, reverse=True)
    # Rows with the same createdAt (the web app writes ms precision) are neither repeated nor
    # skipped across page boundaries: the id breaks ties.
    await sql(pool, """UPDATE public.solicitudes SET "createdAt" = '2026-11-28 12:00:00'
                        WHERE "instructorId" = %s AND "estado" = 'BORRADOR'""", carlos.id)
    codigos, totals = await all_codigos(pool, carlos, limit=50)
    assert len(codigos) == 123 and set(codigos) == expected and totals == {123}
    codigos, _ = await all_codigos(pool, carlos, limit=7)
    assert len(codigos) == 123 and set(codigos) == expected
    # Maria and the coordinator see none of the 120 drafts.
    assert (await sv.list_page(pool, await actor(pool, "maria"))).total == 3
    assert (await sv.list_page(pool, await actor(pool, "juan"))).total == 5


async def test_invalid_transition_is_not_a_permission_leak(pool: Any) -> None:
    """A reviewer of another centro learns nothing about the estado: PermissionDenied first."""
    patricia = await actor(pool, "patricia")
    sid = await sol_id(pool, "SOL-2026-001")  # CGAO APROBADA
    with pytest.raises(PermissionDenied):
        await tr.approve(pool, patricia, sid)
    juan = await actor(pool, "juan")
    with pytest.raises(InvalidTransition):
        await tr.approve(pool, juan, sid)
