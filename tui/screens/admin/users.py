"""Usuarios (admins: every role and centro) or Instructores (coordinators: their centro's)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Select

from tui.screens.admin.admin_list import (
    AdminListScreen,
    activo_select,
    centro_options,
    estado_text,
)
from tui.screens.admin.user_form import InfoDialog, UserFormScreen, UserSaved
from tui.services import users
from tui.services.common import Page
from tui.services.model import DRAFT, ESTADO_LABEL, ROLE_LABEL
from tui.uikit import keymap
from tui.uikit.workers import service_worker

PASSWORD_NOTE = ("Entréguela a {name} por un medio seguro: no se volverá a mostrar. Deberá "
                 "cambiarla al iniciar sesión.")


class UsersScreen(AdminListScreen):
    """Usuarios."""

    HELP = keymap.HELP["UsersScreen"]
    PREFIX = "users"
    NOUN = ("usuario", "usuarios")
    BINDINGS = keymap.BINDINGS["UsersScreen"]

    def __init__(self) -> None:
        super().__init__()
        self.is_admin = False

    def compose_body(self) -> ComposeResult:
        app = self.app
        self.is_admin = app.actor.role == "ADMIN"
        if not self.is_admin:
            self.NOUN = ("instructor", "instructores")
            self.EXPORT_NAME = "instructores"
        self.COLUMNS = ((("Nombre", 20, True), ("Correo", 24, True), ("Rol", 11, False),
                         ("Centro", 6, False)) if self.is_admin else
                        (("Nombre", 24, True), ("Correo", 28, True), ("Cédula", 11, False))) \
            + (("Estado", 8, False),)
        yield from super().compose_body()

    def heading(self) -> str:
        actor: Any = self.app.actor
        if self.is_admin:
            return "Usuarios de todos los centros"
        return f"Instructores de {actor.centro_codigo} · {actor.centro_nombre}"

    def compose_filters(self) -> ComposeResult:
        if self.is_admin:
            yield Select([(v, k) for k, v in ROLE_LABEL.items()], prompt="Rol: todos",
                         id="users-role", compact=True)
            yield Select([], prompt="Centro: todos", id="users-centro", compact=True,
                         classes="admin-centros")
        yield activo_select("users")

    ORDERS = users.ORDENES
    EXPORT_NAME = "usuarios"

    def service(self) -> Callable[..., Awaitable[Page[Any]]]:
        return users.list_users

    def export_columns(self) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
        middle: tuple[tuple[str, Callable[[Any], Any]], ...] = (
            ("Rol", lambda u: ROLE_LABEL.get(u.role, u.role)),
            ("Centro", lambda u: u.centro_codigo)) if self.is_admin else \
            (("Cédula", lambda u: u.cedula),)
        return (("Nombre", lambda u: u.name), ("Correo", lambda u: u.email), *middle,
                ("Estado", lambda u: estado_text(u.is_active)))

    def filter_words(self, key: str, value: Any) -> str:
        if key == "role":
            return f"rol {ROLE_LABEL.get(value, value)}"
        return super().filter_words(key, value)

    def cells(self, u: Any) -> list[str]:
        middle = [ROLE_LABEL.get(u.role, u.role), u.centro_codigo] if self.is_admin \
            else [u.cedula]
        return [u.name, u.email, *middle, estado_text(u.is_active)]

    @on(Select.Changed, "#users-role")
    def _role(self, event: Select.Changed) -> None:
        self.set_filter(role=None if event.value is Select.NULL else str(event.value))

    ROW_ACTIONS = ("edit", "deactivate", "reactivate", "delete", "reset_password", "stats")

    def may(self, action: str, item: Any) -> bool | None:
        """Nobody deactivates, deletes or resets their own account here."""
        session = getattr(self.app, "session", None)
        if session is None or item.id != session.actor.id:
            return True
        return False if action in ("deactivate", "reactivate") else \
            None if action in ("delete", "reset_password") else True

    # ---- actions -------------------------------------------------------------------------------
    def action_open(self) -> None:
        self.action_stats()

    def action_new(self) -> None:
        self.edit(None)

    def action_import_file(self) -> None:
        from tui.screens.admin.import_instructores import ImportInstructoresScreen

        self.app.push_screen(ImportInstructoresScreen())

    def action_edit(self) -> None:
        if self.selected() is not None:
            self.edit(self.selected())

    @service_worker("users-action")
    async def edit(self, user: users.UserInfo | None) -> None:
        app = self.app
        options = await centro_options(app, active_only=True) if self.is_admin else []
        saved: UserSaved | None = await app.push_screen_wait(
            UserFormScreen(user, self.is_admin, options))
        if saved is None:
            return
        self.load()
        if saved.password is None:
            app.notify(f"{saved.user.name}: datos guardados.", title="Listo")
            return
        await app.push_screen_wait(InfoDialog(
            "Cuenta creada: contraseña temporal",
            f"{saved.user.name} ({saved.user.email}). "
            + PASSWORD_NOTE.format(name=saved.user.name), saved.password))

    def toggle_text(self, u: Any, active: bool) -> tuple[str, str]:
        return u.name, ("Podrá volver a iniciar sesión." if active else "No podrá iniciar "
                        "sesión y pierde el acceso en su próxima acción; puede reactivarse.")

    async def set_active(self, u: Any, active: bool) -> None:
        app = self.app
        await users.set_active(app.pool, app.actor, u.id, active)

    def action_delete(self) -> None:
        self.act("delete")

    def action_reset_password(self) -> None:
        self.act("reset")

    @service_worker("users-action")
    async def act(self, what: str) -> None:
        """Confirm, call the service, report: delete or reset the password."""
        app = self.app
        u = self.selected()
        if u is None:
            return
        title, question, label = {
            "delete": ("Eliminar usuario", f"Se eliminará la cuenta de {u.name} (eliminación "
                       "lógica: queda inactiva y se conserva su historial). No es posible si "
                       "tiene solicitudes pendientes, en revisión o aprobadas.", "Eliminar"),
            "reset": ("Restablecer contraseña", f"Se generará una contraseña temporal para "
                      f"{u.name}; la actual dejará de funcionar.", "Restablecer"),
        }[what]
        if not await self.confirm(title, question, label):
            return
        if what == "reset":
            password = await users.reset_password(app.pool, app.actor, u.id)
        else:
            await users.delete_user(app.pool, app.actor, u.id)
        self.load()
        if what == "reset":
            await app.push_screen_wait(InfoDialog(
                "Contraseña temporal", f"Nueva contraseña de {u.name} ({u.email}). "
                + PASSWORD_NOTE.format(name=u.name), password))
        else:
            app.notify(f"Cuenta de {u.name} eliminada (inactiva).", title="Listo", markup=False)

    def action_stats(self) -> None:
        if self.selected() is not None:
            self.show_stats(self.selected())

    @service_worker("users-action")
    async def show_stats(self, u: users.UserInfo) -> None:
        app = self.app
        stats = await users.instructor_stats(app.pool, app.actor, u.id)
        own = u.id == app.actor.id
        lines = [f"{u.name} · {ROLE_LABEL.get(u.role, u.role)} · {u.centro_codigo}",
                 f"{u.email} · cédula {u.cedula}", ""]
        shown = {e: n for e, n in stats.por_estado.items() if own or e != DRAFT}
        lines += [f"{ESTADO_LABEL[e]:<14}{n:>6}" for e, n in shown.items()]
        lines += [f"{'Total':<14}{sum(shown.values()):>6}",
                  "", f"Horas aprobadas:      {stats.horas_aprobadas}",
                  f"Aprendices aprobados: {stats.aprendices_aprobados}"]
        if not own:
            lines += ["", "Los borradores son privados de su autor y no se cuentan."]
        await app.push_screen_wait(InfoDialog("Estadísticas de solicitudes", "\n".join(lines)))
