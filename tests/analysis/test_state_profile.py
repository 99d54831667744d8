"""State profile, methodology and About-page logic (pure functions over a small built dataset)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pages_fixture import build_dataset

from mapcore.analysis import methodology as facts
from mapcore.analysis import query
from mapcore.analysis import state_profile as sp
from mapcore.app import about_text
from mapcore.reference.laws import load_laws
from mapcore.words import methodology


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_dataset(tmp_path_factory.mktemp("profile"))


@pytest.fixture(scope="module")
def laws():
    return load_laws()


# --- state_profile --------------------------------------------------------------------------------


def test_choices_are_50_states_dc_and_present_territories():
    assert len(sp.state_choices()) == 51
    frame = pd.DataFrame({"state": ["GU", "TX", None]})
    choices = sp.state_choices(frame)
    assert len(choices) == 52 and "GU" in choices
    assert choices[0] == "AL"  # by name: Alabama first
    assert sp.state_label("TX") == "Texas (TX)"


@pytest.mark.parametrize(
    "value, expected",
    [("TX", "TX"), ("tx", "TX"), ("Texas", "TX"), (" ny ", "NY"), ("", None), ("ZZ", None), (None, None), ("<script>", None)],
)
def test_parse_state(value, expected):
    assert sp.parse_state(value, sp.state_choices()) == expected


def test_state_law_is_facts_read_by_the_one_rule(laws):
    """The State profile's law: facts only (its words: tests/words/test_law_words.py)."""
    tx = sp.state_law(laws, "TX")
    assert tx["status"] == "mandates" and tx["source_url"].startswith("http") and "status_label" not in tx
    assert sp.state_law(laws, "GU") is None
    ny = sp.state_law(laws, "NY", on="2026-04-30")
    assert (ny["status"], ny["status_on"], ny["timing"], ny["in_force"]) == ("prohibits", "restricts", "not_yet_in_force", False)
    assert str(ny["effective_date"]) == "2026-05-27" and str(ny["deadline"]) == "2026-08-25"
    tn = sp.state_law(laws, "TN", on="2026-05-26")
    assert (tn["status_on"], tn["mark"], tn["unconfirmed"], tn["low_confidence"]) == ("requires_cooperation", "day_unknown", False, False)
    assert str(tn["enacted"]) == "2026-05-26" and tn["effective_date"] is None
    ok = sp.state_law(laws, "OK", on="2026-04-30")
    assert ok["class_on"] == "mandates_state_official"


def test_figures_of_a_state(built):
    rows = query.publication_rows(built.agreements, query.latest_publication_id(built.sheets))
    fl = sp.figures(sp.state_rows(rows, "FL"))
    assert fl == {"agreements": 3, "JEM": 0, "WSO": 1, "TFM": 2, "agencies": 3, "statewide": 1}
    assert sp.figures(sp.state_rows(rows, "VT"))["agreements"] == 0


def test_agreements_over_time(built):
    tx = sp.agreements_over_time(built.agreements, built.sheets, "TX")
    assert list(tx["publication_date"].dt.strftime("%Y-%m-%d")) == ["2025-06-02", "2025-07-01", "2025-08-01"]
    assert list(tx["total"]) == [3, 2, 2]
    assert list(tx["TFM"]) == [2, 1, 1] and list(tx["JEM"]) == [1, 1, 1]
    assert (tx[["JEM", "WSO", "TFM"]].sum(axis=1) == tx["total"]).all()
    ga = sp.agreements_over_time(built.agreements, built.sheets, "GA")
    assert list(ga["total"]) == [0, 0, 1]
    assert sp.agreements_over_time(built.agreements, built.sheets, "VT")["total"].sum() == 0


def test_has_boundaries():
    states = pd.DataFrame({"state": ["TX", "PR"]})
    assert sp.has_boundaries(states, "PR") and not sp.has_boundaries(states, "GU")


# --- methodology ----------------------------------------------------------------------------------


def test_source_summary(built):
    summary = facts.source_summary(built.sheets)
    assert summary["participating"]["publications"] == 3 and summary["pending"]["publications"] == 1
    assert str(summary["participating"]["first"]) == "2025-06-02"
    assert summary["participating"]["newest_file"] == "participatingAgencies08012025am.xlsx"


def test_placement_methods_and_match_rate(built):
    rows = query.publication_rows(built.agreements, query.latest_publication_id(built.sheets))
    methods = methodology.placement_methods(rows)
    assert methods["agreements"].sum() == len(rows)
    assert set(methods["method"]) <= set(methodology.PLACEMENT_LABELS.values())
    assert (methods["rule"] != "").all()
    rate = facts.match_rate(rows)
    assert rate["county_or_municipal"] == 5 and rate["in_county"] == 5 and rate["statewide"] == 1
    assert methodology.unplaced_table(rows).empty


def test_unplaced_table_lists_reasons():
    rows = pd.DataFrame(
        {
            "state": ["PA", "TX"],
            "agency": ["Northwest Regional Police Department", "Harris County Sheriff's Office"],
            "jurisdiction_type": ["Municipality", "County"],
            "county_printed": [None, "Harris"],
            "model": ["TFM", "JEM"],
            "row": [2, 3],
            "unplaced_reason": ["no place name", None],
            "county_fips": [None, "48201"],
            "level": ["municipal", "county"],
            "placed_by": [None, "county_column"],
        }
    )
    table = methodology.unplaced_table(rows)
    assert list(table["Agency"]) == ["Northwest Regional Police Department"]
    assert table["Why not placed"].iloc[0] == "no place name"
    assert facts.match_rate(rows)["rate"] == 0.5


@pytest.mark.parametrize(
    "message, quirk",
    [
        ("malformed link 'chrome-extension://x/https:/www.ice.gov/a.pdf' repaired to 'https://www.ice.gov/a.pdf'", "chrome-extension"),
        ("malformed link 'https:/www.ice.gov/a.pdf' repaired to 'https://www.ice.gov/a.pdf'", "Malformed"),
        ("year 5025 read as 2025", "Year typo"),
        ("exact duplicate of row 7; counted once", "duplicate"),
        ("unrecognised jurisdiction type '#NA'", "TYPE"),
        ("'UTAHJ' is not a US state or DC; kept, not placed", "STATE"),
        ("blank", "SIGNED blank"),
        ("something new", "Other"),
    ],
)
def test_classify_problem(message, quirk):
    assert quirk in methodology.classify_problem(message)[0]


def test_problem_kinds_and_value_quirks(built):
    kinds = methodology.problem_kinds(built.problems).set_index("quirk")
    assert kinds["occurrences"].sum() == len(built.problems)
    assert kinds.loc["Link that is not http(s)", "occurrences"] == 2
    quirks = methodology.value_quirks(built.agreements, built.sheets).set_index("quirk")
    assert quirks.loc["Model names misspelt or varied", "occurrences"] == 1
    assert "Task Force Modle" in quirks.loc["Model names misspelt or varied", "examples"]
    assert quirks.loc["SIGNED typed as text", "occurrences"] == 1
    dates = methodology.date_methods(built.sheets)
    assert dates["sheets"].sum() == len(built.sheets) and dates["method"].iloc[0] == "Date in the file name"
    assert methodology.problem_kinds(built.problems.iloc[0:0]).empty


def test_law_checked_and_confidence(laws):
    first, last = facts.law_checked(laws)
    assert first <= last
    assert sum(facts.law_confidence_counts(laws).values()) == len(laws)


# --- about_text -----------------------------------------------------------------------------------


def test_every_paragraph_is_sourced_and_every_source_is_https():
    for _, paragraphs in about_text.SECTIONS:
        for paragraph in paragraphs:
            keys = about_text.source_keys(paragraph)
            assert keys, f"unsourced paragraph: {paragraph[:60]}"
            assert set(keys) <= set(about_text.SOURCES)
    for title, url in about_text.SOURCES.values():
        assert url.startswith("https://") and title


def test_render_escapes_and_opens_links_in_new_tabs():
    html = about_text.render("<b>x</b> **bold** [[ice|ICE]]")
    assert "&lt;b&gt;" in html and "<strong>bold</strong>" in html
    links = re.findall(r"<a [^>]*>", html)
    assert len(links) == 1 and 'target="_blank"' in links[0] and 'rel="noopener noreferrer"' in links[0]
    with pytest.raises(KeyError):
        about_text.render("[[nope|x]]")
    assert about_text.sources_html().count('target="_blank"') == len(about_text.SOURCES)


def test_law_status_counts(laws):
    counts = about_text.law_status_counts(laws)
    assert counts["States"].sum() == 51 and len(counts) == 5
    sentence = about_text.law_landscape(laws)
    for _, row in counts.iterrows():
        assert f"{row['States']} " in sentence
    assert "2 of them only of a state official" in sentence and "5 of these readings are unconfirmed" in sentence  # CT, HI, KY, MS, RI


def test_links_escape_and_refuse_non_http():
    from mapcore.core.text import external_link, md_text

    assert external_link("x", "javascript:alert(1)") == "x"
    assert external_link("<b>", 'https://example.org/"onmouseover=x') == "&lt;b&gt;"  # quotes refused
    link = external_link("<b>", "https://example.org/?a=1&b=2")
    assert link.startswith('<a href="https://example.org/?a=1&amp;b=') and "&lt;b&gt;" in link
    assert 'target="_blank"' in link and 'rel="noopener noreferrer"' in link
    text = md_text("[x](javascript:alert(1)) $5 *a* <i>")
    assert "<i>" not in text and "\\[x\\]" in text and "\\$5" in text and "\\*a\\*" in text
    assert md_text(None) == "" and md_text(float("nan")) == ""
