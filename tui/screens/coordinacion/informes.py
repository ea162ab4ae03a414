"""Informes: a range of fechas de solicitud over the coordinator's centro (admins: all centros
or one), as figures, bars and tables; everything is computed in SQL (services/informes.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from tui.screens.admin.admin_list import centro_options
from tui.screens.common.base import MainScreen
from tui.services import informes
from tui.services.common import utcnow
from tui.services.informes import Grupo, Informe
from tui.services.model import APROBADA, ESTADO_LABEL
from tui.uikit import keymap
from tui.uikit.errors import describe
from tui.uikit.formatting import literal, short
from tui.uikit.workers import service_worker
from tui.widgets.bar_chart import BarChart
from tui.widgets.form_model import fecha_text, parse_fecha
from tui.widgets.table import Table

TABLES = (("centro", "Por centro", "Centro"), ("instructor", "Por instructor", "Instructor"),
          ("programa", "Por programa", "Programa"))


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def dias(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " días"


def mes_label(clave: str) -> str:
    year, month = clave.split("-")
    meses = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
    return f"{meses[int(month) - 1]} {year}"


class InformesScreen(MainScreen):
    """Informes."""

    HELP = keymap.HELP["InformesScreen"]
    BINDINGS = keymap.BINDINGS["InformesScreen"]
    now: Callable[[], datetime] = staticmethod(utcnow)
    """The clock of the default range and of the waiting times (tests pin it)."""

    def compose_body(self) -> ComposeResult:
        desde, hasta = informes.default_range(self.now())
        with Horizontal(id="informes-filters"):
            yield Label("Desde", classes="informes-label")
            yield Input(fecha_text(desde), id="informes-desde", compact=True, max_length=10)
            yield Label("Hasta", classes="informes-label")
            yield Input(fecha_text(hasta), id="informes-hasta", compact=True, max_length=10)
            yield Select([], prompt="Todos los centros", id="informes-centro-filter", compact=True)
        yield Static("Cargando…", id="informes-resumen", markup=False)
        with VerticalScroll(id="informes-body", can_focus=True):
            with Horizontal(id="informes-pair"):
                with Vertical():
                    yield Static("Por estado", classes="informes-title")
                    yield BarChart(id="informes-estado")
                with Vertical():
                    yield Static("Espera de las abiertas", classes="informes-title")
                    yield BarChart(id="informes-espera", empty="Ninguna abierta.")
            yield Static("Por mes (solicitudes enviadas)", classes="informes-title")
            yield BarChart(id="informes-mes")
            for key, title, _col in TABLES:
                yield Static(title, classes="informes-title")
                yield Table(id=f"informes-{key}", cursor_type="row", zebra_stripes=False,
                                classes="informes-table")
        yield Static("", id="informes-status", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        app = self.app
        role = app.actor.role
        self.query_one("#informes-centro-filter", Select).display = role == "ADMIN"
        for key, _title, column in TABLES:
            self.query_one(f"#informes-{key}", DataTable).add_columns(
                column, "Total", "Aprob.", "Rech.", "Abiertas", "Tasa", "Aprendices", "Horas")
        self.query_one("#informes-body").focus()
        if role == "ADMIN":
            self.load_centros()
        self.load()

    @service_worker("informes-centros", error="No se pudo cargar la lista de centros.")
    async def load_centros(self) -> None:
        options = await centro_options(self.app)
        self.query_one("#informes-centro-filter", Select).set_options(options)

    # ---- data ----------------------------------------------------------------------------------
    def _range(self) -> tuple[date | None, date | None] | None:
        """The typed dates, or None after naming the wrong field (its text is kept)."""
        out: list[date | None] = []
        for widget, label in (("informes-desde", "Desde"), ("informes-hasta", "Hasta")):
            try:
                out.append(parse_fecha(self.query_one(f"#{widget}", Input).value))
            except ValueError as exc:
                self._problem(f"{label}: {exc}.", widget)
                return None
        return out[0], out[1]

    def _problem(self, message: str, widget: str | None = None) -> None:
        status = self.query_one("#informes-status", Static)
        status.update(message)
        status.add_class("-error")
        if widget:
            self.query_one(f"#{widget}", Input).focus()

    def refresh_data(self) -> None:
        self.load()

    @service_worker("informes", on_error=lambda screen, exc: screen._problem(describe(exc)[1]))
    async def load(self) -> None:
        dates = self._range()
        if dates is None:
            return
        app = self.app
        value = self.query_one("#informes-centro-filter", Select).value
        centro = None if value is Select.NULL else str(value)
        status = self.query_one("#informes-status", Static)
        status.remove_class("-error")
        status.update("Calculando…")
        informe = await informes.informe(app.pool, app.actor, dates[0], dates[1], centro,
                                         now=self.now())  # a failure keeps the dates typed
        self.show(informe)

    def show(self, inf: Informe) -> None:
        app = self.app
        total = inf.total
        self.query_one("#informes-resumen", Static).update(
            f"{total} solicitud{'es' if total != 1 else ''} · aprobación "
            f"{pct(inf.tasa_aprobacion)} · respuesta media {dias(inf.respuesta_promedio_dias)}"
            f"\nAprobadas: {inf.por_estado[APROBADA]} · aprendices {inf.aprendices_aprobados}"
            f" · horas {inf.horas_aprobadas}")
        self.query_one("#informes-estado", BarChart).set_rows([
            (ESTADO_LABEL[e], n, f"{n} · {pct(100 * n / total if total else None)}")
            for e, n in inf.por_estado.items()])
        self.query_one("#informes-espera", BarChart).set_rows(
            [(label, n, str(n)) for label, n in inf.antiguedad])
        self.query_one("#informes-mes", BarChart).set_rows([
            (mes_label(g.clave), g.total, f"{g.total} · {g.aprobadas} aprob.")
            for g in inf.por_mes])
        for key, _title, _col in TABLES:
            self._fill(key, getattr(inf, f"por_{key}"))
        self.query_one("#informes-status", Static).update(
            f"Del {fecha_text(inf.desde)} al {fecha_text(inf.hasta)} · d cambia las fechas"
            + (" · c el centro" if app.actor.role == "ADMIN" else ""))

    def _fill(self, key: str, rows: list[Grupo]) -> None:
        table = self.query_one(f"#informes-{key}", DataTable)
        table.clear()
        for g in rows:
            name = {"centro": g.codigo, "instructor": short(g.nombre, 28),
                    "programa": short(f"{g.codigo} {g.nombre}", 32)}[key]
            table.add_row(literal(name), g.total, g.aprobadas, g.rechazadas, g.abiertas,
                          pct(g.tasa), g.aprendices, g.horas, key=g.clave)

    # ---- keys ----------------------------------------------------------------------------------
    @on(Input.Submitted, "#informes-desde")
    def _desde_done(self) -> None:
        self.query_one("#informes-hasta", Input).focus()

    @on(Input.Submitted, "#informes-hasta")
    def action_apply(self) -> None:
        self.load()
        self.query_one("#informes-body").focus()

    @on(Select.Changed, "#informes-centro-filter")
    def _centro(self) -> None:
        self.load()

    def action_edit_dates(self) -> None:
        self.query_one("#informes-desde", Input).focus()

    def action_filter_centro(self) -> None:
        app = self.app
        if app.actor.role != "ADMIN":
            return
        select = self.query_one("#informes-centro-filter", Select)
        select.focus()
        select.action_show_overlay()

    def action_reload(self) -> None:
        self.load()

    def action_scroll(self, lines: int) -> None:
        body = self.query_one("#informes-body", VerticalScroll)
        if lines > 0:
            body.action_scroll_down()
        else:
            body.action_scroll_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter_centro":
            session = getattr(self.app, "session", None)
            return session is not None and session.actor.role == "ADMIN"
        return True
