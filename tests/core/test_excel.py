"""Excel downloads hold real dates and numbers, a frozen and filtered header row, an
"About" sheet (source sheet, its date, the filters, the time of export), and file names name the filters."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from mapcore.analysis import history, query
from mapcore.core import tables
from mapcore.render import export


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def agreements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "state": ["TX", "TX"],
            "agency": ["Harris County Sheriff's Office", "=cmd|' /C calc'!A0"],
            "jurisdiction_type": ["County", "County"],
            "model": ["TFM", "JEM"],
            "signed": pd.to_datetime(["2025-06-01", None]),
            "county_fips": ["48201", "48201"],
            "publication_date": pd.to_datetime(["2026-04-30", "2026-04-30"]),
            "kind": "participating",
        }
    )


def test_dates_are_dates_numbers_are_numbers_and_the_header_is_frozen_and_filtered():
    table = pd.DataFrame(
        {"agency": ["A", "B"], "first_seen": pd.to_datetime(["2025-02-21", "2026-04-30"]), "publications": [3, 212], "share": [12.5, 0.25]}
    )
    sheet = workbook(tables.table_bytes(table, "xlsx", "History"))["History"]
    assert [c.value for c in sheet[1]] == ["agency", "first_seen", "publications", "share"]
    assert isinstance(sheet["B2"].value, dt.datetime) and sheet["B2"].is_date
    assert sheet["B2"].number_format == "yyyy-mm-dd" and sheet["B2"].value.date() == dt.date(2025, 2, 21)
    assert sheet["C3"].value == 212 and sheet["C3"].data_type == "n"
    assert sheet["D2"].value == 12.5 and sheet["D2"].data_type == "n"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet["A1"].font.bold


def test_agreement_export_keeps_dates_text_safe_and_has_an_about_sheet():
    about = tables.about_fields(
        source="ICE 287(g) sheet participatingAgencies04302026am.xlsx", published=dt.date(2026, 4, 30), filters="states TX; models TFM"
    )
    book = workbook(export.to_excel_bytes(agreements(), about=about))
    assert book.sheetnames == ["287(g) agreements", "About"]
    sheet = book["287(g) agreements"]
    header = [c.value for c in sheet[1]]
    signed = header.index("signed") + 1
    assert sheet.cell(row=2, column=signed).is_date and sheet.cell(row=3, column=signed).value is None
    assert sheet.cell(row=2, column=header.index("county_fips") + 1).value == "48201"  # a code stays text
    assert sheet.cell(row=3, column=header.index("agency") + 1).value.startswith("'=")  # formula guard kept
    fields = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert fields["Source"] == "ICE 287(g) sheet participatingAgencies04302026am.xlsx"
    assert fields["Published"] == "2026-04-30" and fields["Filters"] == "states TX; models TFM"
    assert fields["Rows"] == 2 and fields["Exported at"].endswith("UTC")


def test_csv_keeps_iso_dates():
    text = export.to_csv_bytes(agreements()).decode()
    assert ",2025-06-01," in text and "00:00:00" not in text


def test_history_tables_write_dates_as_dates():
    frame = pd.DataFrame({"agency": ["A"], "state": ["TX"], "first_pending": pd.to_datetime(["2025-07-01"])})
    table = history.export_table(frame, history.PENDING_EXTRA)
    sheet = workbook(tables.table_bytes(table, "xlsx", "Pending"))["Pending"]
    column = [c.value for c in sheet[1]].index("first_pending") + 1
    assert sheet.cell(row=2, column=column).is_date


def test_file_names_name_the_filters():
    filters = query.Filters(states=("TX",), models=("TFM",))
    assert tables.file_stem(*query.filter_parts(filters), date="2026-04-30") == "287g-TX-TFM-2026-04-30"
    many = query.Filters(states=tuple("AL AR FL GA TX".split()), text="Sheriff's / Office")
    assert (
        tables.file_stem(*query.filter_parts(many), "pending", date=pd.Timestamp("2026-02-27"))
        == "287g-5-states-name-Sheriff-s-Office-pending-2026-02-27"
    )
    assert query.describe_filters(filters) == "states TX; models TFM"
    assert query.describe_filters(query.Filters()) == "none"
