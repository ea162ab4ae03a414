"""Bulk loading with COPY from a writer thread.

The caller hands over batches of COPY text (tab-separated lines); one thread sends them on one
connection, in order, while the caller fetches the next batch. The caller should not be busy
in Python meanwhile: this thread needs the interpreter lock at every socket write (the
synthetic load builds its rows in another process, tui/synthetic/worker.py). Batches keep
their order, so a child table's rows always follow their parents' inside the same
transaction.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

from tui.paths import MIGRATIONS_DIR

_STOP = object()


class CopyStream:
    """Ordered COPY batches on ``conn`` (a sync psycopg connection inside a transaction)."""

    def __init__(self, conn: Any, depth: int = 3) -> None:
        self._conn = conn
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="copy-stream", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is not None:
                continue  # drain: the caller sees the error on its next put or at close
            statement, chunks = item
            try:
                with self._conn.cursor() as cur, cur.copy(statement) as copy:
                    for chunk in chunks:
                        copy.write(chunk)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
                self._error = exc

    def put(self, statement: str, data: bytes) -> None:
        """Queue one COPY of ``data`` (COPY text, whole lines); blocks when the queue is
        full, so memory stays bounded."""
        if self._error is not None:
            raise self._error
        if data:
            self._queue.put((statement, [data]))

    def close(self) -> None:
        """Wait until every batch is in; re-raise the first failure."""
        self._queue.put(_STOP)
        self._thread.join()
        if self._error is not None:
            raise self._error


def run_post_apply(conn: Any) -> None:
    """Re-create the cx_ indexes and the trigger (sql/migrations/post-apply.sql) on ``conn``."""
    conn.execute((MIGRATIONS_DIR / "post-apply.sql").read_text(encoding="utf-8"))
