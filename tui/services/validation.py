"""Server-side validation of the solicitud form, users' e-mails and passwords (pure Python).

Every check returns ``FieldError`` values whose ``field`` is the camelCase column name (or
``horarios[i].horaFin`` / ``objetivosPersonalizados[i]`` for list items) so the UI can move the
cursor there, and whose ``message`` is Spanish and starts with the field's label. The validators
never raise, whatever the input types: they always return a list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from tui.services.checks import (
    INT_MAX,
    FieldError,
    ValidationFailed,
    as_date,
    has_forbidden_chars,
)
from tui.services.horarios import Horario, validate_horarios
from tui.services.model import (
    AMBIENTE_LABEL,
    DATE_ORDER,
    DECLARATIONS,
    FIELD_LABELS,
    FLAG_FIELDS,
    FORM_ORDER,
    MODALIDAD_LABEL,
)

__all__ = [
    "DATE_ORDER",
    "FIELD_LABELS",
    "FLAG_FIELDS",
    "INT_MAX",
    "FieldError",
    "ValidationFailed",
    "as_date",
    "has_forbidden_chars",
]

MODALIDADES: Final = tuple(MODALIDAD_LABEL)
TIPOS_AMBIENTE: Final = tuple(AMBIENTE_LABEL)
DECLARATION_FIELDS: Final = DECLARATIONS
INT_FIELDS: Final = ("duracionMaxima", "cupoMaximo", "numeroAprendicesInscribir")
DATE_FIELDS: Final = ("fechaCaracterizacion", "fechaCreacionEmpresa", *DATE_ORDER)
REQUIRED_FIELDS: Final = (
    "programaId", "responsableNombre", "responsableCedula", "responsableEmail", "codigoPrograma",
    "versionPrograma", "duracionMaxima", "cupoMaximo", "numeroAprendicesInscribir", "modalidad",
    "municipio", "departamento", "nombreEmpresa", "representanteLegal", "direccionEmpresa",
    "lugarFormacion", "tipoAmbiente", "inicioInscripcion", "finalizacionInscripcion",
    "fechaInicioCurso", "fechaFinalizacionCurso", "justificacion",
)  # fmt: skip

_SHORT_TEXT = (
    "responsableNombre", "responsableEmail", "programaId", "codigoPrograma", "versionPrograma",
    "modalidad", "municipio", "departamento", "nombreEmpresa", "codigoEmpresa",
    "representanteLegal", "direccionEmpresa", "telefonosEmpresa", "lugarFormacion", "tipoAmbiente",
)  # fmt: skip
MULTILINE_FIELDS: Final = (
    "otroEspecificar",
    "justificacion",
    "resultadosEsperados",
    "observaciones",
)
MAX_LENGTHS: Final[dict[str, int]] = {
    **dict.fromkeys(_SHORT_TEXT, 200), "responsableCedula": 20, "nitEmpresa": 30,
    "otroEspecificar": 500, **dict.fromkeys(MULTILINE_FIELDS[1:], 5000),
}  # fmt: skip
MAX_OBJETIVOS: Final = 30
MAX_OBJETIVO_LEN: Final = 500
MIN_YEAR, MAX_YEAR = 1900, 2100
MIN_PASSWORD_LEN: Final = 10
MAX_PASSWORD_BYTES: Final = 72  # bcrypt ignores anything after 72 bytes
INSTITUTIONAL_DOMAINS: Final = ("sena.edu.co", "misena.edu.co")

_LOCAL = r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}"
_CI = re.IGNORECASE | re.ASCII  # ASCII: without it [a-z] would also match "\u212a" (Kelvin)
_LOCAL_RE = re.compile(_LOCAL, _CI)
_EMAIL_RE = re.compile(f"{_LOCAL}@{_DOMAIN}", _CI)
_CEDULA_RE = re.compile(r"[0-9]{5,15}")
_NIT_RE = re.compile(r"[0-9][0-9.-]*")
_DIGITS_RE = re.compile(r"[0-9]+")
_FIELD_ORDER = {name: pos for pos, name in enumerate(FORM_ORDER)}
_FORM_ERROR = "los datos no tienen un formato válido"
_BAD_DATA = FieldError("solicitud", "Solicitud: " + _FORM_ERROR)


def field_error(field: str, text: str) -> FieldError:
    """Build an error whose message starts with the field's Spanish label."""
    base = field.split("[", 1)[0]
    return FieldError(field, f"{FIELD_LABELS.get(base, base)}: {text}")


def parse_int(value: object) -> int | None:
    """An ``int`` (never ``bool``) or a string of ASCII digits; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_text(field: str, value: object, limit: int, multiline: bool) -> str | None:
    if not isinstance(value, str):
        return "debe ser texto"
    if len(value) > limit:
        return f"no puede superar {limit} caracteres"
    if has_forbidden_chars(value, multiline):
        return "contiene caracteres no permitidos"
    # Formats are checked on the value as it would be stored: callers strip input first.
    if field == "responsableEmail" and not _EMAIL_RE.fullmatch(value):
        return "no es un correo electrónico válido"
    if field == "responsableCedula" and not _CEDULA_RE.fullmatch(value):
        return "debe tener solo dígitos, entre 5 y 15"
    if field == "nitEmpresa" and not _NIT_RE.fullmatch(value):
        return "solo puede contener dígitos, puntos y guiones"
    choices = {"modalidad": MODALIDADES, "tipoAmbiente": TIPOS_AMBIENTE}.get(field)
    if choices and value not in choices:
        return "debe ser uno de: " + ", ".join(choices)
    return None


def _check_objetivos(value: object) -> list[FieldError]:
    if not isinstance(value, (list, tuple)):
        return [field_error("objetivosPersonalizados", "debe ser una lista de textos")]
    if len(value) > MAX_OBJETIVOS:
        text = f"admite como máximo {MAX_OBJETIVOS} objetivos"
        return [field_error("objetivosPersonalizados", text)]
    errors: list[FieldError] = []
    for index, item in enumerate(value):
        problem = _check_text("", item, MAX_OBJETIVO_LEN, multiline=True)
        if problem:
            text = f"el objetivo {index + 1} {problem}"
            errors.append(field_error(f"objetivosPersonalizados[{index}]", text))
    return errors


def _check_field(field: str, value: object) -> list[FieldError]:
    problem: str | None = None
    if field in MAX_LENGTHS:
        problem = _check_text(field, value, MAX_LENGTHS[field], field in MULTILINE_FIELDS)
    elif field in INT_FIELDS:
        number = parse_int(value)
        if number is None:
            problem = "debe ser un número entero"
        elif number < 0:
            problem = "no puede ser negativo"
        elif number > INT_MAX:
            problem = "es demasiado grande"
    elif field in DATE_FIELDS:
        day = as_date(value)
        if day is None:
            problem = "debe ser una fecha válida"
        elif not MIN_YEAR <= day.year <= MAX_YEAR:
            problem = f"debe estar entre los años {MIN_YEAR} y {MAX_YEAR}"
    elif field in FLAG_FIELDS or field in DECLARATION_FIELDS:
        problem = None if isinstance(value, bool) else "debe ser sí o no"
    elif field == "objetivosPersonalizados":
        return _check_objetivos(value)
    return [field_error(field, problem)] if problem else []


def _sorted(errors: list[FieldError]) -> list[FieldError]:
    return sorted(errors, key=lambda e: _FIELD_ORDER.get(e.field.split("[", 1)[0], 999))


def validate_draft(data: Mapping[str, Any]) -> list[FieldError]:
    """Type, length and format checks of the fields present and non-empty (drafts are partial)."""
    if not isinstance(data, Mapping):
        return [_BAD_DATA]
    errors: list[FieldError] = []
    for field in FIELD_LABELS:
        if field != "horarios" and field in data and not _is_empty(data[field]):
            errors.extend(_check_field(field, data[field]))
    return _sorted(errors)


def _check_dates(data: Mapping[str, Any], skip: set[str]) -> list[FieldError]:
    phrases = {
        "inicioInscripcion": "al inicio de inscripción",
        "finalizacionInscripcion": "a la finalización de inscripción",
        "fechaInicioCurso": "a la fecha de inicio del curso",
    }
    errors: list[FieldError] = []
    previous: tuple[str, date] | None = None
    for field in DATE_ORDER:
        day = None if field in skip else as_date(data.get(field))
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            text = f"no puede ser anterior {phrases[previous[0]]} ({previous[1].isoformat()})"
            errors.append(field_error(field, text))
        else:
            previous = (field, day)
    return errors


def validate_submit(data: Mapping[str, Any], horarios: Sequence[Horario]) -> list[FieldError]:
    """Full validation before BORRADOR → PENDIENTE (and for edits of a PENDIENTE solicitud)."""
    if not isinstance(data, Mapping):
        return [_BAD_DATA]
    errors = validate_draft(data)
    invalid = {error.field.split("[", 1)[0] for error in errors}
    missing = {field for field in REQUIRED_FIELDS if _is_empty(data.get(field))}
    errors += [field_error(f, "es obligatorio") for f in REQUIRED_FIELDS if f in missing]
    skip = invalid | missing
    numbers: dict[str, int] = {}
    for field in INT_FIELDS:
        number = None if field in skip else parse_int(data.get(field))
        if number is not None and number <= 0:
            errors.append(field_error(field, "debe ser un número entero mayor que cero"))
        elif number is not None:
            numbers[field] = number
    if numbers.get("numeroAprendicesInscribir", 0) > numbers.get("cupoMaximo", INT_MAX):
        cupo = numbers["cupoMaximo"]
        errors.append(field_error(INT_FIELDS[2], f"no puede superar el cupo máximo ({cupo})"))
    errors += _check_dates(data, skip)
    for field in DECLARATION_FIELDS:
        if field not in invalid and data.get(field) is not True:
            errors.append(field_error(field, "debe aceptarse para enviar la solicitud"))
    if isinstance(horarios, (str, bytes)) or not isinstance(horarios, Sequence):
        errors.append(field_error("horarios", _FORM_ERROR))
    elif not horarios:
        errors.append(field_error("horarios", "agregue al menos un horario"))
    else:
        start = as_date(data.get("fechaInicioCurso"))
        end = as_date(data.get("fechaFinalizacionCurso"))
        periodo: tuple[date, date] | None = None
        if start and end and start <= end and not skip & set(DATE_ORDER):
            periodo = (start, end)
        errors += validate_horarios(horarios, periodo)
    return _sorted(errors)


def institutional_email(email: object) -> str | None:
    """The normalised (stripped, lower-case) address if it is a valid SENA address, else None."""
    if not isinstance(email, str) or not email.isascii():  # "\u212a".lower() would be "k"
        return None
    normal = email.strip().lower()
    local, _, domain = normal.rpartition("@")
    if domain not in INSTITUTIONAL_DOMAINS or len(normal) > MAX_LENGTHS["responsableEmail"]:
        return None
    return normal if _LOCAL_RE.fullmatch(local) else None


def password_policy(password: object, email: object, cedula: object) -> list[FieldError]:
    """Rules for a new password; field "password", Spanish messages."""

    def error(text: str) -> FieldError:
        return FieldError("password", f"Contraseña: {text}")

    if not isinstance(password, str):
        return [error("debe ser texto")]
    errors: list[FieldError] = []
    if len(password) < MIN_PASSWORD_LEN:
        errors.append(error(f"debe tener al menos {MIN_PASSWORD_LEN} caracteres"))
    try:
        size = len(password.encode("utf-8"))
    except UnicodeEncodeError:
        return [*errors, error("contiene caracteres no permitidos")]
    if size > MAX_PASSWORD_BYTES:
        n = MAX_PASSWORD_BYTES
        errors.append(error(f"no puede superar {n} bytes (unos {n} caracteres sin tildes)"))
    same_email = isinstance(email, str) and email.strip().casefold() == password.strip().casefold()
    if same_email and password.strip():
        errors.append(error("no puede ser igual al correo electrónico"))
    if isinstance(cedula, str) and cedula.strip() and password.strip() == cedula.strip():
        errors.append(error("no puede ser igual a la cédula"))
    return errors
