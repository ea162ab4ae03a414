"""Reading an instructor file (CSV or XLSX) into rows of text, with clear Spanish errors for
files that are missing, too big, in another format or without the expected headers.

Files as SENA's offices save them are read: headers in any case, with accents, spaces or
other words for the same column («Correo electrónico», «CORREO», «Número de documento»);
title rows above the header (merged cells in an XLSX, or a title line in a CSV): the header
is the first of the first 20 rows that names the required columns; CSVs separated by «,», «;»
(Excel in Spanish) or tab."""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from pathlib import Path
from typing import Any

from tui.services.common import ServiceError

COLUMNS = ("nombres", "apellidos", "cedula", "email", "telefono", "especialidad")
REQUIRED = ("nombres", "apellidos", "cedula", "email")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SCAN = 20  # rows searched for the header (title rows above it are skipped)
SYNONYMS = {  # folded header (see _key) -> column
    "nombre": "nombres", "nombrescompletos": "nombres",
    "apellido": "apellidos",
    "cc": "cedula", "documento": "cedula", "numerodocumento": "cedula",
    "numerodedocumento": "cedula", "nodocumento": "cedula", "nrodocumento": "cedula",
    "documentodeidentidad": "cedula", "identificacion": "cedula",
    "numerodeidentificacion": "cedula", "cedulaciudadania": "cedula",
    "ceduladeciudadania": "cedula",
    "correo": "email", "correoelectronico": "email", "correoinstitucional": "email",
    "email": "email", "emailinstitucional": "email", "mail": "email",
    "telefono": "telefono", "celular": "telefono", "movil": "telefono",
    "telefonocelular": "telefono", "numerodecelular": "telefono",
    "numerodetelefono": "telefono", "telefonodecontacto": "telefono",
    "especialidad": "especialidad", "areadeespecialidad": "especialidad",
}


class ImportError_(ServiceError):
    title = "No se pudo leer el archivo"


def _key(header: Any) -> str:
    """A header folded for matching: no accents, no case, letters and digits only, then
    mapped to its column («Correo electrónico» and «CORREO» -> email)."""
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    folded = "".join(ch for ch in text.lower() if ch.isalnum())
    return SYNONYMS.get(folded, folded)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a cédula typed as a number in Excel
    return str(value).strip()


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _header_row(raw: list[list[Any]]) -> int | None:
    """The index of the header: the first of the first HEADER_SCAN rows naming every
    required column."""
    for i, row in enumerate(raw[:HEADER_SCAN]):
        if set(REQUIRED) <= {_key(h) for h in row}:
            return i
    return None


def _delimiter(text: str) -> str:
    """The delimiter of the header line: the first of the first lines that, split by `,`
    `;` or tab, names the required columns (the headers hold no separator); else the one
    that appears most in the first line (Excel in Spanish saves with `;`)."""
    lines = text.splitlines()[:HEADER_SCAN]
    for line in lines:
        for d in (";", ",", "\t"):
            if set(REQUIRED) <= {_key(h.strip().strip('"')) for h in line.split(d)}:
                return d
    header = lines[0] if lines else ""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_rows(data: bytes) -> list[list[str]]:
    """Rows of a CSV as spreadsheets write it: double quotes around cells that need them,
    doubled quotes inside, any line ending (CRLF, LF, or CR from old Mac Excel). Never
    guessed from the cells: an apostrophe or a quote in a name is read as written."""
    if b"\x00" in data[:4096]:
        raise ImportError_("Archivo: no es un CSV de texto ni un XLSX. Guárdelo como .csv "
                           "(UTF-8) o .xlsx.")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text),
                        quotechar='"', doublequote=True, skipinitialspace=False)
    try:
        return [row for row in reader]
    except csv.Error as exc:
        too_long = "field larger" in str(exc)
        raise ImportError_(
            f"Archivo: la fila {reader.line_num} no se pudo leer: "
            + ("una celda pasa de 131 072 caracteres." if too_long else
               "tiene comillas sin cerrar o un salto de línea dentro de una celda sin "
               "comillas.")) from exc


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    damaged = "Archivo: el XLSX está dañado o no es un libro de Excel válido."
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportError_(damaged) from exc
    try:
        ws = wb.worksheets[0]
        out = []
        for row in ws.iter_rows(values_only=True):
            out.append(list(row))
            if len(out) > MAX_ROWS + 1:
                break
        return out
    except Exception as exc:
        raise ImportError_(damaged) from exc
    finally:
        wb.close()


def read_table(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: text}) for every non-empty data row; clear Spanish errors for a
    missing, too big, wrongly formatted or header-less file."""
    p = Path(path).expanduser()
    if not str(path).strip():
        raise ImportError_("Archivo: escriba la ruta del archivo CSV o XLSX.")
    if not p.is_file():
        raise ImportError_(f"Archivo: {p} no existe o no es un archivo.")
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise ImportError_(f"Archivo: pesa {size / 1048576:.1f} MB; el máximo es "
                           f"{MAX_BYTES // 1048576} MB ({MAX_ROWS} filas).")
    data = p.read_bytes()
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportError_("Archivo: es un Excel antiguo (.xls). Guárdelo como .xlsx o .csv.")
    if data[:2] == b"PK" or p.suffix.lower() in (".xlsx", ".xlsm"):
        raw = _xlsx_rows(data)
    elif p.suffix.lower() in (".csv", ".txt", ""):
        raw = _csv_rows(data)
    else:
        raise ImportError_(f"Archivo: formato {p.suffix} no admitido; use .csv o .xlsx.")
    if not raw:
        raise ImportError_("Archivo: está vacío; la primera fila debe tener los encabezados "
                           + ", ".join(COLUMNS) + ".")
    head = _header_row(raw)
    if head is None:
        present = {_key(h) for h in raw[0]}
        missing = [c for c in REQUIRED if c not in present]
        raise ImportError_("Archivo: faltan las columnas " + ", ".join(missing)
                           + ". La fila de encabezados (la primera, o la primera bajo los "
                           "títulos) debe tener " + ", ".join(COLUMNS)
                           + " (en cualquier orden).")
    keys = [_key(h) for h in raw[head]]
    index = {c: keys.index(c) for c in COLUMNS if c in keys}
    out = []
    for n, row in enumerate(raw[head + 1:], start=head + 2):
        values = {c: _cell(row[i]) if i < len(row) else "" for c, i in index.items()}
        if any(values.values()):
            out.append((n, values))
    if len(out) > MAX_ROWS:
        raise ImportError_(f"Archivo: tiene más de {MAX_ROWS} filas; divídalo en partes.")
    return out


