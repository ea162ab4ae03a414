"""The frame of every main screen: header, body, notification sidebar, footer."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen

from tui.uikit import keymap
from tui.uikit.app_context import ShellApp
from tui.uikit.messages import NotificationArrived
from tui.widgets.app_header import AppHeader
from tui.widgets.lean_footer import LeanFooter
from tui.widgets.notification_sidebar import NotificationSidebar


class MainScreen(Screen[None]):
    """Pantallas principales.

    A screen with the app's header, the notification sidebar and the footer."""

    app: ShellApp  # the running app, typed (tui.uikit.app_context)

    BINDINGS = keymap.BINDINGS["MainScreen"]

    def action_escape_back(self) -> None:
        """Escape on a screen without a binding of its own for it: from a search or filter
        field, back to the screen's table; otherwise back to the screen below (the home
        screen stays: nothing is below it). A binding, not a key handler, so an inner layer
        with its own Escape (an open Select list, a dialog) closes first and alone."""
        from textual.widgets import DataTable, Input

        tables = self.query(DataTable)
        if isinstance(self.focused, Input) and tables:
            tables.first().focus()
        elif len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler (Screen._on_screen_resume), which applies the
        stylesheet again to every widget of a screen that resumes. The first resume comes
        right after the screen was composed and its widgets styled as they mounted, so
        that pass is skipped: on the solicitud form (~250 widgets) it was ~6 % of the CPU of
        opening it. Later resumes (a dialog closed, back from another screen) keep it.
        tests/test_textual_internals.py checks the flag Textual reads."""
        if not self._resumed:
            event.refresh_styles = False
            self._resumed = True

    def compose(self) -> ComposeResult:
        yield AppHeader(id="app-header")
        with Horizontal(id="main-row"):
            with Vertical(id="main-body"):
                yield from self.compose_body()
            yield NotificationSidebar(id="sidebar")
        yield LeanFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "show_notifications", self._toggle_sidebar)

    def _toggle_sidebar(self, show: bool) -> None:
        sidebar = self.query_one(NotificationSidebar)
        sidebar.display = show
        if show:
            sidebar.reload()
            sidebar.query_one("#sidebar-list").focus()
        elif sidebar.has_focus_within:
            self.focus_next()

    def on_notification_arrived(self, message: NotificationArrived) -> None:
        sidebar = self.query_one(NotificationSidebar)
        if sidebar.display:
            sidebar.reload()
        sidebar.announce(message.notification_id)
        self.refresh_data()

    def refresh_data(self) -> None:
        """Reload what the screen shows (after a notification or an action elsewhere)."""

    _suspended = False

    def on_screen_suspend(self) -> None:
        self._suspended = True

    def on_screen_resume(self) -> None:
        """Back from another screen: what it did may have changed our data."""
        if self._suspended:
            self._suspended = False
            # After the screens above are gone: F3 pops several screens in one go, and one
            # that is resumed and popped at once must not reload.
            self.call_after_refresh(self._refresh_if_current)

    def _refresh_if_current(self) -> None:
        if self.is_current and getattr(self.app, "session", None) is not None:
            self.refresh_data()  # (not while logging out)
