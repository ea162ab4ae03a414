"""Inicio: what matters now for the logged-in user, by role."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tui.screens.common.base import MainScreen
from tui.services import model, programas, reports, solicitudes
from tui.services.solicitudes import ESTADO_LABEL
from tui.uikit import keymap
from tui.uikit.formatting import fecha, inert, literal, short
from tui.uikit.workers import service_worker
from tui.widgets.dashboard_tiles import DashboardTiles
from tui.widgets.estado_tiles import EstadoTiles
from tui.widgets.table import Table


class HomeScreen(MainScreen):
    """Inicio."""

    HELP = keymap.HELP["HomeScreen"]
    BINDINGS = keymap.BINDINGS["HomeScreen"]

    def compose_body(self) -> ComposeResult:
        yield EstadoTiles(id="home-tiles")
        if self.app.actor.role != "INSTRUCTOR":
            yield DashboardTiles(id="home-dashboard")
        yield Static("Solicitudes recientes", classes="section-title", id="home-recent-title")
        yield Table(id="home-recent", cursor_type="row", zebra_stripes=False)
        yield Static("", classes="section-title", id="home-programas-title")
        yield Static("", id="home-programas", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#home-recent", DataTable)
        table.add_columns("Código", "Estado", "Programa", "Empresa", "Fecha")
        table.focus()
        self.refresh_data()

    def palette_commands(self) -> list[tuple[str, str, Any]]:
        return [("Ir a solicitudes", "Lista completa con filtros", self.action_list)]

    def refresh_data(self) -> None:
        self.load()

    @service_worker("home")
    async def load(self) -> None:
        app = self.app
        actor = app.actor
        counts = await solicitudes.counts(app.pool, actor)
        if actor.role == "INSTRUCTOR":
            recent = (await solicitudes.list_page(app.pool, actor, limit=6)).rows
            progs = await programas.programas_para_solicitud(app.pool, actor)
            dash = None
        else:
            recent = (await solicitudes.review_queue(app.pool, actor, limit=6)).rows
            progs = None
            dash = await reports.dashboard(app.pool, actor)
        if not self.is_attached:  # replaced (a new session, F3) while the queries ran
            return
        self.query_one(EstadoTiles).update_counts(counts)
        if dash is not None:
            self.query_one(DashboardTiles).update_dashboard(dash)
        self._fill_recent(recent, actor.role != "INSTRUCTOR")
        if progs is not None:
            self.query_one("#home-programas-title", Static).update(
                f"Programas activos de su centro ({len(progs)})")
            self.query_one("#home-programas", Static).update(
                "\n".join(inert(f"{p.codigo}  {p.nombre}  ({p.duracion_horas} h, "
                                f"{p.modalidad.title()})") for p in progs[:8]) or "Ninguno.")

    def _fill_recent(self, rows: list[dict[str, Any]], queue: bool) -> None:
        self.query_one("#home-recent-title", Static).update(
            "Por revisar (las más antiguas primero)" if queue else "Solicitudes recientes")
        table = self.query_one("#home-recent", DataTable)
        table.clear()
        for r in rows:
            table.add_row(literal(r["codigo"]), ESTADO_LABEL[r["estado"]],
                          literal(short(r["programa_nombre"], 22)),
                          literal(short(r["nombreEmpresa"] or "—", 14)),
                          fecha(r["fechaSolicitud"], local=True), key=r["id"])

    @on(DataTable.RowSelected, "#home-recent")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_solicitud(event.row_key.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = getattr(self.app, "session", None)
        role = session.actor.role if session is not None else None
        area = {"new": "nueva_solicitud", "review": "revision", "users": "usuarios",
                "programas": "programas", "informes": "informes"}.get(action)
        return area is None or model.may_open(role, area)

    def action_review(self) -> None:
        self.app.action_open_review_queue()

    def action_users(self) -> None:
        self.app.action_open_users()

    def action_informes(self) -> None:
        self.app.action_open_informes()

    def action_programas(self) -> None:
        self.app.action_open_programas()

    def action_profile(self) -> None:
        from tui.screens.common.profile import open_profile

        open_profile(self.app)

    def action_new(self) -> None:
        self.app.action_new_solicitud()

    def action_list(self) -> None:
        self.app.action_open_solicitudes()

    def action_cursor_down(self) -> None:
        self.query_one("#home-recent", DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#home-recent", DataTable).action_cursor_up()
