"""Regional bodies (a judicial circuit's state attorney, a regional jail authority, a
multi-county task force) belong to their counties, not to the whole state."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import us

from mapcore.analysis import query
from mapcore.app import page_parts
from mapcore.build import place
from mapcore.core import config, tables
from mapcore.reference import gazetteer
from mapcore.render import export

CTX = gazetteer.load_place_context()
TWENTIETH = ("12015", "12021", "12043", "12051", "12071")  # Charlotte, Collier, Glades, Hendry, Lee


def placed(state, agency, jtype, printed=None):
    return place.place_one(state, agency, jtype, printed, ctx=CTX)


@pytest.mark.parametrize(
    "agency, jtype, printed, geoids",
    [
        ("Office of the State Attorney, 20th Judicial Circuit", "State", None, TWENTIETH),
        ("Office of the State Attorney, 20th Judicial Circuit", "County", "Lee County", TWENTIETH),  # not Lee alone
        ("Office of the State Attorney, Sixth Judicial Circuit", "State", None, ("12101", "12103")),
        ("Office of the State Attorney Sixth Judical Circuit", "State", None, ("12101", "12103")),  # ICE's typo
        ("State Attorney's Office, Twentieth Judicial Circuit", "State", None, TWENTIETH),
    ],
)
def test_florida_state_attorneys_belong_to_their_circuits_counties(agency, jtype, printed, geoids):
    result = placed("FL", agency, jtype, printed)
    assert result.level == "regional" and result.placed_by == "regional_table"
    assert result.county_fips is None
    assert tuple(result.region_fips.split(";")) == geoids
    assert "Lee County" in result.region_counties or geoids != TWENTIETH


def test_a_regional_jail_serves_the_counties_the_reviewed_table_names():
    for spelling in ("Rappahannock, Shenandoah, Warren Regional Jail Authority", "Rappahannok,Shenandoah, Warren Regional Jail Authority"):
        result = placed("VA", spelling, "Municipality")
        assert (result.level, result.region_fips) == ("regional", "51157;51171;51187")
        assert result.region_counties == "Rappahannock County; Shenandoah County; Warren County"


@pytest.mark.parametrize(
    "state, agency",
    [
        ("AR", "16th Judicial Distric Drug Task Force"),  # no circuits table for Arkansas
        ("VA", "Southwest Virginia Regional Jail Authority"),  # membership not confirmed: no county claimed
        ("TX", "Gulf Coast Multi-County Narcotics Task Force"),  # regional by its name, in no table
    ],
)
def test_a_regional_body_without_known_counties_is_regional_not_statewide(state, agency):
    result = placed(state, agency, "State")
    assert result.level == "regional" and result.region_fips is None
    assert "regional body" in result.unplaced_reason
    frame = pd.DataFrame(
        [{"state": state, "agency": agency, "jurisdiction_type": "State", "county_fips": None, "region_fips": None, "level": "regional"}]
    )
    _, unplaced = place.placement_masks(frame)
    assert bool(unplaced.iloc[0]), "listed with its reason, not hidden"


def test_state_typed_agency_naming_a_county_is_placed_there():
    assert (placed("TX", "Johnson County District Attorney's Office", "State").county_fips) == "48251"
    assert (placed("MD", "Wicomico County Corrections Center", "State").county_fips) == "24045"
    assert placed("TX", "Texas Department of Public Safety", "State").level == "statewide"
    assert placed("FL", "Florida Department of Corrections", "State").level == "statewide"


def test_circuit_numbers_in_names():
    assert place.circuit_number("Office of the State Attorney, 20th Judicial Circuit") == 20
    assert place.circuit_number("Office of the State Attorney Sixth Judical Circuit") == 6
    assert place.circuit_number("Judicial Circuit 5 State Attorney") == 5
    assert place.circuit_number("Tennessee State Constable 4th District") is None  # not a judicial district
    assert place.circuit_number("Bradley County Constable District 1") is None


def test_florida_circuits_table_covers_every_county_once():
    circuits = gazetteer.read_circuits(config.DATA_DIR / "judicial_circuits.csv", CTX.counties)
    florida = [g for (state, _), region in circuits.items() if state == "FL" for g in region.geoids]
    assert len(circuits) == 20
    assert sorted(florida) == sorted(g for g in CTX.geoids if g.startswith(us.states.FL.fips))  # all 67, once each


def test_reviewed_tables_name_file_row_and_column_of_a_bad_county(tmp_path):
    bad = tmp_path / "regional_agencies.csv"
    bad.write_text("state,agency,kind,counties,source_url,note\nVA,Some Jail Authority,regional jail,Warren; Atlantis,,x\n")
    with pytest.raises(gazetteer.ReviewedTableError, match=r"regional_agencies.csv, row 2, column counties: 'Atlantis'"):
        gazetteer.read_regions(bad, CTX.counties)


def regional_rows() -> pd.DataFrame:
    rows = place.place_agreements(
        pd.DataFrame(
            [
                {
                    "state": "FL",
                    "state_fips": "12",
                    "agency": "Office of the State Attorney, 20th Judicial Circuit",
                    "jurisdiction_type": "State",
                    "county_printed": None,
                },
                {
                    "state": "FL",
                    "state_fips": "12",
                    "agency": "Lee County Sheriff's Office",
                    "jurisdiction_type": "County",
                    "county_printed": "Lee County",
                },
            ]
        ),
        CTX,
    )
    return rows.assign(
        model=["TFM", "JEM"],
        publication_date=pd.Timestamp("2026-04-30"),
        row=[2, 3],
        signed=pd.Timestamp("2025-06-01"),
        kind="participating",
        moa_url=None,
        addendum_url=None,
    )


def test_summaries_name_regional_bodies_on_their_counties_apart_from_the_count():
    rows = regional_rows()
    summary = query.county_summary(rows).set_index("county_fips")
    assert set(TWENTIETH) <= set(summary.index)
    assert summary.at["12071", "agreements"] == 1 and summary.at["12071", "regional"] == 1  # Lee: sheriff + circuit
    assert summary.at["12021", "agreements"] == 0 and summary.at["12021", "regional"] == 1  # Collier: circuit only
    assert "20th Judicial Circuit" in summary.at["12021", "regional_agencies"]
    state = query.state_summary(rows).set_index("state")
    assert (state.at["FL", "agreements"], state.at["FL", "regional"], state.at["FL", "statewide"]) == (2, 1, 0)
    assert query.placement_counts(rows)["unplaced"] == []


def test_tables_and_exports_show_the_region():
    rows = regional_rows()
    table = page_parts.display_table(rows)
    assert "(regional) Charlotte County; Collier County; Glades County; Hendry County; Lee County" in set(table["County"])
    sentence, names = page_parts.regional_note(rows)
    assert "1 regional body" in sentence and "Lee County" in names[0]
    exported = tables.export_frame(rows)
    assert {"region_counties", "region_fips"} <= set(exported.columns)
    from mapcore.geo.boundaries import load_counties, load_states

    features = json.loads(export.to_geojson_bytes(rows, load_counties(), load_states()))["features"]
    circuit = next(f for f in features if f["properties"]["level"] == "regional")
    assert circuit["geometry"]["type"] == "MultiPoint" and len(circuit["geometry"]["coordinates"]) == 5


def test_county_tooltip_names_regional_bodies_apart_from_the_count():
    from mapcore.render import maps

    summary = query.county_summary(regional_rows()).set_index("county_fips")
    collier = next(summary.loc[["12021"]].reset_index().itertuples())
    lines = maps._county_lines(collier)
    assert lines[0] == "No local 287(g) agreement" and lines[1].startswith("Regional body serving it")
    assert "20th Judicial Circuit" in lines[1]
    spec = maps.county_map(query.county_summary(regional_rows()), only_states=("FL",))
    assert spec.to_json().count("Regional body serving it") == 5  # the circuit's five counties, named apart


def test_regional_note_says_which_have_no_confirmed_county():
    rows = pd.DataFrame(
        {
            "state": ["FL", "VA"],
            "agency": ["Office of the State Attorney, 20th Judicial Circuit", "Southwest Virginia Regional Jail Authority"],
            "level": "regional",
            "region_counties": ["Lee County", None],
        }
    )
    sentence, names = page_parts.regional_note(rows)
    assert "1 is named on each county served; 1 has no county we could confirm" in sentence
    assert "Southwest Virginia Regional Jail Authority (VA): counties not known" in names
