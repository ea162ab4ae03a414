"""What every service shares: the acting user, errors with Spanish messages, time, paging."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from tui.db.queries import AQ
from tui.services.tz import BOGOTA

T = TypeVar("T")


class ServiceError(Exception):
    """A refusal the user can read: `message` is Spanish and says what to do."""

    title = "No se pudo completar"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(ServiceError):
    title = "Sin permiso"


class PasswordChangeRequired(PermissionDenied):
    """The user holds a temporary password: only changing it (or the profile) is allowed."""

    title = "Cambie su contraseña"


class NotFound(ServiceError):
    title = "No encontrado"


class InvalidTransition(ServiceError):
    title = "Acción no permitida"


class SessionEnded(ServiceError):
    """The user was deactivated (or removed) while logged in."""

    title = "Sesión terminada"


class Conflict(ServiceError):
    """A save based on a stale copy: someone else changed the row first."""

    title = "Cambiado por otra persona"

    def __init__(self, message: str, current: Any = None, changed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.current = current
        self.changed = changed


@dataclass(frozen=True)
class Actor:
    """The logged-in user, as read from the database at the start of each service call."""

    id: str
    email: str
    name: str
    role: str
    centro_id: str
    centro_nombre: str = ""
    cedula: str = ""
    centro_codigo: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "ADMIN"

    @property
    def is_coordinador(self) -> bool:
        return self.role == "COORDINADOR"

    @property
    def is_instructor(self) -> bool:
        return self.role == "INSTRUCTOR"


async def refresh_actor(conn: Any, actor: Actor | str, *roles: str,
                        pending_ok: bool = False, query: Any = None) -> Actor:
    """The one gate of every service: the acting user as the database has them now.

    Refuses a missing or inactive user, a user who must still change a temporary password
    (unless `pending_ok`: changing it, logging in, one's own profile), and, when `roles` are
    given, any other role. Only the id of `actor` is used: role, centro and e-mail always come
    from the database, so a user deactivated, demoted or renamed while logged in is seen as
    such at their next action.
    """
    user_id = actor if isinstance(actor, str) else actor.id
    read = query or AQ.actor_by_id  # another query only where the schema may be older
    row = await read(conn, id=user_id) if valid_id(user_id) else None
    return actor_from(row, *roles, pending_ok=pending_ok)


def actor_call(actor: Actor) -> tuple[Any, dict[str, Any]]:
    """The read of `refresh_actor` as a statement for `tui.db.pipeline.run` (sent with the
    caller's first reads); `actor_from` checks its row."""
    return (AQ.actor_by_id, dict(id=actor.id if valid_id(actor.id) else ""))


def actor_from(row: Any, *roles: str, pending_ok: bool = False) -> Actor:
    """`refresh_actor`'s checks on the user's row as read now (None: no such user)."""
    if row is None or not row["isActive"]:
        raise SessionEnded("Su cuenta fue desactivada o eliminada. Inicie sesión de nuevo o "
                           "contacte a un administrador.")
    if row["must_change_password"] and not pending_ok:
        raise PasswordChangeRequired("Debe cambiar su contraseña temporal antes de continuar "
                                     "(«Cambiar contraseña»).")
    if roles and row["role"] not in roles:
        raise PermissionDenied("Su rol no permite esta acción.")
    return Actor(id=row["id"], email=row["email"], name=row["name"], role=row["role"],
                 centro_id=row["centroId"], centro_nombre=row["centro_nombre"],
                 cedula=row["cedula"], centro_codigo=row["centro_codigo"])


async def gate(pool: Pool, actor: Actor | str, *roles: str) -> Actor:
    """`refresh_actor` on a connection of its own: for services that must refuse the actor
    before anything else (reading a file, checking a format), not only at their first query."""
    async with pool.connection() as conn:
        return await refresh_actor(conn, actor, *roles)


def valid_id(value: object) -> bool:
    """Whether `value` can be an id or code at all (short text the driver accepts): others
    match nothing, so callers answer "not found" without asking the database."""
    return isinstance(value, str) and 0 < len(value) <= 200 and "\x00" not in value \
        and value.isprintable()


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied("Su rol no permite esta acción.")


def utcnow() -> datetime:
    """Now as Prisma stores it: naive UTC wall-clock time, millisecond precision."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def bogota_today() -> date:
    return datetime.now(BOGOTA).date()


def bogota_year() -> int:
    return datetime.now(BOGOTA).year


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a keyset-paginated list, with the total of the filtered set (a lower
    bound when `exact` is False: the count stopped at a cap)."""

    rows: list[T]
    total: int
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    exact: bool = True


_CURSOR_KEY = secrets.token_bytes(32)  # cursors live within one process (one session)


def _sign(payload: bytes) -> str:
    return hmac.new(_CURSOR_KEY, payload, hashlib.sha256).hexdigest()[:32]


def encode_cursor(*values: Any) -> str:
    """An opaque, signed paging cursor: a cursor that was altered or made up is refused, so
    no crafted value ever reaches a query (or its type casts)."""
    def conv(v: Any) -> Any:
        return v.isoformat() if isinstance(v, (datetime, date)) else v

    payload = json.dumps([conv(v) for v in values]).encode()
    return base64.urlsafe_b64encode(payload).decode() + "." + _sign(payload)


async def keyset_page(conn: Any, list_query: Any, count_query: Any, params: dict[str, Any],
                      after: list[Any] | None, limit: int, key: str,
                      row: Callable[[dict[str, Any]], Any],
                      after_names: tuple[str, str] = ("after_name", "after_id")) -> Page[Any]:
    """One keyset page: `limit` rows after the decoded cursor `after` (ordered by `key`, then
    id), the exact total of the same filter, and the cursor of the next page."""
    rows = [r async for r in list_query(conn, **params, limit=limit + 1, **{
        after_names[0]: after[0] if after else None, after_names[1]: after[1] if after else None})]
    total = await count_query(conn, **params)
    nxt = encode_cursor(rows[limit - 1][key], rows[limit - 1]["id"]) \
        if len(rows) > limit else None
    return Page([row(r) for r in rows[:limit]], int(total), nxt)


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    bad = ServiceError("El cursor de paginación no es válido.")
    body, _, mac = str(cursor).partition(".")
    try:
        payload = base64.urlsafe_b64decode(body.encode("ascii"))
        values = json.loads(payload.decode())
    except (ValueError, UnicodeError) as exc:
        raise bad from exc
    if not hmac.compare_digest(mac, _sign(payload)) or not isinstance(values, list):
        raise bad
    return values


Orders = dict[str, str]
"""The orders a list offers: key (what its query's :orden names) -> Spanish label; the
first is the default."""


def orden_of(orders: Orders, orden: str | None) -> str:
    """The order a list is read in: `orden`, or the default when None; others are refused."""
    if orden is None:
        return next(iter(orders))
    if orden not in orders:
        raise ServiceError("Orden: use " + ", ".join(orders) + ".")
    return orden


def clamp_limit(limit: int, maximum: int = 200) -> int:
    return max(1, min(int(limit), maximum))
