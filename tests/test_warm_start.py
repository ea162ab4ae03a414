"""The warm-start check: a start skips yoyo only when nothing is pending and post-apply has
nothing to re-create."""

from __future__ import annotations

import psycopg

from tui.db import migrations, warm


def test_up_to_date_after_migrate(db_url: str) -> None:
    assert warm.up_to_date(db_url)


def test_not_up_to_date_on_an_empty_database(fresh_db: str) -> None:
    assert not warm.up_to_date(fresh_db)
    migrations.apply(fresh_db)
    assert warm.up_to_date(fresh_db)


def test_a_dropped_cx_index_or_trigger_makes_the_start_migrate(db_url: str) -> None:
    ids, indexes = warm.expected()
    assert "0001_baseline" in ids and "cx_solicitudes_created_idx" in indexes
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute('DROP INDEX public."cx_solicitudes_created_idx"')  # what `prisma db push` does
    assert not warm.up_to_date(db_url)
    migrations.apply(db_url)
    assert warm.up_to_date(db_url)
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute('DROP TRIGGER "cx_notificaciones_notify" ON public.notificaciones')
    assert not warm.up_to_date(db_url)
