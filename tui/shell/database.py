"""Opening the chosen database for an entry point (CLI, TUI, SSH server).

With no URL configured this starts (or adopts) the embedded server, and on its first start
creates the cluster, migrates and loads the demo data. On an external database it only
connects: migrations are applied with `complementarias migrate` or the admin menu.
"""

from __future__ import annotations

import atexit
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING

from tui.db.urls import DatabaseChoice, choose, mask

if TYPE_CHECKING:  # imported when a database is opened: not before the first frame
    from tui.db.embedded import EmbeddedServer

NO_DIRECT_URL = ("DATABASE_URL pasa por PgBouncer (pgbouncer=true), que no conserva la sesión "
                 "que necesitan las migraciones y la carga de datos: defina DIRECT_URL con la "
                 "conexión directa a PostgreSQL.")


@dataclass
class OpenDatabase:
    url: str
    choice: DatabaseChoice
    server: EmbeddedServer | None = None
    created: bool = False
    applied: list[str] = field(default_factory=list)
    seeded: int = 0

    @property
    def pooled(self) -> bool:
        """`url` goes through a transaction pooler (see urls.choose)."""
        return self.choice.pooled

    @property
    def direct_url(self) -> str | None:
        """The URL for what needs a session of its own (LISTEN, migrations, seeding, the
        migration lock): DIRECT_URL when given, else `url` when no pooler sits in front; None
        behind a pooler without DIRECT_URL (LISTEN then falls back to a periodic check)."""
        if self.choice.direct_url:
            return self.choice.direct_url
        return None if self.choice.pooled else self.url

    def require_direct(self) -> str:
        """`direct_url`, or a MigrationError saying that DIRECT_URL is missing."""
        if self.direct_url is None:
            from tui.db.migrations import MigrationError

            raise MigrationError(NO_DIRECT_URL)
        return self.direct_url

    @property
    def shown_url(self) -> str:
        return mask(self.url)

    def close(self) -> None:
        if self.server is not None:
            self.server.release()
            self.server = None


@dataclass
class PendingDatabase:
    """A database the app opens itself, in a thread, once its first screen is drawn: which
    one was chosen is known at once (the login screen shows it); `open` does the rest."""

    choice: DatabaseChoice
    open: Callable[[], OpenDatabase]


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def install_signal_handlers() -> None:
    """SIGTERM and SIGHUP end the process like Ctrl+C does, so cleanup (atexit) runs."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit_on_signal)


def open_database(cli_url: str | None, *, prepare_embedded: bool = True) -> OpenDatabase:
    """Resolve and open the database; the embedded server is released at exit."""
    choice = choose(cli_url)
    if not choice.embedded:
        assert choice.url is not None
        return OpenDatabase(url=choice.url, choice=choice)
    from tui.db.embedded import EmbeddedServer

    server = EmbeddedServer()
    created = server.acquire()
    db = OpenDatabase(url=server.url(), choice=choice, server=server, created=created)
    atexit.register(db.close)
    if prepare_embedded:
        from tui.db import warm

        if created or not warm.up_to_date(db.url):
            from tui.db import migrations

            db.applied = migrations.apply(db.url)
        if created:
            from tui.db import migrations
            from tui.services.seed import load_demo

            with migrations.connect(db.url) as conn:
                db.seeded = load_demo(conn).total
    return db


def fail(message: str, code: int = 1) -> None:
    from tui.uikit.formatting import inert  # messages may quote user text: no control bytes out

    print(f"Error: {inert(message, multiline=True)}", file=sys.stderr)
    raise SystemExit(code)
