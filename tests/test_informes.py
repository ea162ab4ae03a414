"""Informes: the figures checked against values computed by hand from seeds/demo.json, the
scope rules, the bars, and the screen by keyboard at 80x24 (with SVG snapshots)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from tui.screens.coordinacion.informes import InformesScreen
from tui.services import informes, model
from tui.services.common import PermissionDenied
from tui.services.tz import BOGOTA
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


# ---- free ranges of days against the rows themselves -----------------------------------------
def _expected(rows: list[dict[str, Any]], desde: date, hasta: date, centro: str | None,
              now: datetime, top: int) -> dict[str, Any]:
    """The informe computed in Python from the solicitudes themselves (its definition): the
    Bogotá dates [desde, hasta], drafts left out, `centro` the scope (None: every centro)."""
    def local(t: datetime) -> date:
        return t.replace(tzinfo=UTC).astimezone(BOGOTA).date()

    sel = [r for r in rows if desde <= local(r["fecha"]) <= hasta
           and centro in (None, r["centro_id"])]

    def figures(rs: list[dict[str, Any]]) -> dict[str, int]:
        ok = [r for r in rs if r["estado"] == model.APROBADA]
        return dict(total=len(rs), aprobadas=len(ok),
                    rechazadas=sum(r["estado"] == model.RECHAZADA for r in rs),
                    abiertas=sum(r["estado"] in model.OPEN for r in rs),
                    aprendices=sum(r["aprendices"] for r in ok),
                    horas=sum(r["horas"] for r in ok))

    def breakdown(key: str, codigo: str, nombre: str, orden: str) -> list[dict[str, Any]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for r in sel:
            groups.setdefault(r[key], []).append(r)
        totals = sorted((len(g) for g in groups.values()), reverse=True)
        cut = totals[top - 1] if len(totals) >= top else 0  # rank() <= top: ties included
        kept = sorted((g for g in groups.values() if len(g) >= cut),
                      key=lambda g: (-len(g), g[0][orden], g[0][key]))[:top]
        return [dict(clave=g[0][key], codigo=g[0][codigo], nombre=g[0][nombre], **figures(g))
                for g in kept]

    meses: dict[str, list[dict[str, Any]]] = {}
    for r in sel:
        meses.setdefault(f"{local(r['fecha']):%Y-%m}", []).append(r)
    respuestas = [(r["respuesta"] - r["fecha"]).total_seconds() / 86400 for r in sel
                  if r["respuesta"] is not None]
    abiertas = [(now - r["fecha"]).total_seconds() / 86400 for r in sel
                if r["estado"] in model.OPEN]
    limites = [(0, 3), (3, 8), (8, 15), (15, 31), (31, 10**9)]
    return dict(
        desde=desde, hasta=hasta, centro_id=centro,
        por_estado={e: sum(r["estado"] == e for r in sel) for e in model.SENT},
        respuesta_promedio_dias=sum(respuestas) / len(respuestas) if respuestas else None,
        aprendices_aprobados=figures(sel)["aprendices"], horas_aprobadas=figures(sel)["horas"],
        antiguedad=[(label, sum(a <= d < b for d in abiertas))
                    for (_k, label), (a, b) in zip(informes.ANTIGUEDAD, limites, strict=True)],
        por_mes=[dict(clave=m, codigo=m, nombre=m, **figures(meses[m]))
                 for m in sorted(meses)[-top:]],
        por_centro=breakdown("centro_id", "centro_codigo", "centro_nombre", "centro_codigo"),
        por_instructor=breakdown("instructor_id", "email", "name", "name"),
        por_programa=breakdown("programa_id", "programa_codigo", "programa_nombre",
                               "programa_codigo"))


async def test_free_ranges_of_days_equal_the_rows_themselves(pool: Any, login_as: Any,
                                                            demo_url: str) -> None:
    """Ranges of days that are not whole years (inside a month, across month and year ends,
    whole months between partial ones, one whole month) for an admin over every centro, an
    admin over one centro and a coordinador: every figure equals the one computed from the
    solicitudes themselves (whole months read the monthly summary, partial ones their rows),
    with the default top and with a top that cuts through ties."""
    from dataclasses import asdict

    from tui.services.common import refresh_actor
    from tui.synthetic.generator import load_synthetic

    load_synthetic(demo_url, 1500, centros=3, instructores=40, programas=12, vacuum=False)
    admin = (await login_as("admin")).actor
    async with pool.connection() as conn:
        cur = await conn.execute(
            'SELECT s."estado"::text AS estado, s."fechaSolicitud" AS fecha, '
            'coalesce(s."fechaRevision", s."fechaAprobacion") AS respuesta, '
            's."numeroAprendicesInscribir" AS aprendices, s."duracionMaxima" AS horas, '
            's."instructorId" AS instructor_id, u."email", u."name", '
            's."programaId" AS programa_id, p."codigo" AS programa_codigo, '
            'p."nombre" AS programa_nombre, p."centroId" AS centro_id, '
            'c."codigo" AS centro_codigo, c."nombre" AS centro_nombre '
            "FROM public.solicitudes s "
            'JOIN public.programas p ON p."id" = s."programaId" '
            'JOIN public.centros c ON c."id" = p."centroId" '
            'JOIN public.users u ON u."id" = s."instructorId" '
            'WHERE s."estado" <> %s', (model.BORRADOR,))
        rows = await cur.fetchall()
        busiest = max({r["centro_id"] for r in rows},
                      key=lambda c: sum(r["centro_id"] == c for r in rows))
        cur = await conn.execute(
            'SELECT "id" FROM public.users WHERE "role" = %s AND "centroId" = %s '
            'AND "isActive" ORDER BY "id" LIMIT 1', ("COORDINADOR", busiest))
        coordinador = await refresh_actor(conn, (await cur.fetchone())["id"])
    year = max(r["fecha"].year for r in rows) - 1  # a whole year of data, and the next one
    # a centro with no solicitud in the ranges below (a demo one): empty figures, no failure
    vacio = next(c for c in {r["centro_id"] for r in rows}
                 if not any(r["centro_id"] == c
                            and datetime(year - 1, 7, 1) <= r["fecha"] < datetime(year + 1, 3, 2)
                            for r in rows))
    now = datetime(year + 1, 1, 20, 17)
    ranges = [(date(year, 3, 10), date(year, 3, 24)),  # inside a month
              (date(year, 11, 20), date(year + 1, 2, 28)),  # 3 months and 10 days, a new year
              (date(year, 5, 1), date(year, 6, 15)),  # a whole month and half of the next
              (date(year, 12, 31), date(year + 1, 1, 1)),  # two days across the year's end
              (date(year, 2, 1), date(year, 2, 28)),  # one whole month
              (date(year - 1, 7, 16), date(year + 1, 1, 15))]  # whole months between halves
    checked = 0
    for actor, centro_id, centro in ((admin, None, None), (admin, busiest, busiest),
                                     (coordinador, None, busiest), (admin, vacio, vacio)):
        for desde, hasta in ranges:
            for top in (informes.TOP, 2):
                got = asdict(await informes.informe(pool, actor, desde, hasta, centro_id,
                                                    now=now, top=top))
                want = _expected(rows, desde, hasta, centro, now, top)
                rg, rw = got.pop("respuesta_promedio_dias"), want.pop("respuesta_promedio_dias")
                assert got == want, (actor.role, centro_id, desde, hasta, top)
                assert (rg is None and rw is None) or rg == pytest.approx(rw)
                checked += bool(want["por_instructor"])
    assert checked >= 30  # the ranges are not empty
