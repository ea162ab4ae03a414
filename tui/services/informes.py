"""The reports screen's figures: a range of fechaSolicitud (Bogotá dates, both ends included)
over the actor's scope, computed in SQL (sql/queries/informes.sql) in two queries whatever
the size of the data.

Scope as in reports.py: instructors are refused; a coordinator sees their centro only; an
admin sees every centro or the one asked for. Drafts are never counted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.db.pool import Pool

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tui.db import pipeline
from tui.db.queries import AQ
from tui.services import model
from tui.services.boundary import checked
from tui.services.common import Actor, refresh_actor, utcnow
from tui.services.reports import _scope, summary_centro
from tui.services.tz import BOGOTA
from tui.services.validation import FieldError, ValidationFailed

ESTADOS = model.SENT  # drafts are never reported
ANTIGUEDAD = (("d0_2", "0–2 días"), ("d3_7", "3–7 días"), ("d8_14", "8–14 días"),
              ("d15_30", "15–30 días"), ("d31", "más de 30 días"))
TOP = 10
MAX_DIAS = 366 * 10


@dataclass(frozen=True)
class Grupo:
    """One row of a breakdown: a month, a centro, an instructor or a programa."""

    clave: str
    codigo: str
    nombre: str
    total: int
    aprobadas: int
    rechazadas: int
    abiertas: int
    aprendices: int
    horas: int

    @property
    def tasa(self) -> float | None:
        decididas = self.aprobadas + self.rechazadas
        return 100.0 * self.aprobadas / decididas if decididas else None


@dataclass(frozen=True)
class Informe:
    desde: date
    hasta: date
    centro_id: str | None
    por_estado: dict[str, int]
    respuesta_promedio_dias: float | None
    aprendices_aprobados: int
    horas_aprobadas: int
    antiguedad: list[tuple[str, int]]
    """Open solicitudes (PENDIENTE, EN_REVISION) by how long they have waited."""
    por_mes: list[Grupo] = field(default_factory=list)
    por_centro: list[Grupo] = field(default_factory=list)
    por_instructor: list[Grupo] = field(default_factory=list)
    por_programa: list[Grupo] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.por_estado.values())

    @property
    def tasa_aprobacion(self) -> float | None:
        aprobadas = self.por_estado[model.APROBADA]
        decididas = aprobadas + self.por_estado[model.RECHAZADA]
        return 100.0 * aprobadas / decididas if decididas else None


def today_bogota(now: datetime | None = None) -> date:
    return (now or utcnow()).replace(tzinfo=UTC).astimezone(BOGOTA).date()


def default_range(now: datetime | None = None) -> tuple[date, date]:
    """From 1 January of the current Bogotá year to today."""
    today = today_bogota(now)
    return date(today.year, 1, 1), today


def _utc(day: date) -> datetime:
    """Bogotá midnight of `day` as naive UTC (how Prisma stores instants)."""
    return datetime.combine(day, time(), BOGOTA).astimezone(UTC).replace(tzinfo=None)


def _meses(desde: date, hasta: date) -> dict[str, list[Any]]:
    """The Bogotá months the range [desde, hasta] touches (informe_resumen's parameters): each
    one's first day, the days of the range in it [desdes, hastas), and whether the range holds
    the whole month."""
    meses: list[date] = []
    mes = date(desde.year, desde.month, 1)
    while mes <= hasta:
        meses.append(mes)
        mes = (mes + timedelta(days=32)).replace(day=1)
    siguientes = [*meses[1:], mes]
    desdes = [max(m, desde) for m in meses]
    hastas = [min(s, hasta + timedelta(days=1)) for s in siguientes]
    return dict(meses=meses, desdes=desdes, hastas=hastas,
                enteros=[(d, h) == (m, s) for d, h, m, s in zip(desdes, hastas, meses, siguientes,
                                                               strict=True)])


def _grupo(r: dict[str, Any]) -> Grupo:
    """A month's or a centro's row of informe_resumen (counts per estado) as a breakdown row."""
    return Grupo(clave=r["clave"], codigo=r["codigo"], nombre=r["nombre"],
                 total=sum(int(r[e.lower()]) for e in ESTADOS),
                 aprobadas=int(r[model.APROBADA.lower()]),
                 rechazadas=int(r[model.RECHAZADA.lower()]),
                 abiertas=sum(int(r[e.lower()]) for e in model.OPEN),
                 aprendices=int(r["aprendices"]), horas=int(r["horas"]))


def check_range(desde: date, hasta: date) -> None:
    errors = []
    if hasta < desde:
        errors.append(FieldError("hasta", "Hasta: no puede ser anterior a Desde."))
    elif (hasta - desde).days > MAX_DIAS:
        errors.append(FieldError("hasta", "Hasta: el rango no puede superar 10 años."))
    if errors:
        raise ValidationFailed(errors)


@checked
async def informe(pool: Pool, actor: Actor, desde: date | None = None,
                  hasta: date | None = None, centro_id: str | None = None, *,
                  now: datetime | None = None, top: int = TOP) -> Informe:
    """Every figure of the reports screen. `now` (naive UTC) is for tests."""
    now = now or utcnow()
    first, last = default_range(now)
    desde, hasta = desde or first, hasta or last
    check_range(desde, hasta)
    params = dict(desde=_utc(desde), hasta=_utc(hasta + timedelta(days=1)),
                  **model.sql_params())
    grupos: dict[str, list[Grupo]] = {"mes": [], "centro": [], "instructor": [],
                                      "programa": []}
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        scope = _scope(actor, centro_id)
        centro = summary_centro(actor, centro_id)
        espera_call = (AQ.informe_antiguedad, dict(centro=centro, **params, now=now))
        # Whole years hold the same solicitudes as the range (e.g. 1 January to today):
        # read the summaries; otherwise the figures, months and centros read the monthly and
        # daily summaries, the top instructors and programas the range's solicitudes.
        if await AQ.informe_sin_bordes(
                conn, a1=_utc(date(desde.year, 1, 1)), b1=params["desde"],
                a2=params["hasta"], b2=_utc(date(hasta.year + 1, 1, 1))):
            meses = dict(mes_desde=date(desde.year, desde.month, 1),
                         mes_hasta=(date(hasta.year, hasta.month, 1)
                                    + timedelta(days=32)).replace(day=1))
            resumen, filas, espera = await pipeline.run(
                conn, (AQ.informe_resumen_mensual, dict(centro=centro, **meses)),
                (AQ.informe_grupos_resumen, dict(centro=centro, **meses,
                                                 anio_desde=desde.year, anio_hasta=hasta.year,
                                                 limit=max(1, top))), espera_call)
            row = dict(resumen[0])
        else:
            partes, filas, espera = await pipeline.run(
                conn, (AQ.informe_resumen, dict(centro=centro, **_meses(desde, hasta),
                                                limit=max(1, top))),
                (AQ.informe_grupos, dict(**scope, **params, limit=max(1, top))), espera_call)
            row = next(r for r in partes if r["dim"] == "total")
            grupos["mes"] = [g for g in (_grupo(r) for r in partes if r["dim"] == "mes")
                             if g.total][-max(1, top):]
            grupos["centro"] = [_grupo(r) for r in partes if r["dim"] == "centro"]
    for r in filas:
        grupos[r["dim"]].append(Grupo(
            clave=r["clave"], codigo=r["codigo"], nombre=r["nombre"],
            **{k: int(r[k]) for k in ("total", "aprobadas", "rechazadas", "abiertas",
                                      "aprendices", "horas")}))
    # the last 31 days' open solicitudes by age; the older ones are the rest of the open total
    esperas = [int(espera[0][key]) for key, _label in ANTIGUEDAD[:-1]]
    esperas.append(sum(int(row[e.lower()]) for e in model.OPEN) - sum(esperas))
    respuesta = row["respuesta_dias"]
    return Informe(
        desde=desde, hasta=hasta, centro_id=scope["centro_filter"] or (
            actor.centro_id if actor.is_coordinador else None),
        por_estado={e: int(row[e.lower()]) for e in ESTADOS},
        respuesta_promedio_dias=float(respuesta) if respuesta is not None else None,
        aprendices_aprobados=int(row["aprendices"]), horas_aprobadas=int(row["horas"]),
        antiguedad=[(label, n) for (_key, label), n in zip(ANTIGUEDAD, esperas, strict=True)],
        por_mes=grupos["mes"], por_centro=grupos["centro"],
        por_instructor=grupos["instructor"], por_programa=grupos["programa"])
