"""Centros and programas services on the real demo database."""

from __future__ import annotations

from typing import Any

import pytest

from tui.db.queries import AQ
from tui.services import centros, programas
from tui.services.common import Actor, Conflict, NotFound, PermissionDenied, refresh_actor
from tui.services.validation import ValidationFailed

ADMIN = "admin@sena.edu.co"
JUAN = "juan.martinez@sena.edu.co"        # COORDINADOR, CGAO
PATRICIA = "patricia.gomez@sena.edu.co"   # COORDINADOR, CIDM
CARLOS = "carlos.rodriguez@sena.edu.co"   # INSTRUCTOR, CGAO
ANA = "ana.torres@sena.edu.co"            # INSTRUCTOR, CIDM


async def actors(pool: Any, *emails: str) -> list[Actor]:
    out = []
    async with pool.connection() as conn:
        for email in emails:
            row = await AQ.user_for_login(conn, email=email)
            out.append(await refresh_actor(conn, row["id"]))
    return out


def fields(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


async def centro_id(pool: Any, admin: Actor, codigo: str) -> str:
    page = await centros.list_centros(pool, admin, texto=codigo)
    return next(c.id for c in page.rows if c.codigo == codigo)


async def programa_id(pool: Any, admin: Actor, codigo: str) -> str:
    page = await programas.list_programas(pool, admin, texto=codigo)
    return next(p.id for p in page.rows if p.codigo == codigo)


def codes(rows: Any) -> list[str]:
    return sorted(r.codigo for r in rows)


# ---- centros ---------------------------------------------------------------------------------
async def test_everyone_lists_active_centros_admins_also_inactive(pool: Any) -> None:
    admin, carlos = await actors(pool, ADMIN, CARLOS)
    page = await centros.list_centros(pool, carlos)
    assert codes(page.rows) == ["CCS", "CGAO", "CIDM"] and page.total == 3
    cgao = next(c for c in page.rows if c.codigo == "CGAO")
    assert (cgao.ciudad, cgao.region, cgao.usuarios, cgao.programas) == (
        "Bucaramanga", "Santander", 4, 3)
    ccs = await centro_id(pool, admin, "CCS")
    assert not (await centros.set_active(pool, admin, ccs, False)).is_active
    assert codes((await centros.list_centros(pool, carlos)).rows) == ["CGAO", "CIDM"]
    assert (await centros.list_centros(pool, admin)).total == 3
    assert codes((await centros.list_centros(pool, admin, activo=False)).rows) == ["CCS"]
    assert (await centros.list_centros(pool, carlos, activo=False)).total == 0
    with pytest.raises(NotFound):
        await centros.get_centro(pool, carlos, ccs)
    assert (await centros.get_centro(pool, admin, ccs)).codigo == "CCS"
    first = await centros.list_centros(pool, admin, limit=2)
    rest = await centros.list_centros(pool, admin, cursor=first.next_cursor, limit=2)
    assert len(first.rows) == 2 and len(rest.rows) == 1 and rest.next_cursor is None


async def test_only_admins_write_centros(pool: Any) -> None:
    juan, carlos = await actors(pool, JUAN, CARLOS)
    cgao = juan.centro_id
    for who in (juan, carlos):
        with pytest.raises(PermissionDenied):
            await centros.create_centro(pool, who, "NEW", "Nuevo", "Cali", "Valle")
        with pytest.raises(PermissionDenied):
            await centros.update_centro(pool, who, cgao, nombre="Otro")
        with pytest.raises(PermissionDenied):
            await centros.set_active(pool, who, cgao, False)


async def test_create_centro_validation_and_unique_codigo(pool: Any) -> None:
    (admin,) = await actors(pool, ADMIN)
    c = await centros.create_centro(pool, admin, " cba-1 ", "Centro de Biotecnología",
                                    "Cali", "Valle del Cauca", telefono="602 555 0000")
    assert (c.codigo, c.is_active, c.telefono, c.direccion) == ("CBA-1", True, "602 555 0000",
                                                                None)
    with pytest.raises(ValidationFailed) as err:
        await centros.create_centro(pool, admin, "cgao", "Duplicado", "X", "Y")
    assert fields(err.value) == {"codigo": "Código: ya existe otro centro con ese código."}
    with pytest.raises(ValidationFailed) as err:
        await centros.create_centro(pool, admin, "", " ", "", None)  # type: ignore[arg-type]
    assert set(fields(err.value)) == {"codigo", "nombre", "ciudad", "region"}
    assert fields(err.value)["region"] == "Región: es obligatorio."
    with pytest.raises(ValidationFailed) as err:
        await centros.create_centro(pool, admin, "CON ESPACIO", "N", "C", "R", telefono="x")
    assert set(fields(err.value)) == {"codigo", "telefono"}


async def test_centro_codigo_race_gives_clear_message(pool: Any, monkeypatch: Any) -> None:
    (admin,) = await actors(pool, ADMIN)

    async def never_taken(conn: Any, **kw: Any) -> bool:
        return False

    monkeypatch.setattr(AQ, "admin_centro_codigo_taken", never_taken)
    with pytest.raises(ValidationFailed, match="ya existe otro centro"):
        await centros.create_centro(pool, admin, "CIDM", "Duplicado", "X", "Y")
    cgao = await centro_id(pool, admin, "CGAO")
    with pytest.raises(ValidationFailed, match="ya existe otro centro"):
        await centros.update_centro(pool, admin, cgao, codigo="CIDM")


async def test_update_centro(pool: Any) -> None:
    (admin,) = await actors(pool, ADMIN)
    cgao = await centro_id(pool, admin, "CGAO")
    before = await centros.get_centro(pool, admin, cgao)
    c = await centros.update_centro(pool, admin, cgao, ciudad="Floridablanca", direccion="",
                                    expected_updated_at=before.updated_at)
    assert (c.ciudad, c.direccion, c.nombre, c.codigo) == ("Floridablanca", None, before.nombre,
                                                          "CGAO")
    assert c.updated_at > before.updated_at
    with pytest.raises(Conflict):
        await centros.update_centro(pool, admin, cgao, ciudad="Girón",
                                    expected_updated_at=before.updated_at)
    with pytest.raises(ValidationFailed, match="ya existe otro centro"):
        await centros.update_centro(pool, admin, cgao, codigo="ccs")
    with pytest.raises(NotFound):
        await centros.update_centro(pool, admin, "no-existe", nombre="X")


# ---- programas: reading ----------------------------------------------------------------------
async def test_programas_list_scope(pool: Any) -> None:
    admin, juan, patricia, carlos, ana = await actors(pool, ADMIN, JUAN, PATRICIA, CARLOS, ANA)
    assert (await programas.list_programas(pool, admin)).total == 5
    page = await programas.list_programas(pool, carlos)
    assert codes(page.rows) == ["CF-001-2024", "CF-002-2024", "CF-003-2024"]
    assert codes((await programas.list_programas(pool, ana)).rows) == ["CF-004-2024"]
    assert codes((await programas.list_programas(pool, patricia)).rows) == ["CF-004-2024"]
    # A filter cannot widen the scope.
    cgao = carlos.centro_id
    assert (await programas.list_programas(pool, patricia, centro_id=cgao)).total == 0
    tr = await programas.list_programas(pool, admin, tipo="TRANSVERSAL")
    assert codes(tr.rows) == ["CF-003-2024"]
    web = await programas.list_programas(pool, carlos, texto="web")
    assert codes(web.rows) == ["CF-002-2024"]
    # Inactive programas: coordinators of the centro and admins see them, instructors not.
    cf2 = await programa_id(pool, admin, "CF-002-2024")
    assert not (await programas.set_active(pool, juan, cf2, False)).is_active
    assert (await programas.list_programas(pool, carlos)).total == 2
    assert (await programas.list_programas(pool, juan)).total == 3
    assert codes((await programas.list_programas(pool, juan, activo=False)).rows) == [
        "CF-002-2024"]
    with pytest.raises(NotFound):
        await programas.get_programa(pool, carlos, cf2)
    assert (await programas.get_programa(pool, juan, cf2)).programa.codigo == "CF-002-2024"
    first = await programas.list_programas(pool, admin, limit=2)
    assert first.total == 5 and first.next_cursor
    second = await programas.list_programas(pool, admin, limit=2, cursor=first.next_cursor)
    assert not {p.id for p in first.rows} & {p.id for p in second.rows}


async def test_picker_offers_only_active_complementaria_of_own_centro(pool: Any) -> None:
    admin, juan, carlos, ana = await actors(pool, ADMIN, JUAN, CARLOS, ANA)
    picked = await programas.programas_para_solicitud(pool, carlos)
    assert codes(picked) == ["CF-001-2024", "CF-002-2024"]  # CF-003 is TRANSVERSAL
    assert codes(await programas.programas_para_solicitud(pool, ana)) == ["CF-004-2024"]
    assert codes(await programas.programas_para_solicitud(pool, carlos, "excel")) == [
        "CF-001-2024"]
    await programas.set_active(pool, juan, await programa_id(pool, admin, "CF-001-2024"), False)
    assert codes(await programas.programas_para_solicitud(pool, carlos)) == ["CF-002-2024"]


async def test_get_programa_with_contenido(pool: Any) -> None:
    admin, carlos, patricia = await actors(pool, ADMIN, CARLOS, PATRICIA)
    cf1 = await programa_id(pool, admin, "CF-001-2024")
    d = await programas.get_programa(pool, carlos, cf1)
    assert d.programa.nombre == "Excel Básico para Gestión Empresarial"
    assert (d.programa.duracion_horas, d.programa.cupo_aprendices) == (40, 30)
    assert [o.orden for o in d.objetivos] == [1, 2, 3]
    assert d.objetivos[0].descripcion == "Identificar los elementos de la interfaz de Excel"
    assert [c.codigo for c in d.competencias] == ["COM-001", "COM-002"]
    assert [r.codigo for r in d.resultados] == ["RA-001", "RA-002"]
    with pytest.raises(NotFound):
        await programas.get_programa(pool, patricia, cf1)


# ---- programas: writing ----------------------------------------------------------------------
async def test_create_programa_rules(pool: Any) -> None:
    admin, juan, patricia, carlos = await actors(pool, ADMIN, JUAN, PATRICIA, CARLOS)
    d = await programas.create_programa(
        pool, juan, "cf-100-2026", "Inglés Básico", "COMPLEMENTARIA", "MIXTA", "48", 20,
        objetivos=["Saludar", "  ", "Presentarse"],
        competencias=[("COM-900", "Comunicarse en inglés")], resultados=[(None, "Dialogar")])
    p = d.programa
    assert (p.codigo, p.centro_id, p.modalidad, p.duracion_horas, p.is_active) == (
        "CF-100-2026", juan.centro_id, "MIXTA", 48, True)
    assert [(o.orden, o.descripcion) for o in d.objetivos] == [(1, "Saludar"), (2, "Presentarse")]
    assert d.resultados[0].codigo is None
    assert "CF-100-2026" in codes(await programas.programas_para_solicitud(pool, carlos))
    with pytest.raises(ValidationFailed) as err:
        await programas.create_programa(pool, juan, "CF-001-2024", "X", "COMPLEMENTARIA",
                                        "PRESENCIAL", 10, 10)
    assert fields(err.value) == {"codigo": "Código: ya existe otro programa con ese código."}
    with pytest.raises(ValidationFailed) as err:
        await programas.create_programa(pool, juan, "CF-101", "", "CURSO", "REMOTA", 0, "abc")
    got = fields(err.value)
    assert set(got) == {"nombre", "tipoFormacion", "modalidad", "duracionHoras",
                        "cupoAprendices"}
    assert got["duracionHoras"] == ("Duración (horas): debe ser un número entero mayor que "
                                    "cero.")
    assert "COMPLEMENTARIA" in got["tipoFormacion"] and "MIXTA" in got["modalidad"]
    with pytest.raises(PermissionDenied, match="propio centro"):
        await programas.create_programa(pool, patricia, "CF-102", "X", "COMPLEMENTARIA",
                                        "VIRTUAL", 10, 10, centro_id=juan.centro_id)
    with pytest.raises(PermissionDenied):
        await programas.create_programa(pool, carlos, "CF-103", "X", "COMPLEMENTARIA",
                                        "VIRTUAL", 10, 10)
    with pytest.raises(ValidationFailed, match="Centro: es obligatorio"):
        await programas.create_programa(pool, admin, "CF-104", "X", "TRANSVERSAL", "VIRTUAL",
                                        10, 10)
    made = await programas.create_programa(pool, admin, "CF-105", "X", "ESPECIFICA",
                                           "COMBINADA", 10, 10, centro_id=patricia.centro_id)
    assert made.programa.centro_codigo == "CIDM" and made.objetivos == ()


async def test_update_programa_rules(pool: Any) -> None:
    admin, juan, patricia = await actors(pool, ADMIN, JUAN, PATRICIA)
    cf1 = await programa_id(pool, admin, "CF-001-2024")
    before = (await programas.get_programa(pool, juan, cf1)).programa
    p = (await programas.update_programa(pool, juan, cf1, nombre="Excel Básico II",
                                         cupo_aprendices=35, descripcion="",
                                         expected_updated_at=before.updated_at)).programa
    assert (p.nombre, p.cupo_aprendices, p.descripcion, p.duracion_horas) == (
        "Excel Básico II", 35, None, 40)
    with pytest.raises(Conflict):
        await programas.update_programa(pool, juan, cf1, nombre="Otra",
                                        expected_updated_at=before.updated_at)
    with pytest.raises(PermissionDenied, match="propio centro"):
        await programas.update_programa(pool, juan, cf1, centro_id=patricia.centro_id)
    with pytest.raises(NotFound):
        await programas.update_programa(pool, patricia, cf1, nombre="Hack")
    with pytest.raises(ValidationFailed, match="ya existe otro programa"):
        await programas.update_programa(pool, juan, cf1, codigo="cf-002-2024")
    with pytest.raises(ValidationFailed, match="mayor que cero"):
        await programas.update_programa(pool, juan, cf1, duracion_horas=-5)
    moved = await programas.update_programa(pool, admin, cf1, centro_id=patricia.centro_id)
    assert moved.programa.centro_codigo == "CIDM"
    with pytest.raises(NotFound):
        await programas.set_active(pool, juan, cf1, False)


async def test_replace_contenido_is_ordered_and_atomic(pool: Any, monkeypatch: Any) -> None:
    admin, juan, patricia, carlos = await actors(pool, ADMIN, JUAN, PATRICIA, CARLOS)
    cf2 = await programa_id(pool, admin, "CF-002-2024")
    before = await programas.get_programa(pool, juan, cf2)
    d = await programas.replace_contenido(
        pool, juan, cf2, ["Tercero primero", "", "Segundo", "Último"],
        [("COM-B", "Competencia B"), ("COM-A", "Competencia A"), (None, "Sin código")],
        [programas.Item("RA-X", "Resultado X")])
    assert [(o.orden, o.descripcion) for o in d.objetivos] == [
        (1, "Tercero primero"), (2, "Segundo"), (3, "Último")]
    assert [c.codigo for c in d.competencias] == ["COM-A", "COM-B", None]
    assert [(r.codigo, r.descripcion) for r in d.resultados] == [("RA-X", "Resultado X")]
    assert d.programa.updated_at > before.programa.updated_at

    # A failure in the middle leaves the previous contenido untouched.
    calls = {"n": 0}
    real = AQ.insert_resultado

    async def failing(conn: Any, **kw: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("fallo simulado")
        return await real(conn, **kw)

    monkeypatch.setattr(AQ, "insert_resultado", failing)
    with pytest.raises(RuntimeError):
        await programas.replace_contenido(pool, juan, cf2, ["Nuevo"], [],
                                          [("R1", "uno"), ("R2", "dos")])
    monkeypatch.undo()
    again = await programas.get_programa(pool, juan, cf2)
    assert (again.objetivos, again.competencias, again.resultados) == (
        d.objetivos, d.competencias, d.resultados)

    with pytest.raises(ValidationFailed) as err:
        await programas.replace_contenido(pool, juan, cf2, ["ok"], [("COM-1", "  ")],
                                          [("R", "x" * 1001)])
    assert set(fields(err.value)) == {"competencias[0]", "resultados[0]"}
    assert fields(err.value)["competencias[0]"].startswith("Competencia 1:")
    with pytest.raises(NotFound):
        await programas.replace_contenido(pool, patricia, cf2, ["x"], [], [])
    with pytest.raises(PermissionDenied):
        await programas.replace_contenido(pool, carlos, cf2, ["x"], [], [])
    assert (await programas.get_programa(pool, juan, cf2)).objetivos == d.objetivos
    empty = await programas.replace_contenido(pool, juan, cf2, [], [], [])
    assert (empty.objetivos, empty.competencias, empty.resultados) == ((), (), ())
