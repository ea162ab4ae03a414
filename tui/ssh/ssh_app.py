"""The app as served over SSH: logging out ends the SSH session."""

from __future__ import annotations

from pathlib import Path

import tui.shell.app
from tui.shell.app import ComplementariasApp

_APP_DIR = Path(tui.shell.app.__file__).parent


class SshApp(ComplementariasApp):
    """Over SSH the login happened in the SSH handshake, so "Cerrar sesión" disconnects
    instead of showing a login screen inside someone's SSH session."""

    # Textual resolves relative CSS paths beside the class's own module.
    CSS_PATH = [str(_APP_DIR / p) for p in ComplementariasApp.CSS_PATH]

    def logout_now(self) -> None:
        self._stop_listening()
        self.exit()

    def session_ended(self, reason: str) -> None:
        """A deactivated or removed account: the SSH session ends, saying why."""
        self.session = None
        self._stop_listening()
        self.exit(return_code=1, message=f"Sesión terminada: {reason}")
