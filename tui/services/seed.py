"""Load the demo data of seeds/demo.json, idempotently, in one transaction.

Every row is matched by its natural key (centro/programa/solicitud codigo, user email), so the
seed can run on an empty database, on one the web app filled, or twice: nothing existing is
changed and nothing is duplicated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

from tui.db.queries import Q
from tui.paths import SEEDS_DIR
from tui.services import model
from tui.services.ids import new_id

DEMO_FILE = SEEDS_DIR / "demo.json"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def add(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


def demo_data(path: Path = DEMO_FILE) -> dict[str, Any]:
    return cast("dict[str, Any]", json.loads(path.read_text(encoding="utf-8")))


def demo_accounts(path: Path = DEMO_FILE) -> list[tuple[str, str, str]]:
    """(email, role, password) of every demo account, for the login hint and the README."""
    data = demo_data(path)
    return [(u["email"], u["role"], data["passwords"][u["role"]]) for u in data["users"]]


def _ts(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    return datetime.fromisoformat(value)


def load_demo(conn: Any, path: Path = DEMO_FILE) -> SeedReport:
    """Insert what is missing of the demo data on a sync psycopg connection."""
    data = demo_data(path)
    report = SeedReport()
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with conn.transaction():
        centros: dict[str, str] = {}
        for c in data["centros"]:
            row = Q.seed_centro(conn, id=new_id(), now=now, **c)
            centros[c["codigo"]] = row[0]
            report.add("centros", int(row[1]))
        users: dict[str, str] = {}
        for u in data["users"]:
            u = dict(u)
            centro = u.pop("centro")
            row = Q.seed_user(conn, id=new_id(), now=now, centro_id=centros[centro], **u)
            if row is None:
                report.skipped.append(f"usuario {u['email']}: la cédula ya existe")
                continue
            users[u["email"]] = row[0]
            report.add("usuarios", int(row[1]))
        programas: dict[str, str] = {}
        for p in data["programas"]:
            row = Q.seed_programa(
                conn,
                id=new_id(),
                now=now,
                codigo=p["codigo"],
                nombre=p["nombre"],
                tipo_formacion=p["tipoFormacion"],
                modalidad=p["modalidad"],
                duracion_horas=p["duracionHoras"],
                cupo_aprendices=p["cupoAprendices"],
                descripcion=p["descripcion"],
                centro_id=centros[p["centro"]],
            )
            programas[p["codigo"]] = row[0]
            if row[1]:
                report.add("programas")
                _programa_children(conn, row[0], p)
        names = {u["email"]: u["name"] for u in data["users"]}
        centro_of = {p["codigo"]: p["centro"] for p in data["programas"]}
        reviewer = {u["centro"]: u["email"] for u in reversed(data["users"])
                    if u["role"] == "COORDINADOR" and u["email"] in users}
        for s in data["solicitudes"]:
            if s["instructor"] not in users:
                report.skipped.append(f"solicitud {s['codigo']}: falta su instructor")
                continue
            sol_id = _solicitud(conn, s, users[s["instructor"]], programas[s["programa"]], now,
                                report)
            if sol_id is not None:
                by = {"owner": s["instructor"],
                      "reviewer": reviewer.get(centro_of[s["programa"]], s["instructor"])}
                rows = _history(s)
                for row in rows:
                    who = by[row.pop("who")]
                    Q.seed_historial(conn, solicitud_id=sol_id, actor_id=users[who],
                                     actor_nombre=names[who], **row)
                report.add("historial", len(rows))
        for n in data["notificaciones"]:
            if n["usuario"] not in users:
                continue
            sol_id = (
                Q.solicitud_id_by_codigo(conn, codigo=n["solicitud"]) if n["solicitud"] else None
            )
            Q.seed_notificacion(
                conn,
                id=new_id(),
                tipo=n["tipo"],
                titulo=n["titulo"],
                mensaje=n["mensaje"],
                leida=n["leida"],
                fecha=_ts(n["fecha"]),
                usuario_id=users[n["usuario"]],
                solicitud_id=sol_id,
            )
    return report


def _programa_children(conn: Any, programa_id: str, p: dict[str, Any]) -> None:
    for orden, desc in enumerate(p["objetivos"], start=1):
        Q.insert_objetivo(conn, id=new_id(), descripcion=desc, programa_id=programa_id, orden=orden)
    for c in p["competencias"]:
        Q.insert_competencia(conn, id=new_id(), programa_id=programa_id, **c)
    for r in p["resultados"]:
        Q.insert_resultado(conn, id=new_id(), programa_id=programa_id, **r)


_DATE_FIELDS = (
    "fechaCaracterizacion",
    "fechaCreacionEmpresa",
    "inicioInscripcion",
    "finalizacionInscripcion",
    "fechaInicioCurso",
    "fechaFinalizacionCurso",
    "fechaSolicitud",
    "fechaRevision",
    "fechaAprobacion",
)


def _solicitud(
    conn: Any,
    s: dict[str, Any],
    instructor_id: str,
    programa_id: str,
    now: datetime,
    report: SeedReport,
) -> str | None:
    values = {k: v for k, v in s.items() if k not in ("instructor", "programa", "horarios")}
    for k in _DATE_FIELDS:
        values[k] = _ts(values.get(k))
    values.setdefault("fechaRevision", None)
    values.setdefault("fechaAprobacion", None)
    values.setdefault("comentariosRevision", None)
    values.setdefault("numeroFicha", None)
    values.update(
        id=new_id(),
        instructorId=instructor_id,
        programaId=programa_id,
        createdAt=values["fechaSolicitud"],
        updatedAt=now,
    )
    for flag in (
        "programaEmprendimiento",
        "programaBilinguismo",
        "atencionInstituciones",
        "posconflicto",
        "senaEmprendeRural",
        "formacionEspecialMypimes",
        "senaEmprendeRuralPosconflicto",
        "tecnoacademiaSennova",
        "campesenaConvenio8842",
        "fullPopularConvenio8882",
        "icbfInstituto",
        "policiaNacional",
    ):
        values.setdefault(flag, False)
    values.setdefault("otroEspecificar", None)
    row = Q.insert_solicitud(conn, **values)
    if row is None:
        return None
    report.add("solicitudes")
    for h in s["horarios"]:
        Q.insert_horario(
            conn,
            id=new_id(),
            solicitud_id=row[0],
            dia_semana=h["diaSemana"],
            fecha=_ts(h.get("fecha")),
            hora_inicio=h["horaInicio"],
            hora_fin=h["horaFin"],
            es_flexible=h.get("esFlexible", True),
            observaciones=h.get("observaciones"),
        )
    report.add("horarios", len(s["horarios"]))
    return str(row[0])


_STEP_DATE = {"submit": "fechaSolicitud", "take": "fechaRevision", "approve": "fechaAprobacion",
              "reject": "fechaRevision", "cancel": "fechaRevision"}


def _history(s: dict[str, Any]) -> list[dict[str, Any]]:
    """The history rows of a demo solicitud: created, then each step from BORRADOR to its
    estado (transitions.path_to), dated from the solicitud's own dates."""
    from tui.services.transitions import RULES, path_to

    created = _ts(s["fechaSolicitud"])
    accion, estado = model.CREATED
    rows = [dict(who="owner", accion=accion, estado_desde=None, estado_hasta=estado,
                 comentario=None, creado_en=created)]
    for action in path_to(s["estado"]):
        rule = RULES[action]
        comment = None
        if action == "approve":
            comment = s.get("comentariosRevision") or f"Ficha {s.get('numeroFicha')}"
        elif action == "reject":
            comment = s.get("comentariosRevision")
        rows.append(dict(who=rule.who, accion=rule.accion, estado_desde=rows[-1]["estado_hasta"],
                         estado_hasta=rule.hasta, comentario=comment,
                         creado_en=_ts(s.get(_STEP_DATE[action])) or rows[-1]["creado_en"]))
    return rows
