"""The one agency identity (mapcore.core.agency_key): spellings of one agency meet, others stay apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapcore.core.agency_key import agency_identity

HARRIS = "Harris County Sheriff's Office"


@pytest.mark.parametrize(
    "variant",
    [
        "Harris County Sheriff’s Office",
        "Harris County Sheriff‘s Office",
        "Harris County Sheriff`s Office",
        "HARRIS COUNTY SHERIFFS OFFICE",
        "Harris County Sheriff Office",
        "Harris County Sheriff's Dept.",
        "Harris County Sheriff's Department",
        "Harris  County,  Sheriff's Office.",
        "The Harris County Sheriff's Office",
        "Harris Co. Sheriff's Office",
        " harris county sheriff's office ",
    ],
)
def test_spellings_of_one_agency_normalise_alike(variant):
    assert agency_identity(variant) == agency_identity(HARRIS) == "harris county sheriffs office"


def test_abbreviations_are_spelled_out_but_distinct_agencies_stay_apart():
    assert agency_identity("Tampa PD") == agency_identity("Tampa Police Department")
    assert agency_identity("Iowa Dept. of Public Safety") == "iowa department of public safety"
    assert agency_identity("Doña Ana County Sheriff's Office") == "dona ana county sheriffs office"
    assert agency_identity("Harris County Constable") != agency_identity(HARRIS)
    assert agency_identity(None) == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Galveston County Sheriff\u2019s Office", "Galveston County Sheriff's Office"),
        ("St. Johns County Sheriff's Office", "Saint Johns County Sheriff's Office"),
        ("Mt. Pleasant Police Department", "Mount Pleasant Police Department"),
        ("Ft. Myers Police Department", "Fort Myers PD"),
        ("Lower Merion Twp. Police", "Lower Merion Township Police"),
        ("Harris Cnty Sheriff", "Harris County Sheriff's Office"),
        ("Miami\u2013Dade Police Department", "Miami-Dade Police Department"),
        ("Miami\u00a0Dade Police Department", "Miami Dade Police Department"),
    ],
)
def test_typographic_and_abbreviated_variants_meet(a, b):
    assert agency_identity(a) == agency_identity(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Harris County Sheriff's Office", "Harris County Constable Precinct 1"),
        ("Lee County Sheriff's Office", "Lea County Sheriff's Office"),
        ("Saint Johns County Sheriff's Office", "Saint James Parish Sheriff's Office"),
    ],
)
def test_different_agencies_stay_apart(a, b):
    assert agency_identity(a) != agency_identity(b)


@given(st.text(max_size=60))
def test_identity_is_idempotent_lower_case_ascii(name):
    once = agency_identity(name)
    assert agency_identity(once) == once
    assert once == once.strip() and "  " not in once
    assert all(ch.isascii() and not ch.isupper() for ch in once)


def test_agency_counts_use_the_identity_not_the_spelling():
    """Curly and straight apostrophes are one agency, not two."""
    import pandas as pd

    from mapcore.analysis.query import agency_count
    from mapcore.app.page_parts import headline

    rows = pd.DataFrame(
        {
            "state": ["TX", "TX", "TX", "SC"],
            "agency": [
                "Galveston County Sheriff\u2019s Office",
                "Galveston County Sheriff's Office",
                "Mount Pleasant Police Department",
                "Mount Pleasant Police Department",
            ],
            "model": ["JEM", "WSO", "TFM", "TFM"],
            "level": "county",
        }
    )
    assert agency_count(rows) == 3
    assert headline(rows)["agencies"] == 3
