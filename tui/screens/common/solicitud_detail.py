"""One solicitud, read-only: every field, horarios with hours, history, and its actions."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.screens.common.base import MainScreen
from tui.screens.coordinacion import solicitud_actions as sa
from tui.services import horarios as hz
from tui.services import model, solicitudes
from tui.services.model import ESTADO_LABEL
from tui.services.solicitudes import Solicitud
from tui.services.validation import FIELD_LABELS, FLAG_FIELDS
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import fecha, fecha_hora, inert
from tui.uikit.workers import service_worker, status_line

SECTIONS = tuple((s.title, s.scalar_fields) for s in model.SECTIONS if s.scalar_fields)


def _value(data: dict[str, Any], field: str) -> str:
    v = data.get("modalidad_txt") if field == "modalidad" else data.get(field)
    if v is None or v == "":
        return "—"
    if hasattr(v, "year"):
        return fecha(v)
    return str(v)


def render(sol: Solicitud) -> str:
    """The whole solicitud as plain text (shown with markup off)."""
    d = sol.data
    out = [f"{sol.codigo} · {ESTADO_LABEL[sol.estado]}"
           + (f" · Ficha {d['numeroFicha']}" if d.get("numeroFicha") else ""),
           f"Programa: {d['programa_nombre']} ({d['codigoPrograma']}) · {d['centro_nombre']}",
           f"Instructor: {d['instructor_nombre']} · Solicitada: {fecha_hora(d['fechaSolicitud'])}"]
    if d.get("fechaRevision"):
        out.append(f"Revisada: {fecha_hora(d['fechaRevision'])}"
                   + (f" · Aprobada: {fecha_hora(d['fechaAprobacion'])}"
                      if d.get("fechaAprobacion") else ""))
    if d.get("comentariosRevision"):
        out.append(f"Comentarios de revisión: {d['comentariosRevision']}")
    for title, fields in SECTIONS:
        out += ["", f"── {title} ──"]
        out += [f"{FIELD_LABELS.get(f, f)}: {_value(d, f)}" for f in fields]
    flags = [FIELD_LABELS.get(f, f) for f in FLAG_FIELDS if d.get(f)]
    out.append("Programas especiales: " + (", ".join(flags) if flags else "ninguno"))
    objetivos = d.get("objetivosPersonalizados") or []
    if objetivos:
        out.append("Objetivos personalizados:")
        out += [f"  {i}. {o}" for i, o in enumerate(objetivos, 1)]
    res = hz.calcular(list(sol.horarios), d.get("duracionMaxima"),
                      d["fechaInicioCurso"].date() if d.get("fechaInicioCurso") else None)
    out += ["", f"── Horarios ({len(sol.horarios)}) · {res.total_horas:g} h de "
                f"{d.get('duracionMaxima')} h · {res.porcentaje:.0f} % ──"]
    for h in sol.horarios:
        when = fecha(h.fecha) if h.fecha else "semanal"
        out.append(f"{hz.DIA_LABEL.get(h.dia_semana, h.dia_semana):<10} {when:<10} "
                   f"{h.hora_inicio}–{h.hora_fin} ({h.horas:g} h)"
                   + (" flexible" if h.es_flexible else "")
                   + (f" · {h.observaciones}" if h.observaciones else ""))
    out += ["", "── Historial ──"]
    for ev in sol.historial:
        desde, hasta = ev["estado_desde"] or "—", ev["estado_hasta"]
        change = (f"{ESTADO_LABEL.get(desde, desde)} → {ESTADO_LABEL.get(hasta, hasta)}"
                  if hasta else "")
        out.append(f"{fecha_hora(ev['creado_en'])} {ev['actor_nombre']}: {ev['accion']} {change}"
                   + (f" · {ev['comentario']}" if ev["comentario"] else ""))
    if not sol.historial:
        out.append("Sin historial registrado en esta aplicación.")
    return inert("\n".join(out), multiline=True)


class SolicitudDetailScreen(sa.SolicitudActions, MainScreen):
    """Detalle de la solicitud."""

    app: ShellApp  # as its bases say (one definition for the type checker)

    HELP = keymap.HELP["SolicitudDetailScreen"]
    BINDINGS = keymap.BINDINGS["SolicitudDetailScreen"]

    def __init__(self, solicitud_id: str) -> None:
        super().__init__()
        self.solicitud_id = solicitud_id
        self.sol: Solicitud | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="detail-scroll"):
            yield Static("Cargando…", id="detail-text", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#detail-scroll").focus()
        self.load()

    def refresh_data(self) -> None:
        self.load()

    @service_worker("detail", on_error=status_line("#detail-text",
                                                    "No se pudo cargar la solicitud."))
    async def load(self) -> None:
        app = self.app
        self.sol = await solicitudes.get(app.pool, app.actor, self.solicitud_id)
        self.query_one("#detail-text", Static).update(render(self.sol))
        self.refresh_bindings()

    def selected_target(self) -> sa.Target | None:
        if self.sol is None:
            return None
        d = self.sol.data
        return sa.Target(self.sol.id, self.sol.codigo, self.sol.estado, d["instructorId"],
                         d.get("numeroFicha"))

    def after_action(self, solicitud_id: str | None) -> None:
        self.load()

    def action_sol_view(self) -> None:
        return

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_scroll_down(self) -> None:
        self.query_one("#detail-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#detail-scroll", VerticalScroll).scroll_up()
