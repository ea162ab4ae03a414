"""The solicitud form at 80x24 by keyboard, on the real database with the demo data.

Autosave waits AUTOSAVE_DELAY after the last edit. The tests make that delay long and fire a
pending autosave timer themselves (`settle`), then wait for the workers: no sleeps, no races.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from tui.config import Settings
from tui.db.urls import DatabaseChoice
from tui.screens.common.confirm import ConfirmScreen
from tui.screens.common.help import HelpScreen
from tui.screens.instructor import form_saving
from tui.screens.instructor.form_conflict import FormConflictScreen
from tui.screens.instructor.horario_plantilla import HorarioPlantillaScreen
from tui.screens.instructor.horario_row import HorarioRowScreen
from tui.screens.instructor.programa_picker import ProgramaPickerScreen
from tui.screens.instructor.solicitud_form import SolicitudFormScreen
from tui.services import horarios as hz
from tui.services import solicitudes
from tui.services.auth import login
from tui.services.solicitudes import FORM_FIELDS, Filtros
from tui.shell.app import ComplementariasApp
from tui.shell.database import OpenDatabase
from tui.widgets.form_field import FormField
from tui.widgets.form_objetivos import ObjetivosEditor
from tui.widgets.horario_editor import HorarioEditor


@pytest.fixture
async def carlos(pool: Any) -> Any:
    return await login(pool, "carlos.rodriguez@sena.edu.co", "Instructor.2026")


@pytest.fixture
def form_app(demo_url: str, carlos: Any) -> Any:
    def make() -> ComplementariasApp:
        db = OpenDatabase(url=demo_url, choice=DatabaseChoice(demo_url, None, "test"))
        return ComplementariasApp(db, session=carlos, settings=Settings())

    return make


@pytest.fixture(autouse=True)
def slow_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(form_saving, "AUTOSAVE_DELAY", 600)


async def sol_id(pool: Any, actor: Any, codigo: str) -> str:
    page = await solicitudes.list_page(pool, actor, Filtros(texto=codigo))
    return str(next(r["id"] for r in page.rows if r["codigo"] == codigo))


async def wait_workers(app: Any) -> None:
    """Wait for the workers of the screen on top; stop waiting when one of them opens a
    dialog (it then waits for the user, who is the test)."""
    top = app.screen
    mine = [w for w in app.workers if w.node is top or getattr(w.node, "screen", None) is top]
    tasks = {w._task for w in mine if w._task is not None}
    while tasks and app.screen is top:
        _done, tasks = await asyncio.wait(tasks, timeout=0.02)


async def settle(app: Any, pilot: Any, autosave: bool = True) -> None:
    """Let messages and workers finish; fire a pending autosave timer as if it had elapsed."""
    for _ in range(3):
        await pilot.pause()
        await wait_workers(app)
        screen = app.screen
        if autosave and isinstance(screen, SolicitudFormScreen) and screen._timer is not None:
            screen._stop_timer()
            screen.run_save(False)
            await wait_workers(app)
    await pilot.pause()


async def open_form(app: Any, pilot: Any, solicitud_id: str | None) -> SolicitudFormScreen:
    await settle(app, pilot)
    app.push_screen(SolicitudFormScreen(solicitud_id))
    await settle(app, pilot)
    assert isinstance(app.screen, SolicitudFormScreen)
    return app.screen


def field(screen: Any, name: str) -> FormField:
    return screen.fields[name]


def status(screen: Any) -> str:
    return str(screen.query_one("#form-status", Static).render())


async def type_into(pilot: Any, screen: Any, name: str, text: str) -> None:
    editor = field(screen, name).editor
    screen.goto_field(name)
    await pilot.pause()
    await pilot.pause()
    assert screen.focused is editor
    if isinstance(editor, Input):
        editor.value = ""
    await pilot.press(*text)


# ---- new draft ---------------------------------------------------------------------------------
async def test_new_draft_is_created_once_a_programa_is_picked(form_app: Any, pool: Any,
                                                              carlos: Any) -> None:
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, None)
        assert "Elija el programa" in status(screen)
        assert field(screen, "responsableNombre").get_value() == "Carlos Rodríguez Pérez"
        assert field(screen, "versionPrograma").get_value() == "1"
        assert field(screen, "tipoAmbiente").get_value() == "AULA"
        assert screen.focused is field(screen, "programaId").editor
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgramaPickerScreen)
        picker = app.screen
        await pilot.press(*"web")
        assert picker._debounce is not None
        picker._debounce.stop()  # fire the typing debounce now instead of waiting for it
        picker.load("web")
        await settle(app, pilot)
        assert [p.codigo for p in picker.found] == ["CF-002-2024"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        values = {f: field(screen, f).get_value() for f in (
            "codigoPrograma", "versionPrograma", "duracionMaxima", "cupoMaximo",
            "numeroAprendicesInscribir", "modalidad")}
        assert values == {"codigoPrograma": "CF-002-2024", "versionPrograma": "1",
                          "duracionMaxima": 60, "cupoMaximo": 25,
                          "numeroAprendicesInscribir": 25, "modalidad": "VIRTUAL"}
        await settle(app, pilot)
        assert screen.solicitud_id is not None
        assert "Guardado" in status(screen) and "SOL-2026-" in status(screen)
        stored = await solicitudes.get(pool, carlos.actor, screen.solicitud_id)
        assert stored.estado == "BORRADOR"
        assert stored.data["codigoPrograma"] == "CF-002-2024"
        # later edits save the same draft (no second create)
        await type_into(pilot, screen, "municipio", "Girón")
        await settle(app, pilot)
        again = await solicitudes.get(pool, carlos.actor, screen.solicitud_id)
        assert again.codigo == stored.codigo and again.data["municipio"] == "Girón"
        assert again.updated_at > stored.updated_at
        assert screen.updated_at == again.updated_at


async def test_new_form_without_programa_is_not_saved_and_asks_before_leaving(
        form_app: Any) -> None:
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, None)
        await type_into(pilot, screen, "municipio", "Piedecuesta")
        await settle(app, pilot)
        assert screen.solicitud_id is None
        assert "elija el programa" in status(screen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # stay
        await settle(app, pilot)
        assert app.screen is screen
        assert field(screen, "municipio").get_value() == "Piedecuesta"


# ---- an existing draft ------------------------------------------------------------------------
async def test_draft_shows_every_field_with_its_stored_value(form_app: Any, pool: Any,
                                                            carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        assert status(screen).startswith("SOL-2026-005 · Borrador")
        editable = set(screen.fields) | {"objetivosPersonalizados"}
        assert set(FORM_FIELDS) <= editable, set(FORM_FIELDS) - editable
        assert field(screen, "fechaCaracterizacion").editor.value == "25/11/2026"
        assert field(screen, "fechaInicioCurso").editor.value == "18/01/2027"
        assert field(screen, "municipio").get_value() == "Bucaramanga"
        assert field(screen, "modalidad").get_value() == "VIRTUAL"
        assert field(screen, "tipoAmbiente").get_value() == "AULA"
        modalidades = [v for _label, v in field(screen, "modalidad").editor._options]
        assert {"PRESENCIAL", "VIRTUAL", "MIXTA", "DESESCOLARIZADA", "COMBINADA"} <= \
            set(modalidades)
        ambientes = [v for _label, v in field(screen, "tipoAmbiente").editor._options]
        assert len([a for a in ambientes if isinstance(a, str)]) == 6
        table = screen.query_one("#horario-table", DataTable)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert table.row_count == len(stored.horarios) > 0
        calc = str(screen.query_one("#horario-calc", Static).render())
        assert "Total 60/60 h (100 %)" in calc and "fin estimado 08/03/2027" in calc
        assert not screen.dirty, "loading is not an edit"
        assert screen._timer is None


async def test_typing_in_a_text_field_lays_the_form_out_once_per_key(
        form_app: Any, pool: Any, carlos: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each key in the form updates the status line ("Cambios sin guardar"); that line has a
    fixed size, so it lays nothing out. Textual's Input itself asks for one layout of the
    screen per key that changes its text's width (its virtual size); the status line made
    that two per key (30 for these 15 keys), each a layout of ~250 widgets on the server's
    CPU for every user typing over SSH."""
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "municipio", "G")  # its tab shown: that is a layout
        await settle(app, pilot, autosave=False)
        layouts: list[object] = []
        real = screen._refresh_layout
        monkeypatch.setattr(screen, "_refresh_layout",
                            lambda *a, **k: (layouts.append(a), real(*a, **k))[1])
        keys = "irón, Santander"
        await pilot.press(*keys)
        await settle(app, pilot, autosave=False)
        assert field(screen, "municipio").get_value() == "Girón, Santander"
        assert "Cambios sin guardar" in status(screen)
        assert 0 < len(layouts) <= len(keys)


async def test_user_text_with_markup_is_shown_literally(form_app: Any, pool: Any,
                                                        carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "nombreEmpresa", "[bold]ACME[/bold]")
        await settle(app, pilot)
        screen.query_one(TabbedContent).active = "sec-envio"
        await settle(app, pilot)
        summary = str(screen.query_one("#form-summary", Static).render())
        assert "[bold]ACME[/bold]" in summary
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["nombreEmpresa"] == "[bold]ACME[/bold]"


async def test_bad_date_names_the_field_keeps_the_text_and_the_stored_value(
        form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "fechaInicioCurso", "31/02/2027")
        await pilot.press("tab")  # leaving the field checks its format
        await settle(app, pilot)
        ff = field(screen, "fechaInicioCurso")
        error = str(ff.query_one(".form-error", Static).render())
        assert error.startswith("Fecha de inicio del curso:") and "31/02/2027" in error
        assert ff.editor.value == "31/02/2027"
        assert "salvo 1 campo" in status(screen)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["fechaInicioCurso"].date().isoformat() == "2027-01-18"
        # fixing it clears the message and saves it
        await type_into(pilot, screen, "fechaInicioCurso", "25/01/2027")
        await settle(app, pilot)
        assert not ff.has_class("-has-error")
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["fechaInicioCurso"].date().isoformat() == "2027-01-25"


async def test_service_validation_errors_show_per_field_and_the_rest_is_saved(
        form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "responsableCedula", "12ab")
        await type_into(pilot, screen, "municipio", "Floridablanca")
        await settle(app, pilot)
        ff = field(screen, "responsableCedula")
        assert ff.has_class("-has-error")
        assert "Cédula del responsable" in str(ff.query_one(".form-error", Static).render())
        assert ff.editor.value == "12ab", "typed text is never lost"
        assert "error" in status(screen)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["municipio"] == "Floridablanca"
        assert stored.data["responsableCedula"] == "1098765432"
        assert screen.query_one(TabbedContent).get_tab("sec-programa").label.plain.endswith("!")


# ---- conflicts --------------------------------------------------------------------------------
async def _someone_else_saves(pool: Any, actor: Any, sid: str, **changes: Any) -> None:
    cur = await solicitudes.get(pool, actor, sid)
    form = solicitudes.form_values(cur.data) | changes
    await solicitudes.save(pool, actor, sid, form, list(cur.horarios), cur.updated_at)


@pytest.mark.parametrize("choice", ["overwrite", "reload"])
async def test_conflict_lists_changed_fields_and_resolves(form_app: Any, pool: Any,
                                                          carlos: Any, choice: str) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await _someone_else_saves(pool, carlos.actor, sid, departamento="Antioquia")
        await type_into(pilot, screen, "municipio", "Lebrija")
        await settle(app, pilot)
        assert isinstance(app.screen, FormConflictScreen)
        listed = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "Departamento: Antioquia" in listed
        assert "Municipio" not in listed, "only what the other person changed"
        await pilot.press("s" if choice == "overwrite" else "r")
        await settle(app, pilot)
        assert app.screen is screen
        stored = await solicitudes.get(pool, carlos.actor, sid)
        if choice == "overwrite":
            assert stored.data["municipio"] == "Lebrija"
            assert stored.data["departamento"] == "Santander"
            assert screen.updated_at == stored.updated_at
            assert "Guardado" in status(screen)
        else:
            assert stored.data["municipio"] == "Bucaramanga"
            assert field(screen, "municipio").get_value() == "Bucaramanga"
            assert field(screen, "departamento").get_value() == "Antioquia"
            assert not screen.dirty
        # the next save uses the fresh updatedAt: no second conflict
        await type_into(pilot, screen, "lugarFormacion", "Auditorio")
        await settle(app, pilot)
        assert app.screen is screen
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["lugarFormacion"] == "Auditorio"


# ---- horarios -----------------------------------------------------------------------------------
async def _focus_horarios(pilot: Any, screen: Any) -> HorarioEditor:
    screen.goto_field("horarios[0]")
    await pilot.pause()
    await pilot.pause()
    editor = screen.query_one(HorarioEditor)
    assert screen.focused is editor.query_one(DataTable)
    return editor


async def test_horario_templates_delete_add_with_errors_and_copy_end(
        form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        editor = await _focus_horarios(pilot, screen)
        await pilot.press("t")
        await settle(app, pilot)
        assert isinstance(app.screen, HorarioPlantillaScreen)
        await pilot.press("enter")  # the first one: mañana
        await settle(app, pilot)
        assert [(h.dia_semana, h.hora_inicio, h.hora_fin) for h in editor.rows] == [
            (d, "08:00", "12:00") for d in hz.DIAS[:5]]
        calc = str(screen.query_one("#horario-calc", Static).render())
        assert "Total 20/60 h (33 %, una semana)" in calc and "3 semanas" in calc
        await pilot.press("x")
        assert len(editor.rows) == 4
        await pilot.press("a")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, HorarioRowScreen)
        dialog.query_one("#hr-diaSemana", Select).value = "SABADO"
        dialog.query_one("#hr-fecha", Input).value = "18/01/2027"  # a Monday: day follows
        dialog.query_one("#hr-horaInicio", Input).value = "21"
        dialog.query_one("#hr-horaFin", Input).value = "23:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog, "errors keep the dialog open"
        assert dialog.query_one("#hr-diaSemana", Select).value == "LUNES"
        err = str(dialog.query_one("#hr-err-horaFin", Static).render())
        assert "22:00" in err
        dialog.query_one("#hr-horaFin", Input).value = "22:00"
        dialog.query_one("#hr-observaciones", Input).value = "[b]aula 2[/b]"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert editor.rows[-1] == hz.Horario("LUNES", "21:00", "22:00", date(2027, 1, 18),
                                             observaciones="[b]aula 2[/b]")
        table = editor.query_one(DataTable)
        assert table.get_row_at(4)[-1].plain == "[b]aula 2[/b]", "user text, not markup"
        await settle(app, pilot)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert len(stored.horarios) == 5
        fin = editor.resumen.fecha_fin_estimada
        assert fin is not None
        await pilot.press("c")
        await settle(app, pilot)
        assert field(screen, "fechaFinalizacionCurso").get_value() == fin


async def test_generar_needs_start_and_duration_and_fills_dated_rows(
        form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        editor = await _focus_horarios(pilot, screen)
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press("end", "enter")  # "generar", the last option
        await settle(app, pilot)
        assert len(editor.rows) == 15 and all(h.fecha for h in editor.rows)
        assert editor.rows[0].fecha == date(2027, 1, 18)
        assert editor.resumen.porcentaje == 100


# ---- objetivos --------------------------------------------------------------------------------
async def test_objetivos_add_edit_remove(form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        screen.goto_field("objetivosPersonalizados[0]")
        await settle(app, pilot)
        objetivos = screen.query_one(ObjetivosEditor)
        before = list(objetivos.items)
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(*"Usar tablas dinámicas", "enter")
        await settle(app, pilot)
        assert objetivos.items == [*before, "Usar tablas dinámicas"]
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#confirm-value", Input).value = "Usar tablas y gráficos"
        await pilot.press("enter")
        await settle(app, pilot)
        assert objetivos.items[-1] == "Usar tablas y gráficos"
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["objetivosPersonalizados"][-1] == "Usar tablas y gráficos"
        await pilot.press("x")
        await settle(app, pilot)
        assert objetivos.items == before
        info = str(screen.query_one("#programa-info", Static).render())
        assert "CF-002-2024" in info and "Objetivos:" in info and "Competencias:" in info


# ---- submit -----------------------------------------------------------------------------------
async def test_submit_shows_missing_fields_and_f4_jumps_to_each(form_app: Any, pool: Any,
                                                                carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await pilot.press("f5")
        await settle(app, pilot)
        assert app.screen is screen, "nothing to confirm while data is missing"
        fields = [e.field for e in screen.errors]
        assert "representanteLegal" in fields and "justificacion" in fields
        assert "cumpleRequisitos" in fields
        await pilot.press("f4")
        await settle(app, pilot)
        first = screen.errors[0].field
        assert screen.query_one(TabbedContent).active == "sec-empresa"
        assert first == "representanteLegal"
        assert screen.focused is field(screen, first).editor
        await pilot.press("f4")
        await settle(app, pilot)
        assert screen.query_one(TabbedContent).active == "sec-justificacion"
        assert screen.focused is field(screen, "justificacion").editor


async def test_complete_and_submit(form_app: Any, pool: Any, carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "representanteLegal", "Luz Marina Prada")
        await type_into(pilot, screen, "justificacion", "Formar docentes en desarrollo web.")
        for name in ("cumpleRequisitos", "autorizaUsoInfo", "confirmaVeracidad"):
            screen.goto_field(name)
            await pilot.pause()
            await pilot.pause()
            await pilot.press("space")
        await settle(app, pilot)
        missing = str(screen.query_one("#form-missing", Static).render())
        assert "Lista para enviar" in missing
        await pilot.press("f5")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, SolicitudFormScreen)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.estado == "PENDIENTE"
        assert stored.data["representanteLegal"] == "Luz Marina Prada"


# ---- a PENDIENTE solicitud ----------------------------------------------------------------------
async def test_pending_saves_only_with_ctrl_s_and_confirms_leaving(form_app: Any, pool: Any,
                                                                   carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-002")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        assert screen.estado == "PENDIENTE"
        assert screen.fields["programaId"].editor.disabled
        before = await solicitudes.get(pool, carlos.actor, sid)
        await type_into(pilot, screen, "telefonosEmpresa", "3001234567")
        await settle(app, pilot)
        assert screen._timer is None and screen.dirty
        assert (await solicitudes.get(pool, carlos.actor, sid)).updated_at == before.updated_at
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        after = await solicitudes.get(pool, carlos.actor, sid)
        assert after.data["telefonosEmpresa"] == "3001234567"
        assert after.estado == "PENDIENTE"
        assert not screen.dirty
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, SolicitudFormScreen)


async def test_pending_edit_that_breaks_full_validation_is_refused(form_app: Any, pool: Any,
                                                                   carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-002")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "municipio", " ")
        field(screen, "municipio").editor.value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert field(screen, "municipio").has_class("-has-error")
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["municipio"]


# ---- leaving, help ------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["escape", "f3"])
async def test_leaving_saves_a_draft_first(form_app: Any, pool: Any, carlos: Any,
                                           key: str) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        await type_into(pilot, screen, "codigoEmpresa", "EMP-77")
        assert screen._timer is not None, "an autosave is pending"
        await pilot.press(key)
        await settle(app, pilot, autosave=False)
        assert app.screen is not screen
        assert type(app.screen).__name__ == "HomeScreen"
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["codigoEmpresa"] == "EMP-77"


async def test_f1_shows_the_help_of_the_focused_field(form_app: Any, pool: Any,
                                                      carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        screen.goto_field("duracionMaxima")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text", Static).render())
        assert "Horas totales del curso" in text
        assert "form-save" in text and "form-goto-error" in text


def test_every_binding_has_an_id_and_a_spanish_description() -> None:
    from tui.screens.instructor.form_conflict import FormConflictScreen as Conflict

    classes = (SolicitudFormScreen, HorarioEditor, ObjetivosEditor, HorarioRowScreen,
               HorarioPlantillaScreen, ProgramaPickerScreen, Conflict)
    for cls in classes:
        for b in cls.BINDINGS:
            assert b.id and b.id.startswith(("form-", "horario-")), (cls, b)
            assert b.description, (cls, b)


async def test_textarea_fields_keep_multiline_text(form_app: Any, pool: Any,
                                                   carlos: Any) -> None:
    sid = await sol_id(pool, carlos.actor, "SOL-2026-005")
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_form(app, pilot, sid)
        area = field(screen, "observaciones").editor
        assert isinstance(area, TextArea)
        screen.goto_field("observaciones")
        await settle(app, pilot)
        await pilot.press(*"linea uno", "enter", *"linea dos")
        await settle(app, pilot)
        stored = await solicitudes.get(pool, carlos.actor, sid)
        assert stored.data["observaciones"].endswith("linea uno\nlinea dos")


# ---- snapshots (SVG, 80x24 and 120x36) -----------------------------------------------------------
@pytest.fixture
async def draft_005(pool: Any, carlos: Any) -> str:
    return await sol_id(pool, carlos.actor, "SOL-2026-005")


def _open_then(solicitud_id: str | None, goto: str | None = None,
               modal: Any = None) -> Any:
    """run_before for snap_compare: open the form, go to a field, open a dialog, no blink."""

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await open_form(app, pilot, solicitud_id)
        if goto:
            app.screen.goto_field(goto)
            await settle(app, pilot)
        if modal is not None:
            app.push_screen(modal())
            await settle(app, pilot)
        for widget in app.screen_stack[-1].query("Input, TextArea"):
            widget.cursor_blink = False

    return run_before


SECTIONS = {"programa": "fechaCaracterizacion", "horarios": "horarios[0]",
            "envio": "cumpleRequisitos"}


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("where", list(SECTIONS))
def test_snapshot_form_section(snap_compare: Any, form_app: Any, draft_005: str,
                               where: str, size: tuple[int, int]) -> None:
    assert snap_compare(form_app(), terminal_size=size,
                        run_before=_open_then(draft_005, SECTIONS[where]))


DIALOGS = {
    "horario_row": lambda: HorarioRowScreen([hz.Horario("LUNES", "08:00", "12:00")], 0),
    "plantilla": lambda: HorarioPlantillaScreen(5),
    "programa_picker": ProgramaPickerScreen,
    "conflict": lambda: FormConflictScreen(
        "Otra persona (u otra ventana) cambió esta solicitud mientras la editaba.",
        ("municipio", "departamento", "cumpleRequisitos"),
        {"municipio": "Lebrija", "departamento": "[b]Antioquia[/b]", "cumpleRequisitos": True}),
}


@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_snapshot_form_dialog(snap_compare: Any, form_app: Any, draft_005: str,
                              dialog: str) -> None:
    assert snap_compare(form_app(), terminal_size=(80, 24),
                        run_before=_open_then(draft_005, modal=DIALOGS[dialog]))


# ---- the pure parts: layout and conversions ------------------------------------------------------
def test_every_form_field_has_one_section_a_label_and_help() -> None:
    from tui.services.validation import FIELD_LABELS
    from tui.widgets import form_model as fm

    placed = [f for s in fm.SECTIONS for f in s.fields]
    assert len(placed) == len(set(placed))
    assert set(FORM_FIELDS) <= set(placed)
    for name in placed:
        assert name in FIELD_LABELS
        assert fm.help_for(name)
    assert fm.section_of("horarios[3].horaFin") == "sec-programacion"
    assert fm.section_of("objetivosPersonalizados[0]") == "sec-justificacion"
    assert fm.section_of("solicitud") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("18/01/2027", date(2027, 1, 18)), (" 1/2/2027 ", date(2027, 2, 1)), ("", None),
])
def test_dates_are_typed_day_first(text: str, expected: date | None) -> None:
    from tui.widgets import form_model as fm

    assert fm.from_text("fechaInicioCurso", text) == expected
    if expected:
        assert fm.parse_fecha(fm.fecha_text(expected)) == expected


@pytest.mark.parametrize(("field", "text", "message"), [
    ("fechaInicioCurso", "2027-01-18", "Fecha de inicio del curso: use el formato dd/mm/aaaa"),
    ("inicioInscripcion", "30/02/2027", "Inicio de inscripción: 30/02/2027 no es una fecha"),
    ("cupoMaximo", "-3", "Cupo máximo: debe ser un número entero"),
])
def test_malformed_values_name_their_field(field: str, text: str, message: str) -> None:
    from tui.widgets import form_model as fm

    with pytest.raises(ValueError, match=message):
        fm.from_text(field, text)


def test_values_in_words_for_dialogs() -> None:
    from tui.widgets import form_model as fm

    assert fm.display("modalidad", "MIXTA") == "Mixta"
    assert fm.display("tipoAmbiente", "AULA_MOVIL") == "Aula móvil"
    assert fm.display("cumpleRequisitos", False) == "no"
    assert fm.display("fechaInicioCurso", date(2027, 1, 18)) == "18/01/2027"
    assert fm.display("municipio", "") == "(vacío)"
    assert fm.display("objetivosPersonalizados", ["a", "b"]) == "a; b"


@pytest.mark.parametrize(("typed", "stored"), [
    ("8", "08:00"), ("8:30", "08:30"), ("14:00", "14:00"), ("8.30", "8.30"),
])
def test_hours_are_normalised_when_unambiguous(typed: str, stored: str) -> None:
    from tui.screens.instructor.horario_row import normalise_hora

    assert normalise_hora(typed) == stored


async def test_picker_offers_only_active_complementaria_programas_of_the_centro(
        form_app: Any) -> None:
    app = form_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, None)
        app.screen.action_pick_programa()
        await settle(app, pilot)
        picker = app.screen
        assert isinstance(picker, ProgramaPickerScreen)
        assert sorted(p.codigo for p in picker.found) == ["CF-001-2024", "CF-002-2024"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SolicitudFormScreen)
        assert app.screen.fields["programaId"].get_value() is None
