"""Exports and imports leave an audit entry: who, what, which file, how many rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.services import audit, exports, imports
from tui.services.solicitudes import Filtros

FIXTURES = Path(__file__).parent / "fixtures"


async def entries(pool: Any, admin: Any, action: str) -> list[audit.AuditEntry]:
    return list((await audit.search(pool, admin, action=action)).rows)


async def test_exports_and_imports_are_audited(pool: Any, login_as: Any,
                                               tmp_path: Path) -> None:
    admin = (await login_as("admin")).actor
    juan = (await login_as("juan")).actor
    assert await entries(pool, admin, "export") == []

    await exports.export_solicitud(pool, juan, "SOL-2026-001", "pdf", tmp_path / "f.pdf")
    res = await exports.export_list(pool, juan, Filtros(estado="PENDIENTE"), "csv",
                                    tmp_path / "l.csv")
    got = await entries(pool, admin, "export")
    assert [(e.actor_email, e.target) for e in got] == [
        ("juan.martinez@sena.edu.co", "lista"), ("juan.martinez@sena.edu.co", "SOL-2026-001")]
    assert got[0].detail["filas"] == res.rows and got[0].detail["formato"] == "csv"
    assert got[1].detail == {"formato": "pdf", "archivo": "f.pdf", "filas": 1}

    report = await imports.run_import(pool, juan, FIXTURES / "instructores.csv")
    created = sum(1 for r in report.rows if r.password)
    (entry,) = await entries(pool, admin, "import")
    assert entry.actor_email == "juan.martinez@sena.edu.co" and entry.target == "CGAO"
    assert entry.detail["archivo"] == "instructores.csv"
    assert entry.detail["creados"] == created > 0
    # the temporary passwords never reach the audit trail
    assert not any(r.password in str(entry.detail) for r in report.rows if r.password)
