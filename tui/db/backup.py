"""Backups of the embedded server with its own bundled pg_dump and pg_restore.

`backup` writes a pg_dump custom-format archive (compressed, every schema: Prisma's `public`
and our `complementarias`) through a temporary file renamed into place, so a failed or
interrupted backup never leaves a truncated file under the requested name.

`restore` never loads into the live database: it loads the archive into
`complementarias_restore` in one transaction (`--single-transaction --exit-on-error`), and
only when that succeeded swaps it in; the replaced database stays as
`complementarias_previous` until the next restore. A bad archive changes nothing.

We open the files here and hand the descriptors to the tools: as root they run as the
server's unprivileged user, which could not open a file in root's folders itself.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg

from tui.db.embedded import DBNAME, EmbeddedError, EmbeddedServer
from tui.db.queries import Q

NOT_AN_ARCHIVE = "El archivo no es una copia de seguridad de complementarias (pg_dump -Fc)."


def _message(tool: str, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    if "does not appear to be a valid" in text or "input file is too short" in text:
        return NOT_AN_ARCHIVE
    return f"{tool} falló: {text.splitlines()[-1] if text else 'sin mensaje'}"


def dump(server: EmbeddedServer, dest: Path, dbname: str = DBNAME) -> int:
    """Write a backup of `dbname` to `dest`; returns its size in bytes."""
    dest = dest.expanduser().resolve()
    if not dest.parent.is_dir():
        raise EmbeddedError(f"La carpeta {dest.parent} no existe.")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        with open(tmp, "wb") as out:
            r = server.client_tool("pg_dump", "--format=custom", "--compress=6",
                                   "--no-password", "-d", dbname, stdout=out)
        if r.returncode != 0:
            raise EmbeddedError(_message("pg_dump", r.stderr))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest.stat().st_size


def load(server: EmbeddedServer, src: Path, dbname: str) -> None:
    """Load an archive into the existing, empty database `dbname`, all or nothing."""
    src = src.expanduser().resolve()
    if not src.is_file():
        raise EmbeddedError(f"No existe el archivo {src}.")
    with open(src, "rb") as head:
        if head.read(5) != b"PGDMP":
            raise EmbeddedError(NOT_AN_ARCHIVE)
    with open(src, "rb") as inp:
        r = server.client_tool("pg_restore", "--format=custom", "--no-owner", "--no-privileges",
                               "--single-transaction", "--exit-on-error", "--no-password",
                               "-d", dbname, stdin=inp)
    if r.returncode != 0:
        raise EmbeddedError(_message("pg_restore", r.stderr))


def restore(server: EmbeddedServer, src: Path) -> None:
    """Replace the live database with the archive's content (see the module docstring)."""
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        Q.backup_drop_restore_db(conn)
        Q.backup_create_restore_db(conn)
        try:
            load(server, src, "complementarias_restore")
        except EmbeddedError:
            Q.backup_drop_restore_db(conn)
            raise
        Q.backup_drop_previous_db(conn)
        if Q.backup_live_db_exists(conn):
            for attempt in range(20):  # a client may reconnect between the two statements
                list(Q.backup_disconnect_live(conn))
                try:
                    Q.backup_keep_live_as_previous(conn)
                    break
                except psycopg.errors.ObjectInUse:
                    if attempt == 19:
                        raise EmbeddedError("La base de datos sigue en uso: cierre las "
                                            "sesiones de complementarias y repita.") from None
                    time.sleep(0.1)
        Q.backup_promote_restored(conn)
