"""What an export says, independent of its format: Spanish dates and labels, the sections of
the Ficha de Caracterización, and the columns of a list export.

The PDF and XLSX writers only lay out what this module builds, so both formats always carry
the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from tui.services import horarios as hz
from tui.services import labels
from tui.services.common import BOGOTA, Actor
from tui.services.validation import FIELD_LABELS, FLAG_FIELDS

FORM_CODE = "F11-3030-003"
FORM_TITLE = "FICHA DE CARACTERIZACIÓN"
FORM_SUBTITLE = "Solicitud de formación complementaria"
ORG = "SERVICIO NACIONAL DE APRENDIZAJE - SENA"
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")
ESTADO_LABEL = labels.ESTADO_LABEL
DIA_LABEL = {"LUNES": "Lunes", "MARTES": "Martes", "MIERCOLES": "Miércoles",
             "JUEVES": "Jueves", "VIERNES": "Viernes", "SABADO": "Sábado",
             "DOMINGO": "Domingo"}
SECTIONS = (
    ("1. Programa y responsable", (
        "fechaCaracterizacion", "responsableNombre", "responsableCedula", "responsableEmail",
        "codigoPrograma", "versionPrograma", "duracionMaxima", "cupoMaximo",
        "numeroAprendicesInscribir", "modalidad")),
    ("2. Empresa y ubicación", (
        "municipio", "departamento", "nombreEmpresa", "nitEmpresa", "codigoEmpresa",
        "representanteLegal", "fechaCreacionEmpresa", "direccionEmpresa", "telefonosEmpresa",
        "lugarFormacion", "tipoAmbiente")),
    ("3. Fechas de inscripción y del curso", (
        "inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso",
        "fechaFinalizacionCurso")),
)
LONG_TEXT = ("justificacion", "resultadosEsperados", "observaciones")
DECLARATIONS = ("cumpleRequisitos", "autorizaUsoInfo", "confirmaVeracidad")
ESTADOS = tuple(ESTADO_LABEL)
HORARIO_HEADERS = ("#", "Día", "Fecha", "Inicio", "Fin", "Horas", "Flexible", "Observaciones")


def fecha_larga(value: date | datetime | None, local: bool = False) -> str:
    """«15 de enero de 2026». Date-only columns are midnight UTC and shown as that date;
    `local=True` turns an instant into its Bogotá date."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and local:
        value = value.replace(tzinfo=timezone.utc).astimezone(BOGOTA)
    return f"{value.day} de {MESES[value.month - 1]} de {value.year}"


def fecha_hora_larga(value: datetime | None) -> str:
    """«15 de enero de 2026, 10:30» in Bogotá time."""
    if value is None:
        return "—"
    local = value.replace(tzinfo=value.tzinfo or timezone.utc).astimezone(BOGOTA)
    return f"{fecha_larga(local)}, {local:%H:%M}"


def fecha_corta(value: date | datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y}"


def si_no(value: Any) -> str:
    return "Sí" if value else "No"


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (date, datetime)):
        return fecha_larga(value)
    return str(value)


@dataclass(frozen=True)
class Ficha:
    """Everything the Ficha de Caracterización shows, as text, in order."""

    codigo: str
    titulo: str                                  # codigo · estado · ficha
    encabezado: tuple[tuple[str, str], ...]      # estado, ficha, programa, centro, instructor
    secciones: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    banderas: tuple[tuple[str, str], ...]        # the twelve flags, Sí/No, plus «Otro»
    horarios: tuple[tuple[str, ...], ...]        # rows as in HORARIO_HEADERS
    horas_resumen: str
    textos: tuple[tuple[str, str], ...]          # justificación, resultados, observaciones
    objetivos: tuple[str, ...]
    competencias: tuple[str, ...]
    resultados: tuple[str, ...]
    personalizados: tuple[str, ...]
    declaraciones: tuple[tuple[str, str], ...]
    revision: tuple[tuple[str, str], ...]        # estado, fechas, ficha, comentarios
    historial: tuple[tuple[str, str, str, str], ...]  # fecha, quién, acción, comentario
    formato: str                                 # codigoFormato · versión
    generado: str


def build_ficha(data: dict[str, Any], horarios: tuple[hz.Horario, ...],
                historial: tuple[dict[str, Any], ...], objetivos: list[str],
                competencias: list[str], resultados: list[str], now: datetime) -> Ficha:
    d = data
    estado = ESTADO_LABEL.get(d["estado_txt"], d["estado_txt"])
    ficha = d.get("numeroFicha") or "—"

    def value(f: str) -> str:
        v = d.get("modalidad_txt", d.get(f)) if f == "modalidad" else d.get(f)
        if f in ("duracionMaxima",) and v is not None:
            return f"{v} horas"
        return _text(v)

    secciones = tuple((title, tuple((FIELD_LABELS.get(f, f), value(f)) for f in fields))
                      for title, fields in SECTIONS)
    banderas = tuple((FIELD_LABELS[f], si_no(d.get(f))) for f in FLAG_FIELDS) + (
        (FIELD_LABELS["otroEspecificar"], _text(d.get("otroEspecificar"))),)
    rows = tuple(
        (str(i), DIA_LABEL.get(h.dia_semana, h.dia_semana),
         fecha_corta(h.fecha) if h.fecha else "Semanal", h.hora_inicio, h.hora_fin,
         f"{h.horas:g}", si_no(h.es_flexible), h.observaciones or "")
        for i, h in enumerate(horarios, 1))
    inicio = d["fechaInicioCurso"].date() if d.get("fechaInicioCurso") else None
    calc = hz.calcular(list(horarios), d.get("duracionMaxima"), inicio)
    resumen = (f"{len(horarios)} horarios · {calc.total_horas:g} h programadas de "
               f"{d.get('duracionMaxima')} h ({calc.porcentaje:.0f} %)")
    revision = (
        ("Estado", estado), ("Número de ficha", ficha),
        ("Fecha de solicitud", fecha_hora_larga(d.get("fechaSolicitud"))
         if d["estado_txt"] != "BORRADOR" else "—"),
        ("Fecha de revisión", fecha_hora_larga(d.get("fechaRevision"))),
        ("Fecha de aprobación", fecha_hora_larga(d.get("fechaAprobacion"))),
        ("Comentarios de revisión", _text(d.get("comentariosRevision"))),
    )
    hist = tuple((fecha_hora_larga(ev["creado_en"]), str(ev["actor_nombre"]),
                  str(ev["accion"]) + (f" ({ev['estado_desde'] or '—'} → {ev['estado_hasta']})"
                                       if ev.get("estado_hasta") else ""),
                  str(ev.get("comentario") or ""))
                 for ev in historial)
    return Ficha(
        codigo=str(d["codigo"]),
        titulo=f"Solicitud {d['codigo']} · {estado}"
               + (f" · Ficha {d['numeroFicha']}" if d.get("numeroFicha") else ""),
        encabezado=(("Código de la solicitud", str(d["codigo"])), ("Estado", estado),
                    ("Número de ficha", ficha),
                    ("Programa", f"{d['programa_nombre']} ({d['codigoPrograma']})"),
                    ("Centro de formación", str(d.get("centro_nombre") or "—")),
                    ("Instructor", f"{d['instructor_nombre']} "
                                   f"<{d.get('instructor_email') or ''}>")),
        secciones=secciones, banderas=banderas, horarios=rows, horas_resumen=resumen,
        textos=tuple((FIELD_LABELS[f], _text(d.get(f))) for f in LONG_TEXT),
        objetivos=tuple(objetivos), competencias=tuple(competencias),
        resultados=tuple(resultados),
        personalizados=tuple(str(x) for x in (d.get("objetivosPersonalizados") or [])),
        declaraciones=tuple((FIELD_LABELS[f], si_no(d.get(f))) for f in DECLARATIONS),
        revision=revision, historial=hist,
        formato=f"{d.get('codigoFormato') or FORM_CODE} · versión "
                f"{d.get('versionDocumento') or '1'}",
        generado=fecha_hora_larga(now),
    )


# ---- list exports ------------------------------------------------------------------------------
LIST_COLUMNS = (
    ("Código", lambda r: r["codigo"]),
    ("Estado", lambda r: ESTADO_LABEL.get(r["estado"], r["estado"])),
    ("Fecha de solicitud", lambda r: fecha_corta(r["fechaSolicitud"])),
    ("Número de ficha", lambda r: r["numeroFicha"] or ""),
    ("Código del programa", lambda r: r["programa_codigo"]),
    ("Programa", lambda r: r["programa_nombre"]),
    ("Centro", lambda r: r["centro_codigo"]),
    ("Nombre del centro", lambda r: r["centro_nombre"]),
    ("Instructor", lambda r: r["instructor_nombre"]),
    ("Correo del instructor", lambda r: r["instructor_email"]),
    ("Empresa", lambda r: r["nombreEmpresa"]),
    ("NIT", lambda r: r["nitEmpresa"] or ""),
    ("Municipio", lambda r: r["municipio"]),
    ("Departamento", lambda r: r["departamento"]),
    ("Modalidad", lambda r: r["modalidad"]),
    ("Aprendices", lambda r: r["numeroAprendicesInscribir"]),
    ("Horas", lambda r: r["duracionMaxima"]),
    ("Inicio del curso", lambda r: fecha_corta(r["fechaInicioCurso"])),
    ("Fin del curso", lambda r: fecha_corta(r["fechaFinalizacionCurso"])),
    ("Fecha de revisión", lambda r: fecha_corta(r["fechaRevision"])),
    ("Fecha de aprobación", lambda r: fecha_corta(r["fechaAprobacion"])),
)
LIST_HEADERS = tuple(label for label, _f in LIST_COLUMNS)


def list_row(r: dict[str, Any]) -> list[Any]:
    return [f(r) for _label, f in LIST_COLUMNS]


@dataclass
class Group:
    """Counts of one centro, instructor or programa, per estado, plus approved totals."""

    key: str
    label: str
    detail: str = ""
    por_estado: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ESTADOS, 0))
    aprendices_aprobados: int = 0
    horas_aprobadas: int = 0

    @property
    def total(self) -> int:
        return sum(self.por_estado.values())

    def add(self, r: dict[str, Any]) -> None:
        self.por_estado[r["estado"]] += 1
        if r["estado"] == "APROBADA":
            self.aprendices_aprobados += int(r["numeroAprendicesInscribir"] or 0)
            self.horas_aprobadas += int(r["duracionMaxima"] or 0)


@dataclass
class ListSummary:
    """Aggregates of a list export, accumulated while its rows stream by."""

    actor: Actor
    filtros_texto: str
    generado: str
    total: Group = field(default_factory=lambda: Group("", "Total"))
    por_centro: dict[str, Group] = field(default_factory=dict)
    por_instructor: dict[str, Group] = field(default_factory=dict)
    por_programa: dict[str, Group] = field(default_factory=dict)

    def add(self, r: dict[str, Any]) -> None:
        self.total.add(r)
        for groups, key, label, detail in (
                (self.por_centro, r["centro_id"], r["centro_codigo"], r["centro_nombre"]),
                (self.por_instructor, r["instructorId"], r["instructor_nombre"],
                 r["instructor_email"]),
                (self.por_programa, r["programa_id"], r["programa_codigo"],
                 r["programa_nombre"])):
            groups.setdefault(key, Group(key, label, detail)).add(r)

    def porcentaje(self, estado: str) -> float:
        n = self.total.total
        return 100.0 * self.total.por_estado[estado] / n if n else 0.0

    @staticmethod
    def ordered(groups: dict[str, Group]) -> list[Group]:
        return sorted(groups.values(), key=lambda g: (g.label.lower(), g.detail, g.key))
