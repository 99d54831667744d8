"""Map tooltips, state summaries and notes name each agency once, by its identity,
under ICE's latest spelling (ICE lists one sheriff with a curly and a straight apostrophe)."""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import query
from mapcore.app import page_parts

CURLY, STRAIGHT = "Galveston County Sheriff\u2019s Office", "Galveston County Sheriff's Office"


def frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["state", "agency", "model", "county_fips", "level", "publication_date", "row"]
    out = pd.DataFrame(rows, columns=columns)
    out["publication_date"] = pd.to_datetime(out["publication_date"])
    return out


def test_county_tooltip_lists_an_agency_once_under_its_latest_spelling():
    rows = frame(
        [
            ("TX", CURLY, "JEM", "48167", "county", "2026-04-30", 2),
            ("TX", STRAIGHT, "WSO", "48167", "county", "2026-04-30", 3),
            ("TX", "Galveston Police Department", "TFM", "48167", "municipal", "2026-04-30", 4),
        ]
    )
    summary = query.county_summary(rows).set_index("county_fips")
    agencies = summary.at["48167", "agencies"].split("; ")
    assert agencies == ["Galveston County Sheriff's Office", "Galveston Police Department"]
    assert summary.at["48167", "agreements"] == 3


def test_latest_spelling_is_the_newest_publications():
    rows = frame(
        [
            ("TX", "Walker County Sheriff\u2019s Department", "JEM", "48471", "county", "2025-02-21", 2),
            ("TX", "Walker County Sheriff's Office", "JEM", "48471", "county", "2026-04-30", 2),
        ]
    )
    assert set(query.agency_names(rows)) == {"Walker County Sheriff's Office"}


def test_state_summary_names_statewide_agencies_once():
    rows = frame(
        [
            ("TX", "Texas Dept. of Public Safety", "TFM", None, "statewide", "2026-04-30", 5),
            ("TX", "Texas Department of Public Safety", "JEM", None, "statewide", "2026-04-30", 6),
        ]
    )
    summary = query.state_summary(rows).set_index("state")
    assert summary.at["TX", "statewide_agencies"] == "Texas Department of Public Safety"
    assert summary.at["TX", "statewide"] == 2


def test_statewide_note_counts_agencies_by_identity():
    rows = frame(
        [
            ("TX", "Texas Dept. of Public Safety", "TFM", None, "statewide", "2026-04-30", 5),
            ("TX", "Texas Department of Public Safety", "JEM", None, "statewide", "2026-04-30", 6),
        ]
    )
    sentence, names = page_parts.statewide_note(rows)
    assert "of 1 statewide agency" in sentence
    assert names == ["Texas Department of Public Safety (TX)"]


def test_name_filter_finds_every_spelling_of_an_agency():
    rows = frame(
        [
            ("TX", CURLY, "JEM", "48167", "county", "2026-04-30", 2),
            ("TX", STRAIGHT, "WSO", "48167", "county", "2026-04-30", 3),
            ("TX", "Harris County Sheriff's Office", "WSO", "48201", "county", "2026-04-30", 4),
        ]
    )
    found = query.apply_filters(rows, query.Filters(text="galveston county sheriff's"))
    assert list(found["model"]) == ["JEM", "WSO"]
    assert len(query.apply_filters(rows, query.Filters(text="Sheriff\u2019s Office"))) == 3


def test_headline_counts_territories_apart_from_states():
    """The "States" figure never counts Guam as a state."""
    rows = frame(
        [
            ("TX", STRAIGHT, "JEM", "48167", "county", "2026-04-30", 2),
            ("DC", "Metropolitan Police Department", "TFM", "11001", "municipal", "2026-04-30", 3),
            ("GU", "Guam Police Department", "TFM", None, "statewide", "2026-04-30", 4),
        ]
    )
    figures = page_parts.headline(rows)
    assert (figures["states"], figures["territories"], figures["territory_codes"]) == (2, 1, ["GU"])
    label, value, help_text = page_parts.states_metric(figures)
    assert (label, value) == ("States + territories", "2 + 1")
    assert "Guam" in help_text
    assert page_parts.states_metric(page_parts.headline(rows[rows["state"] != "GU"]))[:2] == ("States", "2")


def test_statewide_diamond_tooltip_names_an_agency_once():
    from mapcore.render import maps

    rows = frame(
        [
            ("TX", "Texas Dept. of Public Safety", "TFM", None, "statewide", "2026-04-30", 5),
            ("TX", "Texas Department of Public Safety", "JEM", None, "statewide", "2026-04-30", 6),
        ]
    )
    spec = maps.county_map(query.county_summary(rows), statewide=rows).to_json()
    assert "Texas Dept. of Public Safety" not in spec and spec.count("Texas Department of Public Safety (") == 2
