"""Users service on the real demo database: scope, validation, uniqueness, accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tui.db.queries import AQ
from tui.services import auth, users
from tui.services.common import (
    Actor,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    SessionEnded,
    refresh_actor,
)
from tui.services.validation import ValidationFailed

ADMIN = "admin@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"        # COORDINADOR, CGAO
PATRICIA = "patricia.gomez@sena.edu.co"   # COORDINADOR, CIDM
CARLOS = "carlos.rodriguez@sena.edu.co"   # INSTRUCTOR, CGAO
MARIA = "maria.gonzalez@sena.edu.co"      # INSTRUCTOR, CGAO
ANA = "ana.torres@sena.edu.co"            # INSTRUCTOR, CIDM
INSTRUCTOR_PW = "Instructor.2026"


async def actor(pool: Any, email: str) -> Actor:
    async with pool.connection() as conn:
        row = await AQ.user_for_login(conn, email=email)
        return await refresh_actor(conn, row["id"])


async def actors(pool: Any, *emails: str) -> list[Actor]:
    return [await actor(pool, e) for e in emails]


def fields(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


async def new_instructor(pool: Any, creator: Actor, n: int = 1, **kw: Any) -> tuple[Any, str]:
    data: dict[str, Any] = dict(email=f"nuevo{n}@sena.edu.co", name=f"Nuevo Instructor {n}",
                                cedula=f"7000000{n}", role="INSTRUCTOR", centro_id=None)
    data.update(kw)
    return await users.create_user(pool, creator, **data)


# ---- lists and reads -------------------------------------------------------------------------
async def test_admin_lists_every_user_by_pages_with_exact_total(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    seen, cursor = [], None
    while True:
        page = await users.list_users(pool, admin, cursor=cursor, limit=3)
        assert page.total == 8
        seen += page.rows
        cursor = page.next_cursor
        if cursor is None:
            break
    names = [u.name for u in seen]
    assert len(seen) == 8 and len({u.id for u in seen}) == 8
    assert names == sorted(names)


async def test_admin_filters(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    ana = await actor(pool, ANA)
    assert (await users.list_users(pool, admin, role="INSTRUCTOR")).total == 4
    cidm = await users.list_users(pool, admin, centro_id=ana.centro_id)
    assert {u.email for u in cidm.rows} == {ANA, PATRICIA}
    hit = await users.list_users(pool, admin, texto="TORRES")
    assert [u.email for u in hit.rows] == [ANA] and hit.total == 1
    assert (await users.list_users(pool, admin, texto="1012345678")).total == 1
    assert (await users.list_users(pool, admin, texto="%")).total == 0
    assert (await users.list_users(pool, admin, activo=False)).total == 0
    with pytest.raises(ValidationFailed):
        await users.list_users(pool, admin, role="JEFE")


async def test_coordinator_lists_only_instructors_of_own_centro(pool: Any) -> None:
    juan, patricia, carlos = await actors(pool, JUAN, PATRICIA, CARLOS)
    page = await users.list_users(pool, juan)
    assert {u.email for u in page.rows} == {CARLOS, MARIA} and page.total == 2
    page = await users.list_users(pool, patricia)
    assert [u.email for u in page.rows] == [ANA] and page.total == 1
    # Filters cannot widen the scope.
    assert (await users.list_users(pool, patricia, centro_id=carlos.centro_id)).total == 0
    assert (await users.list_users(pool, patricia, role="COORDINADOR")).total == 0


async def test_instructor_cannot_list_users(pool: Any) -> None:
    carlos = await actor(pool, CARLOS)
    with pytest.raises(PermissionDenied):
        await users.list_users(pool, carlos)


async def test_get_user_scope(pool: Any) -> None:
    juan, patricia, carlos, maria = await actors(pool, JUAN, PATRICIA, CARLOS, MARIA)
    assert (await users.get_user(pool, juan, carlos.id)).email == CARLOS
    assert (await users.get_user(pool, carlos, carlos.id)).centro_codigo == "CGAO"
    for who, target in ((patricia, carlos), (carlos, maria), (juan, patricia), (juan, "x")):
        with pytest.raises(NotFound):
            await users.get_user(pool, who, target if isinstance(target, str) else target.id)


# ---- creation --------------------------------------------------------------------------------
async def test_create_user_temporary_password_works_and_forces_change(
        pool: Any, real_bcrypt_cost: int) -> None:
    admin = await actor(pool, ADMIN)
    ana = await actor(pool, ANA)
    user, password = await users.create_user(
        pool, admin, email="  Nueva.Coordinadora@MISENA.edu.co ", name="  Nueva   Coord ",
        cedula="123456789", role="COORDINADOR", centro_id=ana.centro_id, telefono="601 555 1234")
    assert user.email == "nueva.coordinadora@misena.edu.co" and user.name == "Nueva Coord"
    assert user.role == "COORDINADOR" and user.centro_codigo == "CIDM" and user.is_active
    assert user.must_change_password and user.telefono == "601 555 1234"
    assert len(password) >= 10
    async with pool.connection() as conn:
        hashed = await AQ.password_hash_by_id(conn, id=user.id)
    assert hashed.startswith("$2b$12$")
    session = await auth.login(pool, "NUEVA.coordinadora@misena.edu.co", password)
    assert session.must_change_password and session.actor.id == user.id
    await auth.change_password(pool, session.actor, password, "Otra.Clave.2026")
    assert not (await auth.login(pool, user.email, "Otra.Clave.2026")).must_change_password


async def test_create_user_validation_names_each_field(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email="alguien@gmail.com", name=" ",
                                cedula="12.345", role="JEFE", centro_id=admin.centro_id,
                                telefono="llámame")
    got = fields(err.value)
    assert got["email"].startswith("Correo electrónico:") and "@sena.edu.co" in got["email"]
    assert got["name"] == "Nombre: es obligatorio."
    assert got["cedula"].startswith("Cédula:")
    assert got["role"].startswith("Rol:")
    assert got["telefono"].startswith("Teléfono:")
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email="a@sena.edu.co", name="A", cedula="1234",
                                role="INSTRUCTOR", centro_id=admin.centro_id)
    assert "entre 5 y 15" in fields(err.value)["cedula"]
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email="a@sena.edu.co", name="A", cedula="12345",
                                role="INSTRUCTOR", centro_id="no-existe")
    assert fields(err.value)["centroId"].startswith("Centro:")


async def test_create_user_uniqueness_messages(pool: Any) -> None:
    admin = await actor(pool, ADMIN)
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email="Carlos.Rodriguez@SENA.edu.co", name="X",
                                cedula="1098765432", role="INSTRUCTOR", centro_id=admin.centro_id)
    got = fields(err.value)
    assert got["email"] == ("Correo electrónico: carlos.rodriguez@sena.edu.co ya está "
                            "registrado para otro usuario.")
    assert got["cedula"] == "Cédula: 1098765432 ya está registrada para otro usuario."


async def test_create_user_race_on_unique_index_gives_clear_message(pool: Any,
                                                                    monkeypatch: Any) -> None:
    admin = await actor(pool, ADMIN)

    async def never_taken(conn: Any, **kw: Any) -> bool:
        return False  # as if the other insert committed right after our check

    monkeypatch.setattr(AQ, "admin_user_email_taken", never_taken)
    monkeypatch.setattr(AQ, "admin_user_cedula_taken", never_taken)
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email=CARLOS, name="X", cedula="55555555",
                                role="INSTRUCTOR", centro_id=admin.centro_id)
    assert fields(err.value)["email"].startswith("Correo electrónico: ya está registrado")
    with pytest.raises(ValidationFailed) as err:
        await users.create_user(pool, admin, email="otro@sena.edu.co", name="X",
                                cedula="1098765432", role="INSTRUCTOR", centro_id=admin.centro_id)
    assert fields(err.value)["cedula"].startswith("Cédula: ya está registrada")


async def test_coordinator_creates_only_instructors_of_own_centro(pool: Any) -> None:
    juan, ana, carlos = await actors(pool, JUAN, ANA, CARLOS)
    user, _ = await new_instructor(pool, juan)
    assert user.role == "INSTRUCTOR" and user.centro_id == juan.centro_id
    with pytest.raises(PermissionDenied, match="solo puede crear instructores"):
        await new_instructor(pool, juan, 2, role="COORDINADOR")
    with pytest.raises(PermissionDenied, match="propio centro"):
        await new_instructor(pool, juan, 3, centro_id=ana.centro_id)
    with pytest.raises(PermissionDenied):
        await new_instructor(pool, carlos, 4)


# ---- edits -----------------------------------------------------------------------------------
async def test_coordinator_edits_own_centro_instructor_but_not_role_or_identity(
        pool: Any) -> None:
    juan, patricia, carlos, admin = await actors(pool, JUAN, PATRICIA, CARLOS, ADMIN)
    u = await users.update_user(pool, juan, carlos.id, name="Carlos R. Pérez",
                                telefono="3001112233", especialidad="Ofimática")
    assert (u.name, u.telefono, u.especialidad) == ("Carlos R. Pérez", "3001112233", "Ofimática")
    u = await users.update_user(pool, juan, carlos.id, telefono="", email=CARLOS.upper())
    assert u.telefono is None and u.email == CARLOS  # same email (any case) is no change
    for change in (dict(role="COORDINADOR"), dict(centro_id=patricia.centro_id),
                   dict(email="otro@sena.edu.co"), dict(cedula="99999999")):
        with pytest.raises(PermissionDenied, match="Solo un administrador"):
            await users.update_user(pool, juan, carlos.id, **change)
    with pytest.raises(NotFound):
        await users.update_user(pool, patricia, carlos.id, name="Hack")
    with pytest.raises(NotFound):
        await users.update_user(pool, juan, admin.id, name="Hack")
    with pytest.raises(PermissionDenied):
        await users.update_user(pool, carlos, carlos.id, name="Yo")


async def test_admin_edits_role_centro_email_cedula_with_checks(pool: Any) -> None:
    admin, carlos, ana = await actors(pool, ADMIN, CARLOS, ANA)
    u = await users.update_user(pool, admin, carlos.id, role="COORDINADOR",
                                centro_id=ana.centro_id, email="Carlos.R@misena.edu.co",
                                cedula="1098765433")
    assert (u.role, u.centro_codigo, u.email, u.cedula) == (
        "COORDINADOR", "CIDM", "carlos.r@misena.edu.co", "1098765433")
    with pytest.raises(ValidationFailed) as err:
        await users.update_user(pool, admin, carlos.id, email=ANA, cedula="1012345678")
    assert set(fields(err.value)) == {"email", "cedula"}
    with pytest.raises(PermissionDenied, match="propio rol"):
        await users.update_user(pool, admin, admin.id, role="INSTRUCTOR")
    assert (await users.update_user(pool, admin, admin.id, name="Admin")).name == "Admin"


async def test_stale_copy_is_refused(pool: Any) -> None:
    juan, carlos = await actor(pool, JUAN), await actor(pool, CARLOS)
    before = await users.get_user(pool, juan, carlos.id)
    await users.update_user(pool, juan, carlos.id, especialidad="Primera",
                            expected_updated_at=before.updated_at)
    with pytest.raises(Conflict):
        await users.update_user(pool, juan, carlos.id, especialidad="Segunda",
                                expected_updated_at=before.updated_at)
    assert (await users.get_user(pool, juan, carlos.id)).especialidad == "Primera"


async def test_update_own_profile_only_phone_and_especialidad(pool: Any) -> None:
    carlos = await actor(pool, CARLOS)
    before = await users.get_user(pool, carlos, carlos.id)
    u = await users.update_own_profile(pool, carlos, " 310 123 4567 ", "Excel avanzado")
    assert (u.telefono, u.especialidad) == ("310 123 4567", "Excel avanzado")
    assert (u.role, u.email, u.cedula, u.centro_id) == (
        before.role, before.email, before.cedula, before.centro_id)
    assert u.updated_at >= before.updated_at
    with pytest.raises(ValidationFailed) as err:
        await users.update_own_profile(pool, carlos, "abc", None)
    assert fields(err.value)["telefono"].startswith("Teléfono:")
    assert (await users.update_own_profile(pool, carlos, None, "")).especialidad is None


# ---- activation, deletion, passwords ---------------------------------------------------------
async def test_deactivate_and_reactivate(pool: Any) -> None:
    juan, patricia, carlos, admin = await actors(pool, JUAN, PATRICIA, CARLOS, ADMIN)
    u = await users.set_active(pool, juan, carlos.id, False)
    assert not u.is_active
    with pytest.raises(SessionEnded):
        await users.update_own_profile(pool, carlos, None, None)
    with pytest.raises(auth.AuthError, match="desactivada"):
        await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    assert (await users.list_users(pool, juan, activo=False)).total == 1
    assert (await users.set_active(pool, juan, carlos.id, True)).is_active
    assert (await auth.login(pool, CARLOS, INSTRUCTOR_PW)).actor.id == carlos.id
    with pytest.raises(NotFound):
        await users.set_active(pool, patricia, carlos.id, False)
    for who in (juan, admin):
        with pytest.raises(PermissionDenied, match="propia cuenta"):
            await users.set_active(pool, who, who.id, False)
    with pytest.raises(PermissionDenied):
        await users.set_active(pool, carlos, carlos.id, False)


async def test_delete_is_deactivation_refused_with_open_solicitudes(pool: Any) -> None:
    juan, patricia, carlos, ana = await actors(pool, JUAN, PATRICIA, CARLOS, ANA)
    with pytest.raises(InvalidTransition, match="Desactivar") as err:
        await users.delete_user(pool, juan, carlos.id)
    assert "(2)" in err.value.message  # SOL-2026-001 APROBADA, SOL-2026-002 PENDIENTE
    assert (await users.get_user(pool, juan, carlos.id)).is_active
    with pytest.raises(InvalidTransition):
        await users.delete_user(pool, patricia, ana.id)
    with pytest.raises(NotFound):
        await users.delete_user(pool, patricia, carlos.id)
    fresh, _ = await new_instructor(pool, juan)
    gone = await users.delete_user(pool, juan, fresh.id)
    assert not gone.is_active
    assert (await users.set_active(pool, juan, fresh.id, True)).is_active
    with pytest.raises(PermissionDenied):
        await users.delete_user(pool, juan, juan.id)


async def test_reset_password_scope_and_forced_change(pool: Any) -> None:
    juan, patricia, carlos, maria = await actors(pool, JUAN, PATRICIA, CARLOS, MARIA)
    password = await users.reset_password(pool, juan, carlos.id)
    with pytest.raises(auth.AuthError):
        await auth.login(pool, CARLOS, INSTRUCTOR_PW)
    session = await auth.login(pool, CARLOS, password)
    assert session.must_change_password
    assert (await users.get_user(pool, juan, carlos.id)).must_change_password
    with pytest.raises(NotFound):
        await users.reset_password(pool, patricia, carlos.id)
    with pytest.raises(PermissionDenied):
        await users.reset_password(pool, juan, juan.id)
    with pytest.raises(PermissionDenied):
        await users.reset_password(pool, carlos, maria.id)
    assert password != await users.reset_password(pool, juan, carlos.id)


async def test_instructor_stats_computed_in_scope(pool: Any) -> None:
    juan, patricia, carlos, maria, admin = await actors(pool, JUAN, PATRICIA, CARLOS, MARIA, ADMIN)
    s = await users.instructor_stats(pool, juan, carlos.id)
    assert s.por_estado == {"BORRADOR": 0, "PENDIENTE": 1, "EN_REVISION": 0, "APROBADA": 1,
                            "RECHAZADA": 0, "CANCELADA": 0}
    assert (s.horas_aprobadas, s.aprendices_aprobados, s.total) == (40, 25, 2)
    own = await users.instructor_stats(pool, carlos, carlos.id)
    assert own.por_estado["BORRADOR"] == 1 and own.total == 3  # drafts: only for the author
    m = await users.instructor_stats(pool, admin, maria.id)
    assert (m.por_estado["EN_REVISION"], m.por_estado["RECHAZADA"],
            m.por_estado["CANCELADA"], m.horas_aprobadas) == (1, 1, 1, 0)
    for who, target in ((patricia, carlos), (carlos, maria)):
        with pytest.raises(NotFound):
            await users.instructor_stats(pool, who, target.id)


async def test_every_write_sets_updated_at(pool: Any) -> None:
    juan, carlos = await actor(pool, JUAN), await actor(pool, CARLOS)
    before = (await users.get_user(pool, juan, carlos.id)).updated_at
    after = (await users.set_active(pool, juan, carlos.id, False)).updated_at
    assert after > before and after - before < timedelta(days=3650)
    assert after.microsecond % 1000 == 0  # millisecond precision, as Prisma writes
