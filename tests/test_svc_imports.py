"""Instructor import from the fixtures in tests/fixtures/: per-row dry run (created, duplicate
in the database or within the file, error with reason), the import in one transaction (all or
nothing), temporary passwords that work once, scope, and clear messages for wrong files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tui.services import auth, import_files, imports
from tui.services.common import PermissionDenied, ServiceError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CSV = FIXTURES / "instructores.csv"
XLSX = FIXTURES / "instructores.xlsx"
EXPECTED_CSV = {  # line: (estado, words the reason must hold)
    2: ("crear", ""), 3: ("crear", ""),
    4: ("duplicado", "carlos.rodriguez@sena.edu.co ya está registrado"),
    5: ("duplicado", "la cédula 1098765432 ya está registrada"),
    6: ("duplicado", "el correo se repite (fila 2)"),
    7: ("duplicado", "la cédula se repite (fila 2)"),
    8: ("error", "Correo electrónico: debe ser una dirección institucional"),
    9: ("error", "Cédula: debe tener solo dígitos"),
    10: ("error", "Apellidos: es obligatorio"),
    12: ("error", "Teléfono: use solo dígitos"),
    13: ("crear", ""),
}


async def actor(login_as: Any, who: str) -> Any:
    return (await login_as(who)).actor


def check(report: imports.ImportReport, expected: dict[int, tuple[str, str]]) -> None:
    got = {r.linea: r for r in report.rows}
    assert sorted(got) == sorted(expected)
    for line, (estado, reason) in expected.items():
        assert got[line].estado == estado, (line, got[line])
        assert reason in got[line].motivo, (line, got[line].motivo)


async def test_dry_run_csv_lists_every_row_and_writes_nothing(pool: Any, login_as: Any) -> None:
    juan = await actor(login_as, "juan")
    report = await imports.dry_run(pool, juan, CSV)
    check(report, EXPECTED_CSV)  # line 11 is blank and skipped
    assert report.centro_codigo == "CGAO" and report.dry_run
    assert report.summary() == ("11 filas: 3 se crearán, 4 duplicados, 4 con errores · "
                                "centro CGAO")
    assert {r.email for r in report.rows if r.estado == "crear"} == {
        "pedro.gomez@sena.edu.co", "laura.diaz@misena.edu.co", "sofia.mora@sena.edu.co"}
    async with pool.connection() as conn:
        n = await (await conn.execute("SELECT count(*) AS n FROM users WHERE email LIKE "
                                      "'pedro.gomez%'")).fetchone()
    assert n["n"] == 0


async def test_import_xlsx_creates_in_one_transaction_with_working_passwords(
        pool: Any, login_as: Any, tmp_path: Path) -> None:
    admin = await actor(login_as, "admin")
    seen: list[tuple[int, int]] = []
    report = await imports.run_import(pool, admin, XLSX, "cidm",
                                      progress=lambda d, t: seen.append((d, t)))
    check(report, {2: ("crear", ""), 3: ("crear", ""),
                   4: ("duplicado", "el correo se repite (fila 2)"),
                   5: ("duplicado", "la cédula 1012345678 ya está registrada"),
                   6: ("error", "Correo electrónico"), 8: ("crear", "")})
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    created = report.created
    assert [r.linea for r in created] == [2, 3, 8] and not report.dry_run
    assert len({r.password for r in created}) == 3
    elena = created[0]
    assert elena.cedula == "1012345101" and elena.email == "elena.rojas@sena.edu.co"
    session = await auth.login(pool, elena.email, elena.password or "")
    assert session.must_change_password and session.actor.role == "INSTRUCTOR"
    assert session.actor.centro_codigo == "CIDM" and session.actor.name == "Elena Rojas"
    # the passwords file, for the coordinator, owner-only
    path = imports.write_passwords(report, tmp_path / "claves")
    assert path.name == "claves.csv" and oct(path.stat().st_mode & 0o777) == "0o600"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][-1] == "contrasena_temporal" and rows[1][2:] == [
        "elena.rojas@sena.edu.co", "1012345101", "CIDM", elena.password]
    # a second run finds them all registered
    again = await imports.dry_run(pool, admin, XLSX, "CIDM")
    assert again.count("crear") == 0


async def test_import_is_all_or_nothing(pool: Any, login_as: Any, demo_url: str,
                                        monkeypatch: Any) -> None:
    """Someone registers one of the file's emails between the check and the insert: no
    instructor of the file is created."""
    juan = await actor(login_as, "juan")
    real_hash = imports.hash_password

    async def hash_and_race(password: str) -> str:
        digest = await real_hash(password, cost=4)
        with psycopg.connect(demo_url, autocommit=True) as c:
            c.execute("""INSERT INTO users (id, email, password, name, cedula, role, "centroId",
                         "updatedAt") SELECT 'crace', 'sofia.mora@sena.edu.co', 'x', 'Otra',
                         '555555555', 'INSTRUCTOR', "centroId", now() FROM users
                         WHERE email = 'juan.martinez@sena.edu.co'
                         ON CONFLICT DO NOTHING""")
        return digest

    monkeypatch.setattr(imports, "hash_password", hash_and_race)
    with pytest.raises(ServiceError, match=r"Fila 13: .*No se creó ningún instructor"):
        await imports.run_import(pool, juan, CSV)
    async with pool.connection() as conn:
        n = await (await conn.execute(
            "SELECT count(*) AS n FROM users WHERE email IN ('pedro.gomez@sena.edu.co', "
            "'laura.diaz@misena.edu.co')")).fetchone()
    assert n["n"] == 0


async def test_scope_of_the_import(pool: Any, login_as: Any) -> None:
    carlos = await actor(login_as, "carlos")
    juan = await actor(login_as, "juan")
    admin = await actor(login_as, "admin")
    with pytest.raises(PermissionDenied, match="Solo coordinadores"):
        await imports.dry_run(pool, carlos, CSV)
    with pytest.raises(PermissionDenied, match="su propio centro"):
        await imports.dry_run(pool, juan, CSV, "CIDM")
    assert (await imports.dry_run(pool, juan, CSV, "cgao")).centro_codigo == "CGAO"
    with pytest.raises(ServiceError, match="elija el centro"):
        await imports.dry_run(pool, admin, CSV)
    with pytest.raises(ServiceError, match="no existe un centro activo"):
        await imports.dry_run(pool, admin, CSV, "XXX")


@pytest.mark.parametrize(("name", "message"), [
    ("instructores_antiguo.xls", "Excel antiguo (.xls)"),
    ("instructores_sin_columnas.csv", "faltan las columnas apellidos, cedula"),
    ("no-existe.csv", "no existe o no es un archivo"),
])
def test_wrong_files_get_clear_messages(name: str, message: str) -> None:
    with pytest.raises(imports.ImportError_, match=message.replace("(", r"\(")
                       .replace(")", r"\)").replace(".", r"\.")):
        imports.read_table(FIXTURES / name)


def test_size_and_format_limits(tmp_path: Path, monkeypatch: Any) -> None:
    pdf = tmp_path / "lista.pdf"
    pdf.write_bytes(b"%PDF-1.4 nothing")
    with pytest.raises(imports.ImportError_, match=r"formato \.pdf no admitido"):
        imports.read_table(pdf)
    big = tmp_path / "big.csv"
    big.write_text("nombres,apellidos,cedula,email\n" + "a,b,1234567,a@sena.edu.co\n" * 2001)
    with pytest.raises(imports.ImportError_, match="más de 2000 filas"):
        imports.read_table(big)
    monkeypatch.setattr(import_files, "MAX_BYTES", 100)
    with pytest.raises(imports.ImportError_, match="el máximo es"):
        imports.read_table(big)
    broken = tmp_path / "roto.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(imports.ImportError_, match="dañado"):
        imports.read_table(broken)
