"""Every key binding with its id, for `complementarias keys`, the README and remapping.

Bindings are collected from the app, every screen and every widget class, so the list can
never drift from the code.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class KeyInfo:
    where: str
    id: str
    keys: str
    description: str


def _classes() -> list[type]:
    import tui.screens
    import tui.widgets
    from tui.shell.app import ComplementariasApp

    out: list[type] = [ComplementariasApp]
    for pkg in (tui.screens, tui.widgets):
        for mod in pkgutil.walk_packages(pkg.__path__, f"{pkg.__name__}."):
            module = importlib.import_module(mod.name)
            for obj in vars(module).values():
                if isinstance(obj, type) and obj.__module__ == module.__name__ \
                        and "BINDINGS" in vars(obj):
                    out.append(obj)
    return out


def all_keys() -> list[KeyInfo]:
    rows: list[KeyInfo] = []
    seen: set[tuple[str, str]] = set()
    for cls in _classes():
        where = "Global (todas las pantallas)" if cls.__name__ == "ComplementariasApp" else \
            (cls.__doc__ or cls.__name__).strip().splitlines()[0].rstrip(".")
        for b in cls.BINDINGS:  # type: ignore[attr-defined]  # _classes() keeps classes with BINDINGS
            if not isinstance(b, Binding) or not b.id or (where, b.id) in seen:
                continue
            seen.add((where, b.id))
            rows.append(KeyInfo(where, b.id, b.key, b.description))
    return rows


def format_table() -> str:
    rows = all_keys()
    lines = [f"{'pantalla':<34} {'id':<30} {'teclas':<18} acción"]
    for r in rows:
        lines.append(f"{r.where[:34]:<34} {r.id:<30} {r.keys:<18} {r.description}")
    return "\n".join(lines)
