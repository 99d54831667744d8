"""The home page under AppTest: headline counts by model with the publication date, changes, and what its
map shows (layer, counts per place, statewide agencies, law outlines, legend) as the page sends it."""

from __future__ import annotations

import re

import pandas as pd
from appfixtures import map_specs

from mapcore.analysis.law_on_day import laws_in_force
from mapcore.reference.laws import load_laws
from mapcore.render import law_layer

SHEET_DATE = pd.Timestamp("2025-07-02")  # the newest participating sheet of tests/appfixtures.py


def _count(tooltip: str) -> int:
    """The number of agreements a tooltip's first line names ("3 agreements: JEM, TFM")."""
    match = re.match(r"(\d+) agreements?\b", tooltip)
    assert match, tooltip
    return int(match.group(1))


def test_home_shows_counts_date_and_changes(app_test):
    at = app_test("app.py")
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Active agreements"] == "7"
    assert values["JEM · Jail Enforcement"] == "3"
    assert values["WSO · Warrant Service"] == "1"
    assert values["TFM · Task Force"] == "3"
    assert any("published 2025-07-02" in c.value for c in at.caption)
    changes = " ".join(m.value for m in at.markdown)
    assert "Since the previous publication (2025-07-01)" in changes
    assert "TFM +3 / −1" in changes


def test_home_county_map_shows_each_county_its_count_and_the_statewide_agency_apart(app_test):
    at = app_test("app.py")
    assert not at.exception
    (spec,) = map_specs(at)
    assert spec["areas"]["kind"] == "counties" and spec["view"]["key"] == "counties:national"
    values = spec["areas"]["values"]
    # Harris County, TX: the sheriff's two agreements and Houston's police (placed by its city); one each elsewhere
    assert {fips: _count(v[1]) for fips, v in values.items()} == {"48201": 3, "12071": 1, "12109": 1, "13067": 1}
    assert "Houston Police Department" in values["48201"][2] and "Lee County Sheriff's Office" in values["12071"][2]
    (diamond,) = spec["markers"]["statewide"]  # Florida Highway Patrol: a diamond, not spread over counties
    assert diamond[2] == "FL: statewide agencies" and diamond[3] == "Florida Highway Patrol (TFM)"
    assert sum(_count(v[1]) for v in values.values()) + 1 == 7  # = the "Active agreements" headline
    (legend,) = spec["legends"]
    assert legend["title"] == "287(g) agreements per county"
    fills = {item["label"]: item.get("fill") for item in legend["items"]}
    assert fills["1"] == spec["areas"]["palette"][values["12071"][0]]  # each county's colour is its legend's
    assert fills["2–3"] == spec["areas"]["palette"][values["48201"][0]]
    assert any("Statewide agency" in item["label"] for item in legend["items"] if "diamond" in item)
    assert "law" not in spec  # the law outlines only when asked for
    assert any("statewide agency" in e.label for e in at.expander)


def test_home_state_map_counts_every_agreement_of_each_state(app_test):
    at = app_test("app.py")
    at.radio(key="home-level").set_value("state").run()
    assert not at.exception
    (spec,) = map_specs(at)
    assert spec["areas"]["kind"] == "states" and spec["view"]["key"] == "states:national"
    values = spec["areas"]["values"]
    assert {state: _count(v[1]) for state, v in values.items()} == {"TX": 3, "FL": 3, "GA": 1}
    assert values["FL"][1] == "3 agreements: JEM, WSO, TFM" and "Florida Highway Patrol" in values["FL"][2]
    assert spec["markers"] == {}  # statewide agencies are counted in their state, not drawn apart
    assert [section["title"] for section in spec["legends"]] == ["287(g) agreements per state"]


def test_home_law_outlines_show_each_states_law_in_force_on_the_sheets_date(app_test):
    at = app_test("app.py")
    (before,) = map_specs(at)
    at.toggle(key="home-law").set_value(True).run()
    assert not at.exception
    (spec,) = map_specs(at)
    on_the_day = laws_in_force(load_laws(), SHEET_DATE)
    shown = {state: entry["s"] for state, entry in spec["law"]["states"].items()}
    # the class of that day's law (a mandate on a state official only is a class apart); no band where unknown
    known = on_the_day["law_class"].astype(object).where(on_the_day["law_class"].notna(), "")
    assert shown == dict(zip(on_the_day["state"], known))
    assert shown["OK"] == "mandates_state_official" and shown["FL"] == "mandates"
    assert shown["NY"] == "restricts"  # New York's prohibition takes effect 2026-05-27: not shown before its day
    assert spec["law"]["name"] == law_layer.LAYER_NAME
    assert spec["legends"][-1] == law_layer.law_legend(on_the_day)  # the band legend counts the states by that day's law
    assert spec["legends"][0]["title"] == "287(g) agreements per county"
    assert spec["areas"]["values"] == before["areas"]["values"]  # the counts are untouched: the law is a band
