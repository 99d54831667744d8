"""The agency lookup finds agencies by county or town too, asks for the state when
candidates tie across states instead of picking one alphabetically, shows no scores, cuts weak ones."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis import agency_lookup, agency_search
from mapcore.words import lookup as lookup_words

ROWS = [  # state, agency, type, county placed in, model
    ("TX", "Harris County Sheriff's Office", "County", "Harris County", "JEM"),
    ("TX", "Southside Place Police Department", "Municipality", "Harris County", "TFM"),
    ("GA", "Harris County Sheriff's Office", "County", "Harris County", "WSO"),
    ("TX", "Morris County Sheriff's Office", "County", "Morris County", "WSO"),
    ("TX", "Harrison County Sheriff's Office", "County", "Harrison County", "WSO"),
    ("FL", "Lee County Sheriff's Office", "County", "Lee County", "JEM"),
    ("TX", "Lee County Sheriff's Office", "County", "Lee County", "TFM"),
    ("FL", "Fort Myers Police Department", "Municipality", "Lee County", "TFM"),
]


@pytest.fixture(scope="module")
def index() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["state", "agency", "jurisdiction_type", "county_name", "model"]).assign(
        kind="participating", publication_id="2026-04-30/p.xlsx", publication_date=pd.Timestamp("2026-04-30")
    )
    return agency_search.agency_index(frame)


def towns(town: str, state: str) -> str | None:
    return {("houston", "TX"): "Harris County", ("fort myers", "FL"): "Lee County"}.get((town, state))


def test_a_county_in_several_states_asks_for_the_state(index):
    found = agency_lookup.lookup(index, "Harris County", town_county=towns)
    assert found.ask_states == ("GA", "TX")
    assert "Harris County" in lookup_words.question(found) and "which state" in lookup_words.question(found)


def test_a_county_lists_every_agency_placed_there(index):
    found = agency_lookup.lookup(index, "Harris County", state="TX", town_county=towns)
    assert not found.ask_states and found.by_place
    assert set(found.candidates["agency"]) == {"Harris County Sheriff's Office", "Southside Place Police Department"}
    assert set(found.candidates["why"]) == {"placed in Harris County, TX"}
    assert "Harrison County Sheriff's Office" not in set(found.candidates["agency"])


def test_a_town_lists_the_agencies_of_its_county(index):
    found = agency_lookup.lookup(index, "Houston", state="TX", town_county=towns)
    assert "Southside Place Police Department" in set(found.candidates["agency"])
    assert found.candidates["why"].iloc[0] == "where Houston is, in Harris County, TX"


def test_equal_names_in_several_states_ask_instead_of_picking_alphabetically(index):
    found = agency_lookup.lookup(index, "Lee County Sheriff's Office", town_county=towns)
    assert found.ask_states == ("FL", "TX")
    assert not agency_lookup.lookup(index, "Lee County Sheriff's Office", state="TX", town_county=towns).ask_states


def test_weak_candidates_are_cut(index):
    found = agency_lookup.lookup(index, "Harris County Sheriff", state="TX", town_county=towns)
    names = list(found.candidates["agency"])
    assert names[0] == "Harris County Sheriff's Office"
    assert "Morris County Sheriff's Office" not in names and "Lee County Sheriff's Office" not in names


def test_labels_show_no_score(index):
    row = agency_lookup.lookup(index, "Fort Myers Police", town_county=towns).candidates.iloc[0]
    label = lookup_words.candidate_label(row)
    assert label == "Fort Myers Police Department (FL) · active"
    assert "match" not in label and not any(ch.isdigit() for ch in label)


def test_why_a_candidate_was_found_reads_in_the_readers_language():
    from mapcore.core import i18n
    from mapcore.words.lookup import why_words

    assert why_words("placed in Harris County, TX") == "placed in Harris County, TX"
    with i18n.using_language("es"):
        assert why_words("placed in Harris County, TX") == "ubicada en Harris County, TX"
        assert why_words("where Galveston is, in Galveston County, TX") == "donde está Galveston, en Galveston County, TX"
        assert why_words("serves Cobb County, GA (regional)") == "atiende a Cobb County, GA (regional)"
        assert why_words("name") == "nombre" and why_words(None) is None
