"""The administration screens at 80x24 by keyboard: users, centros, programas, migrations and
broadcast, for an admin and for a coordinator (CGAO), checked against the services."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from textual.binding import Binding
from textual.widgets import DataTable, Input, Select, Static, TextArea

from tui.db import migrations
from tui.screens.admin.broadcast import BroadcastScreen
from tui.screens.admin.centro_form import CentroFormScreen
from tui.screens.admin.centros import CentrosScreen
from tui.screens.admin.migrations import MigrationsScreen
from tui.screens.admin.programa_form import ProgramaFormScreen, item_line, parse_lines
from tui.screens.admin.programas import ProgramasScreen
from tui.screens.admin.user_form import InfoDialog, UserFormScreen
from tui.screens.admin.users import UsersScreen
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.help import HelpScreen
from tui.services import auth, centros, programas, users

from .conftest import settle, wait_until
from .test_migrations import ALL_IDS
from .ui_wait import until

SIZE = (80, 24)


def text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rows(app: Any, prefix: str) -> list[list[str]]:
    table = app.screen.query_one(f"#{prefix}-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def open_list(app: Any, pilot: Any, action: str, prefix: str) -> None:
    await settle(pilot)
    getattr(app, action)()
    await wait_until(pilot, lambda: "Mostrando" in text(app, f"#{prefix}-status"))


async def select_row(app: Any, pilot: Any, prefix: str, needle: str) -> None:
    """Put the cursor on the first row containing `needle` (with j/g, as a user would)."""
    index = next(i for i, r in enumerate(rows(app, prefix)) if any(needle in c for c in r))
    await pilot.press("g", *["j"] * index)
    await pilot.pause()


def fill(app: Any, **values: str) -> None:
    for widget_id, value in values.items():
        widget = app.screen.query_one(f"#{widget_id.replace('_', '-')}")
        if isinstance(widget, TextArea):
            widget.text = value
        else:
            widget.value = value


# ---- users -------------------------------------------------------------------------------------
async def test_admin_creates_coordinador_and_sees_the_temporary_password_once(
        make_app: Any, login_as: Any, pool: Any) -> None:
    admin = await login_as("admin")
    cidm = next(c for c in (await centros.list_centros(pool, admin.actor)).rows
                if c.codigo == "CIDM")
    app = make_app(admin)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        assert text(app, "#users-heading") == "Usuarios de todos los centros"
        assert len(rows(app, "users")) == 8
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        await pilot.press(*"nueva.coordinadora@SENA.edu.co")  # typed into the focused field
        fill(app, user_name="Laura Pérez Díaz", user_cedula="52123456",
             user_telefono="3001234567")
        app.screen.query_one("#user-role", Select).value = "COORDINADOR"
        app.screen.query_one("#user-centro", Select).value = cidm.id
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InfoDialog))
        password = app.screen.secret
        assert password and len(password) >= 10
        assert "no se volverá a mostrar" in text(app, ".dialog-note")
        await pilot.press("c")
        assert app.clipboard == password
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UsersScreen))
        await wait_until(pilot, lambda: len(rows(app, "users")) == 9)
        row = next(r for r in rows(app, "users") if r[0] == "Laura Pérez Díaz")
        assert row[1].startswith("nueva.coordinadora@") and row[2:] == ["Coordinador", "CIDM",
                                                                        "Activo"]
    session = await auth.login(pool, "nueva.coordinadora@sena.edu.co", password)
    assert session.actor.role == "COORDINADOR" and session.must_change_password


async def test_user_form_error_names_the_field_and_keeps_what_was_typed(
        make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        fill(app, user_email="alguien@gmail.com", user_name="Pedro Gómez", user_cedula="123")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "institucional" in text(app, "#users-form-error"))
        assert "Cédula" in text(app, "#users-form-error")
        assert app.screen.focused.id == "user-email"
        assert app.screen.query_one("#user-name", Input).value == "Pedro Gómez"
        assert app.screen.query_one("#user-email", Input).parent.has_class("-error")
        await pilot.press("escape")  # something typed: asked before it is discarded
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # stay
        await until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        assert app.screen.query_one("#user-name", Input).value == "Pedro Gómez"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # "Descartar y cerrar"
        await until(pilot, lambda: isinstance(app.screen, UsersScreen))


async def test_coordinator_sees_only_cgao_instructors_and_no_role_field(
        make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        assert text(app, "#users-heading").startswith("Instructores de CGAO")
        assert [r[0] for r in rows(app, "users")] == ["Carlos Rodríguez Pérez",
                                                      "María González López"]
        assert not app.screen.query("#users-role") and not app.screen.query("#users-centro")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        assert app.screen.title_text() == "Nuevo instructor"
        assert not app.screen.query("#user-role") and not app.screen.query("#user-centro")
        await pilot.press("f1")  # the modal's own F1: the app's is cut off by the modal
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Correo institucional" in str(app.screen.query_one("#help-text").render())
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UserFormScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UsersScreen))


async def test_coordinator_deactivates_then_reactivates_maria(
        make_app: Any, login_as: Any, pool: Any) -> None:
    juan = await login_as("juan")
    app = make_app(juan)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        await select_row(app, pilot, "users", "María")
        maria = app.screen.selected()
        for expected in (False, True):
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, UsersScreen))
            await wait_until(pilot, lambda e=expected: rows(app, "users")[1][-1] ==
                             ("Activo" if e else "Inactivo"))
            assert (await users.get_user(pool, juan.actor, maria.id)).is_active is expected


async def test_delete_is_refused_while_carlos_has_open_solicitudes(
        make_app: Any, login_as: Any, pool: Any) -> None:
    juan = await login_as("juan")
    app = make_app(juan)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        await select_row(app, pilot, "users", "Carlos")
        carlos = app.screen.selected()
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("no se puede eliminar" in n.message
                                       for n in app._notifications))
    assert (await users.get_user(pool, juan.actor, carlos.id)).is_active


async def test_reset_password_shows_a_temporary_password_that_logs_in(
        make_app: Any, login_as: Any, pool: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        await select_row(app, pilot, "users", "María")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, InfoDialog))
        password = app.screen.secret
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UsersScreen))
    session = await auth.login(pool, "maria.gonzalez@sena.edu.co", password)
    assert session.must_change_password


async def test_enter_shows_instructor_statistics(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_users", "users")
        await select_row(app, pilot, "users", "Carlos")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, InfoDialog))
        body = text(app, ".dialog-note")
        assert "Aprobada" in body and "Horas aprobadas" in body and "Borrador" not in body
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UsersScreen))


# ---- centros -----------------------------------------------------------------------------------
async def test_admin_creates_a_centro(make_app: Any, login_as: Any, pool: Any) -> None:
    admin = await login_as("admin")
    app = make_app(admin)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_centros", "centros")
        assert [r[0] for r in rows(app, "centros")] == ["CCS", "CGAO", "CIDM"]
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, CentroFormScreen))
        fill(app, centro_codigo="cmt", centro_nombre="Centro Minero del Tolima")
        await pilot.press("ctrl+s")  # ciudad and región missing: refused, nothing lost
        await until(pilot, lambda: "Ciudad: es obligatorio" in text(app, "#centros-form-error"))
        assert app.screen.focused.id == "centro-ciudad"
        fill(app, centro_ciudad="Ibagué", centro_region="Tolima")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CentrosScreen))
        await wait_until(pilot, lambda: len(rows(app, "centros")) == 4)
        assert rows(app, "centros")[0][0] == "CMT"  # by nombre: "Centro Minero" first
        assert rows(app, "centros")[0][2:] == ["Ibagué", "Tolima", "0", "0", "Activo"]
    page = await centros.list_centros(pool, admin.actor, texto="Tolima")
    assert [c.codigo for c in page.rows] == ["CMT"]


async def test_a_stale_centro_form_says_what_changed_and_keeps_the_typed_values(
        make_app: Any, login_as: Any, pool: Any) -> None:
    admin = await login_as("admin")
    app = make_app(admin)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_centros", "centros")
        await select_row(app, pilot, "centros", "CIDM")
        cidm = app.screen.selected()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, CentroFormScreen))
        await centros.update_centro(pool, admin.actor, cidm.id, ciudad="Bogotá D.C.")
        fill(app, centro_telefono="6015461501")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Cambió: Ciudad" in text(app, "#centros-form-error"))
        assert app.screen.query_one("#centro-telefono", Input).value == "6015461501"
        await pilot.press("ctrl+s")  # deliberately, over the other change
        await until(pilot, lambda: isinstance(app.screen, CentrosScreen))
        await settle(pilot)
    fresh = await centros.get_centro(pool, admin.actor, cidm.id)
    assert (fresh.telefono, fresh.ciudad) == ("6015461501", "Bogotá")


# ---- programas ---------------------------------------------------------------------------------
async def test_coordinator_creates_a_programa_with_ordered_objetivos(
        make_app: Any, login_as: Any, pool: Any) -> None:
    juan = await login_as("juan")
    app = make_app(juan)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_programas", "programas")
        assert [r[0] for r in rows(app, "programas")] == ["CF-001-2024", "CF-002-2024",
                                                          "CF-003-2024"]
        assert not app.screen.query("#programas-centro")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ProgramaFormScreen))
        fill(app, programa_codigo="cf-900-2026", programa_nombre="Huertas Urbanas",
             programa_duracion="40", programa_cupo="25",
             programa_objetivos="Diseñar una huerta\n\nSembrar\nCosechar",
             programa_competencias="COM-900 | Cultivar hortalizas\nSin código")
        app.screen.query_one("#programa-modalidad", Select).value = "MIXTA"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ProgramasScreen))
        await wait_until(pilot, lambda: any(r[0] == "CF-900-2026" for r in rows(app, "programas")))
        created = next(p for p in app.screen.items if p.codigo == "CF-900-2026")
        # reorder the objetivos: Cosechar first (Alt+↑ twice on the last line)
        await select_row(app, pilot, "programas", "CF-900-2026")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ProgramaFormScreen)
                    and app.screen.focused.id == "programa-objetivos")
        area = app.screen.query_one("#programa-objetivos", TextArea)
        area.move_cursor((2, 0))
        await pilot.press("alt+up", "alt+up")
        assert area.text.splitlines()[0] == "Cosechar"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ProgramasScreen))
        await settle(pilot)
    det = await programas.get_programa(pool, juan.actor, created.id)
    assert det.programa.modalidad == "MIXTA" and det.programa.centro_codigo == "CGAO"
    assert [o.descripcion for o in det.objetivos] == ["Cosechar", "Diseñar una huerta",
                                                      "Sembrar"]
    assert [(c.codigo, c.descripcion) for c in det.competencias] == [
        ("COM-900", "Cultivar hortalizas"), (None, "Sin código")]


async def test_programa_list_error_moves_the_cursor_to_the_line(
        make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("juan"))
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_programas", "programas")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ProgramaFormScreen))
        area = app.screen.query_one("#programa-resultados", TextArea)
        area.text = area.text + "\n\nRA-999 |   "
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "descripción es obligatoria" in
                    text(app, "#programas-form-error"))
        assert app.screen.focused is area
        assert area.cursor_location[0] == len(area.text.splitlines()) - 1
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")  # "Descartar y cerrar"
        await until(pilot, lambda: isinstance(app.screen, ProgramasScreen))


async def test_programas_page_by_keyset_with_total_and_search(
        make_app: Any, login_as: Any, pool: Any) -> None:
    juan = await login_as("juan")
    for n in range(55):
        await programas.create_programa(pool, juan.actor, f"CX-{n:03d}", f"Curso {n:03d}",
                                        "COMPLEMENTARIA", "VIRTUAL", 40, 20)
    app = make_app(juan)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(app, pilot, "action_open_programas", "programas")
        status = text(app, "#programas-status")
        assert "Mostrando 1–50 de 58 programas" in status and "AvPág" in status
        await pilot.press("G", "pagedown")
        await wait_until(pilot, lambda: "página 2" in text(app, "#programas-status"))
        assert "Mostrando 51–58 de 58" in text(app, "#programas-status")
        await pilot.press("g", "pageup")
        await wait_until(pilot, lambda: "página 1" in text(app, "#programas-status"))
        await pilot.press("slash", *"Excel")
        await wait_until(pilot, lambda: "de 1 programa " in text(app, "#programas-status"))
        assert rows(app, "programas")[0][0] == "CF-001-2024"
        await pilot.press("enter")  # back to the table
        assert app.screen.focused is app.screen.table


def test_item_lines_round_trip() -> None:
    lines = [item_line("COM-1", "Uno"), item_line(None, "Dos"), item_line(None, "a | b")]
    items, numbers = parse_lines("\n".join([*lines[:1], "", *lines[1:]]), coded=True)
    assert items == [("COM-1", "Uno"), (None, "Dos"), (None, "a | b")]
    assert numbers == [0, 2, 3]


# ---- migrations --------------------------------------------------------------------------------
async def test_migrations_lists_both_applied(make_app: Any, login_as: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_migrations()
        await wait_until(pilot, lambda: "aplicadas" in text(app, "#migrations-status"))
        table = app.screen.query_one("#migrations-table", DataTable)
        got = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [r[0] for r in got] == ALL_IDS
        assert all(r[1] != "pendiente" and "/" in r[1] for r in got)
        assert text(app, "#migrations-lock") == "Bloqueo: libre"


async def test_migrations_shows_who_holds_the_lock(make_app: Any, login_as: Any,
                                                   demo_url: str) -> None:
    with psycopg.connect(demo_url, autocommit=True) as conn:
        conn.execute("INSERT INTO complementarias.yoyo_lock (locked, ctime, pid) "
                     "VALUES (1, '2026-03-02 10:00:00', 4242)")
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_migrations()
        await wait_until(pilot, lambda: "aplicadas" in text(app, "#migrations-status"))
        assert text(app, "#migrations-lock") == ("Bloqueo: proceso 4242 desde 2026-03-02 "
                                                 "10:00:00 UTC (otra ejecución está migrando)")


async def test_migrations_rollback_needs_the_name_and_the_baseline_refuses_with_data(
        make_app: Any, login_as: Any, demo_url: str) -> None:
    # The audit trail must be empty for 0003 to roll back: do it before the login records one.
    assert migrations.rollback(demo_url, len(ALL_IDS) - 2) == ALL_IDS[:1:-1]  # to 0002
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_migrations()
        await wait_until(pilot, lambda: "2 aplicadas" in text(app, "#migrations-status"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "ATENCIÓN" in str(app.screen.query_one(".dialog-note", Static).render())
        await pilot.press(*"0002_app_schema", "enter")
        await wait_until(pilot, lambda: "1 aplicadas" in text(app, "#migrations-status"))
        table = app.screen.query_one("#migrations-table", DataTable)
        assert str(table.get_row_at(1)[1]) == "pendiente"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"0001_baseline", "enter")
        await wait_until(pilot, lambda: "tiene datos" in text(app, "#migrations-result"))
        assert "1 aplicadas" in text(app, "#migrations-status")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("ctrl+s")
        applied = f"{len(ALL_IDS)} aplicadas"
        await wait_until(pilot, lambda: applied in text(app, "#migrations-status"))
        assert text(app, "#migrations-result") == f"Aplicadas: {', '.join(ALL_IDS[1:])}."
        # What came after 0003 rolls back one by one (the last applied is asked for by name)…
        for later in ALL_IDS[:2:-1]:
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press(*later, "enter")
            await wait_until(pilot, lambda later=later: later in text(app, "#migrations-result"))
            assert text(app, "#migrations-result") == f"Revertida: {later}."
        # …but the apply is audited, so 0003 no longer rolls back: the audit trail stays.
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press(*"0003_access_audit", "enter")
        await wait_until(pilot, lambda: "auditoría" in text(app, "#migrations-result"))
        assert "auditoría" in text(app, "#migrations-result")
        assert "3 aplicadas" in text(app, "#migrations-status")


# ---- broadcast ---------------------------------------------------------------------------------
async def test_broadcast_to_instructors_reports_four_recipients(
        make_app: Any, login_as: Any, pool: Any) -> None:
    app = make_app(await login_as("admin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_open_broadcast()
        await wait_until(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        await pilot.press("ctrl+s")  # empty: names the field, sends nothing
        await until(pilot, lambda: "Título: es obligatorio" in text(app, "#broadcast-status"))
        fill(app, broadcast_titulo="Mantenimiento",
             broadcast_mensaje="El sistema no estará disponible el sábado.")
        app.screen.query_one("#broadcast-role", Select).value = "INSTRUCTOR"
        await pilot.pause()
        assert "instructores activos" in text(app, "#broadcast-dest")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "4 usuarios" in str(app.screen.query_one(".dialog-note", Static).render())
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, BroadcastScreen))
        await wait_until(pilot, lambda: "Enviado a 4 usuarios" in text(app, "#broadcast-status"))
        assert app.screen.query_one("#broadcast-titulo", Input).value == ""
    carlos = await login_as("carlos")
    from tui.services import notifications

    page = await notifications.list_for(pool, carlos.actor)
    assert any(n.titulo == "Mantenimiento" and n.tipo == "SISTEMA" for n in page.rows)


# ---- conventions ------------------------------------------------------------------------------
@pytest.mark.parametrize("screen_cls,prefix", [
    (UsersScreen, "users-"), (UserFormScreen, "users-"), (InfoDialog, "users-"),
    (CentrosScreen, "centros-"), (CentroFormScreen, "centros-"),
    (ProgramasScreen, "programas-"), (ProgramaFormScreen, "programas-"),
    (MigrationsScreen, "migrations-"), (BroadcastScreen, "broadcast-")])
def test_bindings_have_prefixed_ids_descriptions_and_help(screen_cls: Any, prefix: str) -> None:
    assert screen_cls.HELP
    for b in screen_cls.BINDINGS:
        assert isinstance(b, Binding) and b.id and b.id.startswith(prefix), b
        assert b.description, b
