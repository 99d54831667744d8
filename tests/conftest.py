"""Shared test fixtures and the rules of a parallel run (tests/README.md says how to use them).

The real ICE sheets live outside the repository (../shared/data/ice); tests that need them take the
``shared_ice`` fixture. Under CI (CI=true) a missing folder is a failure, never a skip.

Fixture data is made once per test session (per xdist worker) and only read by tests: the sheets of
tests/appfixtures.py (``app_sheets``) and of tests/pages_fixture.py (``page_sheets``), each with its
dataset built once into a template cache that every test gets a private copy of. A real Streamlit
server over each (``app_url``, ``pages_url``) is started once per worker and shared by its browser tests.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Tests are grouped in folders by the layer they test; the shared helpers (sheetfactory,
# pages_fixture, appfixtures, browser_support) stay here, importable from every folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Under xdist (`--dist loadfile --no-loadscope-reorder`) each test file runs on one worker, so its module
# fixtures are made once as in a serial run; files with heavy tests are handed out first, so no worker is left
# with a long tail. (`--dist loadgroup` would keep a whole xdist_group on one worker, but pytest 9.2's node ids
# no longer take the group suffix xdist 3.8 adds, so it silently splits groups.) Session fixtures are made once
# per worker; the one too costly for that (the cold build of the real sheets) is shared across workers on disk.
_HEAVY_MARKS = ("acceptance", "browser", "wheel", "slow")

# Hypothesis' per-example deadline measures the machine, not the code: on a shared, loaded machine (and with two
# workers) an example that takes 20 ms alone can take 400 ms. Speed is measured in `make bench`; here only truth.
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("mapcore", deadline=None)
    _hypothesis_settings.load_profile("mapcore")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def pytest_configure(config: pytest.Config) -> None:
    """Each xdist worker gets its own MAPCORE_CACHE (a subfolder of the one given), so two workers never
    build, prune or pin datasets in the same folder."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        base = Path(os.environ.get("MAPCORE_CACHE") or REPO / ".cache")
        os.environ["MAPCORE_CACHE"] = str(base / f"pytest-{worker}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files with heavy tests (browser, acceptance, wheel, slow) first, each file's tests in their order."""
    heavy = {_file(item) for item in items if any(item.get_closest_marker(m) for m in _HEAVY_MARKS)}
    items.sort(key=lambda item: _file(item) not in heavy)  # stable: collection order otherwise


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


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
    """The dataset built once per test session from all shared ICE sheets (a cold build). Under xdist the
    first worker to need it builds it into the run's common temporary folder while holding a lock; the
    others wait and load that same build."""
    import fcntl

    from mapcore.build import pipeline

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    root = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    with open(root / "shared-cache.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        first = not (root / "shared-cache").exists()
        dataset, built_now = pipeline.build(shared_ice, cache=root / "shared-cache")
    assert built_now == first  # cold for the first worker; the same build for every other one
    return dataset


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """AppTest runs a page's script in the test's own thread, and a page sets the reader's language
    there: put English back after every test, so no test depends on the one before it."""
    yield
    from mapcore.core import i18n

    i18n.set_language(None)


PAGES_TODAY = "2025-08-05"  # "today" for the page tests: four days after the fixture's newest sheet (2025-08-01)


@pytest.fixture(autouse=True, scope="module")
def _one_chromium_per_module():
    """Browser tests of a module share one Chromium (browser_support.browser_page opens a new context,
    which is as clean as a new browser); it is closed when the module is done, so no Playwright loop
    outlives the browser tests."""
    yield
    if "browser_support" in sys.modules:
        sys.modules["browser_support"].close_browser()


# ---- fixture sheets, made once per session -----------------------------------------------------


@pytest.fixture(scope="session")
def app_sheets(tmp_path_factory) -> Path:
    """The sheets of tests/appfixtures.py (two participating publications and a pending one: Home's and
    Explore's counts), written once per session; tests only read them."""
    from appfixtures import make_source

    return make_source(tmp_path_factory.mktemp("app") / "sheets")


@pytest.fixture(scope="session")
def page_sheets(tmp_path_factory) -> Path:
    """The fixture sheets of tests/pages_fixture.py, written once per session (pages only read them)."""
    from pages_fixture import build_folder

    return build_folder(tmp_path_factory.mktemp("pages") / "sheets")


@pytest.fixture(scope="session")
def built_cache(tmp_path_factory) -> Callable[[Path], Path]:
    """``built_cache(sheets)``: a cache folder holding the dataset of ``sheets`` (and what the app caches
    beside it: the FBI roster's table, the gazetteer), built once per session per folder. Never hand it
    to a test: copy it (:func:`fresh_cache`), since the app writes into its cache."""
    made: dict[Path, Path] = {}

    def build(sheets: Path) -> Path:
        if sheets not in made:
            from mapcore.build import pipeline
            from mapcore.reference.fbi_roster import roster_table

            cache = tmp_path_factory.mktemp("built-cache")
            pipeline.build(sheets, cache=cache, workers=1)
            roster_table(cache)
            made[sheets] = cache
        return made[sheets]

    return build


def fresh_cache(template: Path, target: Path) -> Path:
    """A private copy of a built cache (a few files: milliseconds, against a build's second)."""
    shutil.copytree(template, target, ignore=shutil.ignore_patterns(".lock"))
    return target


@pytest.fixture
def app_env(built_cache, tmp_path, monkeypatch) -> Callable[[Path], Path]:
    """``app_env(sheets)`` points the app at a folder of sheets (MAPCORE_SOURCE) and at a private copy of
    its built cache (MAPCORE_CACHE), with Streamlit's caches cleared before and after the test; returns
    the cache folder. A test that writes sheets of its own passes their folder: it is built once too."""
    import streamlit as st

    used = []

    def use(sheets: Path) -> Path:
        used.append(sheets)
        cache = fresh_cache(built_cache(sheets), tmp_path / ("cache" if len(used) == 1 else f"cache-{len(used)}"))
        monkeypatch.setenv("MAPCORE_SOURCE", str(sheets))
        monkeypatch.setenv("MAPCORE_CACHE", str(cache))
        st.cache_resource.clear()
        st.cache_data.clear()
        return cache

    yield use
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def app_test(app_env, app_sheets) -> Callable[..., object]:
    """A factory of AppTests over ``app_sheets``: ``app_test("app.py", level="state")`` runs a script of
    the app (a path from the repository's root) with those URL parameters. ``run=False`` returns it
    unrun (to set widgets or patch first)."""
    app_env(app_sheets)
    return _make_app_test


@pytest.fixture
def run_page(app_env, page_sheets, monkeypatch) -> Callable[..., object]:
    """A factory of AppTests over ``page_sheets``: ``run_page("pages/2_State.py", state="TX")`` runs a
    script of the app with the fixture sheets as the source, a fresh copy of their built cache and the
    given URL parameters, on a "today" a few days after the newest fixture sheet (the data is not stale)."""
    monkeypatch.setenv("MAPCORE_TODAY", PAGES_TODAY)
    app_env(page_sheets)
    return _make_app_test


def _make_app_test(script: str, run: bool = True, timeout: float = 120, **params: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / script), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run() if run else at


# ---- one Streamlit server per fixture folder, shared by every browser test ---------------------


@pytest.fixture(scope="session")
def app_url(app_sheets, built_cache, tmp_path_factory) -> Iterator[str]:
    """The app served over ``app_sheets`` (one `streamlit run` per session): its base URL. Browser tests
    share it, each in its own browser context; a test that changes the server's data needs its own
    (browser_support.app_for_sheets)."""
    from browser_support import app_for_sheets

    with app_for_sheets(app_sheets, fresh_cache(built_cache(app_sheets), tmp_path_factory.mktemp("app-server") / "cache")) as base:
        yield base


@pytest.fixture(scope="session")
def pages_url(page_sheets, built_cache, tmp_path_factory) -> Iterator[str]:
    """The app served over ``page_sheets`` (one `streamlit run` per session): its base URL."""
    from browser_support import app_for_sheets

    with app_for_sheets(page_sheets, fresh_cache(built_cache(page_sheets), tmp_path_factory.mktemp("pages-server") / "cache")) as base:
        yield base
