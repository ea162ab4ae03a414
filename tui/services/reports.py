"""Reports for coordinators and admins: the figures of the home dashboard and the queue.

Scope is checked twice: here (instructors are refused, a coordinator may only ask for their
own centro) and in the WHERE of sql/queries/reports.sql. Drafts are never counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.db.queries import AQ
from tui.services import model
from tui.services.boundary import checked
from tui.services.centros import like_pattern
from tui.services.common import Actor, PermissionDenied, refresh_actor, utcnow
from tui.services.tz import BOGOTA

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
    local = now.replace(tzinfo=UTC).astimezone(BOGOTA)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    first, after = (d.astimezone(UTC).replace(tzinfo=None) for d in (start, end))
    return first, after


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


def summary_centro(actor: Actor, centro_id: str | None) -> str | None:
    """The centro a summary read covers (a coordinador's own; an admin's filter), or None for
    every centro."""
    return actor.centro_id if actor.is_coordinador else centro_id


async def estado_totals(conn: Any, centro: str | None) -> dict[str, Any]:
    """The summary over `centro` (None: every centro), drafts left out: a count per estado
    (keys are the estados) and pendiente_enviadas, en_revision_enviadas, aprendices, horas,
    resp_n, resp_dias."""
    return dict(await AQ.resumen_totales(conn, centro=centro))


@checked
async def dashboard(pool: Pool, actor: Actor, centro_id: str | None = None, *,
                    now: datetime | None = None) -> Dashboard:
    """The dashboard of the actor's centro (admins: every centro, or `centro_id`), from the
    summary table plus two short index ranges (recent and this month's rows).

    `now` (naive UTC) is for tests; it defaults to the current time."""
    now = now or utcnow()
    mes_desde, mes_hasta = month_bounds(now)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _scope(actor, centro_id)
        centro = summary_centro(actor, centro_id)
        totals = await estado_totals(conn, centro)
        recent = await AQ.recientes_por_estado(conn, centro=centro,
                                               urgente_antes=urgent_cutoff(now),
                                               mes_desde=mes_desde, mes_hasta=mes_hasta,
                                               **model.sql_params())
    aprobadas, rechazadas = int(totals[model.APROBADA]), int(totals[model.RECHAZADA])
    decididas = aprobadas + rechazadas
    resp_n = int(totals["resp_n"])
    return Dashboard(
        pendientes=int(totals[model.PENDIENTE]),
        urgentes=int(totals["pendiente_enviadas"]) - int(recent["pendientes_recientes"]),
        en_revision=int(totals[model.EN_REVISION]),
        aprobadas_mes=int(recent["aprobadas_mes"]),
        tasa_aprobacion=100.0 * aprobadas / decididas if decididas else None,
        respuesta_promedio_dias=float(totals["resp_dias"]) / resp_n if resp_n else None,
        aprendices_aprobados=int(totals["aprendices"]),
        horas_aprobadas=int(totals["horas"]))


@checked
async def queue_urgentes(pool: Pool, actor: Actor, texto: str | None = None,
                         centro_id: str | None = None, *, now: datetime | None = None) -> int:
    """How many of the review queue (same search and centro filter) wait more than
    URGENTE_DIAS days. Without a search: the summary minus the recent ones."""
    now = now or utcnow()
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        scope = _scope(actor, centro_id)
        q = like_pattern(texto)
        if q is None:
            centro = summary_centro(actor, centro_id)
            totals = await estado_totals(conn, centro)
            mes_desde, mes_hasta = month_bounds(now)
            recent = await AQ.recientes_por_estado(conn, centro=centro,
                                                   urgente_antes=urgent_cutoff(now),
                                                   mes_desde=mes_desde, mes_hasta=mes_hasta,
                                                   **model.sql_params())
            return (int(totals["pendiente_enviadas"]) + int(totals["en_revision_enviadas"])
                    - int(recent["pendientes_recientes"]) - int(recent["en_revision_recientes"]))
        counted = await AQ.count_review_queue(conn, **scope, q=q,
                                              urgente_antes=urgent_cutoff(now),
                                              **model.sql_params())
        return int(counted["urgentes"])
