"""User text made safe wherever it goes out: terminals, spreadsheets, PDFs.

Stored text may come from the web app or an import and may hold anything: escape sequences,
BEL, C1 controls, or a leading "=" that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import re

# C0 controls as their Control Pictures (␛ for ESC), DEL as ␡, C1 controls as U+FFFD.
_INERT = {c: chr(0x2400 + c) for c in range(32)} | {0x7F: "\u2421"} | \
    {c: "\ufffd" for c in range(0x80, 0xA0)}
_INERT_MULTILINE = {k: v for k, v in _INERT.items() if k not in (9, 10)}

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list)."""
_NUMBER_LIKE = re.compile(r"[+-][\d\s().,/-]*\d[\d\s().,/-]*")
"""«+57 300 123 4567», «-5», «-2,5»: a sign then only digits, spaces and number punctuation
can call nothing, so it is left as typed."""


def would_be_formula(value: str) -> bool:
    """True when a spreadsheet would run `value` as a formula: it starts with = @ tab or CR,
    or with + or - followed by anything but a phone or number."""
    if len(value) < 2 or value[0] not in FORMULA_START:
        return False
    return value[0] not in "+-" or not _NUMBER_LIKE.fullmatch(value)


def inert(value: object, multiline: bool = False) -> str:
    """User text made safe for the terminal: every control character (ESC of ANSI/OSC
    sequences, BEL, C1 CSI…) is shown as a visible symbol and never sent as such. Newlines
    and tabs stay in `multiline` text. Markup is a separate matter: show the result with
    markup off (`literal`, `markup=False`)."""
    return str(value).translate(_INERT_MULTILINE if multiline else _INERT)


def storable(value: object) -> object:
    """`value` (text, or lists and mappings of it) without NUL and with lone surrogates
    replaced: what PostgreSQL and UTF-8 accept. For text recorded as typed (a failed login's
    e-mail, an audit entry's detail), where refusing is not an option."""
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-16", "surrogatepass").decode(
            "utf-16", "replace")  # a lone surrogate becomes U+FFFD
    if isinstance(value, dict):
        return {storable(str(k)): storable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [storable(v) for v in value]
    return value


def sheet_cell(value: object) -> object:
    """A value for a CSV or XLSX cell: text with its control characters made visible and,
    when it would start a formula, a leading apostrophe (shown as text, never run); phone
    numbers such as «+57 300 123 4567» stay as typed. Numbers, dates and None pass unchanged."""
    if not isinstance(value, str):
        return value
    if would_be_formula(value):
        value = "'" + value
    return inert(value, multiline=True)
