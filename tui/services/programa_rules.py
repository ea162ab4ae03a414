"""The rules of a programa's data: its fields and its contenido (objetivos, competencias,
resultados), checked before anything is written. Every problem names its field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui.services.centros import clean_codigo, clean_text
from tui.services.validation import (
    INT_MAX,
    MODALIDADES,
    FieldError,
    ValidationFailed,
    has_forbidden_chars,
    parse_int,
)

TIPOS_FORMACION = ("COMPLEMENTARIA", "TRANSVERSAL", "ESPECIFICA", "VIRTUAL")
LABELS = {
    "codigo": "Código", "nombre": "Nombre", "tipoFormacion": "Tipo de formación",
    "modalidad": "Modalidad", "duracionHoras": "Duración (horas)",
    "cupoAprendices": "Cupo de aprendices", "descripcion": "Descripción", "centroId": "Centro",
}
MAX_ITEMS = 50
MAX_ITEM_LEN = 1000
MAX_DESCRIPCION = 5000
_KINDS = {"objetivos": "Objetivo", "competencias": "Competencia", "resultados": "Resultado"}


@dataclass(frozen=True)
class Item:
    """A competencia or a resultado de aprendizaje (codigo optional, not unique)."""

    codigo: str | None
    descripcion: str


def _positive(errors: list[FieldError], field: str, value: object) -> int | None:
    number = parse_int(value)
    if number is None or number <= 0 or number > INT_MAX:
        errors.append(FieldError(field, f"{LABELS[field]}: debe ser un número entero mayor "
                                        "que cero."))
        return None
    return number


def validate(v: dict[str, Any]) -> dict[str, Any]:
    """Normalised column values of a programa; raises ValidationFailed naming each field."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {"codigo": clean_codigo(errors, v.get("codigo"))}
    out["nombre"] = clean_text(errors, LABELS, "nombre", v.get("nombre"), required=True)
    for field, key, choices in (("tipoFormacion", "tipo_formacion", TIPOS_FORMACION),
                                ("modalidad", "modalidad", MODALIDADES)):
        if v.get(key) not in choices:
            errors.append(FieldError(field, f"{LABELS[field]}: debe ser uno de: "
                                            + ", ".join(choices) + "."))
        out[key] = v.get(key)
    out["duracion_horas"] = _positive(errors, "duracionHoras", v.get("duracion_horas"))
    out["cupo_aprendices"] = _positive(errors, "cupoAprendices", v.get("cupo_aprendices"))
    desc = v.get("descripcion")
    desc = desc.strip() if isinstance(desc, str) else desc
    if desc is not None and (not isinstance(desc, str) or len(desc) > MAX_DESCRIPCION
                             or has_forbidden_chars(desc)):
        errors.append(FieldError("descripcion", f"Descripción: debe ser texto de hasta "
                                                f"{MAX_DESCRIPCION} caracteres válidos."))
    out["descripcion"] = desc or None
    if errors:
        raise ValidationFailed(errors)
    return out


def _item_text(errors: list[FieldError], field: str, label: str, value: object,
               limit: int = MAX_ITEM_LEN) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or has_forbidden_chars(value):
        errors.append(FieldError(field, f"{label}: debe ser texto sin caracteres de control."))
        return None
    text = value.strip()
    if len(text) > limit:
        errors.append(FieldError(field, f"{label}: no puede superar {limit} caracteres."))
    return text or None


def _clean_list(errors: list[FieldError], kind: str, items: Sequence[Any]) -> list[Item]:
    label = _KINDS[kind]
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        errors.append(FieldError(kind, f"{label}s: deben ser una lista."))
        return []
    out: list[Item] = []
    for i, raw in enumerate(items):
        field, name = f"{kind}[{i}]", f"{label} {i + 1}"
        if kind == "objetivos":
            raw = (None, raw if isinstance(raw, str) else getattr(raw, "descripcion", raw))
        elif isinstance(raw, Item):
            raw = (raw.codigo, raw.descripcion)
        if not isinstance(raw, (tuple, list)) or len(raw) != 2:
            errors.append(FieldError(field, f"{name}: debe tener código y descripción."))
            continue
        codigo = _item_text(errors, field, f"{name} (código)", raw[0], limit=30)
        desc = _item_text(errors, field, name, raw[1])
        if desc is None and codigo is not None:
            errors.append(FieldError(field, f"{name}: la descripción es obligatoria."))
        elif desc is not None:
            out.append(Item(codigo, desc))
    if len(out) > MAX_ITEMS:
        errors.append(FieldError(kind, f"{label}s: como máximo {MAX_ITEMS}."))
    return out


def validate_contenido(objetivos: Sequence[Any], competencias: Sequence[Any],
                       resultados: Sequence[Any]) -> tuple[list[Item], list[Item], list[Item]]:
    """Clean the three lists: blank entries are dropped, a descripción is required.

    Objetivos are plain strings; competencias and resultados are (codigo, descripcion) pairs
    (or `Item`s). Raises ValidationFailed with every error, fields like "competencias[1]".
    """
    errors: list[FieldError] = []
    out = (_clean_list(errors, "objetivos", objetivos),
           _clean_list(errors, "competencias", competencias),
           _clean_list(errors, "resultados", resultados))
    if errors:
        raise ValidationFailed(errors)
    return out
