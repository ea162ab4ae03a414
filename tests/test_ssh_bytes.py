"""The byte budget of the scripted session, measured through a real SSH session.

The same script as benchmarks/bytes_session.py (list, 20 row moves, a solicitud, 20 typed
characters, the sidebar), with the profile serve-ssh uses by default. The budgets are the
issue's targets (README, "Bytes on the wire"): a row move <= 400 B on average, the session
<= 25 % of what a plain Textual app sends for the same moves; idle must send nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks.bytes_session import (
    EMAIL,
    PASSWORD,
    WALK_KEYS,
    SshTerminal,
    WireCounter,
    run_script,
    run_walk,
)

from .ssh_helpers import connect, open_tui, running_server

ROW_MOVE_BUDGET = 400        # bytes per row move (mean): the target
PLAIN_TEXTUAL_SESSION = 219_825  # the same script on benchmarks/plain_app.py (README), fewest
SESSION_BUDGET = PLAIN_TEXTUAL_SESSION // 4  # the target: <= 25 % of plain Textual
ADMIN, ADMIN_PASSWORD = "admin@sena.edu.co", "Admin.Sena2026"  # sees every centro's rows


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPLEMENTARIAS_CONFIG_DIR", str(tmp_path / "config"))


async def test_scripted_session_stays_within_the_byte_budget(pool: Any, demo_url: str) -> None:
    async with (running_server(pool, demo_url) as (_ctx, port),
                connect(port, EMAIL, password=PASSWORD) as conn):
        term = SshTerminal(await open_tui(conn))
        result = await run_script(term, logged_in=True)
        await term.close()
    print(result)
    assert len(result.moves) == 20 and all(n > 0 for n in result.moves), "every move drew"
    assert result.per_move <= ROW_MOVE_BUDGET, result.moves
    assert result.total <= SESSION_BUDGET, result.steps
    assert result.idle_bps == 0


async def test_walk_down_a_long_list_scrolls_cheaply(pool: Any, demo_url: str) -> None:
    """30 row moves down a 200-row list (most of them scroll the table): <= 400 B each on
    average, encrypted through the SSH server, and each move one write, the footer keys it
    changes included (writes further apart than 0.1 s count apart)."""
    from tui.synthetic.generator import load_synthetic

    load_synthetic(demo_url, 200, centros=2, instructores=20, programas=4, vacuum=False)
    async with (running_server(pool, demo_url) as (_ctx, port), WireCounter(port) as wire,
                connect(wire.port, ADMIN, password=ADMIN_PASSWORD) as conn):
        term = SshTerminal(await open_tui(conn))
        walk = await run_walk(term, wire=wire)
        await term.close()
    print(f"walk: {WALK_KEYS} moves, terminal bytes mean {walk.per_move:.0f} max "
          f"{max(walk.bytes)}; encrypted on the wire mean {walk.wire_per_move:.0f} max "
          f"{max(walk.wire)}; writes per move {walk.frames}; bytes {walk.bytes}")
    assert len(walk.bytes) == WALK_KEYS and all(n > 0 for n in walk.bytes), "every move drew"
    assert walk.wire_per_move <= ROW_MOVE_BUDGET, walk.wire  # encrypted, scrolling included
    assert max(walk.bytes) <= 2 * ROW_MOVE_BUDGET, walk.bytes
    assert walk.frames == [1] * WALK_KEYS, walk.frames
