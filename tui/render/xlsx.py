"""XLSX (openpyxl): the ficha of one solicitud, and list exports in write-only (streaming) mode.

Cells are typed: dates are dates shown dd/mm/aaaa, counts and hours are numbers (Excel shows
them with the reader's own separators: «1.234» and «4,5» in Colombia), text is text. Text
that a spreadsheet would run as a formula (= @ tab CR, or + - before anything but a phone or
number) is stored as a text cell with Excel's «quote prefix», so it shows exactly as typed and
never runs; control characters are written as visible symbols (openpyxl refuses most).

Every table has a frozen, filtered heading row; columns are as wide as their content (up to a
limit); each sheet prints fitted to the page width, landscape when it is wide, with its heading
rows repeated on every printed page.
"""

from __future__ import annotations

import contextlib
import io
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tui.render import content as ec
from tui.services.solicitudes import ESTADOS
from tui.services.text import inert, would_be_formula

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="39A900")  # SENA green
HEAD_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "dd/mm/yyyy"      # Colombia
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
MIN_WIDTH, MAX_WIDTH = 6, 60
WIDE = 9  # sheets with more columns than this print in landscape


# ---- cells ---------------------------------------------------------------------------------------
def _typed(value: Any) -> tuple[Any, str | None, bool]:
    """(value, number format, quote prefix) of one cell."""
    if isinstance(value, datetime):  # a Bogotá time (export_content.hora_local)
        return value, DATETIME_FORMAT, False
    if isinstance(value, date):
        return value, DATE_FORMAT, False
    if isinstance(value, bool) or value is None:
        return ("Sí" if value else "No") if isinstance(value, bool) else None, None, False
    if isinstance(value, int):
        return value, INT_FORMAT, False
    if isinstance(value, float):
        return value, None, False
    text = inert(value, multiline=True)
    return text, None, would_be_formula(text)


def _apply(cell: Any, value: Any, font: Font | None = None, fill: Any = None) -> Any:
    v, fmt, quoted = _typed(value)
    cell.value = v
    if quoted:
        cell.data_type = "s"
        cell.quotePrefix = True
    if fmt:
        cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _wo(ws: Any, value: Any, font: Font | None = None, fill: Any = None) -> WriteOnlyCell:
    return _apply(WriteOnlyCell(ws), value, font, fill)


def _head_cells(ws: Any, headers: tuple[str, ...] | list[str]) -> list[WriteOnlyCell]:
    return [_wo(ws, h, HEAD_FONT, HEAD_FILL) for h in headers]


def _shown(value: Any) -> str:
    v, fmt, _q = _typed(value)
    if isinstance(v, datetime):
        return "00/00/0000 00:00"
    if isinstance(v, date):
        return "00/00/0000"
    if isinstance(v, int) and fmt == INT_FORMAT:
        return f"{v:,}"
    return "" if v is None else str(v)


def _fit(widths: list[int], row: list[Any] | tuple[Any, ...]) -> None:
    for i, value in enumerate(row):
        longest = max((len(line) for line in _shown(value).splitlines()), default=0)
        if i >= len(widths):
            widths.append(MIN_WIDTH)
        widths[i] = max(widths[i], min(MAX_WIDTH, longest + 2))


def _set_widths(ws: Any, widths: list[int]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _print_setup(ws: Any, columns: int, title_rows: str | None) -> None:
    """Fit to the page width (as many pages down as needed), landscape when wide, heading
    rows repeated on every page."""
    width = sum(ws.column_dimensions[get_column_letter(i)].width or 0
                for i in range(1, columns + 1))
    wide = columns > WIDE or (columns >= 4 and width > 110)  # tables, not label/value pairs
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _properties(wb: Workbook, title: str, subject: str, keywords: str) -> None:
    p = wb.properties
    p.title, p.subject, p.keywords = (inert(v) for v in (title, subject, keywords))
    p.creator = p.lastModifiedBy = "complementarias"
    p.company = ec.ORG
    p.language = "es-CO"
    p.category = "Formación complementaria"


# ---- the ficha -----------------------------------------------------------------------------------
class _Sheet:
    """A regular worksheet filled row by row, remembering how wide each column must be."""

    def __init__(self, ws: Any, f: ec.Ficha) -> None:
        self.ws = ws
        self.widths: list[int] = []
        self.next = 1
        self.row([ec.ORG], BOLD)
        self.row([f"{ec.FORM_TITLE} · Formato {ec.FORM_CODE}"], TITLE)
        self.row([ec.FORM_SUBTITLE])
        self.row([f.titulo])
        self.row([f"Formato: {f.formato} · Generado: {f.generado}"])
        self.next += 1

    def row(self, values: list[Any] | tuple[Any, ...], font: Font | None = None,
            fill: Any = None, fit: bool = False, wrap: bool = False) -> int:
        r = self.next
        self.next += 1
        for c, value in enumerate(values, 1):
            cell = _apply(self.ws.cell(row=r, column=c), value, font, fill)
            if wrap:
                cell.alignment = WRAP
        if fit:
            _fit(self.widths, list(values))
        return r

    def heading(self, text: str) -> None:
        self.row([text], HEAD_FONT, HEAD_FILL)

    def table_head(self, headers: tuple[str, ...]) -> int:
        r = self.row(list(headers), HEAD_FONT, HEAD_FILL, fit=True)
        self.ws.freeze_panes = f"A{r + 1}"
        return r

    def pairs(self, pairs: ec.Pairs) -> None:
        for label, value in pairs:
            r = self.row([label, value], fit=True)
            self.ws.cell(row=r, column=1).font = BOLD
            self.ws.cell(row=r, column=2).alignment = WRAP

    def items(self, title: str, items: tuple[str, ...]) -> None:
        self.heading(title)
        for item in items or ("Ninguno.",):
            self.row([item], wrap=True)
        self.next += 1

    def finish(self, widths: list[int] | None = None, table: tuple[int, int, int] | None = None
               ) -> None:
        """`table` = (heading row, last row, columns): filtered, its heading printed on every
        page."""
        widths = widths or self.widths
        _set_widths(self.ws, widths)
        title_rows = None
        if table is not None:
            head, last, columns = table
            self.ws.auto_filter.ref = f"A{head}:{get_column_letter(columns)}{max(last, head)}"
            title_rows = f"{head}:{head}"
        _print_setup(self.ws, len(widths), title_rows)


def ficha_xlsx(f: ec.Ficha) -> bytes:
    """Sheets: Ficha (every field, flags, texts, declarations, estado y revisión), Horarios,
    Contenido (objetivos, competencias, resultados, objetivos personalizados), Historial. The
    sections carry the numbers of the PDF's."""
    t = ec.SECTION_TITLES
    wb = Workbook()
    _properties(wb, f"{ec.FORM_TITLE} {f.codigo}", ec.FORM_SUBTITLE,
                f"{ec.FORM_CODE}, {f.codigo}")
    fs = _Sheet(wb.active, f)
    fs.ws.title = "Ficha"
    fs.heading("Datos generales")
    fs.pairs(f.encabezado)
    for title, pairs in f.secciones:
        fs.heading(title)
        fs.pairs(pairs)
    fs.heading(t["banderas"])
    fs.pairs(f.banderas)
    fs.heading(t["horarios"])
    fs.pairs((("Resumen", f.horas_resumen), ("Detalle", "hoja Horarios")))
    fs.heading(t["textos"])
    fs.pairs(f.textos)
    fs.heading(t["contenido"])
    fs.pairs((("Detalle", "hoja Contenido"),))
    fs.heading(t["declaraciones"])
    fs.pairs(f.declaraciones)
    fs.heading(t["revision"])
    fs.pairs(f.revision)
    fs.heading(t["historial"])
    fs.pairs((("Detalle", "hoja Historial"),))
    fs.finish([max(24, min(fs.widths[0], 45)), 90])

    hs = _Sheet(wb.create_sheet("Horarios"), f)
    hs.heading(f"{t['horarios']} ({f.horas_resumen})")
    head = hs.table_head(ec.HORARIO_HEADERS)
    for row in f.horarios:
        hs.row(list(row), fit=True)
    last = hs.ws.max_row
    total = hs.row(["", "", "", "", "Total", 0])
    hs.ws.cell(row=total, column=5).font = BOLD
    if f.horarios:  # the one formula of any export: written as such, never from stored text
        hs.ws.cell(row=total, column=6).value = f"=SUM(F{head + 1}:F{last})"
    hs.finish(table=(head, last, len(ec.HORARIO_HEADERS)))

    cs = _Sheet(wb.create_sheet("Contenido"), f)
    cs.heading(t["contenido"])
    cs.items("Objetivos de aprendizaje del programa", f.objetivos)
    cs.items("Competencias", f.competencias)
    cs.items("Resultados de aprendizaje", f.resultados)
    cs.items("Objetivos personalizados", f.personalizados)
    cs.finish([120])

    his = _Sheet(wb.create_sheet("Historial"), f)
    his.heading(t["historial"])
    head = his.table_head(("Fecha", "Quién", "Acción", "Comentario"))
    for row in f.historial:
        his.row(list(row), fit=True, wrap=True)
    his.finish(table=(head, his.next - 1, 4))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- lists (write-only: rows go to disk as they stream) -----------------------------------------
def _start_table(ws: Any, headers: tuple[str, ...], first: list[list[Any]]) -> None:
    """A write-only table's column widths (from its heading and first rows), frozen heading
    row, print setup and heading."""
    widths: list[int] = []
    _fit(widths, list(headers))
    for row in first:
        _fit(widths, row)
    _set_widths(ws, widths)
    ws.freeze_panes = "A2"
    _print_setup(ws, len(widths), "1:1")
    ws.append(_head_cells(ws, headers))


class TableXlsxWriter:
    """One sheet: a list screen's view (Usuarios, Centros, …), typed cells under a filtered
    heading row."""

    def __init__(self, path: Path, title: str, headers: tuple[str, ...]) -> None:
        self.path, self.title, self.headers = path, title, headers
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet(title[:31])  # Excel's limit for a sheet name
        self.rows = 0

    def add(self, rows: list[list[Any]]) -> None:
        if self.rows == 0:
            _start_table(self.ws, self.headers, rows)
        for row in rows:
            self.ws.append([_wo(self.ws, v) for v in row])
        self.rows += len(rows)

    def finish(self, filtros: str) -> None:
        if self.rows == 0:
            _start_table(self.ws, self.headers, [])
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.headers))}{self.rows + 1}"
        _properties(self.wb, self.title, self.title, filtros)
        self.wb.save(self.path)

    def abort(self) -> None:
        _discard(self.wb)


GROUP_HEADERS = ("Total", *(ec.estado_label(e) for e in ESTADOS), "Aprendices aprobados",
                 "Horas aprobadas")


class ListXlsxWriter:
    """Sheets resumen, listado completo, por centro, por instructor (by id), por programa.

    The listado's column widths come from its heading and its first batch of rows (a
    write-only sheet fixes its columns before the first row is written)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wb = Workbook(write_only=True)
        self.resumen = self.wb.create_sheet("Resumen")
        self.listado = self.wb.create_sheet("Listado completo")
        self.rows = 0

    def _start(self, first: list[list[Any]]) -> None:
        _start_table(self.listado, ec.LIST_HEADERS, first)

    def add(self, rows: list[dict[str, Any]]) -> None:
        values = [ec.list_row(r) for r in rows]
        if self.rows == 0:
            self._start(values)
        for row in values:
            self.listado.append([_wo(self.listado, v) for v in row])
        self.rows += len(values)

    def _groups(self, title: str, first: tuple[str, str], groups: list[Any]) -> None:
        ws = self.wb.create_sheet(title)
        headers = (*first, *GROUP_HEADERS)
        rows = [[g.label, g.detail, g.total, *(g.por_estado[e] for e in ESTADOS),
                 g.aprendices_aprobados, g.horas_aprobadas] for g in groups]
        widths: list[int] = []
        for row in [list(headers), *rows]:
            _fit(widths, row)
        _set_widths(ws, widths)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
        _print_setup(ws, len(headers), "1:1")
        ws.append(_head_cells(ws, headers))
        for row in rows:
            ws.append([_wo(ws, v) for v in row])

    def finish(self, s: Any) -> None:
        if self.rows == 0:
            self._start([])
        self.listado.auto_filter.ref = (f"A1:{get_column_letter(len(ec.LIST_HEADERS))}"
                                        f"{self.rows + 1}")
        _properties(self.wb, "Reporte de solicitudes", s.alcance, s.filtros_texto)
        ws = self.resumen
        _set_widths(ws, [24, 48, 12])
        _print_setup(ws, 3, None)
        ws.append([_wo(ws, "Resumen de solicitudes", TITLE)])
        for label, value in (("Generado", s.generado), ("Por", f"{s.actor.name}"),
                             ("Alcance", s.alcance), ("Filtros", s.filtros_texto)):
            ws.append([_wo(ws, label, BOLD), _wo(ws, value)])
        ws.append([])
        ws.append(_head_cells(ws, ("Estado", "Cantidad", "Porcentaje")))
        n = s.total.total
        for e in ESTADOS:
            pct = _wo(ws, s.total.por_estado[e] / n if n else 0.0)
            pct.number_format = PERCENT_FORMAT
            ws.append([_wo(ws, ec.estado_label(e)), _wo(ws, s.total.por_estado[e]), pct])
        pct = _wo(ws, 1.0 if n else 0.0)
        pct.number_format = PERCENT_FORMAT
        ws.append([_wo(ws, "Total", BOLD), _wo(ws, n), pct])
        ws.append([])
        ws.append([_wo(ws, "Aprendices aprobados", BOLD), _wo(ws, s.total.aprendices_aprobados)])
        ws.append([_wo(ws, "Horas aprobadas", BOLD), _wo(ws, s.total.horas_aprobadas)])
        self._groups("Por centro", ("Centro", "Nombre"), s.ordered(s.por_centro))
        self._groups("Por instructor", ("Instructor", "Correo"), s.ordered(s.por_instructor))
        self._groups("Por programa", ("Programa", "Nombre"), s.ordered(s.por_programa))
        self.wb.save(self.path)

    def abort(self) -> None:
        _discard(self.wb)


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook's half-written sheets and drop their temporary files."""
    for ws in wb.worksheets:
        with contextlib.suppress(Exception):  # a sheet that never started or is closed
            ws.close()
        out = getattr(getattr(ws, "_writer", None), "out", None)
        if isinstance(out, str) and os.path.exists(out):
            os.remove(out)
