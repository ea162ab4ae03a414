"""Golden files: one export per format, read back with a real reader and compared with a small
file kept in tests/fixtures/golden/ (the demo data and a fixed «generado» time make them
deterministic).

- ficha-SOL-2026-001.pdf.txt: the text pypdf extracts from the first page of the ficha PDF;
- lista-carlos.csv: the bytes of a list CSV in the excel-es dialect (BOM, «;», CRLF);
- lista-carlos.xlsx.json: every cell of the list XLSX's «Listado completo» sheet (value,
  type, number format) and its layout (frozen pane, filter, widths, print setup).

After an intended change, regenerate with `UPDATE_GOLDEN=1 pytest tests/test_export_golden.py`
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tui.services import exports

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
NOW = dt.datetime(2026, 12, 6, 15, 30)  # UTC: «6 de diciembre de 2026, 10:30» in Bogotá


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch: Any) -> None:
    monkeypatch.setattr(exports, "utcnow", lambda: NOW)


def same_as_golden(name: str, content: str | bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    expected = path.read_bytes()
    got = content if isinstance(content, bytes) else content.encode()
    assert got == expected, f"{name} differs from its golden file; see the module docstring"


async def test_ficha_pdf_golden(pool: Any, login_as: Any, tmp_path: Path) -> None:
    juan = (await login_as("juan")).actor
    res = await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path)
    reader = PdfReader(str(res.path))
    assert reader.metadata is not None and reader.metadata.title == \
        "FICHA DE CARACTERIZACIÓN Solicitud SOL-2026-001 · F11-3030-003/03-06 · versión 1"
    same_as_golden("ficha-SOL-2026-001.pdf.txt", reader.pages[0].extract_text() + "\n")


async def test_list_csv_golden(pool: Any, login_as: Any, tmp_path: Path) -> None:
    carlos = (await login_as("carlos")).actor
    res = await exports.export_list(pool, carlos, None, "csv", tmp_path / "l.csv",
                                    csv_dialect="excel-es")
    same_as_golden("lista-carlos.csv", res.path.read_bytes())


def _cell(c: Any) -> str:
    value = c.value.date().isoformat() if isinstance(c.value, dt.datetime) else c.value
    return f"{c.coordinate} {c.data_type} {c.number_format} {value!r}"


async def test_list_xlsx_golden(pool: Any, login_as: Any, tmp_path: Path) -> None:
    carlos = (await login_as("carlos")).actor
    res = await exports.export_list(pool, carlos, None, "xlsx", tmp_path / "l.xlsx")
    ws = load_workbook(res.path)["Listado completo"]
    dump = {
        "freeze_panes": ws.freeze_panes, "auto_filter": ws.auto_filter.ref,
        "print_title_rows": ws.print_title_rows,
        "orientation": ws.page_setup.orientation, "fit_to_width": ws.page_setup.fitToWidth,
        "fit_to_height": ws.page_setup.fitToHeight,
        "widths": {k: v.width for k, v in sorted(ws.column_dimensions.items())},
        "cells": [_cell(c) for row in ws.iter_rows() for c in row if c.value is not None],
    }
    same_as_golden("lista-carlos.xlsx.json",
                   json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
