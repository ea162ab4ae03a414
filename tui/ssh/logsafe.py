"""Log fields of `serve-ssh`: whatever a client sends, one event stays one line."""

from __future__ import annotations

import json
import re

_PLAIN = re.compile(r"[A-Za-z0-9@._+:/=-]{1,200}")
MAX_FIELD = 200


def field(value: object) -> str:
    """`value` as a log field: plain when it is a short run of safe characters, else quoted
    with every control, space, quote and non-ASCII character escaped (JSON), cut to 200."""
    text = str(value)
    if _PLAIN.fullmatch(text):
        return text
    cut = text[:MAX_FIELD] + ("…" if len(text) > MAX_FIELD else "")
    return json.dumps(cut, ensure_ascii=True)
