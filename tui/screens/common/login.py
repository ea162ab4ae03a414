"""Login: email and password; on the embedded demo database the demo accounts are shown."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.workers import service_worker


class LoginScreen(Screen[None]):
    """Iniciar sesión."""

    app: ShellApp

    HELP = keymap.HELP["LoginScreen"]
    BINDINGS = keymap.BINDINGS["LoginScreen"]

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static("Solicitudes de formación complementaria", id="login-title")
            yield Static("SENA", id="login-subtitle")
            yield Label("Correo institucional", classes="field-label")
            yield Input(placeholder="nombre@sena.edu.co", id="login-email")
            yield Label("Contraseña", classes="field-label")
            yield Input(password=True, id="login-password")
            yield Static("", id="login-error", markup=False)
            yield Button("Ingresar", variant="primary", id="login-button")
            yield Static("", id="login-demo", markup=False)
        yield Footer()

    def _demo_hint(self) -> str:
        if not self.app.database_choice.embedded:
            return ""
        from tui.services.seed import demo_accounts

        try:
            accounts = demo_accounts()
        except (OSError, ValueError, KeyError):
            return ""
        lines = ["Cuentas de demostración (base embebida):"]
        seen: set[str] = set()
        for email, role, password in accounts:
            if role in seen:
                continue
            seen.add(role)
            lines.append(f"  {role.title():<12} {email:<30} {password}")
        return "\n".join(lines)

    def on_mount(self) -> None:
        self.query_one("#login-email", Input).focus()
        self.app.call_after_frame(self, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What the first frame need not wait for: the database (opened in a thread that
        would compete with drawing) and the demo hint (it reads the demo data file)."""
        self.app.open_database()
        self.query_one("#login-demo", Static).update(self._demo_hint())

    @on(Input.Submitted, "#login-email")
    def _next_field(self) -> None:
        self.query_one("#login-password", Input).focus()

    @on(Input.Submitted, "#login-password")
    @on(Button.Pressed, "#login-button")
    def action_login(self) -> None:
        email = self.query_one("#login-email", Input).value
        password = self.query_one("#login-password", Input).value
        if not email.strip() or not password:
            self._show_error("Escriba su correo y su contraseña.")
            return
        self.query_one("#login-button", Button).disabled = True
        self._show_error("Verificando…")
        self.do_login(email, password)

    def _show_error(self, text: str) -> None:
        self.query_one("#login-error", Static).update(text)

    @service_worker("login", on_error=lambda screen, exc: screen.login_failed(exc))
    async def do_login(self, email: str, password: str) -> None:
        from tui.services import auth

        # Keys typed meanwhile go to the next screen; on a failure they are released only
        # after `login_failed` ran (at the next turn of the event loop).
        with self.app.input_waits():
            try:
                if not self.app.database_is_open:
                    self._show_error("Preparando la base de datos…")
                await self.app.database_ready()
                self._show_error("Verificando…")
                session = await auth.login(self.app.pool, email, password,
                                           source=self.app.login_source)
            finally:
                self.query_one("#login-button", Button).disabled = False
            self._show_error("")
            self.app.start_session(session, password)

    def login_failed(self, exc: BaseException) -> bool:
        """Every failure becomes the message under the form; the password is typed again."""
        from tui.uikit.errors import describe

        self._show_error(describe(exc)[1])
        self.query_one("#login-password", Input).value = ""
        self.query_one("#login-password", Input).focus()
        return True
