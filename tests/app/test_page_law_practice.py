"""The Law vs practice page (AppTest) on a small folder of fixture sheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "5_Law_vs_practice.py")
SHERIFFS = [  # Florida: three county jails listed (one a corrections department)
    row8(state="FLORIDA", agency="Alachua County Sheriff's Office", county="Alachua County", model="Warrant Service Officer"),
    row8(state="FLORIDA", agency="Baker County Sheriff's Office", county="Baker County", model="Task Force Model"),
    row8(state="FLORIDA", agency="Orange County Corrections Department", county="Orange County", model="Jail Enforcement Model"),
    # a city police department: does not count for Bay County
    row8(state="FLORIDA", agency="Panama City Police Department", jtype="Municipality", county="Bay County", model="Task Force Model"),
]
MARYLAND = row8(state="MARYLAND", agency="Cecil County Sheriff's Office", county="Cecil County", model="Jail Enforcement Model")


@pytest.fixture
def app(tmp_path, monkeypatch):
    folder = tmp_path / "sheets"
    make_sheet(folder / "participatingAgencies03012025am.xlsx", PARTICIPATING_8, [*SHERIFFS, MARYLAND])
    make_sheet(folder / "participatingAgencies04012026am.xlsx", PARTICIPATING_8, SHERIFFS)  # Maryland gone
    make_sheet(folder / "pendingAgencies03152026am.xlsx", PENDING_5, [
        ["FLORIDA", "Bradford County Sheriff's Office", "County", "Bradford County", "Warrant Service Officer"],
        ["FLORIDA", "Bay County Sheriff's Office", "County", "Bay County", "Warrant Service Officer"],
    ])
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


def test_page_shows_counts_and_inference_note(app):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    text = text_of(at)
    assert "A missing agreement is not proof of non-compliance" in text
    assert "consolidated city-county" in text
    # Default state: Texas, none of its 254 counties listed in these sheets
    assert metrics(at)["Counties"] == "254"
    assert metrics(at)["With a sheriff or jail agreement"] == "0"

    at.selectbox(key="state").set_value("FL").run()
    assert not at.exception, at.exception
    assert "FL" in str(at.query_params["state"])
    figures = metrics(at)
    assert figures["Counties"] == "67"
    assert figures["With a sheriff or jail agreement"] == "3"       # police department not counted
    assert figures["Without"] == "64"
    assert figures["Covered"] == "4%"
    text = text_of(at)
    assert "In Florida, 3 of 67 counties" in text
    assert "2 have a pending application" in text
    assert "64 counties without a sheriff or county jail agreement in Florida" in text
    missing = next(df.value for df in at.dataframe if "County" in df.value.columns and "Status" in df.value.columns)
    by = missing.set_index("County")
    assert by.loc["Bradford County", "Status"] == "No agreement; application pending"
    assert "Panama City Police Department" in by.loc["Bay County", "Other local agreements (not counted)"]
    assert "Alachua County" not in by.index


def test_restrict_tab_lists_the_maryland_agreement(app):
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    per_state = next(df.value for df in at.dataframe if "Ever listed" in df.value.columns).set_index("State")
    assert per_state.loc["MD", "Ever listed"] == 1 and per_state.loc["MD", "In newest sheet"] == 0
    agreements = next(df.value for df in at.dataframe if "Relation to the law" in df.value.columns)
    row = agreements.set_index("Agency").loc["Cecil County Sheriff's Office"]
    assert str(row["Last seen"])[:10] == "2025-03-01"
    assert row["Relation to the law"] == "Gone before the law's date"   # Maryland's ban is dated 2026
    assert "ICE's sheets list agreements in **1 of" in text_of(at)


def test_state_in_url_opens_that_state(app):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["state"] = "FL"
    at.run()
    assert not at.exception, at.exception
    assert metrics(at)["Counties"] == "67"
    assert at.query_params["state"] == ["FL"] or at.query_params["state"] == "FL"


def test_unknown_state_in_url_falls_back_to_texas(app):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["state"] = "<script>"
    at.run()
    assert not at.exception, at.exception
    assert metrics(at)["Counties"] == "254"


def test_fixture_dates_are_what_the_tests_assume(app, tmp_path):
    from mapcore.ingest import dataset as ds

    built, _ = ds.build(tmp_path / "sheets", cache=tmp_path / "cache2", workers=1)
    dates = sorted(built.sheets["publication_date"].dt.date)
    assert dates == [dt.date(2025, 3, 1), dt.date(2026, 3, 15), dt.date(2026, 4, 1)]


def test_tab_in_url_is_bound(app):
    at = AppTest.from_file(PAGE, default_timeout=120)
    at.query_params["tab"] = "Sheriffs missing where state law mandates it"
    at.run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["Agreements where state law restricts 287(g)", "Sheriffs missing where state law mandates it"]
