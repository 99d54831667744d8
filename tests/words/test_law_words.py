"""The state law in words (words.law): labels, the two marks with two different words, one state's law as the
State profile and the Agency page show it, in English and Spanish.

The false statements this covers: Georgia "in force since 2024-05-01" (its signing day); Maryland's count
of agreements; the legend giving "unconfirmed, low-confidence research" as the reason for a day not known; New
York's deadline beside a figure of an older sheet not said to have passed; the Mandates filter not saying who
must act.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from mapcore.analysis import state_profile as sp
from mapcore.analysis.law_on_day import DAY_UNKNOWN, LAW_CLASSES, NOT_YET, laws_in_force
from mapcore.core.i18n import using_language
from mapcore.reference.laws import STATUS_ORDER, load_laws
from mapcore.words import law as words


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return load_laws()


def test_labels() -> None:
    assert [words.status_label(s) for s in STATUS_ORDER] == ["Prohibits", "Restricts", "No state law", "Requires cooperation", "Mandates"]
    assert words.status_label(None) == "Unknown"
    with pytest.raises(ValueError):
        words.status_label("banned")
    labels = {code: words.class_label(code) for code in LAW_CLASSES}
    assert "sheriffs or local agencies" in labels["mandates"] and "state official" in labels["mandates_state_official"]
    assert words.class_label("mandates_state_official", short=True) == "Mandate on a state official"
    with using_language("es"):
        assert words.class_label("mandates") != labels["mandates"] and words.status_label("prohibits") == "Prohíbe"


def test_two_marks_two_words() -> None:
    marks = {code: words.mark_word(code) for code in ("unconfirmed", NOT_YET, DAY_UNKNOWN)}
    assert marks == {"unconfirmed": "unconfirmed", NOT_YET: "new law, not yet in force", DAY_UNKNOWN: "new law, day of effect not known"}
    assert words.mark_word(None) is None
    with using_language("es"):
        spanish = {code: words.mark_word(code) for code in marks}
    assert len(set(spanish.values())) == 3 and all(spanish[c] != marks[c] for c in marks)


def test_notes_of_a_law_on_a_day(laws: pd.DataFrame) -> None:
    day = laws_in_force(laws, "2026-05-18").set_index("state")
    assert words.new_law_note(day.loc["MS"]) == "new law of 2026-04-08 (mandates), in force from 2026-07-01"
    assert words.new_law_note(day.loc["TN"]) == "new law of 2026-05-26 (mandates): day of effect not known"
    assert words.new_law_note(day.loc["TX"]) is None
    assert words.status_on_words(day.loc["MS"]) == "Requires cooperation (new law, not yet in force)"
    assert words.status_on_words(day.loc["ME"]) == "Unknown: the status before the new law is not in our table"
    later = laws_in_force(laws, "2026-06-01").set_index("state")
    assert words.new_law_note(later.loc["TN"]) == "new law of 2026-05-26 (mandates): day of effect not known"
    assert words.status_on_words(later.loc["CT"]) == "Restricts (unconfirmed)"


def test_law_html_and_its_link(laws: pd.DataFrame) -> None:
    tx = sp.state_law(laws, "TX")
    html = words.law_html(tx, "TX")
    assert "Mandates" in html and 'target="_blank"' in html and 'rel="noopener noreferrer"' in html
    assert "Laws:" in html and "Confidence" in html and "**Became law:** 2025-06-20" in html
    brief = words.law_html(tx, "TX", brief=True)
    assert "Laws:" not in brief and 'target="_blank"' in brief
    assert "No entry for Guam" in words.law_html(None, "GU")
    none_state = laws.loc[laws["status"] == "none", "state"].iloc[0]
    assert "<a " not in words.law_html(sp.state_law(laws, none_state), none_state)


def test_new_york_on_an_older_sheet_and_its_deadline_passed_since(laws: pd.DataFrame) -> None:
    ny = sp.state_law(laws, "NY", on="2026-04-30")
    html = words.law_html(ny, "NY", today=dt.date(2026, 12, 6))
    assert "**Newest state law on 287(g):** Prohibits" in html
    assert (
        "**On 2026-04-30 (ICE's sheet):** Restricts \\(new law, not yet in force\\) — new law \\(prohibits\\), in force from 2026\\-05\\-27"
    ) in html
    assert "**In force from:** 2026-05-27" in html and "**Before 2026-05-27:** Restricts" in html
    assert "**Deadline:** 2026-08-25 (passed since ICE's sheet of 2026-04-30)" in html
    assert "**Pending:** Bourgault v\\. Hochul" in html and "unconfirmed" not in html
    early = words.law_html(ny, "NY", today=dt.date(2026, 5, 1))
    assert "**Deadline:** 2026-08-25" in early and "passed since" not in early
    today = words.law_html(sp.state_law(laws, "NY", on="2026-11-29"), "NY")
    assert "ICE's sheet" not in today and "**State law on 287(g):** Prohibits" in today


def test_georgia_is_not_in_force_since_its_signing_day(laws: pd.DataFrame) -> None:
    html = words.law_html(sp.state_law(laws, "GA", on="2026-04-30"), "GA")
    assert "**Became law:** 2024-05-01" in html and "**In force from:** 2024 (day of effect not known)" in html
    assert "In force from:** 2024-05-01" not in html and "since 2024-05-01" not in html


def test_maryland_deadline_and_no_count(laws: pd.DataFrame) -> None:
    html = words.law_html(sp.state_law(laws, "MD", on="2026-04-30"), "MD", today=dt.date(2026, 5, 20))
    assert "**Deadline:** 2026-07-01" in html and "passed" not in html
    assert "nine" not in html.lower() and "eight" not in html.lower()


def test_massachusetts_reaches_new_agreements_only(laws: pd.DataFrame) -> None:
    html = words.law_html(sp.state_law(laws, "MA", on="2026-04-30"), "MA")
    assert "**Reaches:** new agreements only" in html


def test_unconfirmed_and_pending_notes_are_apart(laws: pd.DataFrame) -> None:
    hawaii = sp.state_law(laws, "HI", on="2026-04-30")
    assert words.unconfirmed_note(hawaii).startswith("Unconfirmed")  # low-confidence research
    assert "day of effect is not known" in words.pending_law_note(hawaii)
    assert "(**unconfirmed**)" in words.law_html(hawaii, "HI") and "Confidence: **low** (unconfirmed)" in words.law_html(hawaii, "HI")
    tennessee = sp.state_law(laws, "TN", on="2026-06-01")
    assert words.unconfirmed_note(tennessee) is None
    note = words.pending_law_note(tennessee)
    assert "day of effect is not known" in note and "Requires cooperation" in note and "unconfirmed" not in note.lower()
    maine = sp.state_law(laws, "ME", on="2026-05-18")
    assert "takes effect on 2026-07-29" in words.pending_law_note(maine)
    assert words.pending_law_note(sp.state_law(laws, "TX", on="2026-05-18")) is None
    with using_language("es"):
        spanish = words.pending_law_note(tennessee)
    assert spanish and spanish != note


def test_law_cells_of_the_explore_table(laws: pd.DataFrame) -> None:
    from mapcore.analysis.law_on_day import attach_law

    rows = attach_law(pd.DataFrame({"state": ["TX", "OK", "MS", "ME", "CT", "GU"], "publication_date": pd.Timestamp("2026-05-18")}), laws)
    cells = words.law_cells(rows).tolist()
    assert cells == [
        "Mandates",
        "Mandate on a state official",
        "Requires cooperation (new law, not yet in force)",
        "Unknown (new law, not yet in force)",
        "Restricts (unconfirmed)",
        None,
    ]


def test_caption_says_the_rule() -> None:
    caption = words.in_force_caption(pd.Timestamp("2026-04-30"))
    assert caption.startswith("State law as in force on 2026-04-30") and "never counted as in force" in caption
    assert "newest law" in words.in_force_caption(None)


def test_a_law_not_yet_passed_on_the_sheets_day_is_not_said_to_have_passed(laws: pd.DataFrame) -> None:
    """New York's ban was signed on 2026-05-27 (the table has no day it became law): on the 2026-04-30 sheet it was
    not yet in force, never 'passed'. Maine's, passed before 2026-05-18 and in force from 2026-07-29, was passed."""
    ny = words.pending_law_note(sp.state_law(laws, "NY", on="2026-04-30"))
    assert ny is not None and "passed" not in ny
    assert ny.startswith(
        "On 2026-04-30, the date of ICE's sheet, a newer law (prohibits) was not yet in force (it took effect on 2026-05-27)"
    ) and ny.endswith("the status before it: Restricts.")
    tn = words.pending_law_note(sp.state_law(laws, "TN", on="2026-05-18"))
    assert tn is not None and "became law on 2026-05-26; its day of effect is not known" in tn
    me = words.pending_law_note(sp.state_law(laws, "ME", on="2026-05-18"))
    assert me is not None and "was passed but not yet in force: it takes effect on 2026-07-29" in me
    with using_language("es"):
        assert "aún no estaba en vigor" in words.pending_law_note(sp.state_law(laws, "NY", on="2026-04-30"))
