"""Test fixtures on a real PostgreSQL: the app's own embedded server.

One server per test session, in a throwaway data folder, stopped at the end even on failure.
Two template databases are migrated once (`cx_tpl_empty`, and `cx_tpl_demo` with the demo
data); each test that asks for a database gets a fresh clone (CREATE DATABASE … TEMPLATE),
which takes a few milliseconds.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import settings
from psycopg import sql

from tui.db import migrations
from tui.db.embedded import EmbeddedServer
from tui.db.pool import make_pool
from tui.services.seed import load_demo

_counter = itertools.count(1)

# Test accounts use bcrypt's lowest cost (a cost-12 login costs ~240 ms, and the suite logs in
# hundreds of times); `real_bcrypt_cost` gives a test the production cost back.
FAST_COST = 4

# Property tests (hypothesis) run under one of two profiles, chosen by HYPOTHESIS_PROFILE:
# - `ci` (the default): a quarter of each property's examples (`examples`), the same ones on
#   every run (derandomized: a CI failure is reproducible here);
# - `nightly`: every property's full count, new random examples on each run.
settings.register_profile("ci", derandomize=True, deadline=None, database=None)
settings.register_profile("nightly", derandomize=False, deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
CI_SHARE = 4


def examples(nightly: int) -> int:
    """How many examples a property runs: `nightly` under the nightly profile, a quarter of it
    (at least 10) in CI."""
    return nightly if PROFILE == "nightly" else max(10, nightly // CI_SHARE)


# The files whose tests take longest, longest first. xdist hands tests out in collection
# order (after the `xdist_group` files, which go first as whole groups): a long test handed
# out last would run alone at the end while the other workers sit idle.
LONG_FIRST = ("test_layering.py", "test_leave_guard.py", "test_ssh_bytes.py",
              "test_spanish_text.py", "test_frame_diff.py", "test_ui_form.py",
              "test_ui_admin.py", "test_ssh_hostile.py", "test_ssh_server.py")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers more than there are cores (capped by `--maxprocesses`). A worker
    mostly waits (on PostgreSQL, a subprocess, the UI going idle: the tests' own CPU was 164
    s of their 595 s): on 2 cores the whole suite took 169 s with 4 workers and 204 s with 3,
    run one after the other, for the same CPU (255 and 252 s of every process)."""
    return (os.cpu_count() or 1) + 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long files first (a stable sort: each file keeps its own order)."""
    rank = {name: i for i, name in enumerate(LONG_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FIRST)))


# Test clusters live in memory (tmpfs) when the machine has one with room: cloning the demo
# database for a test took 46–166 ms on the disk and 10–16 ms there (fsync is off either way,
# but the disk's page cache still writes everything back). /tmp otherwise.
SHM = Path("/dev/shm")
SHM_NEEDED = 4 << 30  # bytes: four workers' clusters, their WAL and the crash tests' servers


def _tmp_base() -> str:
    try:
        if os.access(SHM, os.W_OK) and shutil.disk_usage(SHM).free >= SHM_NEEDED:
            return str(SHM)
    except OSError:
        pass
    return "/tmp"


def _tmp_root() -> Path:
    base = Path(tempfile.mkdtemp(prefix="cxt-", dir=_tmp_base()))
    os.chmod(base, 0o755)  # the unprivileged server user must traverse it when we are root
    return base


@pytest.fixture(autouse=True)
def own_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder: an export given no path, or a relative one (the
    hostile-input tests pass names like "'; DROP TABLE …--.csv"), lands there, never in the
    checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def journal_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test has its own local journal folder (the form writes one as the user types)."""
    from tui.uikit import journal

    folder = tmp_path / "journal"
    monkeypatch.setattr(journal, "folder", lambda: folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def fast_bcrypt() -> Iterator[None]:
    from tui.services import auth

    production = auth.COST
    auth.COST = FAST_COST
    yield
    auth.COST = production


@pytest.fixture(autouse=True)
def login_pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The login back-off's waits, recorded instead of slept (the waits are asserted where
    they matter, in test_auth_hardening.py)."""
    from tui.services import auth

    assert auth._pause is asyncio.sleep  # what production waits with
    seen: list[float] = []

    async def record(seconds: float) -> None:
        seen.append(seconds)

    monkeypatch.setattr(auth, "_pause", record)
    return seen


@pytest.fixture(autouse=True)
def unread_hash_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test reads the common bcrypt cost of its own database (the process caches it for
    10 minutes, and databases of cost-4 and cost-12 hashes share a test worker)."""
    from tui.services import auth

    monkeypatch.setattr(auth, "_common_cost", (0.0, auth.COST))


@pytest.fixture
def real_bcrypt_cost(monkeypatch: pytest.MonkeyPatch) -> int:
    """New hashes at the production cost for this test."""
    from tui.services import auth

    monkeypatch.setattr(auth, "COST", 12)
    return 12


def fast_demo_hashes(conn: psycopg.Connection[Any]) -> None:
    """Re-hash the demo accounts' passwords at FAST_COST (same passwords)."""
    import bcrypt

    from tui.services.seed import demo_accounts

    for email, _role, password in demo_accounts():
        hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(FAST_COST)).decode()
        conn.execute('UPDATE public.users SET "password" = %s WHERE email = %s',
                     (hashed, email))


@pytest.fixture(scope="session")
def tmp_root() -> Iterator[Path]:
    root = _tmp_root()
    yield root
    # The stopped cluster's thousands of files go in the background: the worker ends now.
    try:
        subprocess.Popen(["rm", "-rf", str(root)], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def started_server(root: Path, durable: bool = False) -> Iterator[EmbeddedServer]:
    """An embedded PostgreSQL of its own in `root`, stopped (forcibly) at the end. Not durable
    unless asked (no fsync, no synchronous commit): a throwaway cluster needs neither, and
    only the crash tests kill the server and count what survived."""
    server = EmbeddedServer(root / "pg", durable=durable)
    server.acquire()
    try:
        yield server
    finally:
        server.release()
        server.stop(force=True)


@pytest.fixture(scope="session")
def pg_server(tmp_root: Path) -> Iterator[EmbeddedServer]:
    with started_server(tmp_root) as server:
        yield server


def admin_conn(server: EmbeddedServer) -> psycopg.Connection[Any]:
    return psycopg.connect(server.url("postgres"), autocommit=True)


def create_db(server: EmbeddedServer, name: str, template: str | None = None) -> str:
    with admin_conn(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))
        if template:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)))
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.url(name)


def drop_db(server: EmbeddedServer, name: str) -> None:
    with admin_conn(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def templates(pg_server: EmbeddedServer) -> dict[str, str]:
    empty = create_db(pg_server, "cx_tpl_empty")
    migrations.apply(empty)
    demo = create_db(pg_server, "cx_tpl_demo", template="cx_tpl_empty")
    with psycopg.connect(demo, autocommit=True, options="-c TimeZone=UTC") as conn:
        load_demo(conn)
        fast_demo_hashes(conn)
    return {"empty": "cx_tpl_empty", "demo": "cx_tpl_demo"}


@pytest.fixture
def fresh_db(pg_server: EmbeddedServer) -> Iterator[str]:
    """An empty database with nothing in it (not migrated)."""
    name = f"cx_t{os.getpid()}_{next(_counter)}"
    url = create_db(pg_server, name)
    yield url
    drop_db(pg_server, name)


@pytest.fixture
def db_url(pg_server: EmbeddedServer, templates: dict[str, str]) -> Iterator[str]:
    """A migrated, empty database (a clone of the template)."""
    name = f"cx_t{os.getpid()}_{next(_counter)}"
    url = create_db(pg_server, name, template=templates["empty"])
    yield url
    drop_db(pg_server, name)


@pytest.fixture
def demo_url(pg_server: EmbeddedServer, templates: dict[str, str]) -> Iterator[str]:
    """A migrated database with the demo data."""
    name = f"cx_t{os.getpid()}_{next(_counter)}"
    url = create_db(pg_server, name, template=templates["demo"])
    yield url
    drop_db(pg_server, name)


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(db_url, autocommit=True, options="-c TimeZone=UTC") as c:
        yield c


@pytest.fixture
def demo_conn(demo_url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(demo_url, autocommit=True, options="-c TimeZone=UTC") as c:
        yield c


@pytest.fixture
async def pool(demo_url: str) -> AsyncIterator[Any]:
    """An open async pool on a fresh demo database (what the services run on)."""
    p = make_pool(demo_url, min_size=1, max_size=20)
    await p.open(wait=True)
    try:
        yield p
    finally:
        await p.close()


@pytest.fixture
def make_app(demo_url: str) -> Any:
    """Build the TUI on the test's demo database (embedded=True shows the demo hint)."""
    from tui.config import Settings
    from tui.db.urls import DatabaseChoice
    from tui.shell.app import ComplementariasApp
    from tui.shell.database import OpenDatabase

    def make(session: Any = None, embedded: bool = True) -> ComplementariasApp:
        choice = DatabaseChoice(None if embedded else demo_url, None,
                                "embebida" if embedded else "DATABASE_URL")
        db = OpenDatabase(url=demo_url, choice=choice)
        # low_bandwidth: no cursor blink, so snapshots are deterministic
        return ComplementariasApp(db, session=session, settings=Settings(low_bandwidth=True))

    return make


@pytest.fixture
def login_as(pool: Any) -> Any:
    """`await login_as("carlos")` → a Session for a demo account (by email prefix)."""
    from tui.services.auth import login
    from tui.services.seed import demo_accounts

    async def do(prefix: str) -> Any:
        email, _role, password = next(a for a in demo_accounts() if a[0].startswith(prefix))
        return await login(pool, email, password)

    return do


async def settle(pilot: Any) -> None:
    """Let the UI finish its work: pending messages and workers (a worker replaced by a newer
    exclusive one ends cancelled, which is fine here)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(4):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):
            continue
    await pilot.pause()


WAIT_S = 60.0  # generous: the CI machine is loaded, and a short deadline flakes


async def wait_until(pilot: Any, condition: Any, timeout: float = WAIT_S) -> None:
    """Pause until `condition()` holds (a screen's data is shown), then settle. Gives up
    after `timeout` seconds of wall clock; the caller's assertions then say what was missing."""
    await shown(pilot, condition, timeout)
    await settle(pilot)


async def shown(pilot: Any, condition: Any, timeout: float = WAIT_S) -> bool:
    """Pause until `condition()` holds, without waiting for workers (for a dialog that a
    worker is itself waiting on). False if it never held within `timeout` s of wall clock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: BLE001 - widgets may not exist yet
            pass
        await pilot.pause(0.05)
    _note_timeout(condition)
    return False


async def eventually(condition: Any, timeout: float = WAIT_S, what: str = "",
                     step: float = 0.05) -> float:
    """Wait (outside an app) until `condition()` holds; returns the seconds it took. Fails
    after `timeout` s of wall clock."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while not condition():
        if loop.time() - start > timeout:
            raise AssertionError(f"not within {timeout:.0f} s: {what or condition}")
        await asyncio.sleep(step)
    return loop.time() - start


async def save_state_reaches(screen: Any, prefix: str, timeout: float = WAIT_S) -> str:
    """Await the form's save-state changes (an event, no polling) until it starts with
    `prefix`; returns it."""
    async with asyncio.timeout(timeout):
        while True:
            screen.save_state_changed.clear()
            if screen.save_state.startswith(prefix):
                return str(screen.save_state)
            await screen.save_state_changed.wait()


def _note_timeout(condition: Any) -> None:
    """CX_WAIT_LOG=path lists the waits that ran out (a wait that always does is a slow test)."""
    log = os.environ.get("CX_WAIT_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            code = getattr(condition, "__code__", None)
            where = f"{code.co_filename}:{code.co_firstlineno}" if code else repr(condition)
            f.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '?')} {where}\n")


def stable_svg(app: Any, size: tuple[int, int], run_before: Any) -> str:
    """An SVG screenshot with Rich's content-hash ids normalised: for screens whose hidden
    style metadata (not what is drawn) differs between runs."""
    import re

    from textual._doc import take_svg_screenshot

    svg = take_svg_screenshot(app=app, terminal_size=size, run_before=run_before)
    return re.sub(r"terminal-\d+", "terminal", svg)
