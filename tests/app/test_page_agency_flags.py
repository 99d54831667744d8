"""What the Agency page says beyond the tables: an application signed since the pending list (not pending),
ICE's county against the FBI roster's, and an agreement listed after its state's law reached it, in the words
Law vs practice uses (sheets made with tests/sheetfactory.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from appfixtures import script
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.testing.v1 import AppTest

GARRETT = row8(
    state="MARYLAND",
    agency="Garrett County Sheriff's Office",
    county="Garrett County",
    model="Warrant Service Officer",
    signed=dt.datetime(2025, 3, 1),
)
FAU = row8(
    state="FLORIDA",
    agency="Florida Atlantic Police Department",
    jtype="Municipality",
    county="Broward County",
    model="Task Force Model",
    signed=dt.datetime(2025, 4, 1),
)
CUMBY = row8(
    agency="Cumby Police Department",
    jtype="Municipality",
    county="Hopkins County",
    model="Task Force Model",
    signed=dt.datetime(2026, 3, 10),
)


@pytest.fixture
def page(tmp_path, monkeypatch):
    folder = tmp_path / "sheets"
    make_sheet(folder / "participatingAgencies01152026am.xlsx", PARTICIPATING_8, [row8(), GARRETT, FAU])
    make_sheet(
        folder / "pendingAgencies02272026am.xlsx",
        PENDING_5,
        [
            ["TEXAS", "Cumby Police Department", "Municipality", "Hopkins County", "Task Force Model"],
            ["TEXAS", "Waco Police Department", "Municipality", "McLennan County", "Task Force Model"],
        ],
    )
    make_sheet(folder / "participatingAgencies04302026am.xlsx", PARTICIPATING_8, [row8(), GARRETT, FAU, CUMBY])
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()

    def open_agency(agency: str, state: str) -> AppTest:
        at = AppTest.from_file(script("pages/3_Agency.py"), default_timeout=120)
        at.query_params["agency"], at.query_params["state"] = agency, state
        return at.run()

    yield open_agency
    st.cache_resource.clear()
    st.cache_data.clear()


def test_an_application_signed_since_is_not_still_pending(page):
    at = page("Cumby Police Department", "TX")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "signed_since" in d.value.columns)
    assert list(table["active"]) == [False] and str(table["signed_since"].iloc[0])[:10] == "2026-04-30"
    assert any(m.label.startswith("Pending applications (still pending)") and m.value == "1 (0)" for m in at.metric)
    waco = page("Waco Police Department", "TX")
    assert any(m.label.startswith("Pending applications (still pending)") and m.value == "1 (1)" for m in waco.metric)


def test_a_county_ice_and_the_fbi_disagree_on_is_said(page):
    at = page("Florida Atlantic Police Department", "FL")
    said = [i.value for i in at.info if "FBI" in i.value]
    assert said and "Broward County" in said[0] and "Palm Beach County" in said[0]
    assert not [i for i in page("Garrett County Sheriff's Office", "MD").info if "FBI" in i.value]


def test_an_agreement_listed_after_its_states_law_is_flagged_in_law_vs_practices_words(page, tmp_path):
    from mapcore.analysis import compliance
    from mapcore.analysis.agency_story import agency_rows
    from mapcore.build import pipeline
    from mapcore.core.text import md_text
    from mapcore.reference.laws import load_laws
    from mapcore.words.compliance import presence_sentence

    at = page("Garrett County Sheriff's Office", "MD")
    dataset, _ = pipeline.build(tmp_path / "sheets", cache=tmp_path / "cache", workers=1)
    presence = compliance.restricted_presence(
        agency_rows(dataset.agreements, "MD", "Garrett County Sheriff's Office"), dataset.sheets, load_laws()
    )
    assert presence["listed_after_law"].all(), "listed on 2026-04-30, after Maryland's law of 2026"
    expected = md_text(presence_sentence(presence.iloc[0], dataset.sheets["publication_date"].max()))
    assert [w.value for w in at.warning if "Garrett" in w.value] == [expected]
    harris = page("Harris County Sheriff's Office", "TX")  # Texas mandates: nothing to stand against
    assert not [w for w in harris.warning if "Harris County Sheriff" in w.value]
