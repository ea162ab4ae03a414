"""Exports people can send: Unicode PDFs (DejaVu embedded, text extracted with pypdf equals
what was stored), the formula guard only where a spreadsheet would run a formula, CSV
dialects, output paths (folder, extension, no overwrite), Spanish numbers, plurals, labels and
Bogotá dates."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tui.render import format as xf
from tui.render.pdf import REPLACEMENT, covered, printable
from tui.services import exports, transitions
from tui.services.solicitudes import Filtros
from tui.services.text import sheet_cell, would_be_formula

from .test_svc_exports import _long_draft

# Stored text as Colombian users paste it (Word's quotes and dashes above all), and text in
# other scripts; the last ones have no glyph in DejaVu and print as «�».
CORPUS = {
    "nombreEmpresa": "Cooperativa “La Esperanza” — Ñandú & Cía. S.A.S.",
    "representanteLegal": "José Ángel Núñez-Güiza",
    "direccionEmpresa": "Calle 5 # 10–20, «Edificio Ñ» … 2º piso",
    "lugarFormacion": "Sede ✓ principal ★ (€ 12,50) ½ • ©",
    "municipio": "Ελληνικά Русский текст",
    "departamento": "Emoji 😀 ☺ ♥",
    "justificacion": "Texto con comillas ‘simples’ y “dobles”, guion largo — y corto –.",
    "resultadosEsperados": "Cafe\u0301 compuesto y 中文 日本語 한국어 🎉",
}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "") for p in PdfReader(str(path)).pages)
                    .split())


def store(url: str, codigo: str, values: dict[str, str]) -> None:
    sets = ", ".join(f'"{k}" = %s' for k in values)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"UPDATE public.solicitudes SET {sets} WHERE codigo = %s",
                     (*values.values(), codigo))


# ---- 1. PDF: an embedded Unicode font ------------------------------------------------------------
async def test_pdf_text_is_what_was_stored(pool: Any, login_as: Any, demo_url: str,
                                           tmp_path: Path) -> None:
    store(demo_url, "SOL-2026-001", CORPUS)
    juan = (await login_as("juan")).actor
    res = await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path / "u.pdf")
    text = pdf_text(res.path)
    for field, value in CORPUS.items():
        expected = " ".join(printable(value).split())
        assert expected in text, (field, expected)
    # covered scripts print exactly as stored; nothing becomes "?"
    for exact in ("“La Esperanza” — Ñandú", "José Ángel Núñez-Güiza", "10–20, «Edificio Ñ» …",
                  "✓ principal ★ (€ 12,50) ½ • ©", "Ελληνικά Русский текст", "😀 ☺ ♥",
                  "‘simples’ y “dobles”", "Café compuesto"):
        assert exact in text, exact
    assert "?" not in text.replace("¿", "")
    # what the font lacks is shown as the replacement character, one per character
    assert f"y {REPLACEMENT * 2} {REPLACEMENT * 3} {REPLACEMENT * 3} {REPLACEMENT}" in text
    fonts = {str(f["/BaseFont"]) for page in PdfReader(str(res.path)).pages
             for f in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSansCondensed" in f for f in fonts), fonts  # embedded, not a core font


def test_printable_keeps_covered_text_and_replaces_the_rest() -> None:
    assert printable("Ñandú “x” — €") == "Ñandú “x” — €"
    assert printable("e\u0301") == "é"  # composed
    assert printable("中") == REPLACEMENT and printable("\x1b[2J") == REPLACEMENT + "[2J"
    assert printable("línea 1\nlínea 2\tfin") == "línea 1\nlínea 2\tfin"
    assert ord("ñ") in covered() and ord("中") not in covered()


# ---- 2. the formula guard ------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "formula"), [
    ("+57 300 123 4567", False), ("-5", False), ("-2,5", False), ("+1 (555) 010-0000", False),
    ("3001234567", False), ("Empresa S.A.S.", False), ("+", False), ("-", False),
    ("=1+1", True), ("@SUM(A1)", True), ("+cmd|' /C calc'!A0", True), ("-2+3", True),
    ("- viñeta", True), ("+57 300 x", True), ("\t=1", True), ("\r=2+2", True),
    ("=HYPERLINK(\"http://evil\")", True),
])
def test_formula_guard_only_for_real_formulas(value: str, formula: bool) -> None:
    assert would_be_formula(value) is formula
    assert (sheet_cell(value) != value.replace("\r", "\u240d")) is formula


async def test_phones_stay_as_typed_and_formulas_stay_text(pool: Any, login_as: Any,
                                                           demo_url: str,
                                                           tmp_path: Path) -> None:
    store(demo_url, "SOL-2026-001", {"nombreEmpresa": "+57 300 123 4567",
                                     "municipio": "=HYPERLINK(\"http://evil\")",
                                     "departamento": "-5"})
    admin = (await login_as("admin")).actor
    res = await exports.export_list(pool, admin, Filtros(), "csv", tmp_path / "l.csv",
                                    csv_dialect="excel-es")
    with res.path.open(encoding="utf-8-sig", newline="") as f:
        rows = {r[0]: r for r in csv.reader(f, delimiter=";")}
    sol = rows["SOL-2026-001"]
    assert (sol[10], sol[12], sol[13]) == ("+57 300 123 4567", "'=HYPERLINK(\"http://evil\")",
                                           "-5")
    res = await exports.export_list(pool, admin, Filtros(), "xlsx", tmp_path / "l.xlsx")
    ws = load_workbook(res.path)["Listado completo"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "SOL-2026-001")
    empresa, municipio, departamento = row[10], row[12], row[13]
    assert (empresa.value, empresa.quotePrefix) == ("+57 300 123 4567", False)
    assert (departamento.value, departamento.data_type) == ("-5", "s")
    # exactly as stored, as a text cell with Excel's quote prefix: shown, never run
    assert municipio.value == "=HYPERLINK(\"http://evil\")"
    assert municipio.data_type == "s" and municipio.quotePrefix


# ---- 3. CSV dialects -----------------------------------------------------------------------------
@pytest.mark.parametrize(("env", "dialect"), [
    ({}, "excel-es"), ({"LANG": "es_CO.UTF-8"}, "excel-es"), ({"LANG": "C.UTF-8"}, "excel-es"),
    ({"LANG": "en_US.UTF-8"}, "rfc4180"), ({"LC_ALL": "es_ES", "LANG": "en_US"}, "excel-es"),
    ({"LC_NUMERIC": "de_DE.UTF-8"}, "rfc4180"),
    ({"LANG": "en_US.UTF-8", "COMPLEMENTARIAS_CSV_DIALECT": "excel-es"}, "excel-es"),
    ({"COMPLEMENTARIAS_CSV_DIALECT": "rfc4180"}, "rfc4180"),
])
def test_default_csv_dialect(env: dict[str, str], dialect: str) -> None:
    assert xf.default_csv_dialect(env) == dialect


def test_csv_values_per_dialect() -> None:
    es, rfc = xf.CSV_DIALECTS["excel-es"], xf.CSV_DIALECTS["rfc4180"]
    assert xf.csv_value(2.5, es) == "2,5" and xf.csv_value(2.5, rfc) == "2.5"
    assert xf.csv_value(40, es) == 40 and xf.csv_value(4.0, es) == "4"
    assert xf.csv_value(dt.date(2026, 10, 1), es) == "01/10/2026"


async def test_list_csv_rfc4180_reads_back(pool: Any, login_as: Any, tmp_path: Path) -> None:
    admin = (await login_as("admin")).actor
    res = await exports.export_list(pool, admin, Filtros(), "csv", tmp_path / "l.csv",
                                    csv_dialect="rfc4180")
    raw = res.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with res.path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 8 and all(r["Aprendices"].isdigit() for r in rows)
    with pytest.raises(exports.ServiceError, match="Dialecto CSV"):
        await exports.export_list(pool, admin, Filtros(), "csv", tmp_path / "x.csv",
                                  csv_dialect="tsv")


# ---- 4. output paths -----------------------------------------------------------------------------
def test_output_paths(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    r = exports.resolve_target
    assert r(None, "pdf", "SOL-1.pdf") == tmp_path / "SOL-1.pdf"
    assert r(tmp_path, "xlsx", "lista.xlsx") == tmp_path / "lista.xlsx"  # a folder
    assert r(str(tmp_path) + "/", "csv", "l.csv") == tmp_path / "l.csv"
    assert r("informe", "pdf", "x.pdf") == tmp_path / "informe.pdf"
    assert r("informe.v2", "pdf", "x.pdf") == tmp_path / "informe.v2.pdf"
    with pytest.raises(exports.ServiceError, match=r"x\.csv tiene la extensión \.csv, pero el "
                                                    r"formato es xlsx\. Use x\.xlsx"):
        r("x.csv", "xlsx", "d.xlsx")
    with pytest.raises(exports.ServiceError, match=r"la carpeta .*no-hay no existe"):
        r(tmp_path / "no-hay" / "a.pdf", "pdf", "d.pdf")
    with pytest.raises(exports.ServiceError, match=r"la carpeta .*no-hay no existe"):
        r(str(tmp_path / "no-hay") + "/", "pdf", "d.pdf")
    (tmp_path / "f.pdf").write_bytes(b"old")
    with pytest.raises(exports.TargetExists, match="ya existe; no se reemplazó"):
        r("f.pdf", "pdf", "d.pdf")
    with pytest.raises(exports.TargetExists):
        r(None, "pdf", "f.pdf")  # the default name too
    assert r("f.pdf", "pdf", "d.pdf", force=True) == tmp_path / "f.pdf"


def test_default_names_are_in_bogota_time() -> None:
    late = dt.datetime(2026, 12, 7, 3, 30, tzinfo=dt.UTC)  # 22:30 the day before
    assert exports.default_name("solicitudes", "csv", late) == \
        "solicitudes-20261206-2230.csv"


async def test_existing_file_is_kept_without_force(pool: Any, login_as: Any,
                                                   tmp_path: Path) -> None:
    juan = (await login_as("juan")).actor
    target = tmp_path / "SOL-2026-001.pdf"
    target.write_bytes(b"old")
    with pytest.raises(exports.TargetExists):
        await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path)
    assert target.read_bytes() == b"old"
    res = await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path,
                                         force=True)
    assert res.path == target and target.read_bytes().startswith(b"%PDF")
    lista = tmp_path / "l.xlsx"
    lista.write_bytes(b"old")
    with pytest.raises(exports.TargetExists):
        await exports.export_list(pool, juan, None, "xlsx", lista)
    assert lista.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == [
        "SOL-2026-001.pdf", "l.xlsx"]


# ---- 5. Spanish formatting -----------------------------------------------------------------------
def test_spanish_numbers_and_plurals() -> None:
    assert xf.numero(1234) == "1.234" and xf.numero(1234567.5) == "1.234.567,5"
    assert xf.numero(4.0) == "4" and xf.numero(2.25) == "2,25" and xf.numero(44.44, 1) == "44,4"
    assert xf.porcentaje(100) == "100,0 %"
    assert xf.plural(1, "horario") == "1 horario" and xf.plural(2, "horario") == "2 horarios"
    assert xf.plural(0, "horario") == "0 horarios"
    assert xf.plural(1, "solicitud exportada", "solicitudes exportadas") == \
        "1 solicitud exportada"
    assert xf.plural(1500, "solicitud", "solicitudes") == "1.500 solicitudes"


def test_dates_in_bogota() -> None:
    instant = dt.datetime(2026, 10, 2, 3, 0)  # UTC: 22:00 of October 1st in Bogotá
    assert xf.local_date(instant, instant=True) == dt.date(2026, 10, 1)
    assert xf.local_date(dt.datetime(2026, 10, 2), instant=False) == dt.date(2026, 10, 2)


async def test_ficha_labels_plurals_and_drafts(pool: Any, login_as: Any,
                                               tmp_path: Path) -> None:
    carlos = (await login_as("carlos")).actor
    draft = await _long_draft(pool, carlos)
    res = await exports.export_solicitud(pool, carlos, draft.codigo, "pdf", tmp_path / "b.pdf")
    text = pdf_text(res.path)
    assert "Estado Borrador" in text and "Fecha de solicitud —" in text  # a draft: not sent
    assert "60 horarios · 240 h programadas de" in text
    await transitions.submit(pool, carlos, draft.id)
    res = await exports.export_solicitud(pool, carlos, draft.codigo, "xlsx",
                                         tmp_path / "p.xlsx")
    wb = load_workbook(res.path)
    acciones = [r[2] for r in wb["Historial"].iter_rows(values_only=True) if r[2]]
    assert "Enviada (Borrador → Pendiente)" in acciones, acciones
    res = await exports.export_solicitud(pool, carlos, "SOL-2026-001", "pdf",
                                         tmp_path / "one.pdf")
    text = pdf_text(res.path)
    assert "Modalidad Presencial" in text and "PRESENCIAL" not in text


async def test_list_pdf_names_the_filtered_centro(pool: Any, login_as: Any,
                                                  tmp_path: Path) -> None:
    admin = (await login_as("admin")).actor
    res = await exports.export_list(pool, admin, None, "pdf", tmp_path / "todos.pdf")
    assert "Todos los centros" in pdf_text(res.path)
    centro = await exports.centro_id_for(pool, admin, "CIDM")
    res = await exports.export_list(pool, admin, Filtros(centro_id=centro), "pdf",
                                    tmp_path / "cidm.pdf")
    text = pdf_text(res.path)
    assert "Todos los centros" not in text and "Centro CIDM - " in text
    assert "centro CIDM" in text  # the filters line names it by code, not by id
    assert "Solicitudes 2" in text and "100,0 %" in text


def test_text_is_composed_for_the_pdf() -> None:
    assert unicodedata.is_normalized("NFC", printable("Cafe\u0301 n\u0303"))


async def test_an_empty_list_still_opens_with_its_layout(pool: Any, login_as: Any,
                                                         tmp_path: Path) -> None:
    admin = (await login_as("admin")).actor
    nada = Filtros(texto="no hay ninguna así")
    res = await exports.export_list(pool, admin, nada, "xlsx", tmp_path / "v.xlsx")
    assert res.rows == 0
    wb = load_workbook(res.path)
    ws = wb["Listado completo"]
    assert [c.value for c in ws[1]][:2] == ["Código", "Estado"] and ws.max_row == 1
    assert ws.auto_filter.ref == "A1:U1" and ws.freeze_panes == "A2"
    res = await exports.export_list(pool, admin, nada, "pdf", tmp_path / "v.pdf")
    text = pdf_text(res.path)
    assert "Solicitudes 0" in text and "Total 0 0,0 %" in text
