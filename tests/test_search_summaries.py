"""Accent- and case-insensitive search, and the summary table kept by the cx_ triggers.

Search: "rodriguez" finds "Rodríguez" through every path (the trigram indexes for a rare term,
the newest-first walk for a common one), exact codigo/ficha/cédula first. Summary: after the
demo seed, after 50 concurrent writers (the web app's plain statements), after a failing
trigger and after `prisma db push` dropped the triggers, complementarias.resumen_solicitudes
equals the full count of public.solicitudes once `migrate` has run.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import psycopg
import pytest

from tui.db import migrations
from tui.db.queries import QUERIES_DIR, Q
from tui.services import reports, users
from tui.services import solicitudes as sv
from tui.services.boundary import InvalidInput

ADMIN = "admin"

# The summaries as they should be, from the base table.
FULL_COUNT = """
    SELECT coalesce(p."centroId", ''), complementarias.resumen_mes(s."fechaSolicitud"),
           count(*) FILTER (WHERE s."estado" = 'BORRADOR'),
           count(*) FILTER (WHERE s."estado" = 'PENDIENTE'),
           count(*) FILTER (WHERE s."estado" = 'EN_REVISION'),
           count(*) FILTER (WHERE s."estado" = 'APROBADA'),
           count(*) FILTER (WHERE s."estado" = 'RECHAZADA'),
           count(*) FILTER (WHERE s."estado" = 'CANCELADA'),
           coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           count(w.dias),
           round(coalesce(sum(w.dias), 0)::numeric, 6)
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     CROSS JOIN LATERAL (SELECT CASE WHEN s."estado" <> 'BORRADOR' THEN
                                date_part('epoch', coalesce(s."fechaRevision",
                                          s."fechaAprobacion") - s."fechaSolicitud") / 86400.0
                                END AS dias) w
     GROUP BY 1, 2 ORDER BY 1, 2"""
SUMMARY = """
    SELECT centro_id, mes, borrador, pendiente, en_revision, aprobada, rechazada, cancelada,
           aprendices, horas, resp_n, round(resp_dias::numeric, 6)
      FROM complementarias.resumen_solicitudes
     WHERE borrador <> 0 OR pendiente <> 0 OR en_revision <> 0 OR aprobada <> 0
        OR rechazada <> 0 OR cancelada <> 0 OR aprendices <> 0 OR horas <> 0 OR resp_n <> 0
     ORDER BY 1, 2"""
FULL_YEARLY = """
    SELECT coalesce(p."centroId", ''), k.dim, k.clave,
           extract(year FROM complementarias.resumen_mes(s."fechaSolicitud"))::int,
           count(*), count(*) FILTER (WHERE s."estado" = 'APROBADA'),
           count(*) FILTER (WHERE s."estado" = 'RECHAZADA'),
           count(*) FILTER (WHERE s."estado" IN ('PENDIENTE', 'EN_REVISION')),
           coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0)
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     CROSS JOIN LATERAL (VALUES ('programa', s."programaId"),
                                ('instructor', s."instructorId")) k(dim, clave)
     WHERE s."estado" <> 'BORRADOR'
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"""
YEARLY = """
    SELECT centro_id, dim, clave, anio, total, aprobadas, rechazadas, abiertas, aprendices, horas
      FROM complementarias.resumen_anual
     WHERE total <> 0 OR aprobadas <> 0 OR rechazadas <> 0 OR abiertas <> 0
        OR aprendices <> 0 OR horas <> 0
     ORDER BY 1, 2, 3, 4"""

# An instructor's solicitudes per year and estado (drafts included), and the yearly totals
# over every centro (migration 0006).
FULL_INSTRUCTOR = """
    SELECT s."instructorId",
           extract(year FROM complementarias.resumen_mes(s."fechaSolicitud"))::int,
           s."estado"::text, count(*)
      FROM public.solicitudes s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
INSTRUCTOR = """
    SELECT instructor_id, anio, estado, n FROM complementarias.resumen_instructor
     WHERE n <> 0 ORDER BY 1, 2, 3"""
FULL_NATIONAL = f"""
    SELECT dim, clave, anio, sum(total), sum(aprobadas), sum(rechazadas), sum(abiertas),
           sum(aprendices), sum(horas)
      FROM ({FULL_YEARLY}) y(centro_id, dim, clave, anio, total, aprobadas, rechazadas,
                              abiertas, aprendices, horas)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
NATIONAL = """
    SELECT dim, clave, anio, total::bigint, aprobadas::bigint, rechazadas::bigint,
           abiertas::bigint, aprendices::bigint, horas::bigint
      FROM complementarias.resumen_nacional
     WHERE total <> 0 OR aprobadas <> 0 OR rechazadas <> 0 OR abiertas <> 0
        OR aprendices <> 0 OR horas <> 0
     ORDER BY 1, 2, 3"""

# The sent solicitudes per Bogotá day and centro (migration 0008).
FULL_DAILY = """
    SELECT ((s."fechaSolicitud" AT TIME ZONE 'UTC') AT TIME ZONE 'America/Bogota')::date,
           coalesce(p."centroId", ''),
           count(*) FILTER (WHERE s."estado" = 'PENDIENTE'),
           count(*) FILTER (WHERE s."estado" = 'EN_REVISION'),
           count(*) FILTER (WHERE s."estado" = 'APROBADA'),
           count(*) FILTER (WHERE s."estado" = 'RECHAZADA'),
           count(*) FILTER (WHERE s."estado" = 'CANCELADA'),
           coalesce(sum(s."numeroAprendicesInscribir") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           coalesce(sum(s."duracionMaxima") FILTER (WHERE s."estado" = 'APROBADA'), 0),
           count(coalesce(s."fechaRevision", s."fechaAprobacion")),
           round(coalesce(sum(date_part('epoch', coalesce(s."fechaRevision", s."fechaAprobacion")
                                                 - s."fechaSolicitud") / 86400.0), 0)::numeric, 6)
      FROM public.solicitudes s
      LEFT JOIN public.programas p ON p."id" = s."programaId"
     WHERE s."estado" <> 'BORRADOR'
     GROUP BY 1, 2 ORDER BY 1, 2"""
DAILY = """
    SELECT dia, centro_id, pendiente, en_revision, aprobada, rechazada, cancelada, aprendices,
           horas, resp_n, round(resp_dias::numeric, 6)
      FROM complementarias.resumen_diario
     WHERE pendiente <> 0 OR en_revision <> 0 OR aprobada <> 0 OR rechazada <> 0
        OR cancelada <> 0 OR aprendices <> 0 OR horas <> 0 OR resp_n <> 0
     ORDER BY 1, 2"""


def connect(url: str, **kw: Any) -> psycopg.Connection[Any]:
    kw.setdefault("autocommit", True)
    return psycopg.connect(url, options="-c TimeZone=UTC", **kw)


def summary_matches(url: str) -> tuple[list[Any], list[Any]]:
    with connect(url) as c:
        return ([*c.execute(SUMMARY).fetchall(), *c.execute(YEARLY).fetchall(),
                 *c.execute(INSTRUCTOR).fetchall(), *c.execute(NATIONAL).fetchall(),
                 *c.execute(DAILY).fetchall()],
                [*c.execute(FULL_COUNT).fetchall(), *c.execute(FULL_YEARLY).fetchall(),
                 *c.execute(FULL_INSTRUCTOR).fetchall(), *c.execute(FULL_NATIONAL).fetchall(),
                 *c.execute(FULL_DAILY).fetchall()])


def assert_summary_exact(url: str) -> None:
    got, want = summary_matches(url)
    assert want, "the data set has solicitudes"
    assert got == want
    with connect(url) as c:
        assert c.execute("SELECT complementarias.resumen_stale()").fetchone()[0] is False


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------

async def _accented_row(pool: Any) -> dict[str, Any]:
    """A sent solicitud whose responsable and empresa now carry accents and an eñe."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            'UPDATE public.solicitudes SET "responsableNombre" = %s, "nombreEmpresa" = %s '
            "WHERE \"id\" = (SELECT \"id\" FROM public.solicitudes WHERE \"estado\" = 'APROBADA' "
            'ORDER BY "codigo" LIMIT 1) RETURNING "id", "codigo", "numeroFicha", '
            '"responsableCedula"',
            ("José Rodríguez Ávila", "Panadería Ñandú Ltda."))
        row = await cur.fetchone()
    return dict(row)


async def _codigos(pool: Any, actor: Any, texto: str) -> list[str]:
    page = await sv.list_page(pool, actor, sv.Filtros(texto=texto), limit=200)
    return [r["codigo"] for r in page.rows]


@pytest.mark.parametrize("path", ["trigram", "walk"])
async def test_folded_search_finds_accented_rows(pool: Any, login_as: Any,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 path: str) -> None:
    # both plans, whatever the planner's estimate on this small data set
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 10**9 if path == "trigram" else 0)
    row = await _accented_row(pool)
    admin = (await login_as(ADMIN)).actor
    for texto in ("rodriguez avila", "RODRÍGUEZ", "jose rodriguez", "panaderia nandu",
                  "PANADERÍA ÑANDÚ", "ávila"):
        assert row["codigo"] in await _codigos(pool, admin, texto), texto
    assert row["codigo"] not in await _codigos(pool, admin, "rodriguez avilaz")


async def test_trigram_and_walk_paths_return_the_same_pages(pool: Any, login_as: Any,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """For every role, with and without other filters, both plans give the same rows in the
    same order, page by page; a term found through the instructor's or the programa's name
    too."""
    await _accented_row(pool)
    actors = [(await login_as(p)).actor for p in ("juan", "patricia", "carlos", ADMIN)]
    terms = ["rodriguez", "sena", "SOL-20", "gestion", "zzz-nada", "CF-00",
             # several words: the word-pairs index, or trigrams across the spaces
             "jose rodriguez", "ose rodriguez av", "Rodríguez Ávila", "de la", "sena edu"]

    async def walk(actor: Any, filtros: sv.Filtros, estimate: int) -> tuple[list[str], Any]:
        monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", estimate)
        got: list[str] = []
        cursor, first = None, None
        while True:
            page = await sv.list_page(pool, actor, filtros, cursor=cursor, limit=2)
            first = first or page
            got += [r["id"] for r in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                return got, first

    compared = 0
    for actor in actors:
        for texto in terms:
            for filtros in (sv.Filtros(texto=texto), sv.Filtros(texto=texto, estado="APROBADA")):
                by_index, page = await walk(actor, filtros, 10**9)
                by_walk, _ = await walk(actor, filtros, 0)
                assert by_index == by_walk, (actor.role, filtros)
                assert len(set(by_index)) == len(by_index)  # no row on two pages
                assert page.exact and page.total == len(by_index)  # rare: exact total
                compared += len(by_index)
    assert compared > 20


async def test_exact_codigo_ficha_and_cedula_come_first(pool: Any, login_as: Any) -> None:
    row = await _accented_row(pool)
    admin = (await login_as(ADMIN)).actor
    whole = await sv.list_page(pool, admin, sv.Filtros(texto=row["codigo"].lower()))
    assert [r["codigo"] for r in whole.rows] == [row["codigo"]]  # that solicitud only
    assert whole.exact and whole.total == 1 and "unica" not in whole.rows[0]
    assert row["numeroFicha"], "an approved solicitud has a ficha"
    assert (await _codigos(pool, admin, row["numeroFicha"]))[0] == row["codigo"]
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT \"codigo\" FROM public.solicitudes WHERE \"responsableCedula\" = %s "
            "AND \"estado\" <> 'BORRADOR'", (row["responsableCedula"],))
        same = {r["codigo"] async for r in cur}
    first = await sv.list_page(pool, admin, sv.Filtros(texto=row["responsableCedula"]))
    assert row["codigo"] in same
    assert {r["codigo"] for r in first.rows[:len(same)]} == same
    assert len({r["id"] for r in first.rows}) == len(first.rows)  # listed once


async def _sql(pool: Any, sql: str, *args: Any) -> list[Any]:
    async with pool.connection() as conn:
        cur = await conn.execute(sql, args)
        return [r for r in await cur.fetchall()]


async def test_term_pairs_are_those_of_every_row_that_contains_the_term(pool: Any) -> None:
    """A search term's word pairs (cx_solicitudes_pares_idx) are certain: for every piece of a
    text (starting and ending anywhere, inside words too), the pairs of the piece are among
    the pairs of the whole text, so reading the rows that have them loses no match."""
    text = "SOL-2026-00012 | 7043 | Panadería Ñandú  Ltda. | José Rodríguez de la Ávila | a@b.co"
    missing = await _sql(pool, """
        WITH t(f) AS (SELECT complementarias.fold(%s)),
             piece(p) AS (SELECT substr(t.f, i, n) FROM t, generate_series(1, length(t.f)) i,
                                 generate_series(1, length(t.f)) n WHERE i + n <= length(t.f) + 1)
        SELECT p FROM piece, t WHERE NOT complementarias.pares(t.f, false)
                                      @> complementarias.pares_termino(p)""", text)
    assert missing == []
    got = {t: (await _sql(pool, "SELECT complementarias.pares_termino(%s)", t))[0]["pares_termino"]
           for t in ("José Rodríguez Ávila", "ose rodriguez av", "se rodriguez avila",
                     "z avila", "esperanza 12", "rodriguez", "de la avila")}
    assert got == {"José Rodríguez Ávila": ["ose rod", "uez avi"],
                   "ose rodriguez av": ["ose rod", "uez av"],  # "av" may go on: "avi…"
                   "se rodriguez avila": ["uez avi"],  # "se" may end "jose"
                   "z avila": [], "esperanza 12": ["nza 12"], "rodriguez": [],
                   "de la avila": ["la avi"]}


async def test_several_words_are_read_through_the_word_pairs(pool: Any, login_as: Any,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """Whole names, pieces that begin and end inside words, accents and case: found by the
    new indexes exactly as by walking the rows; words in another order are not."""
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 10**9)
    row = await _accented_row(pool)
    admin = (await login_as(ADMIN)).actor
    for texto in ("JOSÉ RODRÍGUEZ ÁVILA", "jose rodriguez avila", "ose rodriguez av",
                  "se rodriguez avila", "z avila", "e rodr", "panaderia nandu ltda",
                  "ñandú ltda.", "Ávila | "):
        assert row["codigo"] in await _codigos(pool, admin, texto), texto
    for texto in ("avila rodriguez", "jose  rodriguez", "jose rodriguez avilaz"):
        assert row["codigo"] not in await _codigos(pool, admin, texto), texto


async def test_a_coordinador_never_sees_another_centro_through_the_word_pairs(
        pool: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 10**9)
    patricia = (await login_as("patricia")).actor
    carlos = (await login_as("carlos")).actor
    admin = (await login_as(ADMIN)).actor
    assert patricia.role == "COORDINADOR" and carlos.role == "INSTRUCTOR"
    rows = await _sql(pool, """
        UPDATE public.solicitudes s SET "responsableNombre" = 'Zoilo Quiñónez Ybarra'
         WHERE s."id" IN ((SELECT s2."id" FROM public.solicitudes s2
                            JOIN public.programas p ON p."id" = s2."programaId"
                           WHERE p."centroId" = %s AND s2."estado" <> 'BORRADOR'
                             AND s2."instructorId" <> %s ORDER BY s2."codigo" LIMIT 1)
                          UNION ALL
                          (SELECT s2."id" FROM public.solicitudes s2
                            JOIN public.programas p ON p."id" = s2."programaId"
                           WHERE p."centroId" <> %s AND s2."estado" <> 'BORRADOR'
                           ORDER BY s2."codigo" LIMIT 1)
                          UNION ALL
                          (SELECT s2."id" FROM public.solicitudes s2
                           WHERE s2."instructorId" = %s AND s2."estado" <> 'BORRADOR'
                           ORDER BY s2."codigo" LIMIT 1))
        RETURNING s."codigo", s."instructorId",
                  (SELECT p."centroId" FROM public.programas p WHERE p."id" = s."programaId")
                  AS centro""", patricia.centro_id, carlos.id, patricia.centro_id, carlos.id)
    assert len(rows) >= 2 and {r["centro"] for r in rows} - {patricia.centro_id}
    for texto in ("zoilo quinonez ybarra", "ilo quiñónez yb"):
        assert sorted(await _codigos(pool, admin, texto)) == sorted(r["codigo"] for r in rows)
        assert set(await _codigos(pool, patricia, texto)) == {
            r["codigo"] for r in rows if r["centro"] == patricia.centro_id}
        assert set(await _codigos(pool, carlos, texto)) == {
            r["codigo"] for r in rows if r["instructorId"] == carlos.id}


HOSTILE = ["50% de_scuento", "a\\ b\\ c", "jo\x00se rodri\x00guez", "مرحبا بالعالم يا",
           "😀😀😀 🎉🎉🎉 ok", "ab " * 40_000, "x" * 100_000, "% _ \\ %", "\u202eevil text\u202c"]


@pytest.mark.parametrize("texto", HOSTILE, ids=range(len(HOSTILE)))
async def test_hostile_terms_of_several_words(pool: Any, login_as: Any,
                                              monkeypatch: pytest.MonkeyPatch,
                                              texto: str) -> None:
    """NUL, LIKE wildcards, backslashes, right-to-left text, emoji and 100 000 characters:
    the new path finds what the walk finds (a responsable holding exactly that text is found,
    a wildcard matches only itself); what the boundary refuses (NUL, control characters,
    over-long text) is refused naming the field, and the SQL functions of the new indexes
    take it anyway."""
    admin = (await login_as(ADMIN)).actor
    stored = texto.replace("\x00", "")
    pairs = await _sql(pool, "SELECT complementarias.pares_termino(%s) AS p, "
                       "complementarias.frase_patron(%s) AS f", stored, stored)
    assert " " not in pairs[0]["f"] and all(" " in p for p in pairs[0]["p"])
    try:
        await _codigos(pool, admin, texto)
    except InvalidInput as exc:
        assert "Búsqueda" in str(exc)
        return
    async with pool.connection() as conn:
        cur = await conn.execute(
            'UPDATE public.solicitudes SET "responsableNombre" = %s WHERE "id" = (SELECT "id" '
            "FROM public.solicitudes WHERE \"estado\" = 'APROBADA' ORDER BY \"codigo\" DESC "
            'LIMIT 1) RETURNING "codigo"', (texto.replace("\x00", "").strip()[:100] + " fin",))
        codigo = (await cur.fetchone())["codigo"]
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 10**9)
    by_index = await _codigos(pool, admin, texto)
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 0)
    assert await _codigos(pool, admin, texto) == by_index
    assert codigo in by_index
    if "%" in texto or "_" in texto:
        assert by_index == [codigo]  # the wildcards are plain characters


async def test_common_term_shows_an_estimate_and_pages_on(pool: Any, login_as: Any,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(sv, "SEARCH_RARE_ESTIMATE", 0)  # every term counts as common
    admin = (await login_as(ADMIN)).actor
    page = await sv.list_page(pool, admin, sv.Filtros(texto="sol"), limit=2)
    assert not page.exact and page.total > len(page.rows) and page.next_cursor
    small = await sv.list_page(pool, admin, sv.Filtros(texto="sol"), limit=200)
    assert small.exact and small.total == len(small.rows)  # the walk saw everything


async def test_admin_lists_fold_accents(pool: Any, login_as: Any) -> None:
    admin = (await login_as(ADMIN)).actor
    carlos = await users.list_users(pool, admin, texto="RODRÍGUEZ")
    assert [u.email for u in carlos.rows] == ["carlos.rodriguez@sena.edu.co"]


# Scope and search predicates: written once (migration 0005), inlined where they are called.
PREDICATES = ("en_alcance", "texto_solicitud", "texto_usuario", "texto_programa",
              "solicitud_coincide", "usuarios_coinciden", "programas_coinciden",
              "frase", "frase_solicitud", "frase_patron", "pares_solicitud", "pares_termino")
SCOPED = ("list_solicitudes", "list_solicitudes_centro", "count_solicitudes", "search_solicitudes",
          "search_instructor", "estimate_search_solicitudes", "estimate_search_candidates",
          "search_exact", "review_queue", "count_review_queue",
          "export_solicitudes", "informe_grupos")


def _plan(c: psycopg.Connection[Any], name: str, **params: Any) -> str:
    sql = re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", getattr(Q, name).sql)
    sql = re.sub(r"^\s*EXPLAIN \(FORMAT JSON\)", "", sql)
    args = {k: None for k in re.findall(r"%\((\w+)\)s", sql)}
    args.update({"limit": 51, "cap": 1000, "role": "ADMIN", "actor_id": "x",
                 "q": "%rodriguez%", "texto": "rodriguez", "now": dt.datetime(2026, 6, 1),
                 "centro": "c", "desde": dt.datetime(2026, 1, 1),
                 "hasta": dt.datetime(2026, 6, 1), "urgente_antes": dt.datetime(2026, 5, 1),
                 **params})
    return "\n".join(r[0] for r in c.execute("EXPLAIN (VERBOSE) " + sql, args).fetchall())


def test_scope_and_search_predicates_are_written_once_and_inlined(demo_url: str) -> None:
    """Every query that scopes or searches solicitudes calls the functions of 0005, and the
    planner inlines them (none is left in the plan as a call): their plans are those of the
    text written in place. The folded text of the trigram path is still the indexed
    expression: the trigram index serves it."""
    queries = "".join(p.read_text(encoding="utf-8") for p in QUERIES_DIR.glob("*.sql"))
    assert "CASE :role" not in queries and "fold_all(" not in queries.replace(
        'fold_all(c."nombre"', "")  # centros have no trigram index: folded in place
    with connect(demo_url) as c:
        for name in SCOPED:
            for role in ("INSTRUCTOR", "COORDINADOR", "ADMIN"):
                plan = _plan(c, name, role=role)
                assert not [f for f in PREDICATES if f + "(" in plan], (name, role, plan)
        c.execute("SET enable_seqscan = off")
        plan = _plan(c, "estimate_search_candidates")
        assert "Bitmap Index Scan on cx_solicitudes_frase_trgm_idx" in plan, plan
        # several words are estimated by their pairs (their statistics: a common pair is
        # known as common, where a long pattern gets the planner's default)
        plan = _plan(c, "estimate_search_candidates", q="%jose rodriguez%",
                     texto="jose rodriguez")
        assert "Bitmap Index Scan on cx_solicitudes_pares_idx" in plan, plan
        assert "cx_solicitudes_frase_trgm_idx" not in plan, plan
        # several words: the word pairs; else trigrams across spaces (0007_rare_search)
        plan = _plan(c, "search_solicitudes", q="%jose rodriguez%", texto="jose rodriguez")
        assert "Bitmap Index Scan on cx_solicitudes_pares_idx" in plan, plan
        assert "cx_solicitudes_frase_trgm_idx" not in plan, plan
        plan = _plan(c, "search_solicitudes", q="%e rodr%", texto="e rodr")
        assert "Bitmap Index Scan on cx_solicitudes_frase_trgm_idx" in plan, plan
        assert "cx_solicitudes_pares_idx" not in plan, plan


# ---------------------------------------------------------------------------------------------
# Summary table
# ---------------------------------------------------------------------------------------------

def test_summary_is_exact_after_the_demo_seed(demo_url: str) -> None:
    assert_summary_exact(demo_url)


WRITERS = 50


def _writer(url: str, n: int, barrier: threading.Barrier, errors: list[str]) -> None:
    """The web app's shapes: INSERT a copy, UPDATE its estado and dates, DELETE some."""
    try:
        with connect(url) as c:
            source = c.execute(
                "SELECT \"id\" FROM public.solicitudes WHERE \"estado\" <> 'BORRADOR' "
                'ORDER BY "codigo" OFFSET %s LIMIT 1', (n % 5,)).fetchone()[0]
            barrier.wait(timeout=120)
            for i in range(6):
                new_id = f"cw{n:03d}{i:02d}" + "x" * 18
                with c.transaction():
                    c.execute(
                        "INSERT INTO public.solicitudes SELECT (jsonb_populate_record("
                        "NULL::public.solicitudes, to_jsonb(s) || jsonb_build_object("
                        "'id', %s::text, 'codigo', %s::text, 'numeroFicha', NULL, "
                        "'estado', 'PENDIENTE'))).* "
                        'FROM public.solicitudes s WHERE s."id" = %s',
                        (new_id, f"SOL-CW-{n:03d}-{i}", source))
                    c.execute(
                        "UPDATE public.solicitudes SET \"estado\" = 'APROBADA', "
                        '"fechaAprobacion" = now(), "numeroAprendicesInscribir" = %s::int '
                        'WHERE "id" = %s', (n + i, new_id))
                if i % 3 == 2:
                    c.execute('DELETE FROM public.solicitudes WHERE "id" = %s', (new_id,))
                c.execute("UPDATE public.solicitudes SET \"observaciones\" = %s::text "
                          'WHERE "id" = %s', (f"autosave {n}", source))
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(f"{type(exc).__name__}: {exc}")


def test_summary_is_exact_after_50_concurrent_writers(demo_url: str) -> None:
    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []
    threads = [threading.Thread(target=_writer, args=(demo_url, n, barrier, errors))
               for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == []
    with connect(demo_url) as c:
        assert c.execute("SELECT count(*) FROM public.solicitudes WHERE \"codigo\" "
                         "LIKE 'SOL-CW-%%'").fetchone()[0] == WRITERS * 4
    assert_summary_exact(demo_url)


@pytest.mark.parametrize(("table", "check"), [("resumen_solicitudes", "pendiente < 0"),
                                              ("resumen_instructor", "n < 0"),
                                              ("resumen_nacional", "abiertas < 0")])
def test_a_failing_summary_never_fails_the_write_and_migrate_rebuilds(
        demo_url: str, table: str, check: str) -> None:
    with connect(demo_url) as c:
        # any failure inside the trigger, e.g. a constraint the upsert of one summary breaks
        c.execute(f"ALTER TABLE complementarias.{table} "
                  f"ADD CONSTRAINT resumen_roto CHECK ({check}) NOT VALID")
        c.execute("UPDATE public.solicitudes SET \"estado\" = 'CANCELADA' "
                  "WHERE \"estado\" = 'PENDIENTE'")  # succeeds
        assert c.execute("SELECT stale, last_error IS NOT NULL "
                         "FROM complementarias.resumen_estado").fetchone() == (True, True)
        c.execute(f"ALTER TABLE complementarias.{table} DROP CONSTRAINT resumen_roto")
    got, want = summary_matches(demo_url)
    assert got != want
    migrations.apply(demo_url)
    assert_summary_exact(demo_url)


def test_migrate_rebuilds_after_prisma_dropped_the_triggers(demo_url: str) -> None:
    with connect(demo_url) as c:
        for name in ("ins", "upd", "del"):
            c.execute(f'DROP TRIGGER "cx_solicitudes_resumen_{name}" ON public.solicitudes')
        c.execute('DROP INDEX public."cx_solicitudes_frase_trgm_idx"')
        c.execute('DROP INDEX public."cx_solicitudes_pares_idx"')
        c.execute("UPDATE public.solicitudes SET \"estado\" = 'RECHAZADA' "
                  "WHERE \"estado\" = 'EN_REVISION'")
        c.execute("DELETE FROM public.solicitudes WHERE \"estado\" = 'CANCELADA'")
        assert c.execute("SELECT complementarias.resumen_stale()").fetchone()[0] is True
    migrations.apply(demo_url)
    assert_summary_exact(demo_url)
    with connect(demo_url) as c:
        assert c.execute("SELECT count(*) FROM pg_indexes WHERE indexname IN "
                         "('cx_solicitudes_frase_trgm_idx', 'cx_solicitudes_pares_idx')"
                         ).fetchone()[0] == 2


async def test_screens_read_the_summary(pool: Any, login_as: Any, demo_url: str) -> None:
    """counts, years and the dashboard come from the summary: changing only the summary
    changes what they show (and migrate puts it back)."""
    admin = (await login_as(ADMIN)).actor
    before = await sv.counts(pool, admin)
    dash = await reports.dashboard(pool, admin)
    with connect(demo_url) as c:
        c.execute("UPDATE complementarias.resumen_solicitudes SET pendiente = pendiente + 1000 "
                  "WHERE (centro_id, mes) = (SELECT centro_id, mes FROM "
                  "complementarias.resumen_solicitudes LIMIT 1)")
    assert (await sv.counts(pool, admin))["PENDIENTE"] == before["PENDIENTE"] + 1000
    assert (await reports.dashboard(pool, admin)).pendientes == dash.pendientes + 1000
    migrations.apply(demo_url)  # stale: counts per centro and estado differ
    assert await sv.counts(pool, admin) == before


async def test_informe_from_the_summaries_equals_the_full_aggregate(
        pool: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over whole years (and 1 January to today) the informe reads the summaries; forced to
    aggregate the solicitudes instead, every figure is the same, for every scope."""
    from dataclasses import asdict
    from datetime import date, datetime

    from tui.db.queries import AQ
    from tui.services import informes

    admin = (await login_as(ADMIN)).actor
    patricia = (await login_as("patricia")).actor
    async with pool.connection() as conn:
        cur = await conn.execute('SELECT min("fechaSolicitud") AS a, max("fechaSolicitud") AS b '
                                 "FROM public.solicitudes")
        first, last = (await cur.fetchone()).values()
        cur = await conn.execute('SELECT "centroId" FROM public.users WHERE "email" = %s',
                                 ("patricia.gomez@sena.edu.co",))
        centro = (await cur.fetchone())["centroId"]
    now = datetime(last.year, 12, 31, 12)
    ranges = [(date(first.year, 1, 1), date(last.year, 12, 31)),
              (date(last.year, 1, 1), date(last.year, 12, 31)), (None, None)]
    summary_calls = 0
    real = AQ.informe_sin_bordes

    async def counted(*a: Any, **k: Any) -> Any:
        nonlocal summary_calls
        ok = await real(*a, **k)
        summary_calls += bool(ok)
        return ok

    async def never(*a: Any, **k: Any) -> bool:
        return False

    for actor, centro_id in ((admin, None), (admin, centro), (patricia, None)):
        for desde, hasta in ranges:
            monkeypatch.setattr(AQ, "informe_sin_bordes", counted)
            fast = await informes.informe(pool, actor, desde, hasta, centro_id, now=now)
            monkeypatch.setattr(AQ, "informe_sin_bordes", never)
            full = await informes.informe(pool, actor, desde, hasta, centro_id, now=now)
            a, b = asdict(fast), asdict(full)
            ra, rb = a.pop("respuesta_promedio_dias"), b.pop("respuesta_promedio_dias")
            assert a == b, (actor.role, centro_id, desde, hasta)
            assert (ra is None and rb is None) or ra == pytest.approx(rb), (ra, rb)
            assert fast.total > 0 or desde is None
    assert summary_calls == 9


async def test_instructor_counts_years_and_total_read_their_summary(
        pool: Any, login_as: Any, demo_url: str) -> None:
    """An instructor's counts per estado, year filter and list total equal a count of their
    solicitudes (drafts included), and come from complementarias.resumen_instructor:
    changing only the summary changes them (and migrate puts it back)."""
    carlos = (await login_as("carlos")).actor
    with connect(demo_url) as c:
        per_estado = dict(c.execute(
            'SELECT "estado"::text, count(*) FROM public.solicitudes '
            'WHERE "instructorId" = %s GROUP BY 1', (carlos.id,)).fetchall())
        years = [r[0] for r in c.execute(
            "SELECT DISTINCT extract(year FROM complementarias.resumen_mes("
            '"fechaSolicitud"))::int FROM public.solicitudes '
            'WHERE "instructorId" = %s AND "fechaSolicitud" IS NOT NULL ORDER BY 1 DESC',
            (carlos.id,)).fetchall()]
    assert per_estado and years
    counts = await sv.counts(pool, carlos)
    assert counts == {e: per_estado.get(e, 0) for e in counts}
    assert await sv.years(pool, carlos) == years
    assert (await sv.list_page(pool, carlos)).total == sum(per_estado.values())
    for estado, n in per_estado.items():
        page = await sv.list_page(pool, carlos, sv.Filtros(estado=estado))
        assert (page.total, page.exact) == (n, True)
    # with a filter the summary cannot answer, the rows are counted
    year_page = await sv.list_page(pool, carlos, sv.Filtros(year=years[0]))
    assert year_page.total == len(year_page.rows) <= sum(per_estado.values())
    estado = max(per_estado, key=lambda e: per_estado[e])
    with connect(demo_url) as c:
        c.execute("UPDATE complementarias.resumen_instructor SET n = n + 1000 "
                  "WHERE (instructor_id, anio, estado) = (SELECT instructor_id, anio, estado "
                  "FROM complementarias.resumen_instructor WHERE instructor_id = %s "
                  "AND estado = %s AND n > 0 LIMIT 1)", (carlos.id, estado))
        c.execute("INSERT INTO complementarias.resumen_instructor VALUES (%s, 1999, %s, 1)",
                  (carlos.id, estado))
    assert (await sv.counts(pool, carlos))[estado] == per_estado[estado] + 1001
    assert (await sv.list_page(pool, carlos)).total == sum(per_estado.values()) + 1001
    assert await sv.years(pool, carlos) == [*years, 1999]
    migrations.apply(demo_url)  # stale: the instructors' counts per estado differ
    assert await sv.counts(pool, carlos) == counts
    assert await sv.years(pool, carlos) == years


async def test_national_informe_top_keeps_ties_like_the_full_aggregate(
        pool: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch, demo_url: str) -> None:
    """A whole year over every centro reads its top instructors and programas from
    resumen_nacional (ties at the last place included, like rank(), then broken by name);
    forced to aggregate the solicitudes instead, the informe is the same, for tops that cut
    through a tie."""
    from dataclasses import asdict
    from datetime import date

    from tui.db.queries import AQ
    from tui.services import informes

    admin = (await login_as(ADMIN)).actor
    with connect(demo_url) as c:
        year = c.execute('SELECT max(extract(year FROM "fechaSolicitud"))::int '
                         "FROM public.solicitudes WHERE \"estado\" <> 'BORRADOR'").fetchone()[0]
        totals = {dim: [r[0] for r in c.execute(
            "SELECT total FROM complementarias.resumen_nacional WHERE anio = %s AND dim = %s "
            "AND total > 0 ORDER BY total DESC", (year, dim)).fetchall()]
            for dim in ("instructor", "programa")}
    tops = {k for t in totals.values() for k in range(1, len(t)) if t[k - 1] == t[k]}
    assert tops, totals  # some top cuts through a tie
    real = AQ.informe_sin_bordes

    async def never(*a: Any, **k: Any) -> bool:
        return False

    for top in sorted(tops)[:4]:
        monkeypatch.setattr(AQ, "informe_sin_bordes", real)
        fast = asdict(await informes.informe(pool, admin, date(year, 1, 1),
                                             date(year, 12, 31), top=top))
        monkeypatch.setattr(AQ, "informe_sin_bordes", never)
        full = asdict(await informes.informe(pool, admin, date(year, 1, 1),
                                             date(year, 12, 31), top=top))
        for dim in ("por_instructor", "por_programa"):
            assert len(fast[dim]) == min(top, len(totals[dim[4:]]))
            assert fast[dim] == full[dim], (dim, top)


async def test_centro_lists_merge_ranges_into_the_same_pages(
        pool: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A coordinador's list and an admin's list of one centro (no search) are merged from
    per-(programa, estado) ranges, window by window: page after page, with and without
    filters, the same rows in the same order as the walk over every centro kept to it."""
    from tui.db.queries import AQ

    patricia = (await login_as("patricia")).actor
    admin = (await login_as(ADMIN)).actor
    async with pool.connection() as conn:
        cur = await conn.execute('SELECT s."programaId" FROM public.solicitudes s '
                                 'JOIN public.programas p ON p."id" = s."programaId" '
                                 "WHERE p.\"centroId\" = %s AND s.\"estado\" <> 'BORRADOR' "
                                 "LIMIT 1", (patricia.centro_id,))
        programa = (await cur.fetchone())["programaId"]
    walked: list[str] = []
    real = AQ.list_solicitudes_centro

    async def windows(*a: Any, **k: Any) -> Any:
        walked.append("centro" if k["since"] is None else "ventana")
        async for r in real(*a, **k):
            yield r

    for window in (dt.timedelta(days=1), dt.timedelta(days=4000)):
        monkeypatch.setattr(sv, "LIST_WINDOWS", (window, None))
        monkeypatch.setattr(AQ, "list_solicitudes_centro", windows)
        for actor, filtros in ((patricia, sv.Filtros()),
                               (patricia, sv.Filtros(estado="APROBADA")),
                               (patricia, sv.Filtros(programa_id=programa)),
                               (admin, sv.Filtros(centro_id=patricia.centro_id))):
            merged, cur = [], None
            while True:
                page = await sv.list_page(pool, actor, filtros, cursor=cur, limit=2)
                merged += [r["id"] for r in page.rows]
                if (cur := page.next_cursor) is None:
                    break
            params = sv._filter_params(actor, filtros)
            async with pool.connection() as conn:
                walk = [r["id"] async for r in AQ.list_solicitudes(
                    conn, **params, limit=1000, after_ts=None, after_id=None)]
            assert merged == walk and walk, (actor.role, filtros, window)
    assert {"centro", "ventana"} <= set(walked)


def test_summaries_are_exact_after_the_synthetic_load(demo_url: str) -> None:
    """The synthetic load's COPY skips the triggers; its post-apply step finds every summary
    stale (those of 0006 too) and rebuilds them."""
    from tui.synthetic.generator import load_synthetic

    load_synthetic(demo_url, 600, centros=3, instructores=40, programas=12)
    assert_summary_exact(demo_url)
    with connect(demo_url) as c:
        assert c.execute("SELECT count(*) FROM complementarias.resumen_instructor").fetchone()[0] \
            > 40
