"""The maps in the running app (headless Chromium, every request outside 127.0.0.1 aborted).

- A filter change sends values, not the map: the zoom the reader chose stays, the fills change, and
  no geometry file is fetched twice.
- No CDN: Home draws the national county map and its headline numbers, Explore redraws after a filter
  change, with nothing but the app reachable.
- The law band and the phone layout in the app.
"""

from __future__ import annotations

import pytest
from appfixtures import REPO
from browser_support import browser_page, choose_option, map_frame, wait_idle

pytestmark = pytest.mark.browser
SHOTS = REPO / "artifacts" / "screenshots"


def _renders(frame) -> int:
    return int(frame.evaluate("() => window.mapcoreRendered ? window.mapcoreRendered.count : 0"))


def _wait_render(page, frame, after: int) -> None:
    for _ in range(240):
        if _renders(frame) > after:
            return
        page.wait_for_timeout(250)
    raise AssertionError("the map did not receive new values")


def _fills(frame) -> dict[str, int]:
    return frame.evaluate("""() => { const out = {};
        document.querySelectorAll('path.mapcore-area').forEach(p => { const f = p.getAttribute('fill'); out[f] = (out[f] || 0) + 1; });
        return out; }""")


def _view(frame) -> tuple[float, float, float]:
    zoom, lat, lng = frame.evaluate("() => [mapcoreMap.getZoom(), mapcoreMap.getCenter().lat, mapcoreMap.getCenter().lng]")
    return round(zoom, 3), round(lat, 4), round(lng, 4)


def test_three_filter_changes_keep_the_zoom_change_the_fills_and_fetch_geometry_once(app_url):
    with browser_page(1400, 1400) as page:
        geometry: list[str] = []
        page.on("request", lambda request: geometry.append(request.url) if "/geo/" in request.url else None)
        page.goto(f"{app_url}/Explore")
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        frame = map_frame(page, min_paths=3200)
        wait_idle(page)
        frame.evaluate("() => mapcoreMap.setView([30.5, -90.0], 5.5, {animate: false})")  # the reader zooms to the Gulf
        placed = _view(frame)
        assert placed == (5.5, 30.5, -90.0)
        fills = _fills(frame)

        changes = [
            lambda: choose_option(page, "Model", "TFM · Task Force"),
            lambda: choose_option(page, "Jurisdiction type", "County"),
            lambda: choose_option(page, "Model", "JEM · Jail Enforcement"),
        ]
        for change in changes:
            before = _renders(frame)
            change()
            _wait_render(page, frame, before)
            wait_idle(page)
            assert map_frame(page, min_paths=3200) == frame, "the map was rebuilt"
            assert _view(frame) == placed, "the map lost the reader's zoom and pan"
            now = _fills(frame)
            assert now != fills, "the fills did not change"
            fills = now
        # County agencies under TFM or JEM: Harris (2 agreements), St. Johns and Cobb (1 each).
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "4"
        assert fills.get("#7fcdbb") == 1 and fills.get("#c7e9b4") == 2

        assert geometry and len(geometry) == len(set(geometry)), geometry  # no geometry file fetched twice
        # The state filter asks for a new area: the map fits Texas (and still fetches nothing again).
        before = _renders(frame)
        choose_option(page, "State", "TX")
        _wait_render(page, frame, before)
        assert _view(frame) != placed
        assert frame.evaluate("() => mapcoreMap.getBounds().contains([[25.9, -106.6], [36.49, -93.6]])")
        # A new page view in the same browser takes the geometry from the browser's store, not the network.
        fetched = len(geometry)
        page.goto(f"{app_url}/Explore")
        map_frame(page, min_paths=3200)
        wait_idle(page)
        assert len(geometry) == fetched, geometry[fetched:]


def test_home_and_explore_draw_with_every_outside_request_blocked(app_url):
    """The app serves what its maps need; only the optional tiles are outside."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1400, 1200) as page:
        page.goto(app_url)
        page.get_by_text("287(g) agreements map").first.wait_for(timeout=90_000)
        frame = map_frame(page, min_paths=3200)
        wait_idle(page)
        assert frame.locator("path.mapcore-area").count() >= 3200
        values = {m.inner_text() for m in page.get_by_test_id("stMetricValue").all()}
        assert {"7", "3", "1"} <= values
        frame.locator(".mc-tiles-note").wait_for(timeout=30_000)
        assert "could not be loaded" in frame.locator(".mc-tiles-note").inner_text()
        assert page.blocked and all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked
        page.screenshot(path=str(SHOTS / "home-offline.png"), full_page=True)

        page.goto(f"{app_url}/Explore")
        frame = map_frame(page, min_paths=3200)
        wait_idle(page)
        before = _renders(frame)
        choose_option(page, "Model", "WSO · Warrant Service")
        _wait_render(page, frame, before)
        wait_idle(page)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == "1"
        assert _fills(frame).get("#c7e9b4") == 1  # Lee County, FL
        assert all("tile.openstreetmap.org" in url for url in page.blocked), page.blocked
        assert page.dialogs == []


def test_home_law_band_over_counts(app_url):
    """With the law on, the counties keep their colours; the law is a band."""
    with browser_page(1400, 1200) as page:
        page.goto(app_url)
        frame = map_frame(page, min_paths=3200)
        wait_idle(page)
        counts = _fills(frame)
        before = _renders(frame)
        page.get_by_text("Outline states by their 287(g) law").click()
        _wait_render(page, frame, before)
        assert _fills(frame) == counts  # the count fill is untouched
        assert frame.locator("path.mapcore-law").count() >= 40
        assert frame.locator("path.mapcore-unconfirmed").count() >= 1
        legend = frame.locator(".mc-side").inner_text()
        assert "State law on 287(g)" in legend and "unconfirmed" in legend and "Statewide agency" in legend


def test_explore_is_readable_on_a_phone(app_url):
    """At 390 px nothing runs off the side; the map is shorter and its legend below."""
    with browser_page(390, 844) as page:
        page.goto(f"{app_url}/Explore")
        frame = map_frame(page, min_paths=3200)
        wait_idle(page)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        box = frame.locator(".mc-map").bounding_box()
        side = frame.locator(".mc-side").bounding_box()
        assert box["height"] < 420 and side["y"] >= box["y"] + box["height"]
        grid = page.get_by_test_id("stDataFrame").first.bounding_box()
        assert grid["x"] >= 0 and grid["x"] + grid["width"] <= 391  # the table scrolls inside the page width
        page.screenshot(path=str(SHOTS / "explore-390.png"), full_page=True)
