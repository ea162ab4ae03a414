"""Solicitud validation (draft and submit), institutional e-mails and the password policy."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.services.horarios import DIAS, Horario, generar, plantilla
from tui.services.validation import (
    DATE_FIELDS,
    DECLARATION_FIELDS,
    FIELD_LABELS,
    FLAG_FIELDS,
    INT_FIELDS,
    MAX_LENGTHS,
    REQUIRED_FIELDS,
    FieldError,
    ValidationFailed,
    institutional_email,
    password_policy,
    validate_draft,
    validate_submit,
)

from .conftest import examples

# Every form field of SCHEMA.md 4.7 (the solicitud columns the user fills in).
FORM_FIELDS = {
    "programaId", "fechaCaracterizacion", "responsableNombre", "responsableCedula",
    "responsableEmail", "codigoPrograma", "versionPrograma", "duracionMaxima", "cupoMaximo",
    "numeroAprendicesInscribir", "modalidad", "municipio", "departamento", "nombreEmpresa",
    "nitEmpresa", "codigoEmpresa", "representanteLegal", "fechaCreacionEmpresa",
    "direccionEmpresa", "telefonosEmpresa", "lugarFormacion", "tipoAmbiente", *FLAG_FIELDS,
    "otroEspecificar", "inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso",
    "fechaFinalizacionCurso", "justificacion", "objetivosPersonalizados", "resultadosEsperados",
    "observaciones", *DECLARATION_FIELDS,
}  # fmt: skip
HORARIOS = plantilla("manana")


def valid() -> dict[str, Any]:
    return {
        "programaId": "cm0programa0000000000001", "fechaCaracterizacion": date(2026, 2, 1),
        "responsableNombre": "Carlos Rodríguez Pérez", "responsableCedula": "1098765432",
        "responsableEmail": "carlos.rodriguez@sena.edu.co", "codigoPrograma": "CF-001-2024",
        "versionPrograma": "1", "duracionMaxima": 40, "cupoMaximo": 30,
        "numeroAprendicesInscribir": 30, "modalidad": "PRESENCIAL", "municipio": "Bucaramanga",
        "departamento": "Santander", "nombreEmpresa": "Cooperativa Agraria del Oriente",
        "nitEmpresa": "900.123.456-7", "codigoEmpresa": "", "representanteLegal": "Ana Díaz",
        "fechaCreacionEmpresa": None, "direccionEmpresa": "Calle 45 # 12-30",
        "telefonosEmpresa": "607 6341234", "lugarFormacion": "Sede principal",
        "tipoAmbiente": "AULA", **dict.fromkeys(FLAG_FIELDS, False), "posconflicto": True,
        "otroEspecificar": "", "inicioInscripcion": date(2026, 2, 10),
        "finalizacionInscripcion": date(2026, 2, 20), "fechaInicioCurso": date(2026, 3, 2),
        "fechaFinalizacionCurso": datetime(2026, 3, 13, 23, 59),
        "justificacion": "La empresa necesita formar a su personal.\n\tSegundo párrafo.",
        "objetivosPersonalizados": ["Usar tablas dinámicas", ""], "resultadosEsperados": None,
        "observaciones": "", **dict.fromkeys(DECLARATION_FIELDS, True),
    }  # fmt: skip


def fields(errors: list[FieldError]) -> list[str]:
    return [error.field for error in errors]


def submit_with(**changes: Any) -> list[FieldError]:
    return validate_submit({**valid(), **changes}, HORARIOS)


# --- types and labels ----------------------------------------------------------------------


def test_field_error_is_frozen_and_validation_failed_joins_messages() -> None:
    error = FieldError("nombreEmpresa", "Nombre de la empresa: es obligatorio")
    with pytest.raises(dataclasses.FrozenInstanceError):
        error.field = "x"  # type: ignore[misc]
    failure = ValidationFailed([error, FieldError("cupoMaximo", "Cupo máximo: es obligatorio")])
    assert failure.errors[0] is error and isinstance(failure.errors, tuple)
    assert str(failure) == "Nombre de la empresa: es obligatorio\nCupo máximo: es obligatorio"


def test_every_form_field_has_a_spanish_label() -> None:
    assert set(FIELD_LABELS) >= FORM_FIELDS
    assert set(REQUIRED_FIELDS) | set(MAX_LENGTHS) | set(INT_FIELDS) | set(DATE_FIELDS) <= set(
        FIELD_LABELS
    )
    assert FIELD_LABELS["nombreEmpresa"] == "Nombre de la empresa"
    assert FIELD_LABELS["numeroAprendicesInscribir"] == "Número de aprendices a inscribir"
    assert FIELD_LABELS["fechaInicioCurso"] == "Fecha de inicio del curso"


def test_max_lengths() -> None:
    assert MAX_LENGTHS["responsableCedula"] == 20 and MAX_LENGTHS["nitEmpresa"] == 30
    assert MAX_LENGTHS["nombreEmpresa"] == MAX_LENGTHS["responsableEmail"] == 200
    assert MAX_LENGTHS["justificacion"] == MAX_LENGTHS["observaciones"] == 5000
    assert MAX_LENGTHS["otroEspecificar"] == 500


# --- submit --------------------------------------------------------------------------------


def test_complete_solicitud_is_valid() -> None:
    assert validate_submit(valid(), HORARIOS) == []
    assert validate_draft(valid()) == []
    assert validate_submit(valid(), generar(date(2026, 3, 2), 40)) == []


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_each_required_field(field: str, blank: object) -> None:
    errors = submit_with(**{field: blank})
    assert errors == [FieldError(field, f"{FIELD_LABELS[field]}: es obligatorio")]


def test_missing_key_counts_as_missing() -> None:
    data = valid()
    del data["nombreEmpresa"]
    assert validate_submit(data, HORARIOS) == [
        FieldError("nombreEmpresa", "Nombre de la empresa: es obligatorio")
    ]


BREAKAGES: list[tuple[dict[str, Any], str, str]] = [
    ({"duracionMaxima": 0}, "duracionMaxima", "mayor que cero"),
    ({"duracionMaxima": -5}, "duracionMaxima", "negativo"),
    ({"duracionMaxima": True}, "duracionMaxima", "número entero"),
    ({"duracionMaxima": "40.5"}, "duracionMaxima", "número entero"),
    ({"duracionMaxima": 40.0}, "duracionMaxima", "número entero"),
    ({"cupoMaximo": "treinta"}, "cupoMaximo", "número entero"),
    ({"cupoMaximo": 2**31}, "cupoMaximo", "demasiado grande"),
    ({"numeroAprendicesInscribir": 31}, "numeroAprendicesInscribir", "cupo máximo (30)"),
    ({"numeroAprendicesInscribir": "0"}, "numeroAprendicesInscribir", "mayor que cero"),
    ({"finalizacionInscripcion": date(2026, 2, 9)}, "finalizacionInscripcion",
     "anterior al inicio de inscripción (2026-02-10)"),
    ({"fechaInicioCurso": date(2026, 2, 19)}, "fechaInicioCurso",
     "anterior a la finalización de inscripción (2026-02-20)"),
    ({"fechaFinalizacionCurso": date(2026, 3, 1)}, "fechaFinalizacionCurso",
     "anterior a la fecha de inicio del curso (2026-03-02)"),
    ({"fechaInicioCurso": "2026-03-02"}, "fechaInicioCurso", "fecha válida"),
    ({"fechaCreacionEmpresa": date(1800, 1, 1)}, "fechaCreacionEmpresa", "entre los años"),
    ({"modalidad": "OTRA"}, "modalidad", "PRESENCIAL, VIRTUAL, MIXTA"),
    ({"modalidad": " VIRTUAL"}, "modalidad", "debe ser uno de"),
    ({"tipoAmbiente": "AULA MOVIL"}, "tipoAmbiente", "AULA_MOVIL"),
    ({"responsableEmail": "carlos.sena.edu.co"}, "responsableEmail", "correo"),
    ({"responsableEmail": "carlos@localhost"}, "responsableEmail", "correo"),
    ({"responsableCedula": "1234"}, "responsableCedula", "entre 5 y 15"),
    ({"responsableCedula": "12a456"}, "responsableCedula", "entre 5 y 15"),
    ({"responsableCedula": "1" * 16}, "responsableCedula", "entre 5 y 15"),
    ({"responsableCedula": 1098765432}, "responsableCedula", "debe ser texto"),
    ({"nitEmpresa": "ABC-1"}, "nitEmpresa", "dígitos"),
    ({"nitEmpresa": "9" * 31}, "nitEmpresa", "30 caracteres"),
    ({"nombreEmpresa": "x" * 201}, "nombreEmpresa", "no puede superar 200 caracteres"),
    ({"nombreEmpresa": "Acme\x00"}, "nombreEmpresa", "contiene caracteres no permitidos"),
    ({"nombreEmpresa": "Acme\nS.A."}, "nombreEmpresa", "contiene caracteres no permitidos"),
    ({"municipio": "Girón\x1b[31m"}, "municipio", "contiene caracteres no permitidos"),
    ({"justificacion": "x" * 5001}, "justificacion", "5000"),
    ({"justificacion": "uno\r\ndos"}, "justificacion", "no permitidos"),
    ({"otroEspecificar": "x" * 501}, "otroEspecificar", "500"),
    ({"posconflicto": "sí"}, "posconflicto", "sí o no"),
    ({"objetivosPersonalizados": "uno"}, "objetivosPersonalizados", "lista"),
    ({"objetivosPersonalizados": ["a"] * 31}, "objetivosPersonalizados", "30"),
    ({"objetivosPersonalizados": ["a", "x" * 501]}, "objetivosPersonalizados[1]", "objetivo 2"),
    ({"objetivosPersonalizados": ["a", 7]}, "objetivosPersonalizados[1]", "texto"),
    ({"cumpleRequisitos": False}, "cumpleRequisitos", "debe aceptarse"),
    ({"autorizaUsoInfo": None}, "autorizaUsoInfo", "debe aceptarse"),
    ({"confirmaVeracidad": "true"}, "confirmaVeracidad", "sí o no"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "field", "fragment"), BREAKAGES)
def test_single_breakage_yields_exactly_that_field(
    changes: dict[str, Any], field: str, fragment: str
) -> None:
    errors = submit_with(**changes)
    assert fields(errors) == [field]
    label = FIELD_LABELS[field.split("[")[0]]
    assert errors[0].message.startswith(f"{label}: ")
    assert fragment in errors[0].message


@pytest.mark.parametrize(
    "changes",
    [{"duracionMaxima": "40", "cupoMaximo": " 30 "}, {"numeroAprendicesInscribir": 30},
     {"modalidad": "MIXTA"}, {"tipoAmbiente": "AULA_MOVIL"}, {"nitEmpresa": "900123456"},
     {"inicioInscripcion": datetime(2026, 2, 10, 8), "finalizacionInscripcion": date(2026, 2, 10)},
     {"fechaInicioCurso": date(2026, 2, 20)}, {"objetivosPersonalizados": ["a"] * 30},
     {"objetivosPersonalizados": None}, {"fechaCreacionEmpresa": datetime(1990, 5, 1)},
     {"responsableEmail": "c.o+x@misena.edu.co"}, {"observaciones": "x" * 5000}],
)  # fmt: skip
def test_accepted_variants(changes: dict[str, Any]) -> None:
    assert submit_with(**changes) == []


def test_horarios_are_required_and_validated() -> None:
    assert submit_with() == []
    assert validate_submit(valid(), []) == [
        FieldError("horarios", "Horarios: agregue al menos un horario")
    ]
    assert fields(validate_submit(valid(), None)) == ["horarios"]  # type: ignore[arg-type]
    wrong_day = [Horario("LUNES", "08:00", "12:00", date(2026, 3, 3))]
    assert fields(validate_submit(valid(), wrong_day)) == ["horarios[0].fecha"]
    outside = [Horario("LUNES", "08:00", "12:00", date(2026, 3, 16))]
    errors = validate_submit(valid(), outside)
    assert fields(errors) == ["horarios[0].fecha"] and "fuera del periodo" in errors[0].message
    reversed_times = [Horario("LUNES", "12:00", "08:00")]
    assert fields(validate_submit(valid(), reversed_times)) == ["horarios[0].horaInicio"]


def test_errors_come_in_form_order_and_each_names_its_field() -> None:
    data = {
        **valid(),
        "justificacion": "",
        "nombreEmpresa": "",
        "responsableCedula": "x",
        "cumpleRequisitos": False,
    }
    errors = validate_submit(data, [])
    assert fields(errors) == [
        "responsableCedula",
        "nombreEmpresa",
        "horarios",
        "justificacion",
        "cumpleRequisitos",
    ]
    assert all(e.message.startswith(FIELD_LABELS[e.field] + ": ") for e in errors)


def test_everything_missing_reports_every_required_field() -> None:
    errors = validate_submit({}, [])
    expected = set(REQUIRED_FIELDS) | set(DECLARATION_FIELDS) | {"horarios"}
    assert set(fields(errors)) == expected and len(errors) == len(expected)


def test_non_mapping_data() -> None:
    for garbage in (None, [], "texto", 5):
        assert fields(validate_submit(garbage, HORARIOS)) == ["solicitud"]  # type: ignore[arg-type]
        assert fields(validate_draft(garbage)) == ["solicitud"]  # type: ignore[arg-type]


# --- draft ---------------------------------------------------------------------------------


def test_draft_accepts_partial_and_blank_data() -> None:
    assert validate_draft({}) == []
    assert validate_draft({"nombreEmpresa": "Acme", "duracionMaxima": None, "modalidad": ""}) == []
    assert validate_draft({"cumpleRequisitos": False, "duracionMaxima": 0}) == []
    assert validate_draft({"campoDesconocido": object()}) == []


def test_draft_still_checks_types_lengths_and_formats() -> None:
    data = {
        "responsableEmail": "no es correo",
        "nombreEmpresa": "x" * 201,
        "duracionMaxima": "mucho",
        "observaciones": "a\x07b",
        "inicioInscripcion": "ayer",
    }
    assert fields(validate_draft(data)) == [
        "responsableEmail",
        "duracionMaxima",
        "nombreEmpresa",
        "inicioInscripcion",
        "observaciones",
    ]


# --- users ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "expected"),
    [(" Juan.Perez@SENA.edu.co ", "juan.perez@sena.edu.co"),
     ("ana_t+1@misena.edu.co", "ana_t+1@misena.edu.co"), ("x@gmail.com", None),
     ("@sena.edu.co", None), ("a..b@sena.edu.co", None), (".a@sena.edu.co", None),
     ("a@sub.sena.edu.co", None), ("a@sena.edu.co.evil.com", None), ("a b@sena.edu.co", None),
     ("jos\u00e9@sena.edu.co", None), ("\u212aarl@sena.edu.co", None), ("a@b@sena.edu.co", None),
     ("x" * 190 + "@sena.edu.co", None), (None, None), (42, None)],
)  # fmt: skip
def test_institutional_email(email: object, expected: str | None) -> None:
    assert institutional_email(email) == expected


def test_password_policy() -> None:
    assert password_policy("Correcta-2026", "ana@sena.edu.co", "1098765432") == []
    assert password_policy("a" * 72, None, None) == []
    short = password_policy("corta", "ana@sena.edu.co", "1098765432")
    assert short == [FieldError("password", "Contraseña: debe tener al menos 10 caracteres")]
    assert "72 bytes" in password_policy("ñ" * 37, None, None)[0].message  # 37 chars, 74 bytes
    same_email = password_policy("ANA@sena.edu.co", "ana@SENA.edu.co", "1098765432")
    assert [e.message for e in same_email] == [
        "Contraseña: no puede ser igual al correo electrónico"
    ]
    same_id = password_policy("1098765432", "ana@sena.edu.co", "1098765432")
    assert [e.message for e in same_id] == ["Contraseña: no puede ser igual a la cédula"]
    assert fields(password_policy(None, None, None)) == ["password"]
    assert fields(password_policy("\ud800" * 12, None, None)) == ["password"]


# --- properties ----------------------------------------------------------------------------

value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(), st.datetimes(),
    st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=40),
    st.sampled_from(["PRESENCIAL", "AULA", "12345", "a@b.co", " ", "40"]),
)  # fmt: skip
data_strategy = st.dictionaries(st.one_of(st.sampled_from(sorted(FIELD_LABELS)), st.text()), value)
horario_strategy = st.one_of(
    st.builds(Horario, st.one_of(st.sampled_from(DIAS), value), value, value, value, value, value),
    value, st.dictionaries(st.sampled_from(["diaSemana", "horaInicio", "horaFin", "fecha"]), value),
)  # fmt: skip


def check(errors: object) -> None:
    assert isinstance(errors, list)
    for error in errors:
        assert isinstance(error, FieldError)
        assert isinstance(error.field, str) and isinstance(error.message, str) and error.message


@settings(max_examples=examples(400), deadline=None)
@given(data=data_strategy, horarios=st.one_of(st.lists(horario_strategy, max_size=6), value))
def test_random_input_never_raises(data: dict[str, Any], horarios: Any) -> None:
    check(validate_draft(data))
    check(validate_submit(data, horarios))


@settings(max_examples=examples(200), deadline=None)
@given(overrides=st.dictionaries(st.sampled_from(sorted(FIELD_LABELS)), value, max_size=3))
def test_random_changes_to_a_valid_form(overrides: dict[str, Any]) -> None:
    errors = validate_submit({**valid(), **overrides}, HORARIOS)
    check(errors)
    # Only the changed fields (or those compared with them) can be reported.
    related = set(overrides) | set(INT_FIELDS) | set(DATE_FIELDS) | {"horarios"}
    assert {e.field.split("[")[0].split(".")[0] for e in errors} <= related


@settings(max_examples=examples(200), deadline=None)
@given(password=st.text(), email=value, cedula=value)
def test_password_policy_never_raises(password: str, email: object, cedula: object) -> None:
    check(password_policy(password, email, cedula))
