"""One-time session tickets: how `serve-ssh` hands an authenticated user to its TUI process.

The server stores only the SHA-256 of a random ticket and passes the ticket in the child's
environment; the child redeems it once (the row is deleted) within a short time. Nothing the
client sends can name a user: a forged or replayed ticket redeems nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import hashlib
import secrets

from tui.db.queries import AQ
from tui.services.auth import AuthError, Session, session_for
from tui.services.common import refresh_actor

TTL_S = 60


def _hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


async def issue(pool: Pool, user_id: str, source: str, ttl_s: int = TTL_S) -> str:
    """A one-time ticket for an account the SSH server has just authenticated (its own
    values, not a user's: not @checked; an unknown or inactive account is refused)."""
    ticket = secrets.token_urlsafe(32)
    async with pool.connection() as conn:
        await refresh_actor(conn, user_id, pending_ok=True)  # an active account, or refused
        await AQ.purge_session_tickets(conn)
        await AQ.insert_session_ticket(conn, token_hash=_hash(ticket), user_id=user_id,
                                       source=source, ttl_s=ttl_s)
    return ticket


async def redeem(pool: Pool, ticket: str) -> tuple[Session, str]:
    """(session, source) for a valid ticket, used up now; AuthError otherwise."""
    async with pool.connection() as conn:
        row = await AQ.redeem_session_ticket(conn, token_hash=_hash(ticket or ""))
    if row is None or not row["valid"]:
        raise AuthError("La sesión SSH no es válida o expiró; conéctese de nuevo.")
    return await session_for(pool, row["user_id"]), row["source"]
