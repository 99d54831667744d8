"""The app on a 390 px phone (headless Chromium with a touch screen and a phone's user agent, offline), in English
and Spanish: Explore's table shows the agency, its model and county first (the rest behind a column picker), the
filters and the language switch are on the page itself, Law vs practice's tab strip fits the screen, and a tap on
the map opens one box inside it. Screenshots go to artifacts/screenshots/phone-*.png for a human to look at."""

from __future__ import annotations

import pytest
from appfixtures import REPO, make_source
from browser_support import app_for_sheets, browser_page, map_frame, wait_idle

pytestmark = pytest.mark.browser
SHOTS = REPO / "artifacts" / "screenshots"
WORDS = {
    "en": {"model": "Model", "county": "County", "filters": "Filters", "tabs": ("States that restrict", "Law changes")},
    "es": {"model": "Modelo", "county": "Condado", "filters": "Filtros", "tabs": ("Estados que restringen", "Cambios de ley")},
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-phone")
    with app_for_sheets(make_source(root / "sheets"), root / "cache") as url:
        yield url


def _open(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("h1", timeout=90_000)
    wait_idle(page)


def _visible_headers(page) -> list[str]:
    """The table's header cells the grid draws (it draws only the columns in view)."""
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.evaluate("e => e.scrollIntoView({block: 'center'})")
    headers: list[str] = []
    for _ in range(40):
        headers = grid.evaluate("g => [...g.querySelectorAll('th')].map(t => t.textContent.trim())")
        if headers:
            break
        page.wait_for_timeout(250)
    return headers


@pytest.mark.parametrize("lang", ["en", "es"])
def test_explore_on_a_phone_shows_agency_model_and_county_and_offers_filters_and_language(base_url, lang):
    words = WORDS[lang]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(390, 844, touch=True) as page:
        _open(page, f"{base_url}/Explore" + ("?lang=es" if lang == "es" else ""))
        main = page.locator("[data-testid=stMain]")
        for name in ("Español", "English"):  # the language switch, on the page itself (it may draw after the title)
            switch = main.get_by_text(name, exact=True).first
            switch.wait_for(state="visible", timeout=30_000)
            assert switch.is_visible()
        filters = main.locator("[data-testid=stExpander]").filter(has_text=words["filters"]).first
        filters.wait_for(state="visible", timeout=30_000)
        box = filters.bounding_box()  # in the first screen, under the title and the data's age (no scrolling)
        assert filters.is_visible() and box["y"] + box["height"] < 844, box
        page.wait_for_timeout(1500)
        wait_idle(page)
        page.screenshot(path=str(SHOTS / f"phone-explore-top-{lang}.png"))
        headers = _visible_headers(page)
        assert headers[:1] and words["model"] in headers and words["county"] in headers, headers
        page.screenshot(path=str(SHOTS / f"phone-explore-table-{lang}.png"))
        filters.locator("summary").click()
        page.get_by_role("combobox", name=words["model"]).first.wait_for(timeout=10_000)
        assert page.get_by_role("combobox", name=words["model"]).first.is_visible()


def test_law_vs_practice_tab_strip_fits_a_phone(base_url):
    with browser_page(390, 844, touch=True) as page:
        for lang in ("en", "es"):
            _open(page, f"{base_url}/Law_vs_practice?tab=changes" + ("&lang=es" if lang == "es" else ""))
            tabs = page.get_by_role("tab")
            tabs.first.wait_for(timeout=30_000)
            boxes = [tabs.nth(i).bounding_box() for i in range(tabs.count())]
            assert len(boxes) == 3
            assert all(0 <= b["x"] and b["x"] + b["width"] <= 390 for b in boxes), boxes
            assert [tabs.nth(i).inner_text() for i in (0, 2)] == list(WORDS[lang]["tabs"])
            assert tabs.nth(2).get_attribute("aria-selected") == "true"  # ?tab=changes, in either language
            tabs.first.evaluate("e => e.scrollIntoView({block: 'center'})")
            page.screenshot(path=str(SHOTS / f"phone-law-vs-practice-{lang}.png"))


def test_a_tap_on_the_map_opens_one_box_inside_it(base_url):
    with browser_page(390, 844, touch=True) as page:
        _open(page, f"{base_url}/Explore?lang=es")
        legend = map_frame(page, min_paths=3000).locator(".mc-side").inner_text()
        assert "toque para ver los nombres" in legend and "pase el cursor" not in legend
        _open(page, f"{base_url}/Explore?lang=es&states=TX")
        frame = map_frame(page, min_paths=200)
        frame.locator(".mc-map").evaluate("e => e.scrollIntoView({block: 'center'})")
        point = frame.evaluate("""() => { const l = Object.values(mapcoreView.layers.areas._layers)
            .find(x => x.feature.properties.id === '48201');
            const p = mapcoreMap.latLngToContainerPoint(l.getBounds().getCenter());
            const r = mapcoreMap.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
        box = frame.frame_element().bounding_box()
        page.touchscreen.tap(box["x"] + point[0], box["y"] + point[1])
        frame.locator(".leaflet-popup").wait_for(timeout=10_000)
        page.wait_for_timeout(1200)  # the map pans the box into view
        assert frame.locator(".leaflet-popup").count() == 1 and frame.locator(".leaflet-tooltip").count() == 0
        popup, area = frame.locator(".leaflet-popup").bounding_box(), frame.locator(".mc-map").bounding_box()
        assert area["x"] <= popup["x"] and popup["x"] + popup["width"] <= area["x"] + area["width"] + 1
        assert "Harris County" in frame.locator(".leaflet-popup").inner_text()
        page.screenshot(path=str(SHOTS / "phone-map-tap-es.png"))
