"""The map view in a real browser, without a server: a spec and its geometry inlined into one HTML file
(:func:`mapcore.render.webmap.standalone_html`), opened in headless Chromium with every outside request
aborted. Checks what a reader sees: the law band over the counts, the unconfirmed marking, the state
views' extent, the phone layout, the tiles note, and that names stay text."""

from __future__ import annotations

import pandas as pd
import pytest
from browser_support import REPO, browser_page, chromium_path

from mapcore.analysis.query import county_summary
from mapcore.reference.laws import load_laws, low_confidence
from mapcore.render import maps, webmap

pytestmark = pytest.mark.browser
SHOTS = REPO / "artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _needs_chromium():
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        [
            dict(state="TX", agency="Harris County Sheriff's Office", model="JEM", county_fips="48201", level="county"),
            dict(state="TX", agency="Texas DPS", model="TFM", county_fips=None, level="statewide"),
            dict(state="NY", agency="Nassau County Sheriff's Office", model="JEM", county_fips="36059", level="county"),
            dict(state="HI", agency="Honolulu Police Department", model="TFM", county_fips="15003", level="municipal"),
        ]
    )


def _open(page, spec, tmp_path, name="map"):
    path = tmp_path / f"{name}.html"
    path.write_text(webmap.standalone_html(spec))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.mapcoreRendered && window.mapcoreRendered.count >= 1", timeout=30_000)
    page.wait_for_timeout(200)


def test_law_band_sits_over_the_counts_and_marks_unconfirmed_states(tmp_path):
    """The law shading keeps the counts visible, and a doubtful law is drawn differently."""
    rows, laws = _rows(), load_laws()
    spec = maps.county_map(county_summary(rows), laws=laws, statewide=rows[rows.level == "statewide"], show_law=True)
    low = set(laws.loc[low_confidence(laws), "state"])
    with browser_page(1300, 900) as page:
        _open(page, spec, tmp_path)
        # The counts keep their colours and opacity with the law on: the law is a stroke, not a fill.
        harris = page.locator("path.mapcore-area[fill='#c7e9b4']")
        assert harris.count() == 3 and harris.first.get_attribute("fill-opacity") == "0.85"
        bands = page.locator("path.mapcore-law")
        assert bands.count() >= 40
        assert all(bands.nth(i).get_attribute("fill") == "none" for i in range(bands.count()))
        dashed = {bands.nth(i).get_attribute("data-state") for i in range(bands.count()) if bands.nth(i).get_attribute("stroke-dasharray")}
        assert dashed == low
        assert all((page.locator(f"#mc-clip-{s}").count() == 1) for s in dashed)  # each band clipped inside its state
        legend = page.locator(".mc-side").inner_text()
        assert "Dashed: unconfirmed" in legend and "Statewide agency" in legend
        # A county in an unconfirmed state says so in its tooltip.
        assert page.locator("path.mapcore-area").count() >= 3200
        honolulu = page.evaluate("""() => { const l = Object.values(mapcoreView.layers.areas._layers)
            .find(x => x.feature.properties.id === '15003'); l.openTooltip(l.getBounds().getCenter());
            return l.getTooltip().getElement().textContent; }""")
        assert "Honolulu Police Department" in honolulu and "unconfirmed" in honolulu
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "map-law-band.png"))


@pytest.mark.parametrize(
    "state, inside",
    [
        ("TX", [(36.49, -103.0), (36.49, -100.0), (25.9, -97.2), (26.0, -98.2)]),  # panhandle top, Rio Grande Valley
        ("CA", [(32.6, -117.1), (32.7, -114.7), (41.99, -124.2)]),  # San Diego, Imperial, the north
        ("NY", [(41.07, -71.86), (40.6, -73.6), (45.0, -74.0), (42.0, -79.76)]),  # Montauk, Nassau, the north
    ],
)
@pytest.mark.parametrize("width", [1300, 390])
def test_a_state_view_shows_the_whole_state(tmp_path, state, inside, width):
    """No part of a state is cut off (Texas's panhandle and the Rio Grande Valley, California's south, New
    York's Long Island once were). Every corner of the state must be inside the drawn map, on a desktop and a phone."""
    spec = maps.county_map(county_summary(_rows()), laws=load_laws(), only_states=(state,), show_law=True, height=480)
    with browser_page(width, 900) as page:
        _open(page, spec, tmp_path)
        for lat, lon in inside:
            assert page.evaluate(f"() => mapcoreMap.getBounds().contains([{lat}, {lon}])"), (state, width, lat, lon)
        # The whole state with a margin (2% of its extent on every side), and no legend over the map.
        assert page.evaluate("([b]) => mapcoreMap.getBounds().contains(L.latLngBounds(b).pad(0.02))", [spec.args["view"]["bounds"]])
        assert page.evaluate("""() => { const m = document.querySelector('.mc-map').getBoundingClientRect();
            return [...document.querySelectorAll('.mc-legend')].every(l => { const r = l.getBoundingClientRect();
                return r.left >= m.right || r.right <= m.left || r.top >= m.bottom || r.bottom <= m.top; }); }""")
        if width == 390:
            page.screenshot(path=str(tmp_path / "phone.png"))


def test_a_state_without_agreements_says_so(tmp_path):
    spec = maps.county_map(
        county_summary(_rows().iloc[0:0]),
        laws=load_laws(),
        only_states=("VT",),
        show_law=True,
        empty_note="No 287(g) agreement in Vermont in ICE's newest sheet.",
    )
    with browser_page(1300, 900) as page:
        _open(page, spec, tmp_path)
        assert page.locator(".mc-empty").inner_text() == "No 287(g) agreement in Vermont in ICE's newest sheet."
        assert "agreements per county" not in page.locator(".mc-side").inner_text()


def test_phone_layout_puts_the_legend_below_a_shorter_map(tmp_path):
    """At 390 px the map and legend fit the width; the map height adapts."""
    spec = maps.county_map(county_summary(_rows()), laws=load_laws(), show_law=True, height=600)
    with browser_page(390, 800) as page:
        _open(page, spec, tmp_path)
        box = page.locator(".mc-map").bounding_box()
        side = page.locator(".mc-side").bounding_box()
        assert box["width"] <= 390 and box["height"] < 400
        assert side["y"] >= box["y"] + box["height"] and side["width"] <= 390
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert page.evaluate("() => mapcoreMap.getBounds().contains([[19.5, -124], [48.9, -67.5]])")


def test_tiles_off_or_unreachable_draws_on_a_plain_background_and_says_so(tmp_path, monkeypatch):
    """No outside request is needed; tiles are optional and their absence is told."""
    spec = maps.county_map(county_summary(_rows()))
    with browser_page(1300, 900) as page:
        _open(page, spec, tmp_path, "tiles-on")
        page.wait_for_function("() => document.querySelector('.mc-tiles-note')", timeout=20_000)
        assert "could not be loaded" in page.locator(".mc-tiles-note").inner_text()
        assert page.locator("path.mapcore-area").count() >= 3200
        assert all("openstreetmap" in url for url in page.blocked)  # the only outside requests: the optional tiles
        monkeypatch.setenv("MAPCORE_TILES", "off")
        page.blocked.clear()
        _open(page, maps.county_map(county_summary(_rows())), tmp_path, "tiles-off")
        assert "tiles are off" in page.locator(".mc-tiles-note").inner_text()
        assert page.blocked == [] and page.locator("path.mapcore-area").count() >= 3200


HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>", "${alert(3)}", '"><svg onload=alert(4)>']


def test_hostile_names_are_text_in_tooltips_and_never_run(tmp_path):
    rows = pd.DataFrame([dict(state="TX", agency=name, model="JEM", county_fips="48201", level="county") for name in HOSTILE])
    statewide = rows.assign(level="statewide", county_fips=None)
    spec = maps.county_map(county_summary(rows), statewide=statewide, pending=rows, only_states=("TX",))
    with browser_page(1300, 900) as page:
        _open(page, spec, tmp_path)
        text = page.evaluate("""() => { const l = Object.values(mapcoreView.layers.areas._layers)
            .find(x => x.feature.properties.id === '48201'); l.openTooltip(l.getBounds().getCenter());
            return l.getTooltip().getElement().textContent; }""")
        for name in HOSTILE:
            assert name in text
        page.locator(".mapcore-statewide").first.hover(force=True)
        page.wait_for_timeout(300)
        tips = " ".join(t.text_content() for t in page.locator(".leaflet-tooltip").all())
        assert all(name in tips for name in HOSTILE)
        assert page.locator(".leaflet-tooltip img, .leaflet-tooltip script, .leaflet-tooltip svg").count() == 0
        assert page.locator("img[src=x], svg[onload]").count() == 0
        assert page.dialogs == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_tap_on_a_phone_opens_one_box_inside_the_map(tmp_path, lang):
    """On a touch screen (no hover) a tap on a county shows one box, its lines and its state's law and source
    together, inside the map; the legend says "tap", and every word is in the reader's language."""
    from mapcore.core import i18n

    rows, laws = _rows(), load_laws()
    with i18n.using_language(lang):
        spec = maps.county_map(
            county_summary(rows), laws=laws, statewide=rows[rows.level == "statewide"], show_law=True, only_states=("TX",)
        )
    with browser_page(390, 844, touch=True) as page:
        _open(page, spec, tmp_path, name=f"tap-{lang}")
        assert page.evaluate("() => matchMedia('(hover: none)').matches")
        box = page.locator(".mc-map").bounding_box()
        point = page.evaluate("""() => { const l = Object.values(mapcoreView.layers.areas._layers)
            .find(x => x.feature.properties.id === '48201');
            const p = mapcoreMap.latLngToContainerPoint(l.getBounds().getCenter());
            const r = mapcoreMap.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""")
        page.touchscreen.tap(*point)  # a finger on Harris County
        page.wait_for_timeout(600)
        assert page.locator(".leaflet-popup").count() == 1
        assert page.locator(".leaflet-tooltip").count() == 0
        popup = page.locator(".leaflet-popup").bounding_box()
        assert box["x"] <= popup["x"] and popup["x"] + popup["width"] <= box["x"] + box["width"] + 1
        text = page.locator(".leaflet-popup").inner_text()
        legend = page.locator(".mc-side").inner_text()
        assert "Harris County" in text and "Harris County Sheriff's Office" in text
        if lang == "es":
            assert "Ley estatal:" in text and "Fuente" in text and "toque para ver los nombres" in legend
            assert "State law" not in text and "Source" not in text
        else:
            assert "State law:" in text and "Source" in text and "tap for names" in legend and "hover" not in legend
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"map-tap-390-{lang}.png"))


def _attribution(page) -> str:
    return page.locator(".leaflet-control-attribution").inner_text()


def test_after_tiles_fail_no_map_of_the_tab_asks_again_nor_credits_them(tmp_path):
    """A machine without network made tile requests on every map of every page, and the
    attribution kept naming OpenStreetMap beside the note that tiles could not be loaded."""
    spec = maps.county_map(county_summary(_rows()))
    assert "openstreetmap" in spec.args["tiles"]["url"]
    with browser_page(1300, 900) as page:
        _open(page, spec, tmp_path, "first")
        page.wait_for_function("() => document.querySelector('.mc-tiles-note')", timeout=20_000)
        page.wait_for_timeout(500)
        asked = len(page.blocked)
        assert asked > 0 and all("openstreetmap" in url for url in page.blocked)
        assert "OpenStreetMap" not in _attribution(page) and "Census" in _attribution(page)
        for name in ("second", "third"):  # other maps of the same tab: not one more tile request
            _open(page, spec, tmp_path, name)
            page.wait_for_timeout(1000)
            assert len(page.blocked) == asked, page.blocked[asked:]
            assert "could not be loaded" in page.locator(".mc-tiles-note").inner_text()
            assert "OpenStreetMap" not in _attribution(page)


def test_an_offline_app_starts_without_tiles(tmp_path):
    spec = maps.county_map(county_summary(_rows()))
    offline = maps.MapSpec(maps.offline(spec), spec.files)
    with browser_page(1300, 900) as page:
        _open(page, offline, tmp_path, "offline")
        page.wait_for_timeout(1000)
        assert page.blocked == []
        assert "Offline" in page.locator(".mc-tiles-note").inner_text()
        assert "OpenStreetMap" not in _attribution(page) and page.locator("path.mapcore-area").count() >= 3200
