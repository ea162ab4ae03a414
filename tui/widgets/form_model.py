"""The solicitud form's layout and value conversions (pure Python, no Textual).

Which field goes in which section, what kind of editor it gets, its help text, and how the
text typed in an editor becomes a service value (dates typed as dd/mm/aaaa, integers) and back.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tui.services import model
from tui.services.model import AMBIENTE_LABEL, MODALIDAD_LABEL
from tui.services.validation import (
    DATE_FIELDS,
    DECLARATION_FIELDS,
    FIELD_LABELS,
    FLAG_FIELDS,
    INT_FIELDS,
    REQUIRED_FIELDS,
)

SELECT_OPTIONS = {"modalidad": MODALIDAD_LABEL, "tipoAmbiente": AMBIENTE_LABEL}
TEXTAREA_FIELDS = ("justificacion", "resultadosEsperados", "observaciones")


Section = model.Section
SECTIONS = model.SECTIONS
SECTION_OF = {f: s.id for s in SECTIONS for f in s.fields}

FIELD_HELP = {
    "fechaCaracterizacion": "Fecha en que se caracteriza la solicitud (dd/mm/aaaa); por "
                            "defecto, hoy.",
    "responsableNombre": "Instructor responsable de la formación; viene de su cuenta.",
    "responsableCedula": "Cédula del responsable: solo dígitos, entre 5 y 15.",
    "responsableEmail": "Correo del responsable (institucional).",
    "programaId": "Ctrl+O o Enter en el botón: buscar entre los programas activos de "
                  "formación complementaria de su centro. Solo se cambia en un borrador.",
    "codigoPrograma": "Código del programa; se copia del programa elegido.",
    "versionPrograma": "Versión del programa; por defecto 1.",
    "duracionMaxima": "Horas totales del curso (número entero). La calculadora de horarios "
                      "compara con este valor.",
    "cupoMaximo": "Cupo máximo de aprendices del programa (número entero).",
    "numeroAprendicesInscribir": "Aprendices que se inscribirán; no puede superar el cupo "
                                 "máximo (por defecto el menor entre 32 y el cupo).",
    "modalidad": "Modalidad de la formación. Enter abre la lista.",
    "municipio": "Municipio donde se dicta la formación (obligatorio).",
    "departamento": "Departamento donde se dicta la formación (obligatorio).",
    "nombreEmpresa": "Empresa, entidad o comunidad beneficiaria (obligatorio).",
    "nitEmpresa": "NIT: dígitos, puntos y guiones (opcional).",
    "codigoEmpresa": "Código de la empresa, si lo tiene (opcional).",
    "representanteLegal": "Representante legal de la empresa (obligatorio).",
    "fechaCreacionEmpresa": "Fecha de creación de la empresa, dd/mm/aaaa (opcional).",
    "direccionEmpresa": "Dirección de la empresa (obligatorio).",
    "telefonosEmpresa": "Uno o varios teléfonos de contacto (opcional).",
    "lugarFormacion": "Lugar exacto donde se dicta la formación (obligatorio).",
    "tipoAmbiente": "Tipo de ambiente de formación; por defecto Aula.",
    "otroEspecificar": "Otro programa especial no listado arriba (opcional).",
    "inicioInscripcion": "Inicio de inscripción, dd/mm/aaaa; no después del fin de "
                         "inscripción.",
    "finalizacionInscripcion": "Fin de inscripción, dd/mm/aaaa; no después del inicio del "
                               "curso.",
    "fechaInicioCurso": "Inicio del curso, dd/mm/aaaa; la calculadora estima el fin desde aquí.",
    "fechaFinalizacionCurso": "Fin del curso, dd/mm/aaaa. La fecha estimada por la calculadora "
                              "es solo una sugerencia (c en los horarios la copia aquí).",
    "horarios": "Horarios: a agrega, e o Enter edita, Supr o x borra, t aplica una plantilla, "
                "c copia la fecha de fin estimada.",
    "justificacion": "Por qué se necesita esta formación (obligatorio para enviar).",
    "resultadosEsperados": "Qué se espera lograr con la formación (opcional).",
    "objetivosPersonalizados": "Objetivos propios: a agrega, e o Enter edita, Supr o x "
                               "quita.",
    "observaciones": "Cualquier otra información para el coordinador (opcional).",
    **{d.field: d.help for d in model.DECLARATION_LIST},
}
_FLAG_HELP = "Programa especial: marque o desmarque con la barra espaciadora."
_FECHA_RE = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*")


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def help_for(field: str) -> str:
    text = FIELD_HELP.get(field) or (_FLAG_HELP if field in FLAG_FIELDS else label(field))
    return text + (" Obligatorio para enviar." if field in REQUIRED_FIELDS
                   and "obligatorio" not in text.lower() else "")


def kind_of(field: str) -> str:
    """text, int, date, select, check, textarea or picker (the programa)."""
    if field == "programaId":
        return "picker"
    if field in DATE_FIELDS:
        return "date"
    if field in INT_FIELDS:
        return "int"
    if field in SELECT_OPTIONS:
        return "select"
    if field in FLAG_FIELDS or field in DECLARATION_FIELDS:
        return "check"
    if field in TEXTAREA_FIELDS:
        return "textarea"
    return "text"


def section_of(field: str) -> str | None:
    """The section of a field name as the services report it (``horarios[2].horaFin`` too)."""
    return SECTION_OF.get(field.split("[", 1)[0].split(".", 1)[0])


def fecha_text(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else ""


def parse_fecha(text: str) -> date | None:
    """dd/mm/aaaa → date; "" → None; ValueError (Spanish, no label) when not a real date."""
    if not text.strip():
        return None
    match = _FECHA_RE.fullmatch(text)
    if match is None:
        raise ValueError("use el formato dd/mm/aaaa (por ejemplo 18/01/2027)")
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text.strip()} no es una fecha del calendario") from None


def to_text(field: str, value: Any) -> str:
    """A stored value as the text shown in its editor."""
    if value is None:
        return ""
    if kind_of(field) == "date":
        return fecha_text(value)
    return str(value)


def from_text(field: str, text: str) -> Any:
    """Editor text → service value; ValueError (message starts with the label) if malformed."""
    kind = kind_of(field)
    try:
        if kind == "date":
            return parse_fecha(text)
        if kind == "int":
            if not text.strip():
                return None
            if not text.strip().isdigit():
                raise ValueError("debe ser un número entero")
            return int(text.strip())
    except ValueError as exc:
        raise ValueError(f"{label(field)}: {exc}") from None
    return text


def display(field: str, value: Any) -> str:
    """A stored value in words, for the conflict dialog and the summary."""
    if isinstance(value, bool):
        return "sí" if value else "no"
    if value is None or value == "" or value == []:
        return "(vacío)"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if field in SELECT_OPTIONS:
        return SELECT_OPTIONS[field].get(str(value), str(value))
    return to_text(field, value)
