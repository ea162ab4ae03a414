"""Backups of the embedded server: pg_dump/pg_restore round-trip every row of the demo data,
the CLI swaps a restore in only when it loaded completely, and a bad archive changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tui.cli import main as cli
from tui.db import backup
from tui.db.embedded import EmbeddedError

from .conftest import create_db, drop_db

SCHEMAS = ("public", "complementarias")


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """(row count, md5 of every row's text in order) of every table of both schemas."""
    out: dict[str, tuple[int, str]] = {}
    with psycopg.connect(url, options="-c TimeZone=UTC") as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE'", (list(SCHEMAS),)
        ).fetchall()
        for schema, table in tables:
            ident = sql.Identifier(schema, table)
            count, digest = conn.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} t").format(ident)).fetchone()
            out[f"{schema}.{table}"] = (count, digest)
    return out


def add_activity(url: str) -> None:
    """Rows in the tables the demo leaves empty (audit, login attempts)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO complementarias.audit (actor_email, action, detail) "
                     "VALUES ('admin@sena.edu.co', 'login', '{\"x\": [1, 2]}')")
        conn.execute("INSERT INTO complementarias.login_attempts (email, source, success) "
                     "VALUES ('x@sena.edu.co', 'test', false)")


def test_round_trip_of_every_table(pg_server: Any, demo_url: str, fresh_db: str,
                                   tmp_path: Path) -> None:
    add_activity(demo_url)
    archive = tmp_path / "demo.backup"
    size = backup.dump(pg_server, archive, dbname=demo_url.split("@/")[1].split("?")[0])
    assert size > 10_000 and archive.read_bytes()[:5] == b"PGDMP"
    backup.load(pg_server, archive, fresh_db.split("@/")[1].split("?")[0])
    before, after = fingerprint(demo_url), fingerprint(fresh_db)
    assert len(before) >= 20
    assert sum(n for n, _ in before.values()) > 100
    assert after == before
    # The restored audit is still append-only (its trigger came along).
    with psycopg.connect(fresh_db) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("DELETE FROM complementarias.audit")


@pytest.fixture
def live(pg_server: Any, templates: dict[str, str], monkeypatch: Any) -> Any:
    """The test server's `complementarias` database (a demo copy), seen by the CLI."""
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(pg_server.root))
    url = create_db(pg_server, "complementarias", template=templates["demo"])
    yield url
    drop_db(pg_server, "complementarias")
    drop_db(pg_server, "complementarias_previous")


def users_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM public.users").fetchone()[0]


def test_cli_backup_and_restore(live: str, pg_server: Any, tmp_path: Path,
                                capsys: Any) -> None:
    archive = tmp_path / "copia.backup"
    assert cli.main(["db", "backup", str(archive)]) == 0
    assert "Copia de seguridad escrita" in capsys.readouterr().out
    before = fingerprint(live)
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute('UPDATE public.users SET "name" = "name" || \' (cambiado)\'')
        conn.execute("DELETE FROM public.notificaciones")
    assert fingerprint(live) != before
    # This test process is a client of the server: without --force, the restore is refused.
    with pytest.raises(SystemExit):
        cli.main(["db", "restore", str(archive)])
    assert cli.main(["db", "restore", str(archive), "--force"]) == 0
    assert "Base restaurada" in capsys.readouterr().out
    assert fingerprint(live) == before
    previous = pg_server.url("complementarias_previous")
    with psycopg.connect(previous) as conn:
        assert conn.execute("SELECT count(*) FROM public.notificaciones").fetchone()[0] == 0


def test_bad_archive_changes_nothing(live: str, pg_server: Any, tmp_path: Path) -> None:
    before = fingerprint(live)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 100)
    with pytest.raises(EmbeddedError, match="no es una copia de seguridad"):
        backup.restore(pg_server, junk)
    # A truncated real archive fails inside its single transaction.
    good = tmp_path / "good.backup"
    backup.dump(pg_server, good)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(EmbeddedError):
        backup.restore(pg_server, cut)
    assert fingerprint(live) == before
    with psycopg.connect(pg_server.url("postgres")) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    assert "complementarias_restore" not in names


def test_backup_to_missing_folder_is_refused(pg_server: Any, tmp_path: Path) -> None:
    with pytest.raises(EmbeddedError, match="no existe"):
        backup.dump(pg_server, tmp_path / "nope" / "x.backup")
