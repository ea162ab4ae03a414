"""The one place where a failure becomes a message for the user (Spanish, no traceback)."""

from __future__ import annotations

import psycopg
from psycopg_pool import PoolTimeout

from tui.services.common import ServiceError, SessionEnded
from tui.services.validation import ValidationFailed
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import inert


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) for any exception a service call may raise."""
    if isinstance(exc, ValidationFailed):
        lines = [e.message for e in exc.errors][:8]
        more = len(exc.errors) - len(lines)
        if more > 0:
            lines.append(f"… y {more} más")
        return "Revise los datos", "\n".join(lines) or "Datos no válidos."
    if isinstance(exc, ServiceError):
        return exc.title, exc.message
    if isinstance(exc, PoolTimeout):
        return ("Servidor ocupado", "La base de datos está ocupada o no responde. Lo escrito se "
                "conserva; intente de nuevo en unos segundos.")
    if isinstance(exc, psycopg.errors.QueryCanceled):
        return "Consulta cancelada", "La consulta tardó demasiado y se canceló."
    if isinstance(exc, psycopg.OperationalError):
        return ("Sin conexión", "Se perdió la conexión con la base de datos. Lo escrito se "
                "conserva; intente de nuevo cuando vuelva.")
    if isinstance(exc, psycopg.Error):
        return "Error de base de datos", str(exc).splitlines()[0] if str(exc) else repr(exc)
    return "Error inesperado", f"{exc.__class__.__name__}: {exc}"


def report_error(app: ShellApp, exc: BaseException, what: str | None = None) -> None:
    """Show the failure as an error toast (`what`: what did not happen, its first line); a
    session that ended goes back to the login."""
    title, message = describe(exc)
    if what:
        message = f"{what}\n{message}"
    app.notify(inert(message, multiline=True), title=title, severity="error", timeout=8,
               markup=False)
    if isinstance(exc, SessionEnded) and getattr(app, "session", None) is not None:
        app.session_ended(message)  # once: several workers of one screen may fail together
