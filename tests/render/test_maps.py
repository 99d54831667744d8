"""Map specs: geometry in content-addressed files, values per place, legends, views; plain text only."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from mapcore.analysis.query import county_summary, state_summary
from mapcore.geo.boundaries import load_counties, load_states
from mapcore.geo.codec import decode_layer, encode_layer
from mapcore.reference.laws import load_laws
from mapcore.render import law_layer, maps


def _rows(**overrides) -> pd.DataFrame:
    base = dict(
        state="TX", agency="Harris County Sheriff's Office", model="JEM", county_fips="48201", level="county", jurisdiction_type="County"
    )
    base.update(overrides)
    return pd.DataFrame([base])


def _with_statewide() -> pd.DataFrame:
    return pd.concat([_rows(), _rows(agency="Texas DPS", level="statewide", county_fips=None, model="TFM")])


def test_encoding_round_trips_on_the_grid():
    counties = load_counties()
    sample = counties[counties["state"] == "RI"]
    decoded = decode_layer(encode_layer(sample, "GEOID", "name", group_column="state"))
    assert [d[0] for d in decoded] == list(sample["GEOID"])
    for (_fid, _, polygons), geom in zip(decoded, sample.geometry):
        from shapely.geometry import MultiPolygon, Polygon

        rebuilt = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])
        assert rebuilt.symmetric_difference(geom).area < geom.area * 0.02


def test_geometry_files_are_content_addressed_and_hold_every_county():
    spec = maps.county_map(county_summary(_rows()))
    names = [f.name for f in spec.files]
    assert spec.args["areas"]["files"] == [names[0]] and spec.args["outlines"]["files"] == [names[1]]
    for geometry in spec.files:
        digest = hashlib.sha256(geometry.text.encode()).hexdigest()[:12]
        assert geometry.name.endswith(f"-{digest}.json")
    counties = json.loads(spec.files[0].text)["f"]
    assert len(counties) >= 3200 and all(len(f) == 4 for f in counties)  # id, label, polygons, state
    harris = next(f for f in counties if f[0] == "48201")
    assert harris[1] == "Harris County, TX" and harris[3] == "TX"
    prince_georges = next(f for f in counties if f[0] == "24033")
    assert prince_georges[1] == "Prince George's County, MD"  # plain text, not HTML-escaped


def test_values_not_geometry_change_with_the_filter():
    """Two filters give the same geometry files and different values: only values travel."""
    one = maps.county_map(county_summary(_rows()))
    two = maps.county_map(county_summary(pd.concat([_rows(), _rows(county_fips="12031", state="FL")])))
    assert [f.name for f in one.files] == [f.name for f in two.files]
    assert set(two.args["areas"]["values"]) == {"48201", "12031"}
    assert json.loads(one.to_json()) == one.args
    assert len(one.to_json()) < 5_000  # no geometry in the per-change payload


def test_county_map_values_markers_and_layers():
    rows = _with_statewide()
    spec = maps.county_map(county_summary(rows), laws=load_laws(), statewide=rows[rows.level == "statewide"])
    harris = spec.args["areas"]["values"]["48201"]
    assert harris[0] == 0 and harris[1] == "1 agreement: JEM" and "Harris County Sheriff's Office" in harris[2]
    (diamond,) = spec.args["markers"]["statewide"]
    assert diamond[2] == "TX: statewide agencies" and diamond[3] == "Texas DPS (TFM)"
    assert -107 < diamond[1] < -93 and 25 < diamond[0] < 37  # inside Texas
    assert "law" not in spec.args  # the law band only when asked for
    with_law = maps.county_map(county_summary(rows), laws=load_laws(), show_law=True)
    assert with_law.args["law"]["states"]["TX"]["s"] == "mandates"
    assert [s["title"] for s in with_law.args["legends"]][-1].startswith(law_layer.LAYER_NAME)


def test_statewide_diamonds_have_their_own_legend_entry_and_colour():
    """Statewide diamonds have their own colour (not the purple of 'prohibits') and a legend entry."""
    rows = _with_statewide()
    spec = maps.county_map(county_summary(rows), laws=load_laws(), statewide=rows[rows.level == "statewide"], show_law=True)
    items = [item for section in spec.args["legends"] for item in section["items"]]
    (diamond,) = [item for item in items if "diamond" in item]
    assert "Statewide agenc" in diamond["label"]
    palettes = {c.lower() for c in (*law_layer.STATUS_COLORS.values(), *maps.COUNT_COLORS, maps.EMPTY_FILL)}
    assert diamond["diamond"].lower() not in palettes and maps.STATEWIDE_FILL.lower() not in palettes


def test_national_payload_is_small():
    spec = maps.county_map(county_summary(_rows()), laws=load_laws(), show_law=True)
    assert len(spec.to_json().encode()) < 30_000
    assert sum(len(f.text.encode()) for f in spec.files) < 700_000


def test_state_map_counts_and_statewide_agencies_in_tooltips():
    spec = maps.state_map(state_summary(_with_statewide()), laws=load_laws())
    assert spec.args["areas"]["values"]["TX"][0] == 0
    assert "Statewide agencies: Texas DPS" in spec.args["areas"]["values"]["TX"][2]
    assert spec.args["areas"]["kind"] == "states" and spec.args["view"]["key"] == "states:national"


def test_one_state_map_sends_that_state_only_and_reuses_the_national_geometry():
    both = pd.concat([_rows(), _rows(state="CA", county_fips="06037")])
    national = maps.county_map(county_summary(both))
    spec = maps.county_map(county_summary(both), only_states=("TX",))
    assert set(spec.args["areas"]["values"]) == {"48201"}  # California's county is not sent for a Texas map
    assert spec.args["areas"]["focus"] == ["TX"] and spec.args["view"]["key"] == "counties:TX"
    assert [f.name for f in spec.files] == [f.name for f in national.files]  # nothing new to fetch


def test_inset_states_get_their_true_position_files():
    spec = maps.county_map(county_summary(_rows(state="AK", county_fips="02020")), only_states=("AK",))
    ids = {f[0] for f in json.loads(spec.files[0].text)["f"]}
    assert spec.files[0].name.startswith("counties-AK-") and ids and all(i.startswith("02") for i in ids)
    (south, west), (north, east) = spec.args["view"]["bounds"]
    assert 51 < south < 55 and north > 71 and west == -170.0  # true position, not the inset


@pytest.mark.parametrize(
    "state, corners",
    [
        # (west, south, east, north) the view must reach: Texas's panhandle top and the Rio Grande Valley,
        # California's south (Imperial and San Diego counties), New York's Long Island (Nassau, Suffolk).
        ("TX", (-106.6, 25.9, -93.6, 36.49)),
        ("CA", (-124.3, 32.6, -114.2, 41.9)),
        ("NY", (-79.7, 40.55, -71.9, 44.9)),
    ],
)
def test_state_views_hold_the_whole_state(state, corners):
    """The bounds sent (the browser test checks what is drawn)."""
    (south, west), (north, east) = maps.view_bounds((state,))
    w, s, e, n = corners
    assert west <= w and south <= s and east >= e and north >= n
    frame = load_states()
    total = frame[frame["state"] == state].total_bounds
    assert (west, south, east, north) == pytest.approx(tuple(total), abs=0.001)


def test_a_state_without_agreements_says_so_and_has_no_count_legend():
    """An empty map says so and shows no count legend."""
    spec = maps.county_map(
        county_summary(_rows().iloc[0:0]),
        laws=load_laws(),
        only_states=("VT",),
        show_law=True,
        empty_note="No 287(g) agreement in Vermont in ICE's newest sheet.",
    )
    assert spec.args["empty"] == "No 287(g) agreement in Vermont in ICE's newest sheet."
    assert [s["title"] for s in spec.args["legends"]] == [s["title"] for s in [law_layer.law_legend(load_laws())]]
    assert maps.county_map(county_summary(_rows())).args.get("empty") is None


def test_tiles_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("MAPCORE_TILES", "off")
    assert maps.county_map(county_summary(_rows())).args["tiles"] is None
    monkeypatch.setenv("MAPCORE_TILES", "javascript:alert(1)/{z}/{x}/{y}")
    assert maps.tiles() is None
    monkeypatch.setenv("MAPCORE_TILES", "https://tiles.example.org/{z}/{x}/{y}.png")
    assert maps.tiles()["url"] == "https://tiles.example.org/{z}/{x}/{y}.png"
    monkeypatch.delenv("MAPCORE_TILES")
    assert "openstreetmap" in maps.tiles()["url"]


@pytest.mark.parametrize("count, expected", [(0, -1), (1, 0), (2, 1), (3, 1), (4, 2), (7, 2), (8, 3), (16, 4), (500, 4)])
def test_count_bins(count, expected):
    assert maps.count_bin(count) == expected


def test_county_map_draws_its_own_layers_and_refuses_boundary_frames_it_would_ignore():
    """county_map draws the package's own cached layers: a boundary frame handed to it (which it would
    ignore) is an error, and the geometry it sends holds every county of those layers."""
    summary = county_summary(_rows())
    counties, states = load_counties(), load_states()
    for name, frame in (("counties", counties[counties["state"] == "TX"]), ("states", states[states["state"] == "TX"])):
        with pytest.raises(TypeError, match=name):
            maps.county_map(summary, **{name: frame})
    spec = maps.county_map(summary)
    assert {f[0] for f in json.loads(spec.files[0].text)["f"]} == set(counties["GEOID"])
    assert {f[0] for f in json.loads(spec.files[1].text)["f"]} == set(states["state"])


def _territories() -> pd.DataFrame:
    """Statewide agencies of territories ICE lists: Guam (one), the Northern Mariana Islands (two), and the
    others a sheet could list (Puerto Rico, the Virgin Islands, American Samoa)."""
    rows = [
        ("GU", "Office of the Attorney General of Guam"),
        ("MP", "CNMI Department of Public Safety"),
        ("MP", "CNMI Department of Corrections"),
        ("PR", "Puerto Rico Police Bureau"),
        ("VI", "Virgin Islands Police Department"),
        ("AS", "American Samoa Department of Public Safety"),
    ]
    return pd.concat([_rows(state=s, agency=a, level="statewide", county_fips=None, model="TFM") for s, a in rows])


@pytest.mark.parametrize("only_states", [(), ("GU",), ("MP", "TX"), ("VI",)])
def test_every_territorys_statewide_agencies_get_a_diamond(only_states):
    statewide = _territories()
    if only_states:
        statewide = statewide[statewide["state"].isin(only_states)]
    spec = maps.county_map(county_summary(statewide), statewide=statewide, only_states=only_states)
    diamonds = {d[2].split(":")[0]: d[3:] for d in spec.args["markers"]["statewide"]}
    assert set(diamonds) == set(statewide["state"])
    assert sum(len(lines) for lines in diamonds.values()) == len(statewide), "one line per agency"
    (south, west), (north, east) = spec.args["view"]["bounds"]
    for lat, lon, *_ in spec.args["markers"]["statewide"]:
        assert south <= lat <= north and west <= lon <= east, "every diamond inside the view fitted"


def test_shaded_maps_draw_territory_diamonds_too():
    statewide = _territories()
    spec = maps.state_map(state_summary(statewide))
    drawn = {d[2] for d in spec.args.get("markers", {}).get("statewide", [])}
    assert drawn == {"Guam (GU)", "Northern Mariana Islands (MP)", "Virgin Islands (VI)", "American Samoa (AS)"}, (
        "no outline to shade: their agreements are drawn as diamonds"
    )
    assert "PR" in spec.args["areas"]["values"], "Puerto Rico has an outline: shaded"


def test_a_long_list_of_names_says_how_many_more_in_the_readers_language():
    """A county with more agencies than a tooltip lists: 'and 1 more' is worded when shown, never cached in English."""
    from mapcore.analysis.query import county_summary
    from mapcore.core import i18n

    rows = pd.DataFrame(
        [
            dict(state="FL", agency=f"Agency {i:02d} Police Department", model="TFM", county_fips="12086", level="municipal")
            for i in range(13)
        ]
    )
    summary = county_summary(rows)
    assert "more" not in summary["agencies"].iloc[0]  # a fact: the names and how many were left out
    assert maps.county_map(summary).args["areas"]["values"]["12086"][2].endswith("; and 1 more")
    with i18n.using_language("es"):
        assert maps.county_map(summary).args["areas"]["values"]["12086"][2].endswith("; y 1 más")
