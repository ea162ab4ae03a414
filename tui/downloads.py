"""Exports over SSH: a fixed folder per user on the server, fetched with stock OpenSSH.

In an SSH session the export dialog never writes where the user types: the file goes to the
user's own folder `<data folder>/exports/<user id>/` (the name typed is cut to a plain file
name), and the dialog shows the command that copies it to the user's own machine through the
same server:

    ssh -p 2222 correo@servidor export get ARCHIVO > ARCHIVO
    ssh -p 2222 correo@servidor export ls

The two `export` commands are the only `exec` requests the server accepts. They read, never
write, and only plain files of the authenticated user's own folder (no path, no link, no
hidden file).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from tui.paths import data_dir

EXPORT_DIR_ENV = "COMPLEMENTARIAS_SSH_EXPORT_DIR"
GET_HINT_ENV = "COMPLEMENTARIAS_SSH_EXPORT_GET"
MAX_DOWNLOAD = 256 * 1024 * 1024
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND = re.compile(r"export\s+(ls|get)(?:\s+(\S+))?\s*")

USAGE = ("Uso: export ls | export get ARCHIVO (los archivos que usted exportó en la "
         "aplicación).\n")
NOT_FOUND = "No existe el archivo {name!r} en su carpeta de exportaciones.\n"


def user_folder(user_id: str) -> Path:
    """The export folder of one account (created on first use, mode 0700)."""
    name = user_id if _SAFE_ID.fullmatch(user_id) else \
        hashlib.sha256(user_id.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return data_dir() / "exports" / name


def ensure_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    return folder


def session_folder() -> Path | None:
    """In an app served over SSH, the user's export folder; None locally (free paths)."""
    value = os.environ.get(EXPORT_DIR_ENV)
    return Path(value) if value else None


def confine(typed: str) -> str:
    """Over SSH, the path the export writes: the plain name typed, in the user's folder.
    Locally, what was typed, unchanged."""
    folder = session_folder()
    if folder is None:
        return typed
    name = plain_name(typed.replace("\\", "/").rsplit("/", 1)[-1])
    return str(folder / (name or "exportacion"))


def plain_name(name: str) -> str:
    """`name` if it is a plain, visible file name; else ""."""
    name = name.strip()
    if not name or name.startswith(".") or len(name.encode("utf-8", "replace")) > 255 or \
            any(c in name for c in "/\\\x00") or not name.isprintable():
        return ""
    return name


def download_hint(saved: str) -> str:
    """What to run on one's own machine to get the file just saved ("" locally)."""
    command = os.environ.get(GET_HINT_ENV)
    if session_folder() is None or not command:
        return ""
    name = Path(saved).name
    return f"Descárguelo en su equipo con: {command} {name} > {name}"


@dataclass(frozen=True)
class Request:
    verb: str  # "ls" or "get"
    name: str


def parse(command: str) -> Request | None:
    """An `export ls` / `export get NAME` command; None for anything else."""
    match = _COMMAND.fullmatch(command.strip())
    if not match:
        return None
    verb, name = match.group(1), match.group(2) or ""
    if (verb == "ls") != (name == ""):
        return None
    return Request(verb, name)


def listing(folder: Path) -> bytes:
    """`export ls`: one line per file, `size  name`, newest first."""
    if not folder.is_dir():
        return b""
    files = [(e.stat(follow_symlinks=False), e.name) for e in os.scandir(folder)
             if plain_name(e.name) and e.is_file(follow_symlinks=False)]
    files.sort(key=lambda f: f[0].st_mtime, reverse=True)
    return "".join(f"{st.st_size:>12}  {name}\n" for st, name in files).encode()


def read_own(folder: Path, name: str) -> bytes | None:
    """`export get`: the bytes of a plain regular file of the folder; None otherwise."""
    if not plain_name(name):
        return None
    try:
        fd = os.open(folder / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as file:
        st = os.fstat(file.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_DOWNLOAD:
            return None
        return file.read()
