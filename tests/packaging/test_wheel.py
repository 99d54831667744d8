"""The package installs with its data. A wheel built from a fresh copy of the repository,
installed into a new venv, answers `mapcore stats --json` from another folder on the bundled snapshot, and
draws boundaries from its own geo/ (a GeoJSON export).

Offline and light: the wheel is built with this environment's setuptools (no build isolation, no index),
installed without dependencies, and the new venv borrows this environment's installed libraries through
a .pth line (a folder added that way is not a site folder: its own .pth files, this checkout's editable
install among them, are not read). So the wheel alone provides mapcore, data/ and geo/.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from fresh_copy import fresh_copy

from mapcore.sheets import snapshot as snapshots

pytestmark = pytest.mark.wheel
NOWHERE = "http://127.0.0.1:9/"


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    out = subprocess.run(command, capture_output=True, text=True, timeout=600, **kwargs)
    assert out.returncode == 0, f"{' '.join(command)} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new venv with the wheel installed; returns its bin/ folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = fresh_copy(root / "source")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(root / "dist"),
            str(source),
        ]
    )
    (wheel,) = (root / "dist").glob("mapcore-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "mapcore/_bundled/data/state_laws.csv",
        "mapcore/_bundled/data/ice_snapshot/snapshot.json",
        "mapcore/_bundled/geo/counties.parquet",
        "mapcore/_bundled/geo/national_web_layers.json",
        "mapcore/render/web/vendor/leaflet-1.9.4/leaflet.js",
    ):
        assert needed in names, f"the wheel lacks {needed}"
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)])
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "zz_borrowed_libraries.pth").write_text("".join(f"{p}\n" for p in sorted(ours) if Path(p).is_dir()))
    return venv / "bin"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPCORE_") and k != "PYTHONPATH"}
    return {**env, "MAPCORE_CACHE": str(tmp / "cache"), "MAPCORE_SOURCE": NOWHERE}


def test_the_installed_package_answers_stats_from_its_bundled_snapshot(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _env(tmp_path)
    where = _run(
        [str(installed / "python"), "-c", "import mapcore.core.config as c; print(c.DATA_DIR); print(c.GEO_DIR)"], cwd=elsewhere, env=env
    ).stdout.split()
    venv = installed.parent
    assert all(Path(p).is_relative_to(venv) and Path(p).is_dir() for p in where), f"data and geo from the wheel: {where}"
    out = _run([str(installed / "mapcore"), "stats", "--json"], cwd=elsewhere, env=env)
    figures = json.loads(out.stdout)
    info = snapshots.read_info(Path(where[0]) / "ice_snapshot")
    assert figures["publication_date"] == info["newest_publication"] and figures["agreements"] > 0
    assert out.stderr.strip().endswith(f"showing the bundled snapshot of ICE's sheets up to {info['newest_publication']}")
    assert not (elsewhere / ".cache").exists() and (tmp_path / "cache").is_dir()


def test_the_installed_package_draws_its_own_boundaries(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _run(
        [str(installed / "mapcore"), "export", "--state", "TX", "--format", "geojson", "-o", "tx.geojson"],
        cwd=elsewhere,
        env=_env(tmp_path),
    )
    features = json.loads((elsewhere / "tx.geojson").read_text())["features"]
    assert features and any(f["geometry"] for f in features)
