"""The command palette (ctrl+p): every action the current user may take, here and now.

Commands come from the app (navigation, session) and from the current screen, which offers
its own through `palette_commands()`; both depend on the user's role and the screen's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

Command = tuple[str, str, Callable[[], Any]]  # (label, help, callback)


def app_commands(app: Any) -> list[Command]:
    if getattr(app, "session", None) is None:
        return []
    role = app.actor.role
    cmds: list[Command] = [
        ("Inicio", "Ir a la pantalla de inicio", app.action_go_home),
        ("Notificaciones", "Mostrar u ocultar las notificaciones", app.action_toggle_notifications),
        ("Mi perfil", "Sus datos: teléfono, especialidad y contraseña (m en Inicio)",
         lambda: _open_profile(app)),
        ("Cambiar contraseña", "Cambiar su contraseña", app.action_change_password),
        ("Mis claves SSH", "Claves públicas para entrar por SSH sin contraseña",
         app.action_open_ssh_keys),
        ("Cerrar sesión", "Salir de su cuenta", app.action_logout),
        ("Ayuda", "Teclas y ayuda de esta pantalla", app.action_help),
    ]
    if role == "INSTRUCTOR":
        cmds += [
            ("Mis solicitudes", "Todas sus solicitudes", app.action_open_solicitudes),
            ("Nueva solicitud", "Crear una solicitud (borrador)", app.action_new_solicitud),
        ]
    else:
        cmds += [
            ("Todas las solicitudes", "Solicitudes de su alcance", app.action_open_solicitudes),
            ("Cola de revisión", "Pendientes y en revisión, las más antiguas primero",
             app.action_open_review_queue),
            ("Usuarios" if role == "ADMIN" else "Instructores",
             "Crear, editar, desactivar, restablecer contraseña", app.action_open_users),
            ("Programas", "Programas, objetivos, competencias y resultados",
             app.action_open_programas),
            ("Informes", "Cifras por estado, mes, centro, instructor y programa, con gráficos",
             app.action_open_informes),
        ]
    if role == "ADMIN":
        cmds += [
            ("Centros", "Centros de formación", app.action_open_centros),
            ("Migraciones", "Aplicar o revertir migraciones de la base de datos",
             app.action_open_migrations),
            ("Enviar aviso", "Aviso del sistema a un rol, un centro o usuarios",
             app.action_open_broadcast),
            ("Auditoría", "Quién hizo qué y cuándo: accesos, usuarios, estados, migraciones",
             app.action_open_audit),
        ]
    return cmds


def _open_profile(app: Any) -> None:
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
        return own + app_commands(self.app)

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
