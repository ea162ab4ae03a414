"""Programas de formación: reading in scope, the solicitud form's picker, and management.

Scope (here and in the WHERE of sql/queries/admin_programas.sql): instructors read the active
programas of their own centro; coordinators read and manage every programa of their own
centro; admins everything. Codes are stored upper-case and unique without regard to case.
The contenido (objetivos, competencias, resultados) is always replaced as a whole, in one
transaction, with objetivos numbered 1..n in the order given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from tui.db.queries import AQ
from tui.services.boundary import checked
from tui.services.centros import like_pattern
from tui.services.common import (
    Actor,
    Conflict,
    NotFound,
    Orders,
    Page,
    PermissionDenied,
    clamp_limit,
    decode_cursor,
    keyset_page,
    orden_of,
    refresh_actor,
    utcnow,
)
from tui.services.ids import new_id
from tui.services.programa_rules import (  # noqa: F401 - Item and LABELS are part of this API
    LABELS,
    TIPOS_FORMACION,
    Item,
    validate,
    validate_contenido,
)
from tui.services.validation import FieldError, ValidationFailed

ORDENES: Orders = {"nombre": "nombre", "codigo": "código"}
"""The orders of the list (the branches of admin_programa_list; each key is its cursor's
column)."""


@dataclass(frozen=True)
class Programa:
    id: str
    codigo: str
    nombre: str
    tipo_formacion: str
    modalidad: str
    duracion_horas: int
    cupo_aprendices: int
    descripcion: str | None
    centro_id: str
    centro_codigo: str
    centro_nombre: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Objetivo:
    orden: int
    descripcion: str


@dataclass(frozen=True)
class ProgramaDetalle:
    programa: Programa
    objetivos: tuple[Objetivo, ...]
    competencias: tuple[Item, ...]
    resultados: tuple[Item, ...]


def _row(r: dict[str, Any]) -> Programa:
    return Programa(id=r["id"], codigo=r["codigo"], nombre=r["nombre"],
                    tipo_formacion=r["tipoFormacion"], modalidad=r["modalidad"],
                    duracion_horas=r["duracionHoras"], cupo_aprendices=r["cupoAprendices"],
                    descripcion=r["descripcion"], centro_id=r["centroId"],
                    centro_codigo=r["centro_codigo"], centro_nombre=r["centro_nombre"],
                    is_active=r["isActive"], created_at=r["createdAt"], updated_at=r["updatedAt"])


def _scope(actor: Actor) -> dict[str, Any]:
    return dict(actor_role=actor.role, actor_centro=actor.centro_id)


async def _write_contenido(conn: Any, programa_id: str, objetivos: list[Item],
                           competencias: list[Item], resultados: list[Item]) -> None:
    """Replace the whole contenido (inside the caller's transaction)."""
    await AQ.admin_programa_delete_objetivos(conn, programa_id=programa_id)
    await AQ.admin_programa_delete_competencias(conn, programa_id=programa_id)
    await AQ.admin_programa_delete_resultados(conn, programa_id=programa_id)
    for orden, obj in enumerate(objetivos, start=1):
        await AQ.insert_objetivo(conn, id=new_id(), descripcion=obj.descripcion,
                                 programa_id=programa_id, orden=orden)
    for it in competencias:
        await AQ.insert_competencia(conn, id=new_id(), descripcion=it.descripcion,
                                    codigo=it.codigo, programa_id=programa_id)
    for it in resultados:
        await AQ.insert_resultado(conn, id=new_id(), descripcion=it.descripcion,
                                  codigo=it.codigo, programa_id=programa_id)


# ---- reads -----------------------------------------------------------------------------------
@checked
async def list_programas(pool: Pool, actor: Actor, centro_id: str | None = None,
                         activo: bool | None = None, tipo: str | None = None,
                         texto: str | None = None, cursor: str | None = None,
                         limit: int = 50, orden: str | None = None) -> Page[Programa]:
    """Programas in the actor's scope in `orden` (a key of ORDENES; None: by name),
    keyset-paged, with the exact total."""
    if tipo is not None and tipo not in TIPOS_FORMACION:
        raise ValidationFailed([FieldError("tipoFormacion", "Tipo de formación: no es válido.")])
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        orden = orden_of(ORDENES, orden)
        params = dict(**_scope(actor), centro_id=centro_id, activo=activo, tipo=tipo,
                      q=like_pattern(texto), orden=orden)
        return await keyset_page(conn, AQ.admin_programa_list, AQ.admin_programa_count,
                                 params, after, limit, orden, _row)


@checked
async def programas_para_solicitud(pool: Pool, actor: Actor,
                                   texto: str | None = None) -> list[Programa]:
    """What the solicitud form offers: active COMPLEMENTARIA programas of the actor's centro."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        return [_row(r) async for r in AQ.admin_programa_picker(
            conn, actor_centro=actor.centro_id, q=like_pattern(texto))]


async def _detalle(conn: Any, row: dict[str, Any]) -> ProgramaDetalle:
    pid = row["id"]
    objetivos = [Objetivo(r["orden"], r["descripcion"])
                 async for r in AQ.admin_programa_objetivos(conn, programa_id=pid)]
    competencias = [Item(r["codigo"], r["descripcion"])
                    async for r in AQ.admin_programa_competencias(conn, programa_id=pid)]
    resultados = [Item(r["codigo"], r["descripcion"])
                  async for r in AQ.admin_programa_resultados(conn, programa_id=pid)]
    return ProgramaDetalle(_row(row), tuple(objetivos), tuple(competencias), tuple(resultados))


@checked
async def get_programa(pool: Pool, actor: Actor, programa_id: str) -> ProgramaDetalle:
    """A programa with its objetivos (by orden), competencias and resultados, if in scope."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.admin_programa_get(conn, id=programa_id, **_scope(actor))
        if row is None:
            raise NotFound("El programa no existe o no tiene permiso para verlo.")
        return await _detalle(conn, row)


# ---- writes (coordinators of the centro, admins) ---------------------------------------------
def _manager(actor: Actor) -> None:
    if actor.is_instructor:
        raise PermissionDenied("Solo coordinadores y administradores administran programas.")


async def _check_centro(conn: Any, actor: Actor, centro_id: str | None) -> str:
    if actor.is_coordinador and centro_id not in (None, actor.centro_id):
        raise PermissionDenied("Centro: un coordinador solo administra programas de su propio "
                               "centro.")
    centro_id = actor.centro_id if actor.is_coordinador else centro_id
    if not centro_id:
        raise ValidationFailed([FieldError("centroId", "Centro: es obligatorio.")])
    centro = await AQ.admin_centro_get(conn, id=centro_id, actor_role="ADMIN")
    if centro is None or not centro["isActive"]:
        raise ValidationFailed([FieldError("centroId", "Centro: no existe o está inactivo.")])
    return centro_id


def _codigo_taken() -> ValidationFailed:
    return ValidationFailed([FieldError("codigo", "Código: ya existe otro programa con ese "
                                                  "código.")])


@checked
async def create_programa(pool: Pool, actor: Actor, codigo: str, nombre: str,
                          tipo_formacion: str, modalidad: str, duracion_horas: int,
                          cupo_aprendices: int, centro_id: str | None = None,
                          descripcion: str | None = None, objetivos: Sequence[str] = (),
                          competencias: Sequence[Any] = (),
                          resultados: Sequence[Any] = ()) -> ProgramaDetalle:
    """A new active programa (coordinators: in their own centro), with its contenido."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        values = validate(dict(codigo=codigo, nombre=nombre, tipo_formacion=tipo_formacion,
                               modalidad=modalidad, duracion_horas=duracion_horas,
                               cupo_aprendices=cupo_aprendices, descripcion=descripcion))
        contenido = validate_contenido(objetivos, competencias, resultados)
        values["centro_id"] = await _check_centro(conn, actor, centro_id)
        if await AQ.admin_programa_codigo_taken(conn, codigo=values["codigo"], exclude_id=None):
            raise _codigo_taken()
        try:
            async with conn.transaction():
                row = await AQ.admin_programa_insert(conn, id=new_id(), now=utcnow(),
                                                     **_scope(actor), **values)
                if row is None:
                    raise PermissionDenied("No puede crear programas en ese centro.")
                await _write_contenido(conn, row["id"], *contenido)
        except psycopg.errors.UniqueViolation as exc:
            raise _codigo_taken() from exc
    return await get_programa(pool, actor, row["id"])


@checked
async def update_programa(pool: Pool, actor: Actor, programa_id: str, *,
                          codigo: str | None = None, nombre: str | None = None,
                          tipo_formacion: str | None = None, modalidad: str | None = None,
                          duracion_horas: int | None = None, cupo_aprendices: int | None = None,
                          descripcion: str | None = None, centro_id: str | None = None,
                          expected_updated_at: datetime | None = None) -> ProgramaDetalle:
    """Change the given fields (None keeps a value; "" clears the descripción). Only admins
    move a programa to another centro. A stale `expected_updated_at` raises Conflict."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        cur = await AQ.admin_programa_get(conn, id=programa_id, **_scope(actor))
        if cur is None:
            raise NotFound("El programa no existe o no tiene permiso para editarlo.")
        given = dict(codigo=codigo, nombre=nombre, tipo_formacion=tipo_formacion,
                     modalidad=modalidad, duracion_horas=duracion_horas,
                     cupo_aprendices=cupo_aprendices, descripcion=descripcion)
        current = dict(codigo=cur["codigo"], nombre=cur["nombre"],
                       tipo_formacion=cur["tipoFormacion"], modalidad=cur["modalidad"],
                       duracion_horas=cur["duracionHoras"], cupo_aprendices=cur["cupoAprendices"],
                       descripcion=cur["descripcion"])
        values = validate({k: current[k] if v is None else v for k, v in given.items()})
        if centro_id is not None and centro_id != cur["centroId"]:
            values["centro_id"] = await _check_centro(conn, actor, centro_id)
        else:
            values["centro_id"] = cur["centroId"]
        if await AQ.admin_programa_codigo_taken(conn, codigo=values["codigo"],
                                                exclude_id=programa_id):
            raise _codigo_taken()
        try:
            row = await AQ.admin_programa_update(conn, id=programa_id, now=utcnow(),
                                                 expected_updated_at=expected_updated_at,
                                                 **_scope(actor), **values)
        except psycopg.errors.UniqueViolation as exc:
            raise _codigo_taken() from exc
    fresh = await get_programa(pool, actor, programa_id)
    if row is None:  # stale copy: show what is stored now
        raise Conflict("Otra persona cambió este programa mientras lo editaba. Revise los "
                       "cambios antes de guardar de nuevo.", current=fresh)
    return fresh


@checked
async def set_active(pool: Pool, actor: Actor, programa_id: str, active: bool) -> Programa:
    """Deactivate (no new solicitudes can use it) or reactivate a programa."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        row = await AQ.admin_programa_set_active(conn, id=programa_id, active=bool(active),
                                                 now=utcnow(), **_scope(actor))
        if row is None:
            raise NotFound("El programa no existe o no tiene permiso para editarlo.")
        full = await AQ.admin_programa_get(conn, id=programa_id, **_scope(actor))
    return _row(full)


@checked
async def replace_contenido(pool: Pool, actor: Actor, programa_id: str,
                            objetivos: Sequence[str], competencias: Sequence[Any],
                            resultados: Sequence[Any]) -> ProgramaDetalle:
    """Replace objetivos (numbered 1..n as given), competencias and resultados atomically:
    all three lists are written in one transaction, or nothing changes."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        contenido = validate_contenido(objetivos, competencias, resultados)
        async with conn.transaction():
            locked = await AQ.admin_programa_lock(conn, id=programa_id, **_scope(actor))
            if locked is None:
                raise NotFound("El programa no existe o no tiene permiso para editarlo.")
            await _write_contenido(conn, programa_id, *contenido)
            await AQ.admin_programa_touch(conn, id=programa_id, now=utcnow())
    return await get_programa(pool, actor, programa_id)
