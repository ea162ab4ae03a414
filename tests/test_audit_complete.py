"""The audit trail is complete and append-only, on the real demo database.

- Drafts created and saved, and profile edits, are recorded in the same transaction as the
  change (a refused save records nothing), with the actor's e-mail read from the database.
- Migrations from the admin menu go through tui.services.migrations_admin: the admin role is
  read from the database, and each migration's entry is written in that migration's own
  transaction (an entry that cannot be written undoes the migration).
- No rollback ever drops the audit trail: rolling back 0003 is refused while it holds entries,
  whether asked through yoyo or by running its rollback SQL by hand; the entries are counted
  before and after.
- The demo solicitudes have a history that leads to their estado (transitions.path_to).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from functools import partial
from typing import Any

import psycopg
import pytest

from tui.db import migrations
from tui.paths import MIGRATIONS_DIR
from tui.services import audit, migrations_admin, users
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import Conflict, PermissionDenied
from tui.services.seed import demo_data

from .svc_calls import USERS, sql
from .test_migrations import ALL_IDS
from .test_svc_lifecycle import actor


async def audit_rows(pool: Any, action: str | None = None) -> list[dict[str, Any]]:
    return await sql(pool, """SELECT actor_id, actor_email, action, target, detail
                                FROM complementarias.audit
                               WHERE %s::text IS NULL OR action = %s::text ORDER BY id""",
                     action, action)


def count_entries(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM complementarias.audit").fetchone()[0]


# ---- drafts and profiles ---------------------------------------------------------------------
async def test_drafts_created_and_saved_are_recorded_with_the_stored_email(pool: Any) -> None:
    carlos = await actor(pool, USERS["carlos"])
    prog = (await sql(pool, """SELECT "id" FROM public.programas
                                WHERE "codigo" = 'CF-001-2024'"""))[0]["id"]
    # The caller's object carries a stale e-mail: the entry names the stored one.
    stale = replace(carlos, email="antiguo@sena.edu.co")
    draft = await sv.create_draft(pool, stale, {"programaId": prog})
    saved = await sv.save(pool, stale, draft.id, {"nombreEmpresa": "Empresa Uno"}, [],
                          draft.updated_at)
    created, saves = await audit_rows(pool, "draft_create"), await audit_rows(pool, "draft_save")
    assert [(r["actor_email"], r["target"], r["detail"]["codigo"]) for r in created] == [
        (carlos.email, draft.id, draft.codigo)]
    assert [(r["actor_email"], r["target"]) for r in saves] == [(carlos.email, draft.id)]
    assert "nombreEmpresa" in saves[0]["detail"]["campos"]
    # A save refused as stale writes neither the change nor its entry.
    with pytest.raises(Conflict):
        await sv.save(pool, carlos, draft.id, {"nombreEmpresa": "Otra"}, [], draft.updated_at)
    assert len(await audit_rows(pool, "draft_save")) == 1
    assert (await sv.get(pool, carlos, saved.id)).data["nombreEmpresa"] == "Empresa Uno"
    assert audit.ACTIONS["draft_save"] and audit.ACTIONS["profile_update"]


async def test_profile_edits_are_recorded(pool: Any) -> None:
    maria = await actor(pool, USERS["maria"])
    await users.update_own_profile(pool, maria, "3001112233", "Ofimática")
    rows = await audit_rows(pool, "profile_update")
    assert [(r["actor_id"], r["actor_email"], r["target"]) for r in rows] == [
        (maria.id, maria.email, maria.id)]
    assert rows[0]["detail"]["campos"] == ["especialidad", "telefono"]


async def test_an_entry_cannot_fail_on_what_it_records(pool: Any) -> None:
    """NUL and lone surrogates in what an entry records are made storable, never a crash."""
    admin = await actor(pool, USERS["admin"])
    async with pool.connection() as conn:
        await audit.record(conn, "export", actor=admin, target="lista\x00\ud800",
                           detail={"filtros": "nul\x00 surrogate \udfff", "k\x00": ["\x00"]})
    (row,) = await audit_rows(pool, "export")
    assert row["target"] == "lista\ufffd" and "\x00" not in str(row["detail"])


# ---- migrations from the admin menu ----------------------------------------------------------
async def test_migrations_service_checks_the_admin_in_the_database(pool: Any,
                                                                   demo_url: str) -> None:
    juan, admin = await actor(pool, USERS["juan"]), await actor(pool, USERS["admin"])
    for who in (juan, replace(juan, role="ADMIN")):  # a forged role changes nothing
        for call in (partial(migrations_admin.status, pool, who, demo_url),
                     partial(migrations_admin.apply, pool, who, demo_url),
                     partial(migrations_admin.rollback, pool, who, demo_url, 1)):
            with pytest.raises(PermissionDenied):
                await call()
    infos, holder = await migrations_admin.status(pool, admin, demo_url)
    assert all(m.applied for m in infos) and holder is None


async def test_migration_and_its_entry_share_one_transaction(pool: Any, demo_url: str,
                                                             monkeypatch: Any) -> None:
    admin = await actor(pool, USERS["admin"])
    assert count_entries(demo_url) == 0
    later = ALL_IDS[ALL_IDS.index("0003_access_audit"):]  # the audit table's and after
    # Those after 0003 quietly (the module records nothing), then 0003 through the service
    # (its entry would be dropped with the table, so it leaves none).
    await asyncio.to_thread(migrations.rollback, demo_url, len(later) - 1)
    assert await migrations_admin.rollback(pool, admin, demo_url, 1) == ["0003_access_audit"]
    # An entry that cannot be written undoes the migration it records.
    real = audit.record_sync

    def record_then_fail(*args: Any, **kwargs: Any) -> bool:
        real(*args, **kwargs)
        raise RuntimeError("el registro falló")

    monkeypatch.setattr(audit, "record_sync", record_then_fail)
    with pytest.raises(migrations.MigrationError):
        await migrations_admin.apply(pool, admin, demo_url)
    assert await asyncio.to_thread(migrations.pending, demo_url) == later
    monkeypatch.setattr(audit, "record_sync", real)
    # Applied for real: the admin's stored e-mail, in each migration's own transaction.
    assert await migrations_admin.apply(pool, admin, demo_url) == later
    rows = await audit_rows(pool)
    assert [(r["action"], r["actor_email"], r["detail"]["migrations"]) for r in rows] == [
        ("migrate_apply", admin.email, [name]) for name in later]


async def test_rolling_back_the_audit_migration_never_drops_entries(pool: Any,
                                                                    demo_url: str) -> None:
    admin = await actor(pool, USERS["admin"])
    await users.update_own_profile(pool, admin, None, "Auditoría")
    before = count_entries(demo_url)
    assert before == 1
    # Through the admin menu's service, and through the migration module (CLI).
    reaching_0003 = len(ALL_IDS) - ALL_IDS.index("0003_access_audit")
    with pytest.raises(migrations.MigrationError, match="auditoría"):
        await migrations_admin.rollback(pool, admin, demo_url, reaching_0003)
    with pytest.raises(migrations.MigrationError, match="No se revirtió nada"):
        await asyncio.to_thread(migrations.rollback, demo_url, reaching_0003)
    # The rollback SQL itself refuses too (someone running it by hand).
    script = (MIGRATIONS_DIR / "0003_access_audit.rollback.sql").read_text()
    with psycopg.connect(demo_url) as conn:
        conn.execute("SET search_path TO complementarias")
        with pytest.raises(psycopg.errors.RaiseException, match="auditoría tiene entradas"):
            conn.execute(script)
    assert count_entries(demo_url) == before
    assert await asyncio.to_thread(migrations.pending, demo_url) == []
    # Still append-only for everyone: DELETE and TRUNCATE are refused by the trigger.
    with psycopg.connect(demo_url) as conn, pytest.raises(psycopg.errors.RaiseException):
        conn.execute("TRUNCATE complementarias.audit")
    assert count_entries(demo_url) == before


# ---- the demo data's history -----------------------------------------------------------------
async def test_every_demo_solicitud_has_a_history_leading_to_its_estado(pool: Any) -> None:
    rows = await sql(pool, """SELECT s."codigo", s."estado"::text AS estado, h.accion,
                                     h.estado_desde, h.estado_hasta, h.actor_id, h.creado_en
                                FROM public.solicitudes s
                                JOIN complementarias.historial h ON h.solicitud_id = s."id"
                               ORDER BY s."codigo", h.id""")
    by_codigo: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_codigo.setdefault(r["codigo"], []).append(r)
    demo = {s["codigo"]: s for s in demo_data()["solicitudes"]}
    assert set(by_codigo) == set(demo)
    for hist in by_codigo.values():
        estado = hist[0]["estado"]
        steps = tr.path_to(estado)
        assert [h["accion"] for h in hist] == ["Creada"] + [tr.RULES[s].accion for s in steps]
        assert hist[-1]["estado_hasta"] == estado and hist[0]["estado_desde"] is None
        for prev, cur in itertools.pairwise(hist):
            assert cur["estado_desde"] == prev["estado_hasta"]
            assert cur["creado_en"] >= prev["creado_en"]
        assert all(h["actor_id"] for h in hist)
