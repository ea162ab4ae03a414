"""Exports on the demo data: the ficha as PDF (text per section, pagination with 60 horarios)
and XLSX (every sheet, key cells), list exports (CSV, XLSX sheets, PDF summary), scope,
streaming with progress, cancellation."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from tui.services import exports, horarios, programas, solicitudes, transitions, users
from tui.services.common import NotFound, PermissionDenied, refresh_actor
from tui.services.solicitudes import Filtros
from tui.services.validation import FIELD_LABELS, FLAG_FIELDS

PDF_SECTIONS = ("Datos generales", "1. Programa y responsable", "2. Empresa y ubicación",
                "3. Fechas de inscripción y del curso", "4. Programas especiales",
                "5. Horarios", "6. Justificación y resultados",
                "7. Objetivos, competencias y resultados de aprendizaje", "8. Declaraciones",
                "9. Estado y revisión", "10. Historial")


def pdf_pages(path: Path) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages]


def cell_after(ws: Any, label: str) -> Any:
    """The value in the column right of the first cell equal to `label`."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return ws.cell(row=c.row, column=c.column + 1).value
    raise AssertionError(f"{label!r} not in sheet {ws.title}")


def cell_of(ws: Any, label: str) -> Any:
    """The cell right of the first cell equal to `label`."""
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                return ws.cell(row=c.row, column=c.column + 1)
    raise AssertionError(f"{label!r} not in sheet {ws.title}")


def column_a(ws: Any) -> list[Any]:
    return [r[0] for r in ws.iter_rows(values_only=True)]


async def actor(pool: Any, login_as: Any, who: str) -> Any:
    return (await login_as(who)).actor


async def test_ficha_pdf_has_every_section_and_spanish_dates(pool: Any, login_as: Any,
                                                            tmp_path: Path) -> None:
    juan = await actor(pool, login_as, "juan")
    res = await exports.export_solicitud(pool, juan, "sol-2026-001", "pdf", tmp_path / "f")
    assert res.path == (tmp_path / "f.pdf").resolve() and res.path.is_file()
    pages = pdf_pages(res.path)
    text = " ".join(pages)
    for section in PDF_SECTIONS:
        assert section in text, section
    for page in pages:  # the form header and the page number on every page
        assert "FICHA DE CARACTERIZACIÓN" in page and "Código: F11-3030-003" in page
    assert f"Página {len(pages)} de {len(pages)}" in pages[-1]
    assert "SOL-2026-001" in text and "Aprobada" in text and "20260001" in text
    for flag in FLAG_FIELDS:
        assert FIELD_LABELS[flag] in text, flag
    assert "1 de octubre de 2026" in text  # fechaCaracterizacion, in Spanish
    assert "6 de octubre de 2026, 11:30" in text  # fechaAprobacion, Bogotá time
    assert "Aprobada. Cumple todos los requisitos." in text  # comentariosRevision
    assert "COM-001: Procesar datos" in text and "RA-002: Generar gráficos" in text
    assert "1. Identificar los elementos de la interfaz de Excel" in text
    assert "10 horarios · 40 h programadas de 40 h (100 %)" in text
    assert "Miércoles 04/11/2026 08:00 12:00 4 Sí" in text


async def _long_draft(pool: Any, carlos: Any) -> Any:
    prog = (await programas.programas_para_solicitud(pool, carlos))[0]
    start = dt.date(2027, 2, 1)
    rows = []
    day = start
    while len(rows) < 60:
        if day.weekday() < 5:
            rows.append(horarios.Horario(
                dia_semana=horarios.DIAS[day.weekday()], hora_inicio="08:00", hora_fin="12:00",
                fecha=day, es_flexible=len(rows) % 2 == 0,
                observaciones=f"Sesión {len(rows) + 1}: práctica guiada con ejercicios de "
                              "aplicación en la empresa y evaluación del avance del grupo."))
        day += dt.timedelta(days=1)
    form = dict(programaId=prog.id, municipio="Bucaramanga", departamento="Santander",
                nombreEmpresa="ACME S.A.S.", representanteLegal="Ana Pérez",
                direccionEmpresa="Calle 1", lugarFormacion="Sede",
                justificacion=("Una justificación muy larga que ocupa varias líneas. " * 90),
                otroEspecificar="Programa piloto", posconflicto=True, policiaNacional=True,
                objetivosPersonalizados=["Objetivo propio número uno", "Otro objetivo"],
                inicioInscripcion=dt.date(2027, 1, 10),
                finalizacionInscripcion=dt.date(2027, 1, 20),
                fechaInicioCurso=start, fechaFinalizacionCurso=rows[-1].fecha,
                cumpleRequisitos=True, autorizaUsoInfo=True, confirmaVeracidad=True)
    return await solicitudes.create_draft(pool, carlos, form, rows)


async def test_ficha_pdf_with_60_horarios_paginates(pool: Any, login_as: Any,
                                                    tmp_path: Path) -> None:
    carlos = await actor(pool, login_as, "carlos")
    draft = await _long_draft(pool, carlos)
    res = await exports.export_solicitud(pool, carlos, draft.codigo, "pdf", tmp_path / "l.pdf")
    pages = pdf_pages(res.path)
    assert len(pages) == 6
    for n, page in enumerate(pages, 1):
        assert f"Página {n} de 6" in page and "F11-3030-003" in page
    text = " ".join(pages)
    for i in (1, 30, 60):
        assert f"Sesión {i}: práctica guiada" in text
    assert "60 horarios · 240 h programadas de" in text
    # the horarios table is split over pages and repeats its heading row
    with_rows = [p for p in pages if "práctica guiada" in p]
    assert len(with_rows) >= 2 and all("Inicio Fin Horas Flexible" in p for p in with_rows)
    # the long justificación flows over a page break (the break may split one sentence)
    assert text.count("Una justificación muy larga") >= 89
    assert sum("Una justificación muy larga" in p for p in pages) >= 2
    assert "Objetivo propio número uno" in text and "Programa piloto" in text


async def test_ficha_xlsx_sheets_and_key_cells(pool: Any, login_as: Any,
                                               tmp_path: Path) -> None:
    carlos = await actor(pool, login_as, "carlos")
    res = await exports.export_solicitud(pool, carlos, "SOL-2026-001", "xlsx",
                                         tmp_path / "ficha.xlsx")
    wb = load_workbook(res.path)
    assert wb.sheetnames == ["Ficha", "Horarios", "Contenido", "Historial"]
    assert wb.properties.title == "FICHA DE CARACTERIZACIÓN SOL-2026-001"
    assert wb.properties.creator == "complementarias" and wb.properties.language == "es-CO"
    ws = wb["Ficha"]
    assert "F11-3030-003" in ws["A2"].value and "FICHA DE CARACTERIZACIÓN" in ws["A2"].value
    assert cell_after(ws, "Número de ficha") == "20260001"
    assert cell_after(ws, "Estado") == "Aprobada"
    assert cell_after(ws, "Modalidad") == "Presencial"  # the label, not PRESENCIAL
    assert cell_after(ws, "Nombre de la empresa") == "Cooperativa Agropecuaria de Santander"
    # typed cells: a date shown dd/mm/aaaa, numbers as numbers
    fecha = cell_of(ws, "Fecha de caracterización")
    assert fecha.value == dt.datetime(2026, 10, 1) and fecha.number_format == "dd/mm/yyyy"
    horas = cell_of(ws, FIELD_LABELS["duracionMaxima"])
    assert horas.value == 40 and horas.data_type == "n" and horas.number_format == "#,##0"
    assert cell_after(ws, "Comentarios de revisión") == "Aprobada. Cumple todos los requisitos."
    aprobada = cell_of(ws, "Fecha de aprobación")  # 16:30 UTC, shown in Bogotá time
    assert aprobada.value == dt.datetime(2026, 10, 6, 11, 30)
    assert aprobada.number_format == "dd/mm/yyyy hh:mm"
    for flag in FLAG_FIELDS:
        assert cell_after(ws, FIELD_LABELS[flag]) in ("Sí", "No")
    assert cell_after(ws, FIELD_LABELS["cumpleRequisitos"]) == "Sí"
    # the sections carry the PDF's numbers, in the PDF's order
    headings = [c for c in column_a(ws) if c in PDF_SECTIONS]
    assert headings == list(PDF_SECTIONS)
    # print setup: one page wide
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.orientation == "portrait"  # label/value pairs: a form page
    assert ws.column_dimensions["B"].width == 90
    hs = wb["Horarios"]
    head = next(c.row for c in hs["A"] if c.value == "#")
    rows = [r for r in hs.iter_rows(min_row=head + 1) if isinstance(r[0].value, int)]
    assert len(rows) == 10
    first = rows[0]
    assert [c.value for c in first[:6]] == [1, "Miércoles", dt.datetime(2026, 11, 4), "08:00",
                                            "12:00", 4]
    assert first[2].number_format == "dd/mm/yyyy" and first[5].data_type == "n"
    assert cell_after(hs, "Total").startswith("=SUM(F")
    assert hs.freeze_panes == f"A{head + 1}" and hs.auto_filter.ref == f"A{head}:H{head + 10}"
    assert hs.print_title_rows == f"${head}:${head}"
    assert hs.page_setup.fitToWidth == 1 and hs.page_setup.fitToHeight == 0
    # widths from content: the longest observación fits (up to the limit)
    longest = max(len(str(r[7].value or "")) for r in rows)
    assert hs.column_dimensions["H"].width >= min(longest, 58)
    contenido = column_a(wb["Contenido"])
    assert "COM-001: Procesar datos de acuerdo con las necesidades de la organización" \
        in contenido
    assert "Objetivos personalizados" in contenido and PDF_SECTIONS[7] in contenido
    his = wb["Historial"]
    assert PDF_SECTIONS[10] in column_a(his)
    assert his.freeze_panes is not None and his.auto_filter.ref.startswith("A")


async def test_instructor_cannot_export_anothers_solicitud(pool: Any, login_as: Any,
                                                           tmp_path: Path) -> None:
    carlos = await actor(pool, login_as, "carlos")
    juan = await actor(pool, login_as, "juan")
    for who, codigo in ((carlos, "SOL-2026-003"), (carlos, "SOL-2026-006"),
                        (juan, "SOL-2026-007"), (juan, "SOL-2026-005")):  # 005: a draft
        with pytest.raises(NotFound, match="no tiene permiso"):
            await exports.export_solicitud(pool, who, codigo, "pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


async def test_list_xlsx_sheets_counts_and_groups_by_instructor_id(
        pool: Any, login_as: Any, tmp_path: Path) -> None:
    admin = await actor(pool, login_as, "admin")
    # a second instructor with María's exact name, with one solicitud sent
    twin, _pw = await users.create_user(pool, admin, "maria.gonzalez2@sena.edu.co",
                                        "María González López", "1098000111", "INSTRUCTOR",
                                        admin.centro_id)
    async with pool.connection() as conn:  # the twin has changed the temporary password
        await conn.execute("UPDATE complementarias.user_state SET must_change_password = false "
                           "WHERE user_id = %s", (twin.id,))
        twin_actor = await refresh_actor(conn, twin.id)
    draft = await _long_draft(pool, twin_actor)
    await transitions.submit(pool, twin_actor, draft.id)
    seen: list[tuple[int, int]] = []
    res = await exports.export_list(pool, admin, Filtros(), "xlsx", tmp_path / "l.xlsx",
                                    progress=lambda d, t: seen.append((d, t)))
    assert res.rows == 9 and seen[0] == (0, 9) and seen[-1] == (9, 9)
    wb = load_workbook(res.path)
    assert wb.sheetnames == ["Resumen", "Listado completo", "Por centro", "Por instructor",
                             "Por programa"]
    rs = wb["Resumen"]
    counts = {r[0]: r[1:3] for r in rs.iter_rows(values_only=True) if r and r[0]}
    assert counts["Borrador"] == (0, 0) and counts["Pendiente"] == (4, pytest.approx(4 / 9))
    assert counts["En revisión"] == (1, pytest.approx(1 / 9))
    assert counts["Aprobada"] == (2, pytest.approx(2 / 9))
    assert counts["Rechazada"] == (1, pytest.approx(1 / 9))
    assert counts["Cancelada"] == (1, pytest.approx(1 / 9)) and counts["Total"] == (9, 1.0)
    assert cell_of(rs, "Pendiente").number_format == "#,##0"
    assert rs.cell(row=cell_of(rs, "Pendiente").row, column=3).number_format == "0.0%"
    assert cell_after(rs, "Aprendices aprobados") == 50
    assert cell_after(rs, "Alcance") == "Todos los centros"
    assert wb.properties.title == "Reporte de solicitudes"
    lw = wb["Listado completo"]
    listado = list(lw.iter_rows(values_only=True))
    assert listado[0][:3] == ("Código", "Estado", "Fecha de solicitud") and len(listado) == 10
    # layout: frozen, filtered heading; widths from content; landscape, one page wide,
    # heading repeated on every printed page
    assert lw.freeze_panes == "A2" and lw.auto_filter.ref == "A1:U10"
    assert lw.page_setup.orientation == "landscape" and lw.page_setup.fitToWidth == 1
    assert lw.print_title_rows == "$1:$1"
    for i, header in enumerate(listado[0], 1):
        longest = max(len(str(r[i - 1] if not isinstance(r[i - 1], dt.datetime)
                               else "00/00/0000")) for r in listado if r[i - 1] is not None)
        width = lw.column_dimensions[get_column_letter(i)].width
        assert min(longest, 58) <= width <= 60, (header, longest, width)
    # typed cells: dates are dates dd/mm/aaaa (Bogotá), numbers are numbers
    by_code = {r[0].value: r for r in lw.iter_rows(min_row=2)}
    sol1 = by_code["SOL-2026-001"]
    assert sol1[2].value == dt.datetime(2026, 10, 1) and sol1[2].number_format == "dd/mm/yyyy"
    assert sol1[14].value == "Presencial"
    assert sol1[15].data_type == "n" and sol1[16].value == 40
    assert sol1[20].value == dt.datetime(2026, 10, 6)  # approved 11:30 Bogotá
    assert {r[0] for r in listado[1:]} >= {"SOL-2026-001", "SOL-2026-009", draft.codigo}
    centros = {r[0]: r[2] for r in wb["Por centro"].iter_rows(min_row=2, values_only=True)}
    assert centros == {"CCS": 1, "CGAO": 6, "CIDM": 2}
    por_instructor = [r for r in wb["Por instructor"].iter_rows(min_row=2, values_only=True)
                      if r[0] == "María González López"]
    assert sorted((r[1], r[2]) for r in por_instructor) == [
        ("maria.gonzalez2@sena.edu.co", 1), ("maria.gonzalez@sena.edu.co", 3)]
    programas_ = {r[0]: r[2] for r in wb["Por programa"].iter_rows(min_row=2,
                                                                   values_only=True)}
    assert programas_["CF-001-2024"] == 4 and sum(programas_.values()) == 9


async def test_list_csv_and_pdf_follow_scope_and_filters(pool: Any, login_as: Any,
                                                         tmp_path: Path) -> None:
    carlos = await actor(pool, login_as, "carlos")
    res = await exports.export_list(pool, carlos, None, "csv", tmp_path / "mias.csv",
                                    csv_dialect="excel-es")
    assert res.path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM
    with res.path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][0] == "Código" and sorted(r[0] for r in rows[1:]) == [
        "SOL-2026-001", "SOL-2026-002", "SOL-2026-005"]  # his own, his draft included
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_code["SOL-2026-001"]["Fecha de solicitud"] == "01/10/2026"
    assert by_code["SOL-2026-001"]["Estado"] == "Aprobada"
    assert by_code["SOL-2026-001"]["Modalidad"] == "Presencial"
    assert by_code["SOL-2026-005"]["Estado"] == "Borrador"
    assert by_code["SOL-2026-005"]["Fecha de solicitud"] == ""  # a draft was never sent
    res = await exports.export_list(pool, carlos, None, "csv", tmp_path / "rfc.csv",
                                    csv_dialect="rfc4180")
    with res.path.open(encoding="utf-8-sig", newline="") as f:
        assert next(csv.reader(f))[:2] == ["Código", "Estado"]
    juan = await actor(pool, login_as, "juan")
    res = await exports.export_list(pool, juan, Filtros(estado="PENDIENTE"), "pdf",
                                    tmp_path / "pend.pdf")
    text = " ".join(pdf_pages(res.path))
    assert res.rows == 1 and "REPORTE DE SOLICITUDES" in text
    assert "estado Pendiente" in text and "Pendiente 1 100,0 %" in text
    assert "Centro CGAO" in text  # the coordinator's centro names the report
    for section in ("Resumen por estado", "Por centro", "Por instructor", "Por programa"):
        assert section in text
    with pytest.raises(PermissionDenied):
        await exports.centro_id_for(pool, juan, "CIDM")


async def test_list_export_streams_in_batches_and_cancels(pool: Any, login_as: Any,
                                                          tmp_path: Path,
                                                          monkeypatch: Any) -> None:
    monkeypatch.setattr(exports, "BATCH", 3)
    admin = await actor(pool, login_as, "admin")
    seen: list[int] = []
    await exports.export_list(pool, admin, None, "csv", tmp_path / "a.csv",
                              progress=lambda d, t: seen.append(d))
    assert seen == [0, 3, 6, 8]
    token = exports.CancelToken()

    def stop_after_first(done: int, total: int) -> None:
        if done:
            token.cancel()

    with pytest.raises(exports.ExportCancelled):
        await exports.export_list(pool, admin, None, "xlsx", tmp_path / "b.xlsx",
                                  progress=stop_after_first, cancel=token)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]  # nothing partial left


async def test_bad_format_and_folder_are_clear(pool: Any, login_as: Any,
                                               tmp_path: Path) -> None:
    admin = await actor(pool, login_as, "admin")
    with pytest.raises(exports.ServiceError, match="Formato"):
        await exports.export_solicitud(pool, admin, "SOL-2026-001", "docx", tmp_path / "x")
    with pytest.raises(exports.ServiceError, match="no existe"):
        await exports.export_list(pool, admin, None, "csv", tmp_path / "no" / "x.csv")
    with pytest.raises(NotFound, match="--as"):
        await exports.acting_user(pool, "nadie@sena.edu.co")


async def test_very_long_texts_from_the_web_app_still_paginate(pool: Any, login_as: Any,
                                                               tmp_path: Path) -> None:
    """The web app stores comments and observaciones of any length: no table row may be
    taller than a page, so long values leave the tables and flow as paragraphs."""
    async with pool.connection() as conn:
        await conn.execute("""UPDATE solicitudes SET "comentariosRevision" = repeat(
                                'comentario larguísimo ', 400) WHERE codigo = 'SOL-2026-001'""")
        await conn.execute("""UPDATE horarios_detallados SET observaciones = repeat('obs ', 900)
                               WHERE "solicitudId" = (SELECT id FROM solicitudes
                                                      WHERE codigo = 'SOL-2026-001')""")
    juan = await actor(pool, login_as, "juan")
    res = await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path / "x.pdf")
    pages = pdf_pages(res.path)
    text = " ".join(pages)
    assert text.count("comentario larguísimo") >= 399
    assert "9. Estado y revisión" in text and "10. Historial" in text
    assert all(f"de {len(pages)}" in p for p in pages)
