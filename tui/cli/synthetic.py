"""`complementarias seed --synthetic`: the progress bar and the summary on the terminal."""

from __future__ import annotations

import sys
import time

from tui.synthetic.generator import SYNTHETIC_PASSWORD, Progress, load_synthetic

WIDTH = 30


def _bar(started: float) -> Progress:
    def show(phase: str, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        filled = int(WIDTH * frac)
        elapsed = time.perf_counter() - started
        line = (f"\r{phase:<13} [{'#' * filled}{'.' * (WIDTH - filled)}] {frac:6.1%} "
                f"{done:>10,}/{total:,}  {elapsed:6.1f} s").replace(",", " ")
        sys.stdout.write(line)
        if done >= total:
            sys.stdout.write("\n")
        sys.stdout.flush()

    return show


def seed_synthetic(url: str, solicitudes: int) -> int:
    if solicitudes < 1:
        print("Error: --solicitudes debe ser 1 o mayor.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    report = load_synthetic(url, solicitudes, progress=_bar(started))
    total = time.perf_counter() - started
    parts = ", ".join(f"{n:,} {k}".replace(",", " ") for k, n in report.counts.items())
    print(f"Conjunto sintético cargado en {total:.1f} s: {parts}.")
    print("Tiempos: " + ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items()))
    if not report.fast_path:
        print("(Sin superusuario: las claves foráneas se comprobaron fila a fila; es más lento.)")
    print(f"Contraseña de todas las cuentas sintéticas: {SYNTHETIC_PASSWORD}")
    return 0
