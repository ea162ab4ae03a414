"""The estado transitions of DOMAIN.md, each one transaction.

Every transition locks the solicitud row (SELECT … FOR UPDATE), checks who may do it from
which estado, writes the estado and its dates, the notifications and a history row, and
commits them together. Two users acting at once are serialised by the row lock; the second
sees the first one's estado and gets a clear refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from typing import Any

import psycopg

from tui.db import pipeline
from tui.db.queries import AQ
from tui.services import audit, model, numbering
from tui.services import notifications as notif
from tui.services.boundary import checked
from tui.services.common import (
    Actor,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ServiceError,
    actor_call,
    actor_from,
    bogota_year,
    utcnow,
)
from tui.services.horarios import Horario
from tui.services.solicitudes import (
    ESTADO_LABEL,
    Solicitud,
    create_draft,
    form_values,
    get,
    history_call,
    read_calls,
    solicitud_from,
)
from tui.services.validation import FieldError, ValidationFailed, validate_submit

MAX_COMMENT = 2000


Rule = model.Transition
RULES: dict[str, Rule] = {t.action: t for t in model.TRANSITIONS if t.changes_estado}
"""The estado-changing transitions of the model, by action (duplicate and edit are not)."""


def path_to(estado: str) -> list[str]:
    """The shortest run of RULES (by the instructor and a reviewer) from the draft to `estado`:
    how a solicitud got there. The demo data's history is written from it."""
    paths: dict[str, list[str]] = {model.DRAFT: []}
    frontier = [model.DRAFT]
    while frontier:
        nxt = []
        for desde in frontier:
            for action, rule in RULES.items():
                hasta = rule.hasta
                if rule.who != model.ADMIN_ONLY and desde in rule.desde \
                        and hasta is not None and hasta not in paths:
                    paths[hasta] = [*paths[desde], action]
                    nxt.append(hasta)
        frontier = nxt
    return paths[estado]


def _comment(text: str | None, action: str) -> str | None:
    """The comment of `action`, stripped; refused if it is required and blank, or too long."""
    required = model.TRANSITION[action].comment_required
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed((FieldError("comentarios", f"Comentarios: {required}"),))
    if len(text) > MAX_COMMENT:
        raise ValidationFailed((FieldError("comentarios",
                                           f"Comentarios: máximo {MAX_COMMENT} caracteres."),))
    return text or None


def check(actor: Actor, row: dict[str, Any], rule: Rule) -> None:
    """Refuse `rule` on the (locked) solicitud `row` unless the model permits it to `actor`:
    who may act is checked before the estado, so a refusal leaks nothing."""
    reason = model.refusal(rule, actor.role, row["instructorId"] == actor.id,
                           row["programa_centro_id"] == actor.centro_id)
    if reason:
        raise PermissionDenied(reason)
    _check_estado(row, rule)


def _check_estado(row: dict[str, Any], rule: Rule) -> None:
    estado = row["estado_txt"]
    if estado not in rule.desde:
        raise InvalidTransition(
            f"No se puede: la solicitud {row['codigo']} está "
            f"{ESTADO_LABEL[estado].lower()} (puede haberla cambiado otra persona)."
        )


async def _run(pool: Pool, actor: Actor, solicitud_id: str, action: str,
               comentario: str | None = None, numero_ficha: str | None = None) -> Solicitud:
    rule = RULES[action]
    async with pool.connection() as conn:
        try:
            async with conn.transaction():
                # the actor as stored now and the locked row in one round trip; the actor
                # is checked first (a refusal rolls the lock back)
                me, found = await pipeline.run(
                    conn, actor_call(actor), (AQ.solicitud_for_update, dict(id=solicitud_id)))
                actor = actor_from(me[0] if me else None)
                row = found[0] if found else None
                if row is None:
                    raise NotFound("La solicitud no existe.")
                check(actor, row, rule)
                return await _apply(conn, actor, row, action, rule, comentario, numero_ficha)
        except psycopg.errors.UniqueViolation as exc:
            raise ServiceError(f"El número de ficha {numero_ficha} ya está asignado a otra "
                               "solicitud.") from exc


async def _apply(conn: Any, actor: Actor, row: dict[str, Any], action: str, rule: Rule,
                 comentario: str | None, numero_ficha: str | None) -> Solicitud:
    """The transition's writes on the locked `row`, and the solicitud as it is then (read in
    the same transaction). What depends on nothing read here (the notifications, the estado,
    the history row, the read-back) goes to the server in one round trip."""
    now = utcnow()
    sid, codigo, instructor = row["id"], row["codigo"], row["instructorId"]
    values = dict(estado=rule.hasta, fecha_solicitud=row["fechaSolicitud"],
                  fecha_revision=row["fechaRevision"], fecha_aprobacion=row["fechaAprobacion"],
                  comentarios=row["comentariosRevision"], numero_ficha=row["numeroFicha"])
    notes: list[pipeline.Call] = []

    def note(tipo: str, titulo: str, mensaje: str, to: str = instructor) -> None:
        notes.append(notif.create_call(to, tipo, titulo, mensaje, sid))

    def to_coordinadores(coordinadores: list[Any], tipo: str, titulo: str, mensaje: str) -> None:
        for c in coordinadores:
            note(tipo, titulo, mensaje, c["id"])

    if action == "submit":
        rows, coordinadores = await pipeline.run(
            conn, (AQ.horarios_of, dict(solicitud_id=sid)),
            notif.coordinadores_call(row["programa_centro_id"]))
        horarios = [Horario(r["diaSemana"], r["horaInicio"], r["horaFin"],
                            r["fecha"].date() if r["fecha"] else None, r["esFlexible"],
                            r["observaciones"])
                    for r in rows]
        errors = validate_submit(form_values(row), horarios)
        if errors:
            raise ValidationFailed(tuple(errors))
        values["fecha_solicitud"] = now
        to_coordinadores(
            coordinadores, "NUEVA_SOLICITUD", "Nueva solicitud de formación",
            f"{row['instructor_nombre']} ha enviado una nueva solicitud de formación "
            f"complementaria ({codigo})")
    elif action == "cancel":
        if row["estado_txt"] == model.PENDIENTE:
            coordinadores, = await pipeline.run(
                conn, notif.coordinadores_call(row["programa_centro_id"]))
            to_coordinadores(coordinadores, "SISTEMA", "Solicitud cancelada",
                             f"{row['instructor_nombre']} canceló la solicitud {codigo}.")
    elif action == "take":
        values["fecha_revision"] = now
        note("SOLICITUD_REVISION", "Solicitud en revisión",
             f"Tu solicitud {codigo} está siendo revisada")
    elif action == "return":
        values["comentarios"] = comentario
        note("SOLICITUD_REVISION", "Solicitud en revisión",
             f"Tu solicitud {codigo} fue devuelta con comentarios: {comentario}")
    elif action == "approve":
        if numero_ficha:
            ficha = numero_ficha
            owner = await numbering.ficha_taken_by(conn, ficha)
            if owner is not None:
                raise ServiceError(f"El número de ficha {ficha} ya está asignado a la solicitud "
                                   f"{owner}.")
        else:  # free: next_ficha skips the numbers already stored
            ficha = await numbering.next_ficha(conn, bogota_year())
        values.update(fecha_aprobacion=now, numero_ficha=ficha,
                      comentarios=comentario or row["comentariosRevision"])
        if values["fecha_revision"] is None:
            values["fecha_revision"] = now
        note("SOLICITUD_APROBADA", "Solicitud aprobada",
             f"Tu solicitud {codigo} ha sido aprobada. Número de ficha asignado: {ficha}")
        note("ASIGNACION_FICHA", "Ficha asignada",
             f"Se ha asignado el número de ficha {ficha} a tu solicitud aprobada")
        comentario = comentario or f"Ficha {ficha}"
    elif action == "reject":
        values.update(fecha_revision=now, comentarios=comentario)
        note("SOLICITUD_RECHAZADA", "Solicitud rechazada",
             f"Tu solicitud {codigo} ha sido rechazada. Comentarios: {comentario}")
    elif action == "admin_cancel":
        values["comentarios"] = comentario
        note("SISTEMA", "Solicitud aprobada cancelada",
             f"Tu solicitud {codigo} (ficha {row['numeroFicha']}) fue cancelada por un "
             f"administrador. Motivo: {comentario}")
    results = await audit.record_with(
        conn, [*notes, (AQ.transition_solicitud, dict(id=sid, now=now, **values)),
               history_call(actor, sid, rule.accion, row["estado_txt"], rule.hasta, comentario),
               *read_calls(actor, sid)],
        "transition", actor=actor, target=sid,
        detail={"codigo": codigo, "accion": action, "desde": row["estado_txt"],
                "hasta": rule.hasta, "ficha": values["numero_ficha"]})
    return solicitud_from(results)


# ---- the public operations -------------------------------------------------------------------
@checked
async def submit(pool: Pool, actor: Actor, solicitud_id: str) -> Solicitud:
    """Draft → sent after full validation (the three declarations included)."""
    return await _run(pool, actor, solicitud_id, "submit")


@checked
async def cancel(pool: Pool, actor: Actor, solicitud_id: str,
                 motivo: str | None = None) -> Solicitud:
    return await _run(pool, actor, solicitud_id, "cancel", _comment(motivo, "cancel"))


@checked
async def take_into_review(pool: Pool, actor: Actor, solicitud_id: str) -> Solicitud:
    return await _run(pool, actor, solicitud_id, "take")


@checked
async def return_to_instructor(pool: Pool, actor: Actor, solicitud_id: str,
                               comentarios: str) -> Solicitud:
    return await _run(pool, actor, solicitud_id, "return", _comment(comentarios, "return"))


@checked
async def approve(pool: Pool, actor: Actor, solicitud_id: str, numero_ficha: str | None = None,
                  comentarios: str | None = None) -> Solicitud:
    """Approve with the next ficha of the year, or a typed one (validated, unique)."""
    ficha = numbering.check_typed_ficha(numero_ficha) if numero_ficha else None
    return await _run(pool, actor, solicitud_id, "approve", _comment(comentarios, "approve"), ficha)


@checked
async def reject(pool: Pool, actor: Actor, solicitud_id: str, comentarios: str) -> Solicitud:
    return await _run(pool, actor, solicitud_id, "reject", _comment(comentarios, "reject"))


@checked
async def admin_cancel(pool: Pool, actor: Actor, solicitud_id: str, motivo: str) -> Solicitud:
    return await _run(pool, actor, solicitud_id, "admin_cancel",
                      _comment(motivo, "admin_cancel"))


@checked
async def duplicate(pool: Pool, actor: Actor, solicitud_id: str) -> Solicitud:
    """A rejected or cancelled solicitud → a new draft with the same form and horarios, new
    codigo (model.TRANSITION["duplicate"])."""
    original = await get(pool, actor, solicitud_id)
    rule = model.TRANSITION["duplicate"]
    reason = model.refusal(rule, actor.role, original.data["instructorId"] == actor.id)
    if reason:
        raise PermissionDenied(reason)
    if original.estado not in rule.desde:
        raise InvalidTransition("Solo se duplican solicitudes " + " o ".join(
            f"{ESTADO_LABEL[e].lower()}s" for e in rule.desde) + ".")
    form = form_values(original.data)
    form.update(dict.fromkeys(model.DECLARATIONS, False))
    copy = await create_draft(pool, actor, form, list(original.horarios))
    return copy
