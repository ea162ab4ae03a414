"""The audit trail on the real demo database: every event lands, only admins read it, and the
table refuses UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from tui.cli import main as cli
from tui.db import migrations
from tui.services import audit, auth, users
from tui.services import transitions as tr
from tui.services.common import InvalidTransition, PermissionDenied, bogota_today
from tui.services.validation import ValidationFailed

from .conftest import settle, wait_until
from .test_migrations import ALL_IDS
from .test_svc_lifecycle import actor, sol_id, sql

ADMIN = "admin@sena.edu.co"
TO_BELOW_0003 = len(ALL_IDS) - ALL_IDS.index("0003_access_audit")
"""How many migrations `--rollback` takes back to undo 0003 (the audit table)."""
JUAN = "juan.martinez@sena.edu.co"
CARLOS = "carlos.rodriguez@sena.edu.co"


async def entries(pool: Any, action: str | None = None) -> list[dict[str, Any]]:
    if action is None:
        return await sql(pool, "SELECT * FROM complementarias.audit ORDER BY id")
    return await sql(pool, "SELECT * FROM complementarias.audit WHERE action = %s ORDER BY id",
                     action)


def no_secret(rows: list[dict[str, Any]], secret: str) -> None:
    for r in rows:
        assert secret not in repr(r), r


# ---- events ----------------------------------------------------------------------------------
async def test_login_success_and_failure_are_recorded_without_password(pool: Any) -> None:
    await auth.login(pool, ADMIN, "Admin.Sena2026", source="ssh:10.0.0.7")
    with pytest.raises(auth.AuthError):
        await auth.login(pool, JUAN, "Wrong-Secret-123", source="ssh:10.0.0.8")
    with pytest.raises(auth.AuthError):
        await auth.login(pool, "nadie@sena.edu.co", "Other-Secret-456", source="local:x")
    ok = await entries(pool, "login")
    assert [(r["actor_email"], r["source"]) for r in ok] == [(ADMIN, "ssh:10.0.0.7")]
    assert ok[0]["actor_id"] == (await actor(pool, ADMIN)).id
    failed = await entries(pool, "login_failed")
    assert [(r["actor_email"], r["detail"]["reason"]) for r in failed] == [
        (JUAN, "bad_credentials"), ("nadie@sena.edu.co", "bad_credentials")]
    all_rows = await entries(pool)
    no_secret(all_rows, "Wrong-Secret-123")
    no_secret(all_rows, "Other-Secret-456")
    no_secret(all_rows, "Admin.Sena2026")


async def test_locked_and_inactive_logins_are_recorded(pool: Any) -> None:
    for _ in range(auth.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(auth.AuthError):
            await auth.login(pool, CARLOS, "bad", source="t")
    with pytest.raises(auth.AuthError):
        await auth.login(pool, CARLOS, "Instructor.2026", source="t")
    reasons = [r["detail"]["reason"] for r in await entries(pool, "login_failed")]
    assert reasons[-1] == "locked"
    await sql(pool, 'UPDATE public.users SET "isActive" = false WHERE email = %s', JUAN)
    with pytest.raises(auth.AuthError):
        await auth.login(pool, JUAN, "Coordinador.2026", source="t")
    last = (await entries(pool, "login_failed"))[-1]
    assert (last["actor_email"], last["detail"]["reason"]) == (JUAN, "inactive")


async def test_user_events_are_recorded(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    user, password = await users.create_user(
        pool, admin, email="auditado@sena.edu.co", name="Auditado Uno", cedula="88880001",
        role="INSTRUCTOR", centro_id=admin.centro_id)
    await users.update_user(pool, admin, user.id, name="Auditado Dos")
    await users.update_user(pool, admin, user.id, role="COORDINADOR")
    await users.set_active(pool, admin, user.id, False)
    await users.set_active(pool, admin, user.id, True)
    temp = await users.reset_password(pool, admin, user.id)
    await users.delete_user(pool, admin, user.id)
    rows = [r for r in await entries(pool) if r["target"] == user.id]
    assert [r["action"] for r in rows] == ["user_create", "user_update", "user_role",
                                           "user_deactivate", "user_activate",
                                           "password_reset", "user_delete"]
    assert all(r["actor_id"] == admin.id and r["actor_email"] == ADMIN for r in rows)
    assert rows[0]["detail"]["role"] == "INSTRUCTOR"
    assert rows[1]["detail"] == {"changed": ["name"]}
    assert rows[2]["detail"]["role"] == ["INSTRUCTOR", "COORDINADOR"]
    no_secret(rows, password)
    no_secret(rows, temp)


async def test_refused_change_records_nothing(pool: Any) -> None:
    juan = await actor(pool, JUAN)
    before = len(await entries(pool))
    with pytest.raises(PermissionDenied):
        await users.create_user(pool, juan, email="x1@sena.edu.co", name="X Uno",
                                cedula="88880002", role="ADMIN", centro_id=None)
    assert len(await entries(pool)) == before


async def test_transition_is_recorded_in_its_transaction(pool: Any) -> None:
    juan = await actor(pool, JUAN)
    sid = await sol_id(pool, "SOL-2026-002")
    await tr.take_into_review(pool, juan, sid)
    await tr.approve(pool, juan, sid)
    rows = [r for r in await entries(pool, "transition") if r["target"] == sid]
    assert [(r["detail"]["desde"], r["detail"]["hasta"]) for r in rows] == [
        ("PENDIENTE", "EN_REVISION"), ("EN_REVISION", "APROBADA")]
    assert rows[1]["detail"]["codigo"] == "SOL-2026-002" and rows[1]["detail"]["ficha"]
    # A refused transition leaves no entry.
    with pytest.raises(InvalidTransition):
        await tr.reject(pool, juan, sid, "tarde")
    assert len([r for r in await entries(pool, "transition") if r["target"] == sid]) == 2


async def test_password_change_is_recorded(pool: Any) -> None:
    session = await auth.login(pool, CARLOS, "Instructor.2026")
    await auth.change_password(pool, session.actor, "Instructor.2026", "Otra.Clave.2027x")
    rows = await entries(pool, "password_change")
    assert [r["target"] for r in rows] == [session.actor.id]
    no_secret(await entries(pool), "Otra.Clave.2027x")


def test_cli_migrate_is_recorded(fresh_db: str) -> None:
    assert cli.main(["--database-url", fresh_db, "migrate"]) == 0
    with psycopg.connect(fresh_db) as conn:
        rows = conn.execute("SELECT action, detail, source FROM complementarias.audit").fetchall()
    # Entries written in the migrations' own transactions: the one that creates the table
    # records those applied before it in this run, each later one records itself.
    first = ALL_IDS[:ALL_IDS.index("0003_access_audit") + 1]
    expected = [first] + [[name] for name in ALL_IDS[len(first):]]
    assert [d["migrations"] for _a, d, _s in rows] == expected
    assert all(a == "migrate_apply" and src.startswith("cli:") for a, _d, src in rows)
    recorded = rows
    # The audit trail is append-only: rolling back 0003 would drop it, so it is refused
    # while it holds that entry (nothing is rolled back), and the entry stays.
    with pytest.raises(SystemExit) as refused:
        cli.main(["--database-url", fresh_db, "migrate", "--rollback", str(TO_BELOW_0003)])
    assert refused.value.code == 1
    assert cli.main(["--database-url", fresh_db, "migrate"]) == 0  # nothing pending
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM complementarias.audit").fetchone()[0] == \
            len(recorded)


async def test_login_still_works_below_migration_0003(pool: Any, demo_url: str) -> None:
    await asyncio.to_thread(migrations.rollback, demo_url, TO_BELOW_0003)
    session = await auth.login(pool, ADMIN, "Admin.Sena2026")
    assert session.actor.email == ADMIN
    await asyncio.to_thread(migrations.apply, demo_url)


async def test_migrations_screen_records_the_admin(make_app: Any, demo_url: str,
                                                   login_as: Any, pool: Any) -> None:
    await asyncio.to_thread(migrations.rollback, demo_url, TO_BELOW_0003)  # no entries yet
    session = await login_as("admin")
    app = make_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_open_migrations()
        await wait_until(pilot, lambda: "pendientes" in str(
            app.screen.query_one("#migrations-status").render()))
        app.screen.run("apply")
        await wait_until(pilot, lambda: "Aplicadas" in str(
            app.screen.query_one("#migrations-result").render()))
    rows = await entries(pool, "migrate_apply")
    assert [(r["actor_email"], r["detail"]["migrations"]) for r in rows] == [
        (ADMIN, [name]) for name in ALL_IDS[ALL_IDS.index("0003_access_audit"):]]


# ---- append-only -----------------------------------------------------------------------------
@pytest.mark.parametrize("statement", [
    "UPDATE complementarias.audit SET action = 'x'",
    "DELETE FROM complementarias.audit",
    "TRUNCATE complementarias.audit",
])
async def test_audit_refuses_changes(pool: Any, statement: str) -> None:
    await auth.login(pool, ADMIN, "Admin.Sena2026")
    with pytest.raises(psycopg.errors.RaiseException, match="solo admite nuevas entradas"):
        await sql(pool, statement)
    assert len(await entries(pool, "login")) == 1


# ---- search ----------------------------------------------------------------------------------
async def test_only_admins_search(pool: Any) -> None:
    for email in (JUAN, CARLOS):
        with pytest.raises(PermissionDenied):
            await audit.search(pool, await actor(pool, email))


async def test_search_filters_and_pages(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    for n in range(5):
        with pytest.raises(auth.AuthError):
            await auth.login(pool, f"intruso{n}@sena.edu.co", "x", source="ssh:1.2.3.4")
    await auth.login(pool, ADMIN, "Admin.Sena2026")
    assert (await audit.search(pool, admin)).total == 6
    assert (await audit.search(pool, admin, action="login")).total == 1
    assert (await audit.search(pool, admin, actor_text="intruso3")).total == 1
    assert (await audit.search(pool, admin, texto="1.2.3.4")).total == 5
    today = bogota_today()
    assert (await audit.search(pool, admin, desde=today, hasta=today)).total == 6
    assert (await audit.search(pool, admin, hasta=today - timedelta(days=1))).total == 0
    assert (await audit.search(pool, admin, desde=today.isoformat())).total == 6
    seen, cursor = [], None
    while True:
        page = await audit.search(pool, admin, cursor=cursor, limit=4)
        seen += page.rows
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 6 and len({e.id for e in seen}) == 6
    assert [e.at for e in seen] == sorted((e.at for e in seen), reverse=True)


async def test_search_bad_filters_name_the_field(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    with pytest.raises(ValidationFailed) as info:
        await audit.search(pool, admin, desde="ayer", hasta="2026-13-01", action="hack")
    assert {e.field for e in info.value.errors} == {"desde", "hasta", "action"}
    with pytest.raises(ValidationFailed):
        await audit.search(pool, admin, desde="2026-02-01", hasta="2026-01-01")


# ---- the screen ------------------------------------------------------------------------------
FIXED = [
    ("2026-01-15 14:02:00+00", None, "nadie@sena.edu.co", "login_failed", None,
     '{"reason": "bad_credentials"}', "ssh:10.1.2.3"),
    ("2026-01-15 14:03:00+00", "u1", ADMIN, "login", None, "{}", "local:operador"),
    ("2026-01-15 14:05:00+00", "u1", ADMIN, "user_role", "cuser0000000000000000002",
     '{"changed": ["role"], "role": ["INSTRUCTOR", "COORDINADOR"]}', "local:operador"),
    ("2026-01-16 09:30:00+00", "u2", JUAN, "transition", "csol00000000000000000001",
     '{"codigo": "SOL-2026-002", "accion": "approve", "desde": "PENDIENTE", '
     '"hasta": "APROBADA"}', "ssh:10.1.2.4"),
    ("2026-01-20 12:00:00+00", None, None, "migrate_apply", None,
     '{"migrations": ["0003_access_audit"]}', "cli:root"),
]


def fixed_entries(url: str) -> None:
    """Entries with pinned times, for the SVGs (the screen filters to January 2026)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for row in FIXED:
            conn.execute("INSERT INTO complementarias.audit (at, actor_id, actor_email, action, "
                         "target, detail, source) VALUES (%s, %s, %s, %s, %s, %s::jsonb, %s)",
                         row)


async def open_audit(pilot: Any) -> None:
    from textual.widgets import Input

    await settle(pilot)
    pilot.app.action_open_audit()
    await wait_until(pilot, lambda: "Mostrando" in str(
        pilot.app.screen.query_one("#audit-status").render()))
    screen = pilot.app.screen
    screen.query_one("#audit-desde", Input).value = "2026-01-01"
    screen.query_one("#audit-hasta", Input).value = "2026-01-31"
    screen._dates_done()
    await wait_until(pilot, lambda: "de 5 entradas" in str(
        screen.query_one("#audit-status").render()))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_audit_screen(snap_compare: Any, make_app: Any, demo_url: str,
                      size: tuple[int, int]) -> None:
    from .test_snapshots import session_for

    fixed_entries(demo_url)
    app = make_app(session_for(demo_url, "admin"))
    assert snap_compare(app, terminal_size=size, run_before=open_audit)


async def test_audit_screen_only_for_admins(make_app: Any, login_as: Any) -> None:
    from tui.shell.commands import app_commands

    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Auditoría" not in [c[0] for c in app_commands(app)]
        app.action_open_audit()
        await settle(pilot)
        assert type(app.screen).__name__ != "AuditScreen"
