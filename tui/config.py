"""User settings: theme, key remapping and the low-bandwidth profile, from a TOML file.

Path: `$COMPLEMENTARIAS_CONFIG_DIR/config.toml`, default `~/.config/complementarias/config.toml`.

    theme = "ansi-dark"          # any Textual theme; ansi-dark / ansi-light use the terminal's
    low_bandwidth = false        # true: no animations, no cursor blink, fewer frames
    [keymap]                     # binding id = keys (see `complementarias keys`)
    toggle-notifications = "f2,ctrl+n"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui.paths import config_dir

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class Settings:
    theme: str = DEFAULT_THEME
    low_bandwidth: bool = False
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    problem: str | None = None   # a Spanish message when the file could not be read


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    if not path.exists():
        return Settings(path=path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(path=path, problem=f"No se pudo leer {path}: {exc}")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        keymap = {}
    return Settings(
        theme=str(data.get("theme", DEFAULT_THEME)),
        low_bandwidth=bool(data.get("low_bandwidth", False)),
        keymap={str(k): str(v) for k, v in keymap.items()},
        path=path,
    )
