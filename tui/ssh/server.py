"""`serve-ssh`: an asyncssh server whose only service is the TUI, with the app's accounts.

Authentication: the SSH user name is the account's email; the password goes through the same
`auth.login` as the login screen (lockout, inactive users, the attempt recorded with source
`ssh:<ip>`), or a public key the user registered in the app. No port, agent or X11
forwarding; sessions are the app on a PTY, or an `export` download (see session.py).
Every connection is bounded: capped and timed before authentication, one slot (with or
without a shell) after it, keepalives to notice a dropped link (see limits.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import asyncssh

from tui import downloads
from tui.downloads import EXPORT_DIR_ENV, GET_HINT_ENV
from tui.services import auth, ssh_keys, tickets
from tui.shell.bandwidth import apply_profile
from tui.ssh import hostkey
from tui.ssh.child import TICKET_ENV, URL_ENV
from tui.ssh.limits import ConnectionRegistry
from tui.ssh.logsafe import field
from tui.ssh.session import BridgeSession

if TYPE_CHECKING:
    from tui.db.pool import Pool

log = logging.getLogger("complementarias.ssh")

LOGIN_GRACE_S = 30.0
"""Seconds a connection has to authenticate (OpenSSH's LoginGraceTime; half-open TCP
connections and silent clients are dropped then)."""
MAX_STARTUPS, MAX_STARTUPS_PER_IP = 30, 10
"""Unauthenticated connections at once, in total and from one address (OpenSSH's
MaxStartups); more are closed at once."""
KEEPALIVE_S, KEEPALIVE_COUNT = 10.0, 3
"""A client silent for this long is asked for a keepalive; after this many unanswered asks
(a dropped link: at most 40 s) the connection and its session end."""
NO_SESSION_TIMEOUT_S = 30.0
"""An authenticated connection without the app open (`ssh -N`, a finished download) is
closed after this long."""
NO_SESSION = "Conexión cerrada: esta conexión solo abre la aplicación."

# The server's environment reaches the child, except what describes the server's own terminal.
_DROP_ENV = ("TERM", "COLORTERM", "COLUMNS", "LINES", "TERM_PROGRAM", "TMUX", "STY",
             "SSH_AUTH_SOCK", TICKET_ENV, URL_ENV)


@dataclass
class ServerContext:
    pool: Pool
    db_url: str                  # for the sessions' processes (`pgbouncer=true` if pooled)
    direct_url: str | None = None  # DIRECT_URL, handed on even when it came from a .env
    registry: ConnectionRegistry = dataclass_field(default_factory=ConnectionRegistry)
    idle_timeout_s: float = 30 * 60
    no_session_timeout_s: float = NO_SESSION_TIMEOUT_S
    low_bandwidth: bool = True
    fps: int = 10
    colors: str = "16"
    sessions: set[BridgeSession] = dataclass_field(default_factory=set)

    async def issue_ticket(self, user_id: str, source: str) -> str:
        return await tickets.issue(self.pool, user_id, source)

    def child_env(self, term: str, ticket: str, export_dir: Path | None = None,
                  export_get: str = "") -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update({"TERM": term, TICKET_ENV: ticket, URL_ENV: self.db_url,
                    "PYTHONIOENCODING": "utf-8"})
        if self.direct_url:
            env["DIRECT_URL"] = self.direct_url
        if export_dir is not None:
            env.update({EXPORT_DIR_ENV: str(export_dir), GET_HINT_ENV: export_get})
        env.setdefault("LANG", "C.UTF-8")
        if self.low_bandwidth:
            apply_profile(env, fps=self.fps, colors=self.colors)
        else:
            env.pop("COMPLEMENTARIAS_LOW_BANDWIDTH", None)
        return env


class AuthServer(asyncssh.SSHServer):
    """One per connection: checks the account, holds the connection's slot, then opens the
    app (PTY sessions) or answers `export` downloads for it."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.conn: Any = None
        self.peer = "?"
        self.local = ("127.0.0.1", 0)
        self.user_id: str | None = None
        self.email = ""
        self.method = ""
        self._pending: tuple[str, str, str, str] | None = None  # user, email, method, key
        self._starting = False
        self.slot: int | None = None
        self.sessions: set[BridgeSession] = set()
        self._unused: asyncio.TimerHandle | None = None

    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"
        local = conn.get_extra_info("sockname")
        if local:
            self.local = (str(local[0]), int(local[1]))
        if not self.ctx.registry.start(self.peer):
            log.info("refused from=%s reason=startups", field(self.peer))
            asyncio.get_running_loop().call_soon(conn.abort)
            return
        self._starting = True

    def connection_lost(self, exc: Exception | None) -> None:
        self._end_startup()
        if self._unused is not None:
            self._unused.cancel()
        if self.slot is not None:
            self.ctx.registry.close(self.slot)
            log.info("disconnect user=%s from=%s slot=%s", field(self.email), field(self.peer),
                     self.slot)
            self.slot = None

    def _end_startup(self) -> None:
        if self._starting:
            self._starting = False
            self.ctx.registry.started(self.peer)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        try:
            session = await auth.login(self.ctx.pool, username, password,
                                       source=f"ssh:{self.peer}")
        except auth.AuthError as exc:
            log.info("login failed user=%s from=%s method=password reason=%s", field(username),
                     field(self.peer),
                     "locked" if "bloqueado" in exc.message else "bad-credentials")
            if "bloqueado" in exc.message or "desactivada" in exc.message:
                self._banner(exc.message)
            return False
        self._pending = (session.actor.id, username, "password", "")
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Called for the client's probe and again for its signed request; asyncssh checks
        the signature after. The key's last use is recorded only once auth completed."""
        fingerprint = ssh_keys.fingerprint_of(key)
        user_id = await ssh_keys.user_for_key(self.ctx.pool, username, fingerprint)
        if user_id is None:
            log.info("login failed user=%s from=%s method=publickey reason=unknown-key "
                     "fingerprint=%s", field(username), field(self.peer), field(fingerprint))
            return False
        self._pending = (user_id, username, "publickey", fingerprint)
        return True

    def _banner(self, message: str) -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            self.conn.send_auth_banner(message + "\r\n")

    async def auth_completed(self) -> None:
        assert self._pending is not None
        self._end_startup()
        user_id, email, self.method, fingerprint = self._pending
        self.email = email.strip().lower()
        self.slot, reason = self.ctx.registry.open(user_id, self.end)
        if self.slot is None:
            log.info("refused user=%s from=%s reason=limit", field(self.email), field(self.peer))
            self.end(reason, asyncssh.DISC_TOO_MANY_CONNECTIONS)
            return
        self.user_id = user_id
        log.info("login user=%s from=%s method=%s slot=%s", field(self.email), field(self.peer),
                 self.method, self.slot)
        self._arm_unused()
        if fingerprint:
            try:
                await ssh_keys.record_key_use(self.ctx.pool, user_id, fingerprint)
            except Exception as exc:  # noqa: BLE001 - a missed "last used" never stops a login
                log.warning("key use not recorded user=%s error=%s", field(self.email),
                            field(exc))

    def end(self, reason: str, code: int = asyncssh.DISC_BY_APPLICATION) -> None:
        """Close this connection, telling the client why (its sessions end with it)."""
        try:
            self.conn.disconnect(code, reason)
        except (OSError, asyncssh.Error):
            self.conn.abort()

    # ---- a connection without the app is closed soon (`ssh -N`, a finished download) ---------
    def _arm_unused(self) -> None:
        if self._unused is not None:
            self._unused.cancel()
        self._unused = None
        if not self.sessions and self.ctx.no_session_timeout_s > 0:
            self._unused = asyncio.get_running_loop().call_later(
                self.ctx.no_session_timeout_s, self._unused_expired)

    def _unused_expired(self) -> None:
        self._unused = None
        if not self.sessions and self.slot is not None:
            log.info("closed user=%s from=%s slot=%s reason=sin-sesion", field(self.email),
                     field(self.peer), self.slot)
            self.end(NO_SESSION)

    def session_ended(self, session: BridgeSession) -> None:
        self.sessions.discard(session)
        self.ctx.sessions.discard(session)
        if self.slot is not None:
            self._arm_unused()

    def session_requested(self) -> BridgeSession | bool:
        if self.user_id is None or self.slot is None:
            return False
        session = BridgeSession(self.ctx, self, self.user_id, self.email, self.peer)
        self.sessions.add(session)
        self.ctx.sessions.add(session)
        if self._unused is not None:
            self._unused.cancel()
            self._unused = None
        return session

    def export_folder(self) -> Path:
        assert self.user_id is not None
        return downloads.user_folder(self.user_id)

    def export_get_command(self) -> str:
        host, port = self.local
        return f"ssh -p {port} {self.email}@{host} export get"

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str,
                             orig_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 2222
    max_sessions: int = 20
    max_per_user: int = 3
    idle_timeout_min: float = 30
    low_bandwidth: bool = True
    fps: int = 10
    colors: str = "16"
    login_grace_s: float = LOGIN_GRACE_S
    max_startups: int = MAX_STARTUPS
    max_startups_per_ip: int = MAX_STARTUPS_PER_IP
    keepalive_s: float = KEEPALIVE_S
    keepalive_count: int = KEEPALIVE_COUNT


async def start(ctx: ServerContext, opts: ServeOptions) -> Any:
    """Start listening; returns the asyncssh server (close() to stop accepting)."""
    key, created = hostkey.load_or_create()
    if created:
        log.info("host key created path=%s fingerprint=%s", hostkey.host_key_path(),
                 key.get_fingerprint("sha256"))
    ctx.registry.max_startups = opts.max_startups
    ctx.registry.max_startups_per_ip = opts.max_startups_per_ip
    return await asyncssh.create_server(
        lambda: AuthServer(ctx), opts.host, opts.port, server_host_keys=[key],
        encoding=None, line_editor=False, agent_forwarding=False, x11_forwarding=False,
        allow_scp=False, login_timeout=opts.login_grace_s,
        keepalive_interval=opts.keepalive_s, keepalive_count_max=opts.keepalive_count)


async def serve(db_url: str, opts: ServeOptions, pooled: bool = False,
                direct_url: str | None = None) -> None:
    """Run until SIGINT/SIGTERM; then end every session's process and stop. `pooled`: the
    URL goes through a transaction pooler, `direct_url` bypasses it (the session processes
    are told both)."""
    from tui.db.pool import make_pool
    from tui.db.urls import flag_pooled

    pool = make_pool(db_url, min_size=1, max_size=max(4, opts.max_sessions // 2),
                     pooled=pooled)
    await pool.open(wait=True)
    ctx = ServerContext(pool=pool, db_url=flag_pooled(db_url) if pooled else db_url,
                        direct_url=direct_url,
                        registry=ConnectionRegistry(opts.max_sessions, opts.max_per_user),
                        idle_timeout_s=opts.idle_timeout_min * 60,
                        low_bandwidth=opts.low_bandwidth, fps=opts.fps, colors=opts.colors)
    server = await start(ctx, opts)
    log.info("listening on %s:%s (max %s connections, %s per user, idle %s min, "
             "low-bandwidth %s)", opts.host, opts.port, opts.max_sessions, opts.max_per_user,
             opts.idle_timeout_min, "on" if opts.low_bandwidth else "off")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        server.close()
        children = [s.child for s in ctx.sessions if s.child is not None]
        for child in children:
            child.hangup()
        await asyncio.gather(*(c.wait() for c in children), return_exceptions=True)
        await pool.close()
        log.info("stopped")
