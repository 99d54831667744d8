"""Pending is stale, say so. Every pending view names its sheet's date and age next to
the participating list, says "applications", and switching Explore to pending keeps the user's filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import streamlit as st
from appfixtures import script
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.testing.v1 import AppTest

from mapcore.words.sheets import pending_note


def sheets_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "publication_id": ["a", "b", "p"],
            "kind": ["participating", "participating", "pending"],
            "publication_date": pd.to_datetime(["2026-01-10", "2026-04-30", "2025-12-12"]),
            "sequence": [1, 2, 0],
        }
    )


def test_pending_note_names_date_and_age():
    sheets = sheets_frame()
    note = pending_note(sheets, "p")
    assert note == "pending list of 2025-12-12, 5 months older than the participating list (2026-04-30)"
    assert pending_note(sheets, "p", "a") == ("pending list of 2025-12-12, 29 days older than the participating list (2026-01-10)")
    assert pending_note(sheets, None) == "no pending list loaded"


@pytest.fixture
def stale(tmp_path, monkeypatch):
    """Participating sheets in TX and FL up to 2026-04-30; the newest pending sheet (2026-02-27) lists FL only."""
    folder = tmp_path / "sheets"
    make_sheet(
        folder / "participatingAgencies04302026am.xlsx",
        PARTICIPATING_8,
        [
            row8(signed=dt.datetime(2026, 3, 1)),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", signed=dt.datetime(2025, 2, 10)),
        ],
    )
    make_sheet(
        folder / "pendingAgencies02272026am.xlsx",
        PENDING_5,
        [["FLORIDA", "Cape Coral Police Department", "Municipality", "Lee County", "Task Force Model"]],
    )
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    yield folder
    st.cache_resource.clear()


def captions(at: AppTest) -> str:
    return "\n".join(
        [c.value for c in at.caption] + [i.value for i in at.info] + [w.value for w in at.warning] + [m.value for m in at.markdown]
    )


def test_explore_pending_keeps_the_state_and_says_applications_and_age(stale):
    at = AppTest.from_file(script("pages/1_Explore.py"), default_timeout=120).run()
    at.multiselect(key="states").set_value(["TX"]).run()
    at.multiselect(key="models").set_value(["JEM"]).run()
    at.radio(key="kind").set_value("pending").run()
    assert not at.exception
    assert at.multiselect(key="states").value == ["TX"], "the state filter survives the switch"
    assert at.multiselect(key="models").value == ["JEM"]
    assert at.query_params["states"] in ("TX", ["TX"]) and at.query_params["kind"] in ("pending", ["pending"])
    labels = [m.label for m in at.metric]
    assert "Applications" in labels and "Agreements" not in labels
    text = captions(at)
    assert "pending list of 2026-02-27, 2 months older than the participating list (2026-04-30)" in text
    assert "No pending application" in text  # TX has none: said, not silently shown as all states
    at.radio(key="kind").set_value("participating").run()
    assert at.multiselect(key="states").value == ["TX"]


def test_state_agency_and_timeline_pending_views_say_how_old(stale):
    state = AppTest.from_file(script("pages/2_State.py"), default_timeout=120)
    state.query_params["state"] = "FL"
    state = state.run()
    assert not state.exception
    assert "2 months older than the participating list" in captions(state)
    agency = AppTest.from_file(script("pages/3_Agency.py"), default_timeout=120)
    agency.query_params["agency"] = "Cape Coral Police Department"
    agency.query_params["state"] = "FL"
    agency = agency.run()
    assert not agency.exception
    assert "pending list of 2026-02-27, 2 months older" in captions(agency)
    timeline = AppTest.from_file(script("pages/4_Timeline.py"), default_timeout=120).run()
    assert not timeline.exception
    assert "pending list of 2026-02-27, 2 months older than the participating list" in captions(timeline)


def test_the_map_note_speaks_of_applications_for_pending_rows():
    from mapcore.app import page_parts

    rows = pd.DataFrame({"state": ["FL"], "agency": ["Florida Highway Patrol"], "level": ["statewide"]})
    assert page_parts.statewide_note(rows, "pending application")[0].startswith("1 pending application of 1 statewide agency")
