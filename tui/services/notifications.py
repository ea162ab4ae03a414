"""Notifications: the texts of DOMAIN.md, the sidebar's reads, broadcasts and reminders.

Rows are created inside the transaction of the transition that causes them. Only the owner
reads or marks their notifications (the user id comes from the session, never from input).
Live delivery: an AFTER INSERT trigger calls pg_notify; `listen()` turns that into an async
iterator of new notification ids for one user, with a periodic check as fallback where
LISTEN does not work (transaction poolers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.db import pipeline
from tui.db.queries import AQ
from tui.services import model
from tui.services.boundary import checked
from tui.services.common import (
    Actor,
    Page,
    ServiceError,
    clamp_limit,
    decode_cursor,
    encode_cursor,
    refresh_actor,
    require_role,
)
from tui.services.ids import new_id

CHANNEL = "cx_notificaciones"
MAX_TITULO = 200
MAX_MENSAJE = 2000


@dataclass(frozen=True)
class Notificacion:
    id: str
    tipo: str
    titulo: str
    mensaje: str
    leida: bool
    fecha: datetime
    solicitud_id: str | None
    solicitud_codigo: str | None


def create_call(usuario_id: str, tipo: str, titulo: str, mensaje: str,
                solicitud_id: str | None = None) -> pipeline.Call:
    """One notification, as a statement for `pipeline.run` (sent with the caller's others)."""
    return (AQ.insert_notificacion, dict(id=new_id(), tipo=tipo, titulo=titulo, mensaje=mensaje,
                                         usuario_id=usuario_id, solicitud_id=solicitud_id))


async def create(conn: Any, usuario_id: str, tipo: str, titulo: str, mensaje: str,
                 solicitud_id: str | None = None) -> None:
    await pipeline.run(conn, create_call(usuario_id, tipo, titulo, mensaje, solicitud_id))


def coordinadores_call(centro_id: str) -> pipeline.Call:
    """The active coordinadores of a centro (their ids), as a read for `pipeline.run`."""
    return (AQ.active_coordinadores, dict(centro_id=centro_id))


# ---- the sidebar ---------------------------------------------------------------------------
def _row(r: dict[str, Any]) -> Notificacion:
    return Notificacion(id=r["id"], tipo=r["tipo"], titulo=r["titulo"], mensaje=r["mensaje"],
                        leida=r["leida"], fecha=r["fechaCreada"], solicitud_id=r["solicitudId"],
                        solicitud_codigo=r["codigo"])


@checked
async def list_for(pool: Pool, actor: Actor, cursor: str | None = None, limit: int = 30,
                   solo_no_leidas: bool = False) -> Page[Notificacion]:
    after = decode_cursor(cursor)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        rows = [r async for r in AQ.notificaciones_page(
            conn, usuario_id=actor.id, unread_only=solo_no_leidas,
            after_ts=datetime.fromisoformat(after[0]) if after else None,
            after_id=after[1] if after else None, limit=clamp_limit(limit) + 1)]
        total = await AQ.count_notificaciones(conn, usuario_id=actor.id,
                                              unread_only=solo_no_leidas)
    more = len(rows) > clamp_limit(limit)
    rows = rows[:clamp_limit(limit)]
    nxt = encode_cursor(rows[-1]["fechaCreada"], rows[-1]["id"]) if more and rows else None
    return Page([_row(r) for r in rows], int(total), nxt)


@checked
async def unread_count(pool: Pool, actor: Actor) -> int:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        return int(await AQ.count_notificaciones(conn, usuario_id=actor.id, unread_only=True))


@checked
async def get_for(pool: Pool, actor: Actor, notificacion_id: str) -> Notificacion:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.notificacion_of(conn, id=notificacion_id, usuario_id=actor.id)
    if row is None:
        raise ServiceError("La notificación no existe o no es suya.")
    return _row(row)


@checked
async def mark_read(pool: Pool, actor: Actor, notificacion_id: str) -> bool:
    """Mark one of the actor's own notifications as read. False if it is not theirs."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        n = await AQ.mark_notificacion_read(conn, id=notificacion_id, usuario_id=actor.id)
    return bool(n)


@checked
async def mark_all_read(pool: Pool, actor: Actor) -> int:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        return int(await AQ.mark_all_notificaciones_read(conn, usuario_id=actor.id))


# ---- broadcasts and reminders ----------------------------------------------------------------
@checked
async def broadcast(pool: Pool, actor: Actor, titulo: str, mensaje: str, *,
                    role: str | None = None, centro_id: str | None = None,
                    user_ids: list[str] | None = None) -> int:
    """SISTEMA notification from an admin to a role, a centro, chosen users (or all active)."""
    titulo, mensaje = (titulo or "").strip(), (mensaje or "").strip()
    if not titulo or not mensaje:
        raise ServiceError("Título y mensaje son obligatorios.")
    if len(titulo) > MAX_TITULO or len(mensaje) > MAX_MENSAJE:
        raise ServiceError(f"Título: máximo {MAX_TITULO} caracteres; mensaje: máximo "
                           f"{MAX_MENSAJE}.")
    if role is not None and role not in model.ROLES:
        raise ServiceError("Rol no válido.")
    async with pool.connection() as conn, conn.transaction():
        actor = await refresh_actor(conn, actor)
        require_role(actor, "ADMIN")
        ids = [r["id"] async for r in AQ.broadcast_recipients(
            conn, role=role, centro_id=centro_id, user_ids=user_ids)]
        for uid in ids:
            await create(conn, uid, "SISTEMA", titulo, mensaje)
    return len(ids)


@checked
async def remind(pool: Pool, days: int = 7) -> int:
    """RECORDATORIO to each active coordinador whose centro has PENDIENTE solicitudes older
    than `days` days; at most one a day per coordinador. Returns notifications created."""
    if days < 0:
        raise ServiceError("--days debe ser 0 o mayor.")
    created = 0
    async with pool.connection() as conn, conn.transaction():
        async for r in AQ.reminder_targets(conn, days=days, **model.sql_params()):
            mensaje = (f"Hay {r['pendientes']} solicitud(es) pendiente(s) hace más de {days} "
                       f"días en su centro. La más antigua es {r['mas_antigua']}.")
            await create(conn, r["usuario_id"], "RECORDATORIO", "Solicitudes pendientes",
                         mensaje)
            created += 1
    return created


# ---- live delivery ---------------------------------------------------------------------------
async def listen(url: str | None, user_id: str,
                 poll_seconds: float = 20.0) -> AsyncIterator[str]:
    """Yield the id of each new notification for `user_id` as it is inserted, by either app.

    Uses LISTEN on a dedicated connection to `url` (the direct one: through a transaction
    pooler LISTEN receives nothing); if that fails or the connection drops, falls back to
    checking every `poll_seconds` and reconnects. No `url` (a pooler without DIRECT_URL):
    only the periodic check.
    """
    from tui.db.listen import notifications_stream

    async for payload in notifications_stream(url, CHANNEL, poll_seconds):
        if payload is None:  # a periodic tick: the caller re-reads its count
            yield ""
            continue
        owner, _, notif_id = payload.partition(" ")
        if owner == user_id:
            yield notif_id
