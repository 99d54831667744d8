"""The agency lookup in the page: "Harris County" asks which state, then lists every agency placed in
Harris County, TX; no agency is chosen for the user and no score is shown."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import streamlit as st
from appfixtures import script
from sheetfactory import PARTICIPATING_8, make_sheet, row8
from streamlit.testing.v1 import AppTest


@pytest.fixture
def agency_page(tmp_path, monkeypatch):
    folder = tmp_path / "sheets"
    make_sheet(
        folder / "participatingAgencies04302026am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(agency="Southside Place Police Department", jtype="Municipality", county="Harris County", model="Task Force Model"),
            row8(state="GEORGIA", agency="Harris County Sheriff's Office", county="Harris County", model="Warrant Service Officer"),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", signed=dt.datetime(2025, 2, 10)),
            row8(agency="Lee County Sheriff's Office", county="Lee County", model="Task Force Model"),
        ],
    )
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", "2026-05-04")  # days after the sheet: the data's age is no warning
    st.cache_resource.clear()
    yield AppTest.from_file(script("pages/3_Agency.py"), default_timeout=120)
    st.cache_resource.clear()


def test_harris_county_asks_the_state_then_lists_its_agencies(agency_page):
    at = agency_page.run()
    at.text_input(key="ag_q").set_value("Harris County").run()
    assert not at.exception
    assert any("Harris County in GA and TX: which state?" in i.value for i in at.info)
    assert not [m for m in at.markdown if m.value.startswith("<h2>")], "no agency chosen for the user"
    at.radio(key="ag_ask|Harris County").set_value("TX").run()
    assert at.selectbox(key="ag_state").value == "TX"
    listed = at.dataframe[0].value
    assert set(listed["agency"]) == {"Harris County Sheriff's Office", "Southside Place Police Department"}
    pick = at.selectbox(key="ag_pick|Harris County|TX")
    assert pick.value is None
    assert all("match" not in o and "%" not in o for o in pick.options)
    pick.set_value(1).run()
    assert not at.exception
    assert any(m.value.startswith("<h2>") for m in at.markdown)


def test_equal_names_in_two_states_ask_first(agency_page):
    at = agency_page.run()
    at.text_input(key="ag_q").set_value("Lee County Sheriff's Office").run()
    assert any("equally well, in FL and TX: which state?" in i.value for i in at.info)


def test_a_link_to_an_agency_its_state_does_not_list_says_so_before_showing_the_closest(agency_page):
    """A link naming Harris County Sheriff's Office in Florida, where ICE lists only Georgia's and Texas's:
    the page shows the closest match and says, in words, that Florida has no such agency."""
    agency_page.query_params.update({"agency": "Harris County Sheriff's Office", "state": "FL"})
    at = agency_page.run()
    assert not at.exception
    said = html.unescape(" ".join(w.value for w in at.warning).replace("\\", ""))  # as the reader sees it
    assert "no agency named Harris County Sheriff's Office in Florida" in said, said
    assert any(m.value == "<h2>Harris County Sheriff&#x27;s Office</h2>" for m in at.markdown), "the closest match is still shown"


def test_a_link_to_an_agency_its_state_lists_opens_it_without_a_warning(agency_page):
    agency_page.query_params.update({"agency": "Harris County Sheriff's Office", "state": "GA"})
    at = agency_page.run()
    assert not at.exception and not at.warning
    assert any("Georgia" in m.value for m in at.markdown)
