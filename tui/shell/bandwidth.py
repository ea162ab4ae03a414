"""The low-bandwidth profile: Textual's own knobs, set before Textual is imported.

Textual reads `TEXTUAL_FPS`, `TEXTUAL_ANIMATIONS`, `TEXTUAL_COLOR_SYSTEM` and
`TEXTUAL_SMOOTH_SCROLL` once, when it is first imported, so an entry point calls
`apply_profile` first. Values already in the environment win over the profile, so an
operator can tune any single knob. The app itself turns off cursor blink and uses a one-line
loading status when `Settings.low_bandwidth` is on.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

COLOR_SYSTEMS = {"16": "standard", "256": "256", "truecolor": "truecolor",
                 "standard": "standard"}


def profile_env(fps: int = 10, colors: str = "256") -> dict[str, str]:
    """The environment of the low-bandwidth profile (before any override)."""
    return {
        "TEXTUAL_FPS": str(max(1, fps)),
        "TEXTUAL_ANIMATIONS": "none",
        "TEXTUAL_COLOR_SYSTEM": COLOR_SYSTEMS.get(str(colors), "256"),
        "TEXTUAL_SMOOTH_SCROLL": "0",
    }


def apply_profile(env: MutableMapping[str, str] | None = None, *, fps: int = 10,
                  colors: str = "256") -> dict[str, str]:
    """Set the profile's knobs in `env` (default: this process) where not set already."""
    target = os.environ if env is None else env
    applied: dict[str, str] = {}
    for key, value in profile_env(fps, colors).items():
        applied[key] = target.setdefault(key, value)
    target["COMPLEMENTARIAS_LOW_BANDWIDTH"] = "1"
    return applied
