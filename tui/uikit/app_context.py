"""What screens and widgets use from the running app, typed.

Screens and widgets sit below the shell (`tui.shell.app.ComplementariasApp`) and never import
it; they reach the app through `ShellApp`, which declares exactly what they use: the session
(actor, pool), the database being opened, and the app's navigation actions. The app
subclasses it, so mypy checks both sides: a screen using something the app does not offer,
or the app changing a signature a screen relies on, is a type error.

Screens and widgets say so with a class annotation (`app: ShellApp`, narrowing Textual's
`App[object]`; the property itself is Textual's) or, in plain functions, take a `ShellApp`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App
from textual.screen import Screen

if TYPE_CHECKING:  # the database layer is imported after the first frame (start-up time)
    from textual.worker import Worker

    from tui.db.pool import Pool
    from tui.db.urls import DatabaseChoice
    from tui.services.auth import Session
    from tui.services.common import Actor


class DirectDatabase(Protocol):
    """The open database, as far as screens need it (`tui.shell.database.OpenDatabase`)."""

    def require_direct(self) -> str:
        """The URL of a direct (unpooled) connection, or a MigrationError naming DIRECT_URL."""
        ...


def _missing(name: str) -> NotImplementedError:
    return NotImplementedError(f"ShellApp.{name}: defined by the application")


class ShellApp(App[Any]):
    """The running application as screens and widgets see it (see the module docstring).

    Every member here is defined by `ComplementariasApp`; the bodies only raise."""

    # ---- the database and the session ---------------------------------------------------------
    database_choice: DatabaseChoice
    """Which database was chosen (embedded or a URL), known before it is open."""
    db: DirectDatabase | None
    """The open database (None until it is open)."""
    login_source: str
    """Where the user logs in from (`local:<user>`, `ssh:<address>`), for the audit."""
    session: Session | None
    """The logged-in user's session (None on the login screen)."""
    show_row_detail: bool
    """Whether lists show the selected row's hidden columns (F8)."""
    list_orders: dict[str, str]
    """The order chosen with `o` on each kind of list in this session (by screen class): a
    list opened again comes in that order. Emptied at login and logout."""

    @property
    def pool(self) -> Pool:
        """The database's connection pool (open once `database_ready` returns)."""
        raise _missing("pool")

    @property
    def actor(self) -> Actor:
        """The logged-in user (only while a session is open)."""
        raise _missing("actor")

    @property
    def database_is_open(self) -> bool:
        raise _missing("database_is_open")

    def open_database(self) -> None:
        raise _missing("open_database")

    async def database_ready(self) -> None:
        raise _missing("database_ready")

    def start_session(self, session: Session, password: str | None = None) -> None:
        raise _missing("start_session")

    def session_ended(self, reason: str) -> None:
        raise _missing("session_ended")

    def refresh_unread(self) -> Worker[None]:
        raise _missing("refresh_unread")

    # ---- frames and input ---------------------------------------------------------------------
    def call_after_frame(self, screen: Screen[Any], callback: Callable[[], Any]) -> None:
        raise _missing("call_after_frame")

    def input_waits(self) -> AbstractContextManager[None]:
        raise _missing("input_waits")

    # ---- navigation ---------------------------------------------------------------------------
    def open_solicitud(self, solicitud_id: str) -> None:
        raise _missing("open_solicitud")

    def action_change_password(self) -> None:
        raise _missing("action_change_password")

    def action_new_solicitud(self) -> None:
        raise _missing("action_new_solicitud")

    def action_open_solicitudes(self) -> None:
        raise _missing("action_open_solicitudes")

    def action_open_review_queue(self) -> None:
        raise _missing("action_open_review_queue")

    def action_open_informes(self) -> None:
        raise _missing("action_open_informes")

    def action_open_users(self) -> None:
        raise _missing("action_open_users")

    def action_open_programas(self) -> None:
        raise _missing("action_open_programas")

