"""Instructor files as SENA offices save them: cédulas with dots or spaces, headers with
accents, other words and any case («Correo electrónico», «CORREO», «Número de documento»),
«;» CSVs with a title line, XLSX with merged title rows above the header; each refused row
says why and what was read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from tui.services import exports, import_files, imports

HEADER = ("Nombres", "Apellidos", "Número de documento", "Correo electrónico", "Celular",
          "Especialidad")


def spanish_csv(path: Path) -> Path:
    path.write_text(
        "Listado de instructores a vincular - CGAO 2026;;;;;\n"
        ";;;;;\n"
        + ";".join(HEADER) + "\n"
        "Elena;Rojas;1.012.345.101;elena.rojas@sena.edu.co;300 111 2233;Soldadura\n"
        "Mario;Vélez;1 012 345 102;Mario.Velez@MISENA.edu.co;;Cocina\n"
        "Nora;Díaz;12.AB;nora.diaz@sena.edu.co;;\n"
        "Olga;Paz;1012345104;olga.paz@gmail.com;;\n",
        encoding="cp1252")
    return path


def merged_xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "SERVICIO NACIONAL DE APRENDIZAJE - SENA"
    ws.merge_cells("A1:F1")
    ws["A2"] = "Instructores a vincular · Regional Santander"
    ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["NOMBRES", "APELLIDOS", "CÉDULA", "CORREO", "TELÉFONO", "ESPECIALIDAD"])
    ws.append(["Elena", "Rojas", 1012345101, "elena.rojas@sena.edu.co", "3001112233", ""])
    ws.append(["Mario", "Vélez", "1.012.345.102", "mario.velez@sena.edu.co", None, "Cocina"])
    ws.append(["Nora", "", "1.012.345.103", "nora.diaz@sena.edu.co", None, None])
    wb.save(path)
    return path


def test_csv_with_semicolons_title_line_and_dotted_cedulas(tmp_path: Path) -> None:
    table = import_files.read_table(spanish_csv(tmp_path / "lista.csv"))
    assert [line for line, _v in table] == [4, 5, 6, 7]  # the file's own line numbers
    first = table[0][1]
    assert first["cedula"] == "1.012.345.101" and first["email"] == "elena.rojas@sena.edu.co"
    assert first["telefono"] == "300 111 2233"
    rows = [imports._check(line, v) for line, v in table]
    assert [r.estado for r in rows] == ["crear", "crear", "error", "error"]
    assert rows[0].cedula == "1012345101" and rows[1].cedula == "1012345102"
    assert rows[1].email == "mario.velez@misena.edu.co"
    assert rows[2].motivo == ("Cédula: debe tener solo dígitos, entre 5 y 15. "
                              "Se leyó «12.AB».")
    assert rows[3].motivo.startswith("Correo electrónico: debe ser una dirección "
                                     "institucional") and "Se leyó «olga.paz@gmail.com»." \
        in rows[3].motivo


def test_xlsx_with_merged_title_rows(tmp_path: Path) -> None:
    table = import_files.read_table(merged_xlsx(tmp_path / "lista.xlsx"))
    assert [line for line, _v in table] == [5, 6, 7]  # the sheet's row numbers
    rows = [imports._check(line, v) for line, v in table]
    assert [(r.linea, r.estado, r.cedula) for r in rows[:2]] == [
        (5, "crear", "1012345101"), (6, "crear", "1012345102")]
    assert rows[2].estado == "error" and rows[2].motivo == "Apellidos: es obligatorio."


@pytest.mark.parametrize("header", ["Correo electrónico", "CORREO", "correo_electronico",
                                    "E-mail", " Email ", "Correo Institucional"])
def test_email_header_variants(tmp_path: Path, header: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"Nombre,Apellido,Cédula,{header}\nAna,Paz,1012345105,ana.paz@sena.edu.co\n",
                    encoding="utf-8")
    assert import_files.read_table(path) == [(2, {
        "nombres": "Ana", "apellidos": "Paz", "cedula": "1012345105",
        "email": "ana.paz@sena.edu.co"})]


@pytest.mark.parametrize(("text", "digits"), [
    ("1.098.765.432", "1098765432"), ("1 098 765 432", "1098765432"),
    ("1\u00a0098\u00a0765", "1098765"), ("1098765432", "1098765432"),
    ("12.AB", "12.AB"), ("1-098", "1-098"), ("", ""),
])
def test_cedula_digits(text: str, digits: str) -> None:
    assert imports.cedula_digits(text) == digits


def test_header_missing_says_which(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Título\nNombres;Correo\nAna;ana@sena.edu.co\n", encoding="utf-8")
    with pytest.raises(imports.ImportError_, match="faltan las columnas nombres, apellidos, "
                                                   "cedula, email"):
        import_files.read_table(path)


async def test_dry_run_of_a_sena_file(pool: Any, login_as: Any, tmp_path: Path) -> None:
    juan = (await login_as("juan")).actor
    report = await imports.dry_run(pool, juan, merged_xlsx(tmp_path / "l.xlsx"))
    assert [(r.linea, r.estado) for r in report.rows] == [(5, "crear"), (6, "crear"),
                                                          (7, "error")]
    assert report.summary() == "3 filas: 2 se crearán, 0 duplicados, 1 con errores · " \
        "centro CGAO"
    created = await imports.run_import(pool, juan, merged_xlsx(tmp_path / "l.xlsx"))
    assert {r.cedula for r in created.created} == {"1012345101", "1012345102"}
    claves = tmp_path / "claves.csv"
    claves.write_text("old")
    with pytest.raises(exports.TargetExists):  # never replaced silently
        imports.write_passwords(created, claves)
    assert claves.read_text() == "old"
    saved = imports.write_passwords(created, tmp_path, force=True)  # a folder: default name
    assert saved.parent == tmp_path and saved.name.startswith("contrasenas-")
    assert oct(saved.stat().st_mode & 0o777) == "0o600"
    assert imports.write_passwords(created, claves, force=True) == claves
    assert oct(claves.stat().st_mode & 0o777) == "0o600" and "elena.rojas" in \
        claves.read_text(encoding="utf-8-sig")
    again = await imports.dry_run(pool, juan, spanish_csv(tmp_path / "l.csv"))
    assert [r.estado for r in again.rows] == ["duplicado", "duplicado", "error", "error"]
    assert "la cédula 1012345101 ya está registrada" in again.rows[0].motivo
