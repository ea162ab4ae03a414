"""User settings: theme, key remapping and the low-bandwidth profile, from a TOML file.

Path: `$COMPLEMENTARIAS_CONFIG_DIR/config.toml`, default `~/.config/complementarias/config.toml`.

    theme = "ansi-dark"          # any Textual theme; ansi-dark / ansi-light use the terminal's
    low_bandwidth = false        # true: no animations, no cursor blink, fewer frames
    fps = 10                     # frames per second in the low-bandwidth profile
    colors = "256"               # low-bandwidth colours: "256" or "16"
    frame_diff = true            # low bandwidth: send only the cells that changed
    [keymap]                     # binding id = keys (see `complementarias keys`)
    toggle-notifications = "f2,ctrl+n"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tui.paths import config_dir

DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class Settings:
    theme: str = DEFAULT_THEME
    low_bandwidth: bool = False
    fps: int = 10
    colors: str = "256"
    lean_layout: bool = False    # low bandwidth from config/env: hide horizontal scrollbars
    frame_diff: bool = True      # low bandwidth: write only changed cells (tui/shell/frame_diff.py)
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    problem: str | None = None   # a Spanish message when the file could not be read


def config_path() -> Path:
    return config_dir() / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    forced = os.environ.get("COMPLEMENTARIAS_LOW_BANDWIDTH", "") in ("1", "true", "yes")
    no_diff = os.environ.get("COMPLEMENTARIAS_FRAME_DIFF", "") in ("0", "false", "no")
    if not path.exists():
        return Settings(path=path, low_bandwidth=forced, lean_layout=forced,
                        frame_diff=not no_diff)
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Settings(path=path, problem=f"No se pudo leer {path}: {exc}")
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        keymap = {}
    return Settings(
        theme=str(data.get("theme", DEFAULT_THEME)),
        low_bandwidth=forced or bool(data.get("low_bandwidth", False)),
        lean_layout=forced or bool(data.get("low_bandwidth", False)),
        fps=int(data.get("fps", 10)) if str(data.get("fps", 10)).isdigit() else 10,
        colors="16" if str(data.get("colors", "256")) == "16" else "256",
        frame_diff=not no_diff and data.get("frame_diff", True) is not False,
        keymap={str(k): str(v) for k, v in keymap.items()},
        path=path,
    )
