"""Property-based tests (hypothesis) for the readers and normalisers: any input gives records or a
named problem, never a crash.

Each property counts the examples it ran; the totals are printed at the end of the module (run with
``-s`` to see them, or read the ``hypothesis_examples`` user property in a JUnit report).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mapcore.core.schema import READ_COLUMNS
from mapcore.core.text import safe_url
from mapcore.render import export
from mapcore.sheets import normalize as nz
from mapcore.sheets.sheet import KNOWN, Problem, SheetError, SheetResult, read_sheet

EXAMPLES: Counter = Counter()
WORKBOOK_EXAMPLES = 120  # each writes and reads a small workbook (~40 ms)
VALUE_EXAMPLES = 600  # pure functions


def _count(name: str) -> None:
    EXAMPLES[name] += 1


@pytest.fixture(scope="module", autouse=True)
def report_examples(record_testsuite_property):
    yield
    runs = {name: count for name, count in EXAMPLES.items() if "->" not in name}
    total = sum(runs.values())
    lines = [f"  {name}: {count}" for name, count in sorted(EXAMPLES.items())]
    print("\nhypothesis examples run:\n" + "\n".join(lines) + f"\n  total: {total}")
    record_testsuite_property("hypothesis_examples_total", total)
    for name, count in runs.items():
        record_testsuite_property(f"hypothesis_examples[{name}]", count)


# --------------------------------------------------------------------------- strategies

ERROR_STRINGS = ["#N/A", "#NA", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "N/A", "null", "NULL", "-", "", " ", "\u00a0"]
FORMULA_TEXT = ["=1+1", '=HYPERLINK("javascript:alert(1)","x")', "+1", "-1", "@SUM(A1)", "=cmd|' /C calc'!A0"]
REAL_VALUES = [
    "TEXAS",
    "texas ",
    "TX",
    "DC",
    "Puerto Rico",
    "Guam",
    "WESt VIRGINIA",
    "Harris County Sheriff's Office",
    "County",
    "Municipality",
    "Muncipality",
    "State Agency",
    "Jail Enforcement Model",
    "Warrant Service Officer",
    "Task Force Model",
    "link",
    "link pending",
    "https://www.ice.gov/a.pdf",
    "https:/www.ice.gov/b.pdf",
    "javascript:alert(1)",
    "www.ice.gov/c.pdf",
    "05/082025",
    "7/72025",
    "13/45/2025",
    "2025-02-30",
    "Harris County",
    "<img src=x onerror=alert(1)>",
    "</script>",
    "${alert(1)}",
]

# Text openpyxl can store (XML 1.0 forbids most C0 controls: openpyxl raises on them at write time).
xml_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30).map(lambda s: ILLEGAL_CHARACTERS_RE.sub("", s))
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
cell_value = st.one_of(
    st.none(),
    xml_text,
    st.sampled_from(ERROR_STRINGS + FORMULA_TEXT + REAL_VALUES),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
)


@st.composite
def header_variant(draw) -> str:
    """A known column name in some case and spacing, an unknown column, or a blank."""
    name = draw(st.sampled_from(KNOWN + ("NOTES", "Unnamed", "STATES", "AGENCY")))
    style = draw(st.sampled_from([str.upper, str.lower, str.title, lambda s: s]))
    pad = draw(st.sampled_from(["", " ", "  ", "\u00a0", "\t"]))
    text = style(name)
    if draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(["  ", "\u00a0", " "])))
    return pad + text + pad


@st.composite
def workbook_rows(draw) -> list[list]:
    """A header (often complete, sometimes missing or odd columns) over a few rows of random cells."""
    if draw(st.integers(0, 4)):
        header = [draw(header_variant()) for _ in range(draw(st.integers(0, 4)))]
        required = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE"]
        keep = required if draw(st.integers(0, 3)) else draw(st.lists(st.sampled_from(required), unique=True, min_size=2, max_size=4))
        header += [draw(st.sampled_from([k, k.lower(), f" {k.title()} "])) for k in keep]
        header = draw(st.permutations(header))
    else:
        header = draw(st.lists(st.one_of(st.none(), xml_text, st.sampled_from(KNOWN)), max_size=8))
    width = max(len(header), 1)
    leading = (
        draw(st.lists(st.lists(cell_value, max_size=width), max_size=2)) if not draw(st.integers(0, 2)) else []
    )  # title rows above the header
    body = draw(st.lists(st.lists(cell_value, min_size=0, max_size=width + 2), max_size=8))
    return leading + [list(header)] + body


def _write(rows: list[list], folder: Path, name: str) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # formula-looking text stays text, as a hostile sheet would hold
    path = folder / name
    book.save(path)
    return path


def _check_result(result, name: str) -> None:
    assert isinstance(result, SheetResult)
    assert result.kind in ("participating", "pending")
    for record in result.records:
        assert set(READ_COLUMNS) <= set(record), set(READ_COLUMNS) - set(record)
        assert record["source_file"] == name
        assert isinstance(record["agency"], str) and record["agency"] == record["agency"].strip() and record["agency"]
        assert record["state"] is None or re.fullmatch(r"[A-Z]{2}", record["state"])
        assert record["model"] in (None, "JEM", "WSO", "TFM")
        assert record["jurisdiction_type"] in (None, "County", "Municipality", "State")
        assert record["signed"] is None or isinstance(record["signed"], dt.date)
        for link in ("moa_url", "addendum_url"):
            assert record[link] is None or re.match(r"^https?://[^\s<>\"']+$", record[link]), record[link]
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.file == name and problem.message
        assert str(problem).startswith(name)


NAMES = st.sampled_from(
    [
        "participatingAgencies07012025am.xlsx",
        "pendingAgencies02272026pm.xlsx",
        "sheet.xlsx",
        "participatingAgencies090022025am.xlsx",
        "<b>odd name</b>.xlsx",
    ]
)
SETTINGS = settings(max_examples=WORKBOOK_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(rows=workbook_rows(), name=NAMES)
def test_any_workbook_gives_records_or_a_named_sheet_error(rows, name):
    _count("read_sheet: random workbooks")
    with tempfile.TemporaryDirectory() as folder:
        path = _write(rows, Path(folder), name.replace("/", "_"))
        try:
            result = read_sheet(path)
        except SheetError as error:
            assert str(error).startswith(path.name) and error.file == path.name
            EXAMPLES["read_sheet: random workbooks -> SheetError"] += 1
            return
        _check_result(result, path.name)
        EXAMPLES["read_sheet: random workbooks -> records"] += 1


@st.composite
def ice_like_rows(draw) -> list[list]:
    """A correct 8-column header over rows of random values: exercises every normaliser through the reader."""
    header = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA", "ADDENDUM"]
    body = draw(st.lists(st.lists(cell_value, min_size=8, max_size=8), min_size=1, max_size=10))
    return [header] + body


@SETTINGS
@given(rows=ice_like_rows())
def test_ice_shaped_sheet_with_random_values_reads_and_names_every_problem(rows):
    _count("read_sheet: ICE header, random values")
    with tempfile.TemporaryDirectory() as folder:
        path = _write(rows, Path(folder), "participatingAgencies07012025am.xlsx")
        result = read_sheet(path)  # a well-formed header never raises
        _check_result(result, path.name)
        kept = {r["row"] for r in result.records} | {p.row for p in result.problems if "duplicate" in p.message}
        for problem in result.problems:
            assert problem.row is None or 1 <= problem.row <= len(rows)
            assert problem.column is None or problem.column in KNOWN
        for excel_row, values in enumerate(rows[1:], start=2):
            state, agency = nz.clean_text(values[0]), nz.clean_text(values[1])
            if state and agency:
                assert excel_row in kept, f"row {excel_row} with state and agency was dropped"


@settings(max_examples=VALUE_EXAMPLES // 4, deadline=None)
@given(data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"PK", b"PK\x03\x04", b"PK\x05\x06", b"<html>", b"\xef\xbb\xbf"]))
def test_random_bytes_are_a_named_sheet_error(data, prefix):
    _count("read_sheet: random bytes")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "participatingAgencies07012025am.xlsx"
        path.write_bytes(prefix + data)
        with pytest.raises(SheetError) as error:
            read_sheet(path)
        assert str(error.value).startswith(path.name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=10**6), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4))
def test_damaged_real_workbook_is_records_or_a_named_error(cut, flips, good_workbook):
    _count("read_sheet: damaged real workbook")
    data = bytearray(good_workbook)
    for position, byte in flips:
        data[position % len(data)] = byte
    data = bytes(data[: max(1, cut % (len(data) + 1))])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "participatingAgencies07012025am.xlsx"
        path.write_bytes(data)
        try:
            _check_result(read_sheet(path), path.name)
        except SheetError as error:
            assert str(error).startswith(path.name)


@pytest.fixture(scope="module")
def good_workbook() -> bytes:
    rows = [["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"]]
    rows += [
        ["TEXAS", f"Agency {i}", "County", "Harris County", "Jail Enforcement Model", dt.datetime(2025, 3, 1), "link"] for i in range(20)
    ]
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- normalisers

anything = st.one_of(
    st.none(),
    any_text,
    st.sampled_from(ERROR_STRINGS + FORMULA_TEXT + REAL_VALUES),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
)


@settings(max_examples=VALUE_EXAMPLES, deadline=None)
@given(value=anything)
def test_normalisers_never_raise_and_return_their_domain(value):
    _count("normalisers: any value")
    text = nz.clean_text(value)
    assert text is None or (text == text.strip() and text and "  " not in text and "\u00a0" not in text)
    assert isinstance(nz.is_missing_marker(value), bool)
    assert isinstance(nz.header_key(value), str)
    assert nz.normalize_model(value) in (None, "JEM", "WSO", "TFM")
    assert nz.normalize_jurisdiction_type(value) in (None, "County", "Municipality", "State")
    state = nz.normalize_state(value)
    assert state is None or (re.fullmatch(r"[A-Z]{2}", state[0]) and re.fullmatch(r"\d{2}", state[1]))
    signed = nz.parse_signed(value)
    assert signed is None or isinstance(signed, dt.date)
    repaired = nz.repair_url(value)
    assert repaired is None or isinstance(repaired, str)
    assert isinstance(nz.looks_like_url(value), bool)


@settings(max_examples=VALUE_EXAMPLES, deadline=None)
@given(
    value=st.one_of(
        any_text,
        st.sampled_from(
            [
                "javascript:alert(1)",
                " JAVASCRIPT:x",
                "data:text/html,x",
                "vbscript:x",
                "file:///etc/passwd",
                "https://ok.example/a b.pdf",
                'http://x/"><script>',
                "https://x/</script>",
                "//evil.example/x",
                "java\tscript:alert(1)",
            ]
        ),
        st.builds(lambda a, b: a + b, st.sampled_from(["https://", "http://", "javascript:", "https:/", ""]), any_text),
    )
)
def test_safe_url_only_ever_returns_plain_http_links(value):
    _count("safe_url: any text")
    for url in (safe_url(value), safe_url(nz.repair_url(value))):
        assert url is None or re.match(r"^https?://[^\s<>\"']+$", url, flags=re.IGNORECASE), url


@settings(max_examples=VALUE_EXAMPLES // 3, deadline=None)
@given(values=st.lists(st.one_of(st.none(), any_text, st.sampled_from(FORMULA_TEXT)), min_size=1, max_size=6))
def test_csv_export_never_starts_a_cell_with_a_formula_character(values):
    _count("export: csv of any text")
    frame = pd.DataFrame({"state": ["TX"] * len(values), "agency": values, "county_name": values})
    data = export.to_csv_bytes(frame).decode("utf-8")
    parsed = pd.read_csv(io.StringIO(data), dtype=str, keep_default_na=False)
    assert len(parsed) == len(values)
    for cell in list(parsed["agency"]) + list(parsed["county_name"]):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@settings(max_examples=VALUE_EXAMPLES // 12, deadline=None)
@given(values=st.lists(st.one_of(st.none(), xml_text, st.sampled_from(FORMULA_TEXT)), min_size=1, max_size=6))
def test_excel_export_never_holds_a_formula(values):
    _count("export: xlsx of any text")
    frame = pd.DataFrame({"state": ["TX"] * len(values), "agency": values})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
