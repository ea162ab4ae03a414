"""Schedule (horarios) rules: validation, the live hours calculator, templates and generation.

Times are "HH:MM" text, as stored in ``horarios_detallados``. A row with a ``fecha`` is a single
session on that date; a row without one repeats every week on its ``dia_semana``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, Final

from tui.services.checks import INT_MAX, FieldError, as_date, has_forbidden_chars

DIAS: Final = ("LUNES", "MARTES", "MIERCOLES", "JUEVES", "VIERNES", "SABADO", "DOMINGO")
DIA_LABEL: Final[dict[str, str]] = {
    "LUNES": "Lunes", "MARTES": "Martes", "MIERCOLES": "Miércoles", "JUEVES": "Jueves",
    "VIERNES": "Viernes", "SABADO": "Sábado", "DOMINGO": "Domingo",
}  # fmt: skip
HORA_MIN: Final = "06:00"
HORA_MAX: Final = "22:00"
MAX_HORARIOS: Final = 500
MAX_OBSERVACIONES: Final = 500
MAX_DIAS_ESTIMACION: Final = 3660  # the end-date estimate gives up after ~10 years
_LOW, _HIGH = 6 * 60, 22 * 60  # HORA_MIN and HORA_MAX in minutes
_HORA_RE = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_BAD_ROW = "los datos no tienen un formato válido"


@dataclass(frozen=True)
class Horario:
    """One schedule row; ``fecha`` None means it repeats weekly on ``dia_semana``."""

    dia_semana: str
    hora_inicio: str
    hora_fin: str
    fecha: date | None = None
    es_flexible: bool = True
    observaciones: str | None = None

    @property
    def horas(self) -> float:
        """Length in hours; 0.0 when the times are invalid or not in order."""
        return _minutes(self) / 60

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> Horario:
        """Build from a DB/form row with camelCase (or snake_case) keys; values are not checked."""

        def get(camel: str, snake: str, default: Any = None) -> Any:
            return row.get(camel, row.get(snake, default))

        fecha = get("fecha", "fecha")
        return cls(
            dia_semana=get("diaSemana", "dia_semana"),
            hora_inicio=get("horaInicio", "hora_inicio"),
            hora_fin=get("horaFin", "hora_fin"),
            fecha=fecha.date() if isinstance(fecha, datetime) else fecha,
            es_flexible=get("esFlexible", "es_flexible", True),
            observaciones=get("observaciones", "observaciones"),
        )


@dataclass(frozen=True)
class Resumen:
    """What the live calculator shows; a suggestion that never overwrites typed dates."""

    total_horas: float
    horas_faltantes: float
    porcentaje: float
    semanas: int
    fecha_fin_estimada: date | None


def parse_hora(text: object) -> time:
    """Parse strict "HH:MM" (00:00–23:59, two digits each); raise ValueError otherwise."""
    match = _HORA_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"Hora no válida: {text!r} (use el formato HH:MM)")
    return time(int(match[1]), int(match[2]))


def _to_minutes(text: object) -> int | None:
    try:
        parsed = parse_hora(text)
    except ValueError:
        return None
    return parsed.hour * 60 + parsed.minute


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(row: Horario) -> int:
    start, end = _to_minutes(row.hora_inicio), _to_minutes(row.hora_fin)
    return end - start if start is not None and end is not None and end > start else 0


def _coerce(row: object) -> Horario | None:
    if isinstance(row, Horario):
        return row
    return Horario.from_mapping(row) if isinstance(row, Mapping) else None


def _rows(rows: object) -> list[Horario]:
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        return []
    return [h for h in map(_coerce, rows) if h is not None]


def _err(index: int, field: str | None, text: str) -> FieldError:
    name = f"horarios[{index}]" + (f".{field}" if field else "")
    return FieldError(name, f"Horario {index + 1}: {text}")


def _row_errors(index: int, h: Horario, periodo: tuple[date, date] | None) -> list[FieldError]:
    errors: list[FieldError] = []

    def add(field: str, text: str) -> None:
        errors.append(_err(index, field, text))

    dia_ok = isinstance(h.dia_semana, str) and h.dia_semana in DIAS
    if not dia_ok:
        add("diaSemana", "el día de la semana no es válido")
    fecha = as_date(h.fecha)
    if h.fecha is not None and fecha is None:
        add("fecha", "la fecha no es válida")
    elif fecha is not None:
        real = DIAS[fecha.weekday()]
        if dia_ok and real != h.dia_semana:
            wrong = DIA_LABEL[h.dia_semana].lower()
            add("fecha", f"la fecha {fecha:%d/%m/%Y} es {DIA_LABEL[real].lower()}, no {wrong}")
        if periodo and not periodo[0] <= fecha <= periodo[1]:
            a, b = periodo
            add("fecha", f"la fecha {fecha:%d/%m/%Y} está fuera del periodo del curso "
                         f"({a:%d/%m/%Y} a {b:%d/%m/%Y})")
    start, end = _to_minutes(h.hora_inicio), _to_minutes(h.hora_fin)
    if start is None:
        add("horaInicio", "la hora de inicio debe tener el formato HH:MM (por ejemplo 08:00)")
    elif start < _LOW:
        add("horaInicio", f"la hora de inicio no puede ser anterior a las {HORA_MIN}")
    if end is None:
        add("horaFin", "la hora de fin debe tener el formato HH:MM (por ejemplo 12:00)")
    elif end > _HIGH:
        add("horaFin", f"la hora de fin no puede ser posterior a las {HORA_MAX}")
    if start is not None and end is not None and start >= end:
        add("horaInicio", "la hora de inicio debe ser anterior a la hora de fin")
    if not isinstance(h.es_flexible, bool):
        add("esFlexible", "el campo «flexible» debe ser sí o no")
    obs = h.observaciones
    if obs is not None and not isinstance(obs, str):
        add("observaciones", "las observaciones deben ser texto")
    elif obs is not None and len(obs) > MAX_OBSERVACIONES:
        add("observaciones", f"las observaciones no pueden superar {MAX_OBSERVACIONES} caracteres")
    elif obs is not None and has_forbidden_chars(obs):
        add("observaciones", "las observaciones contienen caracteres no permitidos")
    return errors


def _slot_key(h: Horario) -> tuple[str, object] | None:
    fecha = as_date(h.fecha)
    if fecha is not None:
        return ("fecha", fecha)
    if h.fecha is None and isinstance(h.dia_semana, str) and h.dia_semana in DIAS:
        return ("dia", h.dia_semana)
    return None


def _describe(key: tuple[str, object]) -> str:
    kind, value = key
    if kind == "fecha" and isinstance(value, date):
        return f"el {DIA_LABEL[DIAS[value.weekday()]].lower()} {value}"
    return f"cada {DIA_LABEL[str(value)].lower()}"


def validate_horarios(
    rows: Sequence[Horario], periodo: tuple[date, date] | None = None
) -> list[FieldError]:
    """Check every row (day, date/weekday match, times, limits) and overlaps between rows.

    Overlaps are looked for among dated rows of the same date and among weekly rows of the
    same weekday. ``periodo`` (course start, course end) also bounds the dated rows.
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence):
        return [FieldError("horarios", f"Horarios: {_BAD_ROW}")]
    if len(rows) > MAX_HORARIOS:
        return [FieldError("horarios", f"Horarios: se admiten como máximo {MAX_HORARIOS} horarios")]
    errors: list[FieldError] = []
    slots: dict[tuple[str, object], list[tuple[int, int, int]]] = {}
    for index, row in enumerate(rows):
        h = _coerce(row)
        if h is None:
            errors.append(_err(index, None, _BAD_ROW))
            continue
        errors += _row_errors(index, h, periodo)
        start, end, key = _to_minutes(h.hora_inicio), _to_minutes(h.hora_fin), _slot_key(h)
        if start is None or end is None or start >= end or key is None:
            continue
        for other, o_start, o_end in slots.get(key, []):
            if start < o_end and o_start < end:
                when = f"{_describe(key)}, {_fmt(o_start)}–{_fmt(o_end)}"
                errors.append(
                    _err(index, "horaInicio", f"se cruza con el horario {other + 1} ({when})")
                )
                break
        slots.setdefault(key, []).append((index, start, end))
    return errors


def _positive_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= INT_MAX:
        return value
    return None


def _estimate_end(start: date, need: int, weekly: list[int], dated: dict[date, int]) -> date | None:
    acc, last_dated = 0, max((d for d in dated if d >= start), default=None)
    try:
        for offset in range(MAX_DIAS_ESTIMACION):
            day = start + timedelta(days=offset)
            acc += weekly[day.weekday()] + dated.get(day, 0)
            if acc >= need:
                return day
            if not any(weekly) and (last_dated is None or day >= last_dated):
                return None
    except OverflowError:
        return None
    return None


def calcular(
    rows: Sequence[Horario], duracion_maxima: int | None, fecha_inicio: date | None
) -> Resumen:
    """Totals for the live calculator; invalid rows (bad times or day) count as zero hours.

    total_horas = hours of dated rows (each once) + one week of the weekly rows. semanas is
    ceil((duración − dated hours) / weekly hours), and at least the calendar weeks the dated rows
    span. The end date walks forward from ``fecha_inicio`` until the duration is covered.
    """
    weekly, dated = [0] * 7, dict[date, int]()
    for h in _rows(rows):
        minutes, fecha = _minutes(h), as_date(h.fecha)
        if minutes and fecha is not None:
            dated[fecha] = dated.get(fecha, 0) + minutes
        elif minutes and h.fecha is None and isinstance(h.dia_semana, str) and h.dia_semana in DIAS:
            weekly[DIAS.index(h.dia_semana)] += minutes
    weekly_min, dated_min = sum(weekly), sum(dated.values())
    total = weekly_min + dated_min
    duracion = _positive_int(duracion_maxima)
    semanas = 0
    if dated:
        first, last = min(dated), max(dated)
        semanas = (last.toordinal() - last.weekday() - first.toordinal() + first.weekday()) // 7 + 1
    if duracion and weekly_min:
        semanas = max(semanas, -(-max(0, duracion * 60 - dated_min) // weekly_min))
    start = as_date(fecha_inicio)
    end = None
    if start and duracion and total:
        end = _estimate_end(start, duracion * 60, weekly, dated)
    return Resumen(
        total_horas=total / 60,
        horas_faltantes=max(0.0, duracion - total / 60) if duracion else 0.0,
        porcentaje=min(100.0, total / 60 / duracion * 100) if duracion else 0.0,
        semanas=semanas,
        fecha_fin_estimada=end,
    )


def _semanal(dias: Sequence[str], inicio: str, fin: str) -> list[Horario]:
    return [Horario(dia_semana=dia, hora_inicio=inicio, hora_fin=fin) for dia in dias]


_LV = DIAS[:5]
PLANTILLAS: Final[dict[str, tuple[str, Callable[[], list[Horario]]]]] = {
    "manana": ("Mañana (lunes a viernes, 08:00–12:00)", partial(_semanal, _LV, "08:00", "12:00")),
    "tarde": ("Tarde (lunes a viernes, 14:00–18:00)", partial(_semanal, _LV, "14:00", "18:00")),
    "fin_de_semana": (
        "Fin de semana (sábado y domingo, 08:00–16:00)",
        partial(_semanal, DIAS[5:], "08:00", "16:00"),
    ),
    "nocturno": (
        "Nocturno (lunes, miércoles y viernes, 18:00–22:00)",
        partial(_semanal, ("LUNES", "MIERCOLES", "VIERNES"), "18:00", "22:00"),
    ),
}


def plantilla(plantilla_id: str) -> list[Horario]:
    """Weekly rows (no fecha) of a template; ValueError for an unknown id."""
    if plantilla_id not in PLANTILLAS:
        raise ValueError(f"Plantilla desconocida: {plantilla_id}")
    return PLANTILLAS[plantilla_id][1]()


def generar(
    fecha_inicio: date, duracion_horas: int, bloque_horas: int = 4, hora_inicio: str = "08:00"
) -> list[Horario]:
    """Dated weekday blocks from ``fecha_inicio`` (weekends skipped) until the hours are covered.

    The last block may be shorter; at most MAX_HORARIOS rows. ValueError (Spanish) when the
    block does not fit between 06:00 and 22:00.
    """
    if _positive_int(duracion_horas) is None:
        return []
    start = _to_minutes(hora_inicio)
    if _positive_int(bloque_horas) is None:
        raise ValueError("El bloque debe ser de al menos una hora")
    if start is None or start < _LOW or start + bloque_horas * 60 > _HIGH:
        raise ValueError(
            f"Un bloque de {bloque_horas} h desde las {hora_inicio} no cabe "
            f"entre las {HORA_MIN} y las {HORA_MAX}"
        )
    day, remaining, rows = as_date(fecha_inicio), duracion_horas, list[Horario]()
    if day is None:
        raise ValueError("La fecha de inicio no es válida")
    try:
        while remaining > 0 and len(rows) < MAX_HORARIOS:
            if day.weekday() < 5:
                hours = min(bloque_horas, remaining)
                end = _fmt(start + hours * 60)
                rows.append(Horario(DIAS[day.weekday()], hora_inicio, end, day))
                remaining -= hours
            day += timedelta(days=1)
    except OverflowError:  # ran past date.max
        pass
    return rows
