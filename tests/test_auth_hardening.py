"""Authentication and sessions under attack: back-off and lockout, no user enumeration (same
answer, same bcrypt work), temporary passwords never stored or logged in plain text, access
lost at the next action, database passwords masked wherever a URL is shown."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import bcrypt
import psycopg
import pytest
from psycopg import sql as psql

from tui.cli import main as cli
from tui.db import migrations
from tui.db.urls import mask
from tui.services import auth, users
from tui.services.common import PermissionDenied, SessionEnded

from .conftest import settle, wait_until
from .test_svc_lifecycle import actor, sql

ADMIN = "admin@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
CARLOS = "carlos.rodriguez@sena.edu.co"


@pytest.fixture
def pauses(login_pauses: list[float]) -> list[float]:
    """The back-off waits login asked for (recorded, not slept: conftest's `login_pauses`)."""
    return login_pauses


@pytest.fixture
def checks(monkeypatch: Any) -> list[str]:
    """The hashes bcrypt verified, in order."""
    seen: list[str] = []
    real = auth._check

    def spy(password: str, hashed: str) -> bool:
        seen.append(hashed)
        return real(password, hashed)

    monkeypatch.setattr(auth, "_check", spy)
    return seen


# ---- back-off and lockout --------------------------------------------------------------------
def test_backoff_grows_and_is_capped() -> None:
    assert [auth.backoff_seconds(n) for n in range(8)] == [0, 0, 0.5, 1, 2, 4, 4, 4]


async def test_failures_back_off_then_lock(pool: Any, pauses: list[float]) -> None:
    for _ in range(auth.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(auth.AuthError, match="incorrectos"):
            await auth.login(pool, CARLOS, "mal")
    with pytest.raises(auth.AuthError, match="bloqueado"):
        await auth.login(pool, CARLOS, "Instructor.2026")  # even the right password
    assert pauses == [0, 0, 0.5, 1, 2, 4]


async def test_unknown_email_gets_the_same_backoff_and_lock(pool: Any,
                                                            pauses: list[float]) -> None:
    for _ in range(auth.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(auth.AuthError, match="incorrectos"):
            await auth.login(pool, "no.existe@sena.edu.co", "mal")
    with pytest.raises(auth.AuthError, match="bloqueado"):
        await auth.login(pool, "no.existe@sena.edu.co", "mal")
    assert pauses == [0, 0, 0.5, 1, 2, 4]


# ---- no enumeration --------------------------------------------------------------------------
def test_the_dummy_hash_is_a_real_cost_12_hash() -> None:
    """A malformed dummy would fail fast (ValueError) and give unknown emails away by time."""
    dummy = auth.dummy_hash(12).encode()
    assert dummy.startswith(b"$2b$12$")
    assert bcrypt.checkpw(b"x", dummy) is False
    ten = auth.dummy_hash(10).encode()
    assert ten.startswith(b"$2b$10$") and bcrypt.checkpw(b"x", ten) is False


async def test_unknown_and_known_emails_cost_one_verification_of_the_same_cost(
        pool: Any, checks: list[str]) -> None:
    stored = (await sql(pool, 'SELECT "password" FROM public.users WHERE email = %s',
                        CARLOS))[0]["password"]
    answers = []
    for email in (CARLOS, "nadie@sena.edu.co", "NADIE@misena.edu.co ", ""):
        with pytest.raises(auth.AuthError) as info:
            await auth.login(pool, email, "Mala.Clave.123")
        answers.append(info.value.message)
    assert len(set(answers)) == 1 and answers[0] == auth.BAD_LOGIN
    assert len(checks) == 4
    assert {h[:7] for h in checks} == {stored[:7]}


async def test_dummy_follows_the_cost_of_the_stored_hashes(pool: Any, checks: list[str],
                                                           monkeypatch: Any) -> None:
    """On a database of web-app users (bcryptjs, cost 10), unknown emails cost a cost-10
    verification too."""
    ten = bcrypt.hashpw(b"Instructor.2026", bcrypt.gensalt(10)).decode()
    await sql(pool, 'UPDATE public.users SET "password" = %s', ten)
    monkeypatch.setattr(auth, "_common_cost", (0.0, 12))
    with pytest.raises(auth.AuthError):
        await auth.login(pool, "nadie@sena.edu.co", "x")
    with pytest.raises(auth.AuthError):
        await auth.login(pool, CARLOS, "x")
    assert [h[:7] for h in checks] == ["$2b$10$", "$2b$10$"]


# ---- temporary passwords ---------------------------------------------------------------------
async def every_row_containing(pool: Any, secret: str) -> list[str]:
    """Every table of both schemas whose rows' text contains `secret`."""
    tables = await sql(pool, "SELECT table_schema, table_name FROM information_schema.tables "
                             "WHERE table_schema IN ('public', 'complementarias') "
                             "AND table_type = 'BASE TABLE'")
    found = []
    for t in tables:
        ident = psql.Identifier(t["table_schema"], t["table_name"])
        async with pool.connection() as conn:
            cur = await conn.execute(psql.SQL("SELECT count(*) AS n FROM {} x "
                                              "WHERE x::text LIKE %s").format(ident),
                                     (f"%{secret}%",))
            if (await cur.fetchone())["n"]:
                found.append(f"{t['table_schema']}.{t['table_name']}")
    return found


async def test_temporary_passwords_are_never_stored_or_logged(pool: Any, pg_server: Any,
                                                              caplog: Any,
                                                              real_bcrypt_cost: int) -> None:
    caplog.set_level(logging.DEBUG)
    admin = await actor(pool, ADMIN)
    user, first = await users.create_user(pool, admin, email="temp@sena.edu.co",
                                          name="Temporal Uno", cedula="99990001",
                                          role="INSTRUCTOR", centro_id=admin.centro_id)
    second = await users.reset_password(pool, admin, user.id)
    for secret in (first, second):
        assert await every_row_containing(pool, secret) == []
        assert secret not in caplog.text
        assert secret not in pg_server.log_file.read_text(errors="replace")
    stored = (await sql(pool, 'SELECT "password" FROM public.users WHERE id = %s',
                        user.id))[0]["password"]
    assert stored.startswith(f"$2b${real_bcrypt_cost}$")
    assert bcrypt.checkpw(second.encode(), stored.encode())
    session = await auth.login(pool, "temp@sena.edu.co", second)
    assert session.must_change_password


# ---- access lost at the next action ----------------------------------------------------------
async def test_deactivated_user_is_sent_to_login_at_next_action(make_app: Any, login_as: Any,
                                                                pool: Any) -> None:
    from tui.screens.common.login import LoginScreen

    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sql(pool, 'UPDATE public.users SET "isActive" = false WHERE email = %s', CARLOS)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert isinstance(app.screen, LoginScreen) and app.session is None


async def test_demoted_admin_loses_admin_services_at_once(pool: Any) -> None:
    from tui.services import audit

    admin = await actor(pool, ADMIN)
    assert (await audit.search(pool, admin)).total >= 0
    await sql(pool, "UPDATE public.users SET role = 'INSTRUCTOR' WHERE email = %s", ADMIN)
    with pytest.raises(PermissionDenied):
        await audit.search(pool, admin)  # the stale Actor still says ADMIN
    with pytest.raises(PermissionDenied):
        await users.list_users(pool, admin)
    with pytest.raises(SessionEnded):  # an account that no longer exists
        await users.list_users(pool, dataclasses.replace(admin, id="cgone0000000000000000000"))


# ---- database URLs ---------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "postgresql://app:S3cr3t-pw@db.example.com:5432/sena",
    "postgres://app:S3cr3t-pw@db.example.com/sena?schema=public",
    "postgresql://app:S3cr3t-pw@ep-x-pooler.neon.tech/sena?sslmode=require",
    "postgresql://db.example.com/sena?user=app&password=S3cr3t-pw",
    "postgresql://db.example.com/sena?sslmode=require&PASSWORD=S3cr3t-pw&x=1",
    "postgresql://app:S3cr3t%2Dpw@db.example.com/sena",
])
def test_mask_hides_the_password(url: str) -> None:
    shown = mask(url)
    assert "S3cr3t" not in shown and "***" in shown
    assert "db.example.com" in shown or "neon.tech" in shown


def test_connection_errors_show_the_masked_url() -> None:
    url = "postgresql://app:S3cr3t-pw@127.0.0.1:1/sena"
    with pytest.raises(migrations.MigrationError) as info:
        migrations.connect(url)
    assert "S3cr3t" not in str(info.value) and "***" in str(info.value)


def test_cli_errors_never_print_the_password(capsys: Any) -> None:
    url = "postgresql://app:S3cr3t-pw@127.0.0.1:1/sena"
    for argv in (["--database-url", url, "migrate", "--list"],
                 ["--database-url", url, "user", "list"],
                 ["--database-url", "mysql://app:S3cr3t-pw@h/db", "migrate"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        captured = capsys.readouterr()
        assert "S3cr3t" not in captured.out + captured.err
        assert captured.err.startswith("Error:")


def test_psycopg_errors_do_not_carry_the_password() -> None:
    with pytest.raises(psycopg.OperationalError) as info:
        psycopg.connect("postgresql://app:S3cr3t-pw@127.0.0.1:1/sena", connect_timeout=2)
    assert "S3cr3t" not in str(info.value)
