"""The Spanish labels of the enum values, re-exported from `tui.services.model`, where they
are defined (the day labels live in `horarios.DIA_LABEL`)."""

from __future__ import annotations

from tui.services.model import (
    AMBIENTE_LABEL,
    ENUM_LABEL,
    ESTADO_LABEL,
    ESTADOS,
    MODALIDAD_LABEL,
    ROLE_LABEL,
    ROLES,
    enum_label,
)

__all__ = ["AMBIENTE_LABEL", "ENUM_LABEL", "ESTADOS", "ESTADO_LABEL", "MODALIDAD_LABEL",
           "ROLES", "ROLE_LABEL", "enum_label"]
