"""The summary tables' share of the synthetic rows, added up while they are generated.

The load skips the summary triggers (session_replication_role = replica), so the summaries
would miss every synthetic row and post-apply.sql would rebuild them from a million rows.
Every row is known here, so its contribution is summed the way
complementarias.resumen_apply() sums it (per centro and Bogotá month of fechaSolicitud; per
Bogotá day and centro, drafts left out; per centro, programa or instructor and Bogotá year,
drafts left out; per instructor, Bogotá year and estado, drafts included) and added to the
tables in one statement each (the national totals per programa and instructor are the
yearly ones summed over the centros);
post-apply's stale check then compares them with a full count as after any load.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from tui.services.model import APROBADA, DRAFT, ESTADOS, OPEN, RECHAZADA
from tui.synthetic.rows import BOGOTA_OFFSET, DAY

_COLUMN: Final = {e: i for i, e in enumerate(ESTADOS)}
_DRAFT: Final = _COLUMN[DRAFT]
_APROBADA, _RECHAZADA = _COLUMN[APROBADA], _COLUMN[RECHAZADA]
_OPEN: Final = frozenset(_COLUMN[e] for e in OPEN)
# mensual and diario values: one count per estado, then aprendices, horas, resp_n, resp_dias
# (diario's draft count stays 0 and is not written)
_APRENDICES = len(ESTADOS)
_HORAS, _RESP_N, _RESP_DIAS = _APRENDICES + 1, _APRENDICES + 2, _APRENDICES + 3
# anual values: total, aprobadas, rechazadas, abiertas, aprendices, horas


class Resumen:
    """Deltas of complementarias.resumen_solicitudes, resumen_diario, resumen_anual,
    resumen_instructor (and, from resumen_anual's, resumen_nacional)."""

    def __init__(self) -> None:
        self.mensual: dict[tuple[str, str], list[float]] = {}
        self.diario: dict[tuple[str, str], list[float]] = {}
        self.anual: dict[tuple[str, str, str, int], list[int]] = {}
        self.instructor: dict[tuple[str, int, str], int] = {}
        # Bogotá day -> (first of its month, its year, the day)
        self._months: dict[int, tuple[str, int, str]] = {}

    def _month(self, seconds: int) -> tuple[str, int, str]:
        day = (seconds - BOGOTA_OFFSET) // DAY
        found = self._months.get(day)
        if found is None:
            d = datetime.fromtimestamp(day * DAY, UTC)
            found = self._months[day] = (f"{d.year:04d}-{d.month:02d}-01", d.year,
                                         f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
        return found

    def add(self, centro: str, programa: str, instructor: str, estado: str, fecha_solicitud: int,
            respuesta: int | None, aprendices: int, horas: int) -> None:
        """One solicitud; `respuesta` is its fechaRevision, else its fechaAprobacion (epoch
        seconds, whole seconds as stored)."""
        mes, anio, dia = self._month(fecha_solicitud)
        col = _COLUMN[estado]
        m = self.mensual.get((centro, mes))
        if m is None:
            m = self.mensual[(centro, mes)] = [0] * (_RESP_DIAS + 1)
        m[col] += 1
        approved = col == _APROBADA
        if approved:
            m[_APRENDICES] += aprendices
            m[_HORAS] += horas
        own = (instructor, anio, estado)
        self.instructor[own] = self.instructor.get(own, 0) + 1
        if estado == DRAFT:
            return
        d = self.diario.get((dia, centro))
        if d is None:
            d = self.diario[(dia, centro)] = [0] * (_RESP_DIAS + 1)
        d[col] += 1
        if approved:
            d[_APRENDICES] += aprendices
            d[_HORAS] += horas
        if respuesta is not None:
            dias = (respuesta - fecha_solicitud) / 86400.0
            m[_RESP_N] += 1
            m[_RESP_DIAS] += dias
            d[_RESP_N] += 1
            d[_RESP_DIAS] += dias
        for key in ((centro, "programa", programa, anio), (centro, "instructor", instructor, anio)):
            a = self.anual.get(key)
            if a is None:
                a = self.anual[key] = [0, 0, 0, 0, 0, 0]
            a[0] += 1
            if approved:
                a[1] += 1
                a[4] += aprendices
                a[5] += horas
            elif col == _RECHAZADA:
                a[2] += 1
            elif col in _OPEN:
                a[3] += 1

    def mensual_lines(self) -> list[str]:
        """COPY lines: centro_id, mes, the six estado counts, aprendices, horas, resp_n,
        resp_dias (in key order)."""
        return [f"{c}\t{mes}\t" + "\t".join(repr(v) if isinstance(v, float) else str(v)
                                             for v in values) + "\n"
                for (c, mes), values in sorted(self.mensual.items())]

    def diario_lines(self) -> list[str]:
        """COPY lines: dia, centro_id, the five counts of the sent estados, aprendices, horas,
        resp_n, resp_dias (in key order)."""
        return [f"{dia}\t{c}\t" + "\t".join(repr(v) if isinstance(v, float) else str(v)
                                              for i, v in enumerate(values) if i != _DRAFT)
                + "\n"
                for (dia, c), values in sorted(self.diario.items())]

    def anual_lines(self) -> list[str]:
        """COPY lines: centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas,
        aprendices, horas (in key order)."""
        return [f"{c}\t{dim}\t{clave}\t{anio}\t" + "\t".join(map(str, values)) + "\n"
                for (c, dim, clave, anio), values in sorted(self.anual.items())]

    def instructor_lines(self) -> list[str]:
        """COPY lines: instructor_id, anio, estado, n (in key order)."""
        return [f"{i}\t{anio}\t{estado}\t{n}\n"
                for (i, anio, estado), n in sorted(self.instructor.items())]
