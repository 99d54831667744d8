"""The State, Agency, About and Methodology pages, run with Streamlit's AppTest on fixture sheets."""

from __future__ import annotations

from pathlib import Path

import pytest
from pages_fixture import HOSTILE
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(run_page):
    """A factory of AppTests for a page of pages/ (conftest.run_page)."""
    return lambda page, **params: run_page(f"pages/{page}", **params)


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# --- State ----------------------------------------------------------------------------------------


def test_state_from_url_shows_its_law_counts_and_agencies(app):
    at = app("2_State.py", state="TX")
    assert not at.exception
    assert at.selectbox(key="sp_state").value == "TX"
    assert [h.value for h in at.header] == ["Texas"]
    text = markdown_text(at)
    assert "**Newest state law on 287(g):** Mandates" in text  # Texas's SB 8 took effect 2026-01-01,
    # signed 2025-06-20: on the 2025-08-01 sheet the status before it stands, marked "not yet in force"
    assert "**On 2025-08-01 (ICE's sheet):** Requires cooperation (new law, not yet in force)" in text.replace("\\", "")
    assert any("takes effect on 2026-01-01" in i.value for i in at.info)
    assert any(s.value == "Agreements in ICE's sheet of 2025-08-01" for s in at.subheader)
    assert 'target="_blank"' in text and 'rel="noopener noreferrer"' in text
    figures = metrics(at)
    assert figures["Active agreements"] == "2" and figures["JEM · Jail Enforcement"] == "1" and figures["TFM · Task Force"] == "1"
    assert figures["Pending applications"] == "1"
    table = at.dataframe[0].value
    assert list(table["Agency"]) == ["Harris County Sheriff's Office"] * 2
    assert "State" not in table.columns
    assert at.query_params["state"] == "TX"


def test_choosing_another_state_rewrites_the_url(app):
    at = app("2_State.py", state="TX")
    at.selectbox(key="sp_state").select("FL").run()
    assert not at.exception
    assert at.query_params["state"] == "FL"
    assert [h.value for h in at.header] == ["Florida"]
    table = at.dataframe[0].value
    assert set(table["Agency"]) == {"St. Lucie County Sheriff's Office", "Florida Highway Patrol", "Miami Police Department"}
    assert "(statewide)" in set(table["County"])
    assert any("statewide" in e.label for e in at.expander)


def test_state_without_agreements_and_law_with_its_dates(app):
    """New York: the newest law (2026-05-27, deadline 2026-08-25) came after the fixture sheets (2025), so the
    page names the status in force on the sheet's date, the dates, the pending suits and the evidence."""
    at = app("2_State.py", state="new york")
    assert not at.exception
    assert at.selectbox(key="sp_state").value == "NY"
    assert metrics(at)["Active agreements"] == "0"
    assert any("lists no 287(g) agreement" in c.value for c in at.caption)
    text = markdown_text(at).replace("\\", "")
    assert "**Newest state law on 287(g):** Prohibits" in text
    assert "**On 2025-08-01 (ICE's sheet):** Restricts (new law, not yet in force) — new law (prohibits), in force from 2026-05-27" in text
    assert "**In force from:** 2026-05-27" in text and "**Deadline:** 2026-08-25" in text
    assert "**Before 2026-05-27:** Restricts" in text
    assert "**Pending:** Bourgault v. Hochul" in text and "**Evidence:**" in text
    assert "unconfirmed" not in text and not at.warning
    assert any(c.value.startswith("State law as in force on 2025-08-01;") for c in at.caption)
    assert any(c.value == "Figures are from ICE's newest sheet, of 2025-08-01." for c in at.caption)  # not stale


def test_state_with_unconfirmed_law(app):
    """Hawaii: low confidence, a 2026 bill whose enactment is not confirmed; on the 2025 sheet its status is unknown."""
    at = app("2_State.py", state="HI")
    assert not at.exception
    text = markdown_text(at).replace("\\", "")
    assert "(**unconfirmed**)" in text and "Confidence: **low** (unconfirmed)" in text
    assert "**In force from:** 2026 (day of effect not known)" in text
    assert "**Pending:** SB 2057 CD1 (2026)" in text
    assert "**On 2025-08-01 (ICE's sheet):** Unknown" in text
    assert any(w.value.startswith("Unconfirmed") for w in at.warning)


def test_bad_state_in_url_falls_back_to_the_busiest_state(app):
    at = app("2_State.py", state="<script>")
    assert not at.exception
    assert at.selectbox(key="sp_state").value in {"TX", "FL"}
    assert at.query_params["state"] == at.selectbox(key="sp_state").value


# --- Agency ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("harris cnty sherifs dept", "Harris County Sheriff's Office"),
        ("Saint Lucie", "St. Lucie County Sheriff's Office"),
        ("HARRIS COUNTY SHERIFF’S OFFICE", "Harris County Sheriff's Office"),
        ("miami pd", "Miami Police Department"),
    ],
)
def test_agency_search_forgives_spelling(app, typed, expected):
    at = app("3_Agency.py")
    assert not at.exception
    assert any("Type an agency" in i.value for i in at.info)
    at.text_input(key="ag_q").input(typed).run()
    assert not at.exception
    assert f"<h2>{expected.replace(chr(39), '&#x27;')}</h2>" in markdown_text(at)
    assert at.query_params["agency"] == expected


def test_agency_page_shows_history_pending_place_and_law(app):
    at = app("3_Agency.py", agency="Harris County Sheriff's Office", state="TX")
    assert not at.exception
    assert at.text_input(key="ag_q").value == "Harris County Sheriff's Office"
    text = markdown_text(at)
    assert "County · Harris County · Texas" in text
    assert "**Newest state law on 287(g):** Mandates" in text and 'target="_blank"' in text
    history = at.dataframe[0].value
    assert sorted(history["model"]) == ["JEM", "TFM"]
    assert history["active"].all()
    assert {str(d.date()) for d in history["first_seen"]} == {"2025-06-02"}
    assert "https://www.ice.gov/doclib/287gMOA/harris.pdf" in set(history["moa_url"])
    pending = at.dataframe[1].value
    assert list(pending["model"]) == ["WSO"]
    figures = metrics(at)
    assert figures["Active agreements in ICE's sheet of 2025-08-01"] == "2"
    assert any("Sherrif" in c.value for c in at.caption)  # ICE's other spellings
    assert at.query_params["agency"] == "Harris County Sheriff's Office" and at.query_params["state"] == "TX"


def test_agency_that_left_and_unknown_names(app):
    at = app("3_Agency.py", agency="Houston PD", state="TX")
    assert not at.exception
    assert metrics(at)["Active agreements in ICE's sheet of 2025-08-01"] == "0"
    assert at.query_params["agency"] == "Houston Police Department"
    at.text_input(key="ag_q").input("qqqq zzzz").run()
    assert any("No agency" in w.value for w in at.warning)


def test_hostile_agency_name_is_escaped(app):
    at = app("3_Agency.py", agency=HOSTILE, state="GA")
    assert not at.exception
    text = markdown_text(at)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "javascript:" not in " ".join(str(v) for v in at.dataframe[0].value["moa_url"])


def test_state_filter_on_agency_page(app):
    at = app("3_Agency.py")
    at.text_input(key="ag_q").input("county sheriff").run()
    at.selectbox(key="ag_state").select("FL").run()
    assert not at.exception
    assert at.query_params["state"] == "FL"
    assert "St. Lucie County Sheriff" in markdown_text(at)


# --- About and Methodology ------------------------------------------------------------------------


def test_about_page(app):
    at = app("6_About.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert headers[:3] == ["What 287(g) is", "The three models", "How an agreement works"]
    assert "State laws on 287(g)" in headers and "The public-safety debate" in headers
    text = markdown_text(at)
    for needle in ("1357", "GAO-09-109", "OIG-10-63", "OIG-18-77", "Melendres", "force multiplier"):
        assert needle in text
    assert text.count("<a ") == text.count('target="_blank"')
    counts = at.dataframe[0].value
    assert counts["States"].sum() == 51
    assert metrics(at)["TFM · Task Force"] == "4"
    # The words agree with the table they cite: not "most have no law either way".
    by = counts.set_index("Status")["States"]
    assert "most have no law" not in text
    assert f"and {by['No state law']} have no state law either way" in text
    assert f"{by['Prohibits']} forbid 287(g) agreements" in text
    assert "HI (unconfirmed)" in counts.set_index("Status").at["Prohibits", "Which"]


def test_methodology_page(app):
    at = app("7_Methodology.py")
    assert not at.exception
    figures = metrics(at)
    assert figures["Participating-agencies sheets"] == "3" and figures["Pending-applications sheets"] == "1"
    assert figures["Match rate"] == "100.0 %"
    assert any("2025-08-01" in i.value for i in at.info)
    text = markdown_text(at)
    assert "participatingAgencies08012025am" in text and "2016" in text
    methods = at.table[0].value
    assert methods["Agreements"].sum() == 6  # the duplicate row counted once
    assert list(at.table[1].value["Method"]) == ["Date in the file name"]  # words, not "name"
    frames = [d.value for d in at.dataframe]
    quirks = frames[0].set_index("quirk")
    assert quirks.loc["Model names misspelt or varied", "occurrences"] == 1
    problems = frames[1].set_index("quirk")
    assert problems.loc["Exact duplicate row", "occurrences"] == 1
