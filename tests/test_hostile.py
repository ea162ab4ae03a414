"""Hostile input against the services on the real demo database: fuzzing (never an unhandled
exception, always field-level messages), an SQL-injection corpus through every text field
and search box (no effect), and oversized values (a limit per field, a clear message).

The solicitud form's own property tests are in test_svc_properties.py; these add validation,
users, login, the searches, paging cursors, the injection corpus and the size limits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql as psql

from tui.services import audit, auth, users
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import ServiceError
from tui.services.horarios import Horario
from tui.services.validation import (
    FIELD_LABELS,
    MAX_LENGTHS,
    ValidationFailed,
    validate_draft,
    validate_submit,
)

from .conftest import examples
from .test_svc_lifecycle import actor, sql

ADMIN = "admin@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
CARLOS = "carlos.rodriguez@sena.edu.co"
DB_SETTINGS = settings(max_examples=examples(40), deadline=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture])

INJECTIONS = [
    "'; DROP TABLE public.users; --",
    "' OR '1'='1",
    "1' OR 1=1 --",
    "'); UPDATE public.users SET role = 'ADMIN'; --",
    "'; SELECT pg_sleep(10); --",
    "\\'; DELETE FROM public.solicitudes; --",
    "$$; DROP SCHEMA complementarias CASCADE; $$",
    "%(id)s %s :id $1 {id}",
    "E'\\\\x27' || chr(39)",
    "admin@sena.edu.co' --",
    "\" OR \"\"=\"",
    "1; COPY public.users TO PROGRAM 'id'",
    "%", "_", "\\",
]

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=300), st.sampled_from(INJECTIONS), st.dates(), st.datetimes(),
    st.lists(st.text(max_size=20), max_size=5), st.binary(max_size=20),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
FIELDS = st.sampled_from(list(FIELD_LABELS))


def field_level(exc: ValidationFailed) -> None:
    assert exc.errors
    for e in exc.errors:
        assert e.field and e.message and ":" in e.message, e


async def table_counts(pool: Any) -> dict[str, int]:
    tables = await sql(pool, "SELECT table_schema, table_name FROM information_schema.tables "
                             "WHERE table_schema IN ('public', 'complementarias') "
                             "AND table_type = 'BASE TABLE'")
    out = {}
    for t in tables:
        ident = psql.Identifier(t["table_schema"], t["table_name"])
        async with pool.connection() as conn:
            cur = await conn.execute(psql.SQL("SELECT count(*) AS n FROM {}").format(ident))
            out[f"{t['table_schema']}.{t['table_name']}"] = (await cur.fetchone())["n"]
    return out


async def roles(pool: Any) -> dict[str, int]:
    rows = await sql(pool, "SELECT role::text AS r, count(*) AS n FROM public.users GROUP BY 1")
    return {r["r"]: r["n"] for r in rows}


# ---- fuzzing ---------------------------------------------------------------------------------
@settings(max_examples=examples(400), deadline=None)
@given(data=st.dictionaries(FIELDS, ANY_VALUE, max_size=12),
       horarios=st.lists(st.builds(Horario, st.text(max_size=12), st.text(max_size=6),
                                   st.text(max_size=6), st.none() | st.dates(),
                                   st.booleans(), st.none() | st.text(max_size=20)),
                         max_size=3))
def test_validation_never_raises(data: dict[str, Any], horarios: list[Horario]) -> None:
    for errors in (validate_draft(data), validate_submit(data, horarios)):
        for e in errors:
            assert e.field and e.message


@DB_SETTINGS
@given(email=st.one_of(st.text(max_size=60), st.sampled_from(INJECTIONS),
                       st.just("nuevo.fuzz@sena.edu.co")),
       name=st.one_of(st.text(max_size=250), st.sampled_from(INJECTIONS)),
       cedula=st.one_of(st.text(max_size=20), st.from_regex(r"[0-9]{5,15}", fullmatch=True)),
       role=st.one_of(st.sampled_from(["INSTRUCTOR", "COORDINADOR", "ADMIN"]),
                      st.text(max_size=12)),
       telefono=st.none() | st.text(max_size=30),
       especialidad=st.none() | st.text(max_size=250) | st.sampled_from(INJECTIONS))
async def test_create_user_fuzz(pool: Any, email: str, name: str, cedula: str, role: str,
                                telefono: str | None, especialidad: str | None) -> None:
    admin = await actor(pool, ADMIN)
    try:
        user, _pw = await users.create_user(pool, admin, email=email, name=name, cedula=cedula,
                                            role=role, centro_id=admin.centro_id,
                                            telefono=telefono, especialidad=especialidad)
    except ValidationFailed as exc:
        field_level(exc)
        return
    assert user.name == name.strip() and user.role == role
    await sql(pool, "DELETE FROM complementarias.user_state WHERE user_id = %s", user.id)
    await sql(pool, "DELETE FROM public.users WHERE id = %s", user.id)


@DB_SETTINGS
@given(texto=st.one_of(st.none(), st.text(max_size=200), st.sampled_from(INJECTIONS)),
       cursor=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(
           ["WyJhIl0=", "bnVsbA==", "W10=", "eyJhIjoxfQ==", "WzEsMiwzXQ==", "!!!"])),
       desde=st.one_of(st.none(), st.text(max_size=12), st.dates()),
       action=st.one_of(st.none(), st.sampled_from(list(audit.ACTIONS)), st.text(max_size=8)))
async def test_searches_and_cursors_fuzz(pool: Any, texto: str | None, cursor: str | None,
                                         desde: Any, action: str | None) -> None:
    admin, juan = await actor(pool, ADMIN), await actor(pool, JUAN)
    calls = [
        lambda: users.list_users(pool, admin, texto=texto, cursor=cursor),
        lambda: sv.list_page(pool, juan, sv.Filtros(texto=texto), cursor=cursor),
        lambda: sv.review_queue(pool, juan, texto=texto, cursor=cursor),
        lambda: audit.search(pool, admin, texto=texto, actor_text=texto, desde=desde,
                             action=action, cursor=cursor),
    ]
    for call in calls:
        try:
            await call()
        except ValidationFailed as exc:
            field_level(exc)
        except ServiceError as exc:
            assert exc.message


@settings(max_examples=examples(20), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=st.one_of(st.text(max_size=400), st.sampled_from(INJECTIONS)),
       password=st.one_of(st.text(max_size=200), st.sampled_from(INJECTIONS)))
async def test_login_fuzz(pool: Any, monkeypatch: Any, email: str, password: str) -> None:
    async def no_wait(seconds: float) -> None:
        return None

    monkeypatch.setattr(auth, "_pause", no_wait)
    with pytest.raises(auth.AuthError) as info:
        await auth.login(pool, email, password, source=f"fuzz:{hash(email)}")
    assert info.value.message


# ---- SQL injection ---------------------------------------------------------------------------
TEXT_FIELDS = [f for f in MAX_LENGTHS if f not in ("modalidad", "tipoAmbiente", "programaId",
                                                   "responsableEmail", "responsableCedula",
                                                   "nitEmpresa")]


async def test_injection_corpus_through_every_text_field_has_no_effect(pool: Any) -> None:
    carlos, admin, juan = await actor(pool, CARLOS), await actor(pool, ADMIN), \
        await actor(pool, JUAN)
    prog = (await sql(pool, "SELECT id FROM public.programas WHERE codigo = 'CF-001-2024'"))[0]
    before = await table_counts(pool)
    draft = await sv.create_draft(pool, carlos, {"programaId": prog["id"]})
    tried = 0
    for payload in INJECTIONS:
        form = {f: payload for f in TEXT_FIELDS}
        draft = await sv.save(pool, carlos, draft.id, form, [], draft.updated_at)
        assert all(draft.data[f] == payload for f in TEXT_FIELDS)
        tried += len(TEXT_FIELDS)
        await users.update_own_profile(pool, carlos, None, payload)
        for texto in (payload,):
            assert (await users.list_users(pool, admin, texto=texto)).total == 0
            await sv.list_page(pool, juan, sv.Filtros(texto=texto))
            await sv.review_queue(pool, juan, texto=texto)
            for e in (await audit.search(pool, admin, texto=texto)).rows:
                # only entries that hold the text literally (an earlier failed login's email)
                assert texto.lower() in repr(e).lower().replace("\\\\", "\\")
        with pytest.raises(auth.AuthError):
            await auth.login(pool, payload, payload, source=f"inj{tried}")
        tried += 6
    after = await table_counts(pool)
    grew = {k: after[k] - before[k] for k in after if after[k] != before[k]}
    # Only what the calls themselves write: one draft, its history, the failed logins (and
    # the draft's row in the summaries).
    assert set(grew) <= {"public.solicitudes", "complementarias.historial",
                         "complementarias.login_attempts", "complementarias.audit",
                         "complementarias.counters", "complementarias.numbering",
                         "complementarias.resumen_solicitudes",
                         "complementarias.resumen_anual",
                         "complementarias.resumen_instructor"}, grew
    assert grew["public.solicitudes"] == 1
    assert await roles(pool) == {"ADMIN": 1, "COORDINADOR": 3, "INSTRUCTOR": 4}  # the demo's
    assert tried >= 200


async def test_like_wildcards_are_literal(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    assert (await users.list_users(pool, admin, texto="%")).total == 0
    assert (await users.list_users(pool, admin, texto="_")).total == 0
    assert (await users.list_users(pool, admin, texto="sena.edu")).total == 8


# ---- oversized input -------------------------------------------------------------------------
@pytest.mark.parametrize("field", sorted(set(MAX_LENGTHS) - {"programaId"}))  # a picker
async def test_each_text_field_has_a_limit_with_a_clear_message(pool: Any, field: str) -> None:
    carlos = await actor(pool, CARLOS)
    prog = (await sql(pool, "SELECT id FROM public.programas WHERE codigo = 'CF-001-2024'"))[0]
    draft = await sv.create_draft(pool, carlos, {"programaId": prog["id"]})
    limit = MAX_LENGTHS[field]
    with pytest.raises(ValidationFailed) as info:
        await sv.save(pool, carlos, draft.id, {field: "x" * (limit + 1)}, [],
                      draft.updated_at)
    messages = {e.field: e.message for e in info.value.errors}
    assert field in messages
    assert messages[field].startswith(FIELD_LABELS[field]) and str(limit) in messages[field]


async def test_megabyte_values_are_refused_cleanly(pool: Any) -> None:
    big = "A" * 1_000_000
    carlos, admin, juan = await actor(pool, CARLOS), await actor(pool, ADMIN), \
        await actor(pool, JUAN)
    prog = (await sql(pool, "SELECT id FROM public.programas WHERE codigo = 'CF-001-2024'"))[0]
    with pytest.raises(ValidationFailed) as info:
        await sv.create_draft(pool, carlos, {"programaId": prog["id"], "justificacion": big,
                                             "nombreEmpresa": big})
    assert {e.field for e in info.value.errors} == {"justificacion", "nombreEmpresa"}
    with pytest.raises(ValidationFailed) as info2:
        await users.create_user(pool, admin, email="big@sena.edu.co", name=big,
                                cedula="12345678", role="INSTRUCTOR", centro_id=admin.centro_id,
                                especialidad=big)
    assert {e.field for e in info2.value.errors} == {"name", "especialidad"}
    sid = (await sql(pool, "SELECT id FROM public.solicitudes WHERE codigo = 'SOL-2026-002'"))
    with pytest.raises(ValidationFailed) as info3:
        await tr.reject(pool, juan, sid[0]["id"], big)
    assert [e.field for e in info3.value.errors] == ["comentarios"]
    with pytest.raises(auth.AuthError):
        await auth.login(pool, big, big)
    # A search box is refused at the service boundary, naming it, before any query runs.
    for search in (lambda: audit.search(pool, admin, texto=big),
                   lambda: users.list_users(pool, admin, texto=big),
                   lambda: sv.list_page(pool, juan, sv.Filtros(texto=big))):
        with pytest.raises(ValidationFailed) as info4:
            await search()
        assert [e.message for e in info4.value.errors] == [
            "Búsqueda: no puede superar 1000 caracteres"]


async def test_objetivos_limits(pool: Any) -> None:
    carlos = await actor(pool, CARLOS)
    prog = (await sql(pool, "SELECT id FROM public.programas WHERE codigo = 'CF-001-2024'"))[0]
    with pytest.raises(ValidationFailed) as info:
        await sv.create_draft(pool, carlos, {"programaId": prog["id"],
                                             "objetivosPersonalizados": ["o"] * 31})
    field_level(info.value)
    with pytest.raises(ValidationFailed) as info:
        await sv.create_draft(pool, carlos, {"programaId": prog["id"],
                                             "objetivosPersonalizados": ["x" * 501]})
    assert info.value.errors[0].field == "objetivosPersonalizados[0]"
    assert date.today()  # the draft was never written
