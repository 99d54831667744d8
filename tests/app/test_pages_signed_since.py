"""Applications signed since the pending list are shown apart and not counted as pending on the State
profile, the Timeline and Explore (the Agency page: tests/app/test_page_agency_flags.py)."""

from __future__ import annotations

import pytest
import streamlit as st
from appfixtures import script
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.testing.v1 import AppTest
from test_page_agency_flags import CUMBY


@pytest.fixture
def open_page(tmp_path, monkeypatch):
    folder = tmp_path / "sheets"
    make_sheet(folder / "participatingAgencies01152026am.xlsx", PARTICIPATING_8, [row8()])
    make_sheet(
        folder / "pendingAgencies02272026am.xlsx",
        PENDING_5,
        [
            ["TEXAS", "Cumby Police Department", "Municipality", "Hopkins County", "Task Force Model"],
            ["TEXAS", "Waco Police Department", "Municipality", "McLennan County", "Task Force Model"],
        ],
    )
    make_sheet(folder / "participatingAgencies04302026am.xlsx", PARTICIPATING_8, [row8(), CUMBY])
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()

    def run(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(script(page), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at = at.run()
        assert not at.exception, at.exception
        return at

    yield run
    st.cache_resource.clear()
    st.cache_data.clear()


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_state_profile_counts_only_applications_not_yet_signed(open_page):
    at = open_page("pages/2_State.py", state="TX")
    assert _metric(at, "Pending applications") == "1"
    said = " ".join(c.value for c in at.caption)
    assert "has since been signed" in said and "Cumby Police Department" in said


def test_explore_shows_signed_applications_apart(open_page):
    at = open_page("pages/1_Explore.py", kind="pending")
    assert _metric(at, "Applications") == "1"
    assert list(at.dataframe[0].value["Agency"]) == ["Waco Police Department"]
    apart = [e for e in at.expander if "since been signed" in e.label]
    assert apart and "Cumby Police Department" in apart[0].label
    assert list(apart[0].dataframe[0].value["Agency"]) == ["Cumby Police Department"]


def test_timeline_counts_signed_since_apart_from_still_pending(open_page):
    at = open_page("pages/4_Timeline.py")
    assert _metric(at, "Still pending in the latest pending sheet") == "1"
    assert _metric(at, "Signed since the latest pending sheet") == "1"
