"""The command palette (ctrl+p): every action the current user may take, here and now.

Commands come from the app (navigation, session) and from the current screen, which offers
its own through `palette_commands()`; both depend on the user's role and the screen's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.services import model

if TYPE_CHECKING:
    from tui.shell.app import ComplementariasApp

Command = tuple[str, str, Callable[[], Any]]  # (label, help, callback)


def app_commands(app: ComplementariasApp) -> list[Command]:
    if app.session is None:
        return []
    role = app.actor.role

    def may(area: str) -> bool:
        return model.may_open(role, area)

    def gated(rows: list[tuple[str, str, str, Callable[[], Any]]]) -> list[Command]:
        """The rows whose area (model.AREAS) the user's role may open."""
        return [(label, text, call) for area, label, text, call in rows if may(area)]

    own = may("nueva_solicitud")  # an instructor's list is their own solicitudes
    return [
        ("Inicio", "Ir a la pantalla de inicio", app.action_go_home),
        ("Notificaciones", "Mostrar u ocultar las notificaciones", app.action_toggle_notifications),
        ("Mi perfil", "Sus datos: teléfono, especialidad y contraseña (m en Inicio)",
         lambda: _open_profile(app)),
        ("Cambiar contraseña", "Cambiar su contraseña", app.action_change_password),
        *gated([("claves_ssh", "Mis claves SSH",
                 "Claves públicas para entrar por SSH sin contraseña", app.action_open_ssh_keys)]),
        ("Cerrar sesión", "Salir de su cuenta", app.action_logout),
        ("Ayuda", "Teclas y ayuda de esta pantalla", app.action_help),
        *gated([
            ("solicitudes", "Mis solicitudes" if own else "Todas las solicitudes",
             "Todas sus solicitudes" if own else "Solicitudes de su alcance",
             app.action_open_solicitudes),
            ("nueva_solicitud", "Nueva solicitud", "Crear una solicitud (borrador)",
             app.action_new_solicitud),
            ("revision", "Cola de revisión", "Pendientes y en revisión, las más antiguas primero",
             app.action_open_review_queue),
            ("usuarios", "Usuarios" if may("centros") else "Instructores",
             "Crear, editar, desactivar, restablecer contraseña", app.action_open_users),
            ("programas", "Programas", "Programas, objetivos, competencias y resultados",
             app.action_open_programas),
            ("informes", "Informes", "Cifras por estado, mes, centro, instructor y programa, "
             "con gráficos", app.action_open_informes),
            ("centros", "Centros", "Centros de formación", app.action_open_centros),
            ("migraciones", "Migraciones", "Aplicar o revertir migraciones de la base de datos",
             app.action_open_migrations),
            ("avisos", "Enviar aviso", "Aviso del sistema a un rol, un centro o usuarios",
             app.action_open_broadcast),
            ("auditoria", "Auditoría", "Quién hizo qué y cuándo: accesos, usuarios, estados, "
             "migraciones", app.action_open_audit),
        ]),
    ]


def _open_profile(app: ComplementariasApp) -> None:
    from tui.screens.common.profile import open_profile

    open_profile(app)


class AppCommands(Provider):
    """Palette commands of the app and of the current screen."""

    def _commands(self) -> list[Command]:
        screen = self.screen
        own: list[Command] = []
        getter = getattr(screen, "palette_commands", None)
        if callable(getter):
            own = list(getter())
        # This provider is in ComplementariasApp.COMMANDS only: its app is that one.
        return own + app_commands(cast("ComplementariasApp", self.app))

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
