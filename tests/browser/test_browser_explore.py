"""A real browser (Debian's Chromium, headless, via Playwright) loads the app, applies a model
filter on Explore, and checks the Leaflet map draws county paths and the table shows the rows."""

from __future__ import annotations

import urllib.parse

import pytest
from appfixtures import REPO
from browser_support import browser_page, choose_option, map_frame, wait_idle
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser
SCREENSHOTS = REPO / "artifacts" / "screenshots"


def _wait_for_shading(page, expected: dict[str, int], tries: int = 120) -> bool:
    """True once the map shows the expected number of county paths per fill colour."""
    for _ in range(tries):
        try:
            frame = map_frame(page, min_paths=3200)
            if all(frame.locator(f"path.mapcore-area[fill='{c}']").count() == n for c, n in expected.items()):
                return True
        except PlaywrightError:
            pass
        page.wait_for_timeout(500)
    return False


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


def _settled_rows(page, expected: int, tries: int = 60) -> list[dict[str, str]]:
    """The table's rows once it holds ``expected`` of them (the grid may redraw after the map on a loaded
    machine); whatever it holds after ``tries`` half-seconds otherwise, for the assertion to report."""
    rows = _table_rows(page)
    for _ in range(tries):
        if len(rows) == expected:
            break
        page.wait_for_timeout(500)
        rows = _table_rows(page)
    return rows


def test_explore_model_filter_updates_map_and_table(app_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1400, 1500) as page:
        page.goto(f"{app_url}/Explore")
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        frame = map_frame(page)
        assert frame.locator("path.mapcore-area").count() >= 3200
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "7"

        choose_option(page, "Model", "TFM · Task Force")
        wait_idle(page)
        page.wait_for_function("() => new URLSearchParams(location.search).get('models') === 'TFM'", timeout=60_000)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "3"
        page.get_by_text("3 agreements", exact=True).wait_for(timeout=30_000)

        # Filtered to TFM, only Harris County is shaded (2 agreements: bin 2-3); unfiltered, Lee, St. Johns
        # and Cobb counties had one agreement each (bin 1). Wait for the redrawn map to show exactly that.
        assert _wait_for_shading(page, {"#7fcdbb": 1, "#c7e9b4": 0}), "the map did not redraw for the TFM filter"
        rows = _settled_rows(page, 3)
        assert sorted(r["Agency"] for r in rows) == [
            "Florida Highway Patrol",
            "Harris County Sheriff's Office",
            "Houston Police Department",
        ]
        assert {r["Model"] for r in rows} == {"TFM"}
        page.screenshot(path=str(SCREENSHOTS / "explore.png"), full_page=True)
        assert page.dialogs == []


def test_shared_url_reopens_the_filtered_view(app_url):
    with browser_page() as page:
        page.goto(f"{app_url}/Explore?" + urllib.parse.urlencode({"models": "WSO", "states": "FL"}))
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        map_frame(page)
        wait_idle(page)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "1"
        assert [r["Agency"] for r in _table_rows(page)] == ["Lee County Sheriff's Office"]
