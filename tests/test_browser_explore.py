"""A real browser (Debian's Chromium, headless, via Playwright) loads the app, applies a model
filter on Explore, and checks the Leaflet map draws county paths and the table shows the rows."""

from __future__ import annotations

import urllib.parse

import pytest

from appfixtures import REPO, make_source
from browser_support import browser_page, chromium_path, streamlit_app

pytestmark = pytest.mark.browser
SCREENSHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    root = tmp_path_factory.mktemp("browser")
    env = {"MAPCORE_SOURCE": str(make_source(root / "sheets")), "MAPCORE_CACHE": str(root / "cache")}
    with streamlit_app(env) as base:
        yield base


def _map_frame(page):
    for _ in range(120):
        for frame in page.frames:
            if frame != page.main_frame and frame.locator("path.mapcore-area").count():
                return frame
        page.wait_for_timeout(500)
    raise AssertionError("the Leaflet map drew no county paths")


def _table_rows(page) -> list[dict[str, str]]:
    """The rows of the table as the browser holds them (the grid's accessible mirror table)."""
    return page.evaluate("""() => {
        const grid = document.querySelector('[data-testid=stDataFrame]');
        const heads = [...grid.querySelectorAll('th')].map(th => th.textContent.trim());
        return [...grid.querySelectorAll('tr')].filter(tr => tr.querySelector('td')).map(tr => {
            const cells = [...tr.querySelectorAll('td')].map(td => td.textContent.trim());
            return Object.fromEntries(heads.slice(heads.length - cells.length).map((h, i) => [h, cells[i]]));
        });
    }""")


def _wait_idle(page):
    page.wait_for_timeout(800)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_explore_model_filter_updates_map_and_table(app_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1400, 1500) as page:
        page.goto(f"{app_url}/Explore")
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        frame = _map_frame(page)
        assert frame.locator("path.mapcore-area").count() >= 3200
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "7"

        page.get_by_role("combobox", name="Model").click()
        page.get_by_role("option", name="TFM: Task Force Model").click()
        page.keyboard.press("Escape")
        _wait_idle(page)
        page.wait_for_function("() => new URLSearchParams(location.search).get('models') === 'TFM'", timeout=60_000)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "3"
        page.get_by_text("3 agreements", exact=True).wait_for(timeout=30_000)

        frame = _map_frame(page)
        filled = frame.locator("path.mapcore-area[fill='#c7e9b4'], path.mapcore-area[fill='#7fcdbb']")
        assert filled.count() >= 1  # Harris County (1 TFM + Houston PD) is shaded
        rows = _table_rows(page)
        assert sorted(r["Agency"] for r in rows) == ["Florida Highway Patrol", "Harris County Sheriff's Office",
                                                     "Houston Police Department"]
        assert {r["Model"] for r in rows} == {"TFM"}
        page.screenshot(path=str(SCREENSHOTS / "explore.png"), full_page=True)
        assert page.dialogs == []


def test_shared_url_reopens_the_filtered_view(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/Explore?" + urllib.parse.urlencode({"models": "WSO", "states": "FL"}))
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        _map_frame(page)
        _wait_idle(page)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "1"
        assert [r["Agency"] for r in _table_rows(page)] == ["Lee County Sheriff's Office"]
