"""What an export says, independent of its format: Spanish dates and labels, the sections of
the Ficha de Caracterización, and the columns of a list export.

The PDF and XLSX writers only lay out what this module builds, so both formats always carry
the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tui.render.format import local_date, local_datetime, numero, plural
from tui.services import horarios as hz
from tui.services import model
from tui.services.common import Actor
from tui.services.horarios import DIA_LABEL
from tui.services.model import AMBIENTE_LABEL, ESTADO_LABEL, ESTADOS, MODALIDAD_LABEL
from tui.services.validation import DATE_FIELDS, FIELD_LABELS, FLAG_FIELDS, INT_FIELDS

FORM_CODE = "F11-3030-003"
FORM_TITLE = "FICHA DE CARACTERIZACIÓN"
FORM_SUBTITLE = "Solicitud de formación complementaria"
ORG = "SERVICIO NACIONAL DE APRENDIZAJE - SENA"
MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
         "septiembre", "octubre", "noviembre", "diciembre")
CHOICE_LABELS = {"modalidad": MODALIDAD_LABEL, "tipoAmbiente": AMBIENTE_LABEL}
SECTIONS = (
    *((f"{n}. {s.title}", s.scalar_fields) for n, s in enumerate(model.SECTIONS[:2], 1)),
    ("3. Fechas de inscripción y del curso", model.DATE_ORDER),
)
# The numbered sections after the first three, shared by the PDF and the XLSX.
SECTION_TITLES = {
    "banderas": "4. Programas especiales", "horarios": "5. Horarios",
    "textos": "6. Justificación y resultados",
    "contenido": "7. Objetivos, competencias y resultados de aprendizaje",
    "declaraciones": "8. Declaraciones", "revision": "9. Estado y revisión",
    "historial": "10. Historial",
}
LONG_TEXT = ("justificacion", "resultadosEsperados", "observaciones")
DECLARATIONS = model.DECLARATIONS
HORARIO_HEADERS = ("#", "Día", "Fecha", "Inicio", "Fin", "Horas", "Flexible", "Observaciones")


def fecha_larga(value: date | datetime | None, local: bool = False) -> str:
    """«15 de enero de 2026». Date-only columns are midnight UTC and shown as that date;
    `local=True` turns an instant into its Bogotá date."""
    day = local_date(value, instant=local)
    if day is None:
        return "—"
    return f"{day.day} de {MESES[day.month - 1]} de {day.year}"


def fecha_hora_larga(value: datetime | None) -> str:
    """«15 de enero de 2026, 10:30» in Bogotá time."""
    if value is None:
        return "—"
    local = local_datetime(value)
    return f"{fecha_larga(local.date())}, {local:%H:%M}"


def hora_local(value: datetime | None) -> datetime | None:
    """An instant as the Bogotá wall-clock time (naive: what a spreadsheet shows)."""
    return None if value is None else local_datetime(value).replace(tzinfo=None)


def fecha_corta(value: date | datetime | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y}"


def si_no(value: Any) -> str:
    return "Sí" if value else "No"


def texto(value: Any) -> str:
    """How a typed value reads in a PDF: dates in words, numbers with thousands dots and
    decimal commas, empty values as «—»."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return si_no(value)
    if isinstance(value, datetime):  # a Bogotá time (hora_local)
        return f"{fecha_larga(value.date())}, {value:%H:%M}"
    if isinstance(value, date):
        return fecha_larga(value)
    if isinstance(value, (int, float)):
        return numero(value)
    return str(value)


def estado_label(estado: str | None) -> str:
    return ESTADO_LABEL.get(estado or "", estado or "—")


Pairs = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Ficha:
    """Everything the Ficha de Caracterización shows, in order. Values are typed (dates,
    numbers, text): the PDF writes them as words (`texto`), the XLSX as typed cells."""

    codigo: str
    titulo: str                                  # codigo · estado · ficha
    encabezado: Pairs                            # estado, ficha, programa, centro, instructor
    secciones: tuple[tuple[str, Pairs], ...]
    banderas: Pairs                              # the twelve flags, Sí/No, plus «Otro»
    horarios: tuple[tuple[Any, ...], ...]        # rows as in HORARIO_HEADERS, typed
    horas_resumen: str
    textos: Pairs                                # justificación, resultados, observaciones
    objetivos: tuple[str, ...]
    competencias: tuple[str, ...]
    resultados: tuple[str, ...]
    personalizados: tuple[str, ...]
    declaraciones: Pairs
    revision: Pairs                              # estado, fechas, ficha, comentarios
    historial: tuple[tuple[Any, str, str, str], ...]  # fecha y hora, quién, acción, comentario
    formato: str                                 # codigoFormato · versión
    generado: str


def _field(d: dict[str, Any], f: str) -> Any:
    """A field's value as the ficha shows it: dates as dates, integers as integers, choices
    by their Spanish label, empty text as None."""
    v = d.get("modalidad_txt", d.get(f)) if f == "modalidad" else d.get(f)
    if v is None or v == "":
        return None
    if f in DATE_FIELDS:
        return local_date(v, instant=False)
    if f in INT_FIELDS:
        return int(v)
    if f in CHOICE_LABELS:
        return CHOICE_LABELS[f].get(str(v), str(v))
    return str(v)


def _accion(ev: dict[str, Any]) -> str:
    accion = str(ev["accion"])
    if ev.get("estado_hasta"):
        desde = estado_label(ev["estado_desde"]) if ev.get("estado_desde") else "—"
        accion += f" ({desde} → {estado_label(ev['estado_hasta'])})"
    return accion


def build_ficha(data: dict[str, Any], horarios: tuple[hz.Horario, ...],
                historial: tuple[dict[str, Any], ...], objetivos: list[str],
                competencias: list[str], resultados: list[str], now: datetime) -> Ficha:
    d = data
    estado = estado_label(d["estado_txt"])
    ficha = d.get("numeroFicha") or "—"
    secciones = tuple((title, tuple((FIELD_LABELS.get(f, f), _field(d, f)) for f in fields))
                      for title, fields in SECTIONS)
    banderas = (*((FIELD_LABELS[f], si_no(d.get(f))) for f in FLAG_FIELDS),
                (FIELD_LABELS["otroEspecificar"], _field(d, "otroEspecificar")))
    rows = tuple(
        (i, DIA_LABEL.get(h.dia_semana, h.dia_semana), h.fecha or "Semanal", h.hora_inicio,
         h.hora_fin, round(h.horas, 2), si_no(h.es_flexible), h.observaciones or "")
        for i, h in enumerate(horarios, 1))
    inicio = d["fechaInicioCurso"].date() if d.get("fechaInicioCurso") else None
    calc = hz.calcular(list(horarios), d.get("duracionMaxima"), inicio)
    maxima = d.get("duracionMaxima")
    resumen = (f"{plural(len(horarios), 'horario')} · {numero(calc.total_horas)} h "
               f"programadas de {numero(maxima) if maxima is not None else '—'} h "
               f"({numero(calc.porcentaje, 0)} %)")
    revision = (
        ("Estado", estado), ("Número de ficha", ficha),
        ("Fecha de solicitud", hora_local(d.get("fechaSolicitud"))
         if d["estado_txt"] != model.DRAFT else None),
        ("Fecha de revisión", hora_local(d.get("fechaRevision"))),
        ("Fecha de aprobación", hora_local(d.get("fechaAprobacion"))),
        ("Comentarios de revisión", _field(d, "comentariosRevision")),
    )
    hist = tuple((hora_local(ev["creado_en"]), str(ev["actor_nombre"]), _accion(ev),
                  str(ev.get("comentario") or "")) for ev in historial)
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
        textos=tuple((FIELD_LABELS[f], _field(d, f)) for f in LONG_TEXT),
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
def _sent(r: dict[str, Any]) -> date | None:
    """A draft was never sent: it shows no fecha de solicitud."""
    return None if r["estado"] == model.DRAFT else local_date(r["fechaSolicitud"], instant=True)


LIST_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("Código", lambda r: r["codigo"]),
    ("Estado", lambda r: estado_label(r["estado"])),
    ("Fecha de solicitud", _sent),
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
    ("Modalidad", lambda r: MODALIDAD_LABEL.get(r["modalidad"], r["modalidad"])),
    ("Aprendices", lambda r: r["numeroAprendicesInscribir"]),
    ("Horas", lambda r: r["duracionMaxima"]),
    ("Inicio del curso", lambda r: local_date(r["fechaInicioCurso"], instant=False)),
    ("Fin del curso", lambda r: local_date(r["fechaFinalizacionCurso"], instant=False)),
    ("Fecha de revisión", lambda r: local_date(r["fechaRevision"], instant=True)),
    ("Fecha de aprobación", lambda r: local_date(r["fechaAprobacion"], instant=True)),
)
LIST_HEADERS = tuple(label for label, _f in LIST_COLUMNS)


def list_row(r: dict[str, Any]) -> list[Any]:
    """One solicitud as typed cells (text, dates, integers) in LIST_HEADERS order."""
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
        if r["estado"] == model.APROBADA:
            self.aprendices_aprobados += int(r["numeroAprendicesInscribir"] or 0)
            self.horas_aprobadas += int(r["duracionMaxima"] or 0)


@dataclass
class ListSummary:
    """Aggregates of a list export, accumulated while its rows stream by."""

    actor: Actor
    filtros_texto: str
    generado: str
    alcance: str = ""              # «Centro CIDM - …», «Todos los centros», «Solicitudes de …»
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
