"""Reports service: the dashboard figures and the queue's urgent count, on the demo data.

Expected values are computed here from the seed rows (seeds/demo.json) for the `now` used, so
they do not depend on the day the tests run. CGAO = CF-001/002/003, CIDM = CF-004, CCS = CF-005:
  001 APROBADA 25 aprendices 40 h   002 PENDIENTE   003 EN_REVISION   004 RECHAZADA
  005 BORRADOR (never counted)      009 CANCELADA   (all CGAO)
  006 PENDIENTE, 007 APROBADA (CIDM)                008 PENDIENTE (CCS)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tui.services import reports, transitions
from tui.services.common import Actor, PermissionDenied, SessionEnded, refresh_actor
from tui.services.reports import Dashboard

SEED = json.loads((Path(__file__).resolve().parent.parent / "seeds" / "demo.json").read_text())
PROGRAMA_CENTRO = {p["codigo"]: p["centro"] for p in SEED["programas"]}
ALL_CENTROS = {"CGAO", "CIDM", "CCS"}
EMAILS = {
    "juan": "juan.martinez@sena.edu.co", "patricia": "patricia.gomez@sena.edu.co",
    "andres": "andres.ramirez@sena.edu.co", "admin": "admin@sena.edu.co",
    "carlos": "carlos.rodriguez@sena.edu.co",
}


def ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def bogota_month(value: datetime) -> tuple[int, int]:
    local = value - timedelta(hours=5)
    return local.year, local.month


def seed_rows(centros: set[str]) -> list[dict[str, Any]]:
    return [s for s in SEED["solicitudes"]
            if PROGRAMA_CENTRO[s["programa"]] in centros and s["estado"] != "BORRADOR"]


def expected(centros: set[str], now: datetime) -> Dashboard:
    """The dashboard computed by hand from the seed rows."""
    rows = seed_rows(centros)
    by = {e: [r for r in rows if r["estado"] == e] for e in
          ("PENDIENTE", "EN_REVISION", "APROBADA", "RECHAZADA")}
    decided = len(by["APROBADA"]) + len(by["RECHAZADA"])
    waits = [(ts(r.get("fechaRevision")) or ts(r.get("fechaAprobacion"))) - ts(r["fechaSolicitud"])
             for r in rows if r.get("fechaRevision") or r.get("fechaAprobacion")]
    return Dashboard(
        pendientes=len(by["PENDIENTE"]),
        urgentes=sum(1 for r in by["PENDIENTE"]
                     if now - ts(r["fechaSolicitud"]) > timedelta(days=7)),
        en_revision=len(by["EN_REVISION"]),
        aprobadas_mes=sum(1 for r in by["APROBADA"]
                          if bogota_month(ts(r["fechaAprobacion"])) == bogota_month(now)),
        tasa_aprobacion=100 * len(by["APROBADA"]) / decided if decided else None,
        respuesta_promedio_dias=(sum(w.total_seconds() for w in waits) / len(waits) / 86400
                                 if waits else None),
        aprendices_aprobados=sum(r["numeroAprendicesInscribir"] for r in by["APROBADA"]),
        horas_aprobadas=sum(r["duracionMaxima"] for r in by["APROBADA"]),
    )


def same(got: Dashboard, want: Dashboard) -> None:
    for field in Dashboard.__dataclass_fields__:
        g, w = getattr(got, field), getattr(want, field)
        if isinstance(w, float):
            assert g == pytest.approx(w), field
        else:
            assert g == w, field


async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def actor(pool: Any, who: str) -> Actor:
    rows = await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', EMAILS[who])
    async with pool.connection() as conn:
        return await refresh_actor(conn, rows[0]["id"])


async def centro_id(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "id" FROM public.centros WHERE "codigo" = %s', codigo)
    return rows[0]["id"]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ---- figures ------------------------------------------------------------------------------------
async def test_coordinator_dashboard_matches_the_seed_rows(pool: Any) -> None:
    juan = await actor(pool, "juan")
    got = await reports.dashboard(pool, juan)
    same(got, expected({"CGAO"}, utcnow()))


async def test_cgao_figures_by_hand(pool: Any) -> None:
    """The same figures written out: drafts (005: 60 h) and CANCELADA (009) do not count."""
    juan = await actor(pool, "juan")
    got = await reports.dashboard(pool, juan, now=datetime(2026, 10, 15, 12))
    # waits: 001 10-01 14:00→10-05 15:00, 003 11-18 16:45→11-20 09:00, 004 10-20 10:00→10-23 11:00
    waits = [timedelta(days=4, hours=1), timedelta(days=1, hours=16, minutes=15),
             timedelta(days=3, hours=1)]
    assert got == Dashboard(
        pendientes=1, urgentes=0, en_revision=1, aprobadas_mes=1, tasa_aprobacion=50.0,
        respuesta_promedio_dias=pytest.approx(
            sum(w.total_seconds() for w in waits) / 3 / 86400),
        aprendices_aprobados=25, horas_aprobadas=40)


@pytest.mark.parametrize(("now", "count"), [
    (datetime(2026, 11, 17, 13, 19), 0),  # 002 (sent 11-10 13:20) is 6 d 23 h 59 min old
    (datetime(2026, 11, 17, 13, 21), 1),  # … and now more than 7 days
    (datetime(2026, 12, 31, 23, 0), 1),
])
async def test_urgent_is_pending_for_more_than_seven_days(pool: Any, now: datetime,
                                                          count: int) -> None:
    juan = await actor(pool, "juan")
    got = await reports.dashboard(pool, juan, now=now)
    assert got.urgentes == expected({"CGAO"}, now).urgentes == count


@pytest.mark.parametrize(("approved", "now", "count"), [
    ("2026-11-01T03:00:00", datetime(2026, 11, 15), 0),   # 31 Oct 22:00 in Bogotá
    ("2026-11-01T03:00:00", datetime(2026, 10, 20), 1),
    ("2026-11-01T05:00:00", datetime(2026, 11, 15), 1),   # 1 Nov 00:00 in Bogotá
    ("2026-11-01T05:00:00", datetime(2026, 11, 1, 4, 59), 0),  # still October in Bogotá
    ("2026-12-01T04:59:00", datetime(2026, 11, 30, 12), 1),
])
async def test_approved_this_month_uses_bogota_time(pool: Any, approved: str, now: datetime,
                                                    count: int) -> None:
    await sql(pool, 'UPDATE public.solicitudes SET "fechaAprobacion" = %s WHERE "codigo" = '
              "'SOL-2026-001'", ts(approved))
    juan = await actor(pool, "juan")
    assert (await reports.dashboard(pool, juan, now=now)).aprobadas_mes == count


async def test_an_approval_shows_up_at_once(pool: Any) -> None:
    juan = await actor(pool, "juan")
    before = await reports.dashboard(pool, juan)
    sol = await sql(pool, "SELECT \"id\" FROM public.solicitudes WHERE \"codigo\" = "
                    "'SOL-2026-002'")
    await transitions.approve(pool, juan, sol[0]["id"])
    after = await reports.dashboard(pool, juan)
    assert after.pendientes == before.pendientes - 1
    assert after.urgentes == 0
    assert after.aprobadas_mes == before.aprobadas_mes + 1
    assert after.aprendices_aprobados == 25 + 25
    assert after.horas_aprobadas == 40 + 60
    assert after.tasa_aprobacion == pytest.approx(200 / 3)  # 2 approved of 3 decided


async def test_nothing_decided_gives_no_rate(pool: Any) -> None:
    admin = await actor(pool, "admin")
    ccs = await reports.dashboard(pool, admin, await centro_id(pool, "CCS"))
    assert ccs.pendientes == 1
    assert ccs.tasa_aprobacion is None
    assert ccs.respuesta_promedio_dias is None
    assert (ccs.aprendices_aprobados, ccs.horas_aprobadas, ccs.aprobadas_mes) == (0, 0, 0)


# ---- scope --------------------------------------------------------------------------------------
async def test_coordinator_of_cidm_sees_only_cidm(pool: Any) -> None:
    patricia = await actor(pool, "patricia")
    now = utcnow()
    got = await reports.dashboard(pool, patricia, now=now)
    same(got, expected({"CIDM"}, now))
    assert (got.pendientes, got.en_revision, got.aprendices_aprobados) == (1, 0, 25)


async def test_admin_sees_every_centro_or_the_one_filtered(pool: Any) -> None:
    admin = await actor(pool, "admin")
    now = utcnow()
    same(await reports.dashboard(pool, admin, now=now), expected(ALL_CENTROS, now))
    for codigo in sorted(ALL_CENTROS):
        got = await reports.dashboard(pool, admin, await centro_id(pool, codigo), now=now)
        same(got, expected({codigo}, now))


async def test_coordinator_may_not_ask_for_another_centro(pool: Any) -> None:
    juan = await actor(pool, "juan")
    with pytest.raises(PermissionDenied):
        await reports.dashboard(pool, juan, await centro_id(pool, "CIDM"))
    with pytest.raises(PermissionDenied):
        await reports.queue_urgentes(pool, juan, centro_id=await centro_id(pool, "CIDM"))
    own = await reports.dashboard(pool, juan, await centro_id(pool, "CGAO"))
    assert own == await reports.dashboard(pool, juan, now=None)


async def test_instructor_is_refused(pool: Any) -> None:
    carlos = await actor(pool, "carlos")
    with pytest.raises(PermissionDenied, match="coordinadores"):
        await reports.dashboard(pool, carlos)
    with pytest.raises(PermissionDenied):
        await reports.queue_urgentes(pool, carlos)


async def test_demoted_or_deactivated_user_loses_access(pool: Any) -> None:
    juan = await actor(pool, "juan")
    await sql(pool, "UPDATE public.users SET \"role\" = 'INSTRUCTOR' WHERE \"id\" = %s", juan.id)
    with pytest.raises(PermissionDenied):
        await reports.dashboard(pool, juan)  # the stale Actor still says COORDINADOR
    await sql(pool, 'UPDATE public.users SET "isActive" = false WHERE "id" = %s', juan.id)
    with pytest.raises(SessionEnded):
        await reports.dashboard(pool, juan)


# ---- the queue's urgent count -------------------------------------------------------------------
def queue_urgent(centros: set[str], now: datetime, needle: str = "") -> int:
    programas = {p["codigo"]: p["nombre"] for p in SEED["programas"]}
    return sum(1 for r in seed_rows(centros)
               if r["estado"] in ("PENDIENTE", "EN_REVISION")
               and now - ts(r["fechaSolicitud"]) > timedelta(days=7)
               and needle.lower() in (r["codigo"] + " " + programas[r["programa"]]).lower())


async def test_queue_urgent_count_follows_scope_and_search(pool: Any) -> None:
    now = utcnow()
    juan = await actor(pool, "juan")
    admin = await actor(pool, "admin")
    assert await reports.queue_urgentes(pool, juan, now=now) == queue_urgent({"CGAO"}, now)
    assert await reports.queue_urgentes(pool, juan, "excel", now=now) == \
        queue_urgent({"CGAO"}, now, "excel")
    assert await reports.queue_urgentes(pool, admin, now=now) == queue_urgent(ALL_CENTROS, now)
    cidm = await centro_id(pool, "CIDM")
    assert await reports.queue_urgentes(pool, admin, centro_id=cidm, now=now) == \
        queue_urgent({"CIDM"}, now)
    later = datetime(2027, 1, 1)
    assert await reports.queue_urgentes(pool, juan, now=later) == 2  # 002 and 003
    assert await reports.queue_urgentes(pool, juan, "SOL-2026-003", now=later) == 1
    assert await reports.queue_urgentes(pool, juan, "100%", now=later) == 0  # literal text


def test_month_bounds_are_bogota_months_in_utc() -> None:
    assert reports.month_bounds(datetime(2026, 11, 1, 4, 59)) == (
        datetime(2026, 10, 1, 5), datetime(2026, 11, 1, 5))
    assert reports.month_bounds(datetime(2026, 12, 31, 23)) == (
        datetime(2026, 12, 1, 5), datetime(2027, 1, 1, 5))
