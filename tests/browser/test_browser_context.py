"""The per-capita county map and the shares in a real browser (headless Chromium, offline): the Home page's
map switched to "Per 100,000 residents" draws shaded counties with its legend; the State profile shows the
shares. Screenshots go to artifacts/screenshots/ for a human to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import browser_page, map_frame, wait_idle
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"


def test_per_capita_county_map_draws_with_its_legend(pages_url):
    with browser_page(width=1400, height=1000) as page:
        page.goto(pages_url, wait_until="domcontentloaded")
        map_frame(page)
        page.get_by_text("Per 100,000 residents", exact=True).first.click()
        wait_idle(page)
        legend, shaded = "", 0
        for _ in range(120):  # the map is replaced on the rerun: wait for the new one's legend
            try:
                frame = map_frame(page)
                legend = frame.locator(".mapcore-legend").first.inner_text(timeout=2_000)
                if "per 100,000 residents" in legend:
                    shaded = frame.eval_on_selector_all(
                        "path.mapcore-area", "els => els.filter(e => e.getAttribute('fill') !== '#f0f0f0').length"
                    )
                    break
            except PlaywrightError:  # detached while Streamlit swapped the map
                pass
            page.wait_for_timeout(500)
        assert "per 100,000 residents" in legend and "20 or more" in legend
        assert shaded >= 2  # Harris County, TX and St. Lucie County, FL
        assert not page.dialogs
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "home-per-capita.png"))


def test_state_profile_shows_the_shares(pages_url):
    with browser_page(width=1400, height=1000) as page:
        page.goto(f"{pages_url}/State?state=TX", wait_until="domcontentloaded")
        page.get_by_text("Out of how many?").first.wait_for(state="visible", timeout=90_000)
        page.get_by_text("Residents in covered counties").first.wait_for(state="visible", timeout=30_000)
        # the table per type (a canvas grid: its cells are in the page but drawn, not shown as text)
        page.locator("[role='gridcell']", has_text="Sheriffs' offices").first.wait_for(state="attached", timeout=30_000)
        assert page.get_by_text("15.9%").count() >= 1  # Harris County's residents of Texas's (Census 2023)
