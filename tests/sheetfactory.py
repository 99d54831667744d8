"""Build small ICE-like workbooks with openpyxl for tests: each fixture shows one quirk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

PARTICIPATING_8 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
PARTICIPATING_7 = PARTICIPATING_8[:-1]
PARTICIPATING_6 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE", "SIGNED", "MOA"]
PENDING_5 = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"]


class Link:
    """A cell value with a hyperlink target, as ICE writes MOA cells ('link' -> the PDF)."""

    def __init__(self, text: str, target: str):
        self.text, self.target = text, target


def make_sheet(
    path: Path,
    header: list[str],
    rows: list[list],
    padding_columns: int = 0,
    blank_formatted_rows: int = 0,
    sheet_title: str = "Sheet1",
    extra_sheets: tuple[str, ...] = (),
) -> Path:
    """Write a workbook whose first sheet has the header and rows (Link values become hyperlinks)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(header) + [None] * padding_columns)
    for values in rows:
        sheet.append([v.text if isinstance(v, Link) else v for v in values])
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            if isinstance(value, Link):
                cell.hyperlink = value.target
            elif isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a hostile sheet would hold
    fill = PatternFill("solid", fgColor="FFFF00")
    start = sheet.max_row + 1
    for offset in range(blank_formatted_rows):
        for column in range(1, len(header) + padding_columns + 1):
            sheet.cell(row=start + offset, column=column).fill = fill
    for title in extra_sheets:
        workbook.create_sheet(title).append(["STATE", "COUNT"])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def row8(state="TEXAS", agency="Harris County Sheriff's Office", jtype="County", county="Harris County",
         model="Jail Enforcement Model", signed=dt.datetime(2025, 3, 1), moa=None, addendum=None) -> list:
    moa = moa if moa is not None else Link("link", "https://www.ice.gov/doclib/287gMOA/example.pdf")
    return [state, agency, jtype, county, model, signed, moa, addendum]


def write_big_sheet(path: Path, rows: int) -> None:
    """An ICE sheet of the six-column era (the fewest cells per row), written in openpyxl's write_only mode."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Sheet1")
    ws.append(PARTICIPATING_6)
    signed = dt.datetime(2025, 3, 1)
    for i in range(rows):
        ws.append(["TEXAS", f"Agency {i}", "County", "Jail Enforcement Model", signed, "link"])
    book.save(path)
