"""`complementarias export solicitud|lista` and `import-instructores`, run as real processes."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from .test_cli_user import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_export_solicitud_pdf_and_scope(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "ficha.pdf"
    res = cli(demo_url, "export", "solicitud", "SOL-2026-001", "--format", "pdf", "--output",
              str(out), "--as", "Juan.Martinez@sena.edu.co")
    assert res.returncode == 0, res.stderr
    assert f"guardada en {out}" in res.stdout
    assert "FICHA DE CARACTERIZACI" in PdfReader(str(out)).pages[0].extract_text()
    res = cli(demo_url, "export", "solicitud", "SOL-2026-006", "--format", "xlsx", "--output",
              str(tmp_path / "otra.xlsx"), "--as", "carlos.rodriguez@sena.edu.co")
    assert res.returncode == 1 and "no tiene permiso para verla" in res.stderr
    assert not (tmp_path / "otra.xlsx").exists()
    res = cli(demo_url, "export", "solicitud", "SOL-2026-001", "--format", "pdf", "--as",
              "nadie@sena.edu.co")
    assert res.returncode == 1 and "no existe un usuario" in res.stderr


def test_export_lista_with_filters(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "lista.xlsx"
    res = cli(demo_url, "export", "lista", "--format", "xlsx", "--estado", "PENDIENTE",
              "--centro", "CIDM", "--desde", "2026-01-01", "--hasta", "2026-12-31",
              "--output", str(out), "--as", "admin@sena.edu.co")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"1 solicitud exportada a {out}"
    listado = list(load_workbook(out)["Listado completo"].iter_rows(values_only=True))
    assert [r[0] for r in listado[1:]] == ["SOL-2026-006"]
    res = cli(demo_url, "export", "lista", "--format", "csv", "--desde", "2026-13-01",
              "--output", str(tmp_path / "x.csv"), "--as", "admin@sena.edu.co")
    assert res.returncode == 2 and "AAAA-MM-DD" in res.stderr


def test_import_instructores_dry_run_then_import(demo_url: str, tmp_path: Path) -> None:
    csv_file = str(FIXTURES / "instructores.csv")
    res = cli(demo_url, "import-instructores", csv_file, "--dry-run", "--as",
              "juan.martinez@sena.edu.co")
    assert res.returncode == 0, res.stderr
    assert "Simulación (no se creó nada)" in res.stdout
    assert re.search(r"fila +6 +Duplicado .*el correo se repite \(fila 2\)", res.stdout)
    assert "11 filas: 3 se crearán, 4 duplicados, 4 con errores · centro CGAO" in res.stdout
    claves = tmp_path / "claves.csv"
    res = cli(demo_url, "import-instructores", csv_file, "--as", "juan.martinez@sena.edu.co",
              "--passwords", str(claves))
    assert res.returncode == 0, res.stderr
    assert len(re.findall(r"contraseña temporal: \S+", res.stdout)) == 3
    assert "3 creados" in res.stdout and claves.is_file()
    res = cli(demo_url, "import-instructores", csv_file, "--as", "admin@sena.edu.co")
    assert res.returncode == 1 and "elija el centro" in res.stderr
