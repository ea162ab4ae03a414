"""The solicitud lifecycle of DOMAIN.md through tui.services.solicitudes and .transitions, on a
fresh demo database: drafts, autosave, optimistic locking, submit, review, approval with ficha
numbers, rejection, cancellation, duplication, refused transitions, history and atomicity.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tui.services import horarios as hz
from tui.services import solicitudes as sv
from tui.services import transitions as tr
from tui.services.common import (
    Actor,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ServiceError,
    bogota_year,
    refresh_actor,
)
from tui.services.validation import FLAG_FIELDS, ValidationFailed

CARLOS = "carlos.rodriguez@sena.edu.co"
MARIA = "maria.gonzalez@sena.edu.co"
ANA = "ana.torres@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"
PATRICIA = "patricia.gomez@sena.edu.co"
ANDRES = "andres.ramirez@sena.edu.co"
ADMIN = "admin@sena.edu.co"
YEAR = bogota_year()
START = date(2027, 2, 1)  # a Monday
DECLARATIONS = ("cumpleRequisitos", "autorizaUsoInfo", "confirmaVeracidad")
CODIGO_RE = re.compile(rf"SOL-{YEAR}-(\d{{3,}})")


# ---- helpers ---------------------------------------------------------------------------------
async def sql(pool: Any, query: str, *params: Any) -> list[dict[str, Any]]:
    async with pool.connection() as conn:
        cur = await conn.execute(query, params or None)
        return list(await cur.fetchall()) if cur.description else []


async def actor(pool: Any, email: str) -> Actor:
    rows = await sql(pool, 'SELECT "id" FROM public.users WHERE "email" = %s', email)
    async with pool.connection() as conn:
        return await refresh_actor(conn, rows[0]["id"])


async def programa_id(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "id" FROM public.programas WHERE "codigo" = %s', codigo)
    return rows[0]["id"]


async def sol_id(pool: Any, codigo: str) -> str:
    rows = await sql(pool, 'SELECT "id" FROM public.solicitudes WHERE "codigo" = %s', codigo)
    return rows[0]["id"]


async def row_of(pool: Any, solicitud_id: str) -> dict[str, Any]:
    rows = await sql(pool, 'SELECT *, "estado"::text AS estado_txt FROM public.solicitudes '
                           'WHERE "id" = %s', solicitud_id)
    return rows[0]


async def notifs(pool: Any, solicitud_id: str | None = None) -> list[dict[str, Any]]:
    return await sql(pool, """
        SELECT n."id", n."tipo"::text AS tipo, n."titulo", n."mensaje", n."leida",
               n."solicitudId", u."email"
          FROM public.notificaciones n JOIN public.users u ON u."id" = n."usuarioId"
         WHERE %s::text IS NULL OR n."solicitudId" = %s
         ORDER BY n."fechaCreada", n."id" """, solicitud_id, solicitud_id)


async def hist(pool: Any, solicitud_id: str) -> list[dict[str, Any]]:
    return await sql(pool, """
        SELECT h.accion, h.estado_desde, h.estado_hasta, h.comentario, h.actor_id,
               h.actor_nombre
          FROM complementarias.historial h WHERE h.solicitud_id = %s ORDER BY h.id""",
                     solicitud_id)


async def first_free_codigo(pool: Any) -> int:
    """The number the next codigo of this year must get: after the highest stored (the seeds
    hold SOL-2026-001…009)."""
    rows = await sql(pool, """SELECT coalesce(max(substring("codigo" FROM '^SOL-[0-9]{4}-([0-9]+)$')
                                               ::int), 0) + 1 AS n
                                FROM public.solicitudes WHERE "codigo" LIKE %s""",
                     f"SOL-{YEAR}-%")
    return int(rows[0]["n"])


async def first_free_ficha(pool: Any) -> int:
    """The number the next default ficha of this year must get (seeds: 20260001, 20260002)."""
    rows = await sql(pool, """SELECT coalesce(max(substring("numeroFicha" FROM 5)::int), 0) + 1
                                  AS n FROM public.solicitudes
                                WHERE "numeroFicha" ~ ('^' || %s::text || '[0-9]{4}$')""",
                     YEAR)
    return int(rows[0]["n"])


def full_form(a: Actor, prog_id: str, **over: Any) -> dict[str, Any]:
    """A complete, valid form for CF-001-2024 (40 h, cupo 30) with the declarations checked."""
    form: dict[str, Any] = {f: False for f in FLAG_FIELDS}
    form.update(
        programaId=prog_id, fechaCaracterizacion=date(2026, 11, 20),
        responsableNombre=a.name, responsableCedula=a.cedula, responsableEmail=a.email,
        codigoPrograma="CF-001-2024", versionPrograma="1", duracionMaxima=40, cupoMaximo=30,
        numeroAprendicesInscribir=25, modalidad="PRESENCIAL", municipio="Bucaramanga",
        departamento="Santander", nombreEmpresa="Ferretería El Tornillo S.A.S.",
        nitEmpresa="900.123.456-7", codigoEmpresa="EMP-001", representanteLegal="Rosa Díaz",
        fechaCreacionEmpresa=date(2010, 5, 4), direccionEmpresa="Calle 45 # 12-30",
        telefonosEmpresa="6076000000", lugarFormacion="Sede de la empresa",
        tipoAmbiente="AULA", programaEmprendimiento=True, otroEspecificar=None,
        inicioInscripcion=date(2027, 1, 11), finalizacionInscripcion=date(2027, 1, 22),
        fechaInicioCurso=START, fechaFinalizacionCurso=date(2027, 2, 26),
        justificacion="La empresa necesita fortalecer el manejo de hojas de cálculo.",
        objetivosPersonalizados=["Automatizar informes", "Usar tablas dinámicas"],
        resultadosEsperados="Informes mensuales automatizados.", observaciones=None,
        cumpleRequisitos=True, autorizaUsoInfo=True, confirmaVeracidad=True,
    )
    form.update(over)
    return form


def full_horarios() -> list[hz.Horario]:
    return hz.generar(START, 40)


async def ready_draft(pool: Any, email: str = CARLOS, **over: Any) -> tuple[Actor, sv.Solicitud]:
    a = await actor(pool, email)
    form = full_form(a, await programa_id(pool, "CF-001-2024"), **over)
    return a, await sv.create_draft(pool, a, form, full_horarios())


async def pendiente(pool: Any, email: str = CARLOS) -> tuple[Actor, sv.Solicitud]:
    a, d = await ready_draft(pool, email)
    return a, await tr.submit(pool, a, d.id)


def codigo_number(codigo: str) -> int:
    m = CODIGO_RE.fullmatch(codigo)
    assert m, codigo
    return int(m.group(1))


# ---- drafts ----------------------------------------------------------------------------------
async def test_create_draft_full_form(pool: Any) -> None:
    n = await first_free_codigo(pool)
    a, d = await ready_draft(pool)
    assert d.estado == "BORRADOR"
    assert codigo_number(d.codigo) == n
    assert d.data["instructorId"] == a.id
    form = full_form(a, d.data["programaId"])
    stored = sv.form_values(d.data)
    assert {k: stored[k] for k in form} == form
    assert list(d.horarios) == full_horarios()
    assert [(h["accion"], h["estado_desde"], h["estado_hasta"], h["actor_nombre"])
            for h in d.historial] == [("Creada", None, "BORRADOR", a.name)]
    assert [h["actor_id"] for h in await hist(pool, d.id)] == [a.id]
    assert await notifs(pool, d.id) == []  # a draft tells nobody
    # The next draft gets the next number.
    _, d2 = await ready_draft(pool, MARIA)
    assert codigo_number(d2.codigo) == n + 1


async def test_create_draft_needs_only_the_programa(pool: Any) -> None:
    a = await actor(pool, MARIA)
    d = await sv.create_draft(pool, a, {"programaId": await programa_id(pool, "CF-001-2024")})
    assert d.estado == "BORRADOR" and d.horarios == ()
    v = sv.form_values(d.data)
    assert (v["duracionMaxima"], v["cupoMaximo"], v["numeroAprendicesInscribir"]) == (40, 30, 30)
    assert (v["modalidad"], v["codigoPrograma"], v["versionPrograma"]) == \
        ("PRESENCIAL", "CF-001-2024", "1")
    assert (v["responsableNombre"], v["responsableCedula"], v["responsableEmail"]) == \
        (a.name, a.cedula, a.email)
    assert v["tipoAmbiente"] == "AULA"


@pytest.mark.parametrize("who,programa,exc", [
    (CARLOS, "CF-004-2024", PermissionDenied),   # programa of another centro
    (CARLOS, "CF-003-2024", ServiceError),       # TRANSVERSAL, not COMPLEMENTARIA
    (JUAN, "CF-001-2024", PermissionDenied),     # coordinators do not create
    (ADMIN, "CF-001-2024", PermissionDenied),
])
async def test_create_draft_refusals(pool: Any, who: str, programa: str, exc: type) -> None:
    a = await actor(pool, who)
    before = await sql(pool, "SELECT count(*) AS n FROM public.solicitudes")
    with pytest.raises(exc):
        await sv.create_draft(pool, a, {"programaId": await programa_id(pool, programa)})
    assert await sql(pool, "SELECT count(*) AS n FROM public.solicitudes") == before


async def test_create_draft_inactive_programa_refused(pool: Any) -> None:
    await sql(pool, """UPDATE public.programas SET "isActive" = false
                        WHERE "codigo" = 'CF-001-2024'""")
    a = await actor(pool, CARLOS)
    with pytest.raises(ServiceError):
        await sv.create_draft(pool, a, {"programaId": await programa_id(pool, "CF-001-2024")})


async def test_autosave_partial_data_in_borrador(pool: Any) -> None:
    a = await actor(pool, CARLOS)
    d = await sv.create_draft(pool, a, {"programaId": await programa_id(pool, "CF-001-2024")})
    d1 = await sv.save(pool, a, d.id, {"nombreEmpresa": "Parcial"}, [], d.updated_at)
    assert d1.estado == "BORRADOR" and d1.data["nombreEmpresa"] == "Parcial"
    assert d1.updated_at > d.updated_at
    # Out-of-order dates, one horario, no declarations: fine for a draft.
    h = [hz.Horario("LUNES", "08:00", "12:00")]
    d2 = await sv.save(pool, a, d.id, {"fechaInicioCurso": date(2027, 3, 1),
                                       "inicioInscripcion": date(2027, 4, 1)}, h, d1.updated_at)
    assert d2.data["nombreEmpresa"] == "Parcial"  # fields not sent are kept
    assert d2.data["fechaInicioCurso"] == datetime(2027, 3, 1)
    assert list(d2.horarios) == h
    # Autosave never writes history and never notifies.
    assert [x["accion"] for x in await hist(pool, d.id)] == ["Creada"]
    assert await notifs(pool, d.id) == []


async def test_autosave_accepts_cleared_fields(pool: Any) -> None:
    """The user empties fields while typing (DOMAIN.md: autosave takes any partial data)."""
    a, d = await ready_draft(pool)
    cleared = {"duracionMaxima": None, "cupoMaximo": "", "numeroAprendicesInscribir": None,
               "modalidad": None, "municipio": "", "fechaInicioCurso": None}
    saved = await sv.save(pool, a, d.id, cleared, list(d.horarios), d.updated_at)
    assert saved.estado == "BORRADOR"
    assert saved.data["municipio"] == ""


async def test_autosave_rejects_malformed_values_with_field_errors(pool: Any) -> None:
    a, d = await ready_draft(pool)
    with pytest.raises(ValidationFailed) as info:
        await sv.save(pool, a, d.id, {"cupoMaximo": "treinta", "responsableEmail": "no-es-correo",
                                      "modalidad": "A_DISTANCIA"}, [], d.updated_at)
    assert {e.field for e in info.value.errors} == {"cupoMaximo", "responsableEmail", "modalidad"}
    assert (await row_of(pool, d.id))["updatedAt"] == d.updated_at


async def test_save_with_stale_copy_is_a_conflict_listing_changed_fields(pool: Any) -> None:
    a, d = await ready_draft(pool)
    # Another window changes the empresa (and the row's version) meanwhile.
    await sql(pool, 'UPDATE public.solicitudes SET "nombreEmpresa" = %s, '
                    '"updatedAt" = "updatedAt" + interval \'1 second\' WHERE "id" = %s',
              "Cambiada en otra ventana", d.id)
    mine = sv.form_values(d.data)
    mine["municipio"] = "Floridablanca"
    with pytest.raises(Conflict) as info:
        await sv.save(pool, a, d.id, mine, list(d.horarios), d.updated_at)
    assert "nombreEmpresa" in info.value.changed
    assert info.value.current["nombreEmpresa"] == "Cambiada en otra ventana"
    row = await row_of(pool, d.id)
    assert row["nombreEmpresa"] == "Cambiada en otra ventana"
    assert row["municipio"] == "Bucaramanga"
    # With the fresh version the save goes through.
    fresh = await sv.get(pool, a, d.id)
    ok = await sv.save(pool, a, d.id, {"municipio": "Floridablanca"}, list(fresh.horarios),
                       fresh.updated_at)
    assert ok.data["municipio"] == "Floridablanca"
    assert ok.data["nombreEmpresa"] == "Cambiada en otra ventana"


async def test_conflict_on_a_partial_save_reports_the_other_persons_change(pool: Any) -> None:
    """Autosave sends only what the user typed; the Conflict must still say what the other
    person changed (DOMAIN.md: "the user sees what changed")."""
    a, d = await ready_draft(pool)
    await sql(pool, 'UPDATE public.solicitudes SET "nombreEmpresa" = %s, '
                    '"updatedAt" = "updatedAt" + interval \'1 second\' WHERE "id" = %s',
              "Cambiada en otra ventana", d.id)
    with pytest.raises(Conflict) as info:
        await sv.save(pool, a, d.id, {"municipio": "Floridablanca"}, list(d.horarios),
                      d.updated_at, base=sv.form_values(d.data))
    assert "nombreEmpresa" in info.value.changed
    assert "municipio" not in info.value.changed


async def test_two_saves_from_the_same_version_second_is_a_conflict(pool: Any) -> None:
    a, d = await ready_draft(pool)
    await sv.save(pool, a, d.id, {"municipio": "Girón"}, list(d.horarios), d.updated_at)
    with pytest.raises(Conflict):
        await sv.save(pool, a, d.id, {"municipio": "Piedecuesta"}, list(d.horarios),
                      d.updated_at)
    assert (await row_of(pool, d.id))["municipio"] == "Girón"


# ---- submit ----------------------------------------------------------------------------------
async def test_submit_with_missing_fields_lists_them(pool: Any) -> None:
    a = await actor(pool, CARLOS)
    d = await sv.create_draft(pool, a, {"programaId": await programa_id(pool, "CF-001-2024")})
    with pytest.raises(ValidationFailed) as info:
        await tr.submit(pool, a, d.id)
    fields = {e.field for e in info.value.errors}
    assert {"municipio", "departamento", "nombreEmpresa", "representanteLegal",
            "direccionEmpresa", "lugarFormacion", "justificacion", "horarios",
            *DECLARATIONS} <= fields
    assert all(e.message for e in info.value.errors)
    assert (await row_of(pool, d.id))["estado_txt"] == "BORRADOR"
    assert await notifs(pool, d.id) == []
    assert len(await hist(pool, d.id)) == 1


async def test_submit_without_declarations_errors_on_them(pool: Any) -> None:
    a, d = await ready_draft(pool, **{k: False for k in DECLARATIONS})
    with pytest.raises(ValidationFailed) as info:
        await tr.submit(pool, a, d.id)
    assert {e.field for e in info.value.errors} == set(DECLARATIONS)
    assert (await row_of(pool, d.id))["estado_txt"] == "BORRADOR"
    d2 = await sv.save(pool, a, d.id, {k: True for k in DECLARATIONS}, list(d.horarios),
                       d.updated_at)
    assert (await tr.submit(pool, a, d2.id)).estado == "PENDIENTE"


async def test_submit_ok_notifies_the_active_coordinators_of_the_centro(pool: Any) -> None:
    # A second coordinador of CGAO, and an inactive third one.
    centro = (await actor(pool, JUAN)).centro_id
    for email, cedula, active in (("laura.rios@sena.edu.co", "55550001", True),
                                  ("pedro.vega@sena.edu.co", "55550002", False)):
        await sql(pool, """INSERT INTO public.users ("id", "email", "password", "name", "cedula",
                             "role", "centroId", "isActive", "updatedAt")
                           VALUES (%s, %s, 'x', %s, %s, 'COORDINADOR', %s, %s, now())""",
                  "cxtest" + cedula, email, email.split("@")[0], cedula, centro, active)
    a, d = await ready_draft(pool)
    t0 = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)
    s = await tr.submit(pool, a, d.id)
    assert s.estado == "PENDIENTE"
    assert s.data["fechaSolicitud"] >= t0
    ns = await notifs(pool, d.id)
    assert sorted(n["email"] for n in ns) == [JUAN, "laura.rios@sena.edu.co"]
    for n in ns:
        assert n["tipo"] == "NUEVA_SOLICITUD"
        assert n["titulo"] == "Nueva solicitud de formación"
        assert n["mensaje"] == (f"{a.name} ha enviado una nueva solicitud de formación "
                                f"complementaria ({d.codigo})")
        assert n["leida"] is False
    h = await hist(pool, d.id)
    assert [(x["accion"], x["estado_desde"], x["estado_hasta"], x["actor_id"]) for x in h[1:]] \
        == [("Enviada", "BORRADOR", "PENDIENTE", a.id)]


async def test_edit_while_pendiente_full_validation_and_history(pool: Any) -> None:
    a, p = await pendiente(pool)
    e = await sv.save(pool, a, p.id, {"municipio": "Girón"}, list(p.horarios), p.updated_at)
    assert e.estado == "PENDIENTE" and e.data["municipio"] == "Girón"
    last = (await hist(pool, p.id))[-1]
    assert (last["accion"], last["estado_desde"], last["estado_hasta"], last["actor_id"]) == \
        ("Editada", "PENDIENTE", "PENDIENTE", a.id)
    n_hist = len(await hist(pool, p.id))
    # Full validation applies now: a cleared required field or too many aprendices is refused.
    with pytest.raises(ValidationFailed) as info:
        await sv.save(pool, a, p.id, {"municipio": "", "numeroAprendicesInscribir": 31},
                      list(p.horarios), e.updated_at)
    assert {"municipio", "numeroAprendicesInscribir"} <= {x.field for x in info.value.errors}
    with pytest.raises(ValidationFailed) as info:
        await sv.save(pool, a, p.id, {}, [], e.updated_at)
    assert "horarios" in {x.field for x in info.value.errors}
    with pytest.raises(InvalidTransition):  # the programa is fixed once submitted
        await sv.save(pool, a, p.id, {"programaId": await programa_id(pool, "CF-002-2024")},
                      list(p.horarios), e.updated_at)
    assert len(await hist(pool, p.id)) == n_hist
    assert (await row_of(pool, p.id))["municipio"] == "Girón"


# ---- review ----------------------------------------------------------------------------------
async def test_take_into_review_locks_out_owner_edits(pool: Any) -> None:
    a, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    t = await tr.take_into_review(pool, juan, p.id)
    assert t.estado == "EN_REVISION" and t.data["fechaRevision"] is not None
    n = [x for x in await notifs(pool, p.id) if x["email"] == CARLOS]
    assert [(x["tipo"], x["titulo"], x["mensaje"]) for x in n] == [
        ("SOLICITUD_REVISION", "Solicitud en revisión",
         f"Tu solicitud {p.codigo} está siendo revisada")]
    last = (await hist(pool, p.id))[-1]
    assert (last["accion"], last["estado_desde"], last["estado_hasta"], last["actor_id"]) == \
        ("Tomada en revisión", "PENDIENTE", "EN_REVISION", juan.id)
    with pytest.raises(InvalidTransition):
        await sv.save(pool, a, p.id, {"municipio": "Girón"}, list(p.horarios), t.updated_at)
    with pytest.raises(InvalidTransition):
        await tr.cancel(pool, a, p.id)
    assert (await row_of(pool, p.id))["municipio"] == "Bucaramanga"


async def test_return_to_instructor_requires_comments(pool: Any) -> None:
    a, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    await tr.take_into_review(pool, juan, p.id)
    n_hist = len(await hist(pool, p.id))
    for blank in ("", "   ", "\n\t "):
        with pytest.raises(ValidationFailed) as info:
            await tr.return_to_instructor(pool, juan, p.id, blank)
        assert [e.field for e in info.value.errors] == ["comentarios"]
    assert (await row_of(pool, p.id))["estado_txt"] == "EN_REVISION"
    assert len(await hist(pool, p.id)) == n_hist
    r = await tr.return_to_instructor(pool, juan, p.id, "Ajuste el número de aprendices.")
    assert r.estado == "PENDIENTE"
    assert r.data["comentariosRevision"] == "Ajuste el número de aprendices."
    last_n = [x for x in await notifs(pool, p.id) if x["email"] == CARLOS][-1]
    assert last_n["tipo"] == "SOLICITUD_REVISION"
    assert "Ajuste el número de aprendices." in last_n["mensaje"]
    assert p.codigo in last_n["mensaje"]
    last = (await hist(pool, p.id))[-1]
    assert (last["accion"], last["estado_desde"], last["estado_hasta"], last["comentario"]) == \
        ("Devuelta al instructor", "EN_REVISION", "PENDIENTE", "Ajuste el número de aprendices.")
    # The owner may edit again.
    e = await sv.save(pool, a, p.id, {"numeroAprendicesInscribir": 20}, list(p.horarios),
                      r.updated_at)
    assert e.data["numeroAprendicesInscribir"] == 20


async def test_approve_assigns_next_ficha_and_notifies(pool: Any) -> None:
    _a, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    f0 = await first_free_ficha(pool)
    ap = await tr.approve(pool, juan, p.id, comentarios="Todo en orden.")
    ficha = f"{YEAR}{f0:04d}"
    assert ap.estado == "APROBADA" and ap.data["numeroFicha"] == ficha
    assert ap.data["fechaAprobacion"] is not None and ap.data["fechaRevision"] is not None
    assert ap.data["comentariosRevision"] == "Todo en orden."
    to_carlos = [(x["tipo"], x["titulo"], x["mensaje"]) for x in await notifs(pool, p.id)
                 if x["email"] == CARLOS]
    assert to_carlos == [
        ("SOLICITUD_APROBADA", "Solicitud aprobada",
         f"Tu solicitud {p.codigo} ha sido aprobada. Número de ficha asignado: {ficha}"),
        ("ASIGNACION_FICHA", "Ficha asignada",
         f"Se ha asignado el número de ficha {ficha} a tu solicitud aprobada"),
    ]
    last = (await hist(pool, p.id))[-1]
    assert (last["accion"], last["estado_desde"], last["estado_hasta"], last["actor_id"]) == \
        ("Aprobada", "PENDIENTE", "APROBADA", juan.id)
    # From EN_REVISION too, by an admin: the next number.
    _, p2 = await pendiente(pool, MARIA)
    await tr.take_into_review(pool, juan, p2.id)
    ap2 = await tr.approve(pool, await actor(pool, ADMIN), p2.id)
    assert ap2.data["numeroFicha"] == f"{YEAR}{f0 + 1:04d}"


@pytest.mark.parametrize("typed", ["abc1234", "123456", "12345678901", "2026-0001", "2026 0001",
                                   "２０２６０００９"])
async def test_approve_with_invalid_typed_ficha(pool: Any, typed: str) -> None:
    _, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    before = await row_of(pool, p.id)
    n_notifs = len(await notifs(pool))
    with pytest.raises(ServiceError) as info:
        await tr.approve(pool, juan, p.id, numero_ficha=typed)
    assert "ficha" in info.value.message.lower()
    assert await row_of(pool, p.id) == before
    assert len(await notifs(pool)) == n_notifs


async def test_approve_with_duplicate_typed_ficha_is_refused_and_rolled_back(pool: Any) -> None:
    _, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    before = await row_of(pool, p.id)
    n_notifs, n_hist = len(await notifs(pool)), len(await hist(pool, p.id))
    with pytest.raises(ServiceError) as info:
        await tr.approve(pool, juan, p.id, numero_ficha="20260001")
    assert type(info.value) is ServiceError
    assert "20260001" in info.value.message and "SOL-2026-001" in info.value.message
    assert await row_of(pool, p.id) == before
    assert len(await notifs(pool)) == n_notifs
    assert len(await hist(pool, p.id)) == n_hist
    # A valid, free typed number is accepted as typed.
    ok = await tr.approve(pool, juan, p.id, numero_ficha=" 7654321 ")
    assert ok.data["numeroFicha"] == "7654321"


async def test_reject_requires_comments_and_sends_them(pool: Any) -> None:
    _, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    for blank in ("", "  ", None):
        with pytest.raises(ValidationFailed):
            await tr.reject(pool, juan, p.id, blank)  # type: ignore[arg-type]
    assert (await row_of(pool, p.id))["estado_txt"] == "PENDIENTE"
    r = await tr.reject(pool, juan, p.id, "  Falta la carta de la empresa.  ")
    assert r.estado == "RECHAZADA"
    assert r.data["comentariosRevision"] == "Falta la carta de la empresa."
    assert r.data["fechaRevision"] is not None
    n = [x for x in await notifs(pool, p.id) if x["email"] == CARLOS]
    assert [(x["tipo"], x["titulo"], x["mensaje"]) for x in n] == [
        ("SOLICITUD_RECHAZADA", "Solicitud rechazada",
         f"Tu solicitud {p.codigo} ha sido rechazada. Comentarios: Falta la carta de la empresa.")]


async def test_comments_too_long_refused(pool: Any) -> None:
    _, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    with pytest.raises(ValidationFailed):
        await tr.reject(pool, juan, p.id, "x" * (tr.MAX_COMMENT + 1))
    assert (await row_of(pool, p.id))["estado_txt"] == "PENDIENTE"


# ---- cancel ----------------------------------------------------------------------------------
async def test_cancel_borrador_by_owner_notifies_nobody(pool: Any) -> None:
    a, d = await ready_draft(pool)
    c = await tr.cancel(pool, a, d.id)
    assert c.estado == "CANCELADA"
    assert await notifs(pool, d.id) == []
    last = (await hist(pool, d.id))[-1]
    assert (last["estado_desde"], last["estado_hasta"], last["actor_id"]) == \
        ("BORRADOR", "CANCELADA", a.id)


async def test_cancel_pendiente_by_owner_notifies_the_coordinators(pool: Any) -> None:
    a, p = await pendiente(pool)
    before = len([x for x in await notifs(pool, p.id) if x["email"] == JUAN])
    c = await tr.cancel(pool, a, p.id, motivo="La empresa aplazó la formación.")
    assert c.estado == "CANCELADA"
    to_juan = [x for x in await notifs(pool, p.id) if x["email"] == JUAN]
    assert len(to_juan) == before + 1
    assert p.codigo in to_juan[-1]["mensaje"]
    assert not [x for x in await notifs(pool, p.id) if x["email"] == PATRICIA]
    last = (await hist(pool, p.id))[-1]
    assert (last["estado_desde"], last["estado_hasta"], last["comentario"]) == \
        ("PENDIENTE", "CANCELADA", "La empresa aplazó la formación.")


async def test_admin_cancel_of_aprobada(pool: Any) -> None:
    _, p = await pendiente(pool)
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    ap = await tr.approve(pool, juan, p.id)
    with pytest.raises(PermissionDenied):
        await tr.admin_cancel(pool, juan, p.id, "No corresponde.")
    with pytest.raises(ValidationFailed):
        await tr.admin_cancel(pool, admin, p.id, "   ")
    assert (await row_of(pool, p.id))["estado_txt"] == "APROBADA"
    c = await tr.admin_cancel(pool, admin, p.id, "La empresa cerró.")
    assert c.estado == "CANCELADA"
    last_n = [x for x in await notifs(pool, p.id) if x["email"] == CARLOS][-1]
    assert "La empresa cerró." in last_n["mensaje"] and p.codigo in last_n["mensaje"]
    assert ap.data["numeroFicha"] in last_n["mensaje"]
    last = (await hist(pool, p.id))[-1]
    assert (last["estado_desde"], last["estado_hasta"], last["actor_id"], last["comentario"]) == \
        ("APROBADA", "CANCELADA", admin.id, "La empresa cerró.")


# ---- duplicate -------------------------------------------------------------------------------
def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    v = sv.form_values(data)
    for k in DECLARATIONS:
        v.pop(k)
    return v


@pytest.mark.parametrize("codigo,owner", [("SOL-2026-004", MARIA), ("SOL-2026-009", MARIA)],
                         ids=["rechazada", "cancelada"])
async def test_duplicate_seed_solicitud(pool: Any, codigo: str, owner: str) -> None:
    a = await actor(pool, owner)
    original = await sv.get(pool, a, await sol_id(pool, codigo))
    n = await first_free_codigo(pool)
    copy = await tr.duplicate(pool, a, original.id)
    assert copy.id != original.id and copy.codigo != original.codigo
    assert codigo_number(copy.codigo) == n
    assert copy.estado == "BORRADOR"
    assert copy.data["numeroFicha"] is None and copy.data["comentariosRevision"] is None
    assert _comparable(copy.data) == _comparable(original.data)
    assert all(copy.data[k] is False for k in DECLARATIONS)
    assert copy.horarios == original.horarios and copy.horarios
    assert [h["accion"] for h in copy.historial] == ["Creada"]
    assert (await row_of(pool, original.id))["estado_txt"] == original.estado  # untouched


async def test_duplicate_own_rejected_keeps_form_and_horarios(pool: Any) -> None:
    a, p = await pendiente(pool)
    await tr.reject(pool, await actor(pool, JUAN), p.id, "Revise fechas.")
    copy = await tr.duplicate(pool, a, p.id)
    assert _comparable(copy.data) == _comparable(p.data)
    assert list(copy.horarios) == full_horarios()
    assert all(copy.data[k] is False for k in DECLARATIONS)
    # The copy can go all the way again once the declarations are checked.
    c2 = await sv.save(pool, a, copy.id, {k: True for k in DECLARATIONS}, list(copy.horarios),
                       copy.updated_at)
    assert (await tr.submit(pool, a, c2.id)).estado == "PENDIENTE"


@pytest.mark.parametrize("codigo,owner", [
    ("SOL-2026-002", CARLOS), ("SOL-2026-001", CARLOS), ("SOL-2026-005", CARLOS),
    ("SOL-2026-003", MARIA),
], ids=["pendiente", "aprobada", "borrador", "en_revision"])
async def test_duplicate_refused_outside_rechazada_cancelada(pool: Any, codigo: str,
                                                             owner: str) -> None:
    a = await actor(pool, owner)
    before = await sql(pool, "SELECT count(*) AS n FROM public.solicitudes")
    with pytest.raises(InvalidTransition):
        await tr.duplicate(pool, a, await sol_id(pool, codigo))
    assert await sql(pool, "SELECT count(*) AS n FROM public.solicitudes") == before


# ---- refused transitions ---------------------------------------------------------------------
async def _do(pool: Any, who: Actor, action: str, sid: str) -> Any:
    if action == "submit":
        return await tr.submit(pool, who, sid)
    if action == "cancel":
        return await tr.cancel(pool, who, sid)
    if action == "take":
        return await tr.take_into_review(pool, who, sid)
    if action == "approve":
        return await tr.approve(pool, who, sid)
    if action == "reject":
        return await tr.reject(pool, who, sid, "No.")
    if action == "return":
        return await tr.return_to_instructor(pool, who, sid, "Cambie algo.")
    if action == "admin_cancel":
        return await tr.admin_cancel(pool, who, sid, "Motivo.")
    raise AssertionError(action)


@pytest.mark.parametrize("codigo,action,who", [
    ("SOL-2026-005", "approve", JUAN),        # BORRADOR
    ("SOL-2026-005", "take", JUAN),
    ("SOL-2026-005", "reject", ADMIN),
    ("SOL-2026-001", "take", JUAN),           # APROBADA
    ("SOL-2026-001", "approve", ADMIN),
    ("SOL-2026-001", "reject", JUAN),
    ("SOL-2026-001", "cancel", CARLOS),
    ("SOL-2026-001", "submit", CARLOS),
    ("SOL-2026-002", "submit", CARLOS),       # PENDIENTE
    ("SOL-2026-002", "return", JUAN),
    ("SOL-2026-002", "admin_cancel", ADMIN),
    ("SOL-2026-003", "take", JUAN),           # EN_REVISION
    ("SOL-2026-003", "submit", MARIA),
    ("SOL-2026-003", "cancel", MARIA),
    ("SOL-2026-004", "approve", JUAN),        # RECHAZADA
    ("SOL-2026-004", "cancel", MARIA),
    ("SOL-2026-004", "return", JUAN),
    ("SOL-2026-009", "submit", MARIA),        # CANCELADA
    ("SOL-2026-009", "approve", JUAN),
    ("SOL-2026-009", "admin_cancel", ADMIN),
    ("SOL-2026-009", "cancel", MARIA),
])
async def test_invalid_transitions_refused(pool: Any, codigo: str, action: str, who: str) -> None:
    sid = await sol_id(pool, codigo)
    before = await row_of(pool, sid)
    n_notifs, n_hist = len(await notifs(pool)), len(await hist(pool, sid))
    with pytest.raises(InvalidTransition) as info:
        await _do(pool, await actor(pool, who), action, sid)
    assert codigo in info.value.message
    assert await row_of(pool, sid) == before
    assert len(await notifs(pool)) == n_notifs
    assert len(await hist(pool, sid)) == n_hist


async def test_save_refused_outside_borrador_pendiente(pool: Any) -> None:
    a = await actor(pool, CARLOS)
    sid = await sol_id(pool, "SOL-2026-001")
    before = await row_of(pool, sid)
    with pytest.raises(InvalidTransition):
        await sv.save(pool, a, sid, {"municipio": "Otro"}, [], before["updatedAt"])
    assert await row_of(pool, sid) == before


async def test_unknown_solicitud(pool: Any) -> None:
    juan = await actor(pool, JUAN)
    with pytest.raises(NotFound):
        await tr.approve(pool, juan, "c000000000000000000000000")
    with pytest.raises(NotFound):
        await sv.get(pool, juan, "c000000000000000000000000")


# ---- history and atomicity -------------------------------------------------------------------
async def test_every_transition_writes_exactly_one_history_row(pool: Any) -> None:
    a, d = await ready_draft(pool)
    juan, admin = await actor(pool, JUAN), await actor(pool, ADMIN)
    steps = [
        (lambda: tr.submit(pool, a, d.id), "BORRADOR", "PENDIENTE", a),
        (lambda: tr.take_into_review(pool, juan, d.id), "PENDIENTE", "EN_REVISION", juan),
        (lambda: tr.return_to_instructor(pool, juan, d.id, "Más detalle."), "EN_REVISION",
         "PENDIENTE", juan),
        (lambda: tr.take_into_review(pool, admin, d.id), "PENDIENTE", "EN_REVISION", admin),
        (lambda: tr.approve(pool, admin, d.id), "EN_REVISION", "APROBADA", admin),
        (lambda: tr.admin_cancel(pool, admin, d.id, "Error de registro."), "APROBADA",
         "CANCELADA", admin),
    ]
    for run, desde, hasta, who in steps:
        before = await hist(pool, d.id)
        s = await run()
        after = await hist(pool, d.id)
        assert after[:-1] == before and len(after) == len(before) + 1
        last = after[-1]
        assert (last["estado_desde"], last["estado_hasta"], last["actor_id"],
                last["actor_nombre"]) == (desde, hasta, who.id, who.name)
        assert s.estado == hasta
        assert s.historial[-1]["estado_hasta"] == hasta


async def test_failed_transition_rolls_back_every_write(pool: Any) -> None:
    """If the history insert fails, the estado, ficha and notifications are not kept either."""
    _, p = await pendiente(pool)
    juan = await actor(pool, JUAN)
    before = await row_of(pool, p.id)
    n_notifs = len(await notifs(pool))
    f0 = await first_free_ficha(pool)
    await sql(pool, """
        CREATE FUNCTION public.cx_test_fail() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'fallo simulado'; END $$;
        CREATE TRIGGER cx_test_fail BEFORE INSERT ON complementarias.historial
            FOR EACH ROW EXECUTE FUNCTION public.cx_test_fail();""")
    with pytest.raises(psycopg.Error):
        await tr.approve(pool, juan, p.id)
    assert await row_of(pool, p.id) == before
    assert len(await notifs(pool)) == n_notifs
    await sql(pool, "DROP TRIGGER cx_test_fail ON complementarias.historial")
    ok = await tr.approve(pool, juan, p.id)
    assert ok.data["numeroFicha"] == f"{YEAR}{f0:04d}"  # the failed one gave its number back


async def test_solicitud_dataclass_accessors(pool: Any) -> None:
    a, d = await ready_draft(pool)
    fetched = await sv.get(pool, a, d.id)
    assert replace(fetched, historial=()) == replace(d, historial=())
    assert fetched.updated_at == (await row_of(pool, d.id))["updatedAt"]


async def test_every_write_keeps_its_audit_entry_whichever_round_trip_carries_it(
        pool: Any) -> None:
    """A connection's first entry is written inside a savepoint (the table may be missing on
    an old schema); later ones ride in the write's own round trip. Either way each create and
    transition leaves exactly its entry, and the returned solicitud is the stored one."""
    from tui.services import audit

    a = await actor(pool, CARLOS)
    juan = await actor(pool, JUAN)
    ids = []
    for _ in range(3):
        _a, d = await ready_draft(pool)
        p = await tr.submit(pool, a, d.id)
        ap = await tr.approve(pool, juan, p.id)
        assert ap.estado == "APROBADA" and [h["accion"] for h in ap.historial][-1] == \
            "Aprobada"
        ids.append(d.id)
    assert len(audit._written) >= 1  # the later writes took the pipelined path
    async with pool.connection() as conn:
        cur = await conn.execute(
            """SELECT target, array_agg(action || ':' || coalesce(detail->>'accion', '')
                                        ORDER BY id) AS actions
                 FROM complementarias.audit WHERE target = ANY(%s) GROUP BY target""", (ids,))
        got = {r["target"]: r["actions"] async for r in cur}
    assert got == {i: ["draft_create:", "transition:submit", "transition:approve"] for i in ids}
