"""The first impression of a fresh copy on a machine that cannot reach ICE.

The app is served from a fresh copy of the repository (no ../shared beside it, an empty cache, ICE's
page unreachable: MAPCORE_SOURCE=http://127.0.0.1:9/) and opened in Chromium with every request outside
127.0.0.1 aborted. Home shows the bundled snapshot's headline numbers, the one-line note saying why,
and the national county map drawn; Explore does too after a filter change."""

from __future__ import annotations

import pytest
from browser_support import browser_page, choose_option, chromium_path, map_frame, streamlit_app, wait_idle
from fresh_copy import REPO, env_for, fresh_copy

from mapcore.build import pipeline
from mapcore.cli.main import stats_for
from mapcore.sheets import snapshot as snapshots

pytestmark = pytest.mark.browser
NOWHERE = "http://127.0.0.1:9/"
SCREENSHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def offline_app(tmp_path_factory):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    root = tmp_path_factory.mktemp("first-run")
    copy = fresh_copy(root / "clone")
    snapshot = copy / "data" / "ice_snapshot"
    dataset, _ = pipeline.build(None, cache=root / "expected", snapshot=snapshot)
    expected = stats_for(dataset) | {"newest": snapshots.read_info(snapshot)["newest_publication"]}
    with streamlit_app(env_for(copy, root / "cache", MAPCORE_SOURCE=NOWHERE), cwd=copy, timeout=180) as base:
        yield base, expected


def _metric(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return metric.get_by_test_id("stMetricValue").first.inner_text()


def _note(page, expected: dict) -> None:
    note = f"{NOWHERE} could not be reached (connection refused); showing the bundled snapshot of ICE's sheets up to {expected['newest']}."
    page.get_by_test_id("stAlert").filter(has_text=note).first.wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0 and page.get_by_text("No 287(g) data").count() == 0


def test_home_offline_shows_the_snapshot_with_its_map_and_note(offline_app):
    base, expected = offline_app
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, name in ((1400, "first_run_home.png"), (390, "first_run_home_390.png")):
        with browser_page(width, 1400) as page:
            page.goto(base)
            page.get_by_test_id("stMetric").first.wait_for(timeout=180_000)
            _note(page, expected)
            assert _metric(page, "Active agreements") == f"{expected['agreements']:,}"
            frame = map_frame(page, min_paths=3000)
            assert frame.locator("path.mapcore-area").count() >= 3000, "the national county map"
            wait_idle(page)
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
            assert not [u for u in page.blocked if "openstreetmap" not in u], f"only tiles were asked of the outside: {page.blocked}"


def test_explore_offline_after_a_filter_change(offline_app):
    base, expected = offline_app
    with browser_page(1400, 1500) as page:
        page.goto(f"{base}/Explore")
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=180_000)
        _note(page, expected)
        map_frame(page, min_paths=3000)
        choose_option(page, "Model", "TFM · Task Force")
        wait_idle(page)
        page.wait_for_function("() => new URLSearchParams(location.search).get('models') === 'TFM'", timeout=60_000)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == f"{expected['by_model']['TFM']:,}"
        frame = map_frame(page, min_paths=3000)
        assert frame.locator("path.mapcore-area").count() >= 3000
        page.screenshot(path=str(SCREENSHOTS / "first_run_explore_tfm.png"), full_page=True)


PAGES = ("", "Explore", "State", "Agency", "Timeline", "Law_vs_practice", "About", "Methodology")
WITH_MAPS = {"", "Explore", "State", "Timeline"}


def test_an_offline_copy_asks_nothing_of_the_outside_on_any_page(offline_app):
    """Offline (the snapshot fallback), the maps start without background tiles, so not one
    request leaves 127.0.0.1 on any page, and no map credits tiles it does not draw."""
    base, expected = offline_app
    with browser_page(1400, 1400) as page:
        maps_seen = 0
        for name in PAGES:
            page.goto(f"{base}/{name}")
            page.get_by_test_id("stSidebar").wait_for(timeout=180_000)
            _note(page, expected)
            if name in WITH_MAPS:
                map_frame(page, min_paths=50)
            wait_idle(page)
            frames = [f for f in page.frames if f != page.main_frame and f.locator("path.mapcore-area").count()]
            for frame in frames:
                maps_seen += 1
                assert "OpenStreetMap" not in frame.locator(".leaflet-control-attribution").inner_text()
                assert "Offline" in frame.locator(".mc-tiles-note").inner_text()
            page.wait_for_timeout(1000)
            assert page.blocked == [], f"{name or 'Home'} asked the outside: {page.blocked}"
        assert maps_seen >= len(WITH_MAPS)
