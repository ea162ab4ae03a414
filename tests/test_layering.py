"""Architecture and lint checks, run with the tests so CI enforces them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    path = Path(sys.executable).parent / name
    return str(path) if path.exists() else (shutil.which(name) or name)


def test_import_contracts_keep_textual_out_of_db_and_services() -> None:
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "db and services never import Textual KEPT" in result.stdout


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "tui", "tests"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_sql_in_python_and_every_query_used() -> None:
    """The same rules as the shared layering tool, on our own tree, so they hold in CI."""
    import ast
    import re

    sql_start = re.compile(r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|ALTER|DROP)\s")
    sources = [p for p in (ROOT / "tui").rglob("*.py")]
    blob = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not sql_start.match(node.value), f"SQL text in {path}: {node.value[:40]}"
    names = re.findall(r"^-- name:\s*([A-Za-z0-9_]+)", "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "sql" / "queries").glob("*.sql")), re.M)
    assert names
    unused = [n for n in names if not re.search(rf"(?<![A-Za-z0-9_]){n}(?![A-Za-z0-9_])", blob)]
    assert unused == [], f"named queries never used: {unused}"
