"""The synthetic data set (`seed --synthetic`): valid under every rule the services enforce.

Loaded on top of the demo data (so numbering must continue after existing rows), at a small
size; then read and changed through the real services.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tui.db.pool import make_pool
from tui.services import auth, numbering, transitions
from tui.services import solicitudes as sv
from tui.services.common import bogota_year
from tui.services.solicitudes import form_values
from tui.services.validation import validate_submit
from tui.synthetic import generator, worker
from tui.synthetic.generator import SYNTHETIC_PASSWORD, load_synthetic

N = 2000
POST_APPLY = Path(__file__).resolve().parent.parent / "sql" / "migrations" / "post-apply.sql"


@pytest.fixture
def synthetic(demo_url: str) -> tuple[str, Any]:
    report = load_synthetic(demo_url, N, centros=8, instructores=200, programas=40)
    return demo_url, report


@pytest.fixture
async def spool(synthetic: tuple[str, Any]) -> AsyncIterator[Any]:
    p = make_pool(synthetic[0], min_size=1, max_size=4)
    await p.open(wait=True)
    try:
        yield p
    finally:
        await p.close()


def rows(url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC") as c:
        return c.execute(query, params or None).fetchall()


def test_sizes_shape_and_estados(synthetic: tuple[str, Any]) -> None:
    url, report = synthetic
    assert report.counts["solicitudes"] == N
    assert report.counts["centros"] == 8 and report.counts["programas"] == 40
    tag = report.tag
    assert rows(url, 'SELECT count(*) FROM public.solicitudes WHERE "id" LIKE %s',
                f"c{tag}%")[0][0] == N
    estados = {r[0] for r in rows(url, 'SELECT DISTINCT "estado"::text FROM public.solicitudes')}
    assert estados == {"BORRADOR", "PENDIENTE", "EN_REVISION", "APROBADA", "RECHAZADA",
                       "CANCELADA"}
    years = {r[0] for r in rows(url, """SELECT DISTINCT extract(year FROM "createdAt")::int
                                          FROM public.solicitudes""")}
    assert set(range(2021, bogota_year() + 1)) <= years
    # 4..30 horarios each, dated ones on their own weekday, every id cuid-shaped.
    per = rows(url, """SELECT min(n), max(n) FROM (SELECT count(*) n FROM
                         public.horarios_detallados GROUP BY "solicitudId") x""")[0]
    assert per[0] >= 4 and per[1] <= 30
    assert rows(url, """SELECT count(*) FROM public.solicitudes s WHERE NOT EXISTS
                        (SELECT 1 FROM public.horarios_detallados h
                          WHERE h."solicitudId" = s."id")""")[0][0] == 0
    wrong = rows(url, """SELECT count(*) FROM public.horarios_detallados
                          WHERE "fecha" IS NOT NULL AND "diaSemana"::text <> (ARRAY['LUNES',
                          'MARTES','MIERCOLES','JUEVES','VIERNES','SABADO','DOMINGO'])
                          [extract(isodow FROM "fecha")::int]""")
    assert wrong[0][0] == 0
    ids = rows(url, """SELECT "id" FROM public.solicitudes UNION ALL SELECT "id" FROM
                       public.horarios_detallados UNION ALL SELECT "id" FROM public.users""")
    assert all(re.fullmatch(r"c[0-9a-z]{24}", r[0]) for r in ids if r[0].startswith(f"c{tag}"))
    # Approved ones (and only they) carry a ficha; notifications and history exist.
    bad = rows(url, """SELECT count(*) FROM public.solicitudes
                        WHERE ("estado" = 'APROBADA') <> ("numeroFicha" IS NOT NULL)""")
    assert bad[0][0] == 0
    assert report.counts["notificaciones"] > N and report.counts["historial"] >= N


def test_counters_match_the_highest_numbers(synthetic: tuple[str, Any]) -> None:
    url, _ = synthetic
    counters = dict(((k, y), last) for k, y, last in rows(
        url, "SELECT kind, year, last FROM complementarias.counters"))
    codigos = rows(url, """SELECT substring("codigo" FROM 5 FOR 4)::int,
                                  max(substring("codigo" FROM 10)::int), count(*),
                                  count(DISTINCT "codigo")
                             FROM public.solicitudes GROUP BY 1""")
    assert codigos
    for year, highest, n, distinct in codigos:
        assert n == distinct and counters[("codigo", year)] == highest
    fichas = rows(url, """SELECT left("numeroFicha", 4)::int, max(substring("numeroFicha"
                            FROM 5)::int) FROM public.solicitudes
                           WHERE "numeroFicha" IS NOT NULL GROUP BY 1""")
    assert fichas
    for year, highest in fichas:
        assert counters[("ficha", year)] == highest


def test_cx_indexes_are_back_after_the_load(synthetic: tuple[str, Any]) -> None:
    url, _ = synthetic
    declared = set(re.findall(r'CREATE INDEX IF NOT EXISTS "(cx_\w+)"', POST_APPLY.read_text()))
    present = {r[0] for r in rows(url, """SELECT indexname FROM pg_indexes
                                          WHERE schemaname = 'public'
                                            AND indexname LIKE 'cx%%'""")}
    assert declared and present == declared
    assert rows(url, """SELECT count(*) FROM pg_trigger
                         WHERE tgname = 'cx_notificaciones_notify'""")[0][0] == 1


async def test_services_accept_the_synthetic_rows(synthetic: tuple[str, Any], spool: Any) -> None:
    url, report = synthetic
    # A synthetic instructor logs in with the documented password and sees valid solicitudes.
    inst_email, = rows(url, """SELECT u."email" FROM public.users u JOIN public.solicitudes s
                                 ON s."instructorId" = u."id" WHERE s."estado" = 'PENDIENTE'
                                  AND u."email" LIKE %s
                                ORDER BY s."createdAt" DESC LIMIT 1""", f"%.{report.tag}@%")[0]
    session = await auth.login(spool, inst_email, SYNTHETIC_PASSWORD)
    me = session.actor
    page = await sv.list_page(spool, me)
    assert page.rows
    checked = 0
    for row in page.rows[:20]:
        sol = await sv.get(spool, me, row["id"])
        if sol.estado != "BORRADOR":
            assert validate_submit(form_values(sol.data), list(sol.horarios)) == []
            assert sol.historial, sol.codigo
            checked += 1
    assert checked
    # Its coordinator approves a PENDIENTE one: the ficha continues after the synthetic ones.
    pendiente = next(r for r in page.rows if r["estado"] == "PENDIENTE")
    coord_email, = rows(url, """SELECT c."email" FROM public.users c JOIN public.programas p
                                  ON p."centroId" = c."centroId" JOIN public.solicitudes s
                                  ON s."programaId" = p."id"
                                 WHERE s."id" = %s AND c."role" = 'COORDINADOR' LIMIT 1""",
                        pendiente["id"])[0]
    coord = (await auth.login(spool, coord_email, SYNTHETIC_PASSWORD)).actor
    year = bogota_year()
    before = rows(url, """SELECT last FROM complementarias.counters
                           WHERE kind = 'ficha' AND year = %s""", year)[0][0]
    approved = await transitions.approve(spool, coord, pendiente["id"])
    assert approved.data["numeroFicha"] == numbering.format_ficha(year, before + 1)
    # A new draft gets the codigo after the highest synthetic one of the year.
    last_codigo = rows(url, """SELECT last FROM complementarias.counters
                                WHERE kind = 'codigo' AND year = %s""", year)[0][0]
    copy = await sv.create_draft(spool, me, {"programaId": approved.data["programaId"]})
    assert copy.codigo == numbering.format_codigo(year, last_codigo + 1)
    assert report.fast_path  # the test server runs as superuser: the fast path was taken


async def test_list_totals_stop_at_the_cap(synthetic: tuple[str, Any], spool: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = synthetic
    admin_email, = rows(url, """SELECT "email" FROM public.users WHERE "role" = 'ADMIN'
                                 AND "email" LIKE 'admin.%%' LIMIT 1""")[0]
    admin = (await auth.login(spool, admin_email, SYNTHETIC_PASSWORD)).actor
    monkeypatch.setattr(sv, "COUNT_CAP", 100)
    # without filters (or only estado/centro) the summary gives the exact total at once
    whole = await sv.list_page(spool, admin)
    sent, = rows(url, """SELECT count(*) FROM public.solicitudes
                         WHERE "estado" <> 'BORRADOR'""")[0]
    assert whole.exact and whole.total == sent > 100
    # other filters are counted, up to the cap
    dated = sv.Filtros(desde=date(2000, 1, 1))
    capped = await sv.list_page(spool, admin, dated)
    assert not capped.exact and capped.total == 100
    monkeypatch.setattr(sv, "COUNT_CAP", 10**9)
    exact = await sv.list_page(spool, admin, dated)
    assert exact.exact and exact.total > 100
    assert [r["id"] for r in capped.rows] == [r["id"] for r in exact.rows]


async def test_centro_lists_match_the_general_query(synthetic: tuple[str, Any],
                                                    spool: Any) -> None:
    """A search in one centro (merged per-programa ranges of list_solicitudes_centro for a
    common term, the trigram indexes for a rare one) returns, page by page, exactly what the
    general query returns, for a coordinador and for an admin's centro filter, with every
    other filter; its total is exact unless marked as an estimate."""
    from tui.db.queries import AQ

    url, _report = synthetic
    coord_email, centro_id, programa_id, instructor_id = rows(url, """
        SELECT u."email", u."centroId", p."id", s."instructorId"
          FROM public.users u JOIN public.programas p ON p."centroId" = u."centroId"
          JOIN public.solicitudes s ON s."programaId" = p."id"
         WHERE u."role" = 'COORDINADOR' AND u."email" LIKE 'coordinador.%%'
         GROUP BY 1, 2, 3, 4 ORDER BY count(*) DESC LIMIT 1""")[0]
    coord = (await auth.login(spool, coord_email, SYNTHETIC_PASSWORD)).actor
    admin = (await auth.login(spool, "admin@sena.edu.co", "Admin.Sena2026")).actor
    cases = [(coord, sv.Filtros(texto="a")), (coord, sv.Filtros(texto="a", estado="APROBADA")),
             (coord, sv.Filtros(texto="a", programa_id=programa_id)),
             (coord, sv.Filtros(texto="a", instructor_id=instructor_id)),
             (coord, sv.Filtros(texto="a", year=2025)),
             (coord, sv.Filtros(texto="sa")), (coord, sv.Filtros(texto="SOL-2025-00")),
             (coord, sv.Filtros(texto="no-existe-zzz")),
             (admin, sv.Filtros(centro_id=centro_id, texto="a")),
             (admin, sv.Filtros(centro_id=centro_id, estado="PENDIENTE", texto="e"))]
    compared = 0
    for actor, filtros in cases:
        got: list[str] = []
        totals: set[tuple[int, bool]] = set()
        cursor = None
        while True:
            page = await sv.list_page(spool, actor, filtros, cursor=cursor, limit=40)
            got += [r["id"] for r in page.rows]
            totals.add((page.total, page.exact))
            cursor = page.next_cursor
            if cursor is None:
                break
        params = sv._filter_params(actor, filtros)
        want: list[str] = []
        after = None
        async with spool.connection() as conn:
            while True:
                batch = [dict(r) async for r in AQ.list_solicitudes(
                    conn, **params, limit=40,
                    after_ts=after[0] if after else None, after_id=after[1] if after else None)]
                want += [r["id"] for r in batch]
                if len(batch) < 40:
                    break
                after = (batch[-1]["createdAt"], batch[-1]["id"])
        assert got == want, (filtros, len(got), len(want))
        exact = {t for t, is_exact in totals if is_exact}
        assert exact <= {len(want)}, (filtros, totals, len(want))
        assert exact or len(want) > 40, (filtros, totals)  # estimated only past one page
        compared += len(got)
    assert compared > 500


def test_summaries_are_summed_while_loading_and_equal_a_rebuild(demo_url: str) -> None:
    """The load skips the summary triggers and adds the rows' deltas it summed itself: no
    rebuild runs, and the summaries equal what a rebuild from every row gives."""
    rebuilt_before = rows(demo_url, "SELECT rebuilt_at FROM complementarias.resumen_estado")
    report = load_synthetic(demo_url, 600, centros=4, instructores=50, programas=12)
    assert report.fast_path
    assert rows(demo_url, "SELECT rebuilt_at FROM complementarias.resumen_estado") == \
        rebuilt_before
    assert rows(demo_url, "SELECT complementarias.resumen_stale()")[0][0] is False
    mensual = """SELECT centro_id, mes, borrador, pendiente, en_revision, aprobada, rechazada,
                        cancelada, aprendices, horas, resp_n, round(resp_dias::numeric, 6)
                   FROM complementarias.resumen_solicitudes ORDER BY 1, 2"""
    anual = "SELECT * FROM complementarias.resumen_anual ORDER BY 1, 2, 3, 4"
    diario = """SELECT dia, centro_id, pendiente, en_revision, aprobada, rechazada, cancelada,
                       aprendices, horas, resp_n, round(resp_dias::numeric, 6)
                  FROM complementarias.resumen_diario ORDER BY 1, 2"""
    with psycopg.connect(demo_url) as c:
        loaded = (c.execute(mensual).fetchall(), c.execute(anual).fetchall(),
                  c.execute(diario).fetchall())
        c.execute("SELECT complementarias.resumen_rebuild()")
        rebuilt = (c.execute(mensual).fetchall(), c.execute(anual).fetchall(),
                   c.execute(diario).fetchall())
        c.rollback()
    assert len(loaded[0]) > 50 and len(loaded[1]) > 100 and len(loaded[2]) > 300
    assert loaded == rebuilt


def test_the_worker_streams_the_data_set_in_load_order() -> None:
    """The generating process's frames: parents before children, every solicitudes batch
    followed by its children, the summaries last, then DONE with the counts and the next
    numbers (the loading process copies them as they come)."""
    frames: list[tuple[int, bytes]] = []
    params = {"seed": 7, "tag": "abc123", "now": 1_796_000_000, "password": "x",
              "centros": 3, "instructores": 20, "programas": 6, "solicitudes": 25_000,
              "codigo_next": {"2026": 41}, "ficha_next": {}, "resumen": True}
    buf = io.BytesIO()
    worker.generate(params, lambda kind, payload: worker.write_frame(buf, kind, payload))
    buf.seek(0)
    while True:
        kind, payload = worker.read_frame(buf)
        frames.append((kind, payload))
        if kind == worker.DONE:
            break
    with pytest.raises(EOFError):
        worker.read_frame(buf)
    names = [worker.STATEMENTS[k] for k, _ in frames[:-1]]
    assert names[:6] == list(worker.STATEMENTS[:6])
    assert names[6:18] == ["copy_solicitudes", "copy_horarios", "copy_notificaciones",
                           "copy_historial"] * 3  # batches of 10 000, 10 000 and 5 000
    assert names[18:] == list(worker.STATEMENTS[10:])
    done = json.loads(frames[-1][1])
    assert done["counts"]["solicitudes"] == 25_000
    lines = [p.count(b"\n") for k, p in frames[:-1] if worker.STATEMENTS[k] == "copy_horarios"]
    assert sum(lines) == done["counts"]["horarios"]
    assert done["codigo_next"]["2026"] > 41  # continues after the numbers it was given


def test_a_failed_generator_leaves_the_database_as_it_was(demo_url: str,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """The generating process dies: the load fails with its error and rolls back whole,
    the cx_ indexes it dropped included."""
    before = rows(demo_url, 'SELECT count(*) FROM public.solicitudes')[0][0]
    indexes = rows(demo_url, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'cx%%' "
                             "ORDER BY 1")
    monkeypatch.setattr(generator, "WORKER", "tui.synthetic.no_such_worker")
    with pytest.raises(RuntimeError, match="generador del conjunto sintético"):
        load_synthetic(demo_url, 50, centros=2, instructores=10, programas=4)
    assert rows(demo_url, 'SELECT count(*) FROM public.solicitudes')[0][0] == before
    assert rows(demo_url, "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'cx%%' "
                          "ORDER BY 1") == indexes
