"""Apply, list and roll back the raw-SQL migrations of sql/migrations with yoyo.

yoyo keeps its bookkeeping in schema `complementarias`; the baseline builds Prisma's `public`
schema. A database the web app already created is adopted: the baseline is marked as applied
without running, and only our later migrations run. Every run uses a fresh yoyo backend (after
an exception inside `backend.lock()` yoyo 9 never locks again) and closes its connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from yoyo import exceptions as yoyo_exc
from yoyo import get_backend, read_migrations

from tui.db.queries import Q
from tui.db.urls import NO_TIMEOUT, mask, yoyo_url
from tui.paths import MIGRATIONS_DIR

BASELINE = "0001_baseline"
ACCESS_AUDIT = "0003_access_audit"
LOCK_TIMEOUT = 15.0

Recorder = Callable[[Any, list[str]], bool]
"""Called inside each migration's transaction with its connection and the ids to record
(those applied earlier in the run while there was nowhere to record them, then this one);
returns whether it recorded them. tui/db never imports services: callers pass the auditing."""


class MigrationError(RuntimeError):
    """A migration problem explained in Spanish; nothing is left half-applied."""


@dataclass(frozen=True)
class MigrationInfo:
    id: str
    applied_at: datetime | None

    @property
    def applied(self) -> bool:
        return self.applied_at is not None


def explain_connect_error(url: str, exc: Exception) -> str:
    text = str(exc)
    if "password authentication failed" in text:
        return f"Contraseña incorrecta para la base de datos {mask(url)}."
    if "does not exist" in text and "database" in text:
        return f"La base de datos no existe: {mask(url)}."
    if "timeout" in text.lower() or "connection refused" in text or "No such file" in text \
            or "could not translate host" in text:
        return f"No se puede conectar a la base de datos {mask(url)}: el servidor no responde."
    return f"No se puede conectar a la base de datos {mask(url)}: {text.strip()}"


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """A direct session for migrations and bulk loads: UTC, and no statement timeout (a role
    may carry the app's 30 s one for its pooled connections; an index build takes longer)."""
    try:
        return psycopg.connect(url, connect_timeout=10, autocommit=True,
                               options=f"-c TimeZone=UTC {NO_TIMEOUT}", **kwargs)
    except psycopg.OperationalError as exc:
        raise MigrationError(explain_connect_error(url, exc)) from exc


@contextmanager
def _backend(url: str) -> Iterator[Any]:
    # another run may create it at the same moment (IF NOT EXISTS is not atomic)
    with connect(url) as conn, contextlib.suppress(psycopg.errors.UniqueViolation):
        Q.create_app_schema(conn)
    try:
        backend = get_backend(yoyo_url(url))
    except psycopg.OperationalError as exc:
        raise MigrationError(explain_connect_error(url, exc)) from exc
    try:
        yield backend
    finally:
        # closing a broken connection must not mask the error
        with contextlib.suppress(Exception):
            backend.connection.close()


def _migrations() -> Any:
    return read_migrations(str(MIGRATIONS_DIR))


def lock_holder(url: str) -> str | None:
    """Who holds yoyo's migration lock ("pid 123 desde 2026-…"), or None."""
    with connect(url) as conn:
        row = next(iter(Q.migration_lock_holder(conn)), None)
    if row is None:
        return None
    return f"proceso {row[0]} desde {row[1]:%Y-%m-%d %H:%M:%S} UTC"


@contextmanager
def _locked(backend: Any, url: str) -> Iterator[None]:
    try:
        with backend.lock(timeout=LOCK_TIMEOUT):
            yield
    except yoyo_exc.LockTimeout as exc:
        holder = lock_holder(url)
        raise MigrationError(
            "Otra ejecución de migraciones tiene el bloqueo de la base de datos"
            + (f" ({holder})" if holder else "") + ". Espere a que termine; si ningún proceso "
            "está migrando, libérelo con `complementarias migrate --break-lock`."
        ) from exc


def status(url: str) -> list[MigrationInfo]:
    """Every migration with its applied date (None when pending), in order."""
    with _backend(url) as backend:
        migrations = _migrations()
        applied_hashes = set(backend.get_applied_migration_hashes())
    with connect(url) as conn:
        dates = {mid: at for mid, at in Q.applied_migrations(conn)}
    return [MigrationInfo(m.id, dates.get(m.id) if m.hash in applied_hashes else None)
            for m in migrations]


def pending(url: str) -> list[str]:
    return [m.id for m in status(url) if not m.applied]


def _run_one(backend: Any, m: Any, direction: str, record: Recorder | None,
             unrecorded: list[str]) -> None:
    """One migration, its bookkeeping and its audit entry, all in one transaction."""
    backend.ensure_internal_schema_updated()
    with backend.transaction():
        m.process_steps(backend, direction)
        if direction == "apply":
            backend.mark_one(m, log=False)
        else:
            backend.unmark_one(m, log=False)
        backend.log_migration(m, direction)
        unrecorded.append(m.id)
        if record is not None and record(backend.connection, list(unrecorded)):
            unrecorded.clear()


def apply(url: str, record: Recorder | None = None) -> list[str]:
    """Apply every pending migration (adopting a Prisma-made database), then the post-apply
    hook. Returns the ids applied; each migration is one transaction, with its bookkeeping
    and (given `record`) its audit entry."""
    with _backend(url) as backend, _locked(backend, url):
        migrations = _migrations()
        todo = backend.to_apply(migrations)
        done: list[str] = []
        unrecorded: list[str] = []
        baseline = [m for m in todo if m.id == BASELINE]
        if baseline:
            with connect(url) as conn:
                adopt = bool(Q.public_tables_present(conn))
            if adopt:
                backend.mark_migrations(baseline)
                done.append(f"{BASELINE} (adoptada: las tablas ya existían)")
                unrecorded.append(done[-1])
                todo = backend.to_apply(migrations)
        for m in todo:
            try:
                _run_one(backend, m, "apply", record, unrecorded)
            except Exception as exc:  # the failed migration was rolled back by yoyo
                _post_apply_quietly(backend, migrations)
                raise MigrationError(
                    f"La migración {m.id} falló y se revirtió completa: {_short(exc)}"
                ) from exc
            done.append(m.id)
        try:
            backend.run_post_apply(migrations)
        except Exception as exc:
            raise MigrationError(f"El paso final (índices cx_, disparador) falló: {_short(exc)}") \
                from exc
        return done


def _post_apply_quietly(backend: Any, migrations: Any) -> None:
    """After a failed migration, restore what the earlier ones need (indexes, trigger)."""
    with contextlib.suppress(Exception):  # the original failure is the one to report
        backend.run_post_apply(migrations)


def rollback(url: str, count: int, record: Recorder | None = None) -> list[str]:
    """Roll back the last `count` applied migrations, newest first, each in one transaction
    with its bookkeeping and (given `record`, while the audit table exists) its audit entry.

    Refused before touching anything when it would reach the baseline of a database that
    holds data, or the access-audit migration while the audit trail holds entries (their own
    rollbacks refuse too, but later migrations would already have been rolled back by then).
    """
    if count < 1:
        raise MigrationError("--rollback necesita un número mayor que 0.")
    with _backend(url) as backend, _locked(backend, url):
        migrations = backend.to_rollback(_migrations())
        chosen = list(migrations)[:count]
        if any(m.id == BASELINE for m in chosen):
            with connect(url) as conn:
                if Q.public_has_data(conn):
                    raise MigrationError(
                        "La base de datos tiene datos: no se revierte la migración base "
                        f"({BASELINE}), porque borraría registros oficiales. No se revirtió "
                        "nada.")
        if any(m.id == ACCESS_AUDIT for m in chosen):
            with connect(url) as conn:
                if Q.audit_table_exists(conn) and Q.audit_has_entries(conn):
                    raise MigrationError(
                        "La auditoría tiene entradas y solo admite nuevas: no se revierte "
                        f"{ACCESS_AUDIT}, porque borraría la auditoría. No se revirtió nada.")
        done: list[str] = []
        for m in chosen:
            try:
                _run_one(backend, m, "rollback", record, [])
            except Exception as exc:
                raise MigrationError(f"No se pudo revertir {m.id}: {_short(exc)}") from exc
            done.append(m.id)
        return done


def break_lock(url: str) -> None:
    with _backend(url) as backend:
        backend.break_lock()


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
