"""Screens and widgets reach the running app through a typed base (tui.uikit.app_context).

mypy checks every use against `ShellApp`; these tests keep the declaration honest: no UI module
falls back to `app: Any`, and the real app defines everything the base declares (the base's
bodies only raise)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from tui.config import Settings
from tui.db.urls import DatabaseChoice
from tui.shell.app import ComplementariasApp
from tui.shell.database import PendingDatabase
from tui.uikit.app_context import ShellApp

ROOT = Path(__file__).resolve().parent.parent / "tui"
UI = ["screens", "widgets", "uikit", "shell"]


def _is_any(node: ast.expr | None) -> bool:
    if node is None:
        return False
    if isinstance(node, ast.Constant):  # a string annotation
        return node.value in ("Any", "typing.Any")
    if isinstance(node, ast.Name):
        return node.id == "Any"
    return isinstance(node, ast.Attribute) and node.attr == "Any"


def _app_as_any(tree: ast.AST) -> list[int]:
    """Lines annotating something named `app` as Any (class attribute, local, parameter)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation = node.target.id, node.annotation
        elif isinstance(node, ast.arg):
            name, annotation = node.arg, node.annotation
        else:
            continue
        if name == "app" and _is_any(annotation):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_scan_sees_every_way_of_writing_app_as_any() -> None:
    source = ("class S:\n    app: Any\n"
              "def f(app: typing.Any) -> None:\n    app: 'Any' = g()\n"
              "def ok(app: ShellApp) -> None:\n    app: ShellApp = g()\n")
    assert _app_as_any(ast.parse(source)) == [2, 3, 4]


def test_no_ui_module_types_the_app_as_any() -> None:
    found = []
    files = [p for area in UI for p in sorted((ROOT / area).rglob("*.py"))]
    assert len(files) > 50  # the scan really reads the UI
    for path in files:
        for line in _app_as_any(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert found == [], "the app is typed as ShellApp (tui.uikit.app_context), not Any"


def _declared() -> list[str]:
    """Every member ShellApp declares: annotated attributes, properties and methods."""
    names = set(ShellApp.__annotations__)
    names |= {name for name, value in vars(ShellApp).items()
              if not name.startswith("__") and (callable(value) or isinstance(value, property))}
    return sorted(names)


def test_the_app_defines_every_member_the_screens_base_declares() -> None:
    assert issubclass(ComplementariasApp, ShellApp)
    declared = _declared()
    assert {"pool", "actor", "session", "open_solicitud", "input_waits"} <= set(declared)
    app = ComplementariasApp(PendingDatabase(DatabaseChoice(None, None, "embebida"),
                                             lambda: pytest.fail("not opened here")),
                             settings=Settings(low_bandwidth=True))
    missing = []
    for name in declared:
        if name in ShellApp.__annotations__:
            if name not in vars(app):  # set by the app's __init__
                missing.append(name)
            continue
        owner = next(c for c in ComplementariasApp.__mro__ if name in vars(c))
        if owner is ShellApp:  # only the base's raising placeholder
            missing.append(name)
        elif callable(vars(ShellApp)[name]):
            # same parameters as declared (mypy checks the types; this, the names)
            assert list(inspect.signature(getattr(ComplementariasApp, name)).parameters) \
                == list(inspect.signature(vars(ShellApp)[name]).parameters), name
    assert missing == []


def test_the_pool_is_refused_until_the_database_is_open() -> None:
    app = ComplementariasApp(PendingDatabase(DatabaseChoice(None, None, "embebida"),
                                             lambda: pytest.fail("not opened here")),
                             settings=Settings(low_bandwidth=True))
    assert not app.database_is_open
    with pytest.raises(RuntimeError, match="not open"):
        _ = app.pool
