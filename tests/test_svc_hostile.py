"""Every public service called with hostile values in every parameter, on the real demo database.

Each parameter of each service (tests/svc_calls.py lists them and a valid value of each) is
replaced in turn by hostile text (NUL, lone surrogates, control characters, 100 000
characters, RTL, emoji), dates (years 1 and 9999; 10000 and -1 as the text a box would hold)
and numbers (negative, huge, not finite). Every call either succeeds — and then what was
stored reads back equal — or raises the domain's error (ServiceError or ValidationFailed, with
a Spanish message naming the field); any other exception is a crash. Text the boundary must
refuse (NUL, surrogates, control characters, too long) is always a ValidationFailed naming
the field, so the driver never sees it. A hypothesis run then tries random text and numbers.

The example count is small enough for CI (profile "hostile-ci"); raise it locally with
CX_HOSTILE_EXAMPLES=2000.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.services import auth, boundary, centros, ssh_keys, tickets, users
from tui.services import notifications as nt
from tui.services import solicitudes as sv
from tui.services.common import ServiceError
from tui.services.horarios import Horario
from tui.services.solicitudes import Filtros
from tui.services.validation import ValidationFailed, has_forbidden_chars

from .conftest import examples
from .svc_calls import Ctx, call_args, checked_services, make_ctx, qualname, samples, sql

HOSTILE_CI = settings(max_examples=examples(120),
                      suppress_health_check=[HealthCheck.function_scoped_fixture])

HOSTILE_TEXT = [
    "nul\x00byte", "\x00", "lone \ud800 surrogate", "\udfff", "esc \x1b[31mrojo\x1b[0m",
    "bell\x07", "c1 \x9b2J", "cr\rlf", "tab\tand\nnewline", "x" * 100_000, "\u202eRTL override",
    "עברית ومرحبا", "🚜👩\u200d🌾 emoji", "", "   ", "line\u2028sep", "%_\\",
    "'; DROP TABLE public.users; --",
]
HOSTILE_DATES: list[Any] = [date(1, 1, 1), date(9999, 12, 31), datetime(9999, 12, 31, 23, 59),
                            "10000-01-01", "-1-01-01", "0001-01-01"]
HOSTILE_NUMBERS: list[Any] = [-1, -(2**63), 2**31, 2**63, 10**100, float("inf"), float("nan"),
                              -0.5, 1e308]
HOSTILE_YEARS = [1, 9999, 10000, -1, 0]

DATES = {"desde", "hasta", "expected_updated_at"}
NUMBERS = {"limit", "days", "key_id", "top", "ttl_s", "count", "duracion_horas",
           "cupo_aprendices"}
FLAGS = {"active", "activo", "solo_no_leidas", "must_change"}
SKIP = {"pool", "actor", "by", "now", "progress", "cancel", "base", "url"}

ADMIN = {"users", "centros", "programas", "audit"}
REVIEWER = {"take_into_review", "approve", "reject", "return_to_instructor", "review_queue",
            "dashboard", "queue_urgentes", "informe", "proposed_ficha"}


def who_calls(fn: Callable[..., Any]) -> str:
    """The demo user a service is called as: one who may use it (the admin for admin work,
    a coordinator to review, else an instructor)."""
    module, name = fn.__module__.rsplit(".", 1)[1], fn.__name__
    if module in ADMIN or name in ("broadcast", "admin_cancel"):
        return "admin"
    return "juan" if name in REVIEWER else "carlos"


def variants(param: str, ctx: Ctx) -> list[tuple[str, Any]]:
    """(field the boundary names, value) for each hostile value of `param`."""
    if param in DATES:
        return [(param, d) for d in HOSTILE_DATES]
    if param in NUMBERS:
        return [(param, n) for n in HOSTILE_NUMBERS]
    if param == "year":
        return [(param, y) for y in HOSTILE_YEARS]
    if param == "form":
        prog = ctx.ids["prog"]
        return ([("nombreEmpresa", {"programaId": prog, "nombreEmpresa": t}) for t in HOSTILE_TEXT]
                + [("justificacion", {"programaId": prog, "justificacion": t})
                   for t in HOSTILE_TEXT]
                + [("fechaInicioCurso", {"programaId": prog, "fechaInicioCurso": d})
                   for d in HOSTILE_DATES]
                + [("cupoMaximo", {"programaId": prog, "cupoMaximo": n})
                   for n in HOSTILE_NUMBERS])
    if param == "filtros":
        return ([("texto", Filtros(texto=t)) for t in HOSTILE_TEXT]
                + [("estado", Filtros(estado=t)) for t in HOSTILE_TEXT[:6]]
                + [("desde", Filtros(desde=d)) for d in HOSTILE_DATES]
                + [("year", Filtros(year=y)) for y in HOSTILE_YEARS])
    if param == "horarios":
        return ([("observaciones", [Horario("LUNES", "08:00", "10:00", observaciones=t)])
                 for t in HOSTILE_TEXT]
                + [("fecha", [Horario("LUNES", "08:00", "10:00", fecha=d)])
                   for d in HOSTILE_DATES if isinstance(d, date)]
                + [("dia_semana", [Horario(t, t, t)]) for t in HOSTILE_TEXT[:6]])
    if param in ("user_ids", "objetivos", "competencias", "resultados"):
        return [(param, [t]) for t in HOSTILE_TEXT]
    return [(param, t) for t in HOSTILE_TEXT]


def must_refuse(field: str, value: Any) -> bool:
    """Whether the boundary must refuse `value` (a text, or a container holding one)."""
    texts = [value] if isinstance(value, str) else \
        [v for v in getattr(value, "__dict__", value if isinstance(value, dict) else {}).values()
         if isinstance(v, str)] if not isinstance(value, list) else \
        [t for item in value for t in ([item] if isinstance(item, str) else
                                       [v for v in vars(item).values() if isinstance(v, str)])]
    multiline = field in boundary.MULTILINE
    secret = field in boundary.SECRETS
    for t in texts:
        if "\x00" in t or any(0xD800 <= ord(c) <= 0xDFFF for c in t):
            return True
        if len(t) > (boundary.TEXT_MAX if field in boundary.LONG else boundary.LINE_MAX):
            return True
        if not secret and has_forbidden_chars(t, multiline):
            return True
    return False


class Tally:
    def __init__(self) -> None:
        self.calls = self.refused = self.ok = self.readback = 0


async def attempt(call: Callable[[], Awaitable[Any]], field: str, value: Any,
                  tally: Tally) -> Any:
    """Run one call: the result, or None after a domain error; any other exception fails."""
    tally.calls += 1
    try:
        result = await call()
    except ValidationFailed as exc:
        assert exc.errors and all(e.field and ":" in e.message for e in exc.errors), exc.errors
        tally.refused += 1
        return None
    except ServiceError as exc:
        assert exc.message
        tally.refused += 1
        if must_refuse(field, value):
            raise AssertionError(
                f"{field}={value!r:.60} reached the service rules: {exc!r}") from exc
        return None
    if must_refuse(field, value):
        raise AssertionError(f"{field}={value!r:.60} was accepted")
    tally.ok += 1
    return result


@pytest.fixture
async def ctx(pool: Any, demo_url: str, tmp_path: Path, monkeypatch: Any) -> Ctx:
    """The demo database, with bcrypt at cost 4 for this suite's many password calls."""
    real = auth.hash_password

    async def cheap(password: str, cost: int = 4) -> str:
        return await real(password, 4)

    monkeypatch.setattr(auth, "hash_password", cheap)
    monkeypatch.setattr(users, "hash_password", cheap)
    made = await make_ctx(pool, demo_url, tmp_path)
    await sql(pool, 'UPDATE public.users SET "password" = %s WHERE "id" = %s',
              await cheap("Instructor.2026"), made.actors["carlos"].id)
    return made


SERVICES = sorted((fn for fn in checked_services()
                   if fn.__module__ != "tui.services.migrations_admin"), key=qualname)
"""Migrations are left out here (a hostile value must not roll anything back): their gate and
audit are tested in test_audit_migrations.py."""


@pytest.mark.parametrize("fn", SERVICES, ids=[qualname(f)[13:] for f in SERVICES])
async def test_every_parameter_of_every_service_holds(ctx: Ctx, fn: Any) -> None:
    actor = ctx.actors[who_calls(fn)]
    values = samples(ctx, actor)
    tally = Tally()
    params = [p for p in inspect.signature(fn).parameters if p not in SKIP | FLAGS]
    for param in params:
        for field, value in variants(param, ctx):
            await attempt(partial(fn, **call_args(fn, values, **{param: value})), field, value,
                          tally)
    assert tally.calls == sum(len(variants(p, ctx)) for p in params)
    assert tally.refused >= 1 or not params


# ---- read back: what was accepted is stored exactly -------------------------------------------
def _same(stored: Any, typed: str) -> bool:
    return stored == typed.strip() or (stored in (None, "") and not typed.strip())


async def test_accepted_text_reads_back_equal(ctx: Ctx) -> None:
    carlos, admin, maria = ctx.actors["carlos"], ctx.actors["admin"], ctx.actors["maria"]
    tally = Tally()
    draft = await sv.get(ctx.pool, carlos, ctx.ids["draft"])
    centro = await centros.get_centro(ctx.pool, admin, admin.centro_id)
    for text in HOSTILE_TEXT:
        got = await attempt(partial(users.update_own_profile, ctx.pool, carlos, None, text),
                            "especialidad", text, tally)
        if got is not None:
            assert _same((await users.get_user(ctx.pool, carlos, carlos.id)).especialidad, text)
            tally.readback += 1
        got = await attempt(partial(users.update_user, ctx.pool, admin, maria.id, name=text),
                            "name", text, tally)
        if got is not None:
            assert (await users.get_user(ctx.pool, admin, maria.id)).name == text.strip()
            tally.readback += 1
        got = await attempt(partial(centros.update_centro, ctx.pool, admin, centro.id,
                                    nombre=text), "nombre", text, tally)
        if got is not None:
            assert (await centros.get_centro(ctx.pool, admin, centro.id)).nombre == text.strip()
            tally.readback += 1
        for field in ("nombreEmpresa", "justificacion"):
            got = await attempt(partial(sv.save, ctx.pool, carlos, draft.id, {field: text}, [],
                                        draft.updated_at), field, text, tally)
            if got is not None:
                draft = got
                assert _same((await sv.get(ctx.pool, carlos, draft.id)).data[field], text)
                tally.readback += 1
        got = await attempt(partial(nt.broadcast, ctx.pool, admin, text, text,
                                    user_ids=[maria.id]), "mensaje", text, tally)
        if got is not None:
            latest = (await nt.list_for(ctx.pool, maria, limit=1)).rows[0]
            assert (latest.titulo, latest.mensaje) == (text.strip(), text.strip())
            tally.readback += 1
    assert tally.readback >= 15 and tally.refused >= 30


# ---- before a session exists: always a failed login, never a crash ---------------------------
async def test_pre_session_entry_points_hold(ctx: Ctx, monkeypatch: Any) -> None:
    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(auth, "_pause", no_wait)
    for i, text in enumerate(HOSTILE_TEXT):
        with pytest.raises(auth.AuthError):
            await auth.login(ctx.pool, text, text, source=f"hostile:{i}")
        assert await ssh_keys.user_for_key(ctx.pool, text, text) is None
        with pytest.raises(auth.AuthError):
            await tickets.redeem(ctx.pool, text)


# ---- random values: hypothesis -----------------------------------------------------------------
TEXT_TARGETS = sorted({(qualname(fn), p) for fn in SERVICES
                       for p in inspect.signature(fn).parameters
                       if p not in SKIP | FLAGS | DATES | NUMBERS | {"year", "form", "filtros",
                                                                      "horarios"}})
BY_NAME = {qualname(fn): fn for fn in SERVICES}


@HOSTILE_CI
@given(target=st.sampled_from(TEXT_TARGETS),
       text=st.text(st.characters(codec=None), max_size=60)
       | st.text(st.characters(categories=["Cc", "Cs", "Cf", "Zl", "Zp", "So"]), max_size=8))
async def test_random_text_in_any_text_parameter(ctx: Ctx, target: tuple[str, str],
                                                 text: str) -> None:
    fn = BY_NAME[target[0]]
    values = samples(ctx, ctx.actors[who_calls(fn)])
    await attempt(lambda: fn(**call_args(fn, values, **{target[1]: text})), target[1], text,
                  Tally())


NUMBER_TARGETS = sorted({(qualname(fn), p) for fn in SERVICES
                         for p in inspect.signature(fn).parameters if p in NUMBERS | {"year"}})


@HOSTILE_CI
@given(target=st.sampled_from(NUMBER_TARGETS) if NUMBER_TARGETS else st.nothing(),
       number=st.integers() | st.floats(allow_nan=True, allow_infinity=True))
async def test_random_numbers_in_any_number_parameter(ctx: Ctx, target: tuple[str, str],
                                                      number: Any) -> None:
    fn = BY_NAME[target[0]]
    values = samples(ctx, ctx.actors[who_calls(fn)])
    result = await attempt(lambda: fn(**call_args(fn, values, **{target[1]: number})),
                           target[1], number, Tally())
    if result is not None:  # accepted numbers are in range
        assert not (isinstance(number, float) and not math.isfinite(number))
        assert 0 <= number <= 2_147_483_647


@HOSTILE_CI
@given(year=st.integers(min_value=-10, max_value=20_000), month=st.integers(1, 12))
async def test_random_years_in_filters_and_informes(ctx: Ctx, year: int, month: int) -> None:
    juan = ctx.actors["juan"]
    tally = Tally()
    from tui.services import informes

    try:
        day = date(year, month, 1)
    except ValueError:
        day = None
    await attempt(lambda: sv.list_page(ctx.pool, juan, Filtros(year=year)), "year", year, tally)
    if day is not None:
        await attempt(lambda: informes.informe(ctx.pool, juan, day, day), "desde", day, tally)
        await attempt(lambda: sv.list_page(ctx.pool, juan, Filtros(desde=day, hasta=day)),
                      "desde", day, tally)
    ok = 1900 <= year <= 2100
    assert tally.ok == (tally.calls if ok else 0)


def test_the_hostile_lists_cover_the_issue() -> None:
    assert any("\x00" in t for t in HOSTILE_TEXT) and any(len(t) == 100_000 for t in HOSTILE_TEXT)
    assert {1, 9999, 10000, -1} <= set(HOSTILE_YEARS)
    assert len(SERVICES) >= 50
