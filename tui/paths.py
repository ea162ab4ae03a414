"""Where the project's files and the user's data live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def shipped(name: str) -> Path:
    """A folder of the project's files: inside the package in an installed wheel
    (`tui/sql`), at the top of the checkout otherwise (see setup.py)."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


SQL_DIR = shipped("sql")
QUERIES_DIR = SQL_DIR / "queries"
MIGRATIONS_DIR = SQL_DIR / "migrations"
SEEDS_DIR = shipped("seeds")


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
