"""How fast the machine is right now, printed beside every benchmark run.

The machine these figures come from is a virtual one whose speed moves by 1.5–2× from hour
to hour (the same 1 M load took 230 s one afternoon and 112 s another; the same suite 5 min
56 s and 3 min 54 s), so a figure means little without the speed it was measured at. Two
fixed workloads, each the median of five: one of Python (the client side of every service
call) and one of the database server (a sort in memory, no table read), with the load average.
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

import psycopg

from benchmarks import bench_queries as bq

PY_LOOP = 2_000_000


def _python_ms() -> float:
    t = time.perf_counter()
    total = 0
    for i in range(PY_LOOP):
        total += i * i % 7
    assert total > 0
    return (time.perf_counter() - t) * 1000


def _server_ms(conn: psycopg.Connection[Any]) -> float:
    t = time.perf_counter()
    bq.W.cpu_reference(conn)
    return (time.perf_counter() - t) * 1000


def line(url: str) -> str:
    """One line: the reference workloads' medians (ms; lower is a faster machine) and the
    load average."""
    py = statistics.median(_python_ms() for _ in range(5))
    with psycopg.connect(url, autocommit=True) as conn:
        sv = statistics.median(_server_ms(conn) for _ in range(5))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Máquina: referencia Python {py:.0f} ms, servidor {sv:.0f} ms "
            f"(medianas de 5; menos es más rápido); carga {load}")
