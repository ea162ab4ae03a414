"""Mi perfil: one's own account (every role); teléfono and especialidad are editable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.services import users
from tui.services.common import Conflict
from tui.services.labels import ROLE_LABEL
from tui.services.validation import ValidationFailed
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.errors import describe
from tui.uikit.formatting import inert
from tui.uikit.workers import service_worker, shown_by

FIELDS = ("telefono", "especialidad")
"""The fields a user edits on their own account (the rest is the admins')."""
LABELS = {"telefono": "teléfono", "especialidad": "especialidad"}


class ProfileScreen(MainScreen):
    """Mi perfil."""

    CSS_PATH = "profile.tcss"
    HELP = keymap.HELP["ProfileScreen"]
    BINDINGS = keymap.BINDINGS["ProfileScreen"]

    def __init__(self) -> None:
        super().__init__()
        self.user: users.UserInfo | None = None
        """The account as last read from the database (the base of the next save)."""

    def compose_body(self) -> ComposeResult:
        yield Static("Mi perfil", classes="admin-heading")
        with Vertical(id="profile-box"):
            yield Static("Cargando…", id="profile-info", markup=False)
            for field, label, hint in (
                    ("telefono", "Teléfono", "310 123 4567"),
                    ("especialidad", "Especialidad", "área en la que forma")):
                with Horizontal(classes="profile-row"):
                    yield Label(label, classes="profile-label")
                    yield Input(placeholder=hint, id=f"profile-{field}", compact=True,
                                max_length=120, disabled=True)
                yield Static("", id=f"profile-{field}-error", classes="error profile-error",
                             markup=False)
            with Horizontal(id="profile-buttons"):
                yield Button("Guardar (Ctrl+S)", id="profile-save", variant="primary",
                             compact=True)
                yield Button("Cambiar contraseña (Ctrl+T)", id="profile-password",
                             compact=True)
            yield Static("", id="profile-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_data()

    def refresh_data(self) -> None:
        if not self.dirty:  # never over what the user is typing
            self.load()

    @property
    def dirty(self) -> bool:
        """Whether a field differs from the account as read."""
        if self.user is None:
            return False
        return any(self._typed(f) != (getattr(self.user, f) or "") for f in FIELDS)

    def _typed(self, field: str) -> str:
        return self.query_one(f"#profile-{field}", Input).value.strip()

    def _status(self, text: str) -> None:
        self.query_one("#profile-status", Static).update(text)

    @service_worker("profile-load", on_error=shown_by("_status"))
    async def load(self) -> None:
        app = self.app
        user = await users.get_user(app.pool, app.actor, app.actor.id)
        self._show(user, replace_typed=True)

    def _show(self, user: users.UserInfo, replace_typed: bool) -> None:
        self.user = user
        self.query_one("#profile-info", Static).update(inert(
            f"{user.name}\n"
            f"Correo: {user.email} · Cédula: {user.cedula}\n"
            f"Rol: {ROLE_LABEL.get(user.role, user.role)} · Centro: {user.centro_codigo} · "
            f"{user.centro_nombre}", multiline=True))
        for field in FIELDS:
            box = self.query_one(f"#profile-{field}", Input)
            if replace_typed:
                box.value = getattr(user, field) or ""
            box.disabled = False
        if (replace_typed and self.focused is None) or not isinstance(self.focused, Input):
            self.query_one("#profile-telefono", Input).focus()

    # ---- saving ------------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "profile-telefono":
            self.query_one("#profile-especialidad", Input).focus()
        else:
            self.action_save()

    @on(Button.Pressed, "#profile-save")
    def action_save(self) -> None:
        if self.user is None:
            return
        for field in FIELDS:
            self.query_one(f"#profile-{field}-error", Static).update("")
        self._status("Guardando…")
        self.save(self._typed("telefono"), self._typed("especialidad"))

    @service_worker("profile-save", on_error=lambda screen, exc: screen.save_failed(exc))
    async def save(self, telefono: str, especialidad: str) -> None:
        """Save what was typed; on any refusal every field keeps its text."""
        app = self.app
        assert self.user is not None
        user = await users.update_own_profile(app.pool, app.actor, telefono, especialidad,
                                              expected_updated_at=self.user.updated_at)
        self._show(user, replace_typed=True)
        self._status("Perfil guardado.")
        app.notify("Su teléfono y su especialidad quedaron guardados.", title="Perfil guardado")

    def save_failed(self, exc: BaseException) -> bool:
        """Said on the screen, every field keeping its text: bad fields under them, a
        concurrent change with what changed."""
        if isinstance(exc, ValidationFailed):
            for error in exc.errors:
                self.query_one(f"#profile-{error.field}-error", Static).update(error.message)
            self.query_one(f"#profile-{exc.errors[0].field}", Input).focus()
            self._status("No se guardó: revise los campos marcados.")
        elif isinstance(exc, Conflict):
            base, fresh = self.user, exc.current
            if fresh is not None:
                self._show(fresh, replace_typed=False)  # the new base; typed text stays
            shown = ", ".join(LABELS[f] for f in FIELDS if fresh is not None
                              and getattr(fresh, f) != getattr(base, f))
            self._status(exc.message + (f" Cambió: {shown}." if shown else "") +
                         " Ctrl+S guarda lo que escribió.")
        else:
            self._status(describe(exc)[1])
        return True

    def key_escape(self) -> None:
        """Escape is this screen's binding (`action_back`, which asks first), not MainScreen's
        plain pop."""

    # ---- leaving and the password -----------------------------------------------------------
    @on(Button.Pressed, "#profile-password")
    def action_change_password(self) -> None:
        self.app.action_change_password()

    def action_back(self) -> None:
        """Escape: back, through the same guard as the app's other ways out."""
        self.guard_leave(self.app.pop_screen)

    def guard_leave(self, proceed: Callable[[], Any]) -> None:
        """Run `proceed` (which leaves this screen: Escape, F3, F12, Ctrl+Q, the palette),
        asking first when the phone or the especialidad have unsaved changes."""
        if not self.dirty:
            proceed()
            return

        def answered(confirmed: object) -> None:
            if confirmed is not None:
                proceed()

        self.app.push_screen(ConfirmScreen(
            "Cambios sin guardar", "Su teléfono o su especialidad tienen cambios sin guardar. "
            "¿Salir y descartarlos? (Escape sigue editando)", confirm_label="Descartar"),
            answered)


def open_profile(app: ShellApp) -> None:
    """Push «Mi perfil» for the logged-in user (any role), once."""
    if getattr(app, "session", None) is not None and not isinstance(app.screen, ProfileScreen):
        app.push_screen(ProfileScreen())
