"""tui.services.notifications: the sidebar's list (paging, totals, unread), marking as read,
admin broadcasts, reminders, and live delivery of rows inserted by either app.

Seed notifications (seeds/demo.json): juan has 2 (1 unread), carlos 2 (1 unread), maria 2
(2 unread), patricia 1, andres 1.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta
from typing import Any

import pytest

from tui.services import notifications as nt
from tui.services import transitions as tr
from tui.services.common import Actor, PermissionDenied, ServiceError, refresh_actor
from tui.services.ids import new_id

CARLOS = "carlos.rodriguez@sena.edu.co"
MARIA = "maria.gonzalez@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
PATRICIA = "patricia.gomez@sena.edu.co"
ANDRES = "andres.ramirez@sena.edu.co"
ADMIN = "admin@sena.edu.co"
TICK_BUDGET_S = 60.0  # a tick comes every second; generous for a loaded CI machine


async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def actor(pool: Any, email: str) -> Actor:
    rows = await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', email)
    async with pool.connection() as conn:
        return await refresh_actor(conn, rows[0]["id"])


async def rows_for(pool: Any, user_id: str) -> list[dict[str, Any]]:
    return await sql(pool, """SELECT "id", "tipo"::text AS tipo, "titulo", "mensaje", "leida"
                                FROM public.notificaciones WHERE "usuarioId" = %s
                               ORDER BY "id" """, user_id)


async def insert_like_the_web_app(pool: Any, user_id: str, titulo: str = "Desde la web",
                                  fecha: datetime | None = None) -> str:
    nid = new_id()
    if fecha is None:
        await sql(pool, """INSERT INTO public.notificaciones ("id", "tipo", "titulo", "mensaje",
                                                              "usuarioId")
                           VALUES (%s, 'SISTEMA', %s, 'Mensaje de la web', %s)""",
                  nid, titulo, user_id)
    else:
        await sql(pool, """INSERT INTO public.notificaciones ("id", "tipo", "titulo", "mensaje",
                                                              "usuarioId", "fechaCreada")
                           VALUES (%s, 'SISTEMA', %s, 'Mensaje de la web', %s, %s)""",
                  nid, titulo, user_id, fecha)
    return nid


# ---- the sidebar ---------------------------------------------------------------------------------
async def test_list_for_pages_with_cursor_and_total(pool: Any) -> None:
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    # 25 in one transaction (same fechaCreada: the id breaks ties) and 5 at distinct times.
    assert await nt.broadcast(pool, admin, "Aviso", "Lote", user_ids=[juan.id]) == 1
    for _ in range(24):
        await nt.broadcast(pool, admin, "Aviso", "Lote", user_ids=[juan.id])
    base = datetime(2026, 6, 1, 12, 0, 0)
    for i in range(5):
        await insert_like_the_web_app(pool, juan.id, f"Antigua {i}", base + timedelta(minutes=i))
    expected_total = 2 + 25 + 5
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await nt.list_for(pool, juan, cursor=cursor, limit=7)
        pages += 1
        assert page.total == expected_total
        assert len(page.rows) <= 7
        seen += [n.id for n in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == expected_total
    assert set(seen) == {r["id"] for r in await rows_for(pool, juan.id)}
    # Newest first.
    full = await nt.list_for(pool, juan, limit=100)
    assert [n.id for n in full.rows] == seen and full.next_cursor is None
    keys = [(n.fecha, n.id) for n in full.rows]
    assert keys == sorted(keys, reverse=True)
    assert [n.titulo for n in full.rows[-5:]] == [f"Antigua {i}" for i in (4, 3, 2, 1, 0)]
    # The seed NUEVA_SOLICITUD links to its solicitud.
    linked = [n for n in full.rows if n.tipo == "NUEVA_SOLICITUD"]
    assert {n.solicitud_codigo for n in linked} == {"SOL-2026-002", "SOL-2026-003"}


async def test_list_for_unread_only_and_unread_count(pool: Any) -> None:
    juan, maria = await actor(pool, JUAN), await actor(pool, MARIA)
    assert await nt.unread_count(pool, juan) == 1
    assert await nt.unread_count(pool, maria) == 2
    page = await nt.list_for(pool, juan, solo_no_leidas=True)
    assert page.total == 1 and [n.solicitud_codigo for n in page.rows] == ["SOL-2026-002"]
    assert all(not n.leida for n in page.rows)
    await insert_like_the_web_app(pool, juan.id)
    assert await nt.unread_count(pool, juan) == 2
    assert (await nt.list_for(pool, juan, solo_no_leidas=True)).total == 2
    assert (await nt.list_for(pool, juan)).total == 3


async def test_mark_read_and_mark_all_only_touch_the_owner(pool: Any) -> None:
    juan, maria, carlos = (await actor(pool, JUAN), await actor(pool, MARIA),
                           await actor(pool, CARLOS))
    maria_before = await rows_for(pool, maria.id)
    carlos_before = await rows_for(pool, carlos.id)
    (unread,) = (await nt.list_for(pool, juan, solo_no_leidas=True)).rows
    assert await nt.mark_read(pool, juan, unread.id) is True
    assert await nt.mark_read(pool, juan, unread.id) is False  # already read
    assert await nt.unread_count(pool, juan) == 0
    assert (await nt.get_for(pool, juan, unread.id)).leida is True
    # Someone else's id: refused, untouched.
    m_unread = next(r for r in maria_before if not r["leida"])
    assert await nt.mark_read(pool, juan, m_unread["id"]) is False
    assert await nt.mark_read(pool, juan, "no-existe") is False
    assert await rows_for(pool, maria.id) == maria_before
    # mark_all_read: the caller's only.
    await insert_like_the_web_app(pool, juan.id)
    await insert_like_the_web_app(pool, juan.id)
    assert await nt.mark_all_read(pool, juan) == 2
    assert await nt.mark_all_read(pool, juan) == 0
    assert await rows_for(pool, maria.id) == maria_before
    assert await rows_for(pool, carlos.id) == carlos_before
    assert await nt.mark_all_read(pool, maria) == 2
    assert await nt.unread_count(pool, maria) == 0
    assert await rows_for(pool, carlos.id) == carlos_before


async def test_list_for_bad_cursor(pool: Any) -> None:
    juan = await actor(pool, JUAN)
    with pytest.raises(ServiceError):
        await nt.list_for(pool, juan, cursor="%%%no-es-un-cursor")


# ---- broadcasts --------------------------------------------------------------------------------
async def counts_by_user(pool: Any, tipo: str) -> dict[str, int]:
    rows = await sql(pool, """SELECT u."email", count(n."id") AS n
                                FROM public.users u
                                LEFT JOIN public.notificaciones n
                                       ON n."usuarioId" = u."id" AND n."tipo"::text = %s
                               GROUP BY u."email" """, tipo)
    return {r["email"]: int(r["n"]) for r in rows}


async def test_broadcast_to_a_role_a_centro_and_chosen_users(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    base = await counts_by_user(pool, "SISTEMA")

    def delta(now: dict[str, int]) -> dict[str, int]:
        return {k: v - base[k] for k, v in now.items() if v != base[k]}

    n = await nt.broadcast(pool, admin, "Mantenimiento", "El sistema se detiene el sábado.",
                           role="INSTRUCTOR")
    assert n == 4
    got = delta(await counts_by_user(pool, "SISTEMA"))
    assert got == {CARLOS: 1, MARIA: 1, "ana.torres@sena.edu.co": 1,
                   "luis.herrera@sena.edu.co": 1}
    base = await counts_by_user(pool, "SISTEMA")
    cgao = admin.centro_id
    assert await nt.broadcast(pool, admin, "CGAO", "Reunión de centro.", centro_id=cgao) == 4
    assert delta(await counts_by_user(pool, "SISTEMA")) == {ADMIN: 1, JUAN: 1, CARLOS: 1,
                                                           MARIA: 1}
    base = await counts_by_user(pool, "SISTEMA")
    assert await nt.broadcast(pool, admin, "Coord", "Solo coordinadores de CGAO.",
                              role="COORDINADOR", centro_id=cgao) == 1
    assert delta(await counts_by_user(pool, "SISTEMA")) == {JUAN: 1}
    base = await counts_by_user(pool, "SISTEMA")
    chosen = [(await actor(pool, e)).id for e in (PATRICIA, ANDRES)]
    assert await nt.broadcast(pool, admin, "Hola", "Para ustedes.", user_ids=chosen) == 2
    assert delta(await counts_by_user(pool, "SISTEMA")) == {PATRICIA: 1, ANDRES: 1}
    # The rows: tipo SISTEMA, text as given (trimmed), unread, no solicitud.
    rows = await sql(pool, """SELECT "tipo"::text AS tipo, "titulo", "mensaje", "leida",
                                     "solicitudId" FROM public.notificaciones
                               WHERE "titulo" = 'Hola'""")
    assert rows == [{"tipo": "SISTEMA", "titulo": "Hola", "mensaje": "Para ustedes.",
                     "leida": False, "solicitudId": None}] * 2


async def test_broadcast_skips_inactive_users_and_reaches_all_active_by_default(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    await sql(pool, 'UPDATE public.users SET "isActive" = false WHERE "email" = %s', MARIA)
    maria_id = (await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', MARIA))[0]["id"]
    assert await nt.broadcast(pool, admin, "A todos", "Mensaje general.") == 7
    assert await nt.broadcast(pool, admin, "Inactiva", "No llega.", user_ids=[maria_id]) == 0
    assert not [r for r in await rows_for(pool, maria_id) if r["titulo"] in ("A todos", "Inactiva")]


@pytest.mark.parametrize("titulo,mensaje", [
    ("", "Mensaje"), ("Título", ""), ("   ", "Mensaje"), ("Título", " \n\t "),
    ("T" * (nt.MAX_TITULO + 1), "Mensaje"), ("Título", "M" * (nt.MAX_MENSAJE + 1)),
])
async def test_broadcast_validates_text(pool: Any, titulo: str, mensaje: str) -> None:
    admin = await actor(pool, ADMIN)
    before = await sql(pool, "SELECT count(*) AS n FROM public.notificaciones")
    with pytest.raises(ServiceError) as info:
        await nt.broadcast(pool, admin, titulo, mensaje, role="INSTRUCTOR")
    assert not isinstance(info.value, PermissionDenied)
    assert await sql(pool, "SELECT count(*) AS n FROM public.notificaciones") == before


async def test_broadcast_limits_are_inclusive_and_role_is_checked(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    assert await nt.broadcast(pool, admin, "T" * nt.MAX_TITULO, "M" * nt.MAX_MENSAJE,
                              role="ADMIN") == 1
    with pytest.raises(ServiceError):
        await nt.broadcast(pool, admin, "T", "M", role="SUPERUSER")


# ---- reminders ---------------------------------------------------------------------------------
async def age_seed_pendientes(pool: Any) -> None:
    """The seed dates relative to today (as on 2026-11-29): juan's SOL-2026-002 waits 19 days;
    patricia's 006 5 days and andres's 008 3 days; EN_REVISION 003 does not count."""
    for codigo, days in (("SOL-2026-002", 19), ("SOL-2026-006", 5), ("SOL-2026-008", 3),
                         ("SOL-2026-003", 30)):
        await sql(pool, """UPDATE public.solicitudes
                              SET "fechaSolicitud" = (now() AT TIME ZONE 'UTC')
                                                     - make_interval(days => %s)
                            WHERE "codigo" = %s""", days, codigo)


async def test_remind_once_a_day_per_coordinator_with_old_pendientes(pool: Any) -> None:
    await age_seed_pendientes(pool)
    assert await nt.remind(pool, days=7) == 1
    rows = await sql(pool, """SELECT u."email", n."titulo", n."mensaje"
                                FROM public.notificaciones n
                                JOIN public.users u ON u."id" = n."usuarioId"
                               WHERE n."tipo" = 'RECORDATORIO'""")
    assert [(r["email"], r["titulo"]) for r in rows] == [(JUAN, "Solicitudes pendientes")]
    assert "SOL-2026-002" in rows[0]["mensaje"] and "7" in rows[0]["mensaje"]
    assert await nt.remind(pool, days=7) == 0  # once a day
    assert await nt.remind(pool, days=0) == 2  # patricia and andres now; juan already reminded
    with pytest.raises(ServiceError):
        await nt.remind(pool, days=-1)


async def test_remind_names_the_oldest_pendiente(pool: Any) -> None:
    """The reminder says which pendiente is the oldest: by fecha de solicitud, not by codigo."""
    carlos = await actor(pool, CARLOS)
    prog = (await sql(pool, """SELECT "id" FROM public.programas
                                WHERE "codigo" = 'CF-001-2024'"""))[0]["id"]
    from tui.services import solicitudes as sv
    await age_seed_pendientes(pool)
    d = await sv.create_draft(pool, carlos, {"programaId": prog})  # SOL-2026-010 (> 002)
    # Submitted (by the web app) 28 days ago: it has waited longer than SOL-2026-002 (19).
    await sql(pool, """UPDATE public.solicitudes SET "estado" = 'PENDIENTE',
                              "fechaSolicitud" = (now() AT TIME ZONE 'UTC') - interval '28 days'
                        WHERE "id" = %s""", d.id)
    assert await nt.remind(pool, days=7) == 1
    (row,) = await sql(pool, """SELECT "mensaje" FROM public.notificaciones
                                 WHERE "tipo" = 'RECORDATORIO'""")
    assert "Hay 2 solicitud(es)" in row["mensaje"]
    assert row["mensaje"].endswith(f"La más antigua es {d.codigo}.")


async def test_reminder_and_transition_notifications_show_in_the_sidebar(pool: Any) -> None:
    juan = await actor(pool, JUAN)
    await age_seed_pendientes(pool)
    await nt.remind(pool, days=7)
    sid = (await sql(pool, """SELECT "id" FROM public.solicitudes
                               WHERE "codigo" = 'SOL-2026-002'"""))[0]["id"]
    await tr.take_into_review(pool, juan, sid)
    carlos = await actor(pool, CARLOS)
    top = (await nt.list_for(pool, carlos, limit=1)).rows[0]
    assert (top.tipo, top.solicitud_codigo, top.leida) == ("SOLICITUD_REVISION", "SOL-2026-002",
                                                           False)
    assert (await nt.list_for(pool, juan, limit=1)).rows[0].tipo == "RECORDATORIO"


# ---- live delivery -----------------------------------------------------------------------------
async def test_listen_yields_only_the_users_new_notifications(pool: Any, demo_url: str) -> None:
    juan, maria = await actor(pool, JUAN), await actor(pool, MARIA)
    queue: asyncio.Queue[str] = asyncio.Queue()

    async def consume() -> None:
        async for item in nt.listen(demo_url, juan.id, poll_seconds=1):
            await queue.put(item)

    async def next_id() -> str:
        while True:
            item = await asyncio.wait_for(queue.get(), timeout=TICK_BUDGET_S)
            if item:
                return item

    task = asyncio.create_task(consume())
    try:
        # The first periodic tick proves the LISTEN connection is up.
        assert await asyncio.wait_for(queue.get(), timeout=TICK_BUDGET_S) == ""
        other = await insert_like_the_web_app(pool, maria.id, "Para María")
        mine = await insert_like_the_web_app(pool, juan.id, "Para Juan")
        assert await next_id() == mine
        # A transition's notification arrives too (created by our own service).
        sid = (await sql(pool, """SELECT "id" FROM public.solicitudes
                                   WHERE "codigo" = 'SOL-2026-005'"""))[0]["id"]
        carlos = await actor(pool, CARLOS)
        await tr.cancel(pool, carlos, sid)  # a BORRADOR: nobody is notified
        s2 = (await sql(pool, """SELECT "id" FROM public.solicitudes
                                  WHERE "codigo" = 'SOL-2026-002'"""))[0]["id"]
        await tr.cancel(pool, carlos, s2)  # a PENDIENTE: juan is notified
        new = await next_id()
        row = (await sql(pool, 'SELECT "usuarioId", "solicitudId" FROM public.notificaciones '
                               'WHERE "id" = %s', new))[0]
        assert row == {"usuarioId": juan.id, "solicitudId": s2}
        # Nothing else for juan is pending: María's never came.
        # Another user's row alone: only the periodic tick comes, never its id.
        while not queue.empty():
            assert queue.get_nowait() == ""
        other2 = await insert_like_the_web_app(pool, maria.id, "Otra para María")
        assert await asyncio.wait_for(queue.get(), timeout=TICK_BUDGET_S) == ""
        assert queue.empty()
        assert {other, other2}.isdisjoint({mine, new})
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
