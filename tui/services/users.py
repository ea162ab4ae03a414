"""Users: lists in scope, accounts with a temporary password, edits, activation, statistics.

Scope, here and in every WHERE of sql/queries/admin_users.sql, with the role read afresh at the
start of every call: ADMIN every user (and only admins change role, centro, email, cédula);
COORDINADOR only the INSTRUCTOR users of their own centro; INSTRUCTOR nobody else (the web app
let instructors list every instructor: closed). Everyone reads their own account and stats and
edits their own phone and especialidad. Nobody deactivates, deletes or resets the password of
their own account here, nor changes their own role or centro.

Deleting (DOMAIN.md: a soft delete; an instructor with PENDIENTE, EN_REVISION or APROBADA
solicitudes "can only be deactivated"): no column tells a deleted account from a deactivated one
and no migration is added, so `delete_user` IS a deactivation, refused while such solicitudes
exist (the message points to «Desactivar»); a deleted account can be reactivated.

New accounts and resets get `auth.temporary_password()` (bcrypt cost 12), returned once, and
must change it at the next login (complementarias.user_state).
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
from tui.services import audit, centros, model
from tui.services.auth import hash_password, temporary_password
from tui.services.boundary import checked
from tui.services.common import (
    Actor,
    Conflict,
    InvalidTransition,
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
from tui.services.model import ESTADOS, ROLES
from tui.services.validation import FieldError, ValidationFailed, institutional_email

ORDENES: Orders = {"nombre": "nombre", "correo": "correo"}
"""The orders of the list (the branches of admin_user_list)."""
ORDEN_CLAVE = {"nombre": "name", "correo": "email"}
"""The column each order's cursor holds."""

LABELS = {"name": "Nombre", "especialidad": "Especialidad"}
CEDULA_RE = re.compile(r"[0-9]{5,15}")
# The CLI acts with the database's own rights: as an admin, without a logged-in user.
CLI_SCOPE = {"actor_id": "", "actor_role": "ADMIN", "actor_centro": ""}
_NOT_FOUND = "El usuario no existe o no tiene permiso para administrarlo."


@dataclass(frozen=True)
class UserInfo:
    id: str
    email: str
    name: str
    cedula: str
    telefono: str | None
    role: str
    centro_id: str
    centro_codigo: str
    centro_nombre: str
    especialidad: str | None
    is_active: bool
    must_change_password: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class InstructorStats:
    user_id: str
    por_estado: dict[str, int]
    horas_aprobadas: int
    aprendices_aprobados: int

    @property
    def total(self) -> int:
        return sum(self.por_estado.values())


def _row(r: dict[str, Any]) -> UserInfo:
    return UserInfo(id=r["id"], email=r["email"], name=r["name"], cedula=r["cedula"],
                    telefono=r["telefono"], role=r["role"], centro_id=r["centroId"],
                    centro_codigo=r["centro_codigo"], centro_nombre=r["centro_nombre"],
                    especialidad=r["especialidad"], is_active=r["isActive"],
                    must_change_password=r["must_change_password"],
                    created_at=r["createdAt"], updated_at=r["updatedAt"])


def _scope(actor: Actor) -> dict[str, Any]:
    return {"actor_id": actor.id, "actor_role": actor.role, "actor_centro": actor.centro_id}


def _manager(actor: Actor, user_id: str | None = None, own: str = "") -> None:
    """Refuse instructors, and (with `own`, the refusal's text) acting on oneself."""
    if actor.is_instructor:
        raise PermissionDenied("Solo coordinadores y administradores administran usuarios.")
    if own and user_id == actor.id:
        raise PermissionDenied(own)


# ---- validation and uniqueness ---------------------------------------------------------------
def _validate(v: dict[str, Any]) -> dict[str, Any]:
    """Normalised values of the fields present in `v`; ValidationFailed names each field."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {}
    if "email" in v:
        out["email"] = institutional_email(v["email"])
        if out["email"] is None:
            errors.append(FieldError("email", "Correo electrónico: debe ser una dirección "
                                              "institucional válida (@sena.edu.co o "
                                              "@misena.edu.co)."))
    if "name" in v:
        out["name"] = centros.clean_text(errors, LABELS, "name", v["name"], required=True)
    if "cedula" in v:
        out["cedula"] = v["cedula"].strip() if isinstance(v["cedula"], str) else None
        if not out["cedula"] or not CEDULA_RE.fullmatch(out["cedula"]):
            errors.append(FieldError("cedula", "Cédula: debe tener solo dígitos, entre 5 y 15."))
    if "role" in v:
        out["role"] = v["role"]
        if v["role"] not in ROLES:
            errors.append(FieldError("role", "Rol: debe ser ADMIN, COORDINADOR o INSTRUCTOR."))
    if "telefono" in v:
        out["telefono"] = centros.clean_phone(errors, "telefono", v["telefono"])
    if "especialidad" in v:
        out["especialidad"] = centros.clean_text(errors, LABELS, "especialidad",
                                                 v["especialidad"], required=False)
    if errors:
        raise ValidationFailed(errors)
    return out


async def _check_unique(conn: Any, email: str | None, cedula: str | None,
                        exclude_id: str | None) -> None:
    errors = []
    if email and await AQ.admin_user_email_taken(conn, email=email, exclude_id=exclude_id):
        errors.append(FieldError("email", f"Correo electrónico: {email} ya está registrado "
                                          "para otro usuario."))
    if cedula and await AQ.admin_user_cedula_taken(conn, cedula=cedula, exclude_id=exclude_id):
        errors.append(FieldError("cedula", f"Cédula: {cedula} ya está registrada para otro "
                                           "usuario."))
    if errors:
        raise ValidationFailed(errors)


def _unique_violation(exc: psycopg.errors.UniqueViolation) -> ValidationFailed:
    """A race lost to another insert/update: the same messages as the checks above."""
    if "cedula" in (exc.diag.constraint_name or ""):
        return ValidationFailed([FieldError("cedula", "Cédula: ya está registrada para otro "
                                                      "usuario.")])
    return ValidationFailed([FieldError("email", "Correo electrónico: ya está registrado para "
                                                 "otro usuario.")])


async def _check_centro(conn: Any, centro_id: str | None) -> None:
    if not centro_id:
        raise ValidationFailed([FieldError("centroId", "Centro: es obligatorio.")])
    centro = await AQ.admin_centro_get(conn, id=centro_id, actor_role="ADMIN")
    if centro is None or not centro["isActive"]:
        raise ValidationFailed([FieldError("centroId", "Centro: no existe o está inactivo.")])


async def _insert(conn: Any, scope: dict[str, Any], values: dict[str, Any],
                  centro_id: str, by: Actor | None) -> tuple[str, str]:
    """Insert an account with a fresh temporary password; returns (id, password). Audited
    in the same transaction (the password never)."""
    await _check_unique(conn, values["email"], values["cedula"], None)
    password = temporary_password()
    hashed = await hash_password(password)
    user_id = new_id()
    try:
        async with conn.transaction():
            row = await AQ.admin_user_insert(conn, id=user_id, password=hashed, now=utcnow(),
                                             centro_id=centro_id, **scope, **values)
            if row is None:
                raise PermissionDenied("No puede crear usuarios con ese rol en ese centro.")
            await AQ.set_must_change_password(conn, id=user_id, must_change=True)
            await audit.record(conn, "user_create", actor=by, target=user_id,
                               detail={"email": values["email"], "role": values["role"],
                                       "centroId": centro_id})
    except psycopg.errors.UniqueViolation as exc:
        raise _unique_violation(exc) from exc
    return user_id, password


# ---- reads -----------------------------------------------------------------------------------
@checked
async def list_users(pool: Pool, actor: Actor, role: str | None = None,
                     centro_id: str | None = None, activo: bool | None = None,
                     texto: str | None = None, cursor: str | None = None,
                     limit: int = 50, orden: str | None = None) -> Page[UserInfo]:
    """Users in scope in `orden` (a key of ORDENES; None: by name), keyset-paged, with the
    exact total; texto searches name, email and cédula. Instructors are refused."""
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        if actor.is_instructor:
            raise PermissionDenied("Los instructores no pueden consultar la lista de usuarios.")
        if role is not None and role not in ROLES:
            raise ValidationFailed([FieldError("role", "Rol: no es válido.")])
        return await _page(conn, _scope(actor), role, centro_id, activo, texto, after, limit,
                           orden_of(ORDENES, orden))


async def _page(conn: Any, scope: dict[str, Any], role: str | None, centro_id: str | None,
                activo: bool | None, texto: str | None, after: list[Any] | None,
                limit: int, orden: str = "nombre") -> Page[UserInfo]:
    params = dict(**scope, role=role, centro_id=centro_id, activo=activo,
                  q=centros.like_pattern(texto), orden=orden)
    return await keyset_page(conn, AQ.admin_user_list, AQ.admin_user_count, params, after,
                             limit, ORDEN_CLAVE[orden], _row)


@checked
async def get_user(pool: Pool, actor: Actor, user_id: str) -> UserInfo:
    """A user in scope; one's own profile also while a password change is pending."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor, pending_ok=user_id == actor.id)
        row = await AQ.admin_user_get(conn, id=user_id, **_scope(actor))
    if row is None:
        raise NotFound("El usuario no existe o no tiene permiso para verlo.")
    return _row(row)


@checked
async def instructor_stats(pool: Pool, actor: Actor, user_id: str) -> InstructorStats:
    """An instructor's solicitudes per estado (drafts only for themselves), and the hours and
    aprendices of the approved ones, computed in SQL."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.admin_user_stats(conn, id=user_id, **_scope(actor),
                                         **model.sql_params())
    if row is None:
        raise NotFound("El usuario no existe o no tiene permiso para ver sus estadísticas.")
    return InstructorStats(user_id, {e: int(row[e.lower()]) for e in ESTADOS},
                           int(row["horas_aprobadas"]), int(row["aprendices_aprobados"]))


# ---- accounts --------------------------------------------------------------------------------
@checked
async def create_user(pool: Pool, actor: Actor, email: str, name: str, cedula: str, role: str,
                      centro_id: str | None, telefono: str | None = None,
                      especialidad: str | None = None) -> tuple[UserInfo, str]:
    """A new active account; returns it with its temporary password (show it once).

    Coordinators create only INSTRUCTOR accounts of their own centro; admins any.
    """
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        values = _validate(dict(email=email, name=name, cedula=cedula, role=role,
                                telefono=telefono, especialidad=especialidad))
        if actor.is_coordinador:
            if values["role"] != "INSTRUCTOR":
                raise PermissionDenied("Rol: un coordinador solo puede crear instructores.")
            if centro_id not in (None, actor.centro_id):
                raise PermissionDenied("Centro: un coordinador solo puede crear usuarios de su "
                                       "propio centro.")
            centro_id = actor.centro_id
        await _check_centro(conn, centro_id)
        user_id, password = await _insert(conn, _scope(actor), values, str(centro_id), actor)
    return await get_user(pool, actor, user_id), password


@checked
async def bootstrap_create(pool: Pool, email: str, name: str, cedula: str, role: str,
                           centro_codigo: str, telefono: str | None = None,
                           especialidad: str | None = None, centro_nombre: str | None = None,
                           ciudad: str | None = None,
                           region: str | None = None) -> tuple[UserInfo, str]:
    """CLI only (no logged-in user): create any account, e.g. the first admin of a real DB.

    The centro is found by code; when no centro exists at all, it is created from
    `centro_nombre`, `ciudad` and `region`. Centro and user are created in one transaction.
    """
    values = _validate(dict(email=email, name=name, cedula=cedula, role=role,
                            telefono=telefono, especialidad=especialidad))
    codigo = (centro_codigo or "").strip()
    async with pool.connection() as conn:
        async with conn.transaction():
            centro = await AQ.admin_centro_by_codigo(conn, codigo=codigo)
            if centro is None:
                codigos = [r["codigo"] async for r in AQ.admin_centro_codigos(conn)]
                if codigos:
                    raise ValidationFailed([FieldError("centroId", (
                        f"Centro: no existe un centro con código {codigo!r}. Centros "
                        f"existentes: {', '.join(codigos)}."))])
                if not (centro_nombre and ciudad and region):
                    raise ValidationFailed([FieldError("centroId", (
                        "Centro: aún no hay ningún centro; indique también nombre, ciudad y "
                        "región del centro (--centro-nombre, --ciudad, --region) para "
                        "crearlo."))])
                data = dict(codigo=codigo, nombre=centro_nombre, ciudad=ciudad, region=region)
                centro_id = await centros.insert(conn, "ADMIN", centros.validate(data))
            elif not centro["isActive"]:
                raise ValidationFailed([FieldError("centroId", "Centro: está inactivo.")])
            else:
                centro_id = centro["id"]
            user_id, password = await _insert(conn, CLI_SCOPE, values, centro_id, None)
        row = await AQ.admin_user_get(conn, id=user_id, **CLI_SCOPE)
    return _row(row), password


@checked
async def list_all(pool: Pool, role: str | None = None) -> list[UserInfo]:
    """CLI only: every user (admin scope), by name."""
    if role is not None and role not in ROLES:
        raise ValidationFailed([FieldError("role", "Rol: no es válido.")])
    out: list[UserInfo] = []
    after: list[Any] | None = None
    async with pool.connection() as conn:
        while True:
            page = await _page(conn, CLI_SCOPE, role, None, None, None, after, 200)
            out += page.rows
            if page.next_cursor is None:
                return out
            after = decode_cursor(page.next_cursor)


@checked
async def update_user(pool: Pool, actor: Actor, user_id: str, *, name: str | None = None,
                      telefono: str | None = None, especialidad: str | None = None,
                      role: str | None = None, centro_id: str | None = None,
                      email: str | None = None, cedula: str | None = None,
                      expected_updated_at: datetime | None = None) -> UserInfo:
    """Edit a user in scope. None keeps a value; "" clears teléfono or especialidad. Only
    admins change role, centro, email or cédula, never their own role or centro. Only the
    given fields are validated (old web-app rows may not meet today's rules). A stale
    `expected_updated_at` raises Conflict."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor)
        cur = await AQ.admin_user_get(conn, id=user_id, **_scope(actor))
        if cur is None or (cur["id"] == actor.id and not actor.is_admin):
            raise NotFound(_NOT_FOUND)
        given = dict(name=name, telefono=telefono, especialidad=especialidad, role=role,
                     email=email, cedula=cedula)
        values = {k: cur[k] for k in given} | _validate(
            {k: v for k, v in given.items() if v is not None})
        new_centro = cur["centroId"] if centro_id is None else centro_id
        moved = values["role"] != cur["role"] or new_centro != cur["centroId"]
        if not actor.is_admin and (moved or values["email"] != cur["email"]
                                   or values["cedula"] != cur["cedula"]):
            raise PermissionDenied("Solo un administrador puede cambiar rol, centro, correo o "
                                   "cédula.")
        if moved and user_id == actor.id:
            raise PermissionDenied("No puede cambiar su propio rol ni su centro.")
        if new_centro != cur["centroId"]:
            await _check_centro(conn, new_centro)
        await _check_unique(conn, values["email"] if values["email"] != cur["email"] else None,
                            values["cedula"] if values["cedula"] != cur["cedula"] else None,
                            user_id)
        try:
            async with conn.transaction():
                row = await AQ.admin_user_update(conn, id=user_id, now=utcnow(),
                                                 centro_id=new_centro,
                                                 expected_updated_at=expected_updated_at,
                                                 **_scope(actor), **values)
                if row is not None:
                    await _audit_update(conn, actor, cur, values, new_centro)
        except psycopg.errors.UniqueViolation as exc:
            raise _unique_violation(exc) from exc
    fresh = await get_user(pool, actor, user_id)
    if row is None:  # stale copy: show what is stored now
        raise Conflict("Otra persona cambió este usuario mientras lo editaba. Revise los "
                       "cambios antes de guardar de nuevo.", current=fresh)
    return fresh


async def _audit_update(conn: Any, actor: Actor, cur: dict[str, Any], values: dict[str, Any],
                        new_centro: str) -> None:
    """`user_role` when role or centro changed (with before and after), else `user_update`
    with the names of the fields changed."""
    changed = sorted(k for k, v in values.items() if v != cur[k])
    detail: dict[str, Any] = {"changed": changed}
    if values["role"] != cur["role"]:
        detail["role"] = [cur["role"], values["role"]]
    if new_centro != cur["centroId"]:
        detail["centroId"] = [cur["centroId"], new_centro]
        changed.append("centroId")
    if changed:
        action = "user_role" if ("role" in detail or "centroId" in detail) else "user_update"
        await audit.record(conn, action, actor=actor, target=cur["id"], detail=detail)


@checked
async def update_own_profile(pool: Pool, actor: Actor, telefono: str | None,
                             especialidad: str | None,
                             expected_updated_at: datetime | None = None) -> UserInfo:
    """Any user: their own phone and especialidad (None or "" clears); nothing else (role,
    centro, email, cédula and the active flag are the admins'). Both fields are validated and
    named in the errors. A stale `expected_updated_at` (someone changed the account since it
    was read) raises Conflict with what is stored now; the change is audited. Allowed while
    a password change is pending (the profile is theirs)."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor, pending_ok=True)
        values = _validate(dict(telefono=telefono, especialidad=especialidad))
        cur = await AQ.admin_user_get(conn, id=actor.id, **_scope(actor))
        async with conn.transaction():
            row = await AQ.admin_user_update_profile(conn, id=actor.id, now=utcnow(),
                                                     expected_updated_at=expected_updated_at,
                                                     **values)
            changed = sorted(k for k, v in values.items() if cur is None or v != cur[k])
            if row is not None and changed:
                await audit.record(conn, "profile_update", actor=actor, target=actor.id,
                                   detail={"campos": changed})
    fresh = await get_user(pool, actor, actor.id)
    if row is None:
        raise Conflict("Su perfil cambió en otra sesión mientras lo editaba. Revise los datos "
                       "actuales antes de guardar de nuevo.", current=fresh)
    return fresh


@checked
async def set_active(pool: Pool, actor: Actor, user_id: str, active: bool) -> UserInfo:
    """Deactivate (they lose access at their next action) or reactivate a user in scope."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor, user_id, "No puede desactivar ni reactivar su propia cuenta.")
        async with conn.transaction():
            row = await AQ.admin_user_set_active(conn, id=user_id, active=bool(active),
                                                 now=utcnow(), **_scope(actor))
            if row is not None:
                await audit.record(conn, "user_activate" if active else "user_deactivate",
                                   actor=actor, target=user_id)
    if row is None:
        raise NotFound(_NOT_FOUND)
    return await get_user(pool, actor, user_id)


@checked
async def delete_user(pool: Pool, actor: Actor, user_id: str) -> UserInfo:
    """Soft delete == deactivate, refused while the user has PENDIENTE, EN_REVISION or
    APROBADA solicitudes (then only «Desactivar» is possible). See the module docstring."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor, user_id, "No puede eliminar su propia cuenta.")
        async with conn.transaction():
            cur = await AQ.admin_user_get(conn, id=user_id, **_scope(actor))
            if cur is None:
                raise NotFound(_NOT_FOUND)
            estados = model.sql_params()
            n = int(await AQ.admin_user_open_solicitudes(conn, id=user_id, **estados))
            row = None if n else await AQ.admin_user_soft_delete(conn, id=user_id, now=utcnow(),
                                                                 **_scope(actor), **estados)
            if row is not None:
                await audit.record(conn, "user_delete", actor=actor, target=user_id,
                                   detail={"email": cur["email"]})
        if row is None:
            raise InvalidTransition(
                f"{cur['name']} tiene solicitudes pendientes, en revisión o aprobadas "
                f"({n or 'nuevas'}): no se puede eliminar. Use «Desactivar» para quitarle el "
                "acceso.")
    return await get_user(pool, actor, user_id)


@checked
async def reset_password(pool: Pool, actor: Actor, user_id: str) -> str:
    """A new temporary password for a user in scope (returned once); they must change it at
    their next login. Not for one's own account (use «Cambiar contraseña»)."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        _manager(actor, user_id, "Para su propia cuenta use «Cambiar contraseña».")
        password = temporary_password()
        hashed = await hash_password(password)
        async with conn.transaction():
            row = await AQ.admin_user_reset_password(conn, id=user_id, password=hashed,
                                                     now=utcnow(), **_scope(actor))
            if row is None:
                raise NotFound(_NOT_FOUND)
            await AQ.set_must_change_password(conn, id=user_id, must_change=True)
            await audit.record(conn, "password_reset", actor=actor, target=user_id)
    return password
