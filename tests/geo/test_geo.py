"""Boundary layer: the committed geo/ files, their topology, the insets and the builder."""

from __future__ import annotations

import argparse

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from mapcore.core.config import GEO_DIR
from mapcore.geo import boundaries as geo

TRICKY = {
    "51510": "Alexandria city",
    "22071": "Orleans Parish",
    "02110": "Juneau City and Borough",
    "09001": "Fairfield County",
    "35013": "Doña Ana County",
    "12109": "St. Johns County",
    "46102": "Oglala Lakota County",
    "02158": "Kusilvak Census Area",
    "29510": "St. Louis city",
    "11001": "District of Columbia",
    "72127": "San Juan Municipio",
}


@pytest.fixture(scope="module")
def counties() -> gpd.GeoDataFrame:
    return geo.load_counties()


@pytest.fixture(scope="module")
def states() -> gpd.GeoDataFrame:
    return geo.load_states()


def test_county_layer(counties):
    assert 3200 <= len(counties) <= 3240
    assert counties.crs.to_epsg() == 4326
    assert list(counties.columns) == ["GEOID", "name", "state", "state_fips", "geometry"]
    assert counties["GEOID"].is_unique
    assert counties["GEOID"].str.fullmatch(r"\d{5}").all()
    assert (counties["GEOID"].str[:2] == counties["state_fips"]).all()
    assert counties.is_valid.all() and not counties.is_empty.any()
    assert not counties["state"].isin(["GU", "VI", "AS", "MP"]).any()


def test_state_layer(states):
    assert len(states) == 52  # 50 states, DC, PR
    assert states.crs.to_epsg() == 4326
    assert {"DC", "PR", "TX", "AK", "HI"} <= set(states["state"])
    assert states.set_index("state").loc["TX", "name"] == "Texas"
    assert (states["GEOID"] == states["state_fips"]).all()
    assert states.is_valid.all()


def test_tricky_geoids_and_names(counties):
    names = geo.county_names()
    for geoid, name in TRICKY.items():
        assert geoid in geo.county_ids()
        assert names[geoid] == name
    assert (counties["state"] == "CT").sum() == 8  # ICE prints the legacy counties


def test_loaders_return_copies():
    first = geo.load_counties()
    first["name"] = "x"
    assert geo.load_counties()["name"].iloc[0] != "x"
    assert isinstance(geo.county_ids(), frozenset)


def test_counties_tile_each_state(counties, states):
    assert shapely.coverage_is_valid(counties.geometry.to_numpy())
    for fips, group in counties.groupby("state_fips"):
        assert shapely.coverage_is_valid(group.geometry.to_numpy()), fips
    # states are dissolved counties: same area, same outline
    planar = counties.geometry.to_crs(3857).area  # any CRS will do: same polygons on both sides
    by_state = planar.groupby(counties["state_fips"].to_numpy()).sum()
    dissolved = states.to_crs(3857).set_index("state_fips").area.loc[by_state.index]
    assert np.allclose(dissolved, by_state, rtol=1e-9)


def test_area_per_state_close_to_source(counties):
    pytest.importorskip("_plotly_geo")
    from mapcore.geo.build import AREA_CRS, COUNTY_FILE, SOURCE_CRS, plotly_geo_dir

    src = gpd.read_file(plotly_geo_dir() / COUNTY_FILE, columns=["STATEFP"]).set_crs(SOURCE_CRS)
    src = src[src["STATEFP"].isin(set(counties["state_fips"]))]
    source = src.to_crs(AREA_CRS).area.groupby(src["STATEFP"].to_numpy()).sum()
    ours = counties.to_crs(AREA_CRS).area.groupby(counties["state_fips"].to_numpy()).sum()
    deviation = ((ours - source) / source).abs()
    assert deviation.max() < 0.005, deviation.sort_values().tail(3)


def test_national_view_insets(states):
    view = geo.national_view(states)
    assert len(view) == len(states) and view["state"].tolist() == states["state"].tolist()
    assert view.is_valid.all()
    (south, west), (north, east) = geo.national_bounds()
    assert (south, west, north, east) == pytest.approx((17.9, -137.0, 49.4, -65.9), abs=1.0)
    lower48 = view[~view["state"].isin(["AK", "HI", "PR"])].union_all()
    for code in ("AK", "HI", "PR"):
        moved = view.set_index("state").geometry[code]
        minx, miny, maxx, maxy = moved.bounds
        assert west <= minx and maxx <= east and south <= miny and maxy <= 34, code
        assert not moved.intersects(lower48), code
    ak = view.set_index("state").geometry["AK"].bounds
    assert ak[2] - ak[0] < 25  # scaled down and unwrapped (no parts left near +180)
    # untouched rows keep their geometry; repeated calls agree
    tx = states["state"] == "TX"
    assert view.geometry[tx].iloc[0].equals(states.geometry[tx].iloc[0])
    assert geo.national_view(states).geometry.equals(view.geometry)


def test_national_view_counties_match_states(counties, states):
    view_c = geo.national_view(counties[counties["state"] == "HI"])
    view_s = geo.national_view(states[states["state"] == "HI"])
    assert view_c.union_all().symmetric_difference(view_s.union_all()).area < 1e-4


def test_join_counties_keeps_every_county(counties):
    counts = pd.DataFrame({"county_fips": ["48201", "22071"], "count": [3, 1]})
    joined = geo.join_counties(counties, counts)
    assert len(joined) == len(counties) and isinstance(joined, gpd.GeoDataFrame)
    assert joined["count"].dtype == "int64" and joined["count"].sum() == 4
    assert joined.set_index("GEOID").loc["01001", "count"] == 0
    series = pd.Series({"48201": 2}, name="n")
    assert geo.join_counties(None, series).set_index("GEOID").loc["48201", "n"] == 2


def test_join_states_by_postal_or_fips(states):
    by_postal = geo.join_states(states, pd.DataFrame({"state": ["tx", "FL"], "count": [5, 2]}))
    by_fips = geo.join_states(None, pd.Series({"48": 5}, name="count"))
    assert len(by_postal) == len(by_fips) == len(states)
    assert by_postal.set_index("state").loc["TX", "count"] == 5
    assert by_fips.set_index("state").loc["TX", "count"] == 5
    assert by_fips["count"].sum() == 5


def test_build_small_states(tmp_path):
    pytest.importorskip("_plotly_geo")
    from mapcore.geo.build import build_geo

    summary = build_geo(tmp_path, states=["RI", "DE"])
    assert summary["counties"] == 8 and summary["states"] == 2
    assert summary["coverage_valid"] and summary["max_area_deviation"] < 0.005
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counties.parquet", "national_web_layers.json", "states.parquet"]
    built = gpd.read_parquet(tmp_path / "counties.parquet")
    assert built.crs.to_epsg() == 4326 and set(built["state"]) == {"RI", "DE"}
    assert gpd.read_parquet(tmp_path / "states.parquet")["name"].tolist() == ["Delaware", "Rhode Island"]


def test_atomic_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    from mapcore.geo.build import write_parquet_atomic

    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326)
    target = tmp_path / "x.parquet"
    write_parquet_atomic(frame, target)

    def boom(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_parquet", boom)
    with pytest.raises(OSError):
        write_parquet_atomic(frame, target)
    assert [p.name for p in tmp_path.iterdir()] == ["x.parquet"]
    assert len(gpd.read_parquet(target)) == 1


def test_cli_registers_build_geo():
    from mapcore.cli.geo import add_geo_commands

    parser = argparse.ArgumentParser()
    add_geo_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["build-geo", "--states", "RI"])
    assert args.states == ["RI"] and args.out == GEO_DIR and callable(args.func)


def test_geo_files_small():
    for name in ("counties.parquet", "states.parquet"):
        assert (GEO_DIR / name).stat().st_size < 3_000_000


def test_prebuilt_national_web_layers_are_fresh_and_equal_the_runtime_encoding():
    from mapcore.geo.boundaries import load_counties, load_states, national_bounds, national_view
    from mapcore.geo.web_layers import encode_for_map, load_web_layers

    prebuilt = load_web_layers()
    assert prebuilt is not None, "geo/national_web_layers.json is missing or stale: run `mapcore build-geo`"
    assert prebuilt["counties"] == encode_for_map(national_view(load_counties()), "counties")
    assert prebuilt["states"] == encode_for_map(national_view(load_states()), "states")
    assert [tuple(corner) for corner in prebuilt["bounds"]] == list(national_bounds())


def test_stale_web_layers_are_ignored(tmp_path):
    import shutil

    from mapcore.core.config import GEO_DIR
    from mapcore.geo.web_layers import WEB_LAYERS_FILE, load_web_layers

    for name in ("counties.parquet", "states.parquet", WEB_LAYERS_FILE):
        shutil.copy(GEO_DIR / name, tmp_path / name)
    assert load_web_layers(tmp_path) is not None
    (tmp_path / "states.parquet").write_bytes((GEO_DIR / "states.parquet").read_bytes() + b"changed")
    load_web_layers.cache_clear()
    assert load_web_layers(tmp_path) is None
