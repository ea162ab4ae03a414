"""Benchmark of exports and the instructor import, on a throwaway embedded PostgreSQL.

    python benchmarks/bench_exports.py [--copies 12500]

Loads the demo data plus `--copies` × 8 solicitudes (100 000 by default), then times, as the
admin, a list export to CSV, XLSX and PDF (rows streamed through a server-side cursor; the
peak memory of the process is printed before and after), one ficha to PDF and XLSX, and the
dry run and import of a 200-row instructor CSV (with 3 bad rows). Prints one line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.db import migrations  # noqa: E402
from tui.db.embedded import EmbeddedServer  # noqa: E402
from tui.db.pool import make_pool  # noqa: E402
from tui.services import exports, imports  # noqa: E402
from tui.services.seed import load_demo  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def instructor_file(path: Path, n: int = 200) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Apellidos", "Nombres", "Cédula", "Email", "Teléfono", "Especialidad"])
        for i in range(n):
            email = f"bench.instructor{i}@sena.edu.co"
            cedula = str(1_050_000_000 + i)
            if i == 10:
                email = "alguien@gmail.com"  # not institutional
            if i == 20:
                cedula = "12AB"  # not digits
            if i == 30:
                email = "bench.instructor0@sena.edu.co"  # repeated in the file
            out.writerow([f"Apellido{i}", f"Nombre{i}", cedula, email, "3001234567", "TIC"])


async def run(url: str, work: Path) -> None:
    pool = make_pool(url, min_size=1, max_size=4)
    await pool.open(wait=True)
    try:
        admin = await exports.acting_user(pool, "admin@sena.edu.co")
        for fmt in ("csv", "xlsx", "pdf"):
            before = peak_mb()
            t = time.perf_counter()
            res = await exports.export_list(pool, admin, None, fmt, work / f"lista.{fmt}")
            dt = time.perf_counter() - t
            size = res.path.stat().st_size / 1048576
            print(f"export lista {fmt}: {res.rows} filas en {dt:.1f} s ({size:.1f} MB); "
                  f"memoria máxima del proceso {before:.0f} → {peak_mb():.0f} MB")
        for fmt in ("pdf", "xlsx"):
            t = time.perf_counter()
            await exports.export_solicitud(pool, admin, "SOL-2026-001", fmt, work / f"f.{fmt}")
            print(f"export ficha {fmt}: {(time.perf_counter() - t) * 1000:.0f} ms")
        juan = await exports.acting_user(pool, "juan.martinez@sena.edu.co")
        path = work / "instructores.csv"
        instructor_file(path)
        t = time.perf_counter()
        report = await imports.dry_run(pool, juan, path)
        print(f"import 200 filas, simulación: {(time.perf_counter() - t) * 1000:.0f} ms · "
              f"{report.summary()}")
        t = time.perf_counter()
        report = await imports.run_import(pool, juan, path)
        print(f"import 200 filas, creación (bcrypt 12 en hilos, una transacción): "
              f"{time.perf_counter() - t:.1f} s · {report.summary()}")
    finally:
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=12_500)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="cxbench-", dir="/tmp"))
    os.chmod(root, 0o755)
    server = EmbeddedServer(root / "pg")
    server.acquire()
    try:
        url = server.url()
        migrations.apply(url)
        sql = (Path(__file__).parent / "bulk_solicitudes.sql").read_text(encoding="utf-8")
        with psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC") as conn:
            load_demo(conn)
            t = time.perf_counter()
            conn.execute(sql, {"copies": args.copies})  # type: ignore[arg-type]
            conn.execute("ANALYZE")
            print(f"datos: {args.copies * 8} solicitudes insertadas en "
                  f"{time.perf_counter() - t:.1f} s")
        work = root / "out"
        work.mkdir()
        asyncio.run(run(url, work))
    finally:
        server.release()
        server.stop(force=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
