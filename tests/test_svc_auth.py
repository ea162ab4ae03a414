"""tui.services.auth on a real database: login, lockout, bcrypt compatibility with the web app,
password changes, and a user deactivated (or demoted) while logged in.

To keep the suite fast, tests that make many attempts first store cost-4 hashes of the demo
passwords (any cost verifies: the web app's are cost 10, ours cost 12).
"""

from __future__ import annotations

import string
from typing import Any

import bcrypt
import pytest

from tui.services import auth, notifications, solicitudes
from tui.services.auth import BAD_LOGIN, AuthError
from tui.services.common import PermissionDenied, SessionEnded, refresh_actor
from tui.services.validation import ValidationFailed, password_policy

INSTRUCTOR_PW = "Instructor.2026"
COORD_PW = "Coordinador.2026"
ADMIN_PW = "Admin.Sena2026"
CARLOS = "carlos.rodriguez@sena.edu.co"
MARIA = "maria.gonzalez@sena.edu.co"
ANA = "ana.torres@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
ADMIN = "admin@sena.edu.co"
LOCKED = "Demasiados intentos"


# ---- helpers ---------------------------------------------------------------------------------
async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def stored_hash(pool: Any, email: str) -> str:
    rows = await sql(pool, 'SELECT "password" FROM public.users WHERE "email" = %s', email)
    return rows[0]["password"]


async def store_hash(pool: Any, email: str, hashed: str | bytes) -> None:
    if isinstance(hashed, bytes):
        hashed = hashed.decode()
    await sql(pool, 'UPDATE public.users SET "password" = %s WHERE "email" = %s', hashed, email)


async def fast_hash(pool: Any, email: str, password: str) -> None:
    """Store a cost-4 hash of `password` for `email` (fast to verify)."""
    await store_hash(pool, email, bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)))


async def set_active(pool: Any, email: str, active: bool) -> None:
    await sql(pool, 'UPDATE public.users SET "isActive" = %s WHERE "email" = %s', active, email)


async def failing_login(pool: Any, email: str, password: str, source: str = "local") -> str:
    with pytest.raises(AuthError) as info:
        await auth.login(pool, email, password, source=source)
    return info.value.message


# ---- login -----------------------------------------------------------------------------------
async def test_login_is_case_insensitive_and_trims_the_email(pool: Any) -> None:
    session = await auth.login(pool, "  Carlos.Rodriguez@SENA.edu.co ", INSTRUCTOR_PW)
    assert session.actor.email == CARLOS
    assert session.actor.role == "INSTRUCTOR"
    assert session.actor.name == "Carlos Rodríguez Pérez"
    assert session.actor.centro_nombre == "Centro de Gestión Agroempresarial del Oriente"
    assert session.must_change_password is False


async def test_login_finds_an_email_the_web_app_stored_in_mixed_case(pool: Any) -> None:
    await sql(pool, 'UPDATE public.users SET "email" = %s WHERE "email" = %s',
              "Maria.Gonzalez@Sena.Edu.Co", MARIA)
    session = await auth.login(pool, MARIA, INSTRUCTOR_PW)
    assert session.actor.name == "María González López"


async def test_each_demo_role_logs_in(pool: Any) -> None:
    for email, password, role in ((JUAN, COORD_PW, "COORDINADOR"), (ADMIN, ADMIN_PW, "ADMIN")):
        session = await auth.login(pool, email, password)
        assert session.actor.role == role


async def test_wrong_password_and_unknown_email_get_the_identical_message(pool: Any) -> None:
    wrong = await failing_login(pool, CARLOS, "Instructor.2027")
    unknown = await failing_login(pool, "nadie.existe@sena.edu.co", INSTRUCTOR_PW)
    empty = await failing_login(pool, "", "")
    assert wrong == unknown == empty == BAD_LOGIN


async def test_inactive_user_is_refused_even_with_the_right_password(pool: Any) -> None:
    await set_active(pool, CARLOS, False)
    message = await failing_login(pool, CARLOS, INSTRUCTOR_PW)
    assert message != BAD_LOGIN and "desactivada" in message
    # A wrong password on an inactive account says nothing about the account.
    assert await failing_login(pool, CARLOS, "otra-cosa-123") == BAD_LOGIN
    await set_active(pool, CARLOS, True)
    assert (await auth.login(pool, CARLOS, INSTRUCTOR_PW)).actor.email == CARLOS


# ---- lockout ---------------------------------------------------------------------------------
@pytest.mark.parametrize("email", [CARLOS, "no.existe@sena.edu.co"], ids=["existing", "unknown"])
async def test_lockout_after_five_failures_on_one_email(pool: Any, email: str) -> None:
    await fast_hash(pool, CARLOS, INSTRUCTOR_PW)
    for _ in range(5):
        assert await failing_login(pool, email.upper(), "mala-clave-1") == BAD_LOGIN
    # The 6th attempt is refused by the lock, even with the right password.
    message = await failing_login(pool, email, INSTRUCTOR_PW)
    assert LOCKED in message
    # The lock is per account: another account from the same source still logs in.
    assert (await auth.login(pool, MARIA, INSTRUCTOR_PW)).actor.email == MARIA


async def test_a_success_resets_the_failure_count(pool: Any) -> None:
    await fast_hash(pool, CARLOS, INSTRUCTOR_PW)
    for _round in range(3):
        for _ in range(4):
            assert await failing_login(pool, CARLOS, "mala-clave-1") == BAD_LOGIN
        session = await auth.login(pool, CARLOS, INSTRUCTOR_PW)
        assert session.actor.email == CARLOS


async def test_lockout_per_source_across_emails(pool: Any) -> None:
    emails = [CARLOS, MARIA, ANA, JUAN, "patricia.gomez@sena.edu.co",
              "andres.ramirez@sena.edu.co", "luis.herrera@sena.edu.co"]
    for email in emails:
        await fast_hash(pool, email, "la-buena-12345")
    await fast_hash(pool, ADMIN, ADMIN_PW)
    source = "ssh:203.0.113.7"
    # An office behind one address: each account fails 4 times (never locked by its own
    # count), unknown ones too, until the source reaches its limit.
    limit = auth.MAX_FAILURES_PER_SOURCE
    unknown = [f"x{i}@sena.edu.co" for i in range(limit)]
    targets = [e for e in emails + unknown for _ in range(4)][:limit]
    assert len(targets) == limit
    for email in targets:  # never more than 4 per email: only the source count can lock
        assert await failing_login(pool, email, "mala-clave-1", source=source) == BAD_LOGIN
    # The source is now locked, for an account that never failed, with its right password.
    assert LOCKED in await failing_login(pool, ADMIN, ADMIN_PW, source=source)
    # Another source is not affected.
    assert (await auth.login(pool, ADMIN, ADMIN_PW, source="ssh:198.51.100.1")).actor.is_admin


# ---- bcrypt compatibility ---------------------------------------------------------------------
@pytest.mark.parametrize("prefix", [b"$2a$", b"$2y$", b"$2b$"])
async def test_web_app_cost_10_hashes_verify(pool: Any, prefix: bytes) -> None:
    hashed = bcrypt.hashpw(b"Desde.LaWeb2026", bcrypt.gensalt(10, prefix=b"2a"))
    hashed = prefix + hashed[4:]
    assert hashed.startswith(prefix + b"10$")
    await store_hash(pool, ANA, hashed)
    assert (await auth.login(pool, ANA, "Desde.LaWeb2026")).actor.email == ANA
    assert await failing_login(pool, ANA, "Desde.LaWeb2027") == BAD_LOGIN


@pytest.mark.parametrize("bad", [
    "", "not-a-bcrypt-hash", "$2b$12$short", "$2b$99$C6UzMDM.H6dfI/f/IKxGhuBXxMmMcCPnq5tjXU3E5.WF",
    "$2b$12$" + "!" * 53, "\u00e9\u00e9\u00e9", "$argon2id$v=19$m=65536,t=3,p=4$abc$def",
])
async def test_malformed_hash_is_a_wrong_password_not_a_crash(pool: Any, bad: str) -> None:
    await store_hash(pool, ANA, bad)
    assert await failing_login(pool, ANA, INSTRUCTOR_PW) == BAD_LOGIN
    assert await auth.verify_password(INSTRUCTOR_PW, bad) is False


async def test_password_longer_than_72_bytes_works_like_its_prefix(pool: Any) -> None:
    long_pw = "Una-frase-muy-larga-" * 5  # 100 bytes
    prefix = long_pw.encode()[:72]
    await store_hash(pool, ANA, bcrypt.hashpw(prefix, bcrypt.gensalt(4)))  # what bcryptjs stores
    assert (await auth.login(pool, ANA, long_pw)).actor.email == ANA
    assert (await auth.login(pool, ANA, prefix.decode())).actor.email == ANA
    assert (await auth.login(pool, ANA, prefix.decode() + "otra-cola")).actor.email == ANA
    assert await failing_login(pool, ANA, prefix.decode()[:71]) == BAD_LOGIN
    # A multi-byte character cut at byte 72, as bcryptjs cuts the UTF-8 bytes.
    tricky = "a" * 71 + "ñandú"
    await store_hash(pool, ANA, bcrypt.hashpw(tricky.encode()[:72], bcrypt.gensalt(4)))
    assert (await auth.login(pool, ANA, tricky)).actor.email == ANA
    # And our own hashing of a long password (set by an admin) verifies the same way.
    user = (await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', ANA))[0]["id"]
    await auth.set_password(pool, user, long_pw, must_change=False)
    assert bcrypt.checkpw(prefix, (await stored_hash(pool, ANA)).encode())
    assert (await auth.login(pool, ANA, prefix.decode())).actor.email == ANA


async def test_our_hashes_are_bcrypt_2b_cost_12(pool: Any, real_bcrypt_cost: int) -> None:
    before = await stored_hash(pool, ANA)
    user = (await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', ANA))[0]["id"]
    await auth.set_password(pool, user, "Nueva.Clave2026", must_change=False)
    stored = await stored_hash(pool, ANA)
    assert stored.startswith("$2b$12$") and len(stored) == 60 and stored != before
    assert bcrypt.checkpw(b"Nueva.Clave2026", stored.encode())


def test_temporary_password_shape_and_randomness() -> None:
    lookalikes = set("0Oo1lI")
    allowed = set(string.ascii_letters + string.digits) - lookalikes
    seen = set()
    for _ in range(300):
        pw = auth.temporary_password()
        assert len(pw) == 14
        assert set(pw) <= allowed
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw)
        assert any(c.isdigit() for c in pw)
        assert password_policy(pw, "x@sena.edu.co", "123456") == []
        seen.add(pw)
    assert len(seen) == 300
    assert len(auth.temporary_password(20)) == 20
    # Every allowed character shows up eventually (not a fixed or narrow pattern).
    assert set("".join(seen)) == allowed


# ---- change_password / set_password -----------------------------------------------------------
async def user_id(pool: Any, email: str) -> str:
    return (await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', email))[0]["id"]


async def test_change_password_wrong_current(pool: Any) -> None:
    await fast_hash(pool, CARLOS, INSTRUCTOR_PW)
    session = await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    before = await stored_hash(pool, CARLOS)
    with pytest.raises(ValidationFailed) as info:
        await auth.change_password(pool, session.actor, "no-es-la-actual", "Otra.Clave2026")
    assert [e.field for e in info.value.errors] == ["currentPassword"]
    assert await stored_hash(pool, CARLOS) == before


@pytest.mark.parametrize("new", [
    "Corta.1", CARLOS, CARLOS.upper(), "1098765432",
], ids=["short", "email", "email-upper", "cedula"])
async def test_change_password_policy(pool: Any, new: str) -> None:
    await fast_hash(pool, CARLOS, INSTRUCTOR_PW)
    session = await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    before = await stored_hash(pool, CARLOS)
    with pytest.raises(ValidationFailed) as info:
        await auth.change_password(pool, session.actor, INSTRUCTOR_PW, new)
    fields = [e.field for e in info.value.errors]
    assert "password" in fields
    assert all(e.message.startswith("Contraseña") for e in info.value.errors)
    assert await stored_hash(pool, CARLOS) == before


async def test_change_password_success_and_must_change_flag(pool: Any,
                                                            real_bcrypt_cost: int) -> None:
    uid = await user_id(pool, CARLOS)
    await auth.set_password(pool, uid, "Temporal.2026x", must_change=True)
    session = await auth.login(pool, CARLOS, "Temporal.2026x")
    assert session.must_change_password is True
    assert await failing_login(pool, CARLOS, INSTRUCTOR_PW) == BAD_LOGIN
    await auth.change_password(pool, session.actor, "Temporal.2026x", "Mi.Clave.Nueva7",
                               confirm="Mi.Clave.Nueva7")
    again = await auth.login(pool, CARLOS, "Mi.Clave.Nueva7")
    assert again.must_change_password is False
    assert await failing_login(pool, CARLOS, "Temporal.2026x") == BAD_LOGIN
    assert (await stored_hash(pool, CARLOS)).startswith("$2b$12$")


async def test_change_password_confirmation_must_match(pool: Any) -> None:
    await fast_hash(pool, CARLOS, INSTRUCTOR_PW)
    session = await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    with pytest.raises(ValidationFailed) as info:
        await auth.change_password(pool, session.actor, INSTRUCTOR_PW, "Mi.Clave.Nueva7",
                                   confirm="Mi.Clave.Nueva8")
    assert "confirmPassword" in [e.field for e in info.value.errors]


async def test_set_password_must_change_shows_at_next_login(pool: Any) -> None:
    uid = await user_id(pool, MARIA)
    await auth.set_password(pool, uid, "Reinicio.2026", must_change=True)
    session = await auth.login(pool, MARIA, "Reinicio.2026")
    assert session.must_change_password is True
    assert (await auth.session_for(pool, uid)).must_change_password is True
    await auth.set_password(pool, uid, "Reinicio.2027", must_change=False)
    assert (await auth.login(pool, MARIA, "Reinicio.2027")).must_change_password is False


# ---- deactivated or demoted while logged in ----------------------------------------------------
async def test_deactivated_user_loses_access_at_next_action(pool: Any) -> None:
    session = await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    page = await solicitudes.list_page(pool, session.actor)
    assert page.total == 3
    await set_active(pool, CARLOS, False)
    with pytest.raises(SessionEnded):
        await solicitudes.list_page(pool, session.actor)
    with pytest.raises(SessionEnded):
        await notifications.unread_count(pool, session.actor)
    with pytest.raises(SessionEnded):
        await solicitudes.get(pool, session.actor, page.rows[0]["id"])
    with pytest.raises(SessionEnded):
        await auth.session_for(pool, session.actor.id)
    async with pool.connection() as conn:
        with pytest.raises(SessionEnded):
            await refresh_actor(conn, "no-such-user-id")


async def test_demoted_coordinator_loses_the_review_queue_at_next_action(pool: Any) -> None:
    session = await auth.login(pool, JUAN, COORD_PW)
    assert (await solicitudes.review_queue(pool, session.actor)).total == 2
    await sql(pool, """UPDATE public.users SET "role" = 'INSTRUCTOR' WHERE "email" = %s""", JUAN)
    with pytest.raises(PermissionDenied):
        await solicitudes.review_queue(pool, session.actor)  # the stale actor says COORDINADOR
