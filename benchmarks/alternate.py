"""Old code against new, alternating: the harness of `benchmarks.alternate_search` and
`benchmarks.alternate_informe`.

A single before/after run on a loaded machine is noise. Two worker processes run on the same
database, one importing the code of `--old` (a source tree, e.g. `git archive` of the commit
before the change) and one this tree; each is asked in turn for every case (which one goes
first alternates), so both see the same load. A worker is the benchmark module itself run
with `--serve URL`: it prints its case names as one JSON line, then answers each name it
reads with one JSON line holding "ms" and what it returned. The table gives p50/p95 per case
and marks the cases whose answers differ.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

Answer = dict[str, Any]
Same = Callable[[Answer, Answer], bool]  # do the old and the new answer agree?


def _worker(module: str, tree: Path, url: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.Popen([sys.executable, "-m", module, "--serve", url], cwd=tree, env=env,
                            text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def _read(worker: subprocess.Popen[str]) -> Any:
    assert worker.stdout is not None  # a pipe
    return json.loads(worker.stdout.readline())


def _ask(worker: subprocess.Popen[str], name: str) -> Answer:
    assert worker.stdin is not None  # a pipe
    worker.stdin.write(name + "\n")
    worker.stdin.flush()
    answer: Answer = _read(worker)
    return answer


def _pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def main(module: str, serve: Callable[[str], Coroutine[Any, Any, None]], same: Same,
         column: str, reps: int = 15) -> None:
    """The command line of an alternating benchmark: `--serve URL` runs `serve` (a worker);
    otherwise both workers are started and compared, `column` naming the table's cases."""
    p = argparse.ArgumentParser()
    p.add_argument("--old", type=Path, help="source tree of the code before the change")
    p.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--reps", type=int, default=reps)
    p.add_argument("--serve", metavar="URL", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    if not args.url:
        from tui.shell.database import open_database
        args.url = open_database(None).url
    here = Path(__file__).resolve().parent.parent
    workers = {"antes": _worker(module, args.old, args.url),
               "después": _worker(module, here, args.url)}
    ready = [_read(w) for w in workers.values()]  # each worker's case names
    names: list[str] = ready[0]
    times: dict[tuple[str, str], list[float]] = {}
    differ: set[str] = set()
    loads = [os.getloadavg()[0]]
    for rep in range(args.reps + 1):  # the first round warms up
        for name in names:
            order = list(workers) if rep % 2 else list(workers)[::-1]
            got = {which: _ask(workers[which], name) for which in order}
            if rep:
                for which, answer in got.items():
                    times.setdefault((name, which), []).append(answer["ms"])
            if not same(got["antes"], got["después"]):
                differ.add(name)
    loads.append(os.getloadavg()[0])
    for w in workers.values():
        assert w.stdin is not None  # a pipe
        w.stdin.close()
        w.wait()
    print(f"load average: {loads[0]:.1f} → {loads[1]:.1f}")
    print(f"| rol | {column} | antes p50 | antes p95 | después p50 | después p95 | "
          "después/antes (p50) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name in names:
        role, what = name.split("|")
        old, new = times[(name, "antes")], times[(name, "después")]
        mark = " (resultados distintos)" if name in differ else ""
        print(f"| {role} | {what}{mark} | {_pct(old, 50):.1f} | {_pct(old, 95):.1f} | "
              f"{_pct(new, 50):.1f} | {_pct(new, 95):.1f} | "
              f"{_pct(new, 50) / _pct(old, 50):.2f} |")
