"""Centros de formación: every logged-in user reads the active ones; admins manage them.

Admins also see inactive centros and are the only ones who create, edit, deactivate or
reactivate one (checked here and in the WHERE of sql/queries/admin_centros.sql). Codes are
stored upper-case and unique without regard to case; nombre, código, ciudad and región are
required.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from tui.db.queries import AQ
from tui.services.boundary import checked
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
from tui.services.validation import FieldError, ValidationFailed, has_forbidden_chars

ORDENES: Orders = {"nombre": "nombre", "codigo": "código"}
"""The orders of the list (the branches of admin_centro_list; each key is its cursor's
column)."""

LABELS = {
    "codigo": "Código", "nombre": "Nombre", "ciudad": "Ciudad", "region": "Región",
    "direccion": "Dirección", "telefono": "Teléfono",
}
REQUIRED = ("codigo", "nombre", "ciudad", "region")
MAX_TEXT = 200
CODIGO_RE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,29}")
PHONE_RE = re.compile(r"[0-9+() -]{7,30}")
_CODIGO_HELP = "use de 1 a 30 letras, dígitos, puntos, guiones o guiones bajos, sin espacios"


@dataclass(frozen=True)
class Centro:
    id: str
    codigo: str
    nombre: str
    ciudad: str
    region: str
    direccion: str | None
    telefono: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    usuarios: int = 0
    programas: int = 0


def like_pattern(texto: str | None) -> str | None:
    """An ILIKE pattern matching `texto` literally anywhere; None when there is no text."""
    # NUL cannot be stored in a text column (so it matches nothing) nor sent as a parameter.
    text = (texto or "").replace("\x00", "").strip()[:100]
    if not text:
        return None
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def clean_text(errors: list[FieldError], labels: dict[str, str], field: str, value: object,
               *, required: bool, limit: int = MAX_TEXT) -> str | None:
    """A one-line text field stripped (inner whitespace collapsed); errors name the field."""
    label = labels.get(field, field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(FieldError(field, f"{label}: es obligatorio."))
        return None
    if not isinstance(value, str):
        errors.append(FieldError(field, f"{label}: debe ser texto."))
        return None
    text = " ".join(value.split())
    if len(text) > limit:
        errors.append(FieldError(field, f"{label}: no puede superar {limit} caracteres."))
    elif has_forbidden_chars(text, multiline=False):
        errors.append(FieldError(field, f"{label}: contiene caracteres no permitidos."))
    return text


def clean_phone(errors: list[FieldError], field: str, value: object) -> str | None:
    text = clean_text(errors, LABELS, field, value, required=False, limit=30)
    if text and not PHONE_RE.fullmatch(text):
        errors.append(FieldError(field, "Teléfono: use solo dígitos, espacios y + - ( ), "
                                        "entre 7 y 30 caracteres."))
    return text


def clean_codigo(errors: list[FieldError], value: object, label: str = "Código") -> str | None:
    text = clean_text(errors, {"codigo": label}, "codigo", value, required=True, limit=30)
    if text is not None:
        text = text.upper()
        if not CODIGO_RE.fullmatch(text):
            errors.append(FieldError("codigo", f"{label}: {_CODIGO_HELP}."))
    return text


def _row(r: dict[str, Any]) -> Centro:
    return Centro(id=r["id"], codigo=r["codigo"], nombre=r["nombre"], ciudad=r["ciudad"],
                  region=r["region"], direccion=r["direccion"], telefono=r["telefono"],
                  is_active=r["isActive"], created_at=r["createdAt"], updated_at=r["updatedAt"],
                  usuarios=int(r.get("usuarios") or 0), programas=int(r.get("programas") or 0))


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Normalised column values of a centro; raises ValidationFailed naming each field."""
    errors: list[FieldError] = []
    out = {"codigo": clean_codigo(errors, values.get("codigo"))}
    for field in ("nombre", "ciudad", "region", "direccion"):
        out[field] = clean_text(errors, LABELS, field, values.get(field),
                                required=field in REQUIRED)
    out["telefono"] = clean_phone(errors, "telefono", values.get("telefono"))
    if errors:
        raise ValidationFailed(errors)
    return out


def _taken() -> ValidationFailed:
    return ValidationFailed([FieldError("codigo", "Código: ya existe otro centro con ese "
                                                  "código.")])


async def insert(conn: Any, actor_role: str, values: dict[str, Any]) -> str:
    """Insert a validated centro inside the caller's transaction; returns its id.

    Also used by `users.bootstrap_create` (the CLI acts with admin rights there).
    """
    if await AQ.admin_centro_codigo_taken(conn, codigo=values["codigo"], exclude_id=None):
        raise _taken()
    try:
        row = await AQ.admin_centro_insert(conn, id=new_id(), now=utcnow(),
                                           actor_role=actor_role, **values)
    except psycopg.errors.UniqueViolation as exc:  # inserted by someone else meanwhile
        raise _taken() from exc
    if row is None:
        raise PermissionDenied("Solo un administrador puede crear centros.")
    return str(row["id"])


# ---- reads -----------------------------------------------------------------------------------
@checked
async def list_centros(pool: Pool, actor: Actor, activo: bool | None = None,
                       texto: str | None = None, cursor: str | None = None,
                       limit: int = 50, orden: str | None = None) -> Page[Centro]:
    """Centros in `orden` (a key of ORDENES; None: by name), keyset-paged, with the exact
    total; non-admins see only active ones."""
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        orden = orden_of(ORDENES, orden)
        params = dict(actor_role=actor.role, activo=activo, q=like_pattern(texto), orden=orden)
        return await keyset_page(conn, AQ.admin_centro_list, AQ.admin_centro_count, params,
                                 after, limit, orden, _row)


@checked
async def get_centro(pool: Pool, actor: Actor, centro_id: str) -> Centro:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.admin_centro_get(conn, id=centro_id, actor_role=actor.role)
    if row is None:
        raise NotFound("El centro no existe o no está activo.")
    return _row(row)


# ---- writes (admins) -------------------------------------------------------------------------
def _admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Solo un administrador puede administrar centros de formación.")


@checked
async def create_centro(pool: Pool, actor: Actor, codigo: str, nombre: str, ciudad: str,
                        region: str, direccion: str | None = None,
                        telefono: str | None = None) -> Centro:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _admin(actor)
        values = validate(dict(codigo=codigo, nombre=nombre, ciudad=ciudad, region=region,
                               direccion=direccion, telefono=telefono))
        async with conn.transaction():
            centro_id = await insert(conn, actor.role, values)
    return await get_centro(pool, actor, centro_id)


@checked
async def update_centro(pool: Pool, actor: Actor, centro_id: str, *,
                        codigo: str | None = None, nombre: str | None = None,
                        ciudad: str | None = None, region: str | None = None,
                        direccion: str | None = None, telefono: str | None = None,
                        expected_updated_at: datetime | None = None) -> Centro:
    """Change the given fields (None keeps a value; "" clears dirección or teléfono).

    With `expected_updated_at`, a save based on a stale copy is refused (Conflict).
    """
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _admin(actor)
        cur = await AQ.admin_centro_get(conn, id=centro_id, actor_role=actor.role)
        if cur is None:
            raise NotFound("El centro no existe.")
        given = dict(codigo=codigo, nombre=nombre, ciudad=ciudad, region=region,
                     direccion=direccion, telefono=telefono)
        merged = {k: cur[k] if v is None else v for k, v in given.items()}
        values = validate(merged)
        if await AQ.admin_centro_codigo_taken(conn, codigo=values["codigo"],
                                              exclude_id=centro_id):
            raise _taken()
        try:
            row = await AQ.admin_centro_update(
                conn, id=centro_id, now=utcnow(), actor_role=actor.role,
                expected_updated_at=expected_updated_at, **values)
        except psycopg.errors.UniqueViolation as exc:
            raise _taken() from exc
    fresh = await get_centro(pool, actor, centro_id)
    if row is None:  # stale copy: show what is stored now
        raise Conflict("Otra persona cambió este centro mientras lo editaba. Revise los "
                       "cambios antes de guardar de nuevo.", current=fresh)
    return fresh


@checked
async def set_active(pool: Pool, actor: Actor, centro_id: str, active: bool) -> Centro:
    """Deactivate or reactivate a centro (its users and programas are not touched)."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _admin(actor)
        row = await AQ.admin_centro_set_active(conn, id=centro_id, active=bool(active),
                                               now=utcnow(), actor_role=actor.role)
    if row is None:
        raise NotFound("El centro no existe.")
    return await get_centro(pool, actor, centro_id)
