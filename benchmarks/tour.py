"""A scripted tour of the TUI as a coordinador (Pilot, 80x24), then the process's RSS.

Run in a fresh process by bench_startup: `python -m benchmarks.tour URL EMAIL PASSWORD`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tui.config import Settings
from tui.db.pool import make_pool
from tui.db.urls import DatabaseChoice
from tui.services.auth import login
from tui.shell.app import ComplementariasApp
from tui.shell.database import OpenDatabase


def rss_mb() -> tuple[float, float]:
    status = Path("/proc/self/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines())
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


async def tour(url: str, email: str, password: str) -> None:
    pool = make_pool(url, max_size=1)
    await pool.open(wait=True)
    session = await login(pool, email, password)
    await pool.close()
    db = OpenDatabase(url=url, choice=DatabaseChoice(url, None, "DATABASE_URL"))
    app = ComplementariasApp(db, session=session, settings=Settings(low_bandwidth=True))
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in (["l"], ["slash", *"esperanza", "enter"], ["escape"], ["f3"], ["r"],
                     ["j", "j", "enter"], ["escape"], ["f2"], ["f2"], ["f3"], ["l"], ["f3"]):
            await pilot.press(*keys)
            await pilot.pause(1.0)
        now, peak = rss_mb()
        print(f"{now:.1f} {peak:.1f}")
        await pilot.press("ctrl+q")


if __name__ == "__main__":
    asyncio.run(tour(*sys.argv[1:4]))
