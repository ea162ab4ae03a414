"""The local journal of the solicitud form: what was typed since the last save, on disk.

If the process dies mid-edit (SIGKILL, a dropped SSH session, a power cut), the next start
finds the journal and offers the form again with those edits. One file per user and
solicitud under `<data folder>/journal/`, written atomically (temporary file, fsync, rename),
0600, and removed once the edits are saved. Nothing here touches the database.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tui.paths import data_dir
from tui.services.horarios import Horario

NEW = "nueva"  # the key of a form whose draft is not created yet


def folder() -> Path:
    return data_dir() / "journal"


def _path(user_id: str, key: str) -> Path:
    safe = "".join(c for c in f"{user_id}-{key}" if c.isalnum() or c in "-_")
    return folder() / f"{safe}.json"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if "__datetime__" in obj:
        return datetime.fromisoformat(obj["__datetime__"])
    if "__date__" in obj:
        return date.fromisoformat(obj["__date__"])
    return obj


def write(user_id: str, key: str, form: dict[str, Any], horarios: list[Horario]) -> None:
    path = _path(user_id, key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = json.dumps({"key": key, "form": form, "horarios": [asdict(h) for h in horarios]},
                      default=_encode, ensure_ascii=False)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read(user_id: str, key: str) -> tuple[dict[str, Any], list[Horario]] | None:
    """The journaled form and horarios, or None (none, or unreadable: then removed)."""
    path = _path(user_id, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
        return dict(data["form"]), [Horario(**h) for h in data["horarios"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        return None


def clear(user_id: str, key: str) -> None:
    _path(user_id, key).unlink(missing_ok=True)


def pending(user_id: str) -> list[str]:
    """Keys of this user's journaled forms, newest first."""
    prefix = _path(user_id, "").name.removesuffix(".json")
    try:
        files = [p for p in folder().glob("*.json") if p.name.startswith(prefix)]
    except OSError:
        return []
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [p.name[len(prefix):].removesuffix(".json") for p in files]
