"""`complementarias export` output paths and CSV dialects, run as real processes: a folder
as --output, the extension checked against --format (exit 2), no overwrite without --force
(exit 2, the file kept), the CSV dialect options, and Spanish plurals in what it prints."""

from __future__ import annotations

import csv
from pathlib import Path

from pypdf import PdfReader

from .test_cli_user import cli

AS_JUAN = ("--as", "juan.martinez@sena.edu.co")


def test_output_folder_extension_and_force(demo_url: str, tmp_path: Path) -> None:
    res = cli(demo_url, "export", "solicitud", "sol-2026-001", "--format", "pdf", "--output",
              str(tmp_path), *AS_JUAN)
    ficha = tmp_path / "SOL-2026-001.pdf"
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"Ficha de SOL-2026-001 guardada en {ficha}"
    assert "SOL-2026-001" in PdfReader(str(ficha)).pages[0].extract_text()
    before = ficha.read_bytes()
    # the same again: refused, the file kept
    res = cli(demo_url, "export", "solicitud", "SOL-2026-001", "--format", "pdf", "--output",
              str(tmp_path), *AS_JUAN)
    assert res.returncode == 2
    assert f"{ficha} ya existe; no se reemplazó. Use --force para reemplazarlo." in res.stderr
    assert ficha.read_bytes() == before
    res = cli(demo_url, "export", "solicitud", "SOL-2026-001", "--format", "pdf", "--output",
              str(tmp_path), "--force", *AS_JUAN)
    assert res.returncode == 0, res.stderr
    # a ficha PDF to f.xlsx is an error, not f.xlsx.pdf
    res = cli(demo_url, "export", "solicitud", "SOL-2026-001", "--format", "pdf", "--output",
              str(tmp_path / "f.xlsx"), *AS_JUAN)
    assert res.returncode == 2
    assert "f.xlsx tiene la extensión .xlsx, pero el formato es pdf. Use f.pdf" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SOL-2026-001.pdf"]


def test_lista_csv_dialects_and_default_name(demo_url: str, tmp_path: Path) -> None:
    res = cli(demo_url, "export", "lista", "--format", "csv", "--output", str(tmp_path),
              "--csv-dialect", "excel-es", *AS_JUAN)
    assert res.returncode == 0, res.stderr
    (made,) = tmp_path.iterdir()
    assert made.name.startswith("solicitudes-") and made.suffix == ".csv"
    assert res.stdout.strip() == f"5 solicitudes exportadas a {made}"
    with made.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) == 6 and rows[0][:2] == ["Código", "Estado"]
    out = tmp_path / "rfc.csv"
    res = cli(demo_url, "export", "lista", "--format", "csv", "--output", str(out),
              "--csv-dialect", "rfc4180", "--estado", "PENDIENTE", *AS_JUAN)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"1 solicitud exportada a {out}"
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 2 and rows[1][0] == "SOL-2026-002"
    res = cli(demo_url, "export", "lista", "--format", "csv", "--csv-dialect", "tsv", *AS_JUAN)
    assert res.returncode == 2 and "--csv-dialect" in res.stderr


def test_lista_orden_oldest_first_and_unknown_refused(demo_url: str, tmp_path: Path) -> None:
    codes = {}
    for orden in ("recientes", "antiguas"):
        out = tmp_path / f"{orden}.csv"
        res = cli(demo_url, "export", "lista", "--format", "csv", "--output", str(out),
                  "--orden", orden, *AS_JUAN)
        assert res.returncode == 0, res.stderr
        with out.open(encoding="utf-8-sig", newline="") as f:
            codes[orden] = [r[0] for r in list(csv.reader(f, delimiter=";"))[1:]]
    assert len(codes["antiguas"]) == 5
    assert codes["antiguas"] == codes["recientes"][::-1]
    res = cli(demo_url, "export", "lista", "--format", "csv", "--orden", "estado", *AS_JUAN)
    assert res.returncode == 2 and "--orden" in res.stderr and "antiguas" in res.stderr
