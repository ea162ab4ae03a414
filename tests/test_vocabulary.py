"""The domain's words are defined once, in tui/services/model.py, and derived everywhere.

- No screen, widget, shell, command, renderer or stylesheet spells an estado name or label
  (but the homonyms listed below), and no query spells an estado: the queries take them as
  parameters (`model.sql_params`), and the review queue's partial index is still used.
- The actions a screen offers for a solicitud are exactly the transitions the services accept:
  for every role × estado × ownership from the model's table, and on the demo database, where
  every action the detail screen does not offer is refused by the service, changing nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from tui.db.queries import AQ
from tui.screens.common import solicitud_detail as detail
from tui.screens.coordinacion import solicitud_actions as sa
from tui.services import model
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import Actor, InvalidTransition, NotFound, PermissionDenied

from .test_svc_authz import DEMO, USERS, actor, run_action, snapshot, sol_id

ROOT = Path(__file__).resolve().parent.parent
UI_FOLDERS = ("screens", "widgets", "shell", "cli", "render")
NAME_RE = re.compile(r"\b(" + "|".join(model.ESTADOS) + r")\b")
LABELS = set(model.ESTADO_LABEL.values())

# The same word meaning something else (path, the word): keep this short.
HOMONYMS = {
    ("tui/shell/app.py", "Cancelada"): "the title of a cancelled query's toast",
}


# ---- the checkers ------------------------------------------------------------------------------
def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (prose for readers, where an estado may be named)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def python_hits(source: str) -> list[tuple[int, str]]:
    """String constants (docstrings aside) that spell an estado name or are an estado label."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    hits: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docs:
            text = node.value
            if NAME_RE.search(text) or text.strip() in LABELS:
                hits.append((node.lineno, text))
    return sorted(hits)


def sql_literals(source: str) -> list[tuple[str | None, str]]:
    """(query name, literal) of every single-quoted estado literal outside comments."""
    found = []
    name = None
    for line in source.splitlines():
        header = re.match(r"--\s*name:\s*([A-Za-z0-9_]+)", line)
        if header:
            name = header.group(1)
        code = re.sub(r"'[^']*'", lambda m: m.group(0).replace("--", ""), line).split("--")[0]
        found += [(name, lit) for lit in re.findall(r"'([^']*)'", code)
                  if lit in model.ESTADOS]
    return found


def stylesheet_hits(source: str) -> list[str]:
    return NAME_RE.findall(source)


def test_the_checkers_find_what_they_look_for() -> None:
    assert python_hits('x = "PENDIENTE"\ny = f"{a} En revisión"\nz = " Aprobada "') == \
        [(1, "PENDIENTE"), (2, " En revisión"), (3, " Aprobada ")]
    assert python_hits('"""BORRADOR is named in prose."""\ndef f():\n    """PENDIENTE."""') == []
    assert python_hits('x = "Aprobadas: "\ny = "pendiente"') == []  # prose, not the label
    sql = ("-- name: q\n-- PENDIENTE in a comment\nSELECT 1 WHERE e = 'APROBADA' -- 'BORRADOR'\n"
           "-- name: r\nSELECT 'x--', e IN ('PENDIENTE', 'EN_REVISION');\n")
    assert sql_literals(sql) == [("q", "APROBADA"), ("r", "PENDIENTE"), ("r", "EN_REVISION")]
    assert stylesheet_hits("Tiles .estado-RECHAZADA { }") == ["RECHAZADA"]


# ---- the tree ----------------------------------------------------------------------------------
def test_no_ui_module_or_stylesheet_spells_an_estado() -> None:
    offenders: dict[str, list[Any]] = {}
    homonyms = set()
    for folder in UI_FOLDERS:
        for path in sorted((ROOT / "tui" / folder).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            found = python_hits(path.read_text(encoding="utf-8"))
            homonyms |= {(name, text.strip()) for _, text in found} & set(HOMONYMS)
            hits = [h for h in found if (name, h[1].strip()) not in HOMONYMS]
            if hits:
                offenders[str(path.relative_to(ROOT))] = hits
    for path in sorted((ROOT / "tui").rglob("*.tcss")):
        names = stylesheet_hits(path.read_text(encoding="utf-8"))
        if names:
            offenders[str(path.relative_to(ROOT))] = names
    assert offenders == {}, "take estados and labels from tui.services.model"
    assert homonyms == set(HOMONYMS)  # none stale


def test_no_query_spells_an_estado() -> None:
    found = {}
    for path in sorted((ROOT / "sql" / "queries").glob("*.sql")):
        literals = sql_literals(path.read_text(encoding="utf-8"))
        if literals:
            found[path.name] = literals
    assert found == {}, "pass estados as parameters (model.sql_params)"


async def test_the_review_queue_uses_its_partial_index_with_the_estados_as_a_parameter(
        pool: Any) -> None:
    """cx_solicitudes_cola_idx (post-apply.sql) holds only the open solicitudes, and its
    predicate spells them: the model's OPEN. The queue's query takes them as the :abiertas
    array, and the planner still proves the index's predicate, because the pool plans every
    statement with its actual parameters (prepare_threshold=None: no generic plans)."""
    text = (ROOT / "sql" / "migrations" / "post-apply.sql").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if '"cx_solicitudes_cola_idx"' in x)
    assert tuple(re.findall(r"'([A-Z_]+)'", line.split("WHERE", 1)[1])) == model.OPEN
    params = dict(role=model.ADMIN, centro_id=None, centro_filter=None, q=None, after_ts=None,
                  after_id=None, limit=51, urgente_antes=None, **model.sql_params())
    async with pool.connection() as conn:
        await conn.execute("SET enable_seqscan = off")  # the demo table is tiny
        for query, orden in [(AQ.review_queue, o) for o in sv.ORDENES_COLA] + [
                (AQ.count_review_queue, None)]:  # each order of the queue too
            sql = re.sub(r"(?<!:):([a-z_]+)", r"%(\1)s", query.sql)
            plan = [next(iter(r.values())) async for r in await conn.execute(
                "EXPLAIN " + sql, {**params, "orden": orden})]
            assert any("cx_solicitudes_cola_idx" in step for step in plan), (orden, plan)


def test_the_sql_parameters_name_every_estado_and_group() -> None:
    params = model.sql_params()
    assert {params[e.lower()] for e in model.ESTADOS} == set(model.ESTADOS)
    assert params["abiertas"] == list(model.OPEN)
    assert params["comprometidas"] == list(model.COMMITTED)
    used = set(re.findall(r"(?<!:):([a-z_]+)", "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "sql" / "queries").glob("*.sql"))))
    assert set(params) <= used  # every one is used by some query


# ---- the model is consistent -------------------------------------------------------------------
def test_the_model_tables_are_complete() -> None:
    assert model.ESTADOS[0] == model.DRAFT
    assert set(model.OPEN) | set(model.COMMITTED) | set(model.DUPLICABLE) <= set(model.ESTADOS)
    for t in model.TRANSITIONS:
        assert set(t.desde) <= set(model.ESTADOS) and t.who in (
            model.OWNER, model.REVIEWER, model.ADMIN_ONLY), t
        assert t.hasta is None or t.hasta in model.ESTADOS, t
        assert (t.comment_required is None) or t.comment, t  # a required comment is asked for
        if t.changes_estado or t.creates:
            assert t.title and t.question and t.button, t
    assert all(set(roles) <= set(model.ROLES) for roles in model.AREAS.values())
    # every field of the form is in exactly one section, with a label
    assert sorted(model.FORM_ORDER) == sorted(set(model.FORM_ORDER)) == sorted(model.FIELD_LABELS)
    assert model.SECTIONS[-1].fields == model.DECLARATIONS
    assert set(model.ESTADO_TONE.values()) <= {None, "warning", "success", "error"}


def test_the_services_read_the_same_tables() -> None:
    assert {t.action: t for t in model.TRANSITIONS if t.changes_estado} == tr.RULES
    assert model.TRANSITION["edit"].desde == sv.EDITABLE_BY_OWNER
    assert sv.DECLARATIONS == model.DECLARATIONS
    assert {s.transition for s in sa.SPECS if s.transition} == set(model.TRANSITIONS)


# ---- screens offer exactly what the services accept --------------------------------------------
ME, OTHER = "u-me", "u-other"


def _actor(role: str) -> Actor:
    return Actor(ME, "x@sena.edu.co", "X", role, "c-mine")


def _offered(role: str, estado: str, owner: str) -> set[str]:
    target = sa.Target("s1", "SOL-2026-001", estado, owner, None)
    return {s.transition.action for s in sa.SPECS
            if s.transition and s.transition.changes_estado
            and sa.allowed(s, _actor(role), target)}


def _accepted(role: str, estado: str, owner: str) -> set[str]:
    """The estado-changing actions the service's check lets through on such a row."""
    row = {"instructorId": owner, "programa_centro_id": "c-mine", "estado_txt": estado,
           "codigo": "SOL-2026-001"}
    accepted = set()
    for action, rule in tr.RULES.items():
        try:
            tr.check(_actor(role), row, rule)
        except (PermissionDenied, InvalidTransition):
            continue
        accepted.add(action)
    return accepted


@pytest.mark.parametrize("role", model.ROLES)
def test_offered_actions_are_the_accepted_transitions(role: str) -> None:
    seen = set()
    for estado in model.ESTADOS:
        for owner in (ME, OTHER):
            offered = _offered(role, estado, owner)
            assert offered == _accepted(role, estado, owner), (role, estado, owner)
            seen |= offered
    assert seen  # every role has something to do somewhere


def test_the_other_centros_reviewer_is_refused_what_the_list_never_shows() -> None:
    row = {"instructorId": OTHER, "programa_centro_id": "c-other", "estado_txt": "x",
           "codigo": "SOL-2026-001"}
    for rule in tr.RULES.values():
        if rule.who == model.REVIEWER:
            with pytest.raises(PermissionDenied, match="otro centro"):
                tr.check(_actor(model.COORDINADOR), row, rule)


async def test_on_the_demo_data_what_the_detail_screen_does_not_offer_is_refused(
        pool: Any) -> None:
    """Each demo user on each solicitud they can open: the detail shows estados by their
    labels; the service refuses every transition the detail screen does not offer (and
    changes nothing), and its check lets through every one it offers."""
    before = await snapshot(pool)
    refused = offered_total = 0
    for who in USERS:
        a = await actor(pool, who)
        for codigo in DEMO:
            sid = await sol_id(pool, codigo)
            try:
                sol = await sv.get(pool, a, sid)
            except NotFound:  # not visible: no screen shows it
                continue
            shown = detail.render(sol)  # history included: labels, never enum names
            assert not NAME_RE.search(shown) and model.ESTADO_LABEL[sol.estado] in shown
            target = sa.Target(sol.id, sol.codigo, sol.estado, sol.data["instructorId"])
            offered = {s.transition.action for s in sa.SPECS
                       if s.transition and s.transition.changes_estado
                       and sa.allowed(s, a, target)}
            for action, rule in tr.RULES.items():
                if action in offered:
                    tr.check(a, sol.data, rule)  # raises if the service would refuse
                    offered_total += 1
                    continue
                with pytest.raises((PermissionDenied, InvalidTransition)):
                    await run_action(pool, a, action, sid)
                refused += 1
    assert refused and offered_total
    assert await snapshot(pool) == before
