"""The Explore page under AppTest: filters change the table, downloads hold the filtered rows,
and the filter state round-trips through the URL's query parameters."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from appfixtures import LATEST_ROWS, script
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

PAGE = script("pages/1_Explore.py")


class RecordingStorage(MemoryMediaFileStorage):
    """Keeps the bytes of every file the page offers, so a test can read a download."""

    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        RecordingStorage.files[file_id] = path_or_data
        return file_id


@pytest.fixture
def app(app_test, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)
    RecordingStorage.files = {}
    return app_test("pages/1_Explore.py", run=False)


def _table(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def _csv_download(at: AppTest) -> pd.DataFrame:
    button = next(b for b in at.get("download_button") if b.proto.label == "Download CSV")
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return pd.read_csv(io.BytesIO(RecordingStorage.files[file_id]), dtype=str, keep_default_na=False)


def test_defaults_show_the_newest_publication(app):
    at = app.run()
    assert not at.exception
    table = _table(at)
    assert len(table) == len(LATEST_ROWS)
    assert "Dropped Police Department" not in set(table["Agency"])
    assert at.metric[0].value == str(len(LATEST_ROWS))


def test_model_filter_changes_table_metrics_url_and_download(app):
    at = app.run()
    at.multiselect(key="models").set_value(["TFM"]).run()
    table = _table(at)
    assert set(table["Model"]) == {"TFM"}
    assert len(table) == 3
    assert at.query_params["models"] == "TFM"
    download = _csv_download(at)
    assert len(download) == len(table)
    assert sorted(download["agency"]) == sorted(table["Agency"])
    assert set(download["model"]) == {"TFM"}


def test_state_and_type_filters_combine(app):
    at = app.run()
    at.multiselect(key="states").set_value(["FL"]).run()
    at.multiselect(key="types").set_value(["County"]).run()
    table = _table(at)
    assert sorted(table["Agency"]) == ["Lee County Sheriff's Office", "St. Johns County Sheriff's Office"]
    assert sorted(_csv_download(at)["agency"]) == sorted(table["Agency"])
    assert at.query_params["states"] == "FL" and at.query_params["types"] == "County"


def test_signed_date_range_filter(app):
    at = app.run()
    at.date_input(key="signed").set_value((pd.Timestamp("2025-03-01").date(), pd.Timestamp("2025-06-15").date())).run()
    table = _table(at)
    signed = pd.to_datetime(table["Signed"])
    assert sorted(table["Agency"]) == [
        "Florida Highway Patrol",
        "Harris County Sheriff's Office",
        "Harris County Sheriff's Office",
        "St. Johns County Sheriff's Office",
    ]
    assert signed.between("2025-03-01", "2025-06-15").all()
    assert at.query_params["from"] == "2025-03-01" and at.query_params["to"] == "2025-06-15"


def test_law_status_filter(app):
    """The filter uses the law in force on the sheet's date (2025-07-02): Texas's 287(g) mandate (SB 8, signed
    2025-06-20) took effect on 2026-01-01, so Texas agencies then fall under 'requires cooperation', not
    'mandates', and the State law column marks the new law not yet in force."""
    at = app.run()
    at.multiselect(key="law").set_value(["mandates"]).run()
    assert set(_table(at)["State"]) <= {"FL", "GA", "AR", "OK", "SC"}
    assert "Harris County Sheriff's Office" not in set(_table(at)["Agency"])
    at.multiselect(key="law").set_value(["requires_cooperation"]).run()
    assert "Harris County Sheriff's Office" in set(_table(at)["Agency"])
    assert set(_table(at)["State law"]) == {"Requires cooperation (new law, not yet in force)"}
    assert any(c.value.startswith("State law as in force on 2025-07-02;") for c in at.caption)


def test_query_parameters_reopen_the_same_view(app):
    app.query_params["models"] = "WSO,JEM"
    app.query_params["states"] = "FL"
    at = app.run()
    assert at.multiselect(key="models").value == ["WSO", "JEM"]
    assert at.multiselect(key="states").value == ["FL"]
    assert sorted(_table(at)["Agency"]) == ["Lee County Sheriff's Office", "St. Johns County Sheriff's Office"]


def test_bad_query_parameters_are_ignored_not_fatal(app):
    app.query_params["models"] = "XYZ,<script>"
    app.query_params["from"] = "not-a-date"
    app.query_params["kind"] = "everything"
    at = app.run()
    assert not at.exception
    assert len(_table(at)) == len(LATEST_ROWS)


def test_pending_view_and_earlier_publication(app):
    at = app.run()
    at.radio(key="kind").set_value("pending").run()
    assert list(_table(at)["Agency"]) == ["Waco Police Department"]
    at.radio(key="kind").set_value("participating").run()
    at.selectbox(key="pub").set_value(0).run()
    assert "Dropped Police Department" in set(_table(at)["Agency"])
    assert at.query_params["pub"] == "2025-07-01"


def test_statewide_agencies_are_said_to_be_at_state_level(app):
    at = app.run()
    assert any("statewide" in e.label and "state level" in e.label for e in at.expander)


def test_display_table_of_rows_with_no_state_law_at_all():
    """A filter whose rows have no law (e.g. only the Northern Mariana Islands) crashed Explore: the law
    column came out as floats, to which the 'unconfirmed' note could not be added."""
    from mapcore.app import page_parts

    rows = pd.DataFrame(
        {
            "state": pd.Categorical(["MP"]),
            "agency": ["Saipan Police"],
            "model": ["TFM"],
            "law_status": pd.Categorical([None], categories=["prohibits"]),
            "law_unconfirmed": [False],
            "signed": [pd.Timestamp("2025-06-01")],
            "level": ["county"],
        }
    )
    table = page_parts.display_table(rows)
    assert list(table["Agency"]) == ["Saipan Police"]
    assert table["State law"].fillna("").eq("").all()  # no law: an empty cell


def test_display_table_shows_a_missing_link_or_county_empty_whatever_the_text_dtype():
    """pandas 3 reads the built dataset's text as its "str" dtype and the county as a category: a missing
    addendum was shown as Streamlit's English "None" on the State profile (in Spanish too)."""
    from mapcore.app import page_parts

    rows = pd.DataFrame(
        {
            "state": pd.Categorical(["TX", "TX"]),
            "agency": pd.Series(["Aransas County Sheriff's Office", "Angelina County Sheriff's Office"], dtype="str"),
            "model": ["JEM", "WSO"],
            "county_name": pd.Categorical(["Aransas County", None]),
            "addendum_url": pd.Series(["https://www.ice.gov/doclib/287gMOA/aransas_addendum.pdf", None], dtype="str"),
            "signed": [pd.Timestamp("2020-06-08"), pd.Timestamp("2025-06-18")],
            "level": ["county", "county"],
        }
    )
    table = page_parts.display_table(rows).set_index("Agency")
    assert table.loc["Angelina County Sheriff's Office", "Addendum"] == ""
    assert table.loc["Angelina County Sheriff's Office", "County"] == ""
    assert table.loc["Aransas County Sheriff's Office", "Addendum"].endswith("aransas_addendum.pdf")


@pytest.fixture
def sheets_2025_va_tn(monkeypatch, tmp_path):
    """One participating sheet of 2025-10-15 listing Virginia and Tennessee agencies, both before their 2026 laws:
    each shows the status before its law, marked as a newer law not yet in force (Virginia's is not recorded: Unknown).
    (Not December: a name date a year before the workbook's save time is read as ICE's year typo.)"""
    import datetime as dt

    import streamlit as st
    from sheetfactory import PARTICIPATING_8, make_sheet, row8

    folder = tmp_path / "sheets"
    make_sheet(
        folder / "participatingAgencies10152025am.xlsx",
        PARTICIPATING_8,
        [
            row8(state="VIRGINIA", agency="Culpeper County Sheriff's Office", county="Culpeper County", signed=dt.datetime(2025, 4, 1)),
            row8(state="TENNESSEE", agency="Knox County Sheriff's Office", county="Knox County", signed=dt.datetime(2025, 5, 1)),
            row8(),
        ],
    )
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(PAGE, default_timeout=120)


@pytest.mark.parametrize("states", ["VA", "TN", "VA,TN"])
def test_a_state_whose_law_on_the_date_is_unknown_shows_its_table(sheets_2025_va_tn, states):
    """Rows with no known law (Virginia on a 2025 sheet) or only the status before a new law (Tennessee): the table is
    still shown, each row with the law that stood on the sheet's date."""
    sheets_2025_va_tn.query_params["pub"] = "2025-10-15"
    sheets_2025_va_tn.query_params["states"] = states
    at = sheets_2025_va_tn.run()
    assert not at.exception, at.exception
    table = _table(at)
    assert set(table["State"]) == set(states.split(","))
    cells = dict(zip(table["State"], table["State law"].fillna("")))
    # both newer laws are marked on that day; Virginia's status before its law is not recorded
    expected = {"VA": "Unknown (new law, not yet in force)", "TN": "Requires cooperation (new law, not yet in force)"}
    assert {state: cells[state] for state in states.split(",")} == {state: expected[state] for state in states.split(",")}


@pytest.mark.parametrize(
    ("asked", "shown", "said"),
    [
        ("2025-07-01", "2025-07-01", None),  # a day with a sheet: that sheet
        ("2025-07-15", "2025-07-02", "ICE published no sheet on 2025-07-15: this is the newest sheet before it, of 2025-07-02."),
        ("2025-06-30", "2025-07-02", "ICE published no sheet on or before 2025-06-30: this is the newest sheet, of 2025-07-02."),
    ],
)
def test_a_link_to_a_day_without_a_sheet_opens_the_sheet_that_stood_then_and_says_so(app, asked, shown, said):
    at = app
    at.query_params["pub"] = asked
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="pub").value is not None
    assert at.selectbox(key="pub").format_func(at.selectbox(key="pub").value).startswith(shown)
    notes = [i.value for i in at.info if "ICE published no sheet" in i.value]
    assert notes == ([said] if said else [])
