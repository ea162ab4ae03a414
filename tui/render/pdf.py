"""PDF (fpdf2): the Ficha de Caracterización of one solicitud, and the summary report of a list.

Every page carries SENA's form header (F11-3030-003) and a footer with «Página N de M». Text
flows with automatic page breaks: long texts wrap over pages, and tables (horarios, groups)
repeat their heading row on each new page.

Text is set in DejaVu Sans Condensed (regular, bold, oblique, bold oblique), shipped in
`tui/fonts/` with its licence and embedded (subset) in every PDF: Spanish, the typographic
quotes and dashes pasted from Word, €, ✓, Greek, Cyrillic, Hebrew and many symbols and
emoticons print as stored, on any machine. A character the font lacks (Chinese, Japanese or
Korean ideographs, most colour emoji, control characters) prints as U+FFFD «�», never as
nothing or «?»; the XLSX and CSV exports keep the original text.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from tui.render import content as ec
from tui.render.format import porcentaje
from tui.services.labels import ROLE_LABEL
from tui.services.solicitudes import ESTADOS
from tui.services.text import inert

GREEN = (57, 169, 0)
GREY = (235, 240, 232)
LONG_VALUE = 600  # longer values leave the tables (a table row must fit on one page)
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT = "dejavu"
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf",
              "I": "DejaVuSansCondensed-Oblique.ttf",
              "BI": "DejaVuSansCondensed-BoldOblique.ttf"}
REPLACEMENT = "\ufffd"
KEEP = frozenset("\n\t\r")


@cache
def covered() -> frozenset[int]:
    """The code points both the regular and the bold face draw (user text is set in those;
    the oblique faces only print the writer's own words)."""
    sets = []
    for style in ("", "B"):
        font = TTFont(FONT_DIR / FONT_FILES[style], lazy=True)
        try:
            sets.append(frozenset(font.getBestCmap()))
        finally:
            font.close()
    return sets[0] & sets[1]


def printable(text: Any) -> str:
    """Text as the PDF prints it: control characters made visible (`inert`), composed (NFC,
    so «é» typed as e + accent is one letter), and every character the font lacks shown as
    «�»."""
    s = unicodedata.normalize("NFC", "" if text is None else inert(text, multiline=True))
    cover = covered()
    return "".join(ch if ord(ch) in cover or ch in KEEP else REPLACEMENT for ch in s)


class FormPDF(FPDF):
    """A4 portrait with the SENA form header and numbered pages."""

    def __init__(self, titulo: str, subtitulo: str, referencia: str, generado: str,
                 codigo: str = ec.FORM_CODE) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        for style in ("", "B"):  # the oblique faces are read when first used
            self.add_font(FONT, style, FONT_DIR / FONT_FILES[style])
        self.codigo = codigo
        self.titulo, self.subtitulo = titulo, subtitulo
        self.referencia, self.generado = referencia, generado
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(printable(f"{titulo} {referencia}".replace("\n", " · ")))
        self.set_subject(subtitulo)
        self.set_lang("es-CO")
        self.set_author("SENA")
        self.set_creator("complementarias")

    def set_font(self, family: str | None = None, style: Any = "", size: float = 0) -> None:
        if (family or "").lower() == FONT and isinstance(style, str) \
                and FONT + style.upper() not in self.fonts and style.upper() in FONT_FILES:
            self.add_font(FONT, style.upper(), FONT_DIR / FONT_FILES[style.upper()])
        super().set_font(family, style, size)

    def normalize_text(self, text: str) -> str:
        """Every string fpdf2 lays out passes here: see `printable`."""
        return super().normalize_text(printable(text))

    def header(self) -> None:
        x, y, w = self.l_margin, 10, self.epw
        self.set_draw_color(*GREEN)
        self.set_line_width(0.4)
        self.rect(x, y, w, 20)
        self.line(x + 32, y, x + 32, y + 20)
        self.line(x + w - 48, y, x + w - 48, y + 20)
        self.set_xy(x, y + 3)
        self.set_font(FONT, "B", 20)
        self.set_text_color(*GREEN)
        self.cell(32, 9, "SENA", align="C")
        self.set_xy(x, y + 12)
        self.set_font(FONT, "", 5.5)
        self.set_text_color(60, 60, 60)
        self.multi_cell(32, 2.6, "Servicio Nacional\nde Aprendizaje", align="C")
        self.set_text_color(0, 0, 0)
        self.set_xy(x + 32, y + 3)
        self.set_font(FONT, "B", 12)
        self.cell(w - 80, 6, (self.titulo), align="C")
        self.set_xy(x + 32, y + 10)
        self.set_font(FONT, "", 9)
        self.multi_cell(w - 80, 4.5, (self.subtitulo), align="C")
        self.set_xy(x + w - 48, y + 3)
        self.set_font(FONT, "B", 9)
        self.cell(48, 5, f"Código: {self.codigo}" if self.codigo else "Reporte", align="C")
        self.set_xy(x + w - 48, y + 9)
        self.set_font(FONT, "", 8)
        self.multi_cell(48, 4, (self.referencia), align="C")
        self.set_y(y + 24)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(90, 90, 90)
        self.cell(self.epw / 2, 5, (f"Generado el {self.generado}"))
        self.cell(self.epw / 2, 5, f"Página {self.page_no()} de {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # ---- building blocks ---------------------------------------------------------------------
    def section(self, title: str) -> None:
        if self.will_page_break(16):
            self.add_page()
        self.ln(2)
        self.set_font(FONT, "B", 10)
        self.set_fill_color(*GREEN)
        self.set_text_color(255, 255, 255)
        self.cell(self.epw, 6, (title), fill=True, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_fill_color(255, 255, 255)
        self.ln(1)

    def pairs(self, pairs: ec.Pairs, label_w: float = 62) -> None:
        """Label/value rows; a value too long for one table row (a row never splits over
        pages) is written as a paragraph, which does."""
        run: list[tuple[str, str]] = []
        for label, value in pairs:
            text = ec.texto(value)
            if len(text) > LONG_VALUE:
                self._pair_table(run, label_w)
                run = []
                self.paragraph(label, text)
            else:
                run.append((label, text))
        self._pair_table(run, label_w)

    def _pair_table(self, pairs: list[tuple[str, str]], label_w: float) -> None:
        if not pairs:
            return
        self.set_font(FONT, "", 9)
        with self.table(col_widths=(label_w, self.epw - label_w), first_row_as_headings=False,
                        line_height=4.8, padding=1, borders_layout="HORIZONTAL_LINES",
                        text_align=("LEFT", "LEFT")) as table:
            for label, value in pairs:
                row = table.row()
                row.cell(label, style=FontFace(emphasis="BOLD"))
                row.cell(value)

    def paragraph(self, label: str, text: str, style: str = "") -> None:
        if label:
            self.set_font(FONT, "B", 9)
            self.multi_cell(self.epw, 5, label, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, style, 9)
        self.multi_cell(self.epw, 4.6, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def items(self, title: str, items: tuple[str, ...]) -> None:
        self.set_font(FONT, "B", 9)
        self.multi_cell(self.epw, 5, title, new_x="LMARGIN", new_y="NEXT")
        for item in items:
            self.set_font(FONT, "", 9)
            self.set_x(self.l_margin + 3)
            self.multi_cell(self.epw - 3, 4.6, f"• {item}", new_x="LMARGIN", new_y="NEXT")
        if not items:
            self.set_font(FONT, "I", 9)
            self.set_x(self.l_margin + 3)
            self.multi_cell(self.epw - 3, 4.6, "Ninguno.", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def grid(self, headers: tuple[str, ...], rows: list[tuple[Any, ...]],
             widths: tuple[float, ...], align: tuple[str, ...] | None = None) -> None:
        self.set_font(FONT, "", 8)
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=GREEN)
        with self.table(col_widths=widths, headings_style=heading, line_height=4.4,
                        padding=0.8, repeat_headings=1, text_align=align or "LEFT",
                        cell_fill_color=GREY, cell_fill_mode="ROWS") as table:
            head = table.row()
            for h in headers:
                head.cell(h)
            for r in rows:
                row = table.row()
                for v in r:
                    text = "" if v == "" else ec.fecha_corta(v) if isinstance(v, date) \
                        else ec.texto(v)
                    row.cell(text if len(text) <= LONG_VALUE else text[:LONG_VALUE] + "…")


def ficha_pdf(f: ec.Ficha) -> bytes:
    t = ec.SECTION_TITLES
    pdf = FormPDF(ec.FORM_TITLE, ec.FORM_SUBTITLE, f"Solicitud {f.codigo}\n{f.formato}",
                  f.generado)
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(pdf.epw, 6, f.titulo, new_x="LMARGIN", new_y="NEXT")
    pdf.section("Datos generales")
    pdf.pairs(f.encabezado)
    for title, pairs in f.secciones:
        pdf.section(title)
        pdf.pairs(pairs)
    pdf.section(t["banderas"])
    pdf.pairs(f.banderas, label_w=80)
    pdf.section(f"{t['horarios']} ({f.horas_resumen})")
    pdf.grid(ec.HORARIO_HEADERS, list(f.horarios), (8, 20, 22, 14, 14, 13, 15, 74),
             ("RIGHT", "LEFT", "LEFT", "CENTER", "CENTER", "RIGHT", "CENTER", "LEFT"))
    pdf.section(t["textos"])
    for label, text in f.textos:
        pdf.paragraph(label, ec.texto(text))
    pdf.section(t["contenido"])
    pdf.items("Objetivos de aprendizaje del programa", f.objetivos)
    pdf.items("Competencias", f.competencias)
    pdf.items("Resultados de aprendizaje", f.resultados)
    pdf.items("Objetivos personalizados", f.personalizados)
    pdf.section(t["declaraciones"])
    pdf.pairs(f.declaraciones, label_w=100)
    pdf.section(t["revision"])
    pdf.pairs(f.revision)
    pdf.section(t["historial"])
    for when, who, what, comment in f.historial:
        pdf.paragraph(f"{ec.texto(when)} · {who} · {what}", comment or "—")
    if not f.historial:
        pdf.paragraph("", "Sin historial registrado en esta aplicación.", style="I")
    return bytes(pdf.output())


class ListPdfWriter:
    """The summary report of a list: counts and percentages per estado, then per centro,
    instructor and programa. Rows only feed the counts (accumulated by the caller)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, rows: list[dict[str, Any]]) -> None:
        return

    def abort(self) -> None:
        return

    def finish(self, s: Any) -> None:
        pdf = FormPDF("REPORTE DE SOLICITUDES", "Formación complementaria - resumen",
                      s.alcance, s.generado, codigo="")
        pdf.add_page()
        pdf.section("Alcance")
        role = ROLE_LABEL.get(s.actor.role, s.actor.role)
        pdf.pairs((("Generado por", f"{s.actor.name} ({role})"), ("Alcance", s.alcance),
                   ("Filtros", s.filtros_texto), ("Solicitudes", s.total.total)))
        pdf.section("Resumen por estado")
        rows: list[tuple[Any, ...]] = [
            (ec.estado_label(e), s.total.por_estado[e], porcentaje(s.porcentaje(e)))
            for e in ESTADOS]
        rows.append(("Total", s.total.total, porcentaje(100.0 if s.total.total else 0.0)))
        pdf.grid(("Estado", "Cantidad", "Porcentaje"), rows, (80, 40, 40),
                 ("LEFT", "RIGHT", "RIGHT"))
        pdf.ln(2)
        pdf.pairs((("Aprendices aprobados", s.total.aprendices_aprobados),
                   ("Horas aprobadas", s.total.horas_aprobadas)))
        short = ("Total", "Borr.", "Pend.", "Rev.", "Aprob.", "Rech.", "Canc.", "Aprend.",
                 "Horas")
        for title, first, groups in (("Por centro", "Centro", s.por_centro),
                                     ("Por instructor", "Instructor", s.por_instructor),
                                     ("Por programa", "Programa", s.por_programa)):
            pdf.section(title)
            body = [(f"{g.label} - {g.detail}", g.total,
                     *(g.por_estado[e] for e in ESTADOS), g.aprendices_aprobados,
                     g.horas_aprobadas) for g in s.ordered(groups)]
            pdf.grid((first, *short), body, (60, 13, 12, 12, 12, 13, 13, 13, 16, 16),
                     ("LEFT", *(["RIGHT"] * 9)))
        self.path.write_bytes(bytes(pdf.output()))
