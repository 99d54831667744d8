"""Agency -> FBI ORI matching on a small constructed roster: ties, one name in two counties, a city in
two counties, sheriffs named after a parish or borough, consolidated city-counties, field offices of
state agencies, the reviewed fixes table, and the dataset's cache key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mapcore.build import ori_match
from mapcore.reference import fbi_roster
from mapcore.reference.gazetteer import load_place_context, state_fips_by_postal

ROSTER_ROWS = [
    # ori, name, state, county, type, officers
    ("TX0000100", "Harris", "TX", "HARRIS", "County", 2500),
    ("TX0000200", "Harris County Constable:", "TX", "HARRIS", "Other", 40),
    ("TX0000300", "Harris County Constable:", "TX", "HARRIS", "Other", 30),
    ("TX0000400", "Katy", "TX", "HARRIS, FORT BEND", "City", 80),  # a city in two counties
    ("TX0000500", "Oak Grove", "TX", "KAUFMAN", "City", 3),  # one name, two counties
    ("TX0000600", "Oak Grove", "TX", "BOWIE", "City", 4),
    ("TX0000700", "Twin", "TX", "RUSK", "City", 2),  # a true tie: same name, same county
    ("TX0000800", "Twin", "TX", "RUSK", "City", 2),
    ("TX0000900", "Pine Hill", "TX", "RUSK", "City", 5),
    ("TX0001000", "Pine Hill Village", "TX", "RUSK", "City", 1),
    ("TX0001100", "Department of Public Safety", "TX", "NOT SPECIFIED", "State Police", 4000),
    ("TX0001200", "Rusk", "TX", "RUSK", "County", 30),
    ("LA0000100", "St. Tammany", "LA", "ST TAMMANY", "County", 600),  # a sheriff named after a parish
    ("AK0000100", "Matanuska-Susitna Borough", "AK", "MATANUSKA-SUSITNA", "County", 20),  # ... after a borough
    ("GA0000100", "Augusta-Richmond", "GA", "RICHMOND", "County", 364),  # a consolidated city-county
    ("GA0000200", "Cobb", "GA", "COBB", "County", 600),
    ("GA0000300", "Cobb County Police Department", "GA", "COBB", "County", 639),
    ("VA0000100", "Richmond City Sheriff's Office", "VA", "RICHMOND CITY", "City", 200),  # an independent city
    ("VA0000200", "Richmond", "VA", "RICHMOND", "County", 10),  # ... and the county of that name
    ("VA0000300", "Richmond", "VA", "RICHMOND CITY", "City", 700),
    ("FL0000100", "Highway Patrol:", "FL", "LEON", "State Police", 100),  # field offices of one state agency
    ("FL0000200", "Highway Patrol:", "FL", "DUVAL", "State Police", 90),
    ("FL0000300", "Department of Law Enforcement:", "FL", "LEON", "Other State Agency", 50),
    ("FL0000400", "Department of Law Enforcement:", "FL", "DUVAL", "Other State Agency", 40),
    ("FL0000500", "Department of Law Enforcement", "FL", "NOT SPECIFIED", "Other State Agency", 400),
    ("FL0000600", "Manheim", "FL", "LEON", "City", 5),
    ("FL0000700", "Manheim Township", "FL", "LEON", "City", 6),
    ("NH0000100", "Pittsburg", "NH", "COOS", "City", 1),
    ("NB0000100", "Douglas", "NB", "DOUGLAS", "County", 150),  # the FBI's code for Nebraska
    ("DC0000100", "Federal Reserve Police", "FS", "NOT SPECIFIED", "Federal", 10),
]
GEOID = {
    "harris": "48201",
    "fort bend": "48157",
    "kaufman": "48257",
    "bowie": "48037",
    "rusk": "48401",
    "st tammany": "22103",
    "mat-su": "02170",
    "richmond ga": "13245",
    "cobb": "13067",
    "richmond city": "51760",
    "richmond va": "51159",
    "leon": "12073",
    "duval": "12031",
    "coos": "33007",
    "douglas ne": "31055",
}


def roster_frame(rows=ROSTER_ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["ori", "name", "state", "county", "type", "officers"])
    return frame.astype({"officers": str})


@pytest.fixture(scope="module")
def ctx() -> fbi_roster.OriContext:
    roster = fbi_roster.Roster(roster_frame(), load_place_context().counties, state_fips_by_postal())
    return fbi_roster.OriContext(roster)


def match(ctx, state, agency, jtype="Municipality", county=None, level=None):
    level = level or {"County": "county", "Municipality": "municipal", "State": "statewide"}[jtype]
    return ori_match.match_agency(state, agency, jtype, GEOID.get(county, county), level, ctx)


# --- the roster ------------------------------------------------------------------------------------


def test_roster_reads_counties_sheriffs_and_the_fbi_state_codes(ctx):
    agencies = ctx.roster.agencies
    assert agencies["TX0000400"].county_fips == {GEOID["harris"], GEOID["fort bend"]}
    assert agencies["TX0001100"].county_fips == frozenset()
    assert agencies["LA0000100"].sheriff == "named" and agencies["AK0000100"].sheriff == "named"
    assert agencies["GA0000100"].sheriff == "consolidated"
    assert agencies["GA0000200"].sheriff == "named" and agencies["GA0000300"].sheriff == ""
    assert agencies["VA0000100"].sheriff == "named"  # a City-type "... Sheriff's Office"
    assert agencies["VA0000200"].county_fips == {GEOID["richmond va"]}  # the county, not the independent city
    assert agencies["VA0000300"].county_fips == {GEOID["richmond city"]} and agencies["VA0000300"].sheriff == ""
    assert agencies["NB0000100"].state == "NE"
    assert ctx.roster.frame().set_index("ori").loc["TX0000400", "county_fips"] == "48157;48201"


def test_name_keys_reduce_both_spellings_alike():
    assert fbi_roster.name_keys("Town of Ogden Police Department", "New York") == fbi_roster.NameKey("ogden town", "ogden", "town", False)
    assert fbi_roster.name_keys("Ogden Town", "New York").full == "ogden town"
    assert fbi_roster.name_keys("Florida Department of Law Enforcement", "Florida").full == "department of law enforcement"
    assert fbi_roster.name_keys("Department of Law Enforcement:", "Florida").office is True
    assert fbi_roster.name_keys("Sadsbury Township, Chester County", "Pennsylvania").full == "sadsbury township"
    assert fbi_roster.name_keys("Arkansas Department of Public Safety", "Arkansas").full == "department of public safety"
    assert fbi_roster.name_keys("Big Sandy Police Departement", "Texas").full == "big sandy"
    assert (
        fbi_roster.name_keys("Missouri Highway Patrol", "Missouri").full
        == fbi_roster.name_keys("Missouri State Highway Patrol", "Missouri").full
    )


def test_bad_roster_is_refused_naming_row_and_column(tmp_path):
    path = tmp_path / "roster.csv"
    roster_frame().assign(ori=lambda f: f["ori"].where(f.index != 3, "TX12")).to_csv(path, index=False)
    with pytest.raises(ValueError, match=r"row 5, column ori: 'TX12'"):
        fbi_roster.read_roster(path)
    roster_frame().drop(columns=["officers"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="officers"):
        fbi_roster.read_roster(path)
    with pytest.raises(ValueError, match="TX0000200 listed twice"):
        fbi_roster.Roster(roster_frame([ROSTER_ROWS[1], ROSTER_ROWS[1]]))


# --- sheriffs -----------------------------------------------------------------------------------------


def test_sheriff_is_the_one_sheriffs_office_of_its_county(ctx):
    found = match(ctx, "TX", "Harris County Sheriff's Office", "County", "harris")
    assert (found.ori, found.method, found.confidence) == ("TX0000100", "county_sheriff", "high")
    assert match(ctx, "TX", "Harris County Sherrif's Office", "County", "harris").ori == "TX0000100"  # ICE's typo


def test_sheriff_named_after_a_parish_or_a_borough(ctx):
    assert match(ctx, "LA", "St. Tammany Parish Sheriff's Office", "County", "st tammany").ori == "LA0000100"
    assert match(ctx, "AK", "Matanuska-Susitna Borough Sheriff", "County", "mat-su").ori == "AK0000100"


def test_sheriff_of_a_county_with_a_county_police_department(ctx):
    assert match(ctx, "GA", "Cobb County Sheriff's Office", "County", "cobb").ori == "GA0000200"
    police = match(ctx, "GA", "Cobb County Police Department", "County", "cobb")
    assert (police.ori, police.method) == ("GA0000300", "exact")


def test_consolidated_city_county_stands_for_its_sheriff_with_medium_confidence(ctx):
    found = match(ctx, "GA", "Richmond County Sheriff's Office", "County", "richmond ga")
    assert (found.ori, found.method, found.confidence) == ("GA0000100", "county_sheriff", "medium")
    assert "consolidated" in found.note


def test_independent_city_sheriff_and_the_county_of_the_same_name(ctx):
    city = match(ctx, "VA", "Richmond City Sheriff's Office", "County", "richmond city")
    assert (city.ori, city.method) == ("VA0000100", "exact")
    county = match(ctx, "VA", "Richmond County Sheriff's Office", "County", "richmond va")
    assert county.ori == "VA0000200"
    police = match(ctx, "VA", "Richmond Police Department", "Municipality", "richmond city")
    assert police.ori == "VA0000300"  # never the sheriff's office of the same city


def test_sheriff_without_an_office_in_the_roster_or_without_a_county_is_unmatched(ctx):
    none_here = match(ctx, "TX", "Bowie County Sheriff's Office", "County", "bowie")
    assert none_here.ori is None and none_here.method == "unmatched" and "no sheriff's office" in none_here.note
    unplaced = match(ctx, "TX", "Nowhere County Sheriff's Office", "County", None)
    assert unplaced.ori is None and "not placed" in unplaced.note


# --- towns, ties and counties ---------------------------------------------------------------------------


def test_city_in_two_counties_matches_from_either(ctx):
    assert match(ctx, "TX", "Katy Police Department", county="harris").ori == "TX0000400"
    assert match(ctx, "TX", "City of Katy Police Department", county="fort bend").ori == "TX0000400"


def test_two_agencies_of_one_name_are_told_apart_by_county(ctx):
    assert match(ctx, "TX", "Oak Grove Police Department", county="kaufman").ori == "TX0000500"
    assert match(ctx, "TX", "Oak Grove Police Department", county="bowie").ori == "TX0000600"
    elsewhere = match(ctx, "TX", "Oak Grove Police Department", county="harris")
    assert elsewhere.ori is None and "another county" in elsewhere.note and "TX0000500" in elsewhere.note


def test_a_tie_in_one_county_is_ambiguous_and_lists_both(ctx):
    tie = match(ctx, "TX", "Twin Police Department", county="rusk")
    assert tie.ori is None and tie.method == "ambiguous"
    assert "TX0000700" in tie.note and "TX0000800" in tie.note


def test_kind_of_place_decides_between_town_and_village_or_township(ctx):
    assert match(ctx, "TX", "Pine Hill Police Department", county="rusk").ori == "TX0000900"
    assert match(ctx, "TX", "Village of Pine Hill Police Department", county="rusk").ori == "TX0001000"
    borough = match(ctx, "FL", "Manheim Borough Police Department", county="leon")
    assert (borough.ori, borough.confidence) == ("FL0000600", "medium")  # never "Manheim Township"


def test_police_is_never_matched_to_a_sheriffs_office(ctx):
    assert match(ctx, "TX", "Rusk Police Department", county="rusk").ori is None


def test_precinct_constables_are_not_guessed(ctx):
    found = match(ctx, "TX", "Harris County Constable Precinct 3", county="harris")
    assert found.ori is None and found.method == "ambiguous" and "precinct" in found.note


def test_misspelt_town_matches_only_within_its_county(ctx):
    found = match(ctx, "NH", "Pittsburgh Police Department", county="coos")
    assert (found.ori, found.method, found.confidence) == ("NH0000100", "fuzzy", "medium")
    assert match(ctx, "NH", "Pittsburgh Police Department", county="33001").ori is None


def test_unknown_agency_and_unknown_state_say_why(ctx):
    found = match(ctx, "TX", "Nowhere Police Department", county="harris")
    assert found.ori is None and found.method == "unmatched" and "nowhere" in found.note
    assert "no agency in GU" in match(ctx, "GU", "Guam Police Department", "State").note


# --- state agencies -------------------------------------------------------------------------------------


def test_state_agency_listed_per_field_office_is_ambiguous(ctx):
    found = match(ctx, "FL", "Florida Highway Patrol", "State")
    assert found.ori is None and found.method == "ambiguous" and "field office" in found.note


def test_state_agency_goes_to_its_agency_level_record_when_there_is_one(ctx):
    found = match(ctx, "FL", "Florida Department of Law Enforcement", "State")
    assert (found.ori, found.confidence) == ("FL0000500", "medium")


def test_division_of_a_state_department(ctx):
    found = match(ctx, "TX", "Texas Department of Public Safety - Texas Highway Patrol", "State")
    assert (found.ori, found.method, found.confidence) == ("TX0001100", "normalised", "medium")
    assert "division" in found.note


# --- the reviewed fixes ---------------------------------------------------------------------------------


def write_fixes(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    pd.DataFrame(rows, columns=["state", "agency", "ori", "note"]).to_csv(path, index=False)
    return path


def test_fixes_link_or_refuse_with_the_reason(ctx, tmp_path):
    path = write_fixes(
        tmp_path / "fixes.csv",
        [
            ("TX", "Cut N Shoot Police Department", "TX0000500", "reviewed link"),
            ("TX", "Harris County Sheriff's Office", "", "the sheriff is not in the roster (test)"),
        ],
    )
    fixed = fbi_roster.OriContext(ctx.roster, fbi_roster.read_fixes(path, ctx.roster))
    found = match(fixed, "TX", "Cut 'N' Shoot Police Department", county="kaufman")
    assert (found.ori, found.method, found.confidence) == ("TX0000500", "fixed", "high")
    refused = match(fixed, "TX", "Harris County Sheriff’s Office", "County", "harris")  # same identity, curly apostrophe
    assert refused.ori is None and refused.note == "reviewed: the sheriff is not in the roster (test)"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("TX", "X Police Department", "ZZ9999999", "x"), r"row 2, column ori: ZZ9999999 is not in the FBI roster"),
        (("FL", "X Police Department", "TX0000500", "x"), r"row 2, column ori: TX0000500 is in TX, not FL"),
        (("TX", "X Police Department", "", ""), r"row 2, column note"),
    ],
)
def test_a_fixes_row_that_rots_stops_the_build(ctx, tmp_path, row, message):
    path = write_fixes(tmp_path / "fixes.csv", [row])
    with pytest.raises(ValueError, match=message):
        fbi_roster.read_fixes(path, ctx.roster)


def test_the_shipped_fixes_table_is_valid():
    context = fbi_roster.load_ori_context()
    assert len(context.roster) > 18000
    assert context.fixes, "data/ori_fixes.csv is read"


# --- whole frames and the cache key ------------------------------------------------------------------------


def test_link_ori_adds_the_columns_one_match_per_distinct_agency(ctx):
    frame = pd.DataFrame(
        {
            "state": ["TX", "TX", "TX", "FL"],
            "agency": [
                "Harris County Sheriff's Office",
                "Harris County Sheriff's Office",
                "Twin Police Department",
                "Florida Highway Patrol",
            ],
            "jurisdiction_type": ["County", "County", "Municipality", "State"],
            "county_fips": [GEOID["harris"], GEOID["harris"], GEOID["rusk"], None],
            "level": ["county", "county", "municipal", "statewide"],
            "model": ["JEM", "TFM", "TFM", "TFM"],
        }
    )
    out = ori_match.link_ori(frame, ctx)
    assert list(out.columns[-5:]) == ["ori", "ori_method", "ori_confidence", "ori_name", "ori_note"]
    assert list(out["ori"].astype(object).where(out["ori"].notna(), None)) == ["TX0000100", "TX0000100", None, None]
    assert list(out["ori_method"].astype(object)) == ["county_sheriff", "county_sheriff", "ambiguous", "ambiguous"]
    assert out["ori_note"].iloc[2].startswith("2 roster agencies")
    assert ori_match.link_ori(frame.iloc[0:0], ctx).columns[-1] == "ori_note"


def test_cache_key_changes_with_the_roster_or_the_fixes(tmp_path, monkeypatch):
    from mapcore.build import pipeline

    sheet = tmp_path / "a.xlsx"
    sheet.write_bytes(b"not really a sheet")
    roster, fixes = tmp_path / "roster.csv", tmp_path / "fixes.csv"
    roster_frame().to_csv(roster, index=False)
    write_fixes(fixes, [])
    monkeypatch.setattr(fbi_roster, "ROSTER_PATH", roster)
    monkeypatch.setattr(fbi_roster, "ORI_FIXES_PATH", fixes)
    first, _ = pipeline.source_key([sheet])
    roster_frame(ROSTER_ROWS[:-1]).to_csv(roster, index=False)
    second, _ = pipeline.source_key([sheet])
    write_fixes(fixes, [("TX", "Katy Police Department", "TX0000400", "x")])
    third, _ = pipeline.source_key([sheet])
    assert len({first, second, third}) == 3


def test_a_name_that_differs_in_a_number_is_not_a_misspelling():
    """The fuzzy rule reads one- or two-letter misspellings; "59" for "69" is another agency's number."""
    rows = [("TX0001300", "Highway 59 Narcotics Task Force", "TX", "RUSK", "Other", 3)]
    context = fbi_roster.OriContext(fbi_roster.Roster(roster_frame(rows), load_place_context().counties, state_fips_by_postal()))
    assert match(context, "TX", "Highway 59 Narcotics Task Force", county="rusk").ori == "TX0001300"
    assert match(context, "TX", "Highway 59 Narcotic Task Force", county="rusk").method == "fuzzy"
    found = match(context, "TX", "Highway 69 Narcotics Task Force", county="rusk")
    assert found.ori is None, found
