"""Warm start to the first frame, ours against a bare Textual app started the same way (a
fresh `python -m …` on an 80x24 pseudo-terminal, ended by benchmarks/first_frame.py once the
first screen's text is drawn), and the RSS of one TUI session after a scripted tour.

Each start is timed (median, interleaved runs) and counted in instructions executed to the
first frame, every thread included (valgrind's callgrind, when installed): on a machine
shared with other work the seconds vary by 2x, the instructions by well under 1 %.

    python -m benchmarks.bench_startup [RUNS]     # the start-up table alone
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
MARKER = b"Correo institucional"
FIRST_FRAME = ROOT / "benchmarks" / "first_frame.py"


def _on_pty(argv: list[str], timeout: float, **env: str) -> tuple[float | None, bytes]:
    """Run `argv` (with `env` added) on a new pseudo-terminal until it exits (first_frame.py
    ends it at its first frame): seconds until MARKER was drawn (None if never, or if the
    process did not end by itself), and the tail of what it wrote."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        # A terminal of 80x24, as a terminal window has a size (a new pseudo-terminal is
        # 0x0, which Rich and Textual's driver read as 80x25 and 80x24: a second layout).
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.environ.update(env, TERM="xterm-256color")
        # A warm start reads compiled bytecode, as an installed copy does (the first run,
        # which warms the caches, writes it where this environment says not to).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.execvp(argv[0], argv)
    t0 = time.perf_counter()
    seen, drawn = b"", None
    try:
        while time.perf_counter() - t0 < timeout:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child's side of the terminal closed: it is ending
                    chunk = b""
                if not chunk:
                    status = os.waitpid(pid, 0)[1]
                    pid = 0
                    return (drawn if status == 0 else None), seen[-300:]
                seen = (seen + chunk)[-65536:]
                if drawn is None and MARKER in seen:
                    drawn = time.perf_counter() - t0
        return None, seen[-300:]  # still running: it did not end at its first frame
    finally:
        if pid:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        os.close(fd)


def first_frame(args: list[str], timeout: float = 30.0) -> float:
    """Seconds from launch to the first frame holding MARKER (the program then exits)."""
    drawn, tail = _on_pty([sys.executable, str(FIRST_FRAME), *args], timeout)
    if drawn is None:
        raise RuntimeError("no first frame: " + tail.decode(errors="replace"))
    return drawn


def instructions(args: list[str], timeout: float = 900.0) -> int | None:
    """Instructions executed from launch to the first frame (every thread), counted by
    valgrind's callgrind; None when valgrind is not installed."""
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "callgrind.log"
        drawn, tail = _on_pty(["valgrind", "--tool=callgrind", f"--log-file={log}",
                               f"--callgrind-out-file={tmp}/out", sys.executable,
                               str(FIRST_FRAME), *args], timeout,
                              PYTHONHASHSEED="0")  # the same dict layouts in every run
        m = re.search(r"Collected : (\d+)", log.read_text())
    if drawn is None or m is None:
        raise RuntimeError("no first frame under valgrind: " + tail.decode(errors="replace"))
    return int(m.group(1))


def startup(reps: int = 7) -> None:
    """The start-up table: median seconds to the first frame, and instructions to it."""
    os.chdir(ROOT)
    ours = ["-m", "tui.cli.main"]
    bare = [str(ROOT / "benchmarks" / "bare_app.py")]
    first_frame(ours), first_frame(bare)  # warm the caches
    t_ours, t_bare = [], []
    for _ in range(reps):  # interleaved: a burst of load elsewhere hits both alike
        t_ours.append(first_frame(ours))
        t_bare.append(first_frame(bare))
    m_ours, m_bare = statistics.median(t_ours), statistics.median(t_bare)
    i_ours, i_bare = instructions(ours), instructions(bare)
    print("\n## Arranque en caliente hasta el primer cuadro (mediana de "
          f"{reps})\n\n| aplicación | s | instrucciones |\n|---|---:|---:|")
    print(f"| complementarias | {m_ours:.2f} | {_millions(i_ours)} |\n"
          f"| Textual vacía | {m_bare:.2f} | {_millions(i_bare)} |\n"
          f"| razón | {m_ours / m_bare:.2f}× | "
          + ("—" if i_ours is None or i_bare is None else f"{i_ours / i_bare:.2f}×") + " |")


def _millions(n: int | None) -> str:
    return "—" if n is None else f"{n / 1e6:,.0f} M".replace(",", " ")


def run(url: str, reps: int = 7) -> None:
    startup(reps)
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


if __name__ == "__main__":  # the start-up table alone: python -m benchmarks.bench_startup [N]
    startup(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
