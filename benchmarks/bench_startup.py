"""Warm start to the first frame, ours against a bare Textual app started the same way (a
fresh `python -m …` on a pseudo-terminal, timed until the first screen's text is drawn), and
the RSS of one TUI session after a scripted tour."""

from __future__ import annotations

import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
MARKER = "Correo institucional".encode()


def first_frame(args: list[str], timeout: float = 30.0) -> float:
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, *args])
    t0 = time.perf_counter()
    seen = b""
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if MARKER in seen:
                    return time.perf_counter() - t0
        raise RuntimeError("no first frame: " + seen[-300:].decode(errors="replace"))
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


def run(url: str, reps: int = 7) -> None:
    os.chdir(ROOT)
    ours = ["-m", "tui.cli.main"]
    bare = [str(ROOT / "benchmarks" / "bare_app.py")]
    first_frame(ours), first_frame(bare)  # warm the caches
    t_ours = [first_frame(ours) for _ in range(reps)]
    t_bare = [first_frame(bare) for _ in range(reps)]
    m_ours, m_bare = statistics.median(t_ours), statistics.median(t_bare)
    print("\n## Arranque en caliente hasta el primer cuadro (mediana de "
          f"{reps})\n\n| aplicación | s |\n|---|---:|\n| complementarias | {m_ours:.2f} |\n"
          f"| Textual vacía | {m_bare:.2f} |\n| razón | {m_ours / m_bare:.2f}× |")
    with psycopg.connect(url, autocommit=True) as c:
        email = c.execute("""SELECT u."email" FROM public.users u
                              WHERE u."role" = 'COORDINADOR' AND u."email" LIKE 'coordinador.%%'
                              ORDER BY u."createdAt" LIMIT 1""").fetchone()
    if email is None:
        print("RSS: no hay coordinador sintético; omitido.")
        return
    out = subprocess.run([sys.executable, "-m", "benchmarks.tour", url, email[0],
                          "Sintetico.2026"], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        print("RSS: el recorrido falló:\n" + out.stderr[-1500:])
        return
    now, peak = out.stdout.split()[-2:]
    print(f"\nRSS de una sesión tras el recorrido guiado: {now} MB (pico {peak} MB)")
