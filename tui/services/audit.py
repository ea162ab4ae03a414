"""The audit trail: who did what, when and from where; append-only (migration 0003).

`record` writes one entry on the caller's connection, so inside the caller's transaction the
entry commits or rolls back with the change it describes. Passwords never reach an entry:
callers pass only identifiers, field names and estados. `search` is for administrators only.

The source (where the process acts from: `local:<os user>`, `ssh:<address>`, `cli:<os user>`)
is set once per process with `set_source`: every TUI session over SSH is its own process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import getpass
import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg

from tui.db import pipeline
from tui.db.queries import AQ, Q
from tui.services.boundary import DATE_FORMATS, checked
from tui.services.centros import like_pattern
from tui.services.common import (
    Actor,
    Orders,
    Page,
    PermissionDenied,
    clamp_limit,
    decode_cursor,
    keyset_page,
    orden_of,
    refresh_actor,
)
from tui.services.model import DATE_ORDERS
from tui.services.text import storable
from tui.services.validation import FieldError, ValidationFailed

ORDENES: Orders = dict(DATE_ORDERS)
"""The orders of the list (the branches of audit_search)."""

ACTIONS = {
    "login": "Inicio de sesión",
    "login_failed": "Inicio fallido",
    "password_change": "Cambio de contraseña",
    "password_reset": "Restablecer contraseña",
    "user_create": "Usuario creado",
    "user_update": "Usuario editado",
    "user_role": "Rol o centro cambiado",
    "user_activate": "Usuario reactivado",
    "user_deactivate": "Usuario desactivado",
    "user_delete": "Usuario eliminado",
    "profile_update": "Perfil editado",
    "draft_create": "Borrador creado",
    "draft_save": "Solicitud guardada",
    "transition": "Cambio de estado",
    "export": "Exportación",
    "import": "Importación de instructores",
    "migrate_apply": "Migraciones aplicadas",
    "migrate_rollback": "Migración revertida",
}
"""Every action recorded, with its Spanish label (the screen's filter)."""

_source = f"local:{getpass.getuser()}"


def set_source(source: str) -> None:
    """Where this process acts from; stored with every entry it records."""
    global _source
    _source = source[:200]


def source() -> str:
    return _source


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: datetime
    actor_id: str | None
    actor_email: str | None
    action: str
    target: str | None
    detail: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


def _params(action: str, actor: Actor | None, actor_email: str | None, target: str | None,
            detail: dict[str, Any] | None, src: str | None,
            actor_id: str | None = None) -> dict[str, Any]:
    """The row to insert. The actor's e-mail is read by the query from the database (the one
    given is only for entries without an account, such as a failed login); every text is made
    storable, so an entry never fails on what it records."""
    return dict(actor_id=actor.id if actor else actor_id,
                actor_email=storable(actor.email if actor else actor_email or None),
                action=action, target=storable(target), source=storable((src or _source)[:200]),
                detail=json.dumps(storable(detail or {}), ensure_ascii=False, default=str))


async def record(conn: Any, action: str, *, actor: Actor | None = None,
                 actor_email: str | None = None, target: str | None = None,
                 detail: dict[str, Any] | None = None, src: str | None = None,
                 actor_id: str | None = None) -> None:
    """One entry on `conn` (inside its open transaction, if any).

    On a database still below migration 0003 (an external one an admin has yet to migrate)
    there is no table: the entry is skipped inside a savepoint, so the caller's work (the
    admin's login, first of all) still commits."""
    try:
        async with conn.transaction():
            await AQ.audit_insert(conn, **_params(action, actor, actor_email, target, detail,
                                                  src, actor_id))
    except psycopg.errors.UndefinedTable:
        return
    _written.add(conn)


_written: weakref.WeakSet[Any] = weakref.WeakSet()
"""Connections that have written an entry: their database has the table, and keeps it (0003
cannot be rolled back while the table holds entries)."""


def pipeline_call(conn: Any, action: str, *, actor: Actor, target: str,
                  detail: dict[str, Any]) -> pipeline.Call | None:
    """The entry as a statement for `pipeline.run` (no savepoint, no round trip of its own)
    when `conn` has written one before; otherwise None: then use `record`."""
    if conn not in _written:
        return None
    return (AQ.audit_insert, _params(action, actor, None, target, detail, None))


async def record_with(conn: Any, calls: list[pipeline.Call], action: str, *, actor: Actor,
                      target: str, detail: dict[str, Any]) -> list[list[Any]]:
    """`pipeline.run(conn, *calls)` plus the entry (in the same round trip when the
    connection has written one before): a write path's last statements with its audit."""
    entry = pipeline_call(conn, action, actor=actor, target=target, detail=detail)
    if entry is None:
        await record(conn, action, actor=actor, target=target, detail=detail)
        return await pipeline.run(conn, *calls)
    return (await pipeline.run(conn, entry, *calls))[1:]


def record_sync(conn: Any, action: str, *, actor: Actor | None = None,
                actor_email: str | None = None, target: str | None = None,
                detail: dict[str, Any] | None = None, src: str | None = None) -> bool:
    """The same on a synchronous connection (CLI, migrations). False when the audit table does
    not exist (the database was rolled back below migration 0003): nothing to record into."""
    if not Q.audit_table_exists(conn):
        return False
    Q.audit_insert(conn, **_params(action, actor, actor_email, target, detail, src))
    return True


def _row(r: dict[str, Any]) -> AuditEntry:
    detail = r["detail"] if isinstance(r["detail"], dict) else {}
    return AuditEntry(id=str(r["id"]), at=r["at"], actor_id=r["actor_id"],
                      actor_email=r["actor_email"], action=r["action"], target=r["target"],
                      detail=detail, source=r["source"])


def _parse_date(name: str, label: str, value: date | str | None,
                errors: list[FieldError]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    errors.append(FieldError(name, f"{label}: use aaaa-mm-dd o dd/mm/aaaa."))
    return None


@checked
async def search(pool: Pool, actor: Actor, *, action: str | None = None,
                 actor_text: str | None = None, texto: str | None = None,
                 desde: date | str | None = None, hasta: date | str | None = None,
                 cursor: str | None = None, limit: int = 50,
                 orden: str | None = None) -> Page[AuditEntry]:
    """A page of entries in `orden` (a key of ORDENES; None: newest first), with the exact
    total; administrators only."""
    errors: list[FieldError] = []
    d1 = _parse_date("desde", "Desde", desde, errors)
    d2 = _parse_date("hasta", "Hasta", hasta, errors)
    if action is not None and action not in ACTIONS:
        errors.append(FieldError("action", "Acción: no es válida."))
    if d1 and d2 and d2 < d1:
        errors.append(FieldError("hasta", "Hasta: debe ser igual o posterior a Desde."))
    if errors:
        raise ValidationFailed(errors)
    limit = clamp_limit(limit)
    after = decode_cursor(cursor)
    params = dict(action=action, actor=like_pattern(actor_text), q=like_pattern(texto),
                  desde=d1, hasta=d2, orden=orden_of(ORDENES, orden))
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        if not actor.is_admin:
            raise PermissionDenied("Solo un administrador puede consultar la auditoría.")
        return await keyset_page(conn, AQ.audit_search, AQ.audit_count, params, after, limit,
                                 "at", _row, ("after_at", "after_id"))


def migration_recorder(action: str, actor: Actor | None = None,
                       src: str | None = None) -> Callable[[Any, list[str]], bool]:
    """What `tui.db.migrations.apply`/`rollback` call inside each migration's transaction
    (`migrate_apply` or `migrate_rollback`): the entry commits with the migration or not at
    all (tui/db never imports services, so its callers pass this in). Nothing is recorded
    while the audit table does not exist (below migration 0003)."""
    def record(conn: Any, ids: list[str]) -> bool:
        return record_sync(conn, action, actor=actor, detail={"migrations": ids}, src=src)

    return record
