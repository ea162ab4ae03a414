"""The cheap check a warm start makes before deciding to run the migrations.

`migrations.apply` imports yoyo, takes its lock and re-runs post-apply.sql: ~0.3 s on every
start for nothing, most of the time. One query tells whether every migration file is applied
and every cx_ index and the trigger exist; only otherwise does the start migrate.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg

from tui.db.queries import Q
from tui.paths import MIGRATIONS_DIR

POST_APPLY = MIGRATIONS_DIR / "post-apply.sql"


def expected() -> tuple[set[str], set[str]]:
    """(migration ids, cx_ index names) that the files of sql/migrations declare."""
    ids = {p.name[:-4] for p in MIGRATIONS_DIR.glob("*.sql")
           if not p.name.endswith(".rollback.sql") and p != POST_APPLY}
    indexes = set(re.findall(r'"(cx_\w+)"\s+ON\s', POST_APPLY.read_text(encoding="utf-8")))
    return ids, indexes


def up_to_date(url: str) -> bool:
    """True when nothing is pending and post-apply has nothing to re-create."""
    try:
        with psycopg.connect(url, connect_timeout=10, autocommit=True) as conn:
            row: Any = Q.warm_start_state(conn)
    except psycopg.Error:
        return False  # e.g. no yoyo table yet: let the migrations run and explain
    if row is None:
        return False
    applied, indexes, trigger_ok = row
    ids, cx = expected()
    return bool(trigger_ok) and ids <= set(applied or ()) and cx <= set(indexes or ())
