"""Spanish labels of the choice fields of a solicitud (the estado labels live with the
estados, in `solicitudes.ESTADO_LABEL`; the day labels in `horarios.DIA_LABEL`)."""

from __future__ import annotations

from typing import Final

MODALIDAD_LABEL: Final = {
    "PRESENCIAL": "Presencial", "VIRTUAL": "Virtual", "MIXTA": "Mixta",
    "DESESCOLARIZADA": "Desescolarizada", "COMBINADA": "Combinada",
}
AMBIENTE_LABEL: Final = {
    "AULA": "Aula", "AULA_MOVIL": "Aula móvil", "LABORATORIO": "Laboratorio",
    "TALLER": "Taller", "CAMPO": "Campo", "EMPRESA": "Empresa",
}
ROLE_LABEL: Final = {"INSTRUCTOR": "Instructor", "COORDINADOR": "Coordinador",
                     "ADMIN": "Administrador"}
