"""Text from a sheet never runs in a real browser (Debian's Chromium, headless, offline).

A fixture sheet names agencies with HTML, script and JS template-literal payloads. The Explore page
is opened, the county holding them is hovered, and: no JS dialog fired, no injected element exists
in any frame, and the names are shown as text (tooltip textContent, the table's mirror, the CSV).
"""

from __future__ import annotations

import csv
import io
import urllib.parse

import pytest
from browser_support import REPO, app_for_sheets, browser_page, map_frame
from sheetfactory import PARTICIPATING_8, Link, make_sheet, row8

pytestmark = pytest.mark.browser
SCREENSHOTS = REPO / "artifacts" / "screenshots"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
SVG = '"><svg onload=alert(3)>'
TEMPLATE = "${alert(4)}"
MARKDOWN_LINK = "[click me](javascript:alert(5))"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("xss")
    source = root / "sheets"
    make_sheet(
        source / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            row8(agency=IMG, moa=Link("link", "javascript:alert(6)")),
            row8(agency=SCRIPT, model="Task Force Model"),
            row8(agency=TEMPLATE, model="Warrant Service Officer"),
            row8(state="FLORIDA", agency=SVG, jtype="State", county="#N/A", model="Task Force Model"),
            row8(state="FLORIDA", agency=MARKDOWN_LINK, jtype="State", county="#N/A", model="Task Force Model"),
            row8(state="FLORIDA", agency=TEMPLATE + " Patrol", jtype="State", county="#N/A", model="Task Force Model"),
        ],
    )
    with app_for_sheets(source, root / "cache") as base:
        yield base


def _injected(page) -> list[str]:
    """Elements a payload would create, in every frame."""
    found = []
    for frame in page.frames:
        for selector in ("img[src=x]", "img[src='x']", "svg[onload]", "a[href^='javascript:' i]", "[onerror]"):
            count = frame.locator(selector).count()
            if count:
                found.append(f"{frame.url[:60]}: {count} x {selector}")
        scripts = frame.evaluate("() => [...document.scripts].filter(s => /alert\\([1-6]\\)/.test(s.textContent)).length")
        if scripts:
            found.append(f"{frame.url[:60]}: {scripts} injected script(s)")
    return found


def _table_text(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid=stDataFrame] td')].map(td => td.textContent)""")


def test_hostile_names_are_shown_as_text_and_never_run(app_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with browser_page(1400, 1500) as page:
        page.goto(f"{app_url}/Explore?" + urllib.parse.urlencode({"states": "TX,FL"}))
        page.get_by_text("Explore 287(g) agreements").wait_for(timeout=90_000)
        frame = map_frame(page)
        page.wait_for_timeout(1000)

        # The statewide note (written with st.write, i.e. as Markdown) is opened so its text is rendered too.
        page.get_by_text("statewide agenc", exact=False).first.click()
        page.wait_for_timeout(800)
        hrefs = page.evaluate("() => [...document.querySelectorAll('[data-testid=stExpander] a')].map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h and h.strip().lower().startswith("javascript")], hrefs

        # The statewide markers' tooltips (built as DOM text by the map view) carry the names as text too.
        markers = frame.locator(".mapcore-statewide")
        assert markers.count() >= 1
        markers.first.hover(force=True)
        page.wait_for_timeout(500)
        tips = " ".join(t.text_content() for t in frame.locator(".leaflet-tooltip").all())
        assert SVG in tips and MARKDOWN_LINK in tips and TEMPLATE + " Patrol" in tips, tips

        # Hover the shaded county (Harris) until its tooltip shows; fall back to a dispatched mouseover.
        shaded = frame.locator("path.mapcore-area:not([fill='#f0f0f0'])")
        assert shaded.count() >= 1
        tip = frame.locator(".mapcore-tip")
        for index in range(shaded.count()):
            try:
                shaded.nth(index).hover(timeout=3000, force=True)
            except Exception:
                shaded.nth(index).dispatch_event("mouseover")
            page.wait_for_timeout(300)
            if tip.count() and IMG in tip.first.text_content():
                break
        else:
            raise AssertionError("no tooltip naming the hostile agency appeared")
        text = tip.first.text_content()
        assert IMG in text and SCRIPT in text and TEMPLATE in text, text
        assert tip.first.locator("img, script, svg").count() == 0

        page.screenshot(path=str(SCREENSHOTS / "xss.png"), full_page=True)  # with Harris County's tooltip open

        table = _table_text(page)
        for name in (IMG, SCRIPT, TEMPLATE, SVG, MARKDOWN_LINK):
            assert name in table, (name, table)

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download CSV").click()
        rows = list(csv.DictReader(io.StringIO(open(download_info.value.path(), encoding="utf-8").read(), newline="")))
        assert {IMG, SCRIPT, TEMPLATE, SVG, MARKDOWN_LINK} <= {r["agency"] for r in rows}
        assert not any(r["moa_url"].lower().startswith("javascript") for r in rows)

        assert page.dialogs == [], page.dialogs
        assert _injected(page) == []
