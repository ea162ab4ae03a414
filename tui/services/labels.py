"""The Spanish label of every enum value a user reads, defined once (no imports: the screens,
the exports and the start-up path all read it; the day labels live in `horarios.DIA_LABEL`).

Raw enum names (EN_REVISION, COORDINADOR) never reach a list, a toast or a message: whatever
shows an estado, a role, a modalidad or an ambiente takes its label from here.
"""

from __future__ import annotations

from typing import Final

ESTADO_LABEL: Final = {
    "BORRADOR": "Borrador", "PENDIENTE": "Pendiente", "EN_REVISION": "En revisión",
    "APROBADA": "Aprobada", "RECHAZADA": "Rechazada", "CANCELADA": "Cancelada",
}
ROLE_LABEL: Final = {"INSTRUCTOR": "Instructor", "COORDINADOR": "Coordinador",
                     "ADMIN": "Administrador"}
MODALIDAD_LABEL: Final = {
    "PRESENCIAL": "Presencial", "VIRTUAL": "Virtual", "MIXTA": "Mixta",
    "DESESCOLARIZADA": "Desescolarizada", "COMBINADA": "Combinada",
}
AMBIENTE_LABEL: Final = {
    "AULA": "Aula", "AULA_MOVIL": "Aula móvil", "LABORATORIO": "Laboratorio",
    "TALLER": "Taller", "CAMPO": "Campo", "EMPRESA": "Empresa",
}

ESTADOS: Final = tuple(ESTADO_LABEL)
"""Every estado, in the order of the lifecycle (the keys of ESTADO_LABEL)."""
ROLES: Final = tuple(ROLE_LABEL)

ENUM_LABEL: Final = {**ESTADO_LABEL, **ROLE_LABEL}


def enum_label(value: object) -> object:
    """The label of an estado or role value; anything else unchanged."""
    return ENUM_LABEL.get(value, value) if isinstance(value, str) else value
