"""Reports for coordinators and admins: the figures of the home dashboard and the queue.

Scope is checked twice: here (instructors are refused, a coordinator may only ask for their
own centro) and in the WHERE of sql/queries/reports.sql. Drafts are never counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from tui.services.boundary import checked
from tui.db.queries import AQ
from tui.services.centros import like_pattern
from tui.services.common import BOGOTA, Actor, PermissionDenied, refresh_actor, utcnow

URGENTE_DIAS = 7
"""A solicitud waiting longer than this many days (since fechaSolicitud) is urgent."""


@dataclass(frozen=True)
class Dashboard:
    """What a coordinator needs to see first, over their centro (admins: all or one centro)."""

    pendientes: int
    urgentes: int  # PENDIENTE for more than URGENTE_DIAS days
    en_revision: int
    aprobadas_mes: int  # APROBADA with fechaAprobacion in the current Bogotá month
    tasa_aprobacion: float | None  # % of APROBADA over APROBADA + RECHAZADA; None if neither
    respuesta_promedio_dias: float | None  # fechaSolicitud → first review (or approval)
    aprendices_aprobados: int
    horas_aprobadas: int


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The current Bogotá calendar month of `now` (naive UTC) as naive UTC [start, end)."""
    local = now.replace(tzinfo=timezone.utc).astimezone(BOGOTA)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return tuple(  # type: ignore[return-value]
        d.astimezone(timezone.utc).replace(tzinfo=None) for d in (start, end))


def urgent_cutoff(now: datetime) -> datetime:
    """Solicitudes sent before this instant (naive UTC) are urgent."""
    return now - timedelta(days=URGENTE_DIAS)


def _scope(actor: Actor, centro_id: str | None) -> dict[str, Any]:
    """The scope parameters of the report queries; refuses what the role may not see."""
    if actor.is_instructor:
        raise PermissionDenied("Los informes son para coordinadores y administradores.")
    if actor.is_coordinador and centro_id not in (None, actor.centro_id):
        raise PermissionDenied("Solo puede ver los informes de su propio centro.")
    return dict(role=actor.role, centro_id=actor.centro_id,
                centro_filter=centro_id if actor.is_admin else None)


@checked
async def dashboard(pool: Any, actor: Actor, centro_id: str | None = None, *,
                    now: datetime | None = None) -> Dashboard:
    """The dashboard of the actor's centro (admins: every centro, or `centro_id`).

    `now` (naive UTC) is for tests; it defaults to the current time."""
    now = now or utcnow()
    mes_desde, mes_hasta = month_bounds(now)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.report_dashboard(conn, **_scope(actor, centro_id),
                                        urgente_antes=urgent_cutoff(now),
                                        mes_desde=mes_desde, mes_hasta=mes_hasta)
    decididas = int(row["aprobadas"]) + int(row["rechazadas"])
    respuesta = row["respuesta_dias"]
    return Dashboard(
        pendientes=int(row["pendientes"]), urgentes=int(row["urgentes"]),
        en_revision=int(row["en_revision"]), aprobadas_mes=int(row["aprobadas_mes"]),
        tasa_aprobacion=100.0 * int(row["aprobadas"]) / decididas if decididas else None,
        respuesta_promedio_dias=float(respuesta) if respuesta is not None else None,
        aprendices_aprobados=int(row["aprendices_aprobados"]),
        horas_aprobadas=int(row["horas_aprobadas"]))


@checked
async def queue_urgentes(pool: Any, actor: Actor, texto: str | None = None,
                         centro_id: str | None = None, *, now: datetime | None = None) -> int:
    """How many of the review queue (same search and centro filter) wait more than
    URGENTE_DIAS days."""
    now = now or utcnow()
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        scope = _scope(actor, centro_id)
        return int(await AQ.report_queue_urgentes(conn, **scope, q=like_pattern(texto),
                                                  urgente_antes=urgent_cutoff(now)))
