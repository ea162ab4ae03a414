"""The service boundary: every value a caller passes is checked once, before any rule runs.

`@checked` wraps a public service. Text must be text the database can store and a terminal can
show (no NUL, no lone surrogates, no control characters except newline and tab in multi-line
fields) and not absurdly long; dates fall within MIN_YEAR..MAX_YEAR; numbers are finite,
integral where they count, not negative and fit PostgreSQL's INTEGER; list parameters are
lists. Filters (dataclasses), forms (mappings) and lists are checked item by item. A bad value
raises InvalidInput (a ValidationFailed, and a ServiceError) with a Spanish message naming the
field, so neither the driver nor the rules ever see it. Each service still checks its own
domain rules (formats, shorter limits) after this.

Every wrapped service is listed in SERVICES: the hostile-input and password-change tests call
each of them, and a test checks that no public service is left unwrapped.
"""

from __future__ import annotations

import functools
import inspect
import math
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from tui.services.common import Actor, ServiceError
from tui.services.validation import (
    FIELD_LABELS,
    INT_FIELDS,
    INT_MAX,
    MAX_YEAR,
    MIN_YEAR,
    MULTILINE_FIELDS,
    FieldError,
    ValidationFailed,
    has_forbidden_chars,
)

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])

LINE_MAX = 1000
"""A ceiling for one-line text: each service has its own, shorter limit per field."""
TEXT_MAX = 10_000
"""A ceiling for multi-line text and for long single values (a file path, a public key)."""
SECRET_MAX = 1024
NOT_CHECKED = frozenset({"pool", "conn", "actor", "by", "progress", "cancel", "now", "base"})
"""Objects, not values: connections, the acting user (re-read by the gate), callbacks, and
`now` (the clock, passed only by tests), `base` (the stored values a form started from)."""
SECRETS = frozenset({"password", "current", "new", "confirm"})
MULTILINE = frozenset({*MULTILINE_FIELDS, "objetivosPersonalizados", "comentarios", "motivo",
                       "mensaje", "observaciones", "descripcion", "objetivos", "competencias",
                       "resultados", "text"})
LONG = frozenset({"path", "url", *MULTILINE})
YEARS = frozenset({"year"})
INTEGERS = frozenset({"year", "limit", "days", "key_id", "top", "ttl_s", "count",
                      "duracion_horas", "cupo_aprendices", *INT_FIELDS})
DATES = frozenset({"desde", "hasta", "expected_updated_at", "fecha"})
"""Parameters that are dates: a date or datetime, or (where the service's signature also takes
`str`, a box's text it parses) text of a date."""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")  # the forms a date box accepts (audit search)

PARAM_LABELS = {
    **FIELD_LABELS,
    "texto": "Búsqueda", "actor_text": "Usuario", "cursor": "Página", "limit": "Límite",
    "comentarios": "Comentarios", "motivo": "Motivo", "titulo": "Título", "mensaje": "Mensaje",
    "email": "Correo electrónico", "name": "Nombre", "nombre": "Nombre", "cedula": "Cédula",
    "role": "Rol", "centro_id": "Centro", "centro_codigo": "Centro", "user_id": "Usuario",
    "user_ids": "Destinatarios", "solicitud_id": "Solicitud", "codigo_or_id": "Solicitud",
    "programa_id": "Programa", "instructor_id": "Instructor", "notificacion_id": "Notificación",
    "numero_ficha": "Número de ficha", "codigo": "Código", "ciudad": "Ciudad",
    "region": "Región", "direccion": "Dirección", "telefono": "Teléfono",
    "especialidad": "Especialidad", "estado": "Estado", "desde": "Desde", "hasta": "Hasta",
    "year": "Año", "action": "Acción", "fmt": "Formato", "path": "Archivo",
    "text": "Clave pública", "password": "Contraseña", "current": "Contraseña actual",
    "new": "Nueva contraseña", "confirm": "Confirmación", "source": "Origen", "days": "Días",
    "key_id": "Clave", "tipo": "Tipo", "tipo_formacion": "Tipo de formación",
    "modalidad": "Modalidad", "duracion_horas": "Duración (horas)",
    "cupo_aprendices": "Cupo de aprendices", "descripcion": "Descripción",
    "objetivos": "Objetivos", "competencias": "Competencias", "resultados": "Resultados",
    "expected_updated_at": "Versión", "ticket": "Sesión", "fingerprint": "Huella",
    "top": "Cantidad", "url": "Base de datos", "count": "Cantidad", "ttl_s": "Duración",
    "horarios": "Horarios", "form": "Solicitud", "filtros": "Filtros", "orden": "Orden",
    "view": "Lista",
}  # fmt: skip

LISTS = frozenset({"user_ids", "objetivos", "competencias", "resultados", "horarios"})
"""Parameters that are lists (text there would be taken letter by letter)."""
SIGNED = frozenset({"duracion_horas", "cupo_aprendices"})
"""Numbers whose service refuses zero and negatives itself, with its own message."""


class InvalidInput(ValidationFailed, ServiceError):
    """A value refused at the boundary: field errors (ValidationFailed) that callers catching
    any refusal (ServiceError) also see."""

    title = "Datos no válidos"

    def __init__(self, errors: Any) -> None:
        ValidationFailed.__init__(self, errors)
        self.message = str(self)


SERVICES: list[Callable[..., Awaitable[Any]]] = []
"""Every service wrapped by @checked, in import order."""


def label(name: str) -> str:
    return PARAM_LABELS.get(name, name)


def _text_problem(name: str, value: str) -> str | None:
    if name in SECRETS:
        limit = SECRET_MAX
        bad = "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    else:
        limit = TEXT_MAX if name in LONG else LINE_MAX
        bad = False
    if len(value) > limit:
        return f"no puede superar {limit} caracteres"
    if bad or (name not in SECRETS and has_forbidden_chars(value, name in MULTILINE)):
        return "contiene caracteres no permitidos"
    return None


def _number_problem(name: str, value: int | float) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return "debe ser un número finito"
    if isinstance(value, float) and name in INTEGERS:
        return "debe ser un número entero"
    if name in YEARS and not MIN_YEAR <= value <= MAX_YEAR:
        return f"debe estar entre {MIN_YEAR} y {MAX_YEAR}"
    if value < 0 and name not in SIGNED:
        return "no puede ser negativo"
    if value > INT_MAX:
        return "es demasiado grande"
    return None


def _date_problem(name: str, value: Any, text_ok: bool) -> str | None:
    if isinstance(value, date):
        return None if MIN_YEAR <= value.year <= MAX_YEAR else \
            f"debe estar entre los años {MIN_YEAR} y {MAX_YEAR}"
    if not (text_ok and isinstance(value, str)):
        return "debe ser una fecha válida"
    for fmt in DATE_FORMATS:
        try:
            return _date_problem(name, datetime.strptime(value.strip(), fmt).date(), False)
        except ValueError:
            continue
    return _text_problem(name, value)  # the service explains the format with its other errors


def problems(name: str, value: Any, depth: int = 0, text_dates: bool = False
             ) -> list[FieldError]:
    """What is wrong with `value` passed as `name` (nothing for values of other types);
    `text_dates`: a date parameter may also be text."""
    problem: str | None = None
    if value is None or isinstance(value, (bool, Actor)) or depth > 4:
        return []
    if name in LISTS and depth == 0 and not isinstance(value, (list, tuple)):
        return [FieldError(name, f"{label(name)}: debe ser una lista")]
    if name in DATES:
        problem = _date_problem(name, value, text_dates)
        return [FieldError(name, f"{label(name)}: {problem}")] if problem else []
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        problem = _text_problem(name, value)
    elif isinstance(value, (int, float)):
        problem = _number_problem(name, value)
    elif isinstance(value, date):
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            problem = f"debe estar entre los años {MIN_YEAR} y {MAX_YEAR}"
    elif is_dataclass(value) and not isinstance(value, type):
        return [e for f in fields(value) for e in problems(f.name, getattr(value, f.name),
                                                           depth + 1)]
    elif isinstance(value, Mapping):
        return [e for k, v in value.items()  # a form: its keys name the fields
                for e in problems(k if k in PARAM_LABELS else name, v, depth + 1)]
    elif isinstance(value, (list, tuple, set, frozenset)):
        return [e for v in value for e in problems(name, v, depth + 1)]
    return [FieldError(name, f"{label(name)}: {problem}")] if problem else []


def check(text_dates: frozenset[str] = frozenset(), **values: Any) -> None:
    """Raise ValidationFailed naming each bad field once (`text_dates`: the date parameters
    that may also be text)."""
    errors: dict[str, FieldError] = {}
    for name, value in values.items():
        for e in problems(name, value, text_dates=name in text_dates):
            errors.setdefault(e.field, e)
    if errors:
        raise InvalidInput(errors.values())


def checked(fn: F) -> F:
    """Check every argument of the service `fn` (but NOT_CHECKED) before it runs."""
    signature = inspect.signature(fn)
    text_dates = frozenset(n for n, p in signature.parameters.items()
                           if n in DATES and "str" in str(p.annotation))

    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        check(text_dates, **{k: v for k, v in bound.arguments.items() if k not in NOT_CHECKED})
        return await fn(*args, **kwargs)

    SERVICES.append(wrapper)
    return wrapper  # type: ignore[return-value]  # functools.wraps: same call as fn
