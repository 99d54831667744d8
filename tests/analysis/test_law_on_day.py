"""The one rule for the law on a day (analysis.law_on_day), and every view that applies it giving the same answer.

The false statements this covers: laws known only to the year treated as in force from 1 January
(Tennessee *mandates*, Maine *prohibits*, Virginia *restricts* on the 2026-05-18 sheet); the Explore filter and
its "State law" column, the Home layer, legend and tooltip, the State profile, Law vs practice, pictures and
``mapcore laws`` each reading the law their own way; "unconfirmed" given as the reason for a day not known;
Oklahoma's and South Carolina's state-official duty counted as a mandate on sheriffs.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapcore.analysis import compliance, query
from mapcore.analysis import state_profile as sp
from mapcore.analysis.law_on_day import (
    BEFORE,
    DAY_UNKNOWN,
    IN_FORCE,
    IN_FORCE_COLUMNS,
    LAW_CLASSES,
    MANDATES_STATE_OFFICIAL,
    NOT_YET,
    PENDING,
    attach_law,
    class_on,
    law_changes,
    law_class,
    law_window,
    laws_in_force,
    parse_law_classes,
    status_on,
)
from mapcore.app import page_parts
from mapcore.cli.laws import laws_as_of
from mapcore.reference.laws import LAW_COLUMNS, STATUS_ORDER, load_laws
from mapcore.render.law_layer import law_legend, law_spec
from mapcore.words import law as law_words


@functools.cache
def _laws() -> pd.DataFrame:
    return load_laws()


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return _laws()


def _on(laws: pd.DataFrame, day: str) -> pd.DataFrame:
    return laws_in_force(laws, day).set_index("state")


# ------------------------------------------------------------------ the rule on the real table


def test_2026_05_18_no_new_status_before_its_day(laws: pd.DataFrame) -> None:
    """The sheet of 2026-05-18: TN, ME and VA are not shown with their new status and carry the mark of a newer law not
    in force that day; MS is not yet mandates."""
    day = _on(laws, "2026-05-18")
    assert day.at["TN", "status"] == "requires_cooperation"  # became law 2026-05-26: a newer law, not in force that day
    assert (day.at["TN", "timing"], day.at["TN", "mark"]) == (NOT_YET, NOT_YET)
    assert not day.at["TN", "in_force"] and day.at["TN", "newest_status"] == "mandates"
    for code, newest in (("ME", "prohibits"), ("VA", "restricts")):  # passed, in force 2026-07-29 / 2026-07-01
        assert day.at[code, "status"] != newest and pd.isna(day.at[code, "status"])  # the status before: not recorded
        assert (day.at[code, "timing"], day.at[code, "mark"]) == (NOT_YET, NOT_YET)
    assert (day.at["MS", "status"], day.at["MS", "mark"]) == ("requires_cooperation", NOT_YET)
    assert day.at["MD", "status"] == "prohibits" and f"{day.at['MD', 'deadline']:%Y-%m-%d}" == "2026-07-01"
    assert day.at["MA", "applies_to"] == "new_agreements"
    assert day.at["NM", "status"] == "none" and day.at["NM", "timing"] == NOT_YET  # signed 2026-02-05, from 2026-05-20
    assert set(IN_FORCE_COLUMNS) <= set(day.columns) and set(LAW_COLUMNS) - {"state"} <= set(day.columns)


def test_the_new_status_from_its_day(laws: pd.DataFrame) -> None:
    july = _on(laws, "2026-07-02")
    assert (july.at["MS", "status"], july.at["MS", "timing"], july.at["MS", "mark"]) == ("mandates", IN_FORCE, "unconfirmed")
    assert july.at["VA", "status"] == "restricts" and july.at["ME", "timing"] == NOT_YET
    assert _on(laws, "2026-07-29").at["ME", "status"] == "prohibits"
    # Tennessee from the day it became law: the status before it, marked "day of effect not known"
    tn = _on(laws, "2026-05-26").loc["TN"]
    assert (tn["status"], tn["timing"], tn["mark"]) == ("requires_cooperation", DAY_UNKNOWN, DAY_UNKNOWN)
    assert _on(laws, "2027-01-01").at["TN", "status"] == "mandates"


def test_georgia_is_in_force_from_its_year_not_its_signing_day(laws: pd.DataFrame) -> None:
    signing = _on(laws, "2024-05-01").loc["GA"]
    assert (signing["status"], signing["timing"]) == ("requires_cooperation", DAY_UNKNOWN)
    assert _on(laws, "2024-04-30").at["GA", "timing"] == NOT_YET  # before it became law: a newer law, not in force
    assert _on(laws, "2025-01-01").at["GA", "status"] == "mandates"


def test_two_marks_never_meet(laws: pd.DataFrame) -> None:
    """Unconfirmed (low-confidence research) only on a law in force; the day marks only on one that is not."""
    for day in ("2025-06-01", "2026-04-30", "2026-05-18", "2026-07-02", "2026-12-06"):
        table = laws_in_force(laws, day)
        assert not (table["unconfirmed"] & table["timing"].isin(PENDING)).any()
        assert table["unconfirmed"].tolist() == ((table["confidence"] == "low") & table["in_force"]).tolist()
    hawaii = _on(laws, "2026-04-30").loc["HI"]  # low confidence AND only the year known: the day mark shows
    assert (hawaii["mark"], hawaii["unconfirmed"]) == (DAY_UNKNOWN, False)


def test_state_official_mandates_are_their_own_class(laws: pd.DataFrame) -> None:
    day = _on(laws, "2026-05-18")
    assert day.loc[["OK", "SC"], "law_class"].tolist() == [MANDATES_STATE_OFFICIAL] * 2
    assert day.at["TX", "law_class"] == "mandates" and day.at["FL", "law_class"] == "mandates"
    assert law_class("mandates", "state") == MANDATES_STATE_OFFICIAL and law_class("mandates", "both") == "mandates"
    assert law_class(None, "state") is None
    assert parse_law_classes(["mandates", "banned", "mandates_state_official", "mandates"]) == ("mandates", MANDATES_STATE_OFFICIAL)


def test_status_and_class_on_one_state(laws: pd.DataFrame) -> None:
    assert status_on(laws, "NY", "2026-05-26") == "restricts" and status_on(laws, "NY", "2026-05-27") == "prohibits"
    assert status_on(laws, "PR", "2026-05-27") is None and status_on(laws, "ME", "2026-05-18") is None
    assert class_on(laws, "OK", "2026-05-18") == MANDATES_STATE_OFFICIAL


def test_attach_law_joins_the_law_of_each_rows_day(laws: pd.DataFrame) -> None:
    rows = pd.DataFrame(
        {
            "state": ["NY", "NY", "TN", "TN", "OK", "ME", None, "GU"],
            "publication_date": pd.to_datetime(
                ["2026-04-30", "2026-05-27", "2026-05-18", "2026-05-26", "2026-05-18", "2026-05-18", "2026-05-18", "2026-05-18"]
            ),
        },
        index=range(10, 18),
    )
    before = rows.copy()
    out = attach_law(rows, laws)
    pd.testing.assert_frame_equal(rows, before)  # input untouched
    assert list(out.index) == list(range(10, 18))
    as_list = lambda column: [v if isinstance(v, str) else None for v in out[column].astype(object)]  # noqa: E731
    assert as_list("law_status") == ["restricts", "prohibits", "requires_cooperation", "requires_cooperation", "mandates", None, None, None]
    assert as_list("law_class")[4] == MANDATES_STATE_OFFICIAL
    assert as_list("law_note") == [NOT_YET, None, NOT_YET, DAY_UNKNOWN, None, NOT_YET, None, None]  # NY, TN: a newer law
    assert out["law_status"].cat.ordered and tuple(out["law_status"].cat.categories) == STATUS_ORDER
    undated = attach_law(rows.drop(columns="publication_date"), laws)  # no day: the newest law
    assert set(undated.loc[undated["state"] == "NY", "law_status"].astype(str)) == {"prohibits"}
    with pytest.raises(KeyError):
        attach_law(pd.DataFrame({"x": [1]}), laws)


def test_law_window_starts_at_the_day_it_became_law(laws: pd.DataFrame) -> None:
    window = law_window(laws).set_index("state")
    assert f"{window.at['TN', 'law_start']:%Y-%m-%d}" == "2026-05-26" and f"{window.at['TN', 'law_end']:%Y-%m-%d}" == "2026-12-31"
    assert f"{window.at['MD', 'law_start']:%Y-%m-%d}" == "2026-02-17" and window.at["MD", "law_date_basis"] == "effective date"
    assert f"{window.at['HI', 'law_start']:%Y-%m-%d}" == "2026-01-01"
    assert window.at["MA", "applies_to"] == "new_agreements"


def test_law_changes_are_facts(laws: pd.DataFrame) -> None:
    changes = law_changes(laws).set_index("state")
    assert (f"{changes.at['NY', 'date']:%Y-%m-%d}", changes.at["NY", "from_status"], changes.at["NY", "to_status"]) == (
        "2026-05-27",
        "restricts",
        "prohibits",
    )
    assert pd.isna(changes.at["TN", "date"]) and changes.at["TN", "year"] == 2026 and not changes.at["TN", "day_known"]
    assert f"{changes.at['TN', 'enacted']:%Y-%m-%d}" == "2026-05-26" and changes.at["TN", "from_status"] == "requires_cooperation"
    assert changes.at["ME", "from_status"] is None and changes.at["ME", "day_known"]  # day known, status before not recorded
    assert changes.at["SC", "to_class"] == MANDATES_STATE_OFFICIAL
    assert changes.at["MS", "unconfirmed"] and not changes.at["NY", "unconfirmed"]


# ------------------------------------------------------------------ the rule as a property

DAYS = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))


def _row(
    laws: pd.DataFrame, enacted: dt.date | None, effective: dt.date | None, year: int | None, prior: str | None, status: str
) -> pd.DataFrame:
    row = laws[laws["state"] == "NY"].copy()
    row["enacted"] = pd.to_datetime([enacted]).astype("datetime64[ns]")
    row["effective_date"] = pd.to_datetime([effective]).astype("datetime64[ns]")
    row["effective_year"] = pd.array([year], dtype="Int64")
    row["status"] = pd.Categorical([status], dtype=laws["status"].dtype)
    row["prior_status"] = pd.Categorical([prior], dtype=laws["status"].dtype)
    row["scope"] = pd.array([None if status == "none" else "both"], dtype="string")
    return row


def _expected(enacted, effective, year, on, changed=True) -> str:
    """The rule, written out plainly: ``changed`` when the newer law changed the status (else nothing to mark)."""
    waiting = NOT_YET if changed else BEFORE
    if enacted is not None and on < enacted:
        return waiting
    if effective is not None:
        return IN_FORCE if on >= effective else waiting
    if year is not None:
        if on.year > year:
            return IN_FORCE
        return DAY_UNKNOWN if on.year == year else waiting
    return IN_FORCE


@st.composite
def law_rows(draw):
    enacted = draw(st.none() | DAYS)
    effective = draw(st.none() | DAYS.filter(lambda d: enacted is None or d >= enacted))
    if effective is not None:
        year = effective.year
    else:
        low = enacted.year if enacted is not None else 2015
        year = draw(st.none() | st.integers(low, 2030)) if enacted is None else draw(st.integers(low, 2030))
    return enacted, effective, year


@settings(max_examples=120, deadline=None)
@given(dates=law_rows(), on=DAYS, prior=st.none() | st.sampled_from(STATUS_ORDER), status=st.sampled_from(STATUS_ORDER))
def test_property_the_rule(dates, on, prior, status) -> None:
    """Before the law's day (not yet law, or its day or year still ahead) the prior status, marked unless the law kept
    it; while only the year is known and it has begun, the prior status, marked; from the day of effect the new
    status. The same through the per-agreement join."""
    enacted, effective, year = dates
    row = _row(_laws(), enacted, effective, year, prior, status)
    got = laws_in_force(row, on).iloc[0]
    timing = _expected(enacted, effective, year, on, changed=prior != status)
    assert got["timing"] == timing
    shown = status if timing == IN_FORCE else prior
    assert (got["status"] if isinstance(got["status"], str) else None) == shown
    assert got["mark"] == (timing if timing in PENDING else None)
    joined = attach_law(pd.DataFrame({"state": ["NY"], "publication_date": [pd.Timestamp(on)]}), row).iloc[0]
    assert (joined["law_status"] if isinstance(joined["law_status"], str) else None) == shown
    assert (joined["law_timing"], joined["law_note"] if isinstance(joined["law_note"], str) else None) == (timing, got["mark"])


# ------------------------------------------------------------------ every view gives the same status

STATES = sorted(load_laws()["state"].astype(str))
SHEET_DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


@functools.cache
def _views_on(day: dt.date) -> dict:
    """What each view makes of the law on one sheet date, computed with the functions the views call."""
    laws = _laws()
    table = laws_in_force(laws, day)
    rows = attach_law(pd.DataFrame({"state": STATES, "agency": STATES, "publication_date": pd.Timestamp(day)}), laws)
    return {
        "table": table.set_index("state"),
        "spec": law_spec(table),  # Home / State map band and tooltip; pictures draw the spec
        "legend": law_legend(table),
        "cli": laws_as_of(day, laws)["states"],  # mapcore laws --json
        "rows": rows,  # Explore rows and mapcore export (attach_law)
        "cells": page_parts.display_table(rows.assign(jurisdiction_type="County", model="JEM", level="county")).set_index(
            page_parts.column("state")
        )[page_parts.column("law_status")],  # Explore's "State law" column
    }


@settings(max_examples=50, deadline=None)
@given(state=st.sampled_from(STATES), day=SHEET_DAYS)
def test_property_every_view_gives_the_same_status(state: str, day: dt.date) -> None:
    views = _views_on(day)
    laws = _laws()
    row = views["table"].loc[state]
    klass = row["law_class"] if isinstance(row["law_class"], str) else None
    # Home and State map band, tooltip and pictures
    entry = views["spec"]["states"][state]
    assert (entry["s"] or None) == klass
    assert bool(entry.get("p")) == (row["timing"] in PENDING) and bool(entry["u"]) == bool(row["unconfirmed"])
    assert entry["t"][0].startswith(law_words.class_label(klass, short=True))
    # legend counts: every state under the class shown, never under a new law not in force
    counted = {item["label"].rsplit(" (", 1)[0]: item for item in views["legend"]["items"] if "band" in item}
    label = law_words.class_label(klass) if klass else None
    if label:
        assert label in counted
    # mapcore laws --json
    assert views["cli"][state]["law_class"] == klass and views["cli"][state]["in_force"] == bool(row["in_force"])
    # State profile and Agency page
    profile = sp.state_law(laws, state, on=day)
    assert profile["class_on"] == klass and profile["timing"] == row["timing"]
    # Explore's filter, its table column, and mapcore export --law (the same join and filter)
    rows = views["rows"]
    for value in LAW_CLASSES:
        hit = query.apply_filters(rows, query.Filters(states=(state,), law_statuses=(value,)))
        assert len(hit) == (1 if value == klass else 0), (state, day, value)
    cell = views["cells"].loc[state]
    if klass:
        assert cell.startswith(law_words.class_label(klass, short=True))
    else:
        assert not cell or cell.startswith("Unknown")  # no row for the state: an empty cell
    mark = law_words.mark_word(row["mark"])
    assert (mark is not None and mark in (cell or "")) == (isinstance(row["mark"], str) and bool(cell))
    # Law vs practice: a mandate is due only when in force; an agreement stands against a ban only when in force
    newest = laws.set_index("state").loc[state]
    if str(newest["status"]) == "mandates" and newest["scope"] in ("local", "both"):
        due = compliance.mandate_due(newest, pd.Timestamp(day))
        assert (due in ("due", "not_yet_due")) == bool(row["in_force"]), (state, day, due)
    if str(newest["status"]) in compliance.RESTRICTIVE:
        standing = compliance.agreement_standing(laws, state, day)
        assert (standing in ("not_yet", "during")) == (not row["in_force"]), (state, day, standing)
