"""The TUI process of one SSH session (`python -m tui.ssh.child`), started by `serve-ssh`.

It runs on the session's PTY, in its own session with the PTY as controlling terminal. The
server passes the database URL and a one-time ticket in the environment; the ticket is
redeemed here (once, before it expires) for the authenticated user, so nothing the SSH
client can send picks the account. The low-bandwidth knobs are already in the environment.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import TYPE_CHECKING

from tui.ssh.pty_process import become_controlling_tty

if TYPE_CHECKING:
    from tui.services.auth import Session

TICKET_ENV = "COMPLEMENTARIAS_SSH_TICKET"
URL_ENV = "COMPLEMENTARIAS_SSH_DATABASE_URL"


async def _redeem(url: str, ticket: str) -> tuple[Session, str]:
    from tui.db.pool import make_pool
    from tui.db.urls import choose
    from tui.services import tickets

    choice = choose(url)  # the server's URL, `pgbouncer=true` when it is pooled
    pool = make_pool(choice.url or url, min_size=1, max_size=1, pooled=choice.pooled)
    await pool.open(wait=True)
    try:
        return await tickets.redeem(pool, ticket)
    finally:
        await pool.close()


def main() -> int:
    become_controlling_tty()
    ticket = os.environ.pop(TICKET_ENV, "")
    url = os.environ.pop(URL_ENV, "")
    from tui.services.common import ServiceError
    from tui.shell.database import install_signal_handlers, open_database

    install_signal_handlers()
    try:
        session, source = asyncio.run(_redeem(url, ticket))
    except ServiceError as exc:
        print(f"\r\n{exc.message}\r", file=sys.stderr)
        return 1
    db = open_database(url)
    from tui.shell.app import log_to_file
    from tui.ssh.ssh_app import SshApp

    log_to_file()
    SshApp(db, session=session, login_source=source).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
