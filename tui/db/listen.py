"""A dedicated LISTEN connection that survives restarts of the server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import psycopg

from tui.db.queries import AQ


async def notifications_stream(url: str | None, channel: str,
                               poll_seconds: float = 20.0) -> AsyncIterator[str | None]:
    """Yield each NOTIFY payload on `channel`; yield None every `poll_seconds` without one
    (and while disconnected, or always when there is no `url` to listen on), so callers can
    refresh counts as a fallback."""
    while url is None:
        await asyncio.sleep(poll_seconds)
        yield None
    backoff = 0.5
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(
                url, autocommit=True, connect_timeout=10, application_name="cx-listen"
            ) as conn:
                await AQ.listen_notificaciones(conn)
                backoff = 0.5
                while True:
                    got = False
                    async for note in conn.notifies(timeout=poll_seconds):
                        if note.channel == channel:
                            got = True
                            yield note.payload
                    if not got:
                        yield None
        except psycopg.OperationalError:
            yield None
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, poll_seconds)
