"""tui.db.pipeline: several named queries in one round trip, in order, on the caller's
transaction; a failure is raised and nothing of the transaction is kept."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tui.db import pipeline
from tui.db.queries import AQ
from tui.services import audit
from tui.services.common import actor_call, actor_from
from tui.services.notifications import create_call

ADMIN = "admin@sena.edu.co"
COUNT = "SELECT count(*) AS n FROM complementarias.audit WHERE action = 'pipeline_test'"


async def test_reads_and_writes_in_order_in_one_transaction(pool: Any) -> None:
    async with pool.connection() as conn:
        cur = await conn.execute('SELECT "id" FROM public.users WHERE "email" = %s', (ADMIN,))
        admin_id = (await cur.fetchone())["id"]
        (row,), = await pipeline.run(conn, (AQ.actor_by_id, dict(id=admin_id)))
        actor = actor_from(row)
        assert actor.email == ADMIN and await pipeline.run(conn) == []
        entry = (AQ.audit_insert, audit._params("pipeline_test", actor, None, "t1", {}, None))
        async with conn.transaction(force_rollback=True):
            before, written, me, missing = await pipeline.run(
                conn, actor_call(actor), entry, actor_call(actor),
                (AQ.actor_by_id, dict(id="no-such-user")))
            assert before == me and me[0]["email"] == ADMIN
            assert written == [] and missing == []
            assert await (await conn.execute(COUNT)).fetchone() == {"n": 1}
        # a failing statement is raised and the transaction keeps nothing
        note = create_call(admin_id, "SISTEMA", "Prueba", "Prueba")
        with pytest.raises(psycopg.errors.UniqueViolation):
            async with conn.transaction():
                await pipeline.run(conn, entry, note, note)
        assert await (await conn.execute(COUNT)).fetchone() == {"n": 0}
