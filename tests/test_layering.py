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
    assert "one way down: commands, SSH, shell, screens, widgets, rules, database KEPT" \
        in result.stdout


def _import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_cycle_finder_finds_a_cycle() -> None:
    assert _import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    """No module imports itself through others, not even inside a function (grimp sees both)."""
    import grimp

    imports = grimp.build_graph("tui", exclude_type_checking_imports=True)
    graph = {m: imports.find_modules_directly_imported_by(m) for m in imports.modules}
    graph = {m: {d for d in deps if d.startswith("tui.") and d in graph and
                 not graph_is_package(imports, d)} for m, deps in graph.items()}
    assert _import_cycles(graph) == KNOWN_CYCLES


# Being broken up; the list only shrinks.
KNOWN_CYCLES: list[list[str]] = []


def graph_is_package(imports: object, module: str) -> bool:
    """A package's __init__ is empty here; `from tui.x import y` also records `tui.x`."""
    return (ROOT / module.replace(".", "/") / "__init__.py").exists()


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
