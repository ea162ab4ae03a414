"""EXPLAIN (ANALYZE, BUFFERS) of the screens' named queries on the benchmark data: which index
each one uses and what it costs. `python -m benchmarks.explain` (COMPLEMENTARIAS_DATA_DIR or
DATABASE_URL picks the database)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

from benchmarks.bench_queries import W
from tui.db.queries import Q
from tui.services import informes, model
from tui.shell.database import open_database


def explain(c: Any, name: str, params: dict[str, Any]) -> str:
    sql = getattr(Q, name).sql
    sql = re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", sql)
    params = {**model.sql_params(), **params}  # the estados every query takes
    rows = c.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params).fetchall()
    plan = [r["QUERY PLAN"] for r in rows]
    used = sorted({m for line in plan
                   for m in re.findall(r"(?:using|Bitmap Index Scan on) (\w+)", line)})
    seq = sorted({m for line in plan for m in re.findall(r"Seq Scan on (\w+)", line)})
    total = next((line for line in plan if line.startswith("Execution Time")), "")
    return f"| `{name}` | {', '.join(used) or '–'} | {', '.join(seq) or '–'} | {total[16:]} |"


def main() -> None:
    db = open_database(None)
    with psycopg.connect(db.url, autocommit=True, row_factory=dict_row,
                         options="-c TimeZone=UTC") as c:
        inst = W.pick_instructor(c)["id"]
        coord = W.pick_coordinador(c)["id"]
        centro = c.execute('SELECT "centroId" FROM public.users WHERE "id" = %s',
                           (coord,)).fetchone()["centroId"]
        now = datetime.utcnow()
        year = int(W.last_full_year(c))
        rare = W.search_terms(c, role="ADMIN", actor_id="x", centro_id=None,
                              offset=1000)["responsableNombre"].lower()
        scope = dict(estado=None, programa_id=None, instructor_id=None, centro_filter=None,
                     desde=None, hasta=None, q=None, after_ts=None, after_id=None, limit=51,
                     cap=10001, orden="recientes")
        queue = dict(centro_filter=None, q=None, after_ts=None, after_id=None, limit=51,
                     orden="antiguas")
        cases = [
            ("list_solicitudes", dict(scope, role="INSTRUCTOR", actor_id=inst, centro_id=None)),
            ("list_solicitudes_centro", dict(scope, centro=centro,
                                             since=now - timedelta(days=30))),
            ("list_solicitudes", dict(scope, role="INSTRUCTOR", actor_id=inst, centro_id=None,
                                      estado="PENDIENTE")),
            ("list_solicitudes", dict(scope, role="ADMIN", actor_id="x", centro_id=None)),
            ("list_solicitudes_centro", dict(scope, centro=centro, since=None,
                                             orden="antiguas")),
            ("list_solicitudes", dict(scope, role="ADMIN", actor_id="x", centro_id=None,
                                      orden="antiguas")),
            ("count_solicitudes", dict(scope, role="COORDINADOR", actor_id=coord,
                                       centro_id=centro, cap=None)),
            ("count_solicitudes", dict(scope, role="ADMIN", actor_id="x", centro_id=None)),
            ("resumen_instructor", dict(actor_id=inst)),
            ("resumen_totales", dict(centro=None)),
            ("resumen_years", dict(centro=None)),
            ("recientes_por_estado", dict(centro=None, urgente_antes=now - timedelta(days=7),
                                          mes_desde=now.replace(day=1), mes_hasta=now)),
            ("review_queue", dict(queue, role="COORDINADOR", centro_id=centro)),
            ("review_queue", dict(queue, role="ADMIN", centro_id=None)),
            ("review_queue", dict(queue, role="ADMIN", centro_id=None, orden="recientes")),
            ("search_solicitudes", dict(scope, role="ADMIN", actor_id="x", centro_id=None,
                                        q="%" + rare + "%", texto=rare, cap=20000)),
            ("list_solicitudes", dict(scope, role="ADMIN", actor_id="x", centro_id=None,
                                      q="%rodriguez%")),
            ("list_solicitudes_centro", dict(scope, centro=centro, q="%rodriguez%",
                                             since=now - timedelta(days=365))),
            ("search_instructor", dict(scope, actor_id=inst, q="%rodriguez%")),
            ("notificaciones_page", dict(usuario_id=coord, unread_only=False, after_ts=None,
                                         after_id=None, limit=31)),
            ("count_notificaciones", dict(usuario_id=coord, unread_only=True)),
            ("horarios_of", dict(solicitud_id=W.some_solicitud(c, actor_id=inst))),
            ("active_coordinadores", dict(centro_id=centro)),
            # the informe of 15 days of the last full year, every centro (since 0008)
            ("informe_resumen", dict(centro=None, limit=10, **informes._meses(
                date(year, 3, 10), date(year, 3, 24)))),
            ("informe_grupos", dict(role="ADMIN", centro_id=None, centro_filter=None,
                                    desde=informes._utc(date(year, 3, 10)),
                                    hasta=informes._utc(date(year, 3, 25)), limit=10)),
        ]
        print("| query | indexes used | seq scans | time |\n|---|---|---|---|")
        for name, params in cases:
            print(explain(c, name, params))


if __name__ == "__main__":
    main()
