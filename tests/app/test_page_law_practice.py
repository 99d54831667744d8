"""The Law vs practice page (AppTest) on a small folder of fixture sheets."""

from __future__ import annotations

import datetime as dt
import html
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
    make_sheet(
        folder / "pendingAgencies03152026am.xlsx",
        PENDING_5,
        [
            ["FLORIDA", "Bradford County Sheriff's Office", "County", "Bradford County", "Warrant Service Officer"],
            ["FLORIDA", "Bay County Sheriff's Office", "County", "Bay County", "Warrant Service Officer"],
        ],
    )
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", "2026-04-10")  # nine days after the newest sheet: not stale
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()


# The URL holds each tab's stable key, the same in every language; the labels are what a reader sees.
RESTRICT_TAB, MANDATE_TAB, CHANGES_TAB = "restrict", "mandate", "changes"
LABELS = {
    "en": ["States that restrict", "States that mandate", "Law changes"],
    "es": ["Estados que restringen", "Estados que obligan", "Cambios de ley"],
}


def page(tab: str | None = None, **params: str) -> AppTest:
    """The page run with ``?tab=`` (only the open tab's content runs) and other URL parameters."""
    at = AppTest.from_file(PAGE, default_timeout=120)
    if tab:
        at.query_params["tab"] = tab
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info] + [c.value for c in at.caption]
    return html.unescape("\n".join(str(p) for p in parts).replace("\\", ""))  # markdown and HTML escapes undone


def test_only_the_open_tab_runs(app):
    at = page()
    assert not at.exception, at.exception
    assert "Counties" not in metrics(at)  # the mandate tab did not run
    assert any("Ever listed" in df.value.columns for df in at.dataframe)
    assert not any({"From", "To"} <= set(df.value.columns) for df in at.dataframe)


def test_page_shows_counts_and_inference_note(app):
    at = page(MANDATE_TAB)
    assert not at.exception, at.exception
    text = text_of(at)
    assert "A missing agreement is not proof of non-compliance" in text
    assert "consolidated city-county" in text
    # Default state: Texas, none of its 254 counties listed in these sheets; its deadline (2026-12-01) is ahead
    assert metrics(at)["Counties"] == "254"
    assert metrics(at)["With a sheriff or jail agreement"] == "0"
    assert metrics(at)["Without (not yet due)"] == "254"
    assert "Not yet due: the law's deadline is 2026-12-01." in text
    assert "missing" not in " ".join(m.value for m in at.markdown if "In Texas" in m.value).lower()
    # Oklahoma and South Carolina: a state official's duty, in words, not missing sheriffs
    assert "Mandates on a state official, not on sheriffs" in text
    assert "**Oklahoma:** Oklahoma's only 287(g) duty is a 2007 instruction to the Attorney General" in text
    assert "**South Carolina:**" in text

    at.selectbox(key="state").set_value("FL").run()
    assert not at.exception, at.exception
    assert "FL" in str(at.query_params["state"])
    figures = metrics(at)
    assert figures["Counties"] == "67"
    assert figures["With a sheriff or jail agreement"] == "3"  # police department not counted
    assert figures["Without"] == "64"
    assert figures["Covered"] == "4%"
    text = text_of(at)
    assert "In Florida, 3 of 67 counties" in text
    assert "2 have a pending application" in text
    assert "64 counties without a sheriff or county jail agreement listed in Florida" in text
    assert "The law has been in force since" not in text and "not yet due" not in text.lower()  # Florida's duty is due
    missing = next(df.value for df in at.dataframe if "County" in df.value.columns and "Status" in df.value.columns)
    by = missing.set_index("County")
    assert by.loc["Bradford County", "Status"] == "No agreement; application pending"
    assert "Panama City Police Department" in by.loc["Bay County", "Other local agreements (not counted)"]
    assert "Alachua County" not in by.index


def test_restrict_tab_lists_the_maryland_agreement(app):
    """Cecil County is last listed on 2025-03-01 and absent from the next sheet, of 2026-04-01; Maryland's ban
    took effect on 2026-02-17, between the two: it left between those sheets, not 'before the law'."""
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    per_state = next(df.value for df in at.dataframe if "Ever listed" in df.value.columns).set_index("State")
    assert per_state.loc["MD", "Ever listed"] == 1 and per_state.loc["MD", "In newest sheet"] == 0
    assert per_state.loc["MD", "Left between sheets around the law's date"] == 1
    assert per_state.loc["MD", "Gone before the law's date"] == 0
    assert per_state.loc["MD", "Law in force from"] == "2026-02-17"
    assert per_state.loc["HI", "Confidence"] == "low (unconfirmed)"
    assert per_state.loc["HI", "Law in force from"] == "2026 (day of effect not known)"
    assert per_state.loc["VA", "Law in force from"] == "2026-07-01"
    agreements = next(df.value for df in at.dataframe if "Relation to the law" in df.value.columns)
    row = agreements.set_index("Agency").loc["Cecil County Sheriff's Office"]
    assert str(row["Last seen"])[:10] == "2025-03-01" and str(row["First sheet without it"])[:10] == "2026-04-01"
    assert row["Relation to the law"] == "Left between two sheets around the law's date"
    assert row["In words"] == "Left between 2025-03-01 and 2026-04-01; the law's date, 2026-02-17, falls between"
    assert "ICE's sheets list agreements in **1 of" in text_of(at)


def test_law_changes_tab(app):
    at = page(CHANGES_TAB)
    assert not at.exception, at.exception
    changes = next(df.value for df in at.dataframe if {"From", "To", "Date"} <= set(df.value.columns)).set_index("State")
    assert changes.loc["NY", ["Date", "From", "To"]].tolist() == ["2026-05-27", "Restricts", "Prohibits"], "words, not codes"
    assert changes.loc["DE", "Date"] == "2025-07-14" and changes.loc["MD", "Date"] == "2026-02-17"
    assert not changes.isna().any().any(), "a missing cell is shown empty, never Streamlit's English 'None'"
    assert changes.loc["NY", "Became law"] == ""  # the day New York's law became law is not in our table
    assert changes.loc["TN", ["Became law", "Date", "From", "To"]].tolist() == [
        "2026-05-26",
        "2026 (day of effect not known)",
        "Requires cooperation",
        "Mandates: sheriffs or local agencies must join",
    ]
    assert changes.loc["ME", ["Date", "From"]].tolist() == ["2026-07-29", "not in our table"]
    assert changes.loc["SC", "To"] == "Mandates only a state official (not sheriffs)"
    assert changes.loc["HI", "Confidence"] == "low (unconfirmed)"
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]


def test_law_changes_tab_in_spanish_names_the_statuses_in_spanish(app):
    at = page(CHANGES_TAB, lang="es")
    assert not at.exception, at.exception
    changes = next(df.value for df in at.dataframe if {"From", "To", "Date"} <= set(df.value.columns)).set_index("State")
    assert changes.loc["NY", ["From", "To"]].tolist() == ["Restringe", "Prohíbe"]
    assert changes.loc["ME", "From"] == "no está en nuestra tabla"
    assert changes.loc["TN", "Date"] == "2026 (día de entrada en vigor desconocido)"


def test_a_deadline_passed_since_the_sheet_and_the_datas_age(app, monkeypatch):
    """Read on 2026-12-06, the newest sheet (2026-04-01) is 249 days old: the page says so, when ICE's page was
    last checked (never, from this cache), and that Texas' deadline of 2026-12-01 has passed since the sheet."""
    monkeypatch.setenv("MAPCORE_TODAY", "2026-12-06")
    at = page(MANDATE_TAB)
    assert not at.exception, at.exception
    warnings = [html.unescape(w.value.replace("\\", "")) for w in at.warning]
    age = next(w for w in warnings if w.startswith("Figures are from ICE's newest sheet, of 2026-04-01."))
    assert "That sheet is 249 days old (today is 2026-12-06)." in age
    assert "ICE's page has not been checked from this copy of the map." in age
    assert (
        "these state-law deadlines have passed: Maryland (2026-07-01), New York (2026-08-25), Mississippi (2026-10-01), Texas (2026-12-01)."
    ) in age
    text = text_of(at)
    assert "Not yet due on the sheet's date; the law's deadline, 2026-12-01, has passed since that sheet." in text
    assert "Not yet due: the law's deadline is 2026-12-01." not in text


def test_state_in_url_opens_that_state(app):
    at = page(MANDATE_TAB, state="FL")
    assert not at.exception, at.exception
    assert metrics(at)["Counties"] == "67"
    assert at.query_params["state"] == ["FL"] or at.query_params["state"] == "FL"


def test_unknown_state_in_url_falls_back_to_texas(app):
    at = page(MANDATE_TAB, state="<script>")
    assert not at.exception, at.exception
    assert metrics(at)["Counties"] == "254"


def test_fixture_dates_are_what_the_tests_assume(app, tmp_path):
    from mapcore.build import pipeline

    built, _ = pipeline.build(tmp_path / "sheets", cache=tmp_path / "cache2", workers=1)
    dates = sorted(built.sheets["publication_date"].dt.date)
    assert dates == [dt.date(2025, 3, 1), dt.date(2026, 3, 15), dt.date(2026, 4, 1)]


def open_tab(at: AppTest) -> str:
    """The open tab's label (the widget's value) and the URL's stable key, which must agree."""
    label = at.session_state["lvp-tab"]
    lang = "es" if at.query_params.get("lang") in ("es", ["es"]) else "en"
    key = at.query_params["tab"]
    key = key[0] if isinstance(key, list) else key
    assert [RESTRICT_TAB, MANDATE_TAB, CHANGES_TAB][LABELS[lang].index(label)] == key
    return label


def test_tab_in_url_is_a_stable_key(app):
    at = page(MANDATE_TAB)
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == LABELS["en"]
    assert open_tab(at) == "States that mandate"
    assert "Counties" in metrics(at)  # the mandate tab ran, the others did not
    assert not any("Ever listed" in df.value.columns for df in at.dataframe)


@pytest.mark.parametrize("link", [MANDATE_TAB, "Sheriffs not listed where state law mandates it", "States that mandate"])
def test_an_english_link_opened_in_spanish_shows_the_same_tab(app, link):
    """The second tab's English link (its key, or an English label of an older link) opened with lang=es."""
    at = page(link, lang="es")
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == LABELS["es"]
    assert open_tab(at) == "Estados que obligan"
    assert "Condados" in metrics(at)


def test_switching_language_keeps_the_tab(app):
    at = page(CHANGES_TAB)
    assert open_tab(at) == "Law changes"
    at.segmented_control(key="_mapcore_lang_switch").set_value("es").run()  # the language switch in the sidebar
    assert not at.exception, at.exception
    assert open_tab(at) == "Cambios de ley"
    assert any({"From", "To", "Date"} <= set(df.value.columns) for df in at.dataframe)
    at.segmented_control(key="_mapcore_lang_switch").set_value("en").run()
    assert open_tab(at) == "Law changes"


def test_a_click_on_another_tab_moves_the_url(app):
    at = page(CHANGES_TAB)
    at.session_state["lvp-tab"] = "States that mandate"  # what a click on the second tab sends
    at.run()
    assert not at.exception, at.exception
    assert open_tab(at) == "States that mandate"
    assert "Counties" in metrics(at)


def test_chart_waits_until_its_expander_is_opened(app):
    """First content first: the chart (the heaviest element) is built and sent only once its expander is opened."""
    at = page()
    assert any(e.label.startswith("Chart: agreements listed per ICE sheet") for e in at.expander)
    assert not at.get("vega_lite_chart")
