"""The app behind a real PgBouncer in transaction mode, as in the README's "Behind PgBouncer".

A `pgbouncer` (PATH, or Debian's /usr/sbin) is started in front of the test cluster with
`pool_mode = transaction` and two server connections per database, so every client connection
of the app's pool is lent whichever server connection is free at each transaction. Through it
run the service flows (login, draft → submit → review → approval, a searched list page, a list
export) with several connections at once; LISTEN and `migrate` go to DIRECT_URL.

CI installs pgbouncer (.ci/run); there a missing binary fails the tests instead of skipping.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from tui.cli import main as cli
from tui.db import migrations
from tui.db.embedded import EmbeddedServer
from tui.db.pool import make_pool
from tui.db.urls import choose, flag_pooled, normalize
from tui.services import auth, exports, notifications, solicitudes, transitions
from tui.services.seed import demo_accounts
from tui.shell.database import NO_DIRECT_URL, OpenDatabase

from .test_svc_lifecycle import full_form, full_horarios, programa_id

SERVER_POOL = 2        # server connections per database: fewer than the app's clients
CLIENTS = 8            # the app's pooled connections working at once
SERVER_TZ = "America/Bogota"  # what the pooler's server connections start with (not UTC)
START_S = 60.0         # generous: the CI machine is loaded


def _binary() -> str | None:
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("pgbouncer", path=path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Bouncer:
    port: int
    log: list[str]

    def url(self, direct_url: str) -> str:
        """The pooled URL of the database `direct_url` names, Prisma style."""
        dbname = urlsplit(direct_url).path.lstrip("/")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}?pgbouncer=true"

    def admin(self, command: str) -> list[tuple[Any, ...]]:
        """A command of PgBouncer's admin console (simple query protocol only)."""
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/pgbouncer",
                             autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
            return list(conn.execute(command).fetchall())

    def databases(self) -> set[str]:
        """The databases some client has connected to through the pooler."""
        return {row[0] for row in self.admin("SHOW DATABASES")}


@pytest.fixture(scope="module")
def bouncer(pg_server: EmbeddedServer, tmp_root: Path) -> Iterator[Bouncer]:
    binary = _binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pgbouncer is not installed: .ci/run installs it with apt-get")
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    folder = tmp_root / f"pgbouncer-{os.getpid()}"
    folder.mkdir(mode=0o755)
    port = _free_port()
    (folder / "userlist.txt").write_text('"postgres" ""\n', encoding="utf-8")
    ini = folder / "pgbouncer.ini"
    ini.write_text(f"""[databases]
* = host={pg_server.run_dir} port=5432 timezone={SERVER_TZ}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
admin_users = postgres
pool_mode = transaction
default_pool_size = {SERVER_POOL}
max_client_conn = 200
log_connections = 0
log_disconnections = 0
""", encoding="utf-8")
    for f in [folder, *folder.iterdir()]:
        os.chmod(f, 0o755 if f.is_dir() else 0o644)
    # As root, run it as the server's user: PgBouncer refuses root, the socket is 0700.
    owner = pg_server._owner()
    proc = subprocess.Popen(
        [binary, str(ini)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        user=owner[0] if owner else None, group=owner[1] if owner else None,
        extra_groups=[] if owner else None)
    log: list[str] = []
    up = threading.Event()

    def read() -> None:  # drains the log, so PgBouncer never blocks on a full pipe
        assert proc.stderr is not None
        for line in proc.stderr:
            log.append(line)
            if "process up" in line:
                up.set()
        up.set()  # it ended: stop waiting

    threading.Thread(target=read, daemon=True).start()
    try:
        up.wait(START_S)
        if proc.poll() is not None or not any("process up" in line for line in log):
            pytest.fail("pgbouncer did not start:\n" + "".join(log))
        yield Bouncer(port, log)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def login_of(prefix: str) -> tuple[str, str]:
    email, _role, password = next(a for a in demo_accounts() if a[0].startswith(prefix))
    return email, password


@contextlib.asynccontextmanager
async def pooled(url: str, **kwargs: Any) -> Any:
    choice = choose(url)
    assert choice.pooled and choice.url is not None
    pool = make_pool(choice.url, min_size=CLIENTS, max_size=CLIENTS, pooled=True, **kwargs)
    await pool.open(wait=True)
    try:
        yield pool
    finally:
        await pool.close()


async def at_once(work: Any, times: int) -> list[Any]:
    """`work()` `times` times in each of CLIENTS tasks running together: the pool's
    connections are all busy, and PgBouncer moves them between its fewer server
    connections from one transaction to the next."""
    async def one() -> list[Any]:
        out = []
        for _ in range(times):
            out.append(await work())
            await asyncio.sleep(0)
        return out

    results = await asyncio.gather(*(one() for _ in range(CLIENTS)))
    return [r for rs in results for r in rs]


# ---- the pooled URL ----------------------------------------------------------------------------
def test_prisma_urls_say_what_goes_through_the_pooler(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    direct = "postgresql://app:secret@db.internal:5432/sena"
    monkeypatch.setenv("DATABASE_URL", "postgres://app:secret@pool:6432/sena?pgbouncer=true"
                                       "&schema=public&connection_limit=5")
    monkeypatch.delenv("DIRECT_URL", raising=False)
    choice = choose(None, cwd=tmp_path)
    # libpq refuses Prisma's parameters: pgbouncer=true is read, then dropped
    assert (choice.url, choice.pooled) == ("postgresql://app:secret@pool:6432/sena", True)
    db = OpenDatabase(url=choice.url, choice=choice)
    assert db.direct_url is None  # LISTEN: the periodic check only
    with pytest.raises(migrations.MigrationError, match="DIRECT_URL"):
        db.require_direct()
    monkeypatch.setenv("DIRECT_URL", direct)
    db = OpenDatabase(url=choice.url, choice=choose(None, cwd=tmp_path))
    assert (db.pooled, db.direct_url, db.require_direct()) == (True, direct, direct)
    # DIRECT_URL alone says a pooler sits in front (Prisma's url/directUrl pair)
    monkeypatch.setenv("DATABASE_URL", "postgresql://app:secret@pool:6432/sena")
    assert choose(None, cwd=tmp_path).pooled
    monkeypatch.delenv("DIRECT_URL")
    plain = choose(None, cwd=tmp_path)
    assert not plain.pooled
    assert OpenDatabase(url=plain.url or "", choice=plain).direct_url == plain.url
    # the SSH server hands its URL to each session's process with the flag kept
    again = choose(flag_pooled(normalize("postgresql://app@pool:6432/sena?sslmode=require")))
    assert (again.url, again.pooled) == ("postgresql://app@pool:6432/sena?sslmode=require", True)


async def test_without_direct_url_the_badge_is_checked_periodically() -> None:
    """Behind a pooler without DIRECT_URL there is nowhere to LISTEN: only the periodic
    ticks come (the caller re-reads the unread count on each)."""
    stream = notifications.listen(None, "any-user", poll_seconds=0.01)
    ticks = [await asyncio.wait_for(anext(stream), START_S) for _ in range(3)]
    await stream.aclose()
    assert ticks == ["", "", ""]


# ---- through a real PgBouncer ------------------------------------------------------------------
async def test_the_same_query_on_many_pooled_connections_never_meets_a_prepared_statement(
        bouncer: Bouncer, demo_url: str) -> None:
    """psycopg prepares a query server-side once it has run `prepare_threshold` times on a
    connection; behind a transaction pooler the next run lands on another server connection
    ("prepared statement _pg3_0 does not exist", or "already exists" where another client
    prepared its own). The pool prepares nothing."""
    async with pooled(bouncer.url(demo_url)) as pool:
        admin = (await auth.login(pool, *login_of("admin"))).actor

        async def page() -> int:
            return len((await solicitudes.list_page(pool, admin, limit=5)).rows)

        async def count() -> int:
            async with pool.connection() as conn:
                cur = await conn.execute("SELECT count(*) AS n FROM public.solicitudes WHERE "
                                         '"estado" <> %s', ("CANCELADA",))
                return int((await cur.fetchone())["n"])

        counted = await at_once(count, times=12)  # each connection: > prepare_threshold (5)
        assert len(counted) == CLIENTS * 12 and len(set(counted)) == 1
        pages = await at_once(page, times=3)
        assert pages == [5] * (CLIENTS * 3)
        # it went through the pooler, on fewer server connections than clients
        assert urlsplit(demo_url).path.lstrip("/") in bouncer.databases()


async def test_pooled_connections_stay_in_utc(bouncer: Bouncer, demo_url: str) -> None:
    """PgBouncer refuses the `options` startup parameter; the pool sets TimeZone instead, a
    setting PgBouncer restores on every server connection it lends (those start in Bogotá
    time here)."""
    async with pooled(bouncer.url(demo_url)) as pool:
        async def zone() -> str:
            async with pool.connection() as conn, conn.transaction():
                cur = await conn.execute("SELECT current_setting('TimeZone') AS tz")
                return str((await cur.fetchone())["tz"])

        assert set(await at_once(zone, times=6)) == {"UTC"}
    with psycopg.connect(normalize(bouncer.url(demo_url)), autocommit=True) as raw:
        assert raw.execute("SHOW TimeZone").fetchone() == (SERVER_TZ,)


async def test_the_lifecycle_search_export_and_live_notifications_through_pgbouncer(
        bouncer: Bouncer, demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", bouncer.url(demo_url))
    monkeypatch.setenv("DIRECT_URL", demo_url)
    choice = choose(None, cwd=tmp_path)
    db = OpenDatabase(url=choice.url or "", choice=choice)
    assert db.pooled and db.direct_url == normalize(demo_url)
    async with pooled(bouncer.url(demo_url)) as pool:
        carlos, juan = await asyncio.gather(auth.login(pool, *login_of("carlos")),
                                            auth.login(pool, *login_of("juan")))
        instructor, coordinador = carlos.actor, juan.actor
        heard: asyncio.Queue[str] = asyncio.Queue()

        async def listen() -> None:
            async for item in notifications.listen(db.direct_url, coordinador.id,
                                                   poll_seconds=0.5):
                await heard.put(item)

        listener = asyncio.create_task(listen())
        try:
            # the first periodic tick: LISTEN is in place on the direct connection
            assert await asyncio.wait_for(heard.get(), START_S) == ""
            prog = await programa_id(pool, "CF-001-2024")
            drafts = await asyncio.gather(*(
                solicitudes.create_draft(pool, instructor, full_form(instructor, prog),
                                         full_horarios()) for _ in range(4)))
            assert {d.estado for d in drafts} == {"BORRADOR"}
            assert len({d.codigo for d in drafts}) == 4
            sent = await asyncio.gather(*(transitions.submit(pool, instructor, d.id)
                                          for d in drafts))
            assert {s.estado for s in sent} == {"PENDIENTE"}
            # each submission notifies the coordinador, live, through DIRECT_URL
            ids: set[str] = set()
            while len(ids) < len(drafts):
                item = await asyncio.wait_for(heard.get(), START_S)
                if item:
                    ids.add(item)
            await asyncio.gather(*(transitions.take_into_review(pool, coordinador, d.id)
                                   for d in drafts))
            done = await asyncio.gather(*(transitions.approve(pool, coordinador, d.id)
                                          for d in drafts))
            assert {d.estado for d in done} == {"APROBADA"}
            assert len({d.data["numeroFicha"] for d in done}) == 4
            # a list page with a search, and an export, while other clients work
            search = solicitudes.Filtros(texto="tornillo")
            page, result = await asyncio.gather(
                solicitudes.list_page(pool, coordinador, search),
                exports.export_list(pool, coordinador, search, "csv",
                                    path=tmp_path / "lista.csv"))
            codigos = {d.codigo for d in drafts}
            assert codigos <= {r["codigo"] for r in page.rows}
            text = result.path.read_text(encoding="utf-8-sig")
            assert result.rows >= 4 and all(c in text for c in codigos)
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener


def test_migrate_goes_to_direct_url_and_services_to_the_pooler(
        bouncer: Bouncer, fresh_db: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """yoyo sets search_path for its session and holds a lock across statements: through a
    transaction pooler neither would hold. `migrate` uses DIRECT_URL, and refuses without it."""
    name = urlsplit(fresh_db).path.lstrip("/")
    pooled_url = bouncer.url(fresh_db)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DIRECT_URL", raising=False)
    with pytest.raises(SystemExit):
        cli.main(["--database-url", pooled_url, "migrate"])
    assert NO_DIRECT_URL in capsys.readouterr().err
    monkeypatch.setenv("DIRECT_URL", fresh_db)
    # the README's statement timeout for pooled connections, here absurdly short: the
    # migrations lift it for their own sessions
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET statement_timeout = 1')
    assert cli.main(["--database-url", pooled_url, "migrate"]) == 0
    assert "0001_baseline" in capsys.readouterr().out
    assert name not in bouncer.databases()  # nothing of it went through the pooler
    with migrations.connect(fresh_db) as conn:
        assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)
        conn.execute(f'ALTER DATABASE "{name}" RESET statement_timeout')
    assert cli.main(["--database-url", pooled_url, "migrate", "--list"]) == 0
    assert "pendiente" not in capsys.readouterr().out
    # a service command: the pending check on DIRECT_URL, its work through the pooler
    assert cli.main(["--database-url", pooled_url, "user", "list"]) == 0
    assert "0 usuario(s)." in capsys.readouterr().out
    assert name in bouncer.databases()


async def test_two_ssh_front_ends_share_one_pgbouncer(
        bouncer: Bouncer, demo_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two `serve-ssh` front-ends on one pooler: each logs its user in through it; each
    session's own process, told by the server that the URL is pooled and what DIRECT_URL is,
    opens the app through the pooler and LISTENs on the direct connection."""
    from .conftest import eventually
    from .ssh_helpers import connect, open_tui, read_until, running_server

    monkeypatch.setenv("COMPLEMENTARIAS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COMPLEMENTARIAS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DIRECT_URL", raising=False)
    url = bouncer.url(demo_url)
    dbname = urlsplit(demo_url).path.lstrip("/")
    both_in = asyncio.Event()

    def listeners() -> int:
        with psycopg.connect(demo_url, autocommit=True) as conn:
            return int(conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                "application_name = 'cx-listen' AND query ILIKE 'LISTEN%%'",
                (dbname,)).fetchone()[0])

    async def session(pool: Any, who: str, shows: bytes) -> bytes:
        email, password = login_of(who)
        async with running_server(pool, url) as (ctx, port), \
                connect(port, email, password=password) as conn:
            ctx.direct_url = demo_url  # what `serve-ssh` read from DIRECT_URL or .env
            proc = await open_tui(conn)
            seen = await read_until(proc, shows, timeout=START_S)
            await both_in.wait()  # both sessions open while the listeners are counted
            return seen

    async def count_listeners() -> list[tuple[Any, ...]]:
        await eventually(lambda: listeners() >= 2, what="both sessions LISTEN directly")
        clients = bouncer.admin("SHOW CLIENTS")
        both_in.set()
        return clients

    async with pooled(url) as one, pooled(url) as two:
        carlos, juan, clients = await asyncio.gather(session(one, "carlos", b"Carlos"),
                                                     session(two, "juan", b"Juan"),
                                                     count_listeners())
    assert b"Correo institucional" not in carlos + juan  # logged in, no login screen
    # the pooler's clients: the two servers' pools and each session's own pool (shown the
    # home screen through it), never a LISTEN connection (application_name, last column)
    names = [c[-1] for c in clients if c[2] == dbname]
    assert names.count("complementarias") >= 2 * CLIENTS + 2 and "cx-listen" not in names
