"""The README's promises: the Python lifecycle script runs as written; every CLI command it
lists exists."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_lifecycle_script_runs_as_written(demo_url: str) -> None:
    block = re.search(r"```python\n(import asyncio.*?)```", README, re.S)
    assert block, "the README lost its lifecycle script"
    result = subprocess.run([sys.executable, "-c", block.group(1)], capture_output=True,
                            text=True, timeout=120, env={**os.environ, "DATABASE_URL": demo_url})
    assert result.returncode == 0, result.stderr
    codigo, estado, ficha = result.stdout.split()
    assert re.fullmatch(r"SOL-\d{4}-\d{3,}", codigo)
    assert estado == "APROBADA"
    assert re.fullmatch(r"\d{8,}", ficha)


def test_every_command_in_the_readme_is_in_help() -> None:
    out = subprocess.run([sys.executable, "-m", "tui.cli", "--help"], capture_output=True,
                         text=True, timeout=60).stdout
    for cmd in set(re.findall(r"`complementarias ([a-z-]+)", README)):
        assert cmd in out, f"README documents `complementarias {cmd}` but --help lacks it"
