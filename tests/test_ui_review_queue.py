"""Cola de revisión at 80x24 by keyboard: order, urgency, search, paging, the centro filter,
approving through the dialog, the loser of a race, and who may open it.

Demo data: the CGAO queue is SOL-2026-002 (PENDIENTE, sent 2026-11-10) and SOL-2026-003
(EN_REVISION, sent 2026-11-18); CIDM has 006 (PENDIENTE), CCS has 008 (PENDIENTE).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual.widgets import DataTable, Input, Select, Static

from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.home import HomeScreen
from tui.screens.coordinacion import review_queue
from tui.screens.coordinacion.review_queue import ReviewQueueScreen
from tui.services import transitions
from tui.services.common import refresh_actor

from .conftest import settle, wait_until
from .ui_wait import until

SENT = {"SOL-2026-002": datetime(2026, 11, 10, 13, 20),
        "SOL-2026-003": datetime(2026, 11, 18, 16, 45)}


def status(app: Any) -> str:
    return str(app.screen.query_one("#queue-status", Static).render())


def codigos(app: Any) -> list[str]:
    table = app.screen.query_one("#queue-table", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def urgent(codigo: str) -> bool:
    now = datetime.now(UTC).replace(tzinfo=None)
    return now - SENT[codigo] > timedelta(days=7)


async def open_queue(app: Any, pilot: Any) -> ReviewQueueScreen:
    await settle(pilot)
    app.action_open_review_queue()
    await wait_until(pilot, lambda: "revisar" in status(app))
    assert isinstance(app.screen, ReviewQueueScreen)
    return app.screen


async def wait_for_dialog(app: Any, pilot: Any, ready: Any = lambda s: True) -> ConfirmScreen:
    """Pause until the action's dialog is up. Not `wait_until`: it ends by waiting for every
    worker, and the action's worker is awaiting this very dialog."""
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and ready(app.screen))
    return app.screen


async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def test_oldest_first_with_age_and_urgency(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(app, pilot)
        assert codigos(app) == ["SOL-2026-002", "SOL-2026-003"]
        table = screen.query_one("#queue-table", DataTable)
        assert [str(c.label) for c in table.ordered_columns] == [
            "Código", "Estado", "Días", "Programa", "Instructor", "Empresa"]
        for i, codigo in enumerate(codigos(app)):
            assert ("urgente" in str(table.get_row_at(i)[2])) == urgent(codigo)
        n = sum(urgent(c) for c in SENT)
        assert status(app).startswith(f"2 por revisar · {n} urgente")
        assert table.virtual_size.width <= table.size.width, "nothing scrolls sideways"


async def test_approve_through_the_dialog_removes_the_row(make_app: Any, login_as: Any,
                                                          pool: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("a")  # the cursor is on SOL-2026-002, the oldest
        dialog = await wait_for_dialog(app, pilot, lambda d: d.query_one(
            "#confirm-value", Input).value.startswith("2026"))
        proposed = dialog.query_one("#confirm-value", Input).value
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen)
                         and codigos(app) == ["SOL-2026-003"])
        assert codigos(app) == ["SOL-2026-003"]
        assert status(app).startswith("1 por revisar")
        rows = await sql(pool, 'SELECT "estado"::text AS e, "numeroFicha" FROM '
                         "public.solicitudes WHERE \"codigo\" = 'SOL-2026-002'")
        assert rows == [{"e": "APROBADA", "numeroFicha": proposed}]


async def test_the_loser_of_a_race_sees_the_message_and_the_fresh_list(
        make_app: Any, login_as: Any, pool: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("x")  # reject SOL-2026-002 …
        dialog = await wait_for_dialog(app, pilot)
        # … while the admin approves it first
        admin = await sql(pool, "SELECT \"id\" FROM public.users WHERE \"role\" = 'ADMIN'")
        sol = await sql(pool, "SELECT \"id\" FROM public.solicitudes WHERE \"codigo\" = "
                        "'SOL-2026-002'")
        async with pool.connection() as conn:
            actor = await refresh_actor(conn, admin[0]["id"])
        await transitions.approve(pool, actor, sol[0]["id"])
        dialog.query_one("#confirm-comment").text = "Faltan datos de la empresa"
        await pilot.press("ctrl+s")
        error = dialog.query_one("#confirm-error", Static)
        await until(pilot, lambda: "Procesando" not in str(error.render()))
        assert app.screen is dialog, "the refusal is shown in the dialog, text kept"
        assert str(error.render()), "the service's refusal is shown"
        assert dialog.query_one("#confirm-comment").text == "Faltan datos de la empresa"
        await pilot.press("escape")  # something was typed: asked first
        await until(pilot, lambda: app.screen is not dialog)
        await pilot.press("enter")  # "Descartar y cerrar"
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen)
                         and codigos(app) == ["SOL-2026-003"])
        assert codigos(app) == ["SOL-2026-003"]
        rows = await sql(pool, 'SELECT "estado"::text AS e FROM public.solicitudes '
                         "WHERE \"codigo\" = 'SOL-2026-002'")
        assert rows == [{"e": "APROBADA"}], "the first decision stands"


async def test_user_text_is_shown_literally(make_app: Any, login_as: Any, pool: Any) -> None:
    await sql(pool, 'UPDATE public.solicitudes SET "nombreEmpresa" = %s '
              "WHERE \"codigo\" = 'SOL-2026-002'", "[b]X[/b]")
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(app, pilot)
        cell = screen.query_one("#queue-table", DataTable).get_row_at(0)[5]
        assert str(cell) == "[b]X[/b]"


async def test_search_with_debounce(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#queue-text", Input)
        for ch in "excel":
            await pilot.press(ch)
        await wait_until(pilot, lambda: codigos(app) == ["SOL-2026-003"])
        assert codigos(app) == ["SOL-2026-003"]  # Excel Básico para Gestión Empresarial
        assert status(app).startswith("1 por revisar")
        await pilot.press("enter")  # back to the table
        assert app.focused is app.screen.query_one("#queue-table", DataTable)
        app.screen.query_one("#queue-text", Input).value = "no existe"
        await wait_until(pilot, lambda: status(app).startswith("Nada"))
        assert status(app) == "Nada por revisar con esa búsqueda."


async def test_keyset_paging_keeps_the_total(make_app: Any, login_as: Any,
                                             monkeypatch: Any) -> None:
    monkeypatch.setattr(review_queue, "PAGE", 1)
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(app, pilot)
        assert codigos(app) == ["SOL-2026-002"]
        assert "2 por revisar" in status(app) and "1–1 · página 1 (AvPág)" in status(app)
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: codigos(app) == ["SOL-2026-003"])
        assert "2 por revisar" in status(app) and "2–2 · página 2 (RePág)" in status(app)
        await pilot.press("pagedown")  # no further page
        await settle(pilot)
        assert codigos(app) == ["SOL-2026-003"]
        await pilot.press("pageup")
        await wait_until(pilot, lambda: codigos(app) == ["SOL-2026-002"])
        assert "página 1" in status(app)


async def test_admin_sees_every_centro_and_filters_by_one(make_app: Any, login_as: Any,
                                                          pool: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(app, pilot)
        assert codigos(app) == ["SOL-2026-002", "SOL-2026-003", "SOL-2026-006",
                                "SOL-2026-008"]
        select = screen.query_one("#queue-centro", Select)
        await wait_until(pilot, lambda: len(select._options) > 3)
        cidm = await sql(pool, "SELECT \"id\" FROM public.centros WHERE \"codigo\" = 'CIDM'")
        select.value = cidm[0]["id"]
        await wait_until(pilot, lambda: codigos(app) == ["SOL-2026-006"])
        assert status(app).startswith("1 por revisar")
        select.clear()
        await wait_until(pilot, lambda: len(codigos(app)) == 4)


async def test_coordinator_has_no_centro_filter(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_queue(app, pilot)
        assert not screen.query("#queue-centro")
        assert screen.check_action("filter_centro", ()) is False


async def test_instructor_cannot_open_the_queue(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_open_review_queue()
        await pilot.press("r")  # the home's key is not offered to instructors either
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        # Pushed anyway, the service refuses and the list stays empty.
        app.push_screen(ReviewQueueScreen())
        await settle(pilot)
        assert codigos(app) == []
        assert status(app) == "No se pudo cargar la cola."
        assert any(n.title == "Sin permiso" for n in app._notifications)


async def test_coordinator_home_shows_the_dashboard(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(app.screen.query_one("#home-dashboard", Static).render())
        assert "Pendientes 1" in text and "En revisión 1" in text
        assert "Tasa de aprobación 50 %" in text and "Aprendices 25" in text
        assert "Horas 40" in text


async def test_instructor_home_has_no_dashboard(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("carlos"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#home-dashboard")
