"""The server's host key: generated on the first start, then kept in the data folder."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh

from tui.paths import data_dir

KEY_NAME = "ssh_host_ed25519_key"


def host_key_path() -> Path:
    return data_dir() / KEY_NAME


def load_or_create(path: Path | None = None) -> tuple[asyncssh.SSHKey, bool]:
    """(key, created). A new key is written with mode 0600 before anyone can read it."""
    path = path or host_key_path()
    if path.exists():
        return asyncssh.read_private_key(str(path)), False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = asyncssh.generate_private_key("ssh-ed25519", comment="complementarias serve-ssh")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key())
    path.with_name(KEY_NAME + ".pub").write_bytes(key.export_public_key())
    return key, True
