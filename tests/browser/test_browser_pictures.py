"""Pictures to take away, in the real app (headless Chromium, offline): the Timeline's spread map with its
slider at two dates, and "Download this map" under a map giving a PNG, an SVG that names the filters and
the sheet, and the spread's GIF, each made when clicked."""

from __future__ import annotations

import io
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser_support import browser_page, wait_idle
from PIL import Image

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"


def spread_frame(page):
    """The map component's frame that holds the spread's slider."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(180):
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if frame.locator(".mc-frame-slider").count():
                    return frame
            except PlaywrightError:
                continue
        page.wait_for_timeout(500)
    raise AssertionError("the Timeline shows no spread map with a slider")


def download(page, menu, label: str) -> bytes:
    """Open the "Download this map" menu ``menu`` and click ``label``; the file's bytes."""
    if not page.get_by_role("button", name=label).first.is_visible():
        menu.click()
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).first.click()
    return Path(info.value.path()).read_bytes()


def test_timeline_slider_map_and_its_downloads(pages_url):
    with browser_page(1400, 1000) as page:
        page.goto(f"{pages_url}/Timeline", wait_until="domcontentloaded")
        wait_idle(page, 120_000)
        frame = spread_frame(page)
        frame.wait_for_function("() => window.mapcoreRendered && window.mapcoreRendered.count >= 1", timeout=60_000)
        date = frame.locator(".mc-frame-date")
        assert date.inner_text() == "2025-08-01"  # the newest sheet first
        assert frame.locator(".mc-frame-ends").inner_text().split() == ["2025-06-02", "2025-08-01"]
        page.evaluate("(el) => el.scrollIntoView({block: 'start'})", frame.frame_element())
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "timeline-spread-newest.png"))
        frame.locator(".mc-frame-slider").press("Home")
        assert date.inner_text() == "2025-06-02"
        assert frame.locator(".mc-frame-note").inner_text().startswith("5 agreements listed")
        page.screenshot(path=str(SHOTS / "timeline-spread-first.png"))

        menus = page.get_by_role("button", name="Download this map")
        assert menus.count() == 2  # the spread map and the agreements-and-pending map
        png = download(page, menus.first, "Picture of the newest sheet (PNG, 2400 px wide)")
        assert Image.open(io.BytesIO(png)).width >= 2000
        gif = Image.open(io.BytesIO(download(page, menus.first, "Animation (GIF)")))
        assert gif.n_frames == 3  # one per month with a sheet
        assert page.blocked == [] or all("tile" in url for url in page.blocked)


def test_explore_map_downloads_name_the_filters_and_the_sheet(pages_url):
    with browser_page(1400, 1000) as page:
        page.goto(f"{pages_url}/Explore?" + urllib.parse.urlencode({"models": "TFM", "states": "TX"}), wait_until="domcontentloaded")
        wait_idle(page, 120_000)
        menu = page.get_by_role("button", name="Download this map")
        menu.first.wait_for(timeout=60_000)
        svg = download(page, menu.first, "Picture (SVG, for print and editing)")
        texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
        assert "Model: TFM (Task Force) · State: TX" in texts
        assert any(t.startswith("Source: ICE 287(g) participating agencies, sheet of 2025-08-01") for t in texts)
        html = download(page, menu.first, "Map to embed (one HTML file)").decode()
        assert "Model: TFM (Task Force) · State: TX" in html and '"tiles":null' in html
