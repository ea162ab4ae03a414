"""Informes: the figures checked against values computed by hand from seeds/demo.json, the
scope rules, the bars, and the screen by keyboard at 80x24 (with SVG snapshots)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from tui.screens.coordinacion.informes import InformesScreen
from tui.services import informes
from tui.services.common import PermissionDenied
from tui.services.validation import ValidationFailed
from tui.widgets.bar_chart import bar

from .conftest import settle, wait_until
from .test_snapshots import session_for

NOW = datetime(2026, 11, 29, 17, 0)  # naive UTC: 12:00 in Bogotá
SIZES = [(80, 24), (120, 36)]


def figures(g: informes.Grupo) -> tuple[str, int, int, int, int, int, int]:
    return (g.codigo, g.total, g.aprobadas, g.rechazadas, g.abiertas, g.aprendices, g.horas)


# ---- figures -----------------------------------------------------------------------------------
async def test_coordinator_figures_match_the_demo_data_by_hand(pool: Any, login_as: Any) -> None:
    """CGAO owns CF-001 and CF-002: SOL-001 (aprobada 01/10), 002 (pendiente 10/11), 003 (en
    revisión 18/11), 004 (rechazada 20/10), 009 (cancelada 28/10); 005 is a draft."""
    juan = await login_as("juan")
    inf = await informes.informe(pool, juan.actor, now=NOW)
    assert (inf.desde, inf.hasta) == (date(2026, 1, 1), date(2026, 11, 29))
    assert inf.por_estado == {"PENDIENTE": 1, "EN_REVISION": 1, "APROBADA": 1,
                              "RECHAZADA": 1, "CANCELADA": 1}
    assert inf.total == 5 and inf.tasa_aprobacion == 50.0
    # first response: 001 4 d 1 h, 003 1 d 16 h 15 min, 004 3 d 1 h
    assert inf.respuesta_promedio_dias == pytest.approx(
        (4 + 1 / 24 + 1 + 16.25 / 24 + 3 + 1 / 24) / 3)
    assert (inf.aprendices_aprobados, inf.horas_aprobadas) == (25, 40)
    # open ones at NOW: 002 waited 19 days, 003 11 days
    assert inf.antiguedad == [("0–2 días", 0), ("3–7 días", 0), ("8–14 días", 1),
                              ("15–30 días", 1), ("más de 30 días", 0)]
    assert [figures(g) for g in inf.por_mes] == [
        ("2026-10", 3, 1, 1, 0, 25, 40), ("2026-11", 2, 0, 0, 2, 0, 0)]
    assert [figures(g) for g in inf.por_centro] == [("CGAO", 5, 1, 1, 2, 25, 40)]
    assert [figures(g) for g in inf.por_instructor] == [
        ("maria.gonzalez@sena.edu.co", 3, 0, 1, 1, 0, 0),
        ("carlos.rodriguez@sena.edu.co", 2, 1, 0, 1, 25, 40)]
    assert [figures(g) for g in inf.por_programa] == [
        ("CF-001-2024", 3, 1, 0, 1, 25, 40), ("CF-002-2024", 2, 0, 1, 1, 0, 0)]
    assert inf.por_centro[0].tasa == 50.0 and inf.por_programa[1].tasa == 0.0


async def test_admin_sees_every_centro_or_one_and_the_range_cuts(pool: Any,
                                                                 login_as: Any) -> None:
    admin = await login_as("admin")
    inf = await informes.informe(pool, admin.actor, now=NOW)
    assert inf.total == 8 and inf.por_estado["PENDIENTE"] == 3
    assert round(inf.tasa_aprobacion or 0, 2) == 66.67
    assert [g.codigo for g in inf.por_centro] == ["CGAO", "CIDM", "CCS"]
    assert [g.clave for g in inf.por_mes] == ["2026-09", "2026-10", "2026-11"]
    # 006 (24/11) and 008 (26/11) waited 5 and 3 days
    assert dict(inf.antiguedad)["3–7 días"] == 2
    cidm = next(g.clave for g in inf.por_centro if g.codigo == "CIDM")
    one = await informes.informe(pool, admin.actor, centro_id=cidm, now=NOW)
    assert one.total == 2 and [g.codigo for g in one.por_centro] == ["CIDM"]
    # October only, both ends included (Bogotá dates)
    october = await informes.informe(pool, admin.actor, date(2026, 10, 1),
                                     date(2026, 10, 31), now=NOW)
    assert october.total == 3
    assert sorted(october.por_estado.items()) == sorted(
        {"PENDIENTE": 0, "EN_REVISION": 0, "APROBADA": 1, "RECHAZADA": 1,
         "CANCELADA": 1}.items())
    top1 = await informes.informe(pool, admin.actor, now=NOW, top=1)
    assert [len(top1.por_mes), len(top1.por_instructor)] == [1, 1]
    assert top1.por_mes[0].clave == "2026-11"  # the latest month


async def test_scope_is_enforced(pool: Any, login_as: Any) -> None:
    carlos, juan, admin = [await login_as(w) for w in ("carlos", "juan", "admin")]
    with pytest.raises(PermissionDenied):
        await informes.informe(pool, carlos.actor, now=NOW)
    other = next(g.clave for g in (await informes.informe(pool, admin.actor, now=NOW))
                 .por_centro if g.codigo != "CGAO")
    with pytest.raises(PermissionDenied):
        await informes.informe(pool, juan.actor, centro_id=other, now=NOW)


async def test_wrong_range_names_the_field(pool: Any, login_as: Any) -> None:
    juan = await login_as("juan")
    with pytest.raises(ValidationFailed) as err:
        await informes.informe(pool, juan.actor, date(2026, 5, 1), date(2026, 4, 1), now=NOW)
    assert err.value.errors[0].field == "hasta"
    assert "Hasta" in err.value.errors[0].message


def test_bars_scale_and_never_hide_small_values() -> None:
    assert bar(10, 10, 8) == "█" * 8
    assert bar(5, 10, 8) == "█" * 4
    assert bar(1, 1000, 8) == "▏"  # a sliver, not nothing
    assert bar(0, 10, 8) == "" and bar(3, 0, 8) == ""
    assert bar(3, 8, 8) == "███"


# ---- screen ------------------------------------------------------------------------------------
@pytest.fixture
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(InformesScreen, "now", staticmethod(lambda: NOW))


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_informes(app: Any, pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, InformesScreen)
                     and text(app, "#informes-status").startswith("Del "))


async def test_coordinator_reads_the_report_and_changes_dates_by_keyboard(
        make_app: Any, login_as: Any, pinned_clock: None) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_informes(app, pilot)
        assert text(app, "#informes-resumen").startswith("5 solicitudes · aprobación 50 %")
        assert "Pendiente" in text(app, "#informes-estado")
        assert "oct 2026" in text(app, "#informes-mes")
        table = app.screen.query_one("#informes-centro", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:3] == ["CGAO", "5", "1"]
        assert not app.screen.query_one("#informes-centro-filter").display

        await pilot.press("d", "ctrl+u", *"31/13/2026", "enter", "ctrl+s")
        await wait_until(pilot, lambda: text(app, "#informes-status").startswith("Desde:"))
        assert app.screen.query_one("#informes-desde", Input).value == "31/13/2026"
        assert app.focused is app.screen.query_one("#informes-desde")
        await pilot.press("ctrl+u", *"01/11/2026", "enter")
        assert app.focused is app.screen.query_one("#informes-hasta")
        await pilot.press("ctrl+u", *"30/11/2026", "enter")
        await wait_until(pilot, lambda: text(app, "#informes-status").startswith(
            "Del 01/11/2026 al 30/11/2026"))
        assert text(app, "#informes-resumen").startswith("2 solicitudes")
        await pilot.press("j", "j")
        assert app.screen.query_one("#informes-body").scroll_y == 2


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
@pytest.mark.parametrize("who", ["juan", "admin"])
def test_informes_snapshot(snap_compare: Any, make_app: Any, demo_url: str, who: str,
                           size: tuple[int, int], pinned_clock: None) -> None:
    app = make_app(session_for(demo_url, who))

    async def run_before(pilot: Any) -> None:
        await open_informes(app, pilot)
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
