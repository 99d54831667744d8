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


def row8(
    state="TEXAS",
    agency="Harris County Sheriff's Office",
    jtype="County",
    county="Harris County",
    model="Jail Enforcement Model",
    signed=dt.datetime(2025, 3, 1),
    moa=None,
    addendum=None,
) -> list:
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


_CRAFTED_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>",
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
}
HEADER_CELLS = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in PARTICIPATING_8)


def crafted_workbook(
    path: Path,
    sheet_data: str,
    dimension: str | None = None,
    sheet_target: str = "worksheets/sheet1.xml",
    extra_parts: dict[str, str] | None = None,
) -> Path:
    """A minimal .xlsx whose first worksheet's ``<sheetData>`` is ``sheet_data`` written as given (any spelling a
    hostile or odd writer might use), with an optional ``<dimension ref=...>`` and extra zip members. About 1 KB."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{sheet_data}</sheetData></worksheet>'
    )
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="{sheet_target}"/></Relationships>'
    )
    import zipfile

    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _CRAFTED_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/" + sheet_target, sheet)
        for name, text in (extra_parts or {}).items():
            archive.writestr(name, text)
    return path


def far_cell_workbook(path: Path, reference: str = "XFD1048576", spelling: str = 'r="{ref}"') -> Path:
    """An ICE-like header row, then one cell at ``reference`` (its ``r`` attribute written as ``spelling``):
    a reader that sizes its grid from the cells would allocate rows x columns of the whole range."""
    far = f'<row><c {spelling.format(ref=reference)} t="inlineStr"><is><t>far</t></is></c></row>'
    return crafted_workbook(path, f'<row r="1">{HEADER_CELLS}</row>{far}')
