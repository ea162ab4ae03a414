"""The one gate of every service (common.refresh_actor) on the real demo database: a user who
must change a temporary password is refused by every service but changing it and their own
profile; role, centro and e-mail always come from the database, never from the Actor object
the caller passes; every public service is behind the input boundary.
"""

from __future__ import annotations

import inspect
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tui.services import audit, auth, boundary, exports, imports, users
from tui.services import solicitudes as sv
from tui.services.common import PasswordChangeRequired, PermissionDenied, SessionEnded

from .svc_calls import (
    CLI_ONLY,
    GATE,
    INTERNAL,
    NOT_IN_BOUNDARY,
    PENDING_OK,
    PRE_AUTH,
    Ctx,
    call_args,
    checked_services,
    make_ctx,
    public_services,
    qualname,
    samples,
    sql,
)


@pytest.fixture
async def ctx(pool: Any, demo_url: str, tmp_path: Path) -> Ctx:
    return await make_ctx(pool, demo_url, tmp_path)


def test_every_public_service_is_behind_the_boundary() -> None:
    wrapped = {qualname(inspect.unwrap(f)) for f in checked_services()}
    missing = [qualname(f) for f in public_services()
               if qualname(f) not in wrapped | PRE_AUTH | CLI_ONLY | GATE
               and f.__module__.rsplit(".", 1)[1] not in NOT_IN_BOUNDARY]
    assert missing == []
    assert len(wrapped) >= 55


def test_every_public_service_goes_through_the_gate() -> None:
    """A public service takes the acting user, whom the gate re-reads from the database
    (active, no pending password change, role): the pending-password test below calls every
    such service and expects a refusal. Only entry points before a session, command-line
    services and the gate itself take no acting user. A new public service without `actor`
    (as `numbering.proposed_ficha` was) fails here until it is gated or classified."""
    ungated = sorted(qualname(inspect.unwrap(f)) for f in public_services()
                     if "actor" not in inspect.signature(inspect.unwrap(f)).parameters)
    assert [n for n in ungated if n not in PRE_AUTH | CLI_ONLY | GATE | INTERNAL] == []
    gated = {qualname(inspect.unwrap(f)) for f in checked_services()
             if "actor" in inspect.signature(inspect.unwrap(f)).parameters}
    assert "tui.services.numbering.proposed_ficha" in gated


async def test_proposed_ficha_is_for_reviewers_only(ctx: Ctx) -> None:
    from tui.services import numbering

    ficha = await numbering.proposed_ficha(ctx.pool, ctx.actors["juan"])
    assert numbering.FICHA_RE.fullmatch(ficha)
    with pytest.raises(PermissionDenied):
        await numbering.proposed_ficha(ctx.pool, ctx.actors["carlos"])
    forged = replace(ctx.actors["carlos"], role="COORDINADOR")  # the role is read, not trusted
    with pytest.raises(PermissionDenied):
        await numbering.proposed_ficha(ctx.pool, forged)
    # Proposing reserves nothing: the next proposal is the same number.
    assert await numbering.proposed_ficha(ctx.pool, ctx.actors["admin"]) == ficha


def test_every_service_has_a_sample_call(tmp_path: Path) -> None:
    fake = Ctx(None, "", tmp_path, {w: _nobody(w) for w in ("carlos", "maria", "juan",
                                                              "patricia", "admin")},
               {k: "c" * 25 for k in ("sol", "draft", "prog", "notif")}, "ssh-ed25519 AAAA")
    values = samples(fake, fake.actors["carlos"])
    for fn in checked_services():
        call_args(fn, values)  # a KeyError names the parameter without a sample


def _nobody(who: str) -> Any:
    from tui.services.common import Actor

    return Actor(id=who, email=f"{who}@sena.edu.co", name=who, role="INSTRUCTOR",
                 centro_id="c")


async def _pending(ctx: Ctx, who: str) -> None:
    await sql(ctx.pool, """INSERT INTO complementarias.user_state (user_id, must_change_password)
                           VALUES (%s, true) ON CONFLICT (user_id)
                           DO UPDATE SET must_change_password = true""", ctx.actors[who].id)


def _extra_calls(ctx: Ctx, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """The export and import services (outside the boundary module list) call the gate too."""
    (ctx.tmp / "x.csv").write_text("nombres,apellidos,cedula,email\n"
                                   "Ana,Ruiz,12345678,ana.ruiz@sena.edu.co\n")
    return [
        ("exports.ficha", lambda: exports.ficha(ctx.pool, values["actor"], "SOL-2026-002")),
        ("exports.export_list", lambda: exports.export_list(
            ctx.pool, values["actor"], None, "csv", ctx.tmp / "l.csv")),
        ("exports.centro_id_for", lambda: exports.centro_id_for(
            ctx.pool, values["actor"], values["actor"].centro_codigo)),
        ("imports.dry_run", lambda: imports.dry_run(ctx.pool, values["actor"],
                                                    ctx.tmp / "x.csv")),
    ]


@pytest.mark.parametrize("who", ["carlos", "juan", "admin"])
async def test_pending_password_change_refuses_every_other_service(ctx: Ctx, who: str) -> None:
    """The issue saw 88 actions succeed for such a user; now every one is refused."""
    await _pending(ctx, who)
    actor = ctx.actors[who]
    values = samples(ctx, actor)
    before = await sql(ctx.pool, "SELECT count(*) AS n FROM complementarias.audit")
    refused, allowed = [], []
    calls = [(qualname(inspect.unwrap(fn)), (lambda fn=fn: fn(**call_args(fn, values))))
             for fn in checked_services()
             if "actor" in inspect.signature(fn).parameters]
    for name, call in calls + _extra_calls(ctx, values):
        if name in PENDING_OK:
            continue
        with pytest.raises(PasswordChangeRequired) as info:
            await call()
        assert "contraseña" in info.value.message
        refused.append(name)
    assert len(refused) >= 50
    # Nothing was written by any refused call.
    assert await sql(ctx.pool, "SELECT count(*) AS n FROM complementarias.audit") == before
    # What stays open: their own profile, then changing the password, after which all works.
    profile = await users.update_own_profile(ctx.pool, actor, "3009998877", "Redes")
    assert profile.especialidad == "Redes"
    assert (await users.get_user(ctx.pool, actor, actor.id)).id == actor.id
    if who != "admin":
        with pytest.raises(PasswordChangeRequired):
            await users.get_user(ctx.pool, actor, ctx.actors["admin"].id)
    password = {"carlos": "Instructor.2026", "juan": "Coordinador.2026",
                "admin": "Admin.Sena2026"}[who]
    session = await auth.login(ctx.pool, actor.email, password)
    assert session.must_change_password
    await auth.change_password(ctx.pool, actor, password, "Nueva.Clave.2027x")
    assert (await sv.counts(ctx.pool, actor))["APROBADA"] >= 1
    allowed.append("counts")
    assert allowed


async def test_role_centro_and_email_come_from_the_database(ctx: Ctx) -> None:
    carlos, juan, admin = ctx.actors["carlos"], ctx.actors["juan"], ctx.actors["admin"]
    cidm = (await sql(ctx.pool, 'SELECT "codigo" FROM public.centros WHERE "id" = %s',
                      ctx.actors["patricia"].centro_id))[0]["codigo"]
    # A forged Actor claiming the admin role gets nothing more: the export scope helper
    # reads the role from the database.
    forged = replace(carlos, role="ADMIN", email="otro@sena.edu.co")
    with pytest.raises(PermissionDenied):
        await exports.centro_id_for(ctx.pool, forged, cidm)
    with pytest.raises(PermissionDenied):
        await users.list_users(ctx.pool, forged)
    # The audit entry names the e-mail stored now, not the one the caller's object holds.
    await users.update_own_profile(ctx.pool, forged, None, "Bases de datos")
    rows = await sql(ctx.pool, """SELECT actor_email FROM complementarias.audit
                                   WHERE action = 'profile_update' AND actor_id = %s""",
                     carlos.id)
    assert [r["actor_email"] for r in rows] == [carlos.email]
    # A coordinator demoted after login loses the export scope at once; an admin's e-mail
    # changed after login is what their next export's audit entry names.
    await users.update_user(ctx.pool, admin, juan.id, role="INSTRUCTOR")
    with pytest.raises(PermissionDenied):
        await sv.review_queue(ctx.pool, juan)
    listed = await exports.export_list(ctx.pool, juan, None, "csv", ctx.tmp / "juan.csv")
    assert listed.rows == 0  # an instructor's scope: only their own solicitudes (none)
    await sql(ctx.pool, 'UPDATE public.users SET "email" = %s WHERE "id" = %s',
              "admin.nuevo@sena.edu.co", admin.id)
    await exports.export_list(ctx.pool, admin, None, "csv", ctx.tmp / "todo.csv")
    rows = await sql(ctx.pool, """SELECT actor_email FROM complementarias.audit
                                   WHERE action = 'export' ORDER BY id DESC LIMIT 1""")
    assert rows == [{"actor_email": "admin.nuevo@sena.edu.co"}]
    # Deactivated after login: the session ends at the next call.
    await users.set_active(ctx.pool, replace(admin, email="admin.nuevo@sena.edu.co"),
                           carlos.id, False)
    with pytest.raises(SessionEnded):
        await exports.centro_id_for(ctx.pool, carlos, carlos.centro_codigo)
    with pytest.raises(SessionEnded):
        await sv.counts(ctx.pool, carlos)


async def test_audit_search_refuses_a_forged_admin(ctx: Ctx) -> None:
    forged = replace(ctx.actors["juan"], role="ADMIN")
    with pytest.raises(PermissionDenied):
        await audit.search(ctx.pool, forged)
    assert boundary.label("texto") == "Búsqueda"
