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

import contextlib
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import bcrypt

from tui.db import bulk
from tui.db.migrations import connect
from tui.db.queries import Q
from tui.paths import ROOT
from tui.services.ids import _base36
from tui.synthetic import worker
from tui.synthetic.rows import FIRST_YEAR

SYNTHETIC_PASSWORD = "Sintetico.2026"
WORKER = "tui.synthetic.worker"  # the module that generates the rows, run with -m
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


def _stream(conn: Any, params: dict[str, Any],
            progress: Callable[[int], None]) -> dict[str, Any]:
    """Run the generator process (tui/synthetic/worker.py) and COPY its frames on ``conn``
    as they come; returns its last frame: the row counts and the next codigo and ficha
    numbers of every year."""
    statements = [getattr(Q, name).sql for name in worker.STATEMENTS]
    with tempfile.TemporaryFile() as errors:
        path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
        proc = subprocess.Popen([sys.executable, "-m", WORKER],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                                env={**os.environ, "PYTHONPATH": path})  # this very package
        assert proc.stdin is not None and proc.stdout is not None  # both are pipes
        with contextlib.suppress(AttributeError, OSError):  # fewer wake-ups; Linux only
            fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
        stream = bulk.CopyStream(conn, depth=8)
        try:
            with contextlib.suppress(BrokenPipeError):  # it died: its error comes below
                proc.stdin.write(json.dumps(params).encode("utf-8"))
                proc.stdin.close()
            done = 0
            while True:
                try:
                    kind, payload = worker.read_frame(proc.stdout)
                except EOFError:
                    proc.wait()
                    errors.seek(0)
                    tail = errors.read().decode("utf-8", "replace").strip()[-2000:]
                    raise RuntimeError("El generador del conjunto sintético terminó con error "
                                       f"(código {proc.returncode}):\n{tail}") from None
                if kind == worker.DONE:
                    made: dict[str, Any] = json.loads(payload)
                    break
                stream.put(statements[kind], payload)
                if kind == worker.SOLICITUDES:
                    done = min(done + worker.BATCH, params["solicitudes"])
                    progress(done)
        finally:
            try:
                stream.close()
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
                with contextlib.suppress(OSError):
                    proc.stdin.close()
                proc.stdout.close()
    for numbers in ("codigo_next", "ficha_next"):
        made[numbers] = worker.int_keys(made[numbers])
    return made


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
            params = {"seed": seed, "tag": tag, "now": now, "password": pw,
                      "centros": centros, "instructores": instructores,
                      "programas": programas, "solicitudes": solicitudes,
                      "codigo_next": codigo_next, "ficha_next": ficha_next,
                      # Without the superuser's fast path the triggers keep the summaries.
                      "resumen": report.fast_path}
            tick("solicitudes", 0, solicitudes)
            made = _stream(conn, params, lambda done: tick("solicitudes", done, solicitudes))
            if report.fast_path:
                Q.synth_resumen_add(conn)
            lap("carga")
            for kind in ("codigo", "ficha"):
                for year, nxt in made[f"{kind}_next"].items():
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
    report.counts = dict(made["counts"])
    return report
