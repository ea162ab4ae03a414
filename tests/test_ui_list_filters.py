"""«Más filtros» on the all-solicitudes list and the broadcast to chosen users, by keyboard at
80x24 on the demo data, checked against what the services return."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.widgets import DataTable, Input, SelectionList, Static

from tui.screens.admin.broadcast import BroadcastScreen
from tui.screens.admin.user_picker import UserPickerScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.list_filters import ListFilters, ListFiltersScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.screens.instructor.programa_picker import ProgramaPickerScreen
from tui.services import notifications, solicitudes
from tui.services.solicitudes import Filtros

from .conftest import settle, wait_until
from .test_ui_admin import fill, text, until

SIZE = (80, 24)


def codigos(app: Any) -> list[str]:
    table = app.screen.query_one("#list-table", DataTable)
    return sorted(str(table.get_row_at(i)[0]) for i in range(table.row_count))


def shown(app: Any) -> list[str]:
    """The first name (lowercased) of each user the picker lists."""
    options = app.screen.query_one("#user-picker-options", SelectionList)
    return [str(options.get_option_at_index(i).prompt).split()[0].lower()
            for i in range(options.option_count)]


async def open_list(app: Any, pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("l")
    await wait_until(pilot, lambda: isinstance(app.screen, SolicitudesScreen)
                     and "Mostrando" in text(app, "#list-status"))


async def expected(pool: Any, session: Any, **filters: Any) -> list[str]:
    page = await solicitudes.list_page(pool, session.actor, Filtros(**filters), None, 100)
    return sorted(r["codigo"] for r in page.rows)


async def test_programa_instructor_and_dates_filter_the_list(make_app: Any, login_as: Any,
                                                             pool: Any) -> None:
    juan = await login_as("juan")
    app = make_app(juan)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        everything = codigos(app)
        assert not app.screen.query_one("#list-active", Static).display

        # programa, through the picker (typed search, Enter chooses)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProgramaPickerScreen))
        await pilot.press(*"excel")
        await until(pilot, lambda: "1 programa" in text(app, "#picker-status"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        await settle(pilot)
        excel = app.screen.filtros.programa_id
        assert excel is not None
        want = await expected(pool, juan, programa_id=excel)
        assert codigos(app) == want and 0 < len(want) < len(everything)
        assert text(app, "#list-active") == "Filtros: programa: CF-001-2024"

        # instructor (single choice), then a wrong date: the field is named, nothing is lost
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await pilot.press("tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, UserPickerScreen))
        await pilot.press(*"carlos")
        await until(pilot, lambda: text(app, "#user-picker-status").startswith("1 usuario"))
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await pilot.press("tab")
        await pilot.press(*"31/02/2026", "ctrl+s")
        await until(pilot, lambda: "Desde: 31/02/2026 no es una fecha del calendario"
                    in text(app, "#lf-error"))
        assert isinstance(app.screen, ListFiltersScreen)
        assert app.screen.query_one("#lf-desde", Input).value == "31/02/2026"
        fill(app, lf_desde="20/11/2026", lf_hasta="10/11/2026")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Hasta: no puede ser anterior a Desde" in
                    text(app, "#lf-error"))
        fill(app, lf_hasta="")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        await settle(pilot)
        f = app.screen.filtros
        assert (f.desde, f.hasta) == (date(2026, 11, 20), None)
        want = await expected(pool, juan, programa_id=excel, instructor_id=f.instructor_id,
                              desde=date(2026, 11, 20))
        assert codigos(app) == want
        assert text(app, "#list-active") == ("Filtros: programa: CF-001-2024 · instructor: "
                                             "Carlos Rodríguez Pérez · desde 20/11/2026")

        # Limpiar removes them all
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        app.screen.query_one("#lf-clear").press()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        await settle(pilot)
        assert codigos(app) == everything
        assert not app.screen.query_one("#list-active", Static).display


async def test_instructor_sees_no_instructor_or_centro_filter(make_app: Any,
                                                              login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        assert not app.screen.query("#lf-instructor") and not app.screen.query("#lf-centro")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))


async def test_admin_filters_by_centro(make_app: Any, login_as: Any, pool: Any) -> None:
    admin = await login_as("admin")
    app = make_app(admin)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await until(pilot, lambda: len(app.screen.query_one("#lf-centro")._options) > 1)
        select = app.screen.query_one("#lf-centro")
        other = next(v for _label, v in select._options[1:]
                     if v != admin.actor.centro_id)
        select.value = other
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        await settle(pilot)
        assert codigos(app) == await expected(pool, admin, centro_id=other)
        assert "centro:" in text(app, "#list-active")


def test_summary_names_every_active_filter() -> None:
    f = Filtros(programa_id="p", instructor_id="i", centro_id="c", desde=date(2026, 1, 2),
                hasta=date(2026, 3, 4))
    labels = {"programa_id": "CF-1", "instructor_id": "Ana", "centro_id": "CGAO"}
    assert ListFilters(f, labels).summary() == (
        "programa: CF-1 · instructor: Ana · centro: CGAO · desde 02/01/2026 · hasta 04/03/2026")
    assert ListFilters(Filtros(estado="PENDIENTE")).summary() == ""


async def test_broadcast_to_chosen_users_reaches_only_them(make_app: Any, login_as: Any,
                                                           pool: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_broadcast()
        await wait_until(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        fill(app, broadcast_titulo="Reunión", broadcast_mensaje="Mañana a las 9.")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, UserPickerScreen))
        await until(pilot, lambda: "usuarios" in text(app, "#user-picker-status"))
        for name in ("carlos", "juan"):
            app.screen.query_one("#user-picker-search", Input).value = name
            await until(pilot, lambda name=name: shown(app) == [name])
            await pilot.press("down", "space")
            await pilot.press("shift+tab")
        assert "2 elegidos" in text(app, "#user-picker-status")
        options = app.screen.query_one("#user-picker-options", SelectionList)
        assert len(options.selected) == 1  # juan's row, shown now; carlos is kept
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        assert text(app, "#broadcast-dest") == (
            "Destino: 2 usuarios elegidos: Carlos Rodríguez Pérez, Juan Martínez Silva.")
        assert app.screen.query_one("#broadcast-role").disabled
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "a 2 usuarios" in str(app.screen.query_one(".dialog-note", Static).render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        await wait_until(pilot, lambda: "Enviado a 2 usuarios" in text(app, "#broadcast-status"))
    for who, gets in (("carlos", True), ("juan", True), ("maria", False)):
        session = await login_as(who)
        page = await notifications.list_for(pool, session.actor)
        assert any(n.titulo == "Reunión" for n in page.rows) is gets, who


async def test_f3_from_a_detail_opened_in_the_list_goes_home(make_app: Any,
                                                             login_as: Any) -> None:
    """Popping the detail resumes the list, which reloads; the list is popped at once too:
    its reload must not run on a screen that is gone."""
    from tui.screens.common.home import HomeScreen
    from tui.screens.common.solicitud_detail import SolicitudDetailScreen

    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SolicitudDetailScreen))
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.is_running


async def test_palette_offers_more_filters_and_the_list_export(make_app: Any,
                                                               login_as: Any) -> None:
    from tui.screens.common.export_dialog import ExportDialog

    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot)
        commands = {label: run for label, _help, run in app.screen.palette_commands()}
        assert {"Más filtros", "Exportar lista"} <= set(commands)
        app.call_later(commands["Exportar lista"])  # as the palette runs it: in the app's loop
        await until(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, SolicitudesScreen))
        await settle(pilot)
        app.call_later(commands["Más filtros"])
        await until(pilot, lambda: isinstance(app.screen, ListFiltersScreen))
        await settle(pilot)
        assert app.screen.query_one("#lf-programa")
