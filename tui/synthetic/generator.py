"""A realistic, national-scale synthetic data set, loaded with COPY (`seed --synthetic`).

120 centros, 6 000 instructors (plus 2 coordinadores per centro and 3 admins), 2 000 programas
with objetivos, competencias and resultados, N solicitudes over every estado since 2021 with
4–30 horarios each, the notifications and history rows the transitions would have written,
and the numbering counters set after the highest codigo and ficha of every year.

Speed: rows are built in this process while a writer thread streams the previous batch; the
cx_ indexes are dropped inside the load transaction and rebuilt once at the end; a superuser
(the embedded server) also skips the per-row FK checks and triggers, as every reference is
valid by construction. Every synthetic account's password is SYNTHETIC_PASSWORD.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import bcrypt

from tui.db import bulk
from tui.db.migrations import connect
from tui.db.queries import Q
from tui.services.ids import _base36
from tui.synthetic.resumen import Resumen
from tui.synthetic.rows import FIRST_YEAR, Generator
from tui.synthetic.solicitudes import SolicitudMaker

SYNTHETIC_PASSWORD = "Sintetico.2026"
BATCH = 10_000
Progress = Callable[[str, int, int], None]


@dataclass
class SyntheticReport:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    tag: str = ""
    fast_path: bool = False

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _next_numbers(conn: Any, years: range) -> tuple[dict[int, int], dict[int, int]]:
    """The first free codigo and ficha number of every year (counter or stored rows)."""
    codigo, ficha = {}, {}
    for y in years:
        codigo[y] = 1 + max(int(Q.synth_counter_last(conn, kind="codigo", year=y)),
                            int(Q.max_codigo_number(conn, prefix=f"SOL-{y}-%")))
        ficha[y] = 1 + max(int(Q.synth_counter_last(conn, kind="ficha", year=y)),
                           int(Q.max_ficha_number(conn, year=y)))
    return codigo, ficha


def load_synthetic(url: str, solicitudes: int, *, seed: int = 2026, centros: int = 120,
                   instructores: int = 6000, programas: int = 2000,
                   progress: Progress | None = None, vacuum: bool = True) -> SyntheticReport:
    """Load the data set in one transaction; returns what was created and how long it took."""
    if solicitudes < 0 or centros < 1 or instructores < 1 or programas < centros:
        raise ValueError("Tamaños no válidos: se necesita al menos un programa por centro.")
    tick = progress or (lambda phase, done, total: None)
    now = int(time.time())
    tag = _base36(now * 1000 + seed, 6)
    pw = bcrypt.hashpw(SYNTHETIC_PASSWORD.encode(), bcrypt.gensalt(10)).decode("ascii")
    gen = Generator(seed, tag, now, pw)
    report = SyntheticReport(tag=tag)
    started = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal started
        t = time.perf_counter()
        report.seconds[phase] = round(t - started, 1)
        started = t

    with connect(url) as conn:
        report.fast_path = bool(Q.synth_is_superuser(conn))
        with conn.transaction():
            Q.synth_load_settings(conn)
            if report.fast_path:
                Q.synth_replica_role(conn)
            Q.synth_drop_cx_indexes(conn)
            if report.fast_path:
                Q.synth_resumen_temp(conn)
            years = range(FIRST_YEAR, time.gmtime(now).tm_year + 2)
            codigo_next, ficha_next = _next_numbers(conn, years)
            stream = bulk.CopyStream(conn, depth=8)
            try:
                stream.put(Q.copy_centros.sql, gen.centros(centros))
                stream.put(Q.copy_users.sql, gen.users(instructores))
                progs, objs, comps, ress = gen.programas(programas)
                for statement, lines in ((Q.copy_programas.sql, progs),
                                         (Q.copy_objetivos.sql, objs),
                                         (Q.copy_competencias.sql, comps),
                                         (Q.copy_resultados.sql, ress)):
                    stream.put(statement, lines)
                # Without the superuser's fast path the triggers keep the summaries.
                resumen = Resumen() if report.fast_path else None
                maker = SolicitudMaker(gen, max(solicitudes, 1), codigo_next, ficha_next,
                                       resumen)
                tick("solicitudes", 0, solicitudes)
                for lo in range(0, solicitudes, BATCH):
                    hi = min(lo + BATCH, solicitudes)
                    b = maker.batch(lo, hi)
                    stream.put(Q.copy_solicitudes.sql, b.solicitudes)
                    stream.put(Q.copy_horarios.sql, b.horarios)
                    stream.put(Q.copy_notificaciones.sql, b.notificaciones)
                    stream.put(Q.copy_historial.sql, b.historial)
                    tick("solicitudes", hi, solicitudes)
                if resumen is not None:
                    stream.put(Q.copy_resumen_mensual.sql, resumen.mensual_lines())
                    stream.put(Q.copy_resumen_diario.sql, resumen.diario_lines())
                    stream.put(Q.copy_resumen_anual.sql, resumen.anual_lines())
                    stream.put(Q.copy_resumen_instructor.sql, resumen.instructor_lines())
            finally:
                stream.close()
            if resumen is not None:
                Q.synth_resumen_add(conn)
            lap("carga")
            for kind, numbers in (("codigo", codigo_next), ("ficha", ficha_next)):
                for year, nxt in numbers.items():
                    if nxt > 1:
                        Q.synth_set_counter(conn, kind=kind, year=year, last=nxt - 1)
            tick("índices", 0, 1)
            bulk.run_post_apply(conn)
            tick("índices", 1, 1)
            lap("índices")
        tick("estadísticas", 0, 1)
        if vacuum:
            Q.synth_vacuum(conn)
            Q.synth_vacuum_analyzed(conn)
        else:
            Q.synth_analyze(conn)
        tick("estadísticas", 1, 1)
        lap("estadísticas")
    report.counts = dict(gen.counts)
    return report
