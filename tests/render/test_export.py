"""Exports hold exactly the given rows, in every format, with formula-like text neutralised."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd

from mapcore.core import tables
from mapcore.geo.boundaries import load_counties, load_states
from mapcore.render import export


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "state": ["TX", "FL", "TX"],
            "agency": ["=cmd|' /C calc'!A0", "Lee County Sheriff's Office", "Texas DPS"],
            "jurisdiction_type": ["County", "County", "State"],
            "model": ["JEM", "WSO", "TFM"],
            "signed": pd.to_datetime(["2025-01-02", "2025-02-03", None]),
            "county_fips": ["48201", "12071", None],
            "county_name": ["Harris County", "Lee County", None],
            "level": ["county", "county", "statewide"],
            "placed_by": ["county_column", "county_column", "statewide"],
            "moa_url": ["https://www.ice.gov/a.pdf", None, None],
        }
    )


def test_csv_excel_and_geojson_hold_the_same_rows():
    frame = _frame()
    csv = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame)), dtype=str, keep_default_na=False)
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame))).active
    xlsx = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    geo = json.loads(export.to_geojson_bytes(frame, load_counties(), load_states()))
    assert list(csv["agency"]) == [r[1] for r in xlsx] == [f["properties"]["agency"] for f in geo["features"]]
    assert list(csv["type"]) == ["County", "County", "State"]
    assert csv.loc[0, "signed"] == "2025-01-02"


def test_formula_like_cells_are_neutralised_in_csv_and_excel():
    frame = _frame()
    csv = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame)), dtype=str)
    assert csv.loc[0, "agency"].startswith("'=")
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame))).active
    assert sheet["B2"].value.startswith("'=") and sheet["B2"].data_type == "s"
    for value in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert tables.neutralise(value) == "'" + value
    assert tables.neutralise("Harris") == "Harris" and tables.neutralise(5) == 5


def test_geojson_places_counties_states_and_keeps_unplaced_rows():
    frame = pd.concat([_frame(), _frame().iloc[[1]].assign(county_fips=None, level="county", agency="Nowhere PD")])
    geo = json.loads(export.to_geojson_bytes(frame, load_counties(), load_states()))
    geometries = [f["geometry"] for f in geo["features"]]
    assert geometries[0]["type"] == "Point" and geometries[2]["type"] == "Point"
    assert geometries[3] is None and len(geometries) == 4


def test_write_export_is_atomic_and_rejects_unknown_formats(tmp_path):
    path = export.write_export(_frame(), tmp_path / "out.csv", "csv")
    assert path.read_text().startswith("state,agency")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    try:
        export.write_export(_frame(), tmp_path / "out.pdf", "pdf")
    except ValueError as error:
        assert "pdf" in str(error)
    else:
        raise AssertionError("expected a ValueError")


def test_state_summary_can_leave_statewide_agreements_out():
    """``include_statewide=False`` is honoured (it was once accepted and ignored)."""
    from mapcore.analysis.query import state_summary

    rows = pd.DataFrame(
        {
            "state": ["TX", "TX", "TX", "VT"],
            "agency": ["A", "B", "Texas DPS", "Vermont State Police"],
            "model": ["JEM", "TFM", "TFM", "TFM"],
            "level": ["county", "municipal", "statewide", "statewide"],
        }
    )
    every = state_summary(rows).set_index("state")
    local = state_summary(rows, include_statewide=False).set_index("state")
    assert every.loc["TX", "agreements"] == 3 and local.loc["TX", "agreements"] == 2
    assert local.loc["TX", "TFM"] == 1 and local.loc["TX", "statewide"] == 1
    assert local.loc["VT", "agreements"] == 0 and local.loc["VT", "statewide_agencies"] == "Vermont State Police"


def test_a_subsets_csv_joined_from_the_tables_lines_is_the_subsets_own_csv():
    frame = pd.concat(
        [_frame(), _frame().assign(agency=['Say "hi", then\r\nleave', "Ünïcode, Inc.", None], county_name=["", "a,b", "x\ry"])],
        ignore_index=True,
    )
    frame.index = frame.index * 7 + 3  # labels, not positions
    lines = export.csv_lines(frame)
    assert lines is not None
    for rows in ([0, 1, 2, 3, 4, 5], [5, 0, 3], [4], [], [2, 2]):
        subset = frame.iloc[rows]
        assert export.subset_csv_bytes(lines, subset) == export.to_csv_bytes(subset), rows
    other = frame.iloc[[1]].assign(state="CA").rename(index=lambda i: i + 1)  # a label the table does not hold: written whole
    assert export.subset_csv_bytes(lines, other) == export.to_csv_bytes(other)
    assert export.subset_csv_bytes(lines, frame.drop(columns=["moa_url"])) == export.to_csv_bytes(frame.drop(columns=["moa_url"]))
    assert export.csv_lines(pd.concat([frame, frame])) is None  # rows not told apart by their index
