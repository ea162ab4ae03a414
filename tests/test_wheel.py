"""The project installs as a wheel (`pip install .`, `pipx install .`): the wheel carries the
SQL and the demo data, and the installed command migrates a new data folder."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

# A module fixture is made once: the file runs on one test worker.
pytestmark = pytest.mark.xdist_group("test_wheel")

CHECKOUT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out),
                    str(CHECKOUT)], check=True, cwd=out, timeout=600)
    return next(out.glob("complementarias-*.whl"))


def test_the_wheel_carries_every_sql_file_and_the_seeds(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("sql", "seeds"):
        for path in (CHECKOUT / folder).rglob("*"):
            if path.is_file():
                assert f"tui/{path.relative_to(CHECKOUT)}" in names, path
    assert {"tui/fonts/DejaVuSansCondensed.ttf", "tui/fonts/LICENSE", "tui/shell/app.tcss"} <= names


def test_installed_wheel_runs_help_and_migrate(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv with only the wheel installed (its dependencies are read from this
    environment's site-packages through a plain path, so nothing is downloaded and this
    checkout's editable `tui` is not visible)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", str(wheel)], check=True, timeout=300)
    data = Path("/tmp") / f"cxw-{os.getpid()}"  # short: the socket path has a length limit
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env["COMPLEMENTARIAS_DATA_DIR"] = str(data)
    cmd = str(venv / "bin" / "complementarias")
    try:
        where = subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import tui; print(tui.__file__)"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, check=True)
        assert where.stdout.startswith(str(site)), where.stdout
        usage = subprocess.run([cmd, "--help"], cwd=tmp_path, env=env, capture_output=True,
                               text=True, timeout=120)
        assert usage.returncode == 0 and "migrate" in usage.stdout
        done = subprocess.run([cmd, "migrate"], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        listed = subprocess.run([cmd, "migrate", "--list"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=300)
        assert listed.returncode == 0 and "0001_baseline" in listed.stdout, listed.stdout
        assert "pendiente" not in listed.stdout.lower(), listed.stdout
    finally:
        subprocess.run([cmd, "db", "stop", "--force"], cwd=tmp_path, env=env,
                       capture_output=True, timeout=120)
        subprocess.run(["rm", "-rf", str(data)], check=False)
