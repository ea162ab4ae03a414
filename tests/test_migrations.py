"""tui.db.migrations on a real PostgreSQL: apply, status, rollback, adoption of a database the
web app made with `prisma db push`, the post-apply hook, concurrency, failures and the lock.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tui.db import migrations
from tui.db.migrations import MigrationError
from tui.paths import MIGRATIONS_DIR

from .conftest import create_db, drop_db

PRISMA_TABLES = (
    "users", "centros", "programas", "objetivos_aprendizaje", "competencias",
    "resultados_aprendizaje", "solicitudes", "horarios_detallados", "notificaciones",
)
APP_TABLES = ("historial", "login_attempts", "user_state", "counters")
ACCESS_TABLES = ("ssh_keys", "session_tickets", "audit")
YOYO_TABLES = ("_yoyo_log", "_yoyo_migration", "_yoyo_version", "yoyo_lock")
ALL_IDS = ["0001_baseline", "0002_app_schema", "0003_access_audit", "0004_search_summaries",
           "0005_scope_search_predicates", "0006_instructor_summaries",
           "0007_rare_search", "0008_resumen_diario"]
TRIGGER = "cx_notificaciones_notify"


def cx_index_names() -> set[str]:
    text = (MIGRATIONS_DIR / "post-apply.sql").read_text(encoding="utf-8")
    names = set(re.findall(r'CREATE INDEX IF NOT EXISTS "(cx_\w+)"', text))
    assert names  # the hook really declares cx_ indexes
    return names


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    kwargs.setdefault("autocommit", True)
    return psycopg.connect(url, options="-c TimeZone=UTC", **kwargs)


SNAPSHOT_SQL = """
WITH ns AS (
    SELECT oid, nspname FROM pg_namespace WHERE nspname IN ('public', 'complementarias')
), rels AS (
    SELECT c.oid, c.relname, c.relkind, ns.nspname
      FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
     WHERE c.relname NOT LIKE 'yoyo\\_tmp\\_%'
)
SELECT 'schema', nspname, '', '' FROM ns
UNION ALL
SELECT 'rel', nspname, relname, relkind::text FROM rels
UNION ALL
SELECT 'col', r.nspname, r.relname || '.' || lpad(a.attnum::text, 3, '0'),
       concat_ws(' ', quote_ident(a.attname), format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attnotnull THEN 'NOT NULL' END,
                 'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid),
                 NULLIF(a.attidentity::text, ''), NULLIF(a.attgenerated::text, ''))
  FROM rels r
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE r.relkind IN ('r', 'v', 'm', 'p', 'f')
UNION ALL
SELECT 'index', r.nspname, i.relname, pg_get_indexdef(i.oid)
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN rels r ON r.oid = x.indrelid
UNION ALL
SELECT 'constraint', ns.nspname, c.conname,
       c.conrelid::regclass::text || ' ' || pg_get_constraintdef(c.oid)
  FROM pg_constraint c JOIN ns ON ns.oid = c.connamespace
 WHERE c.conrelid::regclass::text NOT LIKE '%yoyo\\_tmp\\_%'
UNION ALL
SELECT 'enum', ns.nspname, t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
 GROUP BY ns.nspname, t.typname
UNION ALL
SELECT 'type', ns.nspname, t.typname, t.typtype::text
  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
 WHERE t.typname NOT LIKE '%yoyo\\_tmp\\_%'
UNION ALL
SELECT 'trigger', r.nspname, t.tgname, pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN rels r ON r.oid = t.tgrelid
 WHERE NOT t.tgisinternal
UNION ALL
SELECT 'function', ns.nspname, p.proname, pg_get_functiondef(p.oid)
  FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
ORDER BY 1, 2, 3, 4
"""


def snapshot(url: str) -> list[tuple[str, ...]]:
    """The structure of public and complementarias (not the rows of yoyo's tables)."""
    with connect(url) as conn:
        return conn.execute(SNAPSHOT_SQL).fetchall()


def tables_in(url: str, schema: str) -> set[str]:
    with connect(url) as conn:
        return {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,))}


def yoyo_rows(url: str) -> list[tuple[str, datetime]]:
    with connect(url) as conn:
        return conn.execute(
            "SELECT migration_id, applied_at_utc FROM complementarias._yoyo_migration "
            "ORDER BY migration_id").fetchall()


def public_data(url: str) -> dict[str, list[Any]]:
    """Every row of the 9 tables, as JSON, ordered by id."""
    with connect(url) as conn:
        return {t: [r[0] for r in conn.execute(
            f'SELECT to_jsonb(t) FROM public."{t}" t ORDER BY "id"')] for t in PRISMA_TABLES}


def public_counts(url: str) -> dict[str, int]:
    with connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM public."{t}"').fetchone()[0]
                for t in PRISMA_TABLES}


def cx_objects(url: str) -> tuple[set[str], set[str]]:
    with connect(url) as conn:
        idx = {r[0] for r in conn.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
            "AND indexname LIKE 'cx\\_%'")}
        trg = {r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'public.notificaciones'::regclass "
            "AND NOT tgisinternal")}
    return idx, trg


def lock_rows(url: str) -> list[tuple[Any, ...]]:
    with connect(url) as conn:
        return conn.execute("SELECT pid FROM complementarias.yoyo_lock").fetchall()


# What the web app's seed writes (ids like centro_001), with every NOT NULL column of solicitudes.
WEB_ROWS = [
    """INSERT INTO "public"."centros" ("id", "nombre", "codigo", "ciudad", "region", "updatedAt")
       VALUES ('centro_001', 'Centro de Servicios Financieros', 'CSF-001', 'Bogotá',
               'Cundinamarca', '2024-01-15 10:00:00.123')""",
    """INSERT INTO "public"."users" ("id", "email", "password", "name", "cedula", "role",
                                     "centroId", "updatedAt")
       VALUES ('user_001', 'instructor@sena.edu.co', '$2a$10$abcdefghijklmnopqrstuv', 'Ana Pérez',
               '1012345678', 'INSTRUCTOR', 'centro_001', '2024-01-15 10:00:00.123')""",
    """INSERT INTO "public"."programas" ("id", "codigo", "nombre", "tipoFormacion", "modalidad",
                                         "duracionHoras", "cupoAprendices", "centroId", "updatedAt")
       VALUES ('programa_001', 'PRG-001', 'Excel avanzado', 'COMPLEMENTARIA', 'PRESENCIAL', 40, 25,
               'centro_001', '2024-01-15 10:00:00.123')""",
    """INSERT INTO "public"."solicitudes" (
           "id", "codigo", "instructorId", "programaId", "responsableNombre", "responsableCedula",
           "responsableEmail", "codigoPrograma", "duracionMaxima", "cupoMaximo",
           "numeroAprendicesInscribir", "modalidad", "municipio", "departamento", "nombreEmpresa",
           "representanteLegal", "direccionEmpresa", "lugarFormacion", "tipoAmbiente",
           "inicioInscripcion", "finalizacionInscripcion", "fechaInicioCurso",
           "fechaFinalizacionCurso", "justificacion", "updatedAt", "objetivosPersonalizados")
       VALUES ('solicitud_001', 'SOL-2024-001', 'user_001', 'programa_001', 'Ana Pérez',
               '1012345678', 'instructor@sena.edu.co', 'PRG-001', 40, 25, 20, 'PRESENCIAL',
               'Bogotá', 'Cundinamarca', 'Empresa S.A.S.', 'Luis Gómez', 'Calle 1 # 2-3',
               'Sede norte', 'AULA MOVIL', '2024-02-01 00:00:00', '2024-02-10 00:00:00',
               '2024-02-15 00:00:00', '2024-03-15 00:00:00', 'Necesidad de formación',
               '2024-01-20 08:30:00.5', ARRAY['Objetivo propio'])""",
    """INSERT INTO "public"."horarios_detallados" ("id", "solicitudId", "diaSemana", "horaInicio",
                                                  "horaFin")
       VALUES ('horario_001', 'solicitud_001', 'LUNES', '08:00', '12:00')""",
    """INSERT INTO "public"."notificaciones" ("id", "tipo", "titulo", "mensaje", "usuarioId",
                                              "solicitudId")
       VALUES ('notificacion_001', 'NUEVA_SOLICITUD', 'Nueva solicitud', 'SOL-2024-001 creada',
               'user_001', 'solicitud_001')""",
]


def prisma_db_push(url: str) -> None:
    """What `prisma db push` does on an empty database: the baseline DDL, one transaction."""
    ddl = (MIGRATIONS_DIR / "0001_baseline.sql").read_text(encoding="utf-8")
    with connect(url, autocommit=False) as conn:
        conn.execute(ddl)
        conn.commit()


# ---------------------------------------------------------------------------------------------
# Apply, status, idempotence
# ---------------------------------------------------------------------------------------------

def test_apply_on_empty_database_then_again_changes_nothing(fresh_db: str) -> None:
    assert migrations.pending(fresh_db) == ALL_IDS
    assert migrations.apply(fresh_db) == ALL_IDS
    assert PRISMA_TABLES and set(PRISMA_TABLES) <= tables_in(fresh_db, "public")
    assert set(APP_TABLES) | set(YOYO_TABLES) <= tables_in(fresh_db, "complementarias")
    before, before_rows = snapshot(fresh_db), yoyo_rows(fresh_db)
    assert migrations.apply(fresh_db) == []
    assert snapshot(fresh_db) == before
    assert yoyo_rows(fresh_db) == before_rows
    assert [r[0] for r in before_rows] == ALL_IDS
    assert lock_rows(fresh_db) == []  # the lock is released


def test_status_and_pending(fresh_db: str) -> None:
    info = migrations.status(fresh_db)
    assert [m.id for m in info] == ALL_IDS
    assert all(not m.applied and m.applied_at is None for m in info)
    migrations.apply(fresh_db)
    info = migrations.status(fresh_db)
    assert [m.id for m in info] == ALL_IDS
    for m in info:
        assert m.applied
        assert isinstance(m.applied_at, datetime)
    assert info[0].applied_at <= info[1].applied_at
    assert migrations.pending(fresh_db) == []


def test_migrated_template_is_up_to_date(db_url: str) -> None:
    assert migrations.pending(db_url) == []
    assert migrations.apply(db_url) == []


# ---------------------------------------------------------------------------------------------
# Rollback
# ---------------------------------------------------------------------------------------------

def test_rollback_one_by_one_then_reapply_gives_identical_catalog(fresh_db: str) -> None:
    migrations.apply(fresh_db)
    applied = snapshot(fresh_db)

    assert migrations.rollback(fresh_db, 1) == ["0008_resumen_diario"]
    assert migrations.pending(fresh_db) == ALL_IDS[7:]
    assert "resumen_diario" not in tables_in(fresh_db, "complementarias")
    with connect(fresh_db) as conn:  # 0006's functions again, which know nothing of it
        assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'resumen_%%' "
                            "AND prosrc LIKE '%%resumen_diario%%'").fetchone()[0] == 0
        assert conn.execute("SELECT complementarias.resumen_stale()").fetchone()[0] is False

    assert migrations.rollback(fresh_db, 1) == ["0007_rare_search"]
    assert migrations.pending(fresh_db) == ALL_IDS[6:]
    indexes = cx_objects(fresh_db)[0]  # the trigram index of before is back
    assert "cx_solicitudes_busqueda_trgm_idx" in indexes
    assert not {"cx_solicitudes_frase_trgm_idx", "cx_solicitudes_pares_idx"} & indexes

    assert migrations.rollback(fresh_db, 1) == ["0006_instructor_summaries"]
    assert migrations.pending(fresh_db) == ALL_IDS[5:]
    assert not {"resumen_instructor", "resumen_nacional"} & tables_in(fresh_db, "complementarias")
    with connect(fresh_db) as conn:  # 0004's functions again, which know nothing of them
        assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'resumen_%%' "
                            "AND prosrc LIKE '%%resumen_instructor%%'").fetchone()[0] == 0
        assert conn.execute("SELECT complementarias.resumen_stale()").fetchone()[0] is False

    assert migrations.rollback(fresh_db, 1) == ["0005_scope_search_predicates"]
    assert migrations.pending(fresh_db) == ALL_IDS[4:]
    with connect(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname = 'en_alcance'"
                            ).fetchone()[0] == 0

    assert migrations.rollback(fresh_db, 1) == ["0004_search_summaries"]
    assert migrations.pending(fresh_db) == ALL_IDS[3:]
    assert "resumen_solicitudes" not in tables_in(fresh_db, "complementarias")
    with connect(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM pg_extension WHERE extname IN "
                            "('pg_trgm', 'unaccent')").fetchone()[0] == 0
        triggers = conn.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = "
                                "'public.solicitudes'::regclass AND NOT tgisinternal")
        assert triggers.fetchone()[0] == 0
    assert not {i for i in cx_objects(fresh_db)[0] if i.endswith("_trgm_idx")}

    assert migrations.rollback(fresh_db, 1) == ["0003_access_audit"]
    assert migrations.pending(fresh_db) == ALL_IDS[2:]
    assert not set(ACCESS_TABLES) & tables_in(fresh_db, "complementarias")
    assert set(APP_TABLES) <= tables_in(fresh_db, "complementarias")

    assert migrations.rollback(fresh_db, 1) == ["0002_app_schema"]
    assert migrations.pending(fresh_db) == ALL_IDS[1:]
    assert not set(APP_TABLES) & tables_in(fresh_db, "complementarias")
    assert set(PRISMA_TABLES) <= tables_in(fresh_db, "public")
    # The notify function went with CASCADE, and the trigger that used it.
    assert cx_objects(fresh_db)[1] == set()

    assert migrations.rollback(fresh_db, 1) == ["0001_baseline"]
    assert migrations.pending(fresh_db) == ALL_IDS
    assert not set(PRISMA_TABLES) & tables_in(fresh_db, "public")
    assert tables_in(fresh_db, "public") == set()
    with connect(fresh_db) as conn:
        # public itself survives; its enums do not.
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'"
                            ).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM pg_type WHERE typtype = 'e' AND "
                            "typnamespace = 'public'::regnamespace").fetchone()[0] == 0
    assert tables_in(fresh_db, "complementarias") == set(YOYO_TABLES)

    assert migrations.rollback(fresh_db, 1) == []  # nothing left to roll back
    assert migrations.apply(fresh_db) == ALL_IDS
    assert snapshot(fresh_db) == applied


def test_rollback_count_must_be_positive(db_url: str) -> None:
    with pytest.raises(MigrationError):
        migrations.rollback(db_url, 0)
    assert migrations.pending(db_url) == []


def test_baseline_rollback_refuses_when_data_exists(demo_url: str) -> None:
    counts = public_counts(demo_url)
    assert counts["users"] > 0 and counts["solicitudes"] > 0
    data = public_data(demo_url)
    with connect(demo_url) as conn:
        seeded = conn.execute("SELECT count(*) FROM complementarias.historial").fetchone()[0]
        sol = conn.execute('SELECT "id" FROM public.solicitudes LIMIT 1').fetchone()[0]
        conn.execute("INSERT INTO complementarias.historial (solicitud_id, actor_nombre, accion) "
                     "VALUES (%s, 'Prueba', 'crear')", (sol,))

    with pytest.raises(MigrationError) as err:
        migrations.rollback(demo_url, len(ALL_IDS))
    assert "0001_baseline" in str(err.value)
    assert "tiene datos" in str(err.value)
    assert not isinstance(err.value, psycopg.Error)

    # public is untouched: every table, every row.
    assert set(PRISMA_TABLES) <= tables_in(demo_url, "public")
    assert public_counts(demo_url) == counts
    assert public_data(demo_url) == data
    # Refused before anything moved: 0002 and 0003 are still applied, our tables keep their
    # rows, the trigger is still there.
    assert [r[0] for r in yoyo_rows(demo_url)] == ALL_IDS
    assert migrations.pending(demo_url) == []
    assert set(APP_TABLES) <= tables_in(demo_url, "complementarias")
    assert cx_objects(demo_url)[1] == {TRIGGER}
    with connect(demo_url) as conn:
        assert conn.execute("SELECT count(*) FROM complementarias.historial"
                            ).fetchone()[0] == seeded + 1


def test_baseline_rollback_alone_refuses_and_keeps_everything(demo_url: str) -> None:
    """Rolling back every later migration first, then 1: the baseline still refuses, nothing
    moves."""
    data = public_data(demo_url)
    assert migrations.rollback(demo_url, len(ALL_IDS) - 1) == ALL_IDS[:0:-1]
    before = snapshot(demo_url)
    with pytest.raises(MigrationError, match="0001_baseline"):
        migrations.rollback(demo_url, 1)
    assert snapshot(demo_url) == before
    assert public_data(demo_url) == data
    assert migrations.pending(demo_url) == ALL_IDS[1:]


# ---------------------------------------------------------------------------------------------
# Adopting a database made by the web app
# ---------------------------------------------------------------------------------------------

def test_adopts_database_created_by_prisma(fresh_db: str) -> None:
    prisma_db_push(fresh_db)
    with connect(fresh_db) as conn:
        for stmt in WEB_ROWS:
            conn.execute(stmt)
    data = public_data(fresh_db)
    assert {t: len(rows) for t, rows in data.items()} == {
        "users": 1, "centros": 1, "programas": 1, "objetivos_aprendizaje": 0, "competencias": 0,
        "resultados_aprendizaje": 0, "solicitudes": 1, "horarios_detallados": 1,
        "notificaciones": 1,
    }
    assert cx_objects(fresh_db) == (set(), set())

    done = migrations.apply(fresh_db)
    assert len(done) == len(ALL_IDS)
    assert done[0].startswith("0001_baseline")
    assert "adoptada" in done[0]
    assert done[1:] == ALL_IDS[1:]
    assert public_data(fresh_db) == data
    assert data["centros"][0]["id"] == "centro_001"
    assert data["solicitudes"][0]["objetivosPersonalizados"] == ["Objetivo propio"]
    assert migrations.pending(fresh_db) == []
    assert [r[0] for r in yoyo_rows(fresh_db)] == ALL_IDS
    assert cx_objects(fresh_db) == (cx_index_names(), {TRIGGER})

    # The baseline was marked, not run: a second apply has nothing to do and keeps the rows.
    assert migrations.apply(fresh_db) == []
    assert public_data(fresh_db) == data

    # Live notifications: an INSERT (by either app) notifies 'cx_notificaciones'.
    with connect(fresh_db) as listener, connect(fresh_db) as writer:
        listener.execute("LISTEN cx_notificaciones")
        writer.execute("""INSERT INTO public.notificaciones ("id", "tipo", "titulo", "mensaje",
                          "usuarioId") VALUES ('notificacion_002', 'SISTEMA', 'Hola', 'Mensaje',
                          'user_001')""")
        got = list(listener.notifies(timeout=60, stop_after=1))  # at once; generous budget
    assert len(got) == 1
    assert got[0].channel == "cx_notificaciones"
    assert got[0].payload == "user_001 notificacion_002"


def test_adopted_database_matches_migrated_one(fresh_db: str, db_url: str) -> None:
    """Adoption + 0002 + post-apply yields the same public and complementarias structure."""
    prisma_db_push(fresh_db)
    migrations.apply(fresh_db)
    assert snapshot(fresh_db) == snapshot(db_url)


def test_partial_prisma_schema_is_not_adopted(fresh_db: str) -> None:
    """Only some of the 9 tables: the baseline runs, fails whole and says so (no adoption)."""
    with connect(fresh_db) as conn:
        conn.execute('CREATE TABLE public."centros" ("id" TEXT PRIMARY KEY)')
    with pytest.raises(MigrationError, match="0001_baseline"):
        migrations.apply(fresh_db)
    assert tables_in(fresh_db, "public") == {"centros"}
    assert migrations.pending(fresh_db) == ALL_IDS


def test_post_apply_restores_what_prisma_db_push_drops(db_url: str) -> None:
    before = snapshot(db_url)
    indexes, triggers = cx_objects(db_url)
    assert indexes == cx_index_names() and triggers == {TRIGGER}
    with connect(db_url) as conn:
        for name in indexes:
            conn.execute(f'DROP INDEX public."{name}"')
        conn.execute(f'DROP TRIGGER "{TRIGGER}" ON public.notificaciones')
    assert cx_objects(db_url) == (set(), set())
    assert migrations.apply(db_url) == []
    assert cx_objects(db_url) == (indexes, {TRIGGER})
    assert snapshot(db_url) == before


# ---------------------------------------------------------------------------------------------
# Concurrency, failures, the lock, connection errors
# ---------------------------------------------------------------------------------------------

def _apply_in_threads(url: str, n: int) -> tuple[list[list[str]], list[BaseException]]:
    barrier = threading.Barrier(n)
    results: list[list[str]] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            out = migrations.apply(url)
            with guard:
                results.append(out)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted by the caller
            with guard:
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results, errors


def test_concurrent_apply_applies_each_migration_once(fresh_db: str, pg_server: Any) -> None:
    """4 threads run apply() at once on an empty database; a few rounds, because the start of
    a race (who creates schema complementarias first) is up to the scheduler."""
    n = 4
    extra = [f"cx_conc{os.getpid()}_{i}" for i in range(2)]
    urls = [fresh_db] + [create_db(pg_server, name) for name in extra]
    try:
        for url in urls:
            results, errors = _apply_in_threads(url, n)
            assert [f"{type(e).__name__}: {e}" for e in errors] == []
            assert sorted(results, key=len) == [[]] * (n - 1) + [ALL_IDS]
            with connect(url) as conn:
                assert conn.execute(
                    "SELECT migration_id, count(*) FROM complementarias._yoyo_migration "
                    "GROUP BY migration_id ORDER BY migration_id").fetchall() == [
                        (name, 1) for name in ALL_IDS]
            assert lock_rows(url) == []
            assert cx_objects(url) == (cx_index_names(), {TRIGGER})
    finally:
        for name in extra:
            drop_db(pg_server, name)


def test_apply_while_another_session_creates_the_app_schema(fresh_db: str) -> None:
    """Deterministic form of the race above: another `migrate` has just run
    CREATE SCHEMA complementarias and not committed yet. Our apply() must wait and succeed."""
    blocker = connect(fresh_db, autocommit=False)
    try:
        blocker.execute("CREATE SCHEMA complementarias")
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["result"] = migrations.apply(fresh_db)
            except BaseException as exc:  # noqa: BLE001 - asserted below
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        thread.start()
        # Wait (without sleeping) until apply() is blocked behind our transaction.
        with connect(fresh_db) as watcher:
            deadline = time.monotonic() + 10
            while thread.is_alive() and time.monotonic() < deadline:
                if watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY("
                        "pg_blocking_pids(pid))", (blocker.info.backend_pid,)).fetchone()[0]:
                    break
        blocker.commit()
        thread.join(timeout=60)
        assert not thread.is_alive()
    finally:
        blocker.close()
    error = outcome.get("error")
    assert error is None, f"{type(error).__name__}: {error}"
    assert outcome["result"] == ALL_IDS


@pytest.fixture
def broken_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir()
    for f in MIGRATIONS_DIR.glob("*.sql"):
        shutil.copy(f, folder / f.name)
    (folder / "9999_broken.sql").write_text(
        "-- depends: 0004_search_summaries\n"
        "CREATE TABLE complementarias.x (id int);\n"
        "INSERT INTO complementarias.x VALUES (1);\n"
        "THIS IS NOT SQL;\n",
        encoding="utf-8",
    )
    (folder / "9999_broken.rollback.sql").write_text(
        "DROP TABLE complementarias.x;\n", encoding="utf-8")
    monkeypatch.setattr(migrations, "MIGRATIONS_DIR", folder)
    return folder


def test_failing_migration_is_rolled_back_whole(fresh_db: str, broken_dir: Path) -> None:
    with pytest.raises(MigrationError) as err:
        migrations.apply(fresh_db)
    assert "9999_broken" in str(err.value)
    assert not isinstance(err.value, psycopg.Error)
    assert "x" not in tables_in(fresh_db, "complementarias")
    assert [r[0] for r in yoyo_rows(fresh_db)] == ALL_IDS
    assert migrations.pending(fresh_db) == ["9999_broken"]
    assert lock_rows(fresh_db) == []  # the lock was released despite the failure

    (broken_dir / "9999_broken.sql").unlink()
    (broken_dir / "9999_broken.rollback.sql").unlink()
    assert migrations.apply(fresh_db) == []
    assert migrations.pending(fresh_db) == []
    assert cx_objects(fresh_db) == (cx_index_names(), {TRIGGER})


def test_held_lock_times_out_with_hint_then_break_lock(db_url: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with connect(db_url) as conn:
        conn.execute("INSERT INTO complementarias.yoyo_lock (locked, ctime, pid) "
                     "VALUES (1, now(), 999999)")
    monkeypatch.setattr(migrations, "LOCK_TIMEOUT", 1)
    with pytest.raises(MigrationError) as err:
        migrations.apply(db_url)
    assert "--break-lock" in str(err.value)
    with pytest.raises(MigrationError, match="--break-lock"):
        migrations.rollback(db_url, 1)
    assert lock_rows(db_url) == [(999999,)]  # someone else's lock is not removed by a failure
    assert migrations.pending(db_url) == []  # rollback did not run

    migrations.break_lock(db_url)
    assert lock_rows(db_url) == []
    assert migrations.apply(db_url) == []
    assert lock_rows(db_url) == []


@pytest.mark.parametrize("call", [
    migrations.apply,
    migrations.status,
    migrations.pending,
    migrations.break_lock,
    lambda url: migrations.rollback(url, 1),
], ids=["apply", "status", "pending", "break_lock", "rollback"])
def test_unreachable_server_gives_spanish_error(call: Any) -> None:
    url = "postgresql://postgres@/x?host=/nonexistent&port=5432"
    with pytest.raises(MigrationError) as err:
        call(url)
    assert "No se puede conectar" in str(err.value)
    assert not isinstance(err.value, psycopg.Error)


def test_missing_database_gives_migration_error(pg_server: Any) -> None:
    url = pg_server.url("cx_no_such_database")
    with pytest.raises(MigrationError) as err:
        migrations.apply(url)
    assert "no existe" in str(err.value)
    assert not isinstance(err.value, psycopg.Error)
