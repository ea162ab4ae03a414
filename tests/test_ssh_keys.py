"""SSH keys in the app (service and screen) and the one-time session tickets."""

from __future__ import annotations

from typing import Any

import asyncssh
import psycopg
import pytest
from textual.widgets import DataTable, Input, Static

from tui.services import ssh_keys, tickets
from tui.services.auth import AuthError
from tui.services.common import NotFound
from tui.services.validation import ValidationFailed

from .conftest import settle, wait_until


def public_line(comment: str = "portatil") -> str:
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    return key.export_public_key().decode().strip()


async def test_add_list_remove_own_keys(pool: Any, login_as: Any) -> None:
    carlos = (await login_as("carlos")).actor
    maria = (await login_as("maria")).actor
    parsed = await ssh_keys.add_key(pool, carlos, public_line("trabajo"))
    assert parsed.algorithm == "ssh-ed25519" and parsed.fingerprint.startswith("SHA256:")
    (key,) = await ssh_keys.list_keys(pool, carlos)
    assert (key.comment, key.fingerprint, key.last_used_at) == ("trabajo", parsed.fingerprint,
                                                                 None)
    assert await ssh_keys.list_keys(pool, maria) == []
    with pytest.raises(NotFound):
        await ssh_keys.remove_key(pool, maria, key.id)  # not hers
    assert await ssh_keys.user_for_key(pool, carlos.email.upper(), key.fingerprint) == carlos.id
    assert await ssh_keys.user_for_key(pool, maria.email, key.fingerprint) is None
    await ssh_keys.remove_key(pool, carlos, key.id)
    assert await ssh_keys.list_keys(pool, carlos) == []


@pytest.mark.parametrize("text, message", [
    ("", "pegue la línea"),
    ("ssh-ed25519 AAAAnotbase64", "no es una clave pública"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----", "clave privada"),
    ("ssh-ed25519 AAAA\nssh-rsa BBBB", "una sola línea"),
])
async def test_bad_keys_get_a_message_naming_the_field(pool: Any, login_as: Any, text: str,
                                                       message: str) -> None:
    carlos = (await login_as("carlos")).actor
    with pytest.raises(ValidationFailed) as err:
        await ssh_keys.add_key(pool, carlos, text)
    assert err.value.errors[0].message.startswith("Clave pública:")
    assert message in err.value.errors[0].message


async def test_a_key_opens_one_account_only(pool: Any, login_as: Any) -> None:
    line = public_line()
    carlos, maria = (await login_as("carlos")).actor, (await login_as("maria")).actor
    await ssh_keys.add_key(pool, carlos, line)
    with pytest.raises(ValidationFailed, match="ya está registrada"):
        await ssh_keys.add_key(pool, maria, line)
    with pytest.raises(ValidationFailed):
        await ssh_keys.add_key(pool, carlos, line)


async def test_inactive_users_key_opens_nothing(pool: Any, login_as: Any,
                                                demo_url: str) -> None:
    carlos = (await login_as("carlos")).actor
    parsed = await ssh_keys.add_key(pool, carlos, public_line())
    with psycopg.connect(demo_url, autocommit=True) as conn:
        conn.execute('UPDATE public.users SET "isActive" = false WHERE id = %s', (carlos.id,))
    assert await ssh_keys.user_for_key(pool, carlos.email, parsed.fingerprint) is None


async def test_ticket_redeems_once(pool: Any, login_as: Any) -> None:
    carlos = (await login_as("carlos")).actor
    ticket = await tickets.issue(pool, carlos.id, "ssh:10.0.0.9")
    session, source = await tickets.redeem(pool, ticket)
    assert (session.actor.id, source) == (carlos.id, "ssh:10.0.0.9")
    with pytest.raises(AuthError):
        await tickets.redeem(pool, ticket)  # used up
    with pytest.raises(AuthError):
        await tickets.redeem(pool, "forged-ticket")


async def test_expired_ticket_is_refused(pool: Any, login_as: Any) -> None:
    carlos = (await login_as("carlos")).actor
    ticket = await tickets.issue(pool, carlos.id, "ssh:10.0.0.9", ttl_s=-1)
    with pytest.raises(AuthError, match="expiró"):
        await tickets.redeem(pool, ticket)


async def test_ssh_keys_screen_by_keyboard(make_app: Any, login_as: Any, pool: Any) -> None:
    from tui.screens.common.ssh_keys import SshKeysScreen

    session = await login_as("juan")
    app = make_app(session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for ch in "claves ssh":
            await pilot.press(ch if ch != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SshKeysScreen))
        screen = app.screen
        assert isinstance(screen, SshKeysScreen)
        box = screen.query_one("#sshkeys-input", Input)
        box.value = "no es una clave"
        await pilot.press("enter")
        await settle(pilot)
        status = str(screen.query_one("#sshkeys-status", Static).render())
        assert status.startswith("Clave pública:")
        assert box.value == "no es una clave", "what was typed stays"
        box.value = public_line("casa")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.query_one(DataTable).row_count == 1)
        assert box.value == ""
        assert len(await ssh_keys.list_keys(pool, session.actor)) == 1
        screen.query_one(DataTable).focus()
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")  # confirm
        await wait_until(pilot, lambda: screen.query_one(DataTable).row_count == 0)
        assert await ssh_keys.list_keys(pool, session.actor) == []


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_ssh_keys_snapshot(snap_compare: Any, make_app: Any, demo_url: str,
                           size: tuple[int, int]) -> None:
    from .test_snapshots import session_for

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.action_open_ssh_keys()
        await wait_until(pilot, lambda: "Sin claves" in str(
            pilot.app.screen.query_one("#sshkeys-status", Static).render()))

    app = make_app(session_for(demo_url, "carlos"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
