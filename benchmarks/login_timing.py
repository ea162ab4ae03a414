"""Login answer times: a known email with a wrong password against an unknown email.

Run on the embedded server with the demo data (the back-off waits are left out: they are
the same for both, by failures per email text):

    COMPLEMENTARIAS_DATA_DIR=/tmp/bench-data python benchmarks/login_timing.py [ROUNDS]
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import time

from tui.db.pool import make_pool
from tui.services import auth
from tui.shell.database import open_database


async def main(rounds: int) -> None:
    async def no_wait(seconds: float) -> None:
        return None

    auth._pause = no_wait
    db = open_database(None)
    pool = make_pool(db.url, min_size=1, max_size=2)
    await pool.open(wait=True)
    times: dict[str, list[float]] = {"conocido": [], "desconocido": []}
    try:
        for i in range(rounds):
            for kind, email in (("conocido", "carlos.rodriguez@sena.edu.co"),
                                ("desconocido", f"nadie{i}@sena.edu.co")):
                t0 = time.perf_counter()
                with contextlib.suppress(auth.AuthError):
                    await auth.login(pool, email, "Clave.Incorrecta.1", source=f"bench{i}")
                times[kind].append((time.perf_counter() - t0) * 1000)
    finally:
        await pool.close()
    for kind, values in times.items():
        print(f"{kind:12} mediana {statistics.median(values):7.1f} ms  "
              f"min {min(values):7.1f}  max {max(values):7.1f}  (n={len(values)})")
    diff = statistics.median(times["desconocido"]) - statistics.median(times["conocido"])
    print(f"diferencia de medianas: {diff:+.1f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
