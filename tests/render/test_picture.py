"""Map pictures (PNG, SVG) drawn from the same MapSpec the browser draws: fills at each place, legend labels
as SVG text, a title that states the filters, a source line that names the sheet's date, AK/HI/PR insets."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

from mapcore.analysis.query import Filters, county_summary
from mapcore.geo.boundaries import INSETS, load_counties
from mapcore.geo.codec import encode_layer
from mapcore.geo.web_layers import geometry_file
from mapcore.reference.laws import load_laws
from mapcore.render import maps, picture
from mapcore.render.caption import Caption, caption_for, filter_words, spread_caption
from mapcore.render.maps import COUNT_COLORS, EMPTY_FILL, MapSpec

SVG = "{http://www.w3.org/2000/svg}"


def two_county_spec() -> MapSpec:
    """A constructed view: two square 'counties' side by side in one 'state', one in class 0 and one in
    class 3, with a legend naming both classes."""
    import geopandas as gpd
    from shapely.geometry import box

    counties = gpd.GeoDataFrame(
        {"id": ["99001", "99003"], "label": ["West County, ZZ", "East County, ZZ"], "group": ["ZZ", "ZZ"]},
        geometry=[box(-100, 40, -99, 41), box(-99, 40, -98, 41)],
    )
    state = gpd.GeoDataFrame({"id": ["ZZ"], "label": ["Zedland"]}, geometry=[box(-100, 40, -98, 41)])
    areas = geometry_file("counties-test", encode_layer(counties, "id", "label", group_column="group"))
    outline = geometry_file("states-test", encode_layer(state, "id", "label"))
    legend = {
        "title": "Agreements per county",
        "items": [
            {"fill": EMPTY_FILL, "label": "none"},
            {"fill": COUNT_COLORS[0], "label": "exactly one"},
            {"fill": COUNT_COLORS[3], "label": "eight to fifteen"},
        ],
        "notes": ["JEM: Jail Enforcement Model"],
    }
    args = {
        "v": 1,
        "name": "Agreements per county",
        "areas": {
            "kind": "counties",
            "files": [areas.name],
            "palette": list(COUNT_COLORS),
            "empty": EMPTY_FILL,
            "weight": 0.3,
            "values": {"99001": [0, "1 agreement"], "99003": [3, "9 agreements"]},
            "focus": [],
        },
        "outlines": {"files": [outline.name]},
        "markers": {},
        "legends": [legend],
        "view": {"key": "counties:ZZ", "bounds": [[40.0, -100.0], [41.0, -98.0]]},
        "tiles": None,
        "height": 500,
    }
    return MapSpec(args, (areas, outline))


def pixel_at(picture_: picture.MapPicture, png: bytes, lon: float, lat: float, around: int = 0) -> tuple[int, int, int]:
    """The PNG's colour at a map position (the figure's data transform, at the PNG's resolution); with
    ``around``, the most common colour in that many pixels on each side (a small place's centre may sit
    near a border line)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x, y = picture_.ax.transData.transform((lon, float(picture._merc_y(np.array([lat]))[0])))
    scale = image.width / (picture_.figure.get_figwidth() * picture_.figure.dpi)
    col, row = int(round(x * scale)), int(round(image.height - y * scale))
    patch = [image.getpixel((col + dx, row + dy)) for dx in range(-around, around + 1) for dy in range(-around, around + 1)]
    return max(set(patch), key=patch.count)


def rgb255(color: str) -> tuple[int, int, int]:
    return tuple(int(round(255 * c)) for c in to_rgb(color))  # type: ignore[return-value]


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_png_of_a_two_county_view_fills_each_county_in_its_class_colour():
    spec = two_county_spec()
    drawn = picture.MapPicture(spec, Caption("Agreements per county", sheet_date="2026-04-30"))
    png = drawn.to_bytes("png")
    assert Image.open(io.BytesIO(png)).width >= 2000
    assert pixel_at(drawn, png, -99.5, 40.5) == rgb255(COUNT_COLORS[0])
    assert pixel_at(drawn, png, -98.5, 40.5) == rgb255(COUNT_COLORS[3])
    # A county without a value is drawn empty, not in a class colour.
    spec.args["areas"]["values"].pop("99003")
    redrawn = picture.MapPicture(spec, Caption("Agreements per county"))
    assert pixel_at(redrawn, redrawn.to_bytes("png"), -98.5, 40.5) == rgb255(EMPTY_FILL)


def test_svg_keeps_the_legend_labels_title_filters_and_source_as_text():
    caption = caption_for("Agreements per county", Filters(models=("TFM",), states=("TX",)), pd.Timestamp("2026-04-30"))
    texts = svg_texts(picture.render_map(two_county_spec(), caption, "svg"))
    for label in ("Agreements per county", "none", "exactly one", "eight to fifteen", "JEM: Jail Enforcement Model"):
        assert label in texts
    assert "Model: TFM (Task Force) · State: TX" in texts  # the filters, under the title
    source = next(t for t in texts if t.startswith("Source: "))
    assert "ICE 287(g) participating agencies, sheet of 2026-04-30" in source
    assert "287(g) agreements map" in source


def test_caption_states_filters_and_sheet_and_the_law_only_when_used():
    filters = Filters(
        models=("JEM", "WSO"),
        states=("TX", "LA"),
        types=("County",),
        law_statuses=("mandates",),
        signed_from=pd.Timestamp("2025-01-01").date(),
        text="sheriff",
    )
    parts = filter_words(filters)
    assert parts == (
        "Models: JEM (Jail Enforcement), WSO (Warrant Service)",
        "States: TX, LA",
        "Jurisdiction type: County",
        "State law: Mandates",
        "Signed 2025-01-01 to any date",
        "Agency name contains “sheriff”",
    )
    with_law = caption_for("Map", filters, "2026-04-30")  # a law filter: the law in force that day
    assert with_law.source_line() == (
        "Source: ICE 287(g) participating agencies, sheet of 2026-04-30; state law as in force "
        "that day; map: 287(g) agreements map; boundaries: US Census Bureau"
    )
    plain = caption_for("Map", Filters(), "2026-04-30")
    assert "state law" not in plain.source_line() and plain.filter_line() == "All agreements listed"
    assert "state law as in force that day" in caption_for("Map", None, "2026-04-30", law_shown=True).source_line()
    pending = caption_for("Map", Filters(), "2026-04-29", kind="pending")
    assert "ICE 287(g) pending applications, sheet of 2026-04-29" in pending.source_line()
    assert pending.filter_line() == "Pending applications"
    clip = spread_caption("2025-02-26", "2026-04-30", "month")
    assert "sheets of 2025-02-26 to 2026-04-30" in clip.source_line()
    assert clip.file_stem("287(g) agreements per county") == "287g-agreements-per-county-2026-04-30"
    named = caption_for("287(g) agreements per county", Filters(models=("TFM",), states=("TX",)), "2026-04-30")
    assert named.file_stem(named.title) == "287g-agreements-per-county-TX-TFM-2026-04-30"


def test_national_picture_draws_alaska_hawaii_and_puerto_rico_in_their_insets():
    counties = load_counties().set_index("GEOID")
    chosen = {"02020": 4, "15003": 2, "72127": 3, "48201": 1}  # Anchorage, Honolulu, San Juan, Harris
    rows = pd.DataFrame(
        [
            dict(
                state=counties.at[fips, "state"],
                agency=f"Agency {i}",
                model="JEM",
                county_fips=fips,
                level="county",
                jurisdiction_type="County",
            )
            for fips, count in chosen.items()
            for i in range(2**count - 1 if count else 1)
        ]
    )
    spec = maps.county_map(county_summary(rows))
    drawn = picture.MapPicture(spec, Caption("Agreements per county", sheet_date="2026-04-30"))
    png = drawn.to_bytes("png")
    for fips, klass in {"02020": 3, "15003": 1, "72127": 2, "48201": 0}.items():
        point = counties.loc[fips].geometry.representative_point()
        xy = np.array([[point.x, point.y]])
        state = counties.at[fips, "state"]
        if state in INSETS:
            xy = INSETS[state].apply(xy)
        assert pixel_at(drawn, png, xy[0, 0], xy[0, 1], around=2) == rgb255(COUNT_COLORS[klass]), fips


def test_law_band_and_markers_are_drawn_from_the_spec():
    rows = pd.DataFrame(
        [
            dict(
                state="TX",
                agency="Harris County Sheriff's Office",
                model="JEM",
                county_fips="48201",
                level="county",
                jurisdiction_type="County",
            ),
            dict(state="TX", agency="Texas DPS", model="TFM", county_fips=None, level="statewide", jurisdiction_type="State"),
        ]
    )
    laws = load_laws()
    spec = maps.county_map(county_summary(rows), laws=laws, statewide=rows[rows.level == "statewide"], show_law=True)
    svg = picture.render_map(spec, Caption("Agreements per county", sheet_date="2026-04-30", law=True), "svg")
    banded = sum(1 for entry in spec.args["law"]["states"].values() if spec.args["law"]["colors"].get(entry["s"]) or entry["u"])
    assert len(re.findall(rb"<clipPath ", svg)) >= banded > 30  # one clip per band, inside its state
    mandates = spec.args["law"]["colors"]["mandates"].encode()
    assert b"stroke: " + mandates in svg
    texts = svg_texts(svg)
    assert "Statewide agency (state level)" in texts  # the browser's "hover for names" left out on paper
    assert not any("hover" in t for t in texts)


def test_a_state_view_draws_only_what_reaches_its_extent():
    rows = pd.DataFrame(
        [dict(state="RI", agency="Providence PD", model="TFM", county_fips="44007", level="municipal", jurisdiction_type="Municipality")]
    )
    spec = maps.county_map(county_summary(rows), only_states=("RI",))
    drawn = picture.MapPicture(spec, Caption("Agreements per county"))
    assert 5 <= len(drawn.areas) < 200  # Rhode Island and its neighbours' edges, not 3,220 counties
    assert {p.group for p in drawn.areas} >= {"RI", "MA", "CT"}


def test_unknown_format_and_missing_geometry_are_refused():
    with pytest.raises(ValueError, match="picture format"):
        picture.render_map(two_county_spec(), Caption("x"), "jpg")
    spec = two_county_spec()
    with pytest.raises(ValueError, match="does not carry"):
        picture.render_map(MapSpec(spec.args, spec.files[:1]), Caption("x"))


def test_a_spread_picture_shows_its_frame_with_date_and_running_count():
    spec = two_county_spec()
    spec.args["frames"] = [
        {"label": "2025-03-31", "note": "1 agreement listed · 1 county with one", "values": {"99001": [0, "1 agreement"]}},
        {
            "label": "2025-04-30",
            "note": "10 agreements listed · 2 counties with one",
            "values": {"99001": [0, "1 agreement"], "99003": [3, "9 agreements"]},
        },
    ]
    spec.args["frame"] = 0
    drawn = picture.MapPicture(spec, Caption("Spread", sheet_date="2025-03-31", sheet_until="2025-04-30"))
    png = drawn.to_bytes("png")
    assert pixel_at(drawn, png, -98.5, 40.5) == rgb255(EMPTY_FILL)
    texts = svg_texts(drawn.to_bytes("svg"))
    assert "2025-03-31" in texts and any("1 agreement listed" in t for t in texts)
    drawn.set_values(spec.args["frames"][1]["values"], "2025-04-30", spec.args["frames"][1]["note"])
    assert pixel_at(drawn, drawn.to_bytes("png"), -98.5, 40.5) == rgb255(COUNT_COLORS[3])


def test_a_picture_asked_in_spanish_has_a_spanish_title_filters_legend_and_source():
    from mapcore.core import i18n

    with i18n.using_language("es"):
        spec = two_county_spec()  # its geometry, with the count map's own (translated) name and legend
        spec.args["name"] = name = maps.county_map(pd.DataFrame(columns=["county_fips", "agreements", "models", "agencies"])).args["name"]
        spec.args["legends"] = [maps.count_legend(what=name)]
        caption = caption_for(name, Filters(models=("TFM",), states=("TX",)), pd.Timestamp("2026-04-30"))
        svg = picture.render_map(spec, caption, "svg")
    texts = svg_texts(svg)
    assert "Acuerdos 287(g) por condado" in texts
    assert "Modelo: TFM (Fuerza de tarea) · Estado: TX" in texts
    assert any(t.startswith("Fuente: ICE 287(g), agencias participantes, hoja del 30 abr 2026") for t in texts)
