"""XLSX (openpyxl): the ficha of one solicitud, and list exports in write-only (streaming) mode.

Cell values that start with = + - @ (or a tab or CR) are written as text, never as formulas,
so a value typed in the web app cannot become a formula in the coordinator's spreadsheet;
control characters are written as visible symbols (openpyxl refuses most of them).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tui.services import export_content as ec
from tui.services.solicitudes import ESTADOS
from tui.services.text import sheet_cell

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="39A900")  # SENA green
HEAD_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def _widths(ws: Any, widths: list[int]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


# ---- the ficha -----------------------------------------------------------------------------------
def _header(ws: Any, f: ec.Ficha) -> None:
    ws.append([ec.ORG])
    ws.append([f"{ec.FORM_TITLE} · Formato {ec.FORM_CODE}"])
    ws.append([ec.FORM_SUBTITLE])
    ws.append([sheet_cell(f.titulo)])
    ws.append([sheet_cell(f"Formato: {f.formato} · Generado: {f.generado}")])
    ws["A1"].font = BOLD
    ws["A2"].font = TITLE
    ws.append([])


def _heading(ws: Any, text: str) -> None:
    ws.append([text])
    cell = ws.cell(row=ws.max_row, column=1)
    cell.font = HEAD_FONT
    cell.fill = HEAD_FILL


def _pairs(ws: Any, pairs: tuple[tuple[str, str], ...]) -> None:
    for label, value in pairs:
        ws.append([label, sheet_cell(value)])
        ws.cell(row=ws.max_row, column=1).font = BOLD
        ws.cell(row=ws.max_row, column=2).alignment = WRAP


def _items(ws: Any, title: str, items: tuple[str, ...]) -> None:
    _heading(ws, title)
    for item in items or ("—",):
        ws.append([sheet_cell(item)])
        ws.cell(row=ws.max_row, column=1).alignment = WRAP
    ws.append([])


def ficha_xlsx(f: ec.Ficha) -> bytes:
    """Sheets: Ficha (every field, flags, texts, declarations, estado y revisión), Horarios,
    Contenido (objetivos, competencias, resultados, objetivos personalizados), Historial."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Ficha"
    _header(ws, f)
    _heading(ws, "Datos generales")
    _pairs(ws, f.encabezado)
    for title, pairs in f.secciones:
        _heading(ws, title)
        _pairs(ws, pairs)
    _heading(ws, "4. Programas especiales")
    _pairs(ws, f.banderas)
    _heading(ws, "5. Justificación")
    _pairs(ws, f.textos)
    _heading(ws, "6. Declaraciones")
    _pairs(ws, f.declaraciones)
    _heading(ws, "7. Estado y revisión")
    _pairs(ws, f.revision)
    _widths(ws, [38, 90])

    hs = wb.create_sheet("Horarios")
    _header(hs, f)
    hs.append(list(ec.HORARIO_HEADERS))
    for c in hs[hs.max_row]:
        c.font, c.fill = HEAD_FONT, HEAD_FILL
    first = hs.max_row + 1
    for row in f.horarios:
        hs.append([int(row[0]), *(sheet_cell(v) for v in row[1:5]), float(row[5]),
                   *(sheet_cell(v) for v in row[6:8])])
    last = hs.max_row
    hs.append(["", "", "", "", "Total", f"=SUM(F{first}:F{last})" if f.horarios else 0])
    hs.append([f.horas_resumen])
    _widths(hs, [5, 12, 12, 8, 8, 8, 9, 40])

    cs = wb.create_sheet("Contenido")
    _header(cs, f)
    _items(cs, "Objetivos de aprendizaje del programa", f.objetivos)
    _items(cs, "Competencias", f.competencias)
    _items(cs, "Resultados de aprendizaje", f.resultados)
    _items(cs, "Objetivos personalizados", f.personalizados)
    _widths(cs, [120])

    his = wb.create_sheet("Historial")
    _header(his, f)
    his.append(["Fecha", "Quién", "Acción", "Comentario"])
    for c in his[his.max_row]:
        c.font, c.fill = HEAD_FONT, HEAD_FILL
    for row in f.historial:
        his.append([sheet_cell(v) for v in row])
    _widths(his, [28, 28, 40, 60])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- lists (write-only: rows go to disk as they stream) -----------------------------------------
GROUP_HEADERS = ("Total", *(ec.ESTADO_LABEL[e] for e in ESTADOS), "Aprendices aprobados",
                 "Horas aprobadas")


class ListXlsxWriter:
    """Sheets resumen, listado completo, por centro, por instructor (by id), por programa."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = Workbook(write_only=True)
        self.resumen = self.wb.create_sheet("Resumen")
        self.listado = self.wb.create_sheet("Listado completo")
        self.listado.freeze_panes = "A2"
        self.listado.append([self._head(h) for h in ec.LIST_HEADERS])

    def _head(self, text: str, sheet: Any = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet or self.listado, value=text)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        return cell

    def add(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            self.listado.append([sheet_cell(v) for v in ec.list_row(r)])

    def _groups(self, title: str, first: tuple[str, str], groups: list[Any]) -> None:
        ws = self.wb.create_sheet(title)
        ws.append([self._head(h, ws) for h in (*first, *GROUP_HEADERS)])
        for g in groups:
            ws.append([sheet_cell(g.label), sheet_cell(g.detail), g.total,
                       *(g.por_estado[e] for e in ESTADOS), g.aprendices_aprobados,
                       g.horas_aprobadas])

    def finish(self, s: Any) -> None:
        ws = self.resumen
        ws.append([WriteOnlyCell(ws, value="Resumen de solicitudes")])
        ws.append(["Generado", s.generado])
        ws.append(["Por", sheet_cell(f"{s.actor.name} ({s.actor.role.title()}, "
                                f"{s.actor.centro_codigo})")])
        ws.append(["Filtros", sheet_cell(s.filtros_texto)])
        ws.append([])
        ws.append([self._head(h, ws) for h in ("Estado", "Cantidad", "Porcentaje")])
        for e in ESTADOS:
            ws.append([ec.ESTADO_LABEL[e], s.total.por_estado[e],
                       round(s.porcentaje(e), 1)])
        ws.append(["Total", s.total.total, 100.0 if s.total.total else 0.0])
        ws.append([])
        ws.append(["Aprendices aprobados", s.total.aprendices_aprobados])
        ws.append(["Horas aprobadas", s.total.horas_aprobadas])
        self._groups("Por centro", ("Centro", "Nombre"), s.ordered(s.por_centro))
        self._groups("Por instructor", ("Instructor", "Correo"), s.ordered(s.por_instructor))
        self._groups("Por programa", ("Programa", "Nombre"), s.ordered(s.por_programa))
        self.wb.save(self.path)

    def abort(self) -> None:
        """Close the half-written sheets and drop their temporary files."""
        for ws in self.wb.worksheets:
            try:
                ws.close()
            except Exception:  # noqa: BLE001, S110 - a sheet that never started or is closed
                pass
            out = getattr(getattr(ws, "_writer", None), "out", None)
            if isinstance(out, str) and os.path.exists(out):
                os.remove(out)
