"""`serve-ssh`: an asyncssh server whose only service is the TUI, with the app's accounts.

Authentication: the SSH user name is the account's email; the password goes through the same
`auth.login` as the login screen (lockout, inactive users, the attempt recorded with source
`ssh:<ip>`), or a public key the user registered in the app. No port, agent or X11
forwarding; sessions are PTY-only (see session.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import dataclass, field
from typing import Any

import asyncssh

from tui.bandwidth import apply_profile
from tui.services import auth, ssh_keys, tickets
from tui.ssh import hostkey
from tui.ssh.child import TICKET_ENV, URL_ENV
from tui.ssh.limits import SessionRegistry
from tui.ssh.session import BridgeSession

log = logging.getLogger("complementarias.ssh")

# The server's environment reaches the child, except what describes the server's own terminal.
_DROP_ENV = ("TERM", "COLORTERM", "COLUMNS", "LINES", "TERM_PROGRAM", "TMUX", "STY",
             "SSH_AUTH_SOCK", TICKET_ENV, URL_ENV)


@dataclass
class ServerContext:
    pool: Any
    db_url: str
    registry: SessionRegistry = field(default_factory=SessionRegistry)
    idle_timeout_s: float = 30 * 60
    low_bandwidth: bool = True
    fps: int = 10
    colors: str = "16"
    sessions: set[BridgeSession] = field(default_factory=set)

    async def issue_ticket(self, user_id: str, source: str) -> str:
        return await tickets.issue(self.pool, user_id, source)

    def child_env(self, term: str, ticket: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
        env.update({"TERM": term, TICKET_ENV: ticket, URL_ENV: self.db_url,
                    "PYTHONIOENCODING": "utf-8"})
        env.setdefault("LANG", "C.UTF-8")
        if self.low_bandwidth:
            apply_profile(env, fps=self.fps, colors=self.colors)
        else:
            env.pop("COMPLEMENTARIAS_LOW_BANDWIDTH", None)
        return env


class AuthServer(asyncssh.SSHServer):  # type: ignore[misc]
    """One per connection: checks the account, then opens PTY sessions for it."""

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self.conn: Any = None
        self.peer = "?"
        self.user_id: str | None = None
        self.email = ""
        self.method = ""

    def connection_made(self, conn: Any) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername")
        self.peer = str(peer[0]) if peer else "?"

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
            log.info("login failed user=%s from=%s method=password reason=%s", username,
                     self.peer, "locked" if "bloqueado" in exc.message else "bad-credentials")
            if "bloqueado" in exc.message or "desactivada" in exc.message:
                self._banner(exc.message)
            return False
        self._accept(session.actor.id, username, "password")
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        user_id = await ssh_keys.user_for_key(self.ctx.pool, username,
                                              ssh_keys.fingerprint_of(key))
        if user_id is None:
            log.info("login failed user=%s from=%s method=publickey reason=unknown-key "
                     "fingerprint=%s", username, self.peer, ssh_keys.fingerprint_of(key))
            return False
        self._accept(user_id, username, "publickey")
        return True

    def _accept(self, user_id: str, email: str, method: str) -> None:
        self.user_id, self.email, self.method = user_id, email.strip().lower(), method

    def _banner(self, message: str) -> None:
        try:
            self.conn.send_auth_banner(message + "\r\n")
        except (OSError, asyncssh.Error):
            pass

    def auth_completed(self) -> None:
        log.info("login user=%s from=%s method=%s", self.email, self.peer, self.method)

    def session_requested(self) -> BridgeSession | bool:
        if self.user_id is None:
            return False
        session = BridgeSession(self.ctx, self.user_id, self.email, self.peer)
        self.ctx.sessions.add(session)
        return session

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


async def start(ctx: ServerContext, opts: ServeOptions) -> Any:
    """Start listening; returns the asyncssh server (close() to stop accepting)."""
    key, created = hostkey.load_or_create()
    if created:
        log.info("host key created path=%s fingerprint=%s", hostkey.host_key_path(),
                 key.get_fingerprint("sha256"))
    return await asyncssh.create_server(
        lambda: AuthServer(ctx), opts.host, opts.port, server_host_keys=[key],
        encoding=None, line_editor=False, agent_forwarding=False, x11_forwarding=False,
        allow_scp=False, login_timeout=60, keepalive_interval=60, keepalive_count_max=3)


async def serve(db_url: str, opts: ServeOptions) -> None:
    """Run until SIGINT/SIGTERM; then end every session's process and stop."""
    from tui.db.pool import make_pool

    pool = make_pool(db_url, min_size=1, max_size=max(4, opts.max_sessions // 2))
    await pool.open(wait=True)
    ctx = ServerContext(pool=pool, db_url=db_url,
                        registry=SessionRegistry(opts.max_sessions, opts.max_per_user),
                        idle_timeout_s=opts.idle_timeout_min * 60,
                        low_bandwidth=opts.low_bandwidth, fps=opts.fps, colors=opts.colors)
    server = await start(ctx, opts)
    log.info("listening on %s:%s (max %s sessions, %s per user, idle %s min, "
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
