"""The coordinator's figures in two compact lines: the queue first, then the results."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from tui.services.model import EN_REVISION, ESTADO_LABEL
from tui.services.reports import Dashboard

Part = str | tuple[str, str]


def decimal(value: float, digits: int = 1) -> str:
    """A number the Spanish way: decimal comma, no trailing ",0"."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _items(*pairs: tuple[str, str | list[Part]]) -> list[Part]:
    """`label value · label value …` with plain values in bold (styled parts as given)."""
    parts: list[Part] = []
    for i, (label, value) in enumerate(pairs):
        if i:
            parts.append((" · ", "$text-muted"))
        parts.append(f"{label} ")
        parts.extend(value if isinstance(value, list) else [(value, "bold")])
    return parts


def dashboard_content(d: Dashboard) -> Content:
    """The two lines of the dashboard (plain text when styles are not shown)."""
    pendientes: list[Part] = [(str(d.pendientes), "bold")]
    if d.urgentes:
        word = "urgente" if d.urgentes == 1 else "urgentes"
        pendientes += [" (", (f"{d.urgentes} {word}", "bold $warning"), ")"]
    tasa = "—" if d.tasa_aprobacion is None else f"{decimal(d.tasa_aprobacion, 0)} %"
    dias = "—" if d.respuesta_promedio_dias is None else \
        f"{decimal(d.respuesta_promedio_dias)} días"
    first = _items(("Pendientes", pendientes), (ESTADO_LABEL[EN_REVISION], str(d.en_revision)),
                   ("Aprobadas este mes", str(d.aprobadas_mes)))
    second = _items(("Tasa de aprobación", tasa), ("Respuesta", dias),
                    ("Aprendices", str(d.aprendices_aprobados)),
                    ("Horas", str(d.horas_aprobadas)))
    return Content.assemble(*first, "\n", *second)


class DashboardTiles(Static):
    """Resumen del centro: pendientes (y urgentes, más de 7 días), en revisión, aprobadas este
    mes, tasa de aprobación, días de respuesta promedio, aprendices y horas aprobadas."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("Resumen: cargando…", markup=False, **kwargs)

    def update_dashboard(self, dashboard: Dashboard) -> None:
        self.update(dashboard_content(dashboard))
