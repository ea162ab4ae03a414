"""Which database to use, and the URL forms each library wants."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters Prisma understands but libpq rejects.
_PRISMA_ONLY = {
    "schema", "connection_limit", "pool_timeout", "pgbouncer", "socket_timeout",
    "statement_cache_size", "sslaccept", "sslidentity", "sslpassword", "sslcert_password",
}


@dataclass(frozen=True)
class DatabaseChoice:
    url: str | None          # None means: the embedded server
    direct_url: str | None   # DIRECT_URL, for LISTEN and migrations behind a pooler
    source: str              # "opción", "DATABASE_URL", ".env" or "embebida"
    pooled: bool = False     # url goes through a transaction pooler (PgBouncer)

    @property
    def embedded(self) -> bool:
        return self.url is None


def read_dotenv(path: Path) -> dict[str, str]:
    """The KEY=value lines of a .env file (quotes removed, `export` allowed, # comments)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return values
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$", line)
        if not m:
            continue
        key, val = m.group(1), m.group(2).strip()
        if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
            val = val[1:-1]
        else:
            val = re.sub(r"\s+#.*$", "", val)
        values[key] = val
    return values


def choose(cli_url: str | None, cwd: Path | None = None) -> DatabaseChoice:
    """--database-url, then DATABASE_URL, then ./.env, else the embedded server.

    Prisma's convention tells whether a pooler sits in front: `?pgbouncer=true` on the URL,
    or a `DIRECT_URL` beside it (the direct connection, for what needs a session of its own).
    """
    direct = os.environ.get("DIRECT_URL") or None
    if cli_url:
        return _external(cli_url, direct, "opción --database-url")
    if os.environ.get("DATABASE_URL"):
        return _external(os.environ["DATABASE_URL"], direct, "DATABASE_URL")
    env = read_dotenv((cwd or Path.cwd()) / ".env")
    if env.get("DATABASE_URL"):
        return _external(env["DATABASE_URL"], direct or env.get("DIRECT_URL") or None, ".env")
    return DatabaseChoice(None, None, "embebida")


def _external(url: str, direct: str | None, source: str) -> DatabaseChoice:
    return DatabaseChoice(normalize(url), _norm(direct), source,
                          pooled=direct is not None or pooler_flagged(url))


def pooler_flagged(url: str) -> bool:
    """True when the URL carries Prisma's `pgbouncer=true` (it goes through a pooler)."""
    query = dict(parse_qsl(urlsplit(url.strip()).query, keep_blank_values=True))
    return query.get("pgbouncer", "").lower() in ("true", "1")


def flag_pooled(url: str) -> str:
    """The URL with `pgbouncer=true` added, to hand a pooled URL to another process (the
    SSH server's session processes) without losing that it is pooled."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), ("pgbouncer", "true")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _norm(url: str | None) -> str | None:
    return normalize(url) if url else None


def normalize(url: str) -> str:
    """A libpq/psycopg URL from any form Prisma accepts (postgres://, ?schema=…)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("postgres", "postgresql", "postgresql+psycopg", "postgres+psycopg"):
        scheme = "postgresql"
    else:
        raise ValueError(f"URL de base de datos no reconocida: {mask(url)}")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in _PRISMA_ONLY]
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), ""))


# Migrations and bulk loads lift a statement timeout the role may carry (see the README).
NO_TIMEOUT = "-c statement_timeout=0"


def yoyo_url(url: str) -> str:
    """The URL for yoyo: psycopg 3 driver, bookkeeping in schema complementarias, no
    statement timeout."""
    parts = urlsplit(normalize(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    options = " ".join([v for k, v in query if k == "options"] + [NO_TIMEOUT])
    query = [(k, v) for k, v in query if k != "options"] + [
        ("options", options), ("schema", "complementarias")]
    return urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, urlencode(query), ""))


def mask(url: str) -> str:
    """The URL with its password replaced by ***, for anything shown or logged."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        creds, host = netloc.rsplit("@", 1)
        if ":" in creds:
            creds = creds.split(":", 1)[0] + ":***"
        netloc = f"{creds}@{host}"
    query = re.sub(r"(?i)(^|&)(password=)[^&]*", r"\1\2***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
