"""Prisma-compatible cuid (v1) identifiers: 'c' + 8 time + 4 counter + 4 fingerprint + 8 random.

The web app lets Prisma generate ``@default(cuid())`` ids, so every row we insert gets an id of
the same shape (25 lowercase base-36 characters starting with 'c').
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import socket
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_BLOCK = 4
_COUNTER_SPACE = 36**_BLOCK
_CUID_RE = re.compile(r"c[0-9a-z]{24}")

_lock = threading.Lock()
_counter = itertools.count(secrets.randbelow(_COUNTER_SPACE))
_host_id = sum(ord(ch) for ch in socket.gethostname()) + len(socket.gethostname()) + 36


def _base36(number: int, width: int) -> str:
    """Base-36 of ``number``, left-padded with zeros and trimmed to its last ``width`` chars."""
    digits = []
    while number:
        number, rem = divmod(number, 36)
        digits.append(_ALPHABET[rem])
    return ("0" * width + "".join(reversed(digits)))[-width:]


def new_id() -> str:
    """Return a fresh cuid v1 string, unique across threads of this process and across hosts."""
    with _lock:
        count = next(_counter) % _COUNTER_SPACE
    fingerprint = _base36(os.getpid(), 2) + _base36(_host_id, 2)  # recomputed: survives fork()
    return (
        "c"
        + _base36(time.time_ns() // 1_000_000, 8)
        + _base36(count, _BLOCK)
        + fingerprint
        + _base36(secrets.randbelow(36**8), 8)
    )


def is_cuid(value: object) -> bool:
    """True when ``value`` has the exact shape of a cuid v1 string."""
    return isinstance(value, str) and _CUID_RE.fullmatch(value) is not None
