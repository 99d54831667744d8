"""The spread's slider and the embeddable map in a real browser (headless Chromium, every outside request
aborted): an embed file makes no request at all; the slider and the play button recolour the drawn
counties from the frames, with the date and the running count shown."""

from __future__ import annotations

import pandas as pd
import pytest
from browser_support import REPO, browser_page, chromium_path

from mapcore.analysis.query import county_summary
from mapcore.analysis.spread import Step
from mapcore.render import maps, webmap
from mapcore.render.caption import Caption, spread_caption
from mapcore.render.maps import COUNT_COLORS, EMPTY_FILL

pytestmark = pytest.mark.browser
SHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _needs_chromium():
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")


def step(date: str, counties: dict[str, int], total: int) -> Step:
    return Step(
        f"{date}/x",
        pd.Timestamp(date),
        pd.DataFrame({"county_fips": list(counties), "agreements": list(counties.values()), "models": ["TFM"] * len(counties)}),
        total,
    )


STEPS = [
    step("2025-03-31", {"48201": 1}, 1),
    step("2025-04-30", {"48201": 2, "48113": 1}, 3),
    step("2025-05-30", {"48201": 9, "48113": 4}, 13),
]

FILL_OF = """(id) => { const l = Object.values(mapcoreView.layers.areas._layers).find(x => x.feature.properties.id === id);
                       return l._path.getAttribute('fill'); }"""


def open_file(page, html: str, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(html)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.mapcoreRendered && window.mapcoreRendered.count >= 1", timeout=30_000)


def test_the_embed_file_opens_offline_without_any_outside_request(tmp_path):
    rows = pd.DataFrame([dict(state="TX", agency="Harris County Sheriff's Office", model="JEM", county_fips="48201", level="county")])
    spec = maps.county_map(county_summary(rows))
    caption = Caption("287(g) agreements per county", ("State: TX",), "2026-04-30")
    with browser_page(1200, 800) as page:
        open_file(page, webmap.embed_html(spec, caption), tmp_path, "embed")
        assert page.locator("path.mapcore-area").count() >= 3200
        assert page.evaluate(FILL_OF, "48201") == COUNT_COLORS[0]
        assert page.locator(".mc-caption h1").inner_text() == "287(g) agreements per county"
        assert "sheet of 2026-04-30" in page.locator(".mc-source").inner_text()
        assert "tiles" not in page.locator(".mc-side").inner_text().lower()  # no note about tiles in an embed
        assert page.blocked == []  # not one request left the file (tiles are off in an embed)


def test_slider_and_play_step_through_the_frames(tmp_path):
    spec = maps.spread_map(STEPS, ("TX",))
    with browser_page(1300, 900) as page:
        open_file(page, webmap.embed_html(spec, spread_caption("2025-03-31", "2025-05-30", "day")), tmp_path, "spread")
        date, note = page.locator(".mc-frame-date"), page.locator(".mc-frame-note")
        assert date.inner_text() == "2025-05-30" and note.inner_text() == "13 agreements listed · 2 counties with one"
        assert page.evaluate(FILL_OF, "48201") == COUNT_COLORS[3]
        paths = page.locator("path.mapcore-area").count()
        slider = page.locator(".mc-frame-slider")
        slider.press("Home")
        assert date.inner_text() == "2025-03-31" and page.evaluate(FILL_OF, "48113") == EMPTY_FILL
        assert page.evaluate(FILL_OF, "48201") == COUNT_COLORS[0]
        slider.press("ArrowRight")
        assert date.inner_text() == "2025-04-30" and page.evaluate(FILL_OF, "48113") == COUNT_COLORS[0]
        assert page.locator("path.mapcore-area").count() == paths  # recoloured, not redrawn
        tip = page.evaluate("""() => { const l = Object.values(mapcoreView.layers.areas._layers)
            .find(x => x.feature.properties.id === '48201'); l.openTooltip(l.getBounds().getCenter());
            return l.getTooltip().getElement().textContent; }""")
        assert "2 agreements: TFM" in tip  # the tooltip follows the frame
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "spread-slider.png"))
        page.get_by_role("button", name="Play").click()
        page.wait_for_function("() => window.mapcoreFrame.index === 2", timeout=10_000)
        page.wait_for_function("() => document.querySelector('.mc-frame-play').textContent.includes('Play')", timeout=10_000)
        assert date.inner_text() == "2025-05-30"  # played to the end and stopped
        page.get_by_role("button", name="Play").click()  # from the end, Play starts again at the first sheet
        page.wait_for_function("() => window.mapcoreFrame.index < 2", timeout=5_000)
        assert page.blocked == []
