"""Migraciones (admins): which are applied, who holds the lock; apply or roll back the last.

Everything goes through tui.services.migrations_admin, which checks the admin role in the
database, takes the migration lock and audits each migration in its own transaction.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tui.screens.common.base import MainScreen
from tui.screens.common.confirm import Confirmed, ConfirmScreen
from tui.services import migrations_admin as migrations
from tui.uikit import keymap
from tui.uikit.formatting import fecha_hora
from tui.uikit.workers import service_worker
from tui.widgets.table import Table


class MigrationsScreen(MainScreen):
    """Migraciones de la base de datos."""

    HELP = keymap.HELP["MigrationsScreen"]
    BINDINGS = keymap.BINDINGS["MigrationsScreen"]

    def __init__(self) -> None:
        super().__init__()
        self.infos: list[migrations.MigrationInfo] = []
        self.busy = False

    def compose_body(self) -> ComposeResult:
        yield Static("Migraciones de la base de datos", classes="admin-heading")
        yield Static("", id="migrations-lock", markup=False)
        yield Static("", id="migrations-result", markup=False)
        yield Table(id="migrations-table", classes="admin-table", cursor_type="row")
        yield Static("", id="migrations-status", classes="admin-status", markup=False)

    def on_mount(self) -> None:
        table = self.query_one("#migrations-table", DataTable)
        table.add_column("Migración", width=32)
        table.add_column("Aplicada", width=18)
        table.focus()
        self.load()

    def refresh_data(self) -> None:
        if not self.busy:
            self.load()

    @property
    def url(self) -> str:
        db = self.app.db
        assert db is not None  # opened after the login, which waits for the database
        return db.require_direct()

    def _call(self) -> tuple[Any, Any, str]:
        """What every service call takes: the pool, the acting user, the database URL."""
        app = self.app
        return app.pool, app.actor, self.url

    def _status(self, text: str) -> None:
        self.query_one("#migrations-status", Static).update(text)

    # ---- workers ---------------------------------------------------------------------------------
    @service_worker("migrations-status", on_error=lambda screen, exc: screen._failed(exc))
    async def load(self) -> None:
        self._status("Consultando…")
        infos, holder = await migrations.status(*self._call())
        self._show(infos, holder)

    @service_worker("migrations-run", on_error=lambda screen, exc: screen._failed(exc))
    async def run(self, what: str) -> None:
        """Apply the pending migrations, or roll back the last applied one."""
        self._busy(True, "Aplicando…" if what == "apply" else "Revirtiendo…")
        try:
            done = await (migrations.apply(*self._call()) if what == "apply" else
                          migrations.rollback(*self._call(), 1))
            self._done(what, done)
        finally:
            self._busy(False, "")
            self.load()

    # ---- back on the UI thread -----------------------------------------------------------------
    def _show(self, infos: list[migrations.MigrationInfo], holder: str | None) -> None:
        self.infos = infos
        table = self.query_one("#migrations-table", DataTable)
        table.clear()
        for m in infos:
            table.add_row(m.id, fecha_hora(m.applied_at) if m.applied else "pendiente", key=m.id)
        self.query_one("#migrations-lock", Static).update(
            f"Bloqueo: {holder} (otra ejecución está migrando)" if holder else
            "Bloqueo: libre")
        applied = sum(1 for m in infos if m.applied)
        self._status(f"{len(infos)} migraciones: {applied} aplicadas, "
                     f"{len(infos) - applied} pendientes.")

    def _busy(self, busy: bool, text: str) -> None:
        self.busy = busy
        if text:
            self._status(text)
        self.refresh_bindings()

    def _result(self, text: str, ok: bool) -> None:
        """The last action's outcome stays on screen (the status line is rewritten on load)."""
        result = self.query_one("#migrations-result", Static)
        result.update(text)
        result.set_class(not ok, "-failed")

    def _failed(self, exc: BaseException) -> bool:
        """A migration's own error is shown with its title; any other gets the usual toast."""
        if isinstance(exc, migrations.MigrationError):
            self.app.notify(str(exc), title="Migraciones", severity="error", timeout=12,
                            markup=False)
            self._result(f"No se completó: {exc}", ok=False)
            return True
        self._result("No se completó; vea el mensaje de error.", ok=False)
        return False

    def _done(self, what: str, done: list[str]) -> None:
        if what == "apply":
            text = f"Aplicadas: {', '.join(done)}." if done else \
                "No había migraciones pendientes."
        else:
            text = f"Revertida: {', '.join(done)}." if done else "No había nada que revertir."
        self.app.notify(text, title="Migraciones", markup=False)
        self._result(text, ok=True)

    # ---- keys --------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply", "rollback") and self.busy:
            return None
        return True

    def action_apply(self) -> None:
        pending = [m.id for m in self.infos if not m.applied]
        question = (f"Se aplicarán {len(pending)} migraciones pendientes: {', '.join(pending)}."
                    if pending else "No se ven migraciones pendientes; se comprobará de "
                    "nuevo en la base de datos.") + " Cada una es una transacción completa."

        def confirmed(ok: Confirmed | None) -> None:
            if ok:
                self.run("apply")

        self.app.push_screen(ConfirmScreen("Aplicar migraciones", question,
                                           confirm_label="Aplicar"), confirmed)

    def action_rollback(self) -> None:
        applied = [m.id for m in self.infos if m.applied]
        if not applied:
            self.app.notify("No hay migraciones aplicadas que revertir.", title="Migraciones")
            return
        last = applied[-1]
        question = (f"ATENCIÓN: se revertirá {last}, la última aplicada. Revertir puede "
                    "eliminar tablas, columnas o índices y los datos que contienen, y la "
                    "aplicación puede dejar de funcionar hasta que se vuelva a aplicar.")
        if last == migrations.BASELINE:
            question += " La migración base no se revierte si la base de datos tiene datos."
        self.app.push_screen(
            ConfirmScreen("Revertir migración", question, confirm_label="Revertir",
                          value_label=f"Para confirmar, escriba {last}"),
            lambda ok: self._rollback_confirmed(ok, last))

    def _rollback_confirmed(self, confirmed: Confirmed | None, last: str) -> None:
        if confirmed is None:
            return
        if confirmed.value != last:
            self.app.notify(f"No escribió {last}: no se revirtió nada.", title="Migraciones",
                            severity="warning", markup=False)
            return
        self.run("rollback")

    def action_reload(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cursor_down(self) -> None:
        self.query_one("#migrations-table", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#migrations-table", DataTable).action_cursor_up()
