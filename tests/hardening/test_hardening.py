"""Hardening: hostile and broken input, escaping, safe exports, no half-written data.

Complements test_sheet / test_dataset / test_cli (which cover one case of each): here every kind of
broken file is run through the reader, ``mapcore validate`` and ``mapcore build``; text from a sheet
is followed into maps, tables and exports; and builds and fetches are interrupted for real.
The real-browser check is in test_hardening_browser.py, the hypothesis properties in test_properties.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, Link, make_sheet, row8, write_big_sheet

from mapcore.analysis import query
from mapcore.app import page_parts
from mapcore.build import pipeline, store
from mapcore.cli.main import main
from mapcore.render import export, maps
from mapcore.sheets import sheet
from mapcore.sheets.sheet import SheetError, read_sheet

REPO = Path(__file__).resolve().parents[2]
GOOD_NAME = "participatingAgencies07012025am.xlsx"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
SVG = '"><svg onload=alert(1)>'
BREAKOUT = "</script><script>alert(1)</script>"
HOSTILE = (IMG, SCRIPT, SVG, BREAKOUT)


def _good_bytes(tmp_path: Path) -> bytes:
    return make_sheet(tmp_path / "_good" / GOOD_NAME, PARTICIPATING_8, [row8(), row8(model="Task Force Model")]).read_bytes()


def _empty_workbook(path: Path) -> None:
    openpyxl.Workbook().save(path)


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a workbook")


# Each broken file: how to make it, and words the error must contain (besides the file name).
BROKEN = {
    "text": (lambda p, good: p.write_text("STATE,LAW ENFORCEMENT AGENCY\nTEXAS,Harris\n"), "not a zip"),
    "html_page": (lambda p, good: p.write_text("<!DOCTYPE html><html><body>Access Denied</body></html>"), "HTML page"),
    "html_page_with_bom_and_space": (lambda p, good: p.write_bytes(b"\n  <html><head></head></html>"), "HTML page"),
    "zero_bytes": (lambda p, good: p.write_bytes(b""), "not a zip"),
    "truncated_xlsx": (lambda p, good: p.write_bytes(good[: len(good) // 2]), "xlsx"),
    "truncated_xlsx_tail": (lambda p, good: p.write_bytes(good[:-30]), "xlsx"),
    "random_bytes_starting_pk": (lambda p, good: p.write_bytes(b"PK\x03\x04" + os.urandom(4096)), "xlsx"),
    "zip_without_workbook": (lambda p, good: _zip_without_workbook(p), "corrupt"),
    "empty_workbook": (lambda p, good: _empty_workbook(p), "empty"),
    "no_header_row": (lambda p, good: make_sheet(p, ["Name", "Place"], [["TEXAS", "Harris County Sheriff's Office"]]), "no header row"),
    "header_below_search_window": (lambda p, good: make_sheet(p, ["note"], [[None]] * 12 + [PARTICIPATING_8, row8()]), "no header row"),
    "required_columns_missing": (
        lambda p, good: make_sheet(p, ["STATE", "LAW ENFORCEMENT AGENCY"], [["TEXAS", "X"]]),
        "required column missing: TYPE, SUPPORT TYPE",
    ),
}


@pytest.fixture
def good_bytes(tmp_path) -> bytes:
    return _good_bytes(tmp_path)


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_file_is_a_named_sheet_error(kind, tmp_path, good_bytes):
    make, words = BROKEN[kind]
    path = tmp_path / f"broken-{kind}.xlsx"
    make(path, good_bytes)
    with pytest.raises(SheetError) as error:
        read_sheet(path)
    message = str(error.value)
    assert message.startswith(path.name), message
    assert error.value.file == path.name
    assert words.lower() in message.lower(), message
    assert "\n" not in message


def test_missing_columns_error_names_the_header_row_and_first_missing_column(tmp_path, good_bytes):
    path = tmp_path / "cols.xlsx"
    BROKEN["required_columns_missing"][0](path, good_bytes)
    with pytest.raises(SheetError) as error:
        read_sheet(path)
    assert (error.value.row, error.value.column) == (1, "TYPE")
    assert "cols.xlsx, row 1, column TYPE" in str(error.value)


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_cli_validate_exits_2_naming_the_file(kind, tmp_path, good_bytes, capsys):
    path = tmp_path / f"broken-{kind}.xlsx"
    BROKEN[kind][0](path, good_bytes)
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert path.name in captured.err and len(captured.err.strip().splitlines()) == 1
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_cli_build_exits_2_naming_the_file_and_keeps_the_previous_dataset(kind, tmp_path, good_bytes, capsys, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MAPCORE_CACHE", str(cache))
    source = tmp_path / "sheets"
    source.mkdir()
    (source / GOOD_NAME).write_bytes(good_bytes)
    assert main(["build", "--source", str(source), "--quiet"]) == 0
    good = store.load(cache=cache)
    bad = source / "sub" / f"participatingAgencies07022025am-{kind}.xlsx"
    bad.parent.mkdir()
    BROKEN[kind][0](bad, good_bytes)
    capsys.readouterr()
    assert main(["build", "--source", str(source), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"sub/{bad.name}" in err and "previous dataset kept" in err
    assert store.load(cache=cache).key == good.key
    assert json.loads((cache / "current.json").read_text())["dataset"] == good.path.name
    # --skip-bad builds from the readable sheets and records the unreadable one by name.
    assert main(["build", "--source", str(source), "--quiet", "--skip-bad"]) == 0
    skipped = store.load(cache=cache)
    assert len(skipped.agreements) == len(good.agreements)
    assert any(f"sub/{bad.name}" in u for u in skipped.meta["unreadable"])
    assert skipped.problems["file"].eq(f"sub/{bad.name}").any()


def test_a_directory_named_like_a_sheet_and_a_lock_file_are_not_read(tmp_path, good_bytes):
    source = tmp_path / "sheets"
    (source / "folder.xlsx").mkdir(parents=True)
    (source / "~$participatingAgencies07012025am.xlsx").write_bytes(b"lock")
    (source / GOOD_NAME).write_bytes(good_bytes)
    dataset, _ = pipeline.build(source, cache=tmp_path / "cache", workers=1)
    assert dataset.meta["unreadable"] == [] and len(dataset.agreements) == 2


def test_validate_of_a_missing_file_exits_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.xlsx")]) == 2
    assert "nope.xlsx" in capsys.readouterr().err


def test_extra_columns_are_accepted_with_a_note_naming_them(tmp_path):
    header = PARTICIPATING_8[:4] + ["NOTES"] + PARTICIPATING_8[4:] + ["<b>Comment</b>"]
    row = row8()
    path = make_sheet(tmp_path / GOOD_NAME, header, [row[:4] + ["internal note"] + row[4:] + ["x"]])
    result = read_sheet(path)
    assert len(result.records) == 1 and result.records[0]["model"] == "JEM"
    notes = {(p.file, p.row, p.column) for p in result.problems if "extra column" in p.message}
    assert notes == {(GOOD_NAME, 1, "NOTES"), (GOOD_NAME, 1, "<B>COMMENT</B>")}
    assert all(p.severity == "warning" for p in result.problems)


@pytest.mark.slow  # writes and reads a 100,000-row workbook
def test_100000_rows_are_all_read(tmp_path):
    """Every row of a very large sheet is read (how long it takes is measured by `make bench`)."""
    path = tmp_path / GOOD_NAME
    write_big_sheet(path, 100_000)
    result = read_sheet(path)
    assert len(result.records) == 100_000
    assert result.records[-1]["row"] == 100_001 and result.records[-1]["agency"] == "Agency 99999"
    assert not [p for p in result.problems if p.severity == "error"]


def test_more_rows_than_the_limit_is_a_named_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sheet, "MAX_ROWS", 500)
    path = tmp_path / GOOD_NAME
    write_big_sheet(path, 600)
    with pytest.raises(SheetError, match=rf"^{re.escape(GOOD_NAME)}: 601 rows is more than the 500"):
        read_sheet(path)


def test_a_single_cell_at_the_last_excel_row_is_rejected(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(PARTICIPATING_8)
    book.active.cell(row=1_048_576, column=1, value="TEXAS")
    path = tmp_path / GOOD_NAME
    book.save(path)
    with pytest.raises(SheetError, match="1,048,576 rows"):
        read_sheet(path)  # how fast: `make bench` (bench/run.py read)


def test_signed_after_the_publication_date_is_a_named_problem_and_the_row_is_kept(tmp_path):
    future = dt.datetime.now() + dt.timedelta(days=400)
    path = make_sheet(tmp_path / GOOD_NAME, PARTICIPATING_8, [row8(), row8(agency="Future Sheriff", signed=future)])
    result = read_sheet(path)
    assert [r["agency"] for r in result.records] == ["Harris County Sheriff's Office", "Future Sheriff"]
    flagged = [p for p in result.problems if p.column == "SIGNED" and "after the publication date" in p.message]
    assert [(p.file, p.row) for p in flagged] == [(GOOD_NAME, 3)]
    assert str(future.date()) in flagged[0].message
    assert str(flagged[0]).startswith(f"{GOOD_NAME}, row 3, column SIGNED:")


def test_future_signed_date_shows_in_validate_output(tmp_path, capsys):
    path = make_sheet(tmp_path / GOOD_NAME, PARTICIPATING_8, [row8(signed=dt.datetime(2099, 1, 1))])
    assert main(["validate", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert any(p["row"] == 2 and p["column"] == "SIGNED" and "2099-01-01" in p["message"] for p in report["problems"])


@pytest.mark.parametrize("state", ["Atlantis", "ZZ", "New Texas", "Texas Texas", IMG])
def test_a_state_that_does_not_exist_is_named_kept_and_unplaced(state, tmp_path):
    source = tmp_path / "sheets"
    make_sheet(source / GOOD_NAME, PARTICIPATING_8, [row8(), row8(state=state, agency="Nowhere Sheriff")])
    result = read_sheet(source / GOOD_NAME)
    (problem,) = [p for p in result.problems if p.column == "STATE"]
    assert (problem.file, problem.row) == (GOOD_NAME, 3) and state in problem.message
    dataset, _ = pipeline.build(source, cache=tmp_path / "cache", workers=1)
    row = dataset.agreements.set_index("agency").loc["Nowhere Sheriff"]
    assert pd.isna(row["state"]) and row["state_raw"] == state
    assert pd.isna(row["county_fips"]) and isinstance(row["unplaced_reason"], str)
    assert dataset.problems["column"].eq("STATE").any()


# --------------------------------------------------------------------------- the app: last good data stays


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    source, cache = tmp_path / "sheets", tmp_path / "cache"
    make_sheet(
        source / GOOD_NAME,
        PARTICIPATING_8,
        [
            row8(),
            row8(agency="Baytown Police Department", jtype="Municipality", county="#N/A", model="Task Force Model"),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
        ],
    )
    monkeypatch.setenv("MAPCORE_SOURCE", str(source))
    monkeypatch.setenv("MAPCORE_CACHE", str(cache))
    monkeypatch.setenv("MAPCORE_TODAY", "2025-07-09")  # a week after the sheet: the data's age is no warning
    import streamlit as st

    st.cache_resource.clear()
    yield source, cache
    st.cache_resource.clear()


def _agencies_shown(at) -> list[str]:
    return sorted(at.dataframe[0].value["Agency"].astype(str))


@pytest.mark.slow  # many seconds alone: make test runs it, make test-fast skips it
def test_app_keeps_showing_the_last_good_dataset_with_a_warning_naming_the_bad_file(app_env):
    from streamlit.testing.v1 import AppTest

    from mapcore.build import refresh

    source, cache = app_env
    at = AppTest.from_file(str(REPO / "pages" / "1_Explore.py"), default_timeout=120).run()
    assert not at.exception
    assert not at.warning and not at.error
    before = _agencies_shown(at)
    assert before == ["Baytown Police Department", "Harris County Sheriff's Office", "Lee County Sheriff's Office"]
    good_key = store.load(cache=cache).key

    bad = source / "participatingAgencies07022025am.xlsx"
    bad.write_bytes(_good_bytes(source.parent)[:700])  # a truncated download
    refresh.refresh()  # the refresher's next run (in the background in a server): it fails, the last good data stays
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")  # the markdown as sent, escapes dropped
    assert "participatingAgencies07022025am.xlsx" in warnings and "last good dataset" in warnings, warnings
    assert not at.error
    assert _agencies_shown(at) == before
    assert store.load(cache=cache).key == good_key


def test_app_with_no_dataset_at_all_shows_an_error_naming_the_file(app_env):
    from streamlit.testing.v1 import AppTest

    source, _ = app_env
    (source / GOOD_NAME).write_text("<html>Access denied</html>")
    at = AppTest.from_file(str(REPO / "pages" / "1_Explore.py"), default_timeout=120).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert GOOD_NAME in errors and "HTML page" in errors
    assert len(at.dataframe) == 0


# --------------------------------------------------------------------------- hostile text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A dataset whose agency names, county text and links are hostile."""
    root = tmp_path_factory.mktemp("hostile")
    source = root / "sheets"
    make_sheet(
        source / GOOD_NAME,
        PARTICIPATING_8,
        [
            row8(agency=IMG, moa=Link("link", "javascript:alert(1)")),
            row8(agency=SCRIPT, model="Task Force Model", moa="javascript:alert(document.cookie)"),
            row8(agency=BREAKOUT, model="Warrant Service Officer", moa=Link("link", "JaVaScRiPt:alert(1)")),
            row8(
                state="TEXAS",
                agency="Dallas County Sheriff's Office",
                county="Dallas County",
                moa=Link("link", "data:text/html,<script>alert(1)</script>"),
            ),
            row8(
                state="TEXAS",
                agency="Travis County Sheriff's Office",
                county="Travis County",
                moa=Link("link", 'https://x.example/a.pdf"><script>alert(1)</script>'),
            ),
            row8(
                state="TEXAS",
                agency="Bexar County Sheriff's Office",
                county="Bexar County",
                moa=Link("link", " vbscript:msgbox(1)"),
                addendum=Link("x", "file:///etc/passwd"),
            ),
            row8(state="FLORIDA", agency=SVG, jtype="State", county="#N/A", model="Task Force Model"),
            row8(state="FLORIDA", agency="[click](javascript:alert(1))", jtype="State", county="#N/A", model="Task Force Model"),
            row8(state="FLORIDA", agency='=HYPERLINK("http://evil.example","x")', county="Lee County", model="Task Force Model"),
            row8(state="FLORIDA", agency="+1-555 Sheriff", county="Collier County", model="Task Force Model"),
            row8(state="FLORIDA", agency="-2+3 Police", county="Orange County", jtype="County"),
            row8(state="FLORIDA", agency="@SUM(A1:A2)", county="Polk County"),
            row8(state="FLORIDA", agency="\tcmd|' /C calc'!A0", county="Pasco County"),
            row8(state="FLORIDA", agency=" \r=1+1 Sheriff", county="Duval County"),
            row8(state="TEXAS", agency="El Paso County Sheriff's Office", county=IMG),
        ],
    )
    make_sheet(
        source / "pendingAgencies07012025am.xlsx",
        PENDING_5,
        [["TEXAS", SCRIPT + " PD", "Municipality", "Harris County", "Task Force Model"]],
    )
    dataset, _ = pipeline.build(source, cache=root / "cache", workers=1)
    return dataset


def _latest(dataset, kind="participating"):
    return query.publication_rows(dataset.agreements, query.latest_publication_id(dataset.sheets, kind))


def test_hostile_text_is_kept_verbatim_as_data(hostile):
    agencies = set(hostile.agreements["agency"])
    assert {IMG, SCRIPT, SVG, BREAKOUT} <= agencies
    row = hostile.agreements.set_index("agency").loc[IMG]
    assert row["county_fips"] == "48201"  # placed by its (clean) county column


def test_links_are_only_ever_http_or_https(hostile):
    for column in ("moa_url", "addendum_url"):
        for url in hostile.agreements[column].dropna():
            assert re.match(r"^https?://[^\s<>\"']+$", url), url
    by_agency = hostile.agreements.set_index("agency")
    for agency in (
        IMG,
        SCRIPT,
        BREAKOUT,
        "Dallas County Sheriff's Office",
        "Travis County Sheriff's Office",
        "Bexar County Sheriff's Office",
    ):
        assert pd.isna(by_agency.loc[agency, "moa_url"]), agency
    assert pd.isna(by_agency.loc["Bexar County Sheriff's Office", "addendum_url"])
    dropped = hostile.problems[hostile.problems["message"].str.contains("dropped: only http")]
    assert len(dropped) >= 6 and dropped["column"].isin(["MOA", "ADDENDUM"]).all() and dropped["row"].notna().all()
    table = page_parts.display_table(hostile.agreements)
    assert not table["MOA"].dropna().str.contains("script", case=False).any()
    assert not table["Addendum"].dropna().str.contains("file:", case=False).any()


def _script_tags(html_text: str) -> int:
    return len(re.findall(r"</script\s*>", html_text, flags=re.IGNORECASE))


def _all_text(spec) -> str:
    """Every string a map spec sends to the browser, joined."""
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(spec.args)
    return "\n".join(out)


def test_county_map_sends_names_as_json_text_only(hostile):
    """Names travel as JSON string values (never as markup or script): exactly as ICE printed them,
    parsed back unchanged, and the geometry files never hold them."""
    rows = _latest(hostile)
    statewide = rows[rows["level"].astype("object") == "statewide"]
    pending = _latest(hostile, "pending")
    for only in ((), ("TX", "FL")):
        spec = maps.county_map(query.county_summary(rows), statewide=statewide, pending=pending, only_states=only)
        assert json.loads(spec.to_json()) == spec.args
        harris = spec.args["areas"]["values"]["48201"]
        assert IMG in harris[2] and SCRIPT in harris[2]
        for geometry in spec.files:
            assert "<img" not in geometry.text and "<script" not in geometry.text.lower()


def test_state_map_sends_statewide_agency_names_as_text(hostile):
    spec = maps.state_map(query.state_summary(_latest(hostile)))
    assert SVG in spec.args["areas"]["values"]["FL"][2]
    assert json.loads(spec.to_json()) == spec.args


MAPVIEW_JS = Path(maps.__file__).parent / "web" / "mapview.js"


def test_the_map_view_never_parses_spec_text_as_html():
    """The browser side puts text in the page with textContent only: no innerHTML written, no
    insertAdjacentHTML, document.write, eval or Function; tooltips are built as DOM nodes."""
    code = MAPVIEW_JS.read_text()
    assert not re.search(r"innerHTML\s*[+]?=", code)
    assert not re.search(r"outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(\s*[\"']", code)
    assert re.findall(r"\.innerHTML", code) == [".innerHTML"]  # one read: the escaped attribution text
    assert "textContent = String(text)" in code
    assert re.search(r"divIcon\(\{[^}]*html: el\(", code)  # the diamond icon is an element, not a string


TEMPLATE_LITERAL = "`${alert(1)}` \\u{zz} ${alert(2)}"


def test_standalone_export_cannot_be_broken_out_of():
    """The self-contained HTML holds the spec as JSON inside <script type=application/json>: a name
    with '</script>', '<!--', a backtick or ${...} cannot end that element or run."""
    from mapcore.render import webmap

    def page(names: list[str]) -> tuple[str, maps.MapSpec]:
        frame = pd.DataFrame(
            {
                "state": ["TX"] * len(names),
                "agency": names,
                "model": ["JEM"] * len(names),
                "county_fips": ["48201"] * len(names),
                "level": ["county"] * len(names),
            }
        )
        spec = maps.county_map(query.county_summary(frame), statewide=frame.assign(level="statewide"), pending=frame, only_states=("TX",))
        return webmap.standalone_html(spec, title=names[0]), spec

    dirty, spec = page([BREAKOUT + IMG, "<!--", TEMPLATE_LITERAL, "\u2028 line"])
    clean, _ = page(["plain"])
    assert _script_tags(dirty) == _script_tags(clean)
    assert "<img" not in dirty and "<!--" not in dirty
    body = re.search(r'<script type="application/json" id="mapcore-spec">(.*?)</script>', dirty, re.S).group(1)
    assert json.loads(body) == spec.args
    assert BREAKOUT + IMG in _all_text(spec) and TEMPLATE_LITERAL in _all_text(spec)


def test_statewide_and_pending_markers_carry_names_as_text():
    frame = pd.DataFrame(
        {
            "state": ["TX"] * 3,
            "agency": [IMG, SCRIPT, TEMPLATE_LITERAL],
            "model": ["JEM"] * 3,
            "county_fips": ["48201"] * 3,
            "level": ["statewide"] * 3,
        }
    )
    spec = maps.county_map(query.county_summary(frame.iloc[0:0]), statewide=frame, pending=frame, only_states=("TX",))
    (diamond,) = spec.args["markers"]["statewide"]
    (circle,) = spec.args["markers"]["pending"]
    for marker in (diamond, circle):
        assert {f"{IMG} (JEM)", f"{SCRIPT} (JEM)", f"{TEMPLATE_LITERAL} (JEM)"} <= set(marker[3:])


def test_display_table_keeps_hostile_text_as_plain_text(hostile):
    table = page_parts.display_table(hostile.agreements)
    assert {IMG, SCRIPT, SVG, BREAKOUT} <= set(table["Agency"])  # unchanged: st.dataframe renders text, not HTML
    assert table["Agency"].map(type).eq(str).all()


# --------------------------------------------------------------------------- exports


DANGEROUS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://evil","x")']


def _export_frame(values: list[str]) -> pd.DataFrame:
    n = len(values)
    return pd.DataFrame(
        {
            "state": ["TX"] * n,
            "agency": values,
            "jurisdiction_type": ["County"] * n,
            "model": ["JEM"] * n,
            "signed": pd.to_datetime(["2025-03-01"] * n),
            "county_fips": ["48201"] * n,
            "county_name": values,
            "level": ["county"] * n,
            "placed_by": ["county_column"] * n,
            "moa_url": ["https://www.ice.gov/a.pdf"] * n,
            "addendum_url": [None] * n,
            "kind": ["participating"] * n,
            "publication_date": pd.to_datetime(["2025-07-01"] * n),
            "law_status": ["mandates"] * n,
            "unplaced_reason": values,
        }
    )


def test_csv_export_neutralises_formula_cells():
    import csv

    frame = _export_frame(DANGEROUS + ["plain", IMG, "a=b", "-"])
    rows = list(csv.DictReader(io.StringIO(export.to_csv_bytes(frame).decode("utf-8"), newline="")))
    for row, value in zip(rows, DANGEROUS):
        for column in ("agency", "county_name", "unplaced_reason"):
            assert row[column] == "'" + value, (column, row[column])
    assert [r["agency"] for r in rows[len(DANGEROUS) :]] == ["plain", IMG, "a=b", "'-"]
    assert all(not r["agency"].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows)


def test_csv_export_cannot_be_split_into_a_new_formula_row():
    """A line break inside a value stays inside its quoted field: no new row starting with '='."""
    import csv

    values = ['Harris\r=HYPERLINK("http://evil")', "Lee\n=1+1", "Polk\r\n@SUM(A1)"]
    data = export.to_csv_bytes(_export_frame(values))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(values)
    header = rows[0]
    assert [r[header.index("agency")] for r in rows[1:]] == values
    for line in re.split(rb"\r\n(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", data):  # physical rows outside quotes
        assert not line.startswith((b"=", b"+", b"-", b"@"))
    parsed = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert list(parsed["agency"]) == values


def test_excel_export_has_no_formula_cells_and_keeps_text():
    frame = _export_frame(DANGEROUS + ["plain", IMG])
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel_bytes(frame)))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in next(book.active.iter_rows())]
    agency = header.index("agency") + 1
    values = [book.active.cell(row=r, column=agency).value for r in range(2, len(frame) + 2)]
    # XML parsing turns a raw "\r" into "\n" (openpyxl writes it unescaped): the text is otherwise kept.
    assert values == ["'" + v.replace("\r", "\n") for v in DANGEROUS] + ["plain", IMG]


def test_the_excel_check_would_see_a_formula():
    """The test above is meaningful: without neutralising, openpyxl writes '=1+1' as a formula."""
    buffer = io.BytesIO()
    pd.DataFrame({"a": ["=1+1"]}).to_excel(buffer, index=False)
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A2"].data_type == "f"


def test_geojson_properties_keep_text_as_text(hostile):
    rows = _latest(hostile)
    data = json.loads(export.to_geojson_bytes(rows, counties=None))
    names = {f["properties"]["agency"] for f in data["features"]}
    assert {IMG, SCRIPT, SVG, BREAKOUT} <= names
    for feature in data["features"]:
        for value in feature["properties"].values():
            assert value is None or isinstance(value, (str, int, float, bool))


def test_write_export_is_atomic_when_the_rename_fails(tmp_path, monkeypatch):
    out = tmp_path / "exports" / "agreements.csv"
    export.write_export(_export_frame(["old"]), out, "csv")
    before = out.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        export.write_export(_export_frame(["new"] * 50), out, "csv")
    monkeypatch.undo()
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["agreements.csv"]


# --------------------------------------------------------------------------- interrupted writes


def _copies_with_distinct_bytes(template: bytes, folder: Path, count: int) -> list[Path]:
    """Copies of one sheet that differ in bytes (zip comment), so the build reads each of them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    start = dt.date(2025, 7, 2)
    for i in range(count):
        day = start + dt.timedelta(days=i)
        path = folder / f"participatingAgencies{day:%m%d%Y}am.xlsx"
        path.write_bytes(template)
        with zipfile.ZipFile(path, "a") as archive:
            archive.comment = f"copy {i}".encode()
        paths.append(path)
    return paths


def test_a_build_killed_half_way_leaves_the_previous_dataset_in_use(tmp_path):
    source, cache = tmp_path / "sheets", tmp_path / "cache"
    make_sheet(source / GOOD_NAME, PARTICIPATING_8, [row8(), row8(model="Task Force Model")])
    previous, _ = pipeline.build(source, cache=cache, workers=1)

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Sheet1")
    ws.append(PARTICIPATING_8)
    for i in range(2000):
        ws.append(["TEXAS", f"Agency {i}", "County", "Harris County", "Jail Enforcement Model", dt.datetime(2025, 3, 1), "link", None])
    buffer = io.BytesIO()
    book.save(buffer)
    _copies_with_distinct_bytes(buffer.getvalue(), source / "more", 60)

    env = {**os.environ, "MAPCORE_CACHE": str(cache), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "mapcore.cli.main", "build", "--source", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    watchdog = threading.Timer(60, lambda: os.killpg(process.pid, signal.SIGKILL))
    watchdog.start()
    try:
        first = process.stderr.readline()  # the first progress line: the build is reading sheets
        assert first.startswith("reading sheets"), first
        assert process.poll() is None, "the build finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)  # the build and its worker processes, at once
        process.wait(10)
    finally:
        watchdog.cancel()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    pointer = json.loads((cache / "current.json").read_text())
    assert pointer["dataset"] == previous.path.name
    loaded = store.load(cache=cache)
    assert loaded.key == previous.key
    pd.testing.assert_frame_equal(loaded.agreements, previous.agreements)
    for folder in cache.glob("dataset-*"):  # every visible dataset folder is complete
        assert {p.name for p in folder.iterdir()} >= {"meta.json", "agreements.parquet", "problems.parquet", "sheets.parquet"}
    assert not pointer["dataset"].startswith(".")  # never a staging folder
    print(f"\nkilled build left {sum(p.name.startswith('.dataset-') for p in cache.iterdir())} staging folder(s) unpointed-to")


def _sheet_bytes(agency: str) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(PARTICIPATING_8[:7])
    book.active.append(["TEXAS", agency, "County", "Harris County", "Jail Enforcement Model", dt.datetime(2025, 3, 1), "link"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Response:
    def __init__(self, body: bytes, content_type: str, url: str):
        self.body, self.url = body, url
        self.headers = {"Content-Type": content_type}

    def read(self, limit=-1):  # a stream, as urllib's response is: each read goes on from the last
        limit = len(self.body) if limit < 0 else limit
        chunk, self.body = self.body[:limit], self.body[limit:]
        return chunk

    def geturl(self):
        return self.url

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Opener:
    """Serves a fake ICE page linking one sheet (no network)."""

    def __init__(self, sheet: bytes):
        self.sheet = sheet

    def open(self, request, timeout=None):
        url = request.full_url
        if url.endswith(".xlsx"):
            return _Response(self.sheet, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", url)
        page = b'<html><a href="/doclib/participatingAgencies04302026am.xlsx">Participating</a></html>'
        return _Response(page, "text/html; charset=utf-8", url)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".archive.lock"}


def test_an_interrupted_fetch_leaves_no_partial_sheet_and_the_index_unchanged(tmp_path, monkeypatch):
    from mapcore.sheets import fetch

    archive = tmp_path / "archive"
    page = "https://www.ice.gov/identify-and-arrest/287g"
    first = fetch.fetch(page, archive, opener=_Opener(_sheet_bytes("First Sheriff")), now=dt.datetime(2026, 4, 30, 12, 0))
    assert len(first.stored) == 1
    before = _tree(archive)

    def fail(*args, **kwargs):
        raise OSError("interrupted")

    monkeypatch.setattr("os.replace", fail)  # every atomic write in the fetch goes through os.replace
    interrupted = fetch.fetch(page, archive, opener=_Opener(_sheet_bytes("Second Sheriff")), now=dt.datetime(2026, 5, 1, 12, 0))
    monkeypatch.undo()
    assert [f.reason for f in interrupted.failures] == ["could not be stored (interrupted)"] and not interrupted.stored
    assert _tree(archive) == before  # no new sheet, no temp file, same index and last_fetch note
    assert not [p for p in archive.rglob("*") if p.name.endswith((".part", ".tmp"))]
    day = archive / "2026-05-01"
    assert not day.exists() or not any(day.iterdir())
    again = fetch.fetch(page, archive, opener=_Opener(_sheet_bytes("Second Sheriff")), now=dt.datetime(2026, 5, 1, 12, 0))
    assert len(again.stored) == 1 and len(fetch.read_index(archive)) == 2


def test_an_interrupted_pointer_write_keeps_the_old_pointer(tmp_path, monkeypatch):
    from mapcore.core import atomic

    source, cache = tmp_path / "sheets", tmp_path / "cache"
    make_sheet(source / GOOD_NAME, PARTICIPATING_8, [row8()])
    good, _ = pipeline.build(source, cache=cache, workers=1)
    make_sheet(source / "participatingAgencies07022025am.xlsx", PARTICIPATING_8, [row8(agency="New")])
    real_replace = os.replace

    def fail_on_pointer(src, dst, *args, **kwargs):
        if str(dst).endswith(store.POINTER):
            raise OSError("killed")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "replace", fail_on_pointer)
    with pytest.raises(OSError):
        pipeline.build(source, cache=cache, workers=1)
    monkeypatch.undo()
    assert store.load(cache=cache).key == good.key
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]
