"""SSH public keys a user registers in the app, and the key check of `serve-ssh`.

A key is stored as OpenSSH writes it (algorithm, base64 blob, comment) with its SHA256
fingerprint, which is unique: one key opens exactly one account. Users manage only their own
keys; the SQL checks the owner again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.db.pool import Pool

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncssh

from tui.db.queries import AQ
from tui.services.boundary import checked
from tui.services.common import Actor, NotFound, refresh_actor, valid_id
from tui.services.validation import FieldError, ValidationFailed

MAX_KEY_TEXT = 16_384
FIELD = "publicKey"


@dataclass(frozen=True)
class SshKey:
    id: int
    algorithm: str
    fingerprint: str
    comment: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class ParsedKey:
    algorithm: str
    key_data: str
    fingerprint: str
    comment: str


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed((FieldError(FIELD, f"Clave pública: {message}"),))


def parse_public_key(text: str, comment: str | None = None) -> ParsedKey:
    """One OpenSSH public key line (`ssh-ed25519 AAAA… comment`); Spanish errors name the field."""
    text = (text or "").strip()
    if not text:
        raise _invalid("pegue la línea de su archivo .pub (p. ej. ~/.ssh/id_ed25519.pub).")
    if len(text) > MAX_KEY_TEXT or "\n" in text:
        raise _invalid("debe ser una sola línea de un archivo .pub.")
    if "PRIVATE KEY" in text:
        raise _invalid("eso es una clave privada; pegue la pública (archivo .pub).")
    try:
        key = asyncssh.import_public_key(text)
    except (asyncssh.KeyImportError, ValueError) as exc:
        raise _invalid("no es una clave pública OpenSSH válida.") from exc
    parts = key.export_public_key("openssh").decode("ascii").split()
    given = comment if comment is not None else (text.split(None, 2)[2]
                                                 if len(text.split(None, 2)) > 2 else "")
    return ParsedKey(algorithm=parts[0], key_data=parts[1],
                     fingerprint=key.get_fingerprint("sha256"), comment=given.strip()[:200])


def fingerprint_of(key: Any) -> str:
    """The stored fingerprint of an asyncssh public key (what the server is offered)."""
    return str(key.get_fingerprint("sha256"))


@checked
async def list_keys(pool: Pool, actor: Actor) -> list[SshKey]:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        rows = [r async for r in AQ.ssh_keys_of(conn, user_id=actor.id)]
    return [SshKey(id=r["id"], algorithm=r["algorithm"], fingerprint=r["fingerprint"],
                   comment=r["comment"], created_at=r["created_at"],
                   last_used_at=r["last_used_at"]) for r in rows]


@checked
async def add_key(pool: Pool, actor: Actor, text: str) -> ParsedKey:
    """Register one of the actor's keys; a key already registered (by anyone) is refused."""
    parsed = parse_public_key(text)
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.insert_ssh_key(conn, user_id=actor.id, algorithm=parsed.algorithm,
                                      key_data=parsed.key_data,
                                      fingerprint=parsed.fingerprint, comment=parsed.comment)
    if row is None:
        raise _invalid("esa clave ya está registrada.")
    return parsed


@checked
async def remove_key(pool: Pool, actor: Actor, key_id: int) -> None:
    async with pool.connection() as conn:
        actor = await refresh_actor(conn, actor)
        row = await AQ.delete_ssh_key(conn, id=key_id, user_id=actor.id)
    if row is None:
        raise NotFound("Esa clave no existe o no es suya.")


async def user_for_key(pool: Pool, email: str, fingerprint: str) -> str | None:
    """The id of the active account `email` that registered this key. Read only: the
    server asks before the client has proved it holds the key (`record_key_use` records the
    use after the signature). Not @checked: a malformed name or fingerprint is simply no
    account."""
    email = (email or "").replace("\x00", "").strip()[:320]
    if not (valid_id(email) and valid_id(fingerprint)):
        return None
    async with pool.connection() as conn:
        row = await AQ.user_for_ssh_key(conn, email=email, fingerprint=fingerprint)
    return str(row["id"]) if row else None


async def record_key_use(pool: Pool, user_id: str, fingerprint: str) -> None:
    """The key's last use: called once its signature was verified (authentication done)."""
    if not (valid_id(user_id) and valid_id(fingerprint)):
        return
    async with pool.connection() as conn:
        await AQ.touch_ssh_key(conn, user_id=user_id, fingerprint=fingerprint)
