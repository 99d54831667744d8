"""Names that differ in a number are never one agency; "City of X" and "X" are one agency when nothing
else tells them apart (built from ICE-like sheets: tests/sheetfactory.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.analysis import query
from mapcore.build import agreement_keys as identity
from mapcore.build import pipeline as ds

BRADLEY = "Bradley County Constable District {}"


def _tn(number: int, signed: dt.datetime) -> list:
    return row8(state="TENNESSEE", agency=BRADLEY.format(number), county="Bradley County", model="Task Force Model", signed=signed)


def _pending_tn(number: int) -> list:
    return ["TENNESSEE", BRADLEY.format(number), "County", "Bradley County", "Task Force Model"]


@pytest.fixture
def districts(tmp_path):
    """District 7 pending, then District 1 pending as District 7 is signed (one gone, one new: the only
    change the typo step looks at), then both participating in every sheet, with their own signing dates."""
    folder = tmp_path / "sheets"
    make_sheet(folder / "pendingAgencies08122025am.xlsx", PENDING_5, [_pending_tn(7)])
    make_sheet(folder / "pendingAgencies09152025am.xlsx", PENDING_5, [_pending_tn(1)])
    make_sheet(folder / "participatingAgencies09092025am.xlsx", PARTICIPATING_8, [_tn(7, dt.datetime(2025, 9, 2)), row8()])
    make_sheet(
        folder / "participatingAgencies09242025am.xlsx",
        PARTICIPATING_8,
        [_tn(7, dt.datetime(2025, 9, 2)), _tn(1, dt.datetime(2025, 9, 19)), row8()],
    )
    make_sheet(
        folder / "participatingAgencies11142025am.xlsx",
        PARTICIPATING_8,
        [_tn(1, dt.datetime(2025, 9, 19)), _tn(7, dt.datetime(2025, 9, 2)), row8()],
    )
    dataset, _ = ds.build(folder, cache=tmp_path / "cache", workers=1)
    return dataset


def test_constable_districts_differing_in_a_number_are_two_agencies(districts):
    latest = query.latest_publication_id(districts.sheets, "participating")
    rows = query.publication_rows(districts.agreements, latest)
    assert query.agency_count(rows) == 3
    tn = rows[rows["state"].astype(object) == "TN"]
    assert sorted(tn["agency_norm"].astype(str)) == ["bradley county constable district 1", "bradley county constable district 7"]


def test_the_fuzzy_step_never_joins_names_that_differ_in_a_number():
    frame = pd.DataFrame(
        [
            {"state": "TX", "agency": "Harris County Constable Precinct 1", "model": "TFM", "kind": "pending"},
            {"state": "TX", "agency": "Harris County Constable Precinct 4", "model": "TFM", "kind": "pending"},
            {"state": "TX", "agency": "Harris County Constable Precinct 01", "model": "TFM", "kind": "pending"},
        ]
    ).assign(publication_id=["a", "b", "c"], publication_date=pd.to_datetime(["2025-07-01", "2025-07-02", "2025-07-03"]), signed=pd.NaT)
    keys = identity.agreement_key(frame)
    assert keys[0] != keys[1], "precinct 1 gone and precinct 4 new: two agencies"
    assert keys[1] != keys[2]


@pytest.fixture
def place_kinds(tmp_path):
    folder = tmp_path / "sheets"
    st_cloud = dict(state="FLORIDA", jtype="Municipality", county="Osceola County", model="Task Force Model")
    zephyr = dict(state="FLORIDA", jtype="Municipality", county="Pasco County", model="Task Force Model")
    make_sheet(
        folder / "participatingAgencies05232025am.xlsx",
        PARTICIPATING_8,
        [
            row8(agency="City of St. Cloud Police Department", signed=dt.datetime(2025, 4, 15), **st_cloud),
            row8(agency="City of Zephyrhills Police Department", signed=dt.datetime(2025, 4, 14), **zephyr),
            row8(agency="St. Cloud Police Department", signed=dt.datetime(2025, 4, 14), **st_cloud),
        ],
    )
    make_sheet(
        folder / "participatingAgencies06262025am.xlsx",
        PARTICIPATING_8,
        [
            row8(agency="City of St. Cloud Police Department", signed=dt.datetime(2025, 4, 15), **st_cloud),
            row8(agency="City of Zephyrhills Police Department", signed=dt.datetime(2025, 4, 14), **zephyr),
            row8(agency="St. Cloud Police Department", signed=dt.datetime(2025, 4, 14), **st_cloud),
            row8(agency="Zephyrhills Police Department", signed=dt.datetime(2025, 4, 14), **zephyr),
            # A town and a village of one name are two places (New York): never joined by their kind.
            row8(
                state="NEW YORK",
                agency="Town of Elmira Police Department",
                jtype="Municipality",
                county="Chemung County",
                model="Task Force Model",
            ),
            row8(
                state="NEW YORK",
                agency="Village of Elmira Police Department",
                jtype="Municipality",
                county="Chemung County",
                model="Task Force Model",
            ),
            row8(
                state="NEW YORK", agency="Elmira Police Department", jtype="Municipality", county="Chemung County", model="Task Force Model"
            ),
            # Same name in another county: another place (a town no gazetteer knows, so the printed counties stand).
            row8(
                state="FLORIDA",
                agency="City of Quillby Police Department",
                jtype="Municipality",
                county="Palm Beach County",
                model="Task Force Model",
            ),
            row8(state="FLORIDA", agency="Quillby Police Department", jtype="Municipality", county="Lee County", model="Task Force Model"),
        ],
    )
    dataset, _ = ds.build(folder, cache=tmp_path / "cache", workers=1)
    return dataset


def _agencies(dataset, date: str) -> set[str]:
    rows = dataset.agreements[dataset.agreements["publication_date"] == pd.Timestamp(date)]
    return set(rows["agency_id"].astype(str))


def test_city_of_x_and_x_are_one_agency(place_kinds):
    assert _agencies(place_kinds, "2025-05-23") == {"FL|saint cloud police department", "FL|zephyrhills police department"}
    later = _agencies(place_kinds, "2025-06-26")
    assert {"FL|saint cloud police department", "FL|zephyrhills police department"} <= later
    assert not any(a.startswith("FL|city of saint cloud") or a.startswith("FL|city of zephyrhills") for a in later)


def test_a_place_kind_is_kept_where_it_tells_two_places_apart(place_kinds):
    later = _agencies(place_kinds, "2025-06-26")
    assert {"NY|town of elmira police department", "NY|village of elmira police department", "NY|elmira police department"} <= later, (
        "town and village of one name: three agencies"
    )
    assert {"FL|city of quillby police department", "FL|quillby police department"} <= later, "placed in different counties: two agencies"


def test_a_place_kind_is_kept_where_the_fbi_roster_lists_two_places_of_that_name():
    names = [
        "Town of Southampton Police Department",
        "Southampton Police Department",
        "City of St. Cloud Police Department",
        "St. Cloud Police Department",
        "Town of Elmira Police Department",
        "City of Elmira Police Department",
        "Elmira Police Department",
    ]
    frame = pd.DataFrame(
        {
            "state": ["NY", "NY", "FL", "FL", "NY", "NY", "NY"],
            "agency": names,
            "county_fips": ["36103", "36103", "12097", "12097", "36015", "36015", "36015"],
        }
    ).assign(
        jurisdiction_type="Municipality",
        model="TFM",
        kind="participating",
        publication_id="p",
        publication_date=pd.Timestamp("2025-07-01"),
        signed=pd.NaT,
    )
    roster = pd.DataFrame(
        {
            "state": ["NY", "NY", "FL", "NY", "NY"],
            "type": "City",
            "name": ["Southampton Village", "Southampton Town", "St. Cloud", "Elmira", "Elmira Town"],
            "ori": ["NY0512600", "NY0515800", "FL0490100", "NY0070100", "NY0075500"],
        }
    )
    twice = identity.places_named_twice(roster)
    assert twice == {("NY", "southampton"): ("town", "village"), ("NY", "elmira"): ("", "town")}
    norms = dict(zip(names, identity.with_identity(frame, places_named_twice=twice)["agency_norm"]))
    assert norms["Town of Southampton Police Department"] == "town of southampton police department"
    assert norms["City of St. Cloud Police Department"] == norms["St. Cloud Police Department"]
    assert norms["Town of Elmira Police Department"] == "town of elmira police department", "the town: not the city"
    # "Town of Elmira" and "City of Elmira" are both listed: two kinds of one name, nothing joined
    assert norms["City of Elmira Police Department"] == "city of elmira police department"
    assert norms["Elmira Police Department"] == "elmira police department"


def test_city_of_x_is_x_where_the_roster_names_the_city_without_a_kind():
    frame = pd.DataFrame(
        {"state": "FL", "agency": ["City of Melbourne Police Department", "Melbourne Police Department"], "county_fips": "12009"}
    ).assign(
        jurisdiction_type="Municipality",
        model="TFM",
        kind="participating",
        publication_id="p",
        publication_date=pd.Timestamp("2025-07-01"),
        signed=pd.NaT,
    )
    roster = pd.DataFrame({"state": "FL", "type": "City", "name": ["Melbourne", "Melbourne Village"], "ori": ["FL0050500", "FL0051000"]})
    norms = identity.with_identity(frame, places_named_twice=identity.places_named_twice(roster))["agency_norm"]
    assert set(norms) == {"melbourne police department"}
