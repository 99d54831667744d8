"""A small ICE-like source folder and environment for page tests (AppTest and the browser)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import streamlit as st
from sheetfactory import PARTICIPATING_8, PENDING_5, Link, make_sheet, row8

COBB = row8(  # in both sheets
    state="GEORGIA",
    agency="Cobb County Sheriff's Office",
    county="Cobb County",
    model="Jail Enforcement Model",
    signed=dt.datetime(2024, 11, 5),
)
LATEST_ROWS = [
    row8(),
    row8(model="Task Force Model", signed=dt.datetime(2025, 6, 1)),
    row8(
        state="TEXAS",
        agency="Houston Police Department",
        jtype="Municipality",
        county="#N/A",
        model="Task Force Model",
        signed=dt.datetime(2025, 6, 20),
        moa=Link("link", "https://www.ice.gov/doclib/287gMOA/houston.pdf"),
    ),
    row8(
        state="FLORIDA",
        agency="Lee County Sheriff's Office",
        county="Lee County",
        model="Warrant Service Officer",
        signed=dt.datetime(2025, 2, 10),
        moa=Link("link", "https://www.ice.gov/doclib/287gMOA/lee.pdf"),
    ),
    row8(
        state="FLORIDA",
        agency="St. Johns County Sheriff's Office",
        county="St. Johns County",
        model="Jail Enforcement Model",
        signed=dt.datetime(2025, 4, 2),
    ),
    row8(
        state="FLORIDA",
        agency="Florida Highway Patrol",
        jtype="State",
        county="#N/A",
        model="Task Force Model",
        signed=dt.datetime(2025, 3, 3),
    ),
    COBB,
]
EARLIER_ROWS = [
    row8(),
    COBB,
    row8(
        state="FLORIDA",
        agency="Dropped Police Department",
        jtype="Municipality",
        county="Lee County",
        model="Task Force Model",
        signed=dt.datetime(2025, 1, 5),
    ),
]


SOURCE_TODAY = "2025-07-09"  # "today" for tests of this source: a week after its newest sheet (2025-07-02)


def make_source(folder: Path) -> Path:
    """Two participating publications (2025-07-01, 2025-07-02) and one pending one."""
    make_sheet(folder / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, EARLIER_ROWS)
    make_sheet(folder / "participatingAgencies07022025am.xlsx", PARTICIPATING_8, LATEST_ROWS)
    make_sheet(
        folder / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    return folder


def use_source(monkeypatch, tmp_path: Path) -> Path:
    """Point the app at a fresh fixture folder and cache, with Streamlit's caches cleared."""
    source = make_source(tmp_path / "sheets")
    monkeypatch.setenv("MAPCORE_SOURCE", str(source))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", SOURCE_TODAY)  # a week after the newest sheet: not stale
    st.cache_resource.clear()
    st.cache_data.clear()
    return source


REPO = Path(__file__).resolve().parents[1]


def map_specs(at) -> list[dict]:
    """The map specs an AppTest run sent to the browser (the map component's arguments, in page order):
    what the reader's map draws (layer, values per place, markers, legends, law band)."""
    return [
        json.loads(element.proto.json_args)["spec"]
        for element in at.get("component_instance")
        if element.proto.component_name.endswith(".mapview")
    ]


def script(relative: str) -> str:
    """Absolute path of an app script (AppTest resolves relative paths against the test file)."""
    return str(REPO / relative)
