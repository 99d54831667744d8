"""The Timeline page on a small folder of fixture sheets (AppTest, no network)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import streamlit
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.testing.v1 import AppTest

from mapcore.analysis import query
from mapcore.build import pipeline

PAGE = Path(__file__).resolve().parents[2] / "pages" / "4_Timeline.py"

HARRIS_JEM = row8()
HARRIS_TFM = row8(model="Task Force Model")
DALLAS = row8(agency="Dallas County Sheriff's Office", county="Dallas County", model="Warrant Service Officer")
HOUSTON = row8(agency="Houston Police Department", jtype="Municipality", model="Task Force Model", signed=dt.datetime(2025, 6, 20))


def patrol(signed: dt.datetime) -> list:
    return row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model", signed=signed)


@pytest.fixture
def timeline(tmp_path, monkeypatch) -> list[str]:
    """Three participating sheets and one pending sheet; returns the participating ids, oldest first.

    1 -> 2: Houston added, Dallas removed (back in 3), the patrol re-dated, Harris TFM re-spelled.
    2 -> 3: Harris TFM switched to WSO, Dallas back.
    """
    source = tmp_path / "sheets"
    make_sheet(
        source / "2025-07-01" / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [HARRIS_JEM, HARRIS_TFM, DALLAS, patrol(dt.datetime(2025, 3, 1))],
    )
    curly_tfm = row8(agency="Harris County Sheriff’s Office", model="Task Force Model")
    make_sheet(
        source / "2025-07-02" / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [HARRIS_JEM, curly_tfm, patrol(dt.datetime(2025, 6, 1)), HOUSTON],
    )
    make_sheet(
        source / "2025-07-03" / "participatingAgencies07032025am.xlsx",
        PARTICIPATING_8,
        [HARRIS_JEM, row8(model="Warrant Service Officer"), patrol(dt.datetime(2025, 6, 1)), HOUSTON, DALLAS],
    )
    make_sheet(
        source / "2025-07-02" / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "McLennan County", "Task Force Model"]],
    )
    cache = tmp_path / "cache"
    monkeypatch.setenv("MAPCORE_SOURCE", str(source))
    monkeypatch.setenv("MAPCORE_CACHE", str(cache))
    streamlit.cache_resource.clear()
    dataset, _ = pipeline.build(source, cache=cache, workers=1)
    yield [str(p) for p in query.publications(dataset.sheets)["publication_id"]]
    streamlit.cache_resource.clear()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def changes(at: AppTest) -> dict[str, int]:
    found = metrics(at)
    return {name: int(found[name]) for name in ("Added", "Removed", "Renewed", "Switched")}


def test_default_view_compares_the_previous_and_latest_publications(timeline):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Timeline of 287(g) agreements"
    assert changes(at) == {"Added": 2, "Removed": 1, "Renewed": 0, "Switched": 1}
    assert at.selectbox(key="tl_from").value == timeline[1]
    assert at.selectbox(key="tl_to").value == timeline[2]
    assert _param(at, "from") == timeline[1] and _param(at, "to") == timeline[2]
    assert [t.label for t in at.tabs] == ["Added (2)", "Removed (1)", "Renewed (0)", "Switched (1)"]
    switched = at.tabs[3].dataframe[0].value
    assert switched[["models_before", "models_after"]].values.tolist() == [["JEM, TFM", "JEM, WSO"]]
    assert any("Source: ICE 287(g) sheet published 2025-07-02" in c.value for c in at.caption)


def test_choosing_two_publications_shows_their_changes_and_updates_the_url(timeline):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.selectbox(key="tl_from").set_value(timeline[0])
    at.selectbox(key="tl_to").set_value(timeline[1])
    at.run()
    assert not at.exception
    assert changes(at) == {"Added": 1, "Removed": 1, "Renewed": 1, "Switched": 0}
    assert _param(at, "from") == timeline[0] and _param(at, "to") == timeline[1]
    removed = at.tabs[1].dataframe[0].value
    assert list(removed["agency"]) == ["Dallas County Sheriff's Office"]
    assert removed["returns_later"].tolist() == [True], "absent from sheet 2 but back in sheet 3"
    renewed = at.tabs[2].dataframe[0].value
    assert renewed["agency"].tolist() == ["Florida Highway Patrol"]
    at.multiselect(key="tl_states").set_value(["FL"]).run()
    assert changes(at) == {"Added": 0, "Removed": 0, "Renewed": 1, "Switched": 0}
    assert _param(at, "states") == "FL"


def test_query_params_reopen_the_same_view(timeline):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["from"] = timeline[0]
    at.query_params["to"] = timeline[1]
    at.query_params["states"] = "TX"
    at.run()
    assert not at.exception
    assert at.selectbox(key="tl_from").value == timeline[0]
    assert at.selectbox(key="tl_to").value == timeline[1]
    assert at.multiselect(key="tl_states").value == ["TX"]
    assert changes(at) == {"Added": 1, "Removed": 1, "Renewed": 0, "Switched": 0}


def test_unknown_query_params_fall_back_to_the_default_view(timeline):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["from"] = "no-such-sheet"
    at.query_params["states"] = "ZZ"
    at.run()
    assert not at.exception
    assert at.selectbox(key="tl_from").value == timeline[1]
    assert at.multiselect(key="tl_states").value == []


def _param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_spread_map_steps_by_month_or_by_day_for_a_state_and_offers_its_clip(timeline):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    assert "The spread over time" in [h.value for h in at.header]
    assert at.selectbox(key="tl_spread").value == ""
    assert any("1 month, the last sheet of each month" in c.value for c in at.caption)
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Animation (GIF)", "Picture of the newest sheet (PNG, 2400 px wide)", "Map to embed (one HTML file)"} <= set(labels)
    at.selectbox(key="tl_spread").set_value("TX").run()
    assert not at.exception
    assert any("3 days, the last sheet of each day" in c.value for c in at.caption)
    assert _param(at, "spread") == "TX"
    again = AppTest.from_file(PAGE, default_timeout=60)
    again.query_params["spread"] = "TX"
    again.run()
    assert again.selectbox(key="tl_spread").value == "TX"


def test_an_animation_past_the_pixel_budget_is_said_instead_of_offered(timeline, monkeypatch):
    """The clip's download is budgeted (frames x pixels) like `mapcore render`; past it the menu says so."""
    from mapcore.render import animation

    monkeypatch.setattr(animation, "MAX_PIXELS", 2 * animation.WIDTH_PX**2)  # two frames fit, TX's three do not
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["spread"] = "TX"
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Animation (GIF)" not in labels and "Picture of the newest sheet (PNG, 2400 px wide)" in labels
    assert any(c.value == "No animation to download: its 3 frames are more than one file may hold (2 at most)." for c in at.caption)


def test_a_flood_of_repeated_states_in_the_url_is_read_once_and_written_back_short(timeline):
    """`?states=TX,TX,...` (15 KB) kept every duplicate."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["states"] = ",".join(["TX"] * 5_000)
    at.run()
    assert not at.exception
    assert at.multiselect(key="tl_states").value == ["TX"]
    assert _param(at, "states") == "TX"
