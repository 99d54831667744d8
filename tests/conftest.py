"""Shared test fixtures.

The real ICE sheets live outside the repository (../shared/data/ice); tests that need them take the
``shared_ice`` fixture. Under CI (CI=true) a missing folder is a failure, never a skip.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Tests are grouped in folders by the layer they test; the shared helpers (sheetfactory,
# pages_fixture, appfixtures, browser_support) stay here, importable from every folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _shared_ice_dir() -> Path:
    raw = os.environ.get("MAPCORE_SHARED_ICE")
    return Path(raw) if raw else (REPO.parent / "shared" / "data" / "ice").resolve()


@pytest.fixture(scope="session")
def shared_ice() -> Path:
    path = _shared_ice_dir()
    if not (path / "MANIFEST.csv").is_file():
        message = f"shared ICE sheets not found at {path} (set MAPCORE_SHARED_ICE)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def shared_dataset(shared_ice: Path, tmp_path_factory):
    """The dataset built once per test session from all shared ICE sheets (a cold build)."""
    from mapcore.ingest import dataset as ds

    dataset, built_now = ds.build(shared_ice, cache=tmp_path_factory.mktemp("shared-cache"))
    assert built_now
    return dataset
