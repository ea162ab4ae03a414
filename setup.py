"""Wheel builds carry `sql/` and `seeds/` inside the package (as `tui/sql`, `tui/seeds`).

In a checkout the folders stay at the top level, where `tui/paths.py` finds them first; an
editable install reads them there. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("sql", "seeds")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in SHIPPED:
            shutil.copytree(HERE / name, Path(self.build_lib) / "tui" / name,
                            dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithData})
