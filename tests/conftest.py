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
    from mapcore.build import pipeline

    dataset, built_now = pipeline.build(shared_ice, cache=tmp_path_factory.mktemp("shared-cache"))
    assert built_now
    return dataset


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """AppTest runs a page's script in the test's own thread, and a page sets the reader's language
    there: put English back after every test, so no test depends on the one before it."""
    yield
    from mapcore.core import i18n

    i18n.set_language(None)


PAGES_TODAY = "2025-08-05"   # "today" for the page tests: four days after the fixture's newest sheet (2025-08-01)


@pytest.fixture(scope="session")
def page_sheets(tmp_path_factory) -> Path:
    """The fixture sheets of tests/pages_fixture.py, written once per session (pages only read them)."""
    from pages_fixture import build_folder

    return build_folder(tmp_path_factory.mktemp("pages") / "sheets")


@pytest.fixture
def run_page(page_sheets, tmp_path, monkeypatch):
    """A factory of AppTests: ``run_page("pages/2_State.py", state="TX")`` runs a script of the app with the
    fixture sheets as the source, a fresh cache and the given URL parameters."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MAPCORE_SOURCE", str(page_sheets))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", PAGES_TODAY)   # days after the newest fixture sheet: the data is not stale
    st.cache_resource.clear()
    st.cache_data.clear()

    def make(script: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(REPO / script), default_timeout=90)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    yield make
    st.cache_resource.clear()
    st.cache_data.clear()
