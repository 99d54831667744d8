"""Shares of agencies, officers and residents covered (analysis.context), Census residents on the 2016
counties (reference.population) and the roster's sheriffs' offices in mandate states (compliance)."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis import compliance
from mapcore.analysis.context import NATION, context, roster_groups, state_shares
from mapcore.reference.population import POPULATION_PATH, load_population, population_from
from mapcore.words import compliance as compliance_words
from mapcore.words.context import by_type_table, context_json, headline
from mapcore.words.context import notes as population_notes

ROSTER = pd.DataFrame(
    [
        # ori, name, state, type, county, county_fips, officers, sheriff
        ("TX0000100", "Harris", "TX", "County", "HARRIS", "48201", 2500, "named"),
        ("TX0000200", "Katy", "TX", "City", "HARRIS, FORT BEND", "48157;48201", 80, ""),
        ("TX0000300", "Houston", "TX", "City", "HARRIS", "48201", 5000, ""),
        ("TX0000400", "Department of Public Safety", "TX", "State Police", "NOT SPECIFIED", None, 4000, ""),
        ("TX0000500", "Rice University", "TX", "University or College", "HARRIS", "48201", 20, ""),
        ("TX0000600", "Fort Bend", "TX", "County", "FORT BEND", "48157", 500, "named"),
        ("TXFBI0000", "FBI Houston", "TX", "Federal", "HARRIS", "48201", 900, ""),
        ("CT0000100", "Hartford", "CT", "City", "CAPITOL PLANNING REGION", None, 400, ""),
        ("AK0000100", "Valdez", "AK", "City", "CHUGACH", None, 10, ""),
    ],
    columns=["ori", "name", "state", "type", "county", "county_fips", "officers", "sheriff"],
)

POPULATION = population_from(
    pd.DataFrame(
        {
            "county_fips": ["48201", "48157", "48001", "09110", "09120", "02063", "02066", "02020"],
            "pop_2023": ["4800000", "900000", "50000", "1000000", "600000", "7000", "2600", "290000"],
        }
    )
)


def rows(*records) -> pd.DataFrame:
    columns = ["state", "agency", "jurisdiction_type", "county_fips", "level", "model", "ori", "agency_id"]
    frame = pd.DataFrame(records, columns=columns)
    return frame.astype({"state": "category", "ori": "category"})


HARRIS_SHERIFF = (
    "TX",
    "Harris County Sheriff's Office",
    "County",
    "48201",
    "county",
    "JEM",
    "TX0000100",
    "TX|harris county sheriffs office",
)
HARRIS_SHERIFF_TFM = HARRIS_SHERIFF[:5] + ("TFM",) + HARRIS_SHERIFF[6:]
KATY = ("TX", "Katy Police Department", "Municipality", "48201", "municipal", "TFM", "TX0000200", "TX|katy police department")
DPS = ("TX", "Texas Department of Public Safety", "State", None, "statewide", "TFM", "TX0000400", "TX|texas dps")
NO_ORI = ("TX", "Nowhere Police Department", "Municipality", "48001", "municipal", "TFM", None, "TX|nowhere police department")


def test_population_rules_alaska_merged_connecticut_state_level_only():
    assert POPULATION.by_county["02261"] == 9600  # Chugach + Copper River = Valdez-Cordova (2016)
    assert "02063" not in POPULATION.by_county.index
    assert not any(g.startswith("09") for g in POPULATION.by_county.index)  # no 2016 county gets CT's residents
    assert POPULATION.state_total("09") == 1_600_000  # ... but the state total has them
    assert POPULATION.state_total("48") == 5_750_000


def test_shipped_population_table_loads_and_keeps_every_resident():
    population = load_population()
    raw = pd.read_csv(POPULATION_PATH, dtype=str)
    assert int(population.by_state.sum()) == int(raw["pop_2023"].astype(int).sum())
    assert population.by_state["09"] > 3_000_000 and population.by_county.index.str.startswith("09").sum() == 0


def test_roster_groups_leave_federal_agencies_out():
    groups = roster_groups(ROSTER).tolist()
    assert groups == ["sheriff", "municipal", "municipal", "state", "other", "sheriff", None, "municipal", "municipal"]


def test_state_shares_of_agencies_officers_and_residents():
    figures = context(rows(HARRIS_SHERIFF, HARRIS_SHERIFF_TFM, KATY, DPS, NO_ORI), ROSTER, POPULATION, "tx")
    assert figures.scope == "TX"
    assert (figures.agencies_participating, figures.agencies_in_roster) == (3, 6)  # federal left out; sheriff once
    assert (figures.officers_participating, figures.officers_total) == (2500 + 80 + 4000, 2500 + 80 + 5000 + 4000 + 20 + 500)
    # residents: the county of the sheriff only (Katy's police and the state agency cover no county)
    assert (figures.residents_covered, figures.residents_total, figures.counties_covered) == (4_800_000, 5_750_000, 1)
    assert figures.agencies_without_ori == 1
    assert figures.agency_share == pytest.approx(0.5)
    table = figures.by_type.set_index("group")
    assert table.loc["sheriff", ["participating", "in_roster"]].tolist() == [1, 2]
    assert table.loc["municipal", ["participating", "in_roster"]].tolist() == [1, 2]
    assert table.loc["county", "in_roster"] == 0 and pd.isna(table.loc["county", "share"])
    shown = by_type_table(figures)
    assert shown["Share"].tolist() == [50.0, 50.0, 100.0, 0.0]  # sheriff, municipal, state, other (no county police)
    assert "3 of 6 law-enforcement agencies" in headline(figures)


def test_nation_counts_the_50_states_and_dc_and_says_how_ct_and_ak_are_treated():
    figures = context(rows(HARRIS_SHERIFF, KATY), ROSTER, POPULATION)
    assert figures.scope == NATION
    assert figures.agencies_in_roster == 8  # TX 6 + CT 1 + AK 1
    assert figures.residents_total == POPULATION.by_state.sum()
    assert figures.notes == ("AK", "CT")
    said = population_notes(figures)
    assert any("Connecticut" in n for n in said) and any("Valdez-Cordova" in n for n in said)
    as_json = context_json(figures)
    assert as_json["notes"] == said  # English, as the CLI prints them
    assert {"agencies_participating", "agencies_in_roster", "residents_covered", "residents_total"} <= set(as_json)
    assert as_json["by_type"]["sheriff"] == {"participating": 1, "in_roster": 2, "share": 0.5}


def test_no_agreement_and_no_roster_give_zeros_not_errors():
    figures = context(rows(), ROSTER, POPULATION, "CT")
    assert (figures.agencies_participating, figures.agencies_in_roster, figures.residents_covered) == (0, 1, 0)
    assert figures.resident_share == 0.0
    empty = context(rows(), ROSTER.iloc[0:0], POPULATION, "WY")
    assert empty.agency_share is None and empty.resident_share is None


def test_state_shares_for_the_map_agree_with_context():
    chosen = rows(HARRIS_SHERIFF, KATY, DPS, NO_ORI)
    table = state_shares(chosen, ROSTER, POPULATION).set_index("state")
    assert len(table) == 51
    tx = context(chosen, ROSTER, POPULATION, "TX")
    assert table.loc["TX", "agencies_participating"] == tx.agencies_participating
    assert table.loc["TX", "residents_covered"] == tx.residents_covered
    assert table.loc["CT", "residents_total"] == 1_600_000 and table.loc["CT", "residents_covered"] == 0


# --- mandate gaps from the roster ---------------------------------------------------------------------------

LAWS = pd.DataFrame(
    {
        "state": ["TX", "CT"],
        "state_name": ["Texas", "Connecticut"],
        "status": ["mandates", "none"],
        "scope": ["local", None],
        "effective_year": [2025, None],
        "deadline": [None, None],
    }
)


def test_roster_mandate_gaps_list_each_sheriffs_office_by_ori():
    pending = rows(("TX", "Fort Bend County Sheriff's Office", "County", "48157", "county", "WSO", "TX0000600", "x"))
    gaps = compliance.roster_mandate_gaps(
        rows(HARRIS_SHERIFF, HARRIS_SHERIFF_TFM, KATY), pending, ROSTER, LAWS, {"48201": "Harris County", "48157": "Fort Bend County"}
    )
    assert list(gaps["ori"]) == ["TX0000600", "TX0000100"]  # sorted by name: Fort Bend, Harris
    assert gaps.set_index("ori").loc["TX0000100", ["status", "models", "county"]].tolist() == ["covered", "JEM, TFM", "Harris County"]
    assert gaps.set_index("ori").loc["TX0000600", ["status", "pending_models"]].tolist() == ["pending", "WSO"]
    assert "State" in compliance_words.roster_gaps_table(gaps).columns


def test_counties_without_a_roster_sheriff_are_listed_apart():
    counties = pd.DataFrame(
        {
            "GEOID": ["48201", "48157", "48001"],
            "name": ["Harris County", "Fort Bend County", "Anderson County"],
            "state": ["TX", "TX", "TX"],
        }
    )
    apart = compliance.counties_without_roster_sheriff(ROSTER, counties, LAWS)
    assert apart["GEOID"].tolist() == ["48001"]


# --- map shadings -----------------------------------------------------------------------------------------


def test_county_per_capita_classes_and_plain_tooltips():
    from mapcore.words.context import county_per_capita

    frame = rows(HARRIS_SHERIFF, HARRIS_SHERIFF_TFM, KATY, DPS, NO_ORI).assign(
        model=lambda f: f["model"].astype(object), agency=lambda f: f["agency"].astype(object)
    )
    shading = county_per_capita(frame, POPULATION)
    assert set(shading.values) == {"48201", "48001"}  # the statewide agency is on no county
    harris = shading.values["48201"]
    assert harris[0] == 0 and harris[1].startswith("0.1 agreements per 100,000 residents (3 agreements, 4,800,000")
    nowhere = shading.values["48001"]  # 1 agreement for 50,000 residents = 2.0 per 100k
    assert nowhere[0] == 1 and shading.classes[1] == "2 to under 5"
    connecticut = rows(("CT", "Hartford Police Department", "Municipality", "09003", "municipal", "TFM", None, "x"))
    assert county_per_capita(connecticut, POPULATION).values == {}  # no 2016 county gets CT's residents


def test_county_sheriff_models_one_class_per_model_or_several():
    from mapcore.words.context import SHERIFF_CLASSES, county_sheriff_models

    fort_bend_jail = ("TX", "Fort Bend County Jail", "County", "48157", "county", "WSO", None, "x")
    shading = county_sheriff_models(rows(HARRIS_SHERIFF, HARRIS_SHERIFF_TFM, KATY, fort_bend_jail))
    assert shading.values["48201"][0] == SHERIFF_CLASSES.index("Several models")
    assert shading.values["48157"][0] == SHERIFF_CLASSES.index("WSO")
    assert shading.values["48157"][1] == "Sheriff or county jail: WSO"
    assert not shading.sequential and county_sheriff_models(rows()).values == {}


def test_state_agency_shares_leave_states_without_agreements_unshaded():
    from mapcore.words.context import state_agency_shares

    shading = state_agency_shares(rows(HARRIS_SHERIFF, KATY), ROSTER, POPULATION)
    assert set(shading.values) == {"TX"}
    assert shading.values["TX"][0] == 4  # 2 of 6 agencies: 33% is "25% or more"
    assert shading.values["TX"][1].startswith("33.3% of law-enforcement agencies have an agreement (2 of 6")
    assert shading.classes[-1] == "25% or more"
