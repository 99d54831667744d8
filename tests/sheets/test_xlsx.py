"""The fast workbook reader (calamine values + one streamed pass over the sheet XML) gives what openpyxl
gave: the same values (errors, links on empty cells, dates, whole numbers) and the same hyperlink targets."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sheetfactory import HEADER_CELLS, crafted_workbook, far_cell_workbook

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
    sheet["C3"] = "#N/A"  # an Excel error value
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


# --------------------------------------------------------------------------- sizes as the reader sees them
# calamine places a cell by its own ``r`` attribute when it has one, else after the previous cell of its row
# (rows without ``r`` follow the previous row); it matches elements by local name (any prefix) and sizes
# its grid from the cells it places. A far cell makes it allocate rows x columns of the whole range (a 1 KB
# workbook at XFD1048576: 512 GB, then abort). Each spelling below must be refused before values load.

FAR_SPELLINGS = {
    "plain": 'r="XFD1048576"',
    "spaces around =": 'r = "XFD1048576"',
    "single quotes": "r='XFD1048576'",
    "lower case": 'r="xfd1048576"',
    "not the first attribute": 's="1" r="XFD1048576"',
    "after a quoted >": 'xml:space=">" r="XFD1048576"',
    "leading zeros": 'r="XFD0001048576"',
    "tab and newline": 'r\t=\n"XFD1048576"',
}


@pytest.fixture
def no_values(monkeypatch):
    monkeypatch.setattr(xlsx, "_values", lambda *a: pytest.fail("values loaded for an oversized sheet"))


@pytest.mark.parametrize("spelling", FAR_SPELLINGS.values(), ids=FAR_SPELLINGS.keys())
def test_a_far_cell_is_refused_whatever_the_spelling_of_its_reference(tmp_path, no_values, spelling):
    path = far_cell_workbook(tmp_path / "far.xlsx", spelling=spelling)
    assert path.stat().st_size < 2_000
    with pytest.raises(xlsx.TooLarge, match="1,048,576 rows"):
        xlsx.read_first_sheet(path, LIMITS)


CELLS = "".join(f"<c><v>{n}</v></c>" for n in range(10))
ODD_SHEETS = {
    # (sheetData, words of the refusal)
    "prefixed cell element": (f'<row r="1">{HEADER_CELLS}<x:c r="XFD1048576"><x:v>1</x:v></x:c></row>', "1,048,576 rows"),
    "far row, cell without r": (f'<row r="1">{HEADER_CELLS}</row><row r="1048576"><c><v>1</v></c></row>', "1,048,576 rows"),
    "far row spelled with spaces": (f'<row r="1">{HEADER_CELLS}</row><row r = "900000"><c><v>1</v></c></row>', "900,000 rows"),
    "prefixed row element": ('<x:row r="900000"><c><v>1</v></c></x:row>', "900,000 rows"),
    "row number past 32 bits": ('<row r="99999999999"><c><v>1</v></c></row>', "99,999,999,999 rows"),
    "column past XFD": (f'<row r="1">{HEADER_CELLS}<c r="FXSHRXX1"><v>1</v></c></row>', "past Excel's last column"),
    "rows without r": (("<row>" + "<c><v>1</v></c>" + "</row>") * 12_000, "10,001 rows is more than the 10,000"),
    "cells without r": ("<row>" + "<c><v>1</v></c>" * 20_000 + "</row>", "past Excel's last column"),
    "cells without r, one long row": (
        ("<row><c><v>1</v></c></row>") * 4_000 + "<row>" + CELLS * 3 + "</row>",
        "4,001 rows x 25 columns (100,025 cells) is more than the 100,000 cells",
    ),
    "more cell elements than the limit": (("<row>" + CELLS * 2 + "</row>") * 6_000, "more than 100,000 cell elements"),
    "cells that repeat one reference": ('<row r="1">' + '<c r="A1"><v>1</v></c>' * 100_001 + "</row>", "more than the 100,000"),
}


@pytest.mark.parametrize("case", ODD_SHEETS.values(), ids=ODD_SHEETS.keys())
def test_cells_and_rows_are_counted_as_the_reader_places_them(tmp_path, no_values, case):
    sheet_data, words = case
    path = crafted_workbook(tmp_path / "odd.xlsx", sheet_data)
    with pytest.raises(xlsx.TooLarge, match=re.escape(words)):
        xlsx.read_first_sheet(path, LIMITS)


def test_a_dimension_that_lies_neither_hides_a_far_cell_nor_refuses_a_small_sheet(tmp_path, no_values, monkeypatch):
    small_dimension = far_cell_workbook(tmp_path / "far.xlsx")
    with zipfile.ZipFile(small_dimension) as archive:
        assert b"<dimension" not in archive.read("xl/worksheets/sheet1.xml")
    lying = crafted_workbook(
        tmp_path / "lying.xlsx", f'<row r="1">{HEADER_CELLS}</row><row r="1048576"><c><v>1</v></c></row>', dimension="A1:B2"
    )
    with pytest.raises(xlsx.TooLarge, match="1,048,576 rows"):
        xlsx.read_first_sheet(lying, LIMITS)
    monkeypatch.undo()
    huge_dimension = crafted_workbook(tmp_path / "huge.xlsx", f'<row r="1">{HEADER_CELLS}</row>', dimension="A1:XFD1048576")
    assert xlsx.read_first_sheet(huge_dimension, LIMITS).rows[0][:2] == ["STATE", "LAW ENFORCEMENT AGENCY"]


def test_a_far_cell_in_a_part_the_reader_may_take_for_the_sheet_is_refused(tmp_path, no_values):
    """The workbook's relationship names ``worksheets/./sheet1.xml``: calamine reads the zip member of that
    exact name, a normalising reader the other one. Every worksheet part is checked, whichever is read."""
    far = (
        f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{HEADER_CELLS}<c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    path = crafted_workbook(
        tmp_path / "two.xlsx",
        f'<row r="1">{HEADER_CELLS}</row>',
        sheet_target="worksheets/sheet1.xml",
        extra_parts={"xl/worksheets/./sheet1.xml": far},
    )
    with pytest.raises(xlsx.TooLarge, match=r"xl/worksheets/\./sheet1\.xml: 1,048,576 rows"):
        xlsx.read_first_sheet(path, LIMITS)


def test_hyperlinks_over_a_huge_range_are_refused_before_values_load(tmp_path, no_values):
    book = openpyxl.Workbook()
    book.active.append(["STATE", "MOA"])
    book.active["B2"].hyperlink = "https://www.ice.gov/a.pdf"
    path = tmp_path / "links.xlsx"
    book.save(path)
    _rewrite_sheet_xml(path, lambda xml: xml.replace(b'ref="B2"', b'ref="A1:XFD9000"'))
    with pytest.raises(xlsx.TooLarge, match="hyperlinks cover"):
        xlsx.read_first_sheet(path, LIMITS)


def test_an_ordinary_sheet_written_without_r_attributes_is_read_as_openpyxl_reads_it(tmp_path):
    header = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in ("STATE", "AGENCY"))
    row = '<c t="inlineStr"><is><t>TEXAS</t></is></c><c t="inlineStr"><is><t>Harris</t></is></c>'
    path = crafted_workbook(tmp_path / "plain.xlsx", f'<row>{header}</row><row>{row}</row><row r="5"><c r="B5"><v>3</v></c></row>')
    raw = xlsx.read_first_sheet(path, LIMITS)
    rows, links, _ = _openpyxl_view(path)
    assert _trimmed(raw.rows) == rows and raw.links == links == {}
    assert raw.rows[1] == ["TEXAS", "Harris"] and raw.rows[4] == [None, 3]


def test_an_odd_part_is_replayed_piece_by_piece_and_stops_at_the_first_excess():
    from mapcore.sheets import extent

    calls: list[int] = []

    def pieces():
        calls.append(0)
        for _ in range(1_000):
            calls[-1] += 1
            yield b"<row><c><v>1</v></c></row>" * 1_000  # rows without r: not the plain form

    with pytest.raises(extent.Oversized, match="5,001 rows is more than the 5,000"):
        extent.measure(pieces, extent.Bounds(rows=5_000, cells=10**9))
    assert len(calls) == 3 and calls[0] == 1 and calls[-1] <= 10, calls  # plain try, quick count, replay
