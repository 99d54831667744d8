"""The law on a sheet's day and the data's age in a real browser (headless Chromium, offline).

ICE-like sheets of 2026-05-18 read on 2026-12-06 (MAPCORE_TODAY): Home, Explore and the State profile say how
old the sheet is; Tennessee is not "mandates" on that sheet, Maine and Virginia carry the new-law mark, and the
Mandates filter leaves out Oklahoma's state-official duty. Screenshots (1400 and 390 px, English and Spanish) go
to artifacts/screenshots/law-*.png for a human to look at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser_support import app_for_sheets, browser_page, map_frame
from sheetfactory import PARTICIPATING_8, make_sheet, row8

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"
TODAY = "2026-12-06"
ROWS = [
    row8(state="TENNESSEE", agency="Knox County Sheriff's Office", county="Knox County"),
    row8(state="TENNESSEE", agency="Blount County Sheriff's Office", county="Blount County", model="Warrant Service Officer"),
    row8(state="TEXAS", agency="Harris County Sheriff's Office", county="Harris County"),
    row8(state="OKLAHOMA", agency="Oklahoma Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
    row8(state="MARYLAND", agency="Garrett County Sheriff's Office", county="Garrett County", model="Warrant Service Officer"),
    row8(
        state="MASSACHUSETTS",
        agency="Massachusetts Department of Corrections",
        jtype="State",
        county="#N/A",
        signed=dt.datetime(2020, 6, 8),
    ),
    row8(state="MAINE", agency="Cumberland County Sheriff's Office", county="Cumberland County"),
    row8(state="VIRGINIA", agency="Culpeper County Sheriff's Office", county="Culpeper County"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-law")
    make_sheet(root / "sheets" / "participatingAgencies05182026am.xlsx", PARTICIPATING_8, ROWS)
    with app_for_sheets(root / "sheets", root / "cache", today=TODAY) as url:
        yield url


def _cell(page, text: str) -> None:
    """Wait for a table cell (Streamlit's data grid keeps its cells in the DOM, drawn on a canvas)."""
    page.locator("[data-testid^='glide-cell']", has_text=text).first.wait_for(state="attached", timeout=90_000)


def _open(page, url: str, *texts: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.locator("[data-testid='stMain']").first.wait_for(timeout=60_000)
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=90_000)
    assert not page.get_by_test_id("stException").count(), page.get_by_test_id("stException").first.inner_text()


AGE = "That sheet is 202 days old (today is 2026-12-06)."


@pytest.mark.parametrize("path", ["", "Explore", "State?state=TN"])
def test_the_age_of_an_old_sheet_is_shown(base_url, path):
    with browser_page(width=1400, height=1000) as page:
        _open(
            page,
            f"{base_url}/{path}",
            "Figures are from ICE's newest sheet, of 2026-05-18.",
            AGE,
            "ICE's page has not been checked from this copy of the map.",
        )


def test_tennessee_is_not_mandates_on_the_sheet_of_2026_05_18(base_url):
    with browser_page(width=1400, height=1000) as page:
        _open(page, f"{base_url}/Explore?states=TN&law=mandates", "0 agreements")
        _open(page, f"{base_url}/Explore?states=TN&law=requires_cooperation", "2 agreements")
        _cell(page, "Requires cooperation")
        _open(page, f"{base_url}/Explore?law=mandates", "1 agreement")
        _cell(page, "Harris County Sheriff's Office")
        assert not page.locator("[data-testid^='glide-cell']", has_text="Oklahoma Highway Patrol").count()
        _open(page, f"{base_url}/Explore?law=mandates_state_official", "1 agreement")
        _cell(page, "Oklahoma Highway Patrol")


def test_state_profiles_say_what_stood_on_the_sheets_day(base_url):
    with browser_page(width=1400, height=1000) as page:
        _open(
            page,
            f"{base_url}/State?state=TN",
            "Newest state law on 287(g)",
            "new law of 2026-05-26 (mandates): day of effect not known",
            "Agreements in ICE's sheet of 2026-05-18",
        )
        _open(page, f"{base_url}/State?state=ME", "was passed but not yet in force: it takes effect on 2026-07-29")
        _open(page, f"{base_url}/State?state=MD", "Deadline:", "2026-07-01 (passed since ICE's sheet of 2026-05-18)")
        _open(page, f"{base_url}/State?state=MA", "Reaches:", "new agreements only")
        _open(page, f"{base_url}/State?state=OK", "Mandates")


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_screenshots_home_law_layer_explore_and_states(base_url, width, lang):
    """Pictures for a human: the Home law layer (striped Maine, Virginia; Oklahoma apart), Explore with the law
    filter, and the State profiles of TN, MD, MA, OK and TX."""
    query = "" if lang == "en" else "lang=es"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(width=width, height=1000) as page:
        _open(page, f"{base_url}/?{query}", "2026")
        toggle = page.get_by_test_id("stCheckbox").or_(page.locator("[data-testid='stToggle']")).first
        toggle.click()
        frame = map_frame(page)
        frame.locator("path.mapcore-law-new").first.wait_for(state="attached", timeout=60_000)  # a new law: striped
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"law-home-{lang}-{width}.png"), full_page=True)
        _open(page, f"{base_url}/Explore?law=mandates,requires_cooperation&{query}", "2026")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / f"law-explore-{lang}-{width}.png"), full_page=True)
        for state in ("TN", "MD", "MA", "OK", "TX"):
            _open(page, f"{base_url}/State?state={state}&{query}", "2026")
            page.locator("[data-testid='stMain'] a[target='_blank']").first.wait_for(timeout=90_000)  # the law's source
            page.wait_for_timeout(1000)
            page.screenshot(path=str(SHOTS / f"law-state-{state}-{lang}-{width}.png"), full_page=True)
        assert not page.dialogs
