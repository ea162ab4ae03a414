"""`complementarias user create|list` and `remind`, run as real processes on real databases."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tui.db.pool import make_pool
from tui.services import auth

ROOT = Path(__file__).resolve().parent.parent


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DIRECT_URL", None)
    return subprocess.run([sys.executable, "-m", "tui.cli.main", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def temp_password(stdout: str) -> str:
    match = re.search(r"^Contraseña temporal: (\S+)$", stdout, re.M)
    assert match, stdout
    return match.group(1)


async def login(url: str, email: str, password: str) -> auth.Session:
    pool: Any = make_pool(url, min_size=1, max_size=2)
    await pool.open(wait=True)
    try:
        return await auth.login(pool, email, password)
    finally:
        await pool.close()


CREATE = ("user", "create", "--email", "Nuevo.Admin@SENA.edu.co", "--name", "Nuevo Admin",
          "--cedula", "80123456", "--role", "ADMIN")


async def test_user_create_on_demo_db_prints_password_once_and_it_works(demo_url: str) -> None:
    res = cli(demo_url, *CREATE, "--centro", "cidm", "--telefono", "3001234567")
    assert res.returncode == 0, res.stderr
    assert "Usuario creado: nuevo.admin@sena.edu.co (ADMIN, centro CIDM)." in res.stdout
    password = temp_password(res.stdout)
    assert res.stdout.count(password) == 1
    session = await login(demo_url, "nuevo.admin@sena.edu.co", password)
    assert session.must_change_password and session.actor.role == "ADMIN"
    again = cli(demo_url, *CREATE, "--centro", "CIDM")
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.startswith("Error: Correo electrónico: nuevo.admin@sena.edu.co ya está "
                                   "registrado")
    assert "Cédula: 80123456 ya está registrada" in again.stderr
    assert "Traceback" not in again.stderr


def test_user_create_errors(demo_url: str) -> None:
    res = cli(demo_url, *CREATE, "--centro", "XYZ")
    assert res.returncode == 1
    assert res.stderr.startswith("Error: Centro: no existe un centro con código 'XYZ'")
    assert "CCS, CGAO, CIDM" in res.stderr
    res = cli(demo_url, "user", "create", "--email", "x@gmail.com", "--name", "X", "--cedula",
              "1", "--role", "INSTRUCTOR", "--centro", "CGAO")
    assert res.returncode == 1 and "Correo electrónico:" in res.stderr and "Cédula:" in res.stderr
    res = cli(demo_url, "user", "create", "--email", "x@sena.edu.co")
    assert res.returncode == 2  # usage error: missing options
    res = cli(demo_url, "user")
    assert res.returncode == 2


async def test_bootstrap_first_admin_on_fresh_database(db_url: str) -> None:
    res = cli(db_url, *CREATE, "--centro", "CTPI")
    assert res.returncode == 1
    assert "aún no hay ningún centro" in res.stderr and "--centro-nombre" in res.stderr
    res = cli(db_url, *CREATE, "--centro", "ctpi", "--centro-nombre", "Centro de Teleinformática",
              "--ciudad", "Popayán", "--region", "Cauca")
    assert res.returncode == 0, res.stderr
    assert "(ADMIN, centro CTPI)" in res.stdout
    session = await login(db_url, "nuevo.admin@sena.edu.co", temp_password(res.stdout))
    assert session.must_change_password and session.actor.centro_nombre == \
        "Centro de Teleinformática"
    listed = cli(db_url, "user", "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["CORREO", "NOMBRE", "ROL", "CENTRO", "ACTIVO"]
    assert lines[1].split() == ["nuevo.admin@sena.edu.co", "Nuevo", "Admin", "ADMIN", "CTPI",
                                "sí"]
    assert lines[-1] == "1 usuario(s)."


def test_user_list_on_demo_db(demo_url: str) -> None:
    res = cli(demo_url, "user", "list")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert len(lines) == 1 + 8 + 1 and lines[-1] == "8 usuario(s)."
    assert any(line.startswith("admin@sena.edu.co") and "ADMIN" in line for line in lines)
    only = cli(demo_url, "user", "list", "--role", "COORDINADOR")
    assert only.stdout.splitlines()[-1] == "3 usuario(s)."


def test_remind_creates_reminders_once_a_day(demo_url: str) -> None:
    # Demo PENDIENTE solicitudes (SOL-2026-002/006/008) are in CGAO, CIDM and CCS.
    res = cli(demo_url, "remind", "--days", "0")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "Recordatorios creados: 3."
    assert cli(demo_url, "remind", "--days", "0").stdout.strip() == "Recordatorios creados: 0."
    assert cli(demo_url, "remind").returncode == 0
    bad = cli(demo_url, "remind", "--days", "-1")
    assert bad.returncode == 2 and bad.stderr.startswith("Error:")


def test_remind_far_threshold_creates_none(demo_url: str) -> None:
    res = cli(demo_url, "remind", "--days", "100000")
    assert (res.returncode, res.stdout.strip()) == (0, "Recordatorios creados: 0.")
