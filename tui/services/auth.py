"""Login, lockout and passwords, compatible both ways with the web app's bcryptjs hashes.

- bcrypt 5 verifies `$2a$`/`$2b$`/`$2y$` hashes of any cost; ours are cost 12.
- Passwords longer than 72 bytes are cut to 72, as bcryptjs does; malformed hashes are a
  wrong password, never a crash.
- Unknown email and wrong password get the same message and the same work: a dummy hash of
  the cost most stored hashes have (12 for ours, 10 for bcryptjs's default) is verified, so
  neither the answer nor its time tells which emails exist. Lockout counts per email text and
  per source, so it also says nothing about existence.
- Back-off: from the second failure since the last success, each answer waits 0.5 s, 1 s,
  2 s, 4 s (at most), before the lockout of 5 failures in 15 minutes.
- Hashing runs in a thread, never on the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

import asyncio
import secrets
from dataclasses import dataclass
from typing import Any

import bcrypt

from tui.db.queries import AQ
from tui.services import audit
from tui.services.boundary import checked
from tui.services.common import Actor, ServiceError, refresh_actor, utcnow
from tui.services.text import storable
from tui.services.validation import FieldError, ValidationFailed, password_policy

COST = 12
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_SOURCE = 100
"""The lockout is keyed by account first (5 failures of one email); the per-source limit only
stops a sweep over many accounts, so it is high enough for an office behind one NAT address
(40 people mistyping twice in 15 minutes are not locked)."""
LOCK_WINDOW_S = 15 * 60
_DUMMY_HASH = b"$2b$12$C6UzMDM.H6dfI/f/IKxGhuBXxMmMcCPnq5tjXU3E5.WFFF4Qk7l1e"
_dummies: dict[int, str] = {12: _DUMMY_HASH.decode()}
_common_cost: tuple[float, int] = (0.0, 12)  # (when read, cost)
COST_TTL_S = 600
_pause = asyncio.sleep  # the back-off's wait (tests record it instead)
BAD_LOGIN = "Correo o contraseña incorrectos."


class AuthError(ServiceError):
    title = "No se pudo iniciar sesión"


@dataclass(frozen=True)
class Session:
    actor: Actor
    must_change_password: bool


def _pw_bytes(password: str) -> bytes:
    return password.encode("utf-8", "surrogatepass")[:72]



def _check(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(_pw_bytes(password), hashed.encode("utf-8"))
    except ValueError:
        return False


def dummy_hash(cost: int = COST) -> str:
    """A valid hash of a random secret, of the given cost (made once per cost)."""
    if cost not in _dummies:
        _dummies[cost] = bcrypt.hashpw(secrets.token_bytes(16),
                                       bcrypt.gensalt(cost)).decode("ascii")
    return _dummies[cost]


async def verify_password(password: str, hashed: str | None, dummy_cost: int = COST) -> bool:
    """True if the password matches; always costs one bcrypt verification (without a hash,
    one of a dummy hash of `dummy_cost`)."""
    if not hashed:
        dummy = await asyncio.to_thread(dummy_hash, dummy_cost)
        await asyncio.to_thread(_check, password, dummy)
        return False
    return await asyncio.to_thread(_check, password, hashed)


async def common_cost(conn: Any) -> int:
    """The bcrypt cost most stored hashes have (read at most every COST_TTL_S)."""
    global _common_cost
    loop = asyncio.get_running_loop()
    if loop.time() - _common_cost[0] > COST_TTL_S or not _common_cost[0]:
        text = await AQ.common_hash_cost(conn)
        cost = int(text) if text and text.isdigit() and 4 <= int(text) <= 16 else COST
        _common_cost = (loop.time(), cost)
    return _common_cost[1]


def backoff_seconds(failures: int) -> float:
    """The wait before answering an attempt, by failures since the last success."""
    return 0.0 if failures < 2 else min(0.5 * 2 ** (failures - 2), 4.0)


async def hash_password(password: str, cost: int | None = None) -> str:
    """A bcrypt hash of `password` at `cost` (default: COST, read at call time)."""
    rounds = COST if cost is None else cost

    def work() -> str:
        return bcrypt.hashpw(_pw_bytes(password), bcrypt.gensalt(rounds)).decode("ascii")

    return await asyncio.to_thread(work)


def temporary_password(length: int = 14) -> str:
    """A random temporary password with upper, lower and digits, no look-alike characters."""
    upper = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    lower = "abcdefghijkmnpqrstuvwxyz"
    digits = "23456789"
    alphabet = upper + lower + digits
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c in upper for c in pw) and any(c in lower for c in pw) \
                and any(c in digits for c in pw):
            return pw


async def _lockout(conn: Any, email: str, source: str) -> tuple[str | None, int]:
    """(the lockout message or None, failures of this email since its last success)."""
    row = await AQ.recent_failures(conn, email=email, source=source, window_s=LOCK_WINDOW_S)
    failures = int(row["by_email"])
    if failures >= MAX_FAILURES_PER_EMAIL or row["by_source"] >= MAX_FAILURES_PER_SOURCE:
        minutes = LOCK_WINDOW_S // 60
        return (f"Demasiados intentos fallidos. El acceso está bloqueado temporalmente; "
                f"intente de nuevo en {minutes} minutos."), failures
    return None, failures


async def login(pool: Pool, email: str, password: str, source: str = "local") -> Session:
    """Check the credentials; raise AuthError with the message to show.

    Every attempt is audited: a success with the account, a failure with the email typed (the
    password never) and why (bad credentials, locked, inactive account).
    """
    # Not @checked: a malformed e-mail or password is a failed attempt like any other (same
    # message, same work, recorded). NUL cannot reach PostgreSQL and lone surrogates cannot be
    # encoded: such an email matches no account and is recorded without them; the password
    # only meets bcrypt, which takes any byte.
    email = str(storable(email or "")).strip().lower()[:320]
    password = password or ""
    async with pool.connection() as conn:
        locked, failures = await _lockout(conn, email, source)
        cost = await common_cost(conn)
        await _pause(backoff_seconds(failures))
        if locked:
            await verify_password(password, None, cost)  # same cost as a real attempt
            async with conn.transaction():
                await AQ.record_login_attempt(conn, email=email, source=source, success=False)
                await audit.record(conn, "login_failed", actor_email=email, src=source,
                                   detail={"reason": "locked"})
            raise AuthError(locked)
        row = await AQ.user_for_login(conn, email=email)
    ok = await verify_password(password, row["password"] if row else None, cost)
    success = bool(ok and row and row["isActive"])
    async with pool.connection() as conn:
        async with conn.transaction():
            await AQ.record_login_attempt(conn, email=email, source=source, success=success)
            if success:
                assert row is not None
                await audit.record(conn, "login", actor_id=row["id"], actor_email=email,
                                   src=source)
            else:
                reason = "inactive" if ok and row else "bad_credentials"
                await audit.record(conn, "login_failed", actor_email=email, src=source,
                                   detail={"reason": reason})
        if not ok or row is None:
            raise AuthError(BAD_LOGIN)
        if not row["isActive"]:
            raise AuthError("Su cuenta está desactivada. Contacte a su coordinador o a un "
                            "administrador.")
        actor = await refresh_actor(conn, row["id"], pending_ok=True)
    return Session(actor=actor, must_change_password=bool(row["must_change_password"]))


@checked
async def session_for(pool: Pool, user_id: str) -> Session:
    """A session for an already authenticated user (SSH key login)."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, user_id, pending_ok=True)
        row = await AQ.user_for_login(conn, email=actor.email)
    return Session(actor=actor, must_change_password=bool(row and row["must_change_password"]))


@checked
async def change_password(pool: Pool, actor: Actor, current: str, new: str,
                          confirm: str | None = None) -> None:
    """Change one's own password: the current one must match; the policy applies."""
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor, pending_ok=True)
        hashed = await AQ.password_hash_by_id(conn, id=actor.id)
    if not await verify_password(current, hashed):
        raise ValidationFailed((FieldError("currentPassword",
                                           "Contraseña actual: no es correcta."),))
    errors = password_policy(new, actor.email, actor.cedula)
    if confirm is not None and confirm != new:
        errors.append(FieldError("confirmPassword", "Confirmación: no coincide con la nueva "
                                                    "contraseña."))
    if new == current:
        errors.append(FieldError("password", "Nueva contraseña: debe ser distinta de la actual."))
    if errors:
        raise ValidationFailed(tuple(errors))
    await set_password(pool, actor.id, new, must_change=False, by=actor)


@checked
async def set_password(pool: Pool, user_id: str, password: str, *, must_change: bool,
                       by: Actor | None = None) -> None:
    """Store a new hash (cost 12) and whether it must be changed at next login; audited
    (without the password) when `by` acts."""
    hashed = await hash_password(password)
    async with pool.connection() as conn, conn.transaction():
        await refresh_actor(conn, user_id, pending_ok=True)  # an active account, or refused
        await AQ.set_password(conn, id=user_id, password=hashed, now=utcnow())
        await AQ.set_must_change_password(conn, id=user_id, must_change=must_change)
        if by is not None:
            await audit.record(conn, "password_change", actor=by, target=user_id)

