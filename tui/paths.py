"""Where the project's files and the user's data live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
QUERIES_DIR = SQL_DIR / "queries"
MIGRATIONS_DIR = SQL_DIR / "migrations"
SEEDS_DIR = ROOT / "seeds"


def data_dir() -> Path:
    """The folder for the embedded server, host keys and local journals.

    `COMPLEMENTARIAS_DATA_DIR` wins. Otherwise a per-user folder; for root it is
    `/var/lib/complementarias`, because PostgreSQL runs as an unprivileged user that cannot
    enter root's home folder.
    """
    env = os.environ.get("COMPLEMENTARIAS_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    if os.geteuid() == 0:
        return Path("/var/lib/complementarias")
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "complementarias"


def config_dir() -> Path:
    env = os.environ.get("COMPLEMENTARIAS_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "complementarias"
