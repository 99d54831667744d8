"""Maps: compact geometry round-trips, layers are present and switchable, text is escaped."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from mapcore.analysis.query import county_summary, state_summary
from mapcore.geo.boundaries import load_counties
from mapcore.geo.codec import decode_layer, encode_layer
from mapcore.ingest.laws import load_laws
from mapcore.render import maps


def _rows(**overrides) -> pd.DataFrame:
    base = dict(state="TX", agency="Harris County Sheriff's Office", model="JEM", county_fips="48201",
                level="county", jurisdiction_type="County")
    base.update(overrides)
    return pd.DataFrame([base])


def test_encoding_round_trips_on_the_grid():
    counties = load_counties()
    sample = counties[counties["state"] == "RI"]
    decoded = decode_layer(encode_layer(sample, "GEOID", "name"))
    assert [d[0] for d in decoded] == list(sample["GEOID"])
    for (_fid, _, polygons), geom in zip(decoded, sample.geometry):
        from shapely.geometry import MultiPolygon, Polygon
        rebuilt = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in polygons])
        assert rebuilt.symmetric_difference(geom).area < geom.area * 0.02


def test_county_map_has_every_county_and_the_switchable_layers():
    rows = pd.concat([_rows(), _rows(agency="Texas DPS", level="statewide", county_fips=None, model="TFM")])
    html = maps.map_html(maps.county_map(county_summary(rows), laws=load_laws(), statewide=rows[rows.level == "statewide"]))
    values = json.loads(re.search(r"var \w+_values = (\{.*?\});\n", html).group(1))
    assert values["48201"][0] == 0 and "Harris County Sheriff" in values["48201"][1]
    assert len(re.findall(r'\["\d{5}",', html)) >= 3200  # every county's geometry is sent
    for layer in ("287(g) agreements per county", "State law on 287(g)", "Statewide agencies (state level)"):
        assert layer in html
    assert "Texas DPS" in html


def test_national_county_map_payload_is_small():
    html = maps.map_html(maps.county_map(county_summary(_rows()), laws=load_laws()))
    assert len(html.encode()) < 1_500_000


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "\"><svg onload=alert(1)>"])
def test_agency_names_are_escaped_in_map_tooltips(name):
    rows = pd.concat([_rows(agency=name), _rows(agency=name, level="statewide", county_fips=None)])
    html = maps.map_html(maps.county_map(county_summary(rows), statewide=rows[rows.level == "statewide"]))
    assert name not in html
    assert "<img src=x" not in html and "<svg onload" not in html
    assert html.count("</script>") == html.count("<script")  # no early close of a script block


def test_state_map_counts_and_statewide_agencies_in_tooltips():
    rows = pd.concat([_rows(), _rows(agency="Texas DPS", level="statewide", county_fips=None, model="TFM")])
    html = maps.map_html(maps.state_map(state_summary(rows), laws=load_laws()))
    values = json.loads(re.search(r"var \w+_values = (\{.*?\});\n", html).group(1))
    assert values["TX"][0] == 0 and "Statewide agencies: Texas DPS" in values["TX"][1]


def test_one_state_map_is_fitted_to_that_state():
    html = maps.map_html(maps.county_map(county_summary(_rows()), only_states=("TX",)))
    assert '"48201"' in html and '"06037"' not in html


@pytest.mark.parametrize("count, expected", [(0, -1), (1, 0), (2, 1), (3, 1), (4, 2), (7, 2), (8, 3), (16, 4), (500, 4)])
def test_count_bins(count, expected):
    assert maps.count_bin(count) == expected


def test_county_map_takes_no_boundary_frames_it_would_ignore():
    """Issue 13, defect 3: county_map(counties, states) accepted frames and drew its own cached layers."""
    import inspect

    assert not {"counties", "states"} & set(inspect.signature(maps.county_map).parameters)
    with pytest.raises(TypeError):
        maps.county_map(county_summary(_rows()), counties=None)  # type: ignore[call-arg]
