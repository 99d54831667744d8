"""Only a build step pyproject.toml cannot say: the wheel carries ``data/`` and ``geo/``.

Both folders stay at the top of the repository (they are the project's data, read and edited there);
building the package copies them into ``mapcore/_bundled/``, where an installed ``mapcore`` finds them
(``mapcore.core.config.DATA_DIR`` / ``GEO_DIR``). An editable install reads the top-level folders
themselves, so nothing is copied for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("data", "geo")
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildWithData(build_py):
    """build_py, plus data/ and geo/ copied into the package (mapcore/_bundled/)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name in BUNDLED:
            source = ROOT / name
            if not source.is_dir():  # an sdist made without them (see MANIFEST.in)
                raise SystemExit(f"setup.py: {source} is missing; the package needs it")
            target = Path(self.build_lib) / "mapcore" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithData})
