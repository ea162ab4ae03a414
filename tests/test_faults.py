"""Faults on a real PostgreSQL of their own (this module kills and restarts it): a crash in
the middle of a transition, a full pool, slow queries and their cancellation, an interrupted
`migrate`. Each test checks that no row was half-written or lost."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg_pool import PoolTimeout

from tui.db import migrations
from tui.db.embedded import EmbeddedServer
from tui.db.pool import make_pool
from tui.services import audit, transitions
from tui.services.common import refresh_actor
from tui.services.seed import load_demo
from tui.uikit.errors import describe

from .conftest import _tmp_root, eventually, fast_demo_hashes, started_server
from .test_migrations import ALL_IDS

# A module fixture is made once: the file runs on one test worker.
pytestmark = pytest.mark.xdist_group("test_faults")

JUAN = "juan.martinez@sena.edu.co"


CRASH_TEMPLATE = "cx_crash_tpl"


@pytest.fixture(scope="module")
def crash_server() -> Iterator[EmbeddedServer]:
    """A durable server of this module's own, with a migrated demo database as template (made
    once; each test's database is a fresh clone of it)."""
    root = _tmp_root()
    try:
        with started_server(root, durable=True) as server:  # crashes must lose nothing
            template = server.url(CRASH_TEMPLATE)
            with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {CRASH_TEMPLATE}")
            migrations.apply(template)
            with psycopg.connect(template, autocommit=True, options="-c TimeZone=UTC") as conn:
                load_demo(conn)
                fast_demo_hashes(conn)
            yield server
    finally:
        subprocess.run(["rm", "-rf", str(root)], check=False)


def crash(server: EmbeddedServer) -> None:
    """What a power cut does to PostgreSQL: every process ends at once, no checkpoint."""
    server._run("pg_ctl", "stop", "-D", str(server.pgdata), "-m", "immediate", "-w",
                check=False)
    assert not server.running


@pytest.fixture
def crash_db(crash_server: EmbeddedServer) -> Iterator[str]:
    url = crash_server.url()
    with psycopg.connect(crash_server.url("postgres"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS complementarias WITH (FORCE)")
        conn.execute(f"CREATE DATABASE complementarias TEMPLATE {CRASH_TEMPLATE}")
    yield url
    if not crash_server.running:
        crash_server.ensure_running()


def counts(url: str, solicitud: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        def one(q: str) -> Any:
            return conn.execute(q, (solicitud,)).fetchone()[0]

        return {
            "estado": one('SELECT estado::text FROM public.solicitudes WHERE codigo = %s'),
            "historial": one("SELECT count(*) FROM complementarias.historial h "
                             "JOIN public.solicitudes s ON s.id = h.solicitud_id "
                             "WHERE s.codigo = %s"),
            "notificaciones": one('SELECT count(*) FROM public.notificaciones n JOIN '
                                  'public.solicitudes s ON s.id = n."solicitudId" '
                                  'WHERE s.codigo = %s'),
            "audit": one("SELECT count(*) FROM complementarias.audit "
                         "WHERE action = 'transition' AND detail->>'codigo' = %s"),
        }


async def juan_and_sol(pool: Any, codigo: str) -> tuple[Any, str]:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT id FROM public.users WHERE email = %s", (JUAN,))
        juan = await refresh_actor(conn, (await cur.fetchone())["id"])
        cur = await conn.execute("SELECT id FROM public.solicitudes WHERE codigo = %s",
                                 (codigo,))
        return juan, (await cur.fetchone())["id"]


# ---- PostgreSQL killed in the middle of a transition -----------------------------------------
async def test_crash_mid_transition_is_all_or_nothing_and_the_retry_works(
        crash_server: EmbeddedServer, crash_db: str, monkeypatch: Any) -> None:
    before = counts(crash_db, "SOL-2026-002")
    pool = make_pool(crash_db, min_size=1, max_size=4, timeout=20)
    await pool.open(wait=True)
    try:
        juan, sid = await juan_and_sol(pool, "SOL-2026-002")
        real = audit.record

        async def crash_then_record(conn: Any, action: str, **kw: Any) -> None:
            # The estado, the notifications and the history row are written, not committed.
            if action == "transition":
                await asyncio.to_thread(crash, crash_server)
            await real(conn, action, **kw)

        monkeypatch.setattr(audit, "record", crash_then_record)
        with pytest.raises(psycopg.OperationalError) as info:
            await transitions.approve(pool, juan, sid)
        assert describe(info.value)[0] == "Sin conexión"
        monkeypatch.setattr(audit, "record", real)
        await asyncio.to_thread(crash_server.ensure_running)
        assert counts(crash_db, "SOL-2026-002") == before  # nothing of it survived
        # The same pool reconnects (its stale connections are checked and replaced).
        result = await transitions.approve(pool, juan, sid)
        assert result.estado == "APROBADA"
    finally:
        await pool.close()
    after = counts(crash_db, "SOL-2026-002")
    assert after["estado"] == "APROBADA"
    assert after["historial"] == before["historial"] + 1
    assert after["notificaciones"] == before["notificaciones"] + 2
    assert after["audit"] == 1


async def test_crash_between_actions_costs_no_request(crash_server: EmbeddedServer,
                                                      crash_db: str) -> None:
    """A restart while the app is idle: the next action simply works."""
    pool = make_pool(crash_db, min_size=2, max_size=4, timeout=20)
    await pool.open(wait=True)
    try:
        juan, sid = await juan_and_sol(pool, "SOL-2026-002")
        await asyncio.to_thread(crash, crash_server)
        await asyncio.to_thread(crash_server.ensure_running)
        assert (await transitions.take_into_review(pool, juan, sid)).estado == "EN_REVISION"
    finally:
        await pool.close()


# ---- a full pool -----------------------------------------------------------------------------
async def test_full_pool_answers_busy_quickly(crash_db: str) -> None:
    pool = make_pool(crash_db, min_size=1, max_size=1, timeout=0.5)
    await pool.open(wait=True)
    try:
        juan, sid = await juan_and_sol(pool, "SOL-2026-002")
        async with pool.connection():  # someone holds the only connection
            t0 = time.monotonic()
            with pytest.raises(PoolTimeout) as info:
                await transitions.take_into_review(pool, juan, sid)
            waited = time.monotonic() - t0
        title, message = describe(info.value)
        assert title == "Servidor ocupado" and "ocupada" in message
        assert waited < 3
        # Once free, the same call goes through.
        assert (await transitions.take_into_review(pool, juan, sid)).estado == "EN_REVISION"
    finally:
        await pool.close()


# ---- slow queries ----------------------------------------------------------------------------
async def test_statement_timeout_holds(crash_db: str) -> None:
    pool = make_pool(crash_db, min_size=1, max_size=1)
    await pool.open(wait=True)
    try:
        async with pool.connection() as conn:
            cur = await conn.execute("SHOW statement_timeout")
            assert (await cur.fetchone())["statement_timeout"] == "30s"
            await conn.execute("SET statement_timeout = '200ms'")
            with pytest.raises(psycopg.errors.QueryCanceled) as info:
                await conn.execute("SELECT pg_sleep(5)")
            assert describe(info.value)[0] == "Consulta cancelada"
    finally:
        await pool.close()


async def test_cancelling_the_task_cancels_the_query_on_the_server(crash_db: str) -> None:
    """What a worker's cancellation does (Escape or a newer search replaces an exclusive
    worker): the query stops on the server too, not only in the app."""
    pool = make_pool(crash_db, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        async def slow() -> None:
            async with pool.connection() as conn:
                await conn.execute("SELECT pg_sleep(20) /* cx-slow */")

        task = asyncio.create_task(slow())
        with psycopg.connect(crash_db, autocommit=True) as watch:
            def running() -> int:
                return watch.execute("SELECT count(*) FROM pg_stat_activity WHERE state = "
                                     "'active' AND query LIKE %s AND pid <> "
                                     "pg_backend_pid()", ("%cx-slow%",)).fetchone()[0]

            await eventually(lambda: running() == 1)
            t0 = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await eventually(lambda: running() == 0)
            assert time.monotonic() - t0 < 5
    finally:
        await pool.close()


# ---- an interrupted migrate ------------------------------------------------------------------
def test_interrupted_migrate_rolls_back_and_runs_again(crash_server: EmbeddedServer,
                                                       crash_db: str) -> None:
    url = crash_db
    later = ALL_IDS[ALL_IDS.index("0003_access_audit"):]
    migrations.rollback(url, len(later))  # 0003 (and what follows) pending again
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with psycopg.connect(url, autocommit=True) as blocker:
        blocker.execute("BEGIN")
        blocker.execute("LOCK TABLE public.users IN ACCESS EXCLUSIVE MODE")
        proc = subprocess.Popen([sys.executable, "-m", "tui.cli.main", "--database-url", url,
                                 "migrate"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            with psycopg.connect(url, autocommit=True) as watch:
                def waiting() -> int:  # 0003 waits on the lock, half done
                    return watch.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                                         "wait_event_type = 'Lock' AND query ILIKE "
                                         "'%ssh_keys%'").fetchone()[0]

                asyncio.run(eventually(lambda: waiting() > 0, what="migrate waits on the lock"))
                assert waiting() == 1
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        blocker.execute("ROLLBACK")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('complementarias.ssh_keys')").fetchone()[0] \
            is None
    assert migrations.pending(url) == later
    # Re-runnable: the killed process's lock is found stale or broken, then 0003 applies.
    if migrations.lock_holder(url):
        migrations.break_lock(url)
    assert migrations.apply(url) == later
    assert migrations.pending(url) == []


# ---- PostgreSQL restarted while a form is being edited ---------------------------------------
async def test_restart_while_editing_loses_nothing_and_saves_resume(
        crash_server: EmbeddedServer, crash_db: str, monkeypatch: Any) -> None:
    from textual.widgets import Input

    from tui.config import Settings
    from tui.db.urls import DatabaseChoice
    from tui.screens.instructor import form_saving
    from tui.screens.instructor.solicitud_form import SolicitudFormScreen
    from tui.services.auth import login
    from tui.shell.app import ComplementariasApp
    from tui.shell.database import OpenDatabase

    from .conftest import save_state_reaches, settle, wait_until
    from .test_ui_form import field, type_into

    monkeypatch.setattr(form_saving, "AUTOSAVE_DELAY", 0.3)
    monkeypatch.setattr(form_saving, "RETRY_DELAY", 1.0)
    pool = make_pool(crash_db, min_size=1, max_size=2)
    await pool.open(wait=True)
    session = await login(pool, "carlos.rodriguez@sena.edu.co", "Instructor.2026")
    with psycopg.connect(crash_db) as conn:
        sid = conn.execute("SELECT id FROM public.solicitudes WHERE codigo = 'SOL-2026-005'"
                           ).fetchone()[0]
    await pool.close()
    db = OpenDatabase(url=crash_db, choice=DatabaseChoice(crash_db, None, "DATABASE_URL"))
    app = ComplementariasApp(db, session=session, settings=Settings(low_bandwidth=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(SolicitudFormScreen(sid))
        await wait_until(pilot, lambda: "Sin cambios" in app.screen.save_state)
        screen = app.screen
        await asyncio.to_thread(crash, crash_server)
        await type_into(pilot, screen, "nombreEmpresa", "Escrito sin servidor")
        # The autosave fails: the text stays, a retry is planned.
        assert "se reintentará" in await save_state_reaches(screen, "Error al guardar")
        assert field(screen, "nombreEmpresa").editor.value == "Escrito sin servidor"
        await asyncio.to_thread(crash_server.ensure_running)
        await save_state_reaches(screen, "Guardado")  # a retry goes through once it is back
        assert isinstance(field(screen, "nombreEmpresa").editor, Input)
    with psycopg.connect(crash_db) as conn:
        stored = conn.execute('SELECT "nombreEmpresa" FROM public.solicitudes WHERE id = %s',
                              (sid,)).fetchone()[0]
    assert stored == "Escrito sin servidor"


# ---- the app killed mid-edit: the local journal ----------------------------------------------
async def test_killed_mid_edit_the_form_is_restored_at_next_start(
        make_app: Any, login_as: Any, demo_url: str, journal_folder: Path,
        monkeypatch: Any) -> None:
    from tui.screens.instructor import form_saving
    from tui.screens.instructor.solicitud_form import SolicitudFormScreen

    from .conftest import save_state_reaches, settle, wait_until
    from .test_ui_form import field, type_into

    monkeypatch.setattr(form_saving, "AUTOSAVE_DELAY", 600.0)  # killed before any autosave
    session = await login_as("carlos")
    with psycopg.connect(demo_url) as conn:
        sid, before = conn.execute('SELECT id, "nombreEmpresa" FROM public.solicitudes '
                                   "WHERE codigo = 'SOL-2026-005'").fetchone()
    first = make_app(session)
    async with first.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        first.push_screen(SolicitudFormScreen(sid))
        await wait_until(pilot, lambda: "Sin cambios" in first.screen.save_state)
        await type_into(pilot, first.screen, "nombreEmpresa", "Tecleado antes del corte")
        await wait_until(pilot, lambda: list(journal_folder.glob("*.json")))
        # The process dies here: no save, no leaving the form.
    files = list(journal_folder.glob("*.json"))
    assert len(files) == 1 and oct(files[0].stat().st_mode & 0o777) == "0o600"
    with psycopg.connect(demo_url) as conn:
        assert conn.execute('SELECT "nombreEmpresa" FROM public.solicitudes WHERE id = %s',
                            (sid,)).fetchone()[0] == before
    monkeypatch.setattr(form_saving, "AUTOSAVE_DELAY", 0.3)
    second = make_app(session)
    async with second.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(second.screen, SolicitudFormScreen))
        screen = second.screen
        await wait_until(pilot, lambda: field(screen, "nombreEmpresa").editor.value
                         == "Tecleado antes del corte")
        await save_state_reaches(screen, "Guardado")
    with psycopg.connect(demo_url) as conn:
        assert conn.execute('SELECT "nombreEmpresa" FROM public.solicitudes WHERE id = %s',
                            (sid,)).fetchone()[0] == "Tecleado antes del corte"
    assert list(journal_folder.glob("*.json")) == []


def test_journal_round_trip_and_a_corrupt_file_is_dropped(journal_folder: Path) -> None:
    from datetime import date

    from tui.services.horarios import Horario
    from tui.uikit import journal

    rows = [Horario("LUNES", "08:00", "12:00", date(2026, 12, 1), False, "[b]x\x1b")]
    form = {"nombreEmpresa": "Ñandú", "fechaInicioCurso": date(2026, 12, 1),
            "objetivosPersonalizados": ["uno"], "cupoMaximo": 20, "posconflicto": True}
    journal.write("cuser1", "csol1", form, rows)
    assert journal.read("cuser1", "csol1") == (form, rows)
    assert journal.pending("cuser1") == ["csol1"] and journal.pending("cuser2") == []
    (journal_folder / "cuser1-csol2.json").write_text("{corrupto")
    assert journal.read("cuser1", "csol2") is None
    assert not (journal_folder / "cuser1-csol2.json").exists()
    journal.clear("cuser1", "csol1")
    assert journal.pending("cuser1") == []
