"""Create or edit a user account; and the one-time dialog that shows a temporary password.

Admins set every field; coordinators create and edit instructors of their own centro, so the
role and centro fields are not offered to them and email and cédula are read-only when editing
(the services refuse those changes anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from tui.screens.admin.centro_form import AdminFormScreen
from tui.services import users
from tui.services.labels import ROLE_LABEL
from tui.uikit import keymap


@dataclass(frozen=True)
class UserSaved:
    user: users.UserInfo
    password: str | None = None
    """The temporary password of a new account (shown once), None after an edit."""


class UserFormScreen(AdminFormScreen):
    """Usuario."""

    HELP = keymap.HELP["UserFormScreen"]
    PREFIX = "users"
    BINDINGS = keymap.BINDINGS["UserFormScreen"]
    FIELDS = {"email": "user-email", "name": "user-name", "cedula": "user-cedula",
              "role": "user-role", "centroId": "user-centro", "telefono": "user-telefono",
              "especialidad": "user-especialidad"}
    DIFF = (("email", "Correo"), ("name", "Nombre"), ("cedula", "Cédula"), ("role", "Rol"),
            ("centro_id", "Centro"), ("telefono", "Teléfono"),
            ("especialidad", "Especialidad"), ("is_active", "Estado"))

    def __init__(self, current: users.UserInfo | None, is_admin: bool,
                 centro_options: list[tuple[str, str]] | None = None) -> None:
        super().__init__(current)
        self.is_admin = is_admin
        self.centro_options = list(centro_options or [])
        if current is not None and all(v != current.centro_id for _l, v in self.centro_options):
            self.centro_options.append((f"{current.centro_codigo} · {current.centro_nombre}",
                                        current.centro_id))

    def title_text(self) -> str:
        u = self.current
        if u is None:
            return "Nuevo usuario" if self.is_admin else "Nuevo instructor"
        return f"Editar {u.name}"

    def compose_fields(self) -> ComposeResult:
        u = self.current
        locked = u is not None and not self.is_admin
        yield self.row("Correo *", Input(u.email if u else "", id="user-email", compact=True,
                                         disabled=locked, placeholder="nombre@sena.edu.co"))
        yield self.row("Nombre *", Input(u.name if u else "", id="user-name", compact=True))
        yield self.row("Cédula *", Input(u.cedula if u else "", id="user-cedula", compact=True,
                                         disabled=locked, restrict=r"[0-9]*", max_length=15))
        if self.is_admin:
            yield self.row("Rol *", Select([(v, k) for k, v in ROLE_LABEL.items()],
                                           value=u.role if u else "INSTRUCTOR",
                                           allow_blank=False, id="user-role", compact=True))
            yield self.row("Centro *", Select(self.centro_options, prompt="Elija un centro",
                                              value=u.centro_id if u else Select.NULL,
                                              id="user-centro", compact=True))
        yield self.row("Teléfono", Input(u.telefono or "" if u else "", id="user-telefono",
                                         compact=True))
        yield self.row("Especialidad", Input(u.especialidad or "" if u else "",
                                             id="user-especialidad", compact=True))

    async def submit(self) -> UserSaved:
        app = self.app
        name, telefono = self.text("user-name"), self.text("user-telefono")
        especialidad = self.text("user-especialidad")
        role = self.choice("user-role") if self.is_admin else "INSTRUCTOR"
        centro = self.choice("user-centro") if self.is_admin else None
        if self.current is None:
            user, password = await users.create_user(
                app.pool, app.actor, self.text("user-email"), name, self.text("user-cedula"),
                role or "", centro, telefono or None, especialidad or None)
            return UserSaved(user, password)
        admin_only: dict[str, Any] = {}
        if self.is_admin:
            admin_only = dict(email=self.text("user-email"), cedula=self.text("user-cedula"),
                              role=role, centro_id=centro)
        user = await users.update_user(app.pool, app.actor, self.current.id, name=name,
                                       telefono=telefono, especialidad=especialidad,
                                       expected_updated_at=self.current.updated_at,
                                       **admin_only)
        return UserSaved(user)


class InfoDialog(ModalScreen[None]):
    """Información."""

    HELP = keymap.HELP["InfoDialog"]
    BINDINGS = keymap.BINDINGS["InfoDialog"]

    def __init__(self, title: str, body: str, secret: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.body = body
        self.secret = secret

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="users-info"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body, classes="dialog-note", markup=False)
            if self.secret is not None:
                yield Static(self.secret, id="users-info-secret", markup=False)
            with Horizontal(classes="admin-form-buttons"):
                if self.secret is not None:
                    yield Button("Copiar (c)", id="users-info-copy", compact=True)
                yield Button("Cerrar (Enter)", variant="primary", id="users-info-ok",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#users-info-ok", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.secret is not None if action == "copy" else True

    @on(Button.Pressed, "#users-info-copy")
    def action_copy(self) -> None:
        if self.secret is not None:
            self.app.copy_to_clipboard(self.secret)
            self.app.notify("Copiada al portapapeles.", title="Copiar")

    @on(Button.Pressed, "#users-info-ok")
    def action_close(self) -> None:
        self.dismiss(None)
