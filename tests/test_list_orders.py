"""The orders of the list screens, read in SQL over the whole list: every order of every list
service pages with its keyset cursor (sort key, then id) across page boundaries with ties, in
both directions, and gives the same rows as one query of the whole list in that order; on
screen, `o` cycles the orders, the status line names the order, and the order is kept across
reloads, filters and searches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.widgets import Input, Select, Static

from tui.screens.admin import admin_list
from tui.screens.admin.audit import AuditScreen
from tui.screens.admin.centros import CentrosScreen
from tui.screens.admin.programas import ProgramasScreen
from tui.screens.admin.users import UsersScreen
from tui.screens.common import solicitudes as solicitudes_screen
from tui.screens.common.list_screen import ListScreen
from tui.screens.common.solicitudes import SolicitudesScreen
from tui.screens.coordinacion import review_queue as queue_screen
from tui.services import audit, centros, programas, solicitudes, users
from tui.services.common import Page, ServiceError
from tui.services.solicitudes import Filtros

from .conftest import settle, wait_until

SIZE = (80, 24)
TIE = "2026-03-03 10:00:00"


async def sql(pool: Any, query: str, *params: Any) -> list[Any]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return [next(iter(r.values())) for r in await cur.fetchall()] if cur.description else []


def ident(row: Any) -> str:
    return str(row["id"] if isinstance(row, dict) else row.id)


async def check_order(fetch: Callable[[str | None], Awaitable[Page[Any]]],
                      expected: list[str]) -> None:
    """Paged forwards: the whole list in the expected order, each row once; then back
    through the pages (what PgUp does: an earlier cursor again): each page again."""
    got: list[str] = []
    pages: list[tuple[str | None, int]] = []  # (cursor, rows before it)
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        pages.append((cursor, len(got)))
        got += [ident(r) for r in page.rows]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert got == expected
    assert len(pages) > 2  # several page boundaries were crossed
    for cursor, before in reversed(pages):
        again = [ident(r) for r in (await fetch(cursor)).rows]
        assert again and again == expected[before:before + len(again)]


@pytest.mark.parametrize("who,centro", [("admin", None), ("admin", "CGAO"), ("juan", None)])
async def test_solicitudes_orders_page_with_ties_both_ways(pool: Any, login_as: Any, who: str,
                                                           centro: str | None) -> None:
    """Every centro or one (a coordinador's, an admin's centro filter: read by other paths)."""
    actor = (await login_as(who)).actor
    centro_id = actor.centro_id if who == "juan" else \
        (await sql(pool, 'SELECT "id" FROM public.centros WHERE "codigo" = %s', centro))[0] \
        if centro else None
    # five solicitudes created at the same instant: only the id orders them
    await sql(pool, 'UPDATE public.solicitudes SET "createdAt" = %s WHERE "codigo" IN '
              "('SOL-2026-001', 'SOL-2026-002', 'SOL-2026-003', 'SOL-2026-004', "
              "'SOL-2026-006')", TIE)
    assert list(solicitudes.ORDENES) == ["recientes", "antiguas"]
    visible = "s.\"estado\" <> 'BORRADOR'"
    in_centro = 'AND p."centroId" = %s' if centro_id else ""
    for orden, direction in (("recientes", "DESC"), ("antiguas", "ASC")):
        expected = await sql(pool, 'SELECT s."id" FROM public.solicitudes s JOIN public.programas'
                             f' p ON p."id" = s."programaId" WHERE {visible} {in_centro} '
                             f'ORDER BY s."createdAt" {direction}, s."id" {direction}',
                             *([centro_id] if centro_id else []))

        async def fetch(cursor: str | None, orden: str = orden) -> Page[Any]:
            filtros = Filtros(orden=orden, centro_id=centro_id if who == "admin" else None)
            return await solicitudes.list_page(pool, actor, filtros, cursor, 2)

        await check_order(fetch, expected)
    # the default is the first order; an unknown one is refused in Spanish
    first = await solicitudes.list_page(pool, actor, Filtros(), None, 50)
    newest = await solicitudes.list_page(pool, actor, Filtros(orden="recientes"), None, 50)
    assert first.rows == newest.rows
    with pytest.raises(ServiceError, match="Orden"):
        await solicitudes.list_page(pool, actor, Filtros(orden="estado"), None, 2)


async def test_a_search_keeps_its_ranking_whatever_the_order(pool: Any, login_as: Any) -> None:
    juan = (await login_as("juan")).actor
    exact = await solicitudes.list_page(pool, juan, Filtros(texto="SOL-2026-002",
                                                            orden="antiguas"))
    assert [r["codigo"] for r in exact.rows] == ["SOL-2026-002"]
    # a search reads newest first (after its exact matches) in either order
    a = await solicitudes.list_page(pool, juan, Filtros(texto="sol", orden="antiguas"))
    b = await solicitudes.list_page(pool, juan, Filtros(texto="sol", orden="recientes"))
    assert [r["id"] for r in a.rows] == [r["id"] for r in b.rows]
    assert [r["createdAt"] for r in a.rows] == sorted((r["createdAt"] for r in a.rows),
                                                      reverse=True)


async def test_review_queue_orders_page_with_ties_both_ways(pool: Any,
                                                            login_as: Any) -> None:
    admin = (await login_as("admin")).actor
    await sql(pool, 'UPDATE public.solicitudes SET "fechaSolicitud" = %s '
              "WHERE \"estado\" IN ('PENDIENTE', 'EN_REVISION') AND \"codigo\" <> "
              "'SOL-2026-002'", TIE)
    assert list(solicitudes.ORDENES_COLA) == ["antiguas", "recientes"]
    for orden, direction in (("antiguas", "ASC"), ("recientes", "DESC")):
        expected = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "estado" IN '
                             "('PENDIENTE', 'EN_REVISION') "
                             f'ORDER BY "fechaSolicitud" {direction}, "id" {direction}')
        assert len(expected) >= 4

        async def fetch(cursor: str | None, orden: str = orden) -> Page[Any]:
            return await solicitudes.review_queue(pool, admin, cursor=cursor, limit=1,
                                                  orden=orden)

        await check_order(fetch, expected)


ADMIN_LISTS: list[tuple[Any, dict[str, str], str]] = [
    (users.list_users, {"nombre": '"name"', "correo": '"email"'}, "public.users"),
    (centros.list_centros, {"nombre": '"nombre"', "codigo": '"codigo"'}, "public.centros"),
    (programas.list_programas, {"nombre": '"nombre"', "codigo": '"codigo"'},
     "public.programas"),
]


@pytest.mark.parametrize("service,orders,table", ADMIN_LISTS,
                         ids=["usuarios", "centros", "programas"])
async def test_admin_list_orders_page_in_sql_order(pool: Any, login_as: Any, service: Any,
                                                   orders: dict[str, str], table: str) -> None:
    admin = (await login_as("admin")).actor
    # two rows with the same name: the id breaks the tie
    column = orders["nombre"]
    await sql(pool, f"UPDATE {table} SET {column} = 'Ñandú igual' WHERE \"id\" IN "
              f"(SELECT \"id\" FROM {table} ORDER BY \"id\" LIMIT 2)")
    for orden, key in orders.items():
        expected = await sql(pool, f'SELECT "id" FROM {table} ORDER BY {key}, "id"')

        async def fetch(cursor: str | None, orden: str = orden) -> Page[Any]:
            return await service(pool, admin, cursor=cursor, limit=1, orden=orden)

        await check_order(fetch, expected)


async def test_audit_orders_page_with_ties_both_ways(pool: Any, login_as: Any) -> None:
    admin = (await login_as("admin")).actor
    await sql(pool, "INSERT INTO complementarias.audit (at, action, target, detail) "
              "SELECT %s::timestamptz, 'export', 'lista ' || n, '{}'::jsonb "
              "FROM generate_series(1, 5) n", TIE + "+00")
    for orden, direction in (("recientes", "DESC"), ("antiguas", "ASC")):
        expected = [str(i) for i in await sql(
            pool, f"SELECT id FROM complementarias.audit ORDER BY at {direction}, "
                  f"id {direction}")]

        async def fetch(cursor: str | None, orden: str = orden) -> Page[Any]:
            return await audit.search(pool, admin, cursor=cursor, limit=2, orden=orden)

        await check_order(fetch, expected)


# ---- on screen -----------------------------------------------------------------------------------
def status(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def ids(app: Any) -> list[str]:
    return [ident(r) for r in app.screen.rows]


async def test_solicitudes_sort_is_sql_and_survives_search_filter_reload(
        make_app: Any, login_as: Any, pool: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(solicitudes_screen, "PAGE", 2)
    session = await login_as("admin")
    oldest = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "estado" <> '
                       "'BORRADOR' ORDER BY \"createdAt\", \"id\"")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: "Mostrando" in status(app, "#list-status"))
        assert "Orden: más recientes" in status(app, "#list-status")
        assert ids(app) == oldest[::-1][:2]
        await pilot.press("o")
        await wait_until(pilot, lambda: "Orden: más antiguas" in status(app, "#list-status"))
        assert ids(app) == oldest[:2]  # the oldest of the whole list, not of the page
        await pilot.press("pagedown")
        await wait_until(pilot, lambda: "página 2" in status(app, "#list-status"))
        assert ids(app) == oldest[2:4]
        await pilot.press("pageup")
        await wait_until(pilot, lambda: "página 1" in status(app, "#list-status"))
        assert ids(app) == oldest[:2]
        await pilot.press("r")
        await wait_until(pilot, lambda: "Orden: más antiguas" in status(app, "#list-status"))
        assert ids(app) == oldest[:2]
        screen = app.screen
        assert isinstance(screen, SolicitudesScreen)
        screen.search("sol")  # a search ranks its matches, and says so
        await wait_until(pilot, lambda: "exactas primero" in status(app, "#list-status"))
        screen.search("")  # cleared: the chosen order again
        await wait_until(pilot, lambda: "Orden: más antiguas" in status(app, "#list-status"))
        assert ids(app) == oldest[:2]
        screen.query_one("#filter-estado", Select).value = "APROBADA"
        await wait_until(pilot, lambda: screen.filtros.estado == "APROBADA"
                         and "Orden: más antiguas" in status(app, "#list-status"))
        aprobadas = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "estado" = '
                              "'APROBADA' ORDER BY \"createdAt\", \"id\"")
        assert ids(app) == aprobadas[:2]
        await pilot.press("o")  # the last order goes back to the first
        await wait_until(pilot, lambda: "Orden: más recientes" in status(app, "#list-status"))
        assert ids(app) == aprobadas[::-1][:2]
        await pilot.press("o")
        await wait_until(pilot, lambda: "Orden: más antiguas" in status(app, "#list-status"))
        await pilot.press("escape")  # left, then opened again: in the order last chosen
        await wait_until(pilot, lambda: not isinstance(app.screen, SolicitudesScreen))
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: "Mostrando" in status(app, "#list-status"))
        assert "Orden: más antiguas" in status(app, "#list-status")
        assert ids(app) == oldest[:2]
        app.logout_now()  # the next session starts from the default order
        await settle(pilot)
        app.start_session(await login_as("admin"))
        await settle(pilot)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: isinstance(app.screen, SolicitudesScreen)
                         and "Mostrando" in status(app, "#list-status"))
        assert "Orden: más recientes" in status(app, "#list-status")


async def test_review_queue_sort(make_app: Any, login_as: Any, pool: Any,
                                 monkeypatch: Any) -> None:
    monkeypatch.setattr(queue_screen, "PAGE", 2)
    session = await login_as("admin")
    queue = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "estado" IN '
                      "('PENDIENTE', 'EN_REVISION') ORDER BY \"fechaSolicitud\", \"id\"")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_review_queue()
        await wait_until(pilot, lambda: "por revisar" in status(app, "#queue-status"))
        assert "Orden: más antiguas" in status(app, "#queue-status")
        assert ids(app) == queue[:2]
        await pilot.press("o")
        await wait_until(pilot, lambda: "Orden: más recientes" in status(app, "#queue-status"))
        assert ids(app) == queue[::-1][:2]
        await pilot.press("r")
        await wait_until(pilot, lambda: "Orden: más recientes" in status(app, "#queue-status"))
        assert ids(app) == queue[::-1][:2]


SCREENS = [
    ("action_open_users", UsersScreen, "users", 'SELECT "id" FROM public.users ORDER BY '),
    ("action_open_centros", CentrosScreen, "centros",
     'SELECT "id" FROM public.centros ORDER BY '),
    ("action_open_programas", ProgramasScreen, "programas",
     'SELECT "id" FROM public.programas ORDER BY '),
    ("action_open_audit", AuditScreen, "audit",
     "SELECT id::text FROM complementarias.audit ORDER BY "),
]
KEYS = {"nombre": {"users": '"name", "id"'}, "correo": {"users": '"email", "id"'},
        "codigo": {"centros": '"codigo", "id"', "programas": '"codigo", "id"'},
        "recientes": {"audit": "at DESC, id DESC"}, "antiguas": {"audit": "at, id"}}


@pytest.mark.parametrize("action,screen_class,prefix,query", SCREENS,
                         ids=[s[2] for s in SCREENS])
async def test_admin_screens_cycle_their_orders(make_app: Any, login_as: Any, pool: Any,
                                                monkeypatch: Any, action: str,
                                                screen_class: type[ListScreen], prefix: str,
                                                query: str) -> None:
    monkeypatch.setattr(admin_list, "PAGE", 3)
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        getattr(app, action)()
        await wait_until(pilot, lambda: "Mostrando" in status(app, f"#{prefix}-status"))
        assert isinstance(app.screen, screen_class)
        orders = list(screen_class.ORDERS)
        assert len(orders) == 2
        for orden in [*orders[1:], orders[0]]:
            await pilot.press("o")
            label = f"Orden: {screen_class.ORDERS[orden]}"
            await wait_until(pilot, lambda label=label: label in status(app, f"#{prefix}-status"))
            key = KEYS.get(orden, {}).get(prefix, '"nombre", "id"')
            assert ids(app) == (await sql(pool, query + key))[:3], orden
        await pilot.press("slash")  # a search keeps the order
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen.filters.get("texto") == "a")
        assert f"Orden: {screen_class.ORDERS[orders[0]]}" in status(app, f"#{prefix}-status")


async def test_ctrl_u_edits_the_search_box_and_pages_the_table(
        make_app: Any, login_as: Any, pool: Any, monkeypatch: Any) -> None:
    """Ctrl+U clears the text before the cursor in the search box (as in every text field);
    in the table, Ctrl+F and Ctrl+U page like PgDn and PgUp."""
    monkeypatch.setattr(solicitudes_screen, "PAGE", 2)
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_solicitudes()
        await wait_until(pilot, lambda: "página 1" in status(app, "#list-status"))
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: "página 2" in status(app, "#list-status"))
        assert "página 2" in status(app, "#list-status")
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: "página 1" in status(app, "#list-status"))
        assert "página 1" in status(app, "#list-status")
        await pilot.press("slash", *"excel")
        box = app.screen.query_one("#filter-text", Input)
        await wait_until(pilot, lambda: box.value == "excel")
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: box.value == "")
        assert box.value == "" and box.has_focus
        assert "página 1" in status(app, "#list-status")
