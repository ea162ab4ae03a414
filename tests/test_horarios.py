"""Schedule rules: parsing, row validation, overlaps, the calculator, templates and generation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.services.horarios import (
    DIA_LABEL,
    DIAS,
    MAX_HORARIOS,
    PLANTILLAS,
    Horario,
    Resumen,
    calcular,
    generar,
    parse_hora,
    plantilla,
    validate_horarios,
)
from tui.services.validation import FieldError

from .conftest import examples

MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)


def h(dia: str, inicio: str, fin: str, fecha: date | None = None, **kw: object) -> Horario:
    return Horario(dia, inicio, fin, fecha, **kw)  # type: ignore[arg-type]


def fields(errors: list[FieldError]) -> list[str]:
    return [error.field for error in errors]


# --- days and times ------------------------------------------------------------------------


def test_dias_follow_python_weekdays() -> None:
    for offset in range(7):
        day = MONDAY + timedelta(days=offset)
        assert DIAS[day.weekday()] == DIAS[offset]
    assert DIAS[FRIDAY.weekday()] == "VIERNES"
    assert [DIA_LABEL[d] for d in DIAS] == [
        "Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("00:00", time(0, 0)), ("08:30", time(8, 30)), ("23:59", time(23, 59)), ("22:00", time(22))],
)
def test_parse_hora_accepts_strict_hh_mm(text: str, expected: time) -> None:
    assert parse_hora(text) == expected


@pytest.mark.parametrize(
    "text", ["8:00", "24:00", "12:60", "08:00 ", " 08:00", "0800", "", "08:0a", "08-00",
             "０８:００", "08:00:00", None, 8, 8.0],
)  # fmt: skip
def test_parse_hora_rejects_everything_else(text: object) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hora(text)  # type: ignore[arg-type]


def test_horas_property() -> None:
    assert h("LUNES", "08:00", "12:30").horas == 4.5
    assert h("LUNES", "18:00", "22:00").horas == 4.0
    assert h("LUNES", "12:00", "08:00").horas == 0.0
    assert h("LUNES", "8:00", "12:00").horas == 0.0


def test_from_mapping_reads_camel_case_db_rows() -> None:
    row = {
        "diaSemana": "MARTES",
        "horaInicio": "08:00",
        "horaFin": "12:00",
        "fecha": datetime(2026, 3, 3, 0, 0),
        "esFlexible": False,
        "observaciones": "Sala 2",
    }
    assert Horario.from_mapping(row) == Horario(
        "MARTES", "08:00", "12:00", date(2026, 3, 3), False, "Sala 2"
    )
    assert Horario.from_mapping({"diaSemana": "LUNES"}).es_flexible is True


# --- validation ----------------------------------------------------------------------------


def test_valid_rows_have_no_errors() -> None:
    rows = [
        h("LUNES", "06:00", "22:00"),
        h("MARTES", "08:00", "12:00", date(2026, 3, 3)),
        h("MARTES", "14:00", "18:00", observaciones="Línea 1\nLínea 2\tfin"),
    ]
    assert validate_horarios(rows) == []


def test_weekday_mismatch_message() -> None:
    errors = validate_horarios([h("LUNES", "08:00", "12:00", date(2026, 3, 3))])
    assert errors == [
        FieldError("horarios[0].fecha", "Horario 1: la fecha 03/03/2026 es martes, no lunes")
    ]
    errors = validate_horarios([h("DOMINGO", "08:00", "12:00", date(2026, 3, 4))])
    assert errors[0].message == "Horario 1: la fecha 04/03/2026 es miércoles, no domingo"


def test_datetime_fecha_is_accepted() -> None:
    assert validate_horarios([h("MARTES", "08:00", "12:00", datetime(2026, 3, 3, 5))]) == []


def test_start_must_precede_end_and_row_numbers_are_one_based() -> None:
    rows = [
        h("LUNES", "08:00", "10:00"),
        h("MARTES", "08:00", "10:00"),
        h("MIERCOLES", "08:00", "10:00"),
        h("JUEVES", "12:00", "12:00"),
    ]
    assert validate_horarios(rows) == [FieldError(
        "horarios[3].horaInicio", "Horario 4: la hora de inicio debe ser anterior a la hora de fin"
    )]  # fmt: skip


@pytest.mark.parametrize(
    ("inicio", "fin", "field", "fragment"),
    [("05:59", "08:00", "horaInicio", "anterior a las 06:00"),
     ("20:00", "22:01", "horaFin", "posterior a las 22:00"),
     ("8:00", "12:00", "horaInicio", "formato HH:MM"),
     ("08:00", "25:00", "horaFin", "formato HH:MM"),
     (None, "12:00", "horaInicio", "formato HH:MM")],
)  # fmt: skip
def test_time_limits(inicio: str, fin: str, field: str, fragment: str) -> None:
    errors = validate_horarios([h("LUNES", inicio, fin)])
    assert fields(errors) == [f"horarios[0].{field}"]
    assert fragment in errors[0].message and errors[0].message.startswith("Horario 1: ")


@pytest.mark.parametrize(
    ("row", "field"),
    [(h("lunes", "08:00", "12:00"), "diaSemana"),
     (h("FERIADO", "08:00", "12:00"), "diaSemana"),
     (h("LUNES", "08:00", "12:00", "2026-03-02"), "fecha"),  # type: ignore[arg-type]
     (h("LUNES", "08:00", "12:00", es_flexible="sí"), "esFlexible"),
     (h("LUNES", "08:00", "12:00", observaciones="x" * 501), "observaciones"),
     (h("LUNES", "08:00", "12:00", observaciones="a\x00b"), "observaciones"),
     (h("LUNES", "08:00", "12:00", observaciones=5), "observaciones")],
)  # fmt: skip
def test_single_field_problems(row: Horario, field: str) -> None:
    assert fields(validate_horarios([row])) == [f"horarios[0].{field}"]


def test_observaciones_limit_is_inclusive() -> None:
    assert validate_horarios([h("LUNES", "08:00", "12:00", observaciones="x" * 500)]) == []


def test_overlapping_weekly_rows() -> None:
    rows = [
        h("LUNES", "08:00", "12:00"),
        h("MARTES", "10:00", "14:00"),
        h("LUNES", "11:00", "13:00"),
    ]
    errors = validate_horarios(rows)
    assert fields(errors) == ["horarios[2].horaInicio"]
    assert errors[0].message == "Horario 3: se cruza con el horario 1 (cada lunes, 08:00–12:00)"


def test_overlapping_dated_rows_and_touching_rows() -> None:
    day = date(2026, 3, 3)
    rows = [
        h("MARTES", "08:00", "12:00", day),
        h("MARTES", "12:00", "16:00", day),
        h("MARTES", "15:00", "17:00", day),
        h("MARTES", "15:00", "17:00", day + timedelta(7)),
    ]
    errors = validate_horarios(rows)
    assert fields(errors) == ["horarios[2].horaInicio"]
    assert "horario 2 (el martes 2026-03-03, 12:00–16:00)" in errors[0].message


def test_dated_and_weekly_rows_are_not_compared() -> None:
    # A dated session is an extra session; only rows of the same kind can collide.
    rows = [h("MARTES", "08:00", "12:00"), h("MARTES", "08:00", "12:00", date(2026, 3, 3))]
    assert validate_horarios(rows) == []


def test_periodo_bounds_dated_rows() -> None:
    periodo = (date(2026, 3, 2), date(2026, 3, 13))
    rows = [
        h("LUNES", "08:00", "12:00", date(2026, 3, 2)),
        h("VIERNES", "08:00", "12:00", date(2026, 3, 13)),
        h("LUNES", "08:00", "12:00", date(2026, 3, 16)),
        h("LUNES", "14:00", "18:00"),
    ]
    errors = validate_horarios(rows, periodo)
    assert fields(errors) == ["horarios[2].fecha"]
    assert "fuera del periodo del curso (02/03/2026 a 13/03/2026)" in errors[0].message


def test_container_problems() -> None:
    assert fields(validate_horarios("LUNES")) == ["horarios"]  # type: ignore[arg-type]
    assert fields(validate_horarios(None)) == ["horarios"]  # type: ignore[arg-type]
    too_many = [h("LUNES", "08:00", "09:00")] * (MAX_HORARIOS + 1)
    assert fields(validate_horarios(too_many)) == ["horarios"]
    assert fields(validate_horarios([h("LUNES", "08:00", "09:00"), 42])) == ["horarios[1]"]


def test_mapping_rows_are_validated_too() -> None:
    row = {
        "diaSemana": "LUNES",
        "horaInicio": "08:00",
        "horaFin": "12:00",
        "fecha": datetime(2026, 3, 3),
    }
    assert fields(validate_horarios([row])) == ["horarios[0].fecha"]


# --- templates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "dias", "inicio", "fin"),
    [("manana", DIAS[:5], "08:00", "12:00"), ("tarde", DIAS[:5], "14:00", "18:00"),
     ("fin_de_semana", ("SABADO", "DOMINGO"), "08:00", "16:00"),
     ("nocturno", ("LUNES", "MIERCOLES", "VIERNES"), "18:00", "22:00")],
)  # fmt: skip
def test_templates(key: str, dias: tuple[str, ...], inicio: str, fin: str) -> None:
    rows = plantilla(key)
    assert tuple(r.dia_semana for r in rows) == dias
    assert all(
        (r.hora_inicio, r.hora_fin, r.fecha, r.es_flexible) == (inicio, fin, None, True)
        for r in rows
    )
    assert validate_horarios(rows) == []
    assert PLANTILLAS[key][0][0].isupper()
    rows.clear()
    assert len(plantilla(key)) == len(dias)  # every call returns a fresh list


def test_unknown_template() -> None:
    with pytest.raises(ValueError, match="Plantilla desconocida"):
        plantilla("madrugada")


# --- generar -------------------------------------------------------------------------------


def test_generar_30_hours_from_a_friday() -> None:
    rows = generar(FRIDAY, 30)
    assert [r.fecha for r in rows] == [date(2026, 3, d) for d in (6, 9, 10, 11, 12, 13, 16, 17)]
    assert [r.dia_semana for r in rows[:3]] == ["VIERNES", "LUNES", "MARTES"]
    assert all((r.hora_inicio, r.hora_fin) == ("08:00", "12:00") for r in rows[:7])
    assert (rows[-1].hora_inicio, rows[-1].hora_fin) == ("08:00", "10:00")
    assert sum(r.horas for r in rows) == 30
    assert validate_horarios(rows) == []


def test_generar_40_hours_from_a_friday() -> None:
    rows = generar(FRIDAY, 40)
    assert len(rows) == 10
    assert [r.fecha.day for r in rows if r.fecha] == [6, 9, 10, 11, 12, 13, 16, 17, 18, 19]
    assert rows[-1] == Horario("JUEVES", "08:00", "12:00", date(2026, 3, 19))


def test_generar_skips_a_weekend_start_and_honours_options() -> None:
    rows = generar(date(2026, 3, 7), 7, bloque_horas=3, hora_inicio="14:00")
    assert [(r.fecha, r.hora_inicio, r.hora_fin) for r in rows] == [
        (date(2026, 3, 9), "14:00", "17:00"), (date(2026, 3, 10), "14:00", "17:00"),
        (date(2026, 3, 11), "14:00", "15:00")]  # fmt: skip


def test_generar_guards() -> None:
    assert generar(MONDAY, 0) == [] and generar(MONDAY, -8) == []
    assert len(generar(MONDAY, 100_000)) == MAX_HORARIOS
    with pytest.raises(ValueError, match="no cabe"):
        generar(MONDAY, 8, hora_inicio="19:00")
    with pytest.raises(ValueError, match="no cabe"):
        generar(MONDAY, 8, hora_inicio="05:00")
    with pytest.raises(ValueError, match="al menos una hora"):
        generar(MONDAY, 8, bloque_horas=0)
    assert generar(date.max - timedelta(days=2), 40)  # stops at date.max instead of crashing


# --- calcular ------------------------------------------------------------------------------


def test_calcular_morning_template() -> None:
    assert calcular(plantilla("manana"), 40, MONDAY) == Resumen(
        20.0, 20.0, 50.0, 2, date(2026, 3, 13)
    )
    # Starting on a Wednesday: 4+4+4 | 20 | 4+4 → Tuesday of the third week.
    assert calcular(plantilla("manana"), 40, date(2026, 3, 4)).fecha_fin_estimada == date(
        2026, 3, 17
    )


def test_calcular_nocturno() -> None:
    # 12 h a week (L/X/V 4 h); 30 h need ceil(30/12) = 3 weeks: 4,8,12 | 16,20,24 | 28,32.
    assert calcular(plantilla("nocturno"), 30, MONDAY) == Resumen(
        12.0, 18.0, 40.0, 3, date(2026, 3, 18)
    )


def test_calcular_generated_rows() -> None:
    rows = generar(FRIDAY, 30)
    # Dated rows count once; they span the weeks of Mar 2, Mar 9 and Mar 16.
    assert calcular(rows, 30, FRIDAY) == Resumen(30.0, 0.0, 100.0, 3, date(2026, 3, 17))


def test_calcular_mixed_rows() -> None:
    rows = [h("LUNES", "08:00", "12:00"), h("MIERCOLES", "08:00", "14:00", date(2026, 3, 4))]
    result = calcular(rows, 14, MONDAY)
    assert (result.total_horas, result.horas_faltantes) == (10.0, 4.0)
    assert result.porcentaje == pytest.approx(100 * 10 / 14)
    assert result.semanas == 2  # ceil((14 - 6) / 4)
    assert result.fecha_fin_estimada == date(2026, 3, 9)  # Mon 4, Wed +6, Mon +4 = 14


def test_calcular_caps_and_missing_inputs() -> None:
    many = generar(MONDAY, 60)
    assert calcular(many, 40, MONDAY).porcentaje == 100.0
    assert calcular(many, 40, MONDAY).horas_faltantes == 0.0
    assert calcular(plantilla("tarde"), None, MONDAY) == Resumen(20.0, 0.0, 0.0, 0, None)
    assert calcular(plantilla("tarde"), 40, None).fecha_fin_estimada is None
    assert calcular([], 40, MONDAY) == Resumen(0.0, 40.0, 0.0, 0, None)
    assert calcular(plantilla("tarde"), True, MONDAY).porcentaje == 0.0  # bool is not a number


def test_calcular_end_date_needs_enough_hours() -> None:
    dated = [h("LUNES", "08:00", "12:00", MONDAY), h("MARTES", "08:00", "12:00", date(2026, 3, 3))]
    assert calcular(dated, 40, MONDAY).fecha_fin_estimada is None  # only 8 of 40 h
    assert calcular(dated, 8, MONDAY).fecha_fin_estimada == date(2026, 3, 3)
    assert calcular(dated, 4, date(2026, 3, 3)).fecha_fin_estimada == date(2026, 3, 3)
    assert calcular(dated, 8, date(2026, 3, 3)).fecha_fin_estimada is None  # Monday is before
    assert calcular(plantilla("manana"), 2_000_000, MONDAY).fecha_fin_estimada is None


def test_calcular_ignores_invalid_rows_and_reads_mappings() -> None:
    rows = [
        h("LUNES", "8:00", "12:00"),
        h("NADA", "08:00", "12:00"),
        h("LUNES", "12:00", "08:00"),
        {"diaSemana": "VIERNES", "horaInicio": "08:00", "horaFin": "10:30"},
        "basura",
    ]
    assert calcular(rows, 10, MONDAY).total_horas == 2.5  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------------

anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
)
hora = st.one_of(
    st.sampled_from(["06:00", "08:00", "12:00", "13:30", "18:00", "22:00"]),
    st.from_regex(r"[0-2][0-9]:[0-5][0-9]", fullmatch=True),
    anything,
)
horario = st.builds(
    Horario,
    dia_semana=st.one_of(st.sampled_from(DIAS), anything),
    hora_inicio=hora,
    hora_fin=hora,
    fecha=st.one_of(st.none(), st.dates(), anything),
    es_flexible=anything,
    observaciones=st.one_of(st.none(), st.text(), anything),
)
row = st.one_of(
    horario,
    anything,
    st.dictionaries(
        st.sampled_from(
            ["diaSemana", "horaInicio", "horaFin", "fecha", "esFlexible", "observaciones"]
        ),
        anything,
    ),
)


@settings(max_examples=examples(300), deadline=None)
@given(rows=st.lists(row, max_size=12), duracion=anything, inicio=anything)
def test_random_rows_never_raise(rows: list[object], duracion: object, inicio: object) -> None:
    errors = validate_horarios(rows)  # type: ignore[arg-type]
    assert isinstance(errors, list) and all(isinstance(e, FieldError) for e in errors)
    assert all(e.field.startswith("horarios") and e.message for e in errors)
    result = calcular(rows, duracion, inicio)  # type: ignore[arg-type]
    assert 0 <= result.porcentaje <= 100 and result.horas_faltantes >= 0 and result.semanas >= 0


@settings(max_examples=examples(100), deadline=None)
@given(start=st.dates(date(2000, 1, 1), date(2090, 1, 1)), hours=st.integers(1, 600))
def test_generar_covers_the_duration(start: date, hours: int) -> None:
    rows = generar(start, hours)
    assert sum(r.horas for r in rows) == hours
    assert all(r.fecha and r.fecha.weekday() < 5 and r.fecha >= start for r in rows)
    assert [r.fecha for r in rows] == sorted({r.fecha for r in rows})  # type: ignore[type-var]
    assert validate_horarios(rows) == []
    result = calcular(rows, hours, start)
    assert (result.total_horas, result.porcentaje) == (hours, 100.0)
    assert result.fecha_fin_estimada == rows[-1].fecha
