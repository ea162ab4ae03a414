"""The Spanish label of every enum value a user reads, defined once (no imports: the screens,
the exports and the start-up path all read it).

Raw enum names (EN_REVISION, COORDINADOR) never reach a list, a toast or a message: whatever
shows an estado or a role takes its label from here.
"""

from __future__ import annotations

ESTADO_LABEL = {
    "BORRADOR": "Borrador", "PENDIENTE": "Pendiente", "EN_REVISION": "En revisión",
    "APROBADA": "Aprobada", "RECHAZADA": "Rechazada", "CANCELADA": "Cancelada",
}
ROLE_LABEL = {"INSTRUCTOR": "Instructor", "COORDINADOR": "Coordinador", "ADMIN": "Administrador"}

ENUM_LABEL = {**ESTADO_LABEL, **ROLE_LABEL}


def enum_label(value: object) -> object:
    """The label of an estado or role value; anything else unchanged."""
    return ENUM_LABEL.get(value, value) if isinstance(value, str) else value
