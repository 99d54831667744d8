"""The fast workbook reader (calamine values + one streamed pass over the sheet XML) gives what openpyxl
gave: the same values (errors, links on empty cells, dates, whole numbers) and the same hyperlink targets."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from mapcore.sheets import xlsx

LIMITS = xlsx.Limits(unpacked_bytes=50_000_000, rows=10_000, cells=100_000)


def _trimmed(rows: list[list]) -> list[list]:
    out = [list(row) for row in rows]
    for row in out:
        while row and row[-1] is None:
            row.pop()
    while out and not out[-1]:
        out.pop()
    return out


def _openpyxl_view(path: Path) -> tuple[list[list], dict, dt.datetime | None]:
    book = openpyxl.load_workbook(path, data_only=True)
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    links = {(cell.row - 1, cell.column - 1): cell.hyperlink.target for row in sheet.iter_rows() for cell in row if cell.hyperlink}
    return _trimmed(rows), links, book.properties.modified


def _assert_same_as_openpyxl(path: Path) -> xlsx.RawSheet:
    raw = xlsx.read_first_sheet(path, LIMITS)
    rows, links, saved = _openpyxl_view(path)
    assert _trimmed(raw.rows) == rows
    assert raw.links == links
    assert raw.saved == saved
    return raw


def _rewrite_sheet_xml(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_values_errors_dates_and_numbers_match_openpyxl(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"] = "STATE"  # data starting below and right of A1: row and column numbers must hold
    sheet["C3"] = "#N/A"   # an Excel error value
    sheet["D3"] = dt.datetime(2025, 7, 1)
    sheet["E3"] = 45658
    sheet["F3"] = 12.5
    sheet["G3"] = True
    sheet["B4"] = "  text with spaces\u00a0"
    sheet["C4"] = "#REF!"
    sheet["H4"] = "=1+1"
    sheet["H4"].data_type = "s"  # formula-looking text stays text
    path = tmp_path / "values.xlsx"
    book.save(path)
    raw = _assert_same_as_openpyxl(path)
    assert raw.rows[2][2] == "#N/A" and raw.rows[3][2] == "#REF!" and raw.rows[2][4] == 45658


def test_hyperlinks_including_an_empty_linked_cell_and_a_range_match_openpyxl(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["STATE", "MOA"])
    sheet.append(["TEXAS", "link"])
    sheet["B2"].hyperlink = "https://www.ice.gov/a.pdf?x=1&y=2"
    sheet["C2"].hyperlink = "https://www.ice.gov/range.pdf"
    sheet["C2"].value = "range"
    path = tmp_path / "links.xlsx"
    book.save(path)

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'ref="C2"', b'ref="C2:C4"')  # one link over three cells, two of them empty
        extra = b'<hyperlink xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ref="B3" r:id="rId1" />'
        return xml.replace(b"</hyperlinks>", extra + b"</hyperlinks>")  # a link on a cell that has no value

    _rewrite_sheet_xml(path, edit)
    raw = _assert_same_as_openpyxl(path)
    assert raw.links[(1, 1)] == "https://www.ice.gov/a.pdf?x=1&y=2"
    assert raw.rows[2][1] == "https://www.ice.gov/a.pdf?x=1&y=2"  # openpyxl showed an empty linked cell's target as its value
    assert raw.links[(3, 2)] == "https://www.ice.gov/range.pdf" and raw.rows[3][2] == "https://www.ice.gov/range.pdf"


def test_a_self_closing_error_cell_does_not_take_the_next_cells_value():
    scan = xlsx._Scan()
    xlsx._errors(b'<row r="2"><c r="A2" t="e"/><c r="B2"><v>5</v></c><c r="C2" t="e"><v>#N/A</v></c></row>', scan)
    assert scan.errors == {(1, 2): "#N/A"}


def test_size_is_checked_before_values_are_loaded(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active["A1"] = "STATE"
    book.active.cell(row=5_000, column=30, value="far")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    monkeypatch.setattr(xlsx, "_values", lambda *a: pytest.fail("values loaded for an oversized sheet"))
    with pytest.raises(xlsx.TooLarge, match=r"5,000 rows x 30 columns \(150,000 cells\)"):
        xlsx.read_first_sheet(path, LIMITS)
    with pytest.raises(xlsx.TooLarge, match="5,000 rows is more than the 4,999"):
        xlsx.read_first_sheet(path, xlsx.Limits(50_000_000, 4_999, 10**9))


def test_every_zip_member_counts_toward_the_unpacked_size(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active["A1"] = "STATE"
    path = tmp_path / "strings.xlsx"
    book.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:  # 30 MB of text that compresses to little
        archive.writestr("xl/sharedStrings2.xml", "<si><t>x</t></si>" * 2_000_000)
    assert path.stat().st_size < 1_000_000
    monkeypatch.setattr(xlsx, "_values", lambda *a: pytest.fail("values loaded for an oversized workbook"))
    with pytest.raises(xlsx.TooLarge, match="unpacks to 34 MB"):
        xlsx.read_first_sheet(path, xlsx.Limits(20_000_000, 10_000, 100_000))
