"""The Textual application: wires the pool, the session, the screens and the styles."""

from __future__ import annotations

import asyncio
import getpass
import signal
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual._compositor import CompositorUpdate
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from tui.config import Settings, load_settings
from tui.services import model
from tui.shell import textual_es
from tui.shell.commands import AppCommands
from tui.shell.input_guard import OrderedInputApp
from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.formatting import inert
from tui.uikit.messages import NotificationArrived
from tui.uikit.workers import service_worker

if TYPE_CHECKING:
    from tui.db.pool import Pool
    from tui.services.auth import Session
    from tui.services.common import Actor
    from tui.shell.database import OpenDatabase, PendingDatabase

# The database layer (psycopg, the services) is imported only once the first screen is up:
# it is most of the start-up time, and the login screen needs it only when submitted.


class ComplementariasApp(OrderedInputApp, ShellApp):
    """Solicitudes de formación complementaria."""

    CSS_PATH = ["app.tcss", "bandwidth.tcss", "../screens/instructor/solicitud_form.tcss",
                "../screens/coordinacion/coordinacion.tcss", "../screens/admin/admin.tcss",
                "../screens/common/exports.tcss", "../screens/common/ssh_keys.tcss"]
    LOGIN_CSS = 2
    """How many of CSS_PATH's files the login screen needs. An app that opens on the login
    reads the others once the login's first frame is drawn; one that opens logged in (SSH)
    reads them all at start."""
    TITLE = "Complementarias SENA"
    COMMANDS = App.COMMANDS | {AppCommands}
    BINDINGS = keymap.BINDINGS["ComplementariasApp"]

    unread: reactive[int] = reactive(0)
    """Unread notifications of the logged-in user (shown in the header and the sidebar)."""

    show_notifications: reactive[bool] = reactive(False)
    """Whether the notification sidebar is open on the main screens."""

    show_row_detail = True
    """Whether lists show the selected row's hidden columns under the table (F8). Off by
    default in the lean (SSH) layout: the line changes with every row move, which costs
    ~200 B a key on a slow link."""

    _toasts_shown: dict[tuple[str, str], float] = {}
    """(title, message) of the toasts shown, with when each goes away (monotonic)."""

    def __init__(self, db: OpenDatabase | PendingDatabase, session: Session | None = None,
                 settings: Settings | None = None, login_source: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._deferred_css: list[Any] = []
        if session is None:  # the login comes first: the other screens' styles after it
            self._deferred_css = self.css_path[self.LOGIN_CSS:]
            self.css_path = self.css_path[:self.LOGIN_CSS]
        self.login_source = login_source or f"local:{getpass.getuser()}"
        self.settings = settings or load_settings()
        self.db: OpenDatabase | None = None
        self._pool: Pool | None = None  # once the database is open
        self.database_choice = db.choice
        """Which database was chosen (embedded or a URL), known before it is open."""
        self._pending: PendingDatabase | None = None  # until open_database takes it
        self._db_ready: asyncio.Event | None = None
        from tui.shell.database import OpenDatabase

        if isinstance(db, OpenDatabase):
            self._use_database(db)
        else:  # still opening in a thread (`complementarias`): the login screen shows first
            self._pending = db
        self.session: Session | None = session
        self._listener: Any = None
        self._frames: Any = None
        if self.settings.low_bandwidth and self.settings.frame_diff:
            from tui.shell.frame_diff import FrameDiff

            self._frames = FrameDiff()
        self.show_row_detail = not self.settings.lean_layout
        self.list_orders: dict[str, str] = {}
        self._after_frame: list[tuple[Screen[Any], Callable[[], Any]]] = []

    def call_after_frame(self, screen: Screen[Any], callback: Callable[[], Any]) -> None:
        """Run `callback` once a frame of `screen` has been sent to the terminal. Textual's
        `call_after_refresh` (and its Ready event) can come before the first frame is
        written: work started there would delay it."""
        self._after_frame.append((screen, callback))

    @property
    def diffs_frames(self) -> bool:
        """Whether frames are written as changed cells only (then a repaint of the whole
        screen costs only what changed)."""
        return self._frames is not None

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        """Low bandwidth: each frame writes only the cells that changed (shell/frame_diff.py)."""
        if self._frames is not None and isinstance(renderable, CompositorUpdate):
            renderable = self._frames.update(renderable, self.size)
        super()._display(screen, renderable)
        if self._after_frame and renderable is not None and not self._batch_count:
            due = [cb for s, cb in self._after_frame if s is screen]
            self._after_frame = [(s, cb) for s, cb in self._after_frame if s is not screen]
            for callback in due:
                self.call_later(callback)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs_session = action in ("toggle_notifications", "go_home", "logout")
        return not (needs_session and self.session is None)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """No blinking cursors in the low-bandwidth profile (each blink repaints). Only a
        focused field blinks, and DescendantFocus reaches the app from every screen."""
        if self.settings.low_bandwidth and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    def get_loading_widget(self) -> Widget:
        """Low bandwidth: a one-line status instead of an animated full-area indicator."""
        if self.settings.low_bandwidth:
            from tui.widgets.loading_line import LoadingLine

            return LoadingLine()
        return super().get_loading_widget()

    # ---- start and stop ------------------------------------------------------------------------
    async def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # A clean exit (terminal restored, embedded server released), not a traceback.
            loop.add_signal_handler(sig, self.exit)
        self.set_class(self.settings.lean_layout, "-low-bandwidth")
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning", timeout=8)
        if self._pending is not None:
            self._db_ready = asyncio.Event()
            # After Textual's start-up batch: pushed inside it, the login is laid out and
            # rendered once for nothing (a frame drawn in a batch is dropped). Keys typed
            # ahead wait for it (OrderedInputApp holds them until the app has settled).
            self.call_later(self._push_first_login)  # it calls open_database once it is drawn
            return
        await self.pool.open(wait=False)
        if self.session is not None:
            self.start_session(self.session)
        else:
            self._push_first_login()

    def _push_first_login(self) -> None:
        """The login, with the other screens' styles read once it is drawn."""
        from tui.screens.common.login import LoginScreen

        login = LoginScreen()
        self.push_screen(login)
        self.call_after_frame(login, self._read_deferred_css)

    def _read_deferred_css(self) -> None:
        """The styles of the screens after the login, read once its first frame is drawn
        (in CSS_PATH's order, after the login's: the same rules as reading them all first)."""
        paths, self._deferred_css = self._deferred_css, []
        for path in paths:
            self.stylesheet.read(path)
        self.css_path = [*self.css_path, *paths]
        if paths:
            self.stylesheet.update(self)

    def _use_database(self, db: OpenDatabase) -> None:
        from tui.db.pool import make_pool
        from tui.services import audit

        audit.set_source(self.login_source)
        self.db = db
        self._pool = make_pool(db.url, min_size=1, max_size=4, pooled=db.pooled)

    def open_database(self) -> None:
        """Start opening the database, if the app was given one still to open (once)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._await_database(pending)

    @work(group="database", exclusive=True, exit_on_error=False)
    async def _await_database(self, pending: PendingDatabase) -> None:
        """Open the database in a thread (after the first frame: the thread would compete
        with it for the interpreter), then use it; a failure ends the app with the message
        the command line would have printed."""
        assert self._db_ready is not None
        try:
            db = await asyncio.to_thread(pending.open)
        except Exception as exc:  # noqa: BLE001 - embedded server, migration or URL errors
            self.exit(return_code=1, message=f"Error: {inert(str(exc), multiline=True)}")
            return
        self._use_database(db)
        await self.pool.open(wait=False)
        self._db_ready.set()

    @property
    def pool(self) -> Pool:
        """The database's pool; screens reach it only once the database is open (the login
        awaits `database_ready`)."""
        if self._pool is None:
            raise RuntimeError("the database is not open yet")
        return self._pool

    @property
    def database_is_open(self) -> bool:
        return self.db is not None

    async def database_ready(self) -> None:
        """Wait until the database is open (at once, except just after start-up)."""
        if self._db_ready is not None:
            await self._db_ready.wait()

    async def on_unmount(self) -> None:
        self._stop_listening()
        if self._pool is not None:
            await self._pool.close()

    # ---- session -------------------------------------------------------------------------------
    @property
    def actor(self) -> Actor:
        assert self.session is not None
        return self.session.actor

    def start_session(self, session: Session, password: str | None = None) -> None:
        """After login: forced password change first (not asking again for the `password`
        just typed at the login), then the role's home."""
        self._read_deferred_css()  # read already, unless logged in before the login was drawn
        self.session = session
        self.list_orders = {}
        self.sub_title = inert(f"{session.actor.name} · {session.actor.role.title()} · "
                               f"{session.actor.centro_nombre}")
        if session.must_change_password:
            from tui.screens.common.change_password import ChangePasswordScreen

            self.push_screen(ChangePasswordScreen(forced=True, current=password),
                             self._after_forced_change)
            return
        self._enter_home()

    def _after_forced_change(self, changed: bool | None) -> None:
        if changed:
            self._enter_home()
        else:
            self.logout_now()

    def _enter_home(self) -> None:
        from tui.screens.common.home import HomeScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen())
        self.refresh_unread()
        self.listen_notifications()
        self._reopen_journaled_form()

    def _reopen_journaled_form(self) -> None:
        """A form left with unsaved edits by a session that died opens again, edits restored."""
        from tui.uikit import journal

        writes = model.may_open(self.actor.role, "nueva_solicitud")
        keys = journal.pending(self.actor.id) if writes else []
        if keys:
            from tui.screens.instructor.solicitud_form import SolicitudFormScreen

            self.push_screen(SolicitudFormScreen(None if keys[0] == journal.NEW else keys[0]))

    def screen_workers(self) -> list[Any]:
        """The running workers of the current screen and its widgets (its queries)."""
        screen = self.screen
        found = []
        for worker in self.workers:
            node = worker.node
            try:
                mine = node is screen or (isinstance(node, Widget) and node.screen is screen)
            except Exception:  # noqa: BLE001 - a widget already removed
                mine = False
            if mine and worker.is_running:
                found.append(worker)
        return found

    def action_cancel_queries(self) -> None:
        """Ctrl+G: stop what the screen is waiting for. Cancelling a worker cancels its query
        on the server too (psycopg sends the cancel request); nothing typed is touched."""
        workers = self.screen_workers()
        for worker in workers:
            worker.cancel()
        if workers:
            self.notify("Consulta cancelada. F5 vuelve a cargar la pantalla.",
                        title="Cancelada", severity="warning", timeout=6)
        else:
            self.notify("No hay ninguna consulta en curso.", timeout=3)

    def action_redraw(self) -> None:
        """Ctrl+L: draw every cell again, for a terminal garbled by something else's output
        (the low-bandwidth encoder otherwise trusts its copy of the screen)."""
        if self._frames is not None:
            self._frames.reset()
        self.refresh(repaint=True, layout=True)

    def action_toggle_row_detail(self) -> None:
        from tui.widgets.row_detail import RowDetail

        self.show_row_detail = not self.show_row_detail
        for detail in self.screen.query(RowDetail):
            detail.redisplay()
        self.notify("Las columnas ocultas de la fila se muestran bajo la lista (F8 las oculta)."
                    if self.show_row_detail else
                    "Columnas ocultas: no se muestran (F8 las muestra).", title="Columnas")

    def action_reload_screen(self) -> None:
        refresh = getattr(self.screen, "refresh_data", None)
        if self.session is not None and callable(refresh):
            refresh()

    # ---- leaving: one guard for every way out ------------------------------------------------
    LEAVE_ACTIONS = ("go_home", "logout", "quit")
    """The app's actions that close screens (tests/test_leave_guard.py checks each key and
    palette command: whatever closes an edited screen must come through `leave_guarded`)."""

    def leave_guarded(self, proceed: Callable[[], Any]) -> None:
        """Run `proceed` (which closes screens) once every open screen with unsaved edits
        agreed: each one with a `guard_leave(proceed)` (the solicitud form: save / discard /
        stay; a dialog with typed text: discard / stay) is asked, the top-most first."""
        guards = [s.guard_leave for s in reversed(self.screen_stack)
                  if callable(getattr(s, "guard_leave", None))]

        def ask(i: int) -> None:
            if i == len(guards):
                proceed()
            else:
                guards[i](lambda: ask(i + 1))

        ask(0)

    def action_go_home(self) -> None:
        if self.session is not None:
            self.leave_guarded(self.go_home_now)

    def go_home_now(self) -> None:
        from tui.screens.common.home import HomeScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, HomeScreen):
            self.push_screen(HomeScreen())

    async def action_quit(self) -> None:
        self.leave_guarded(self.exit)

    def action_logout(self) -> None:
        self.leave_guarded(self.logout_now)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Whatever ends the app (Ctrl+Q once the guard agreed, SIGTERM or SIGHUP when an SSH
        session drops) first writes the local journal of an edited form (tui/uikit/journal.py)."""
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_journal", None)
            if callable(flush):
                flush()
        super().exit(*args, **kwargs)

    def logout_now(self) -> None:
        from tui.screens.common.login import LoginScreen

        self._stop_listening()
        self.session = None
        self.list_orders = {}
        self.unread = 0
        self.sub_title = ""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LoginScreen())

    def session_ended(self, reason: str) -> None:
        """The account was deactivated or removed while logged in: back to the login (the
        reason is already shown as a toast; the database would refuse a save, so nothing is
        asked: an edited form's journal keeps its edits for the next login). Over SSH the
        session ends instead."""
        self.logout_now()

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast as plain text: messages quote user text (names, codes, fichas), which
        must be shown literally, never read as markup or sent as control characters."""
        message, title = textual_es.toast(message, title)  # Textual's own toasts, in Spanish
        message, title = inert(message, multiline=True), inert(title)
        now = time.monotonic()
        if self._toasts_shown.get((title, message), 0.0) > now:
            return  # the same toast is still shown (several workers failing alike, say)
        self._toasts_shown = {k: t for k, t in self._toasts_shown.items() if t > now}
        self._toasts_shown[(title, message)] = now + (
            self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        super().notify(message, title=title, severity=severity,
                       timeout=timeout, markup=False)

    # ---- notifications -----------------------------------------------------------------------
    def action_toggle_notifications(self) -> None:
        if self.session is not None:
            self.show_notifications = not self.show_notifications

    @service_worker("unread")
    async def refresh_unread(self) -> None:
        if self.session is None:
            return
        from tui.services import notifications

        self.unread = await notifications.unread_count(self.pool, self.actor)

    def listen_notifications(self) -> None:
        """Live delivery: LISTEN for this user's new notifications (from either app).

        A plain task, not a worker: it never completes, and waiting for the app's workers
        (tests, the quit path) must not wait for it."""
        self._stop_listening()
        if self.session is not None:
            self._listener = asyncio.create_task(self._listen(self.actor.id))

    def _stop_listening(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            self._listener = None

    async def _listen(self, user_id: str) -> None:
        from tui.services import notifications

        assert self.db is not None
        async for notif_id in notifications.listen(self.db.direct_url, user_id):
            if self.session is None or self.actor.id != user_id:
                return
            self.refresh_unread()
            if notif_id:
                self.screen.post_message(NotificationArrived(notif_id))
            await asyncio.sleep(0)

    # ---- navigation ----------------------------------------------------------------------------
    def action_change_password(self) -> None:
        if self.session is None:
            return
        from tui.screens.common.change_password import ChangePasswordScreen

        self.push_screen(ChangePasswordScreen(forced=False))

    def action_open_solicitudes(self) -> None:
        if self.session is None:
            return
        from tui.screens.common.solicitudes import SolicitudesScreen

        self.push_screen(SolicitudesScreen())

    def action_new_solicitud(self) -> None:
        if self.session is None or not model.may_open(self.actor.role, "nueva_solicitud"):
            return
        from tui.screens.instructor.solicitud_form import SolicitudFormScreen

        self.push_screen(SolicitudFormScreen(None))

    def _open(self, module: str, cls: str, area: str, *args: Any) -> None:
        """Push a screen by module name if the user's role may open its area (model.AREAS; the
        services check again; this only avoids offering what would be refused)."""
        if self.session is None or not model.may_open(self.actor.role, area):
            return
        import importlib

        screen_cls = getattr(importlib.import_module(f"tui.screens.{module}"), cls)
        self.push_screen(screen_cls(*args))

    def action_open_review_queue(self) -> None:
        self._open("coordinacion.review_queue", "ReviewQueueScreen", "revision")

    def action_open_informes(self) -> None:
        self._open("coordinacion.informes", "InformesScreen", "informes")

    def action_open_users(self) -> None:
        self._open("admin.users", "UsersScreen", "usuarios")

    def action_open_centros(self) -> None:
        self._open("admin.centros", "CentrosScreen", "centros")

    def action_open_programas(self) -> None:
        self._open("admin.programas", "ProgramasScreen", "programas")

    def action_open_migrations(self) -> None:
        self._open("admin.migrations", "MigrationsScreen", "migraciones")

    def action_open_broadcast(self) -> None:
        self._open("admin.broadcast", "BroadcastScreen", "avisos")

    def action_open_audit(self) -> None:
        self._open("admin.audit", "AuditScreen", "auditoria")

    def action_open_ssh_keys(self) -> None:
        self._open("common.ssh_keys", "SshKeysScreen", "claves_ssh")

    def open_solicitud(self, solicitud_id: str) -> None:
        from tui.screens.common.solicitud_detail import SolicitudDetailScreen

        self.push_screen(SolicitudDetailScreen(solicitud_id))

    # ---- palette -------------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, in Spanish."""
        yield SystemCommand("Tema", "Cambiar los colores (ansi-dark y ansi-light usan los de "
                            "su terminal)", self.action_change_theme)
        yield SystemCommand("Teclas", "Mostrar las teclas disponibles", self.action_help)
        yield SystemCommand("Captura de pantalla", "Guardar la pantalla como SVG",
                            lambda: self.action_screenshot())
        yield SystemCommand("Salir", "Cerrar la aplicación", self.action_quit)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(textual_es.Paleta(id="--command-palette",
                                               placeholder=textual_es.PALETTE_PLACEHOLDER))

    def action_change_theme(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(textual_es.Paleta(providers=[ThemeProvider],
                                           placeholder=textual_es.THEME_PLACEHOLDER))

    def get_key_display(self, binding: Binding) -> str:
        """Key names in Spanish where Textual writes an English word (tui/shell/textual_es.py)."""
        return textual_es.key_display(binding) or super().get_key_display(binding)

    # ---- help ------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tui.screens.common.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, self.focused))


LOG_FILE = "complementarias.log"  # in the data folder, beside the local journals


def log_to_file() -> Path | None:
    """Failures the screens showed as a toast, with their traceback, go to
    `<data>/complementarias.log`: the user reads a Spanish sentence, support reads the cause.
    Every session's process appends to it (one write per record); none rotates it, since
    processes rotating one file race: logrotate does, and the handler reopens the file it
    moved. None when the folder cannot be written (the app runs anyway)."""
    import logging
    from logging.handlers import WatchedFileHandler

    from tui.paths import data_dir

    path = data_dir() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = WatchedFileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("complementarias")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def run_app(db: OpenDatabase | PendingDatabase) -> int:
    log_to_file()
    app = ComplementariasApp(db)
    app.run()
    return app.return_code or 0
