"""The State, Agency, About and Methodology pages in a real browser (headless Chromium, offline).

Each page must show its key text, and every external link in the page (main frame) must be http(s)
and open in a new tab. Screenshots go to artifacts/screenshots/<page>.png for a human to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import browser_page

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"

PAGES = [
    # (url path and query, key texts that must be visible, screenshot name)
    (
        "State?state=TX",
        ["State profile", "Texas", "State law on 287(g)", "Mandates", "Where in Texas", "2 agreements of 1 agency"],
        "state",
    ),
    (
        "Agency?agency=harris%20cnty%20sherifs%20dept",
        ["Agency lookup", "Harris County Sheriff's Office", "Agreements (participating)", "Pending applications"],
        "agency",
    ),
    ("About", ["About 287(g)", "The three models", "Jail Enforcement Model", "GAO-09-109", "State laws on 287(g)"], "about"),
    ("Methodology", ["Methodology & data quality", "How agreements are placed", "data quirks", "Match rate"], "methodology"),
]


@pytest.fixture(scope="module")
def page():
    with browser_page(width=1400, height=1000) as p:
        yield p


def external_links(page, base: str) -> list[dict]:
    """Every <a href> of the main document that leaves the app, with its target and rel."""
    links = page.eval_on_selector_all(
        "a[href]", "els => els.map(a => ({href: a.href, raw: a.getAttribute('href'), target: a.target, rel: a.rel}))"
    )
    host = urlsplit(base).netloc
    return [link for link in links if urlsplit(link["href"]).netloc != host]


@pytest.mark.parametrize("path, texts, name", PAGES, ids=[p[2] for p in PAGES])
def test_page_renders_with_safe_links(pages_url, page, path, texts, name):
    page.goto(f"{pages_url}/{path}", wait_until="domcontentloaded")
    main = page.locator("section.main, [data-testid='stMain']").first
    main.wait_for(timeout=60_000)
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(1500)  # let the map and charts settle for the screenshot
    assert not page.get_by_test_id("stException").count(), page.get_by_test_id("stException").first.inner_text()
    links = external_links(page, pages_url)
    if name == "about":
        assert len(links) >= 9
    for link in links:
        assert link["raw"].startswith(("http://", "https://")), link
        assert link["target"] == "_blank", link
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert not page.dialogs, page.dialogs  # no injected alert() ever ran


def test_agency_search_typed_in_the_browser(pages_url, page):
    page.goto(f"{pages_url}/Agency", wait_until="domcontentloaded")
    box = page.get_by_label("Agency name, county or town", exact=True).and_(page.get_by_test_id("stTextInputField"))
    box.wait_for(timeout=60_000)
    box.fill("Saint Lucie")
    box.press("Enter")
    page.get_by_text("St. Lucie County Sheriff's Office", exact=False).first.wait_for(state="visible", timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('agency=St')", timeout=30_000)
    assert "state=FL" in page.url
