"""One writer for every download (mapcore.core.tables): CRLF rows, formula guard, XML-illegal characters.

Why: the Timeline and Law vs practice downloads once had their own writers without these
fixes (a CR split a CSV row; a \\x01 in an agency name raised IllegalCharacterError and broke the page).
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapcore.analysis import history
from mapcore.core import tables
from mapcore.words import compliance as compliance_words

NASTY = ["Carriage\rReturn PD", "Control\x01Char Sheriff", '=HYPERLINK("x")', "Line\nBreak Office", "plain"]


def _rows(frame_bytes: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(frame_bytes.decode("utf-8"), newline="")))


def test_a_carriage_return_inside_a_value_does_not_split_the_row():
    table = pd.DataFrame({"agency": NASTY, "n": range(len(NASTY))})
    rows = _rows(tables.table_bytes(table, "csv"))
    assert len(rows) == 1 + len(NASTY)
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(NASTY))]


def test_excel_drops_characters_xml_cannot_hold_and_keeps_the_rest():
    table = pd.DataFrame({"agency": NASTY})
    book = openpyxl.load_workbook(io.BytesIO(tables.table_bytes(table, "xlsx")))
    values = [c.value for c in book.active["A"][1:]]
    assert values[1] == "ControlChar Sheriff"
    assert values[2].startswith("'=")  # formula guard
    assert all(c.data_type == "s" for c in book.active["A"][1:])


@pytest.mark.parametrize("make", ["diff", "pending", "presence"])
def test_history_and_compliance_tables_go_through_the_same_writer(make):
    """The tables the Timeline and Law vs practice pages offer, with hostile names, write both formats."""
    if make == "diff":
        table = history.export_table(
            pd.DataFrame({"agency": NASTY, "state": "TX", "change": "added", "signed": pd.Timestamp("2025-01-01")}), history.DIFF_EXTRA
        )
    elif make == "pending":
        table = history.export_table(
            pd.DataFrame({"agency": NASTY, "state": "TX", "first_pending": pd.Timestamp("2025-01-01")}), history.PENDING_EXTRA
        )
    else:
        relations = list(compliance_words.RELATIONS.values())
        table = pd.DataFrame({"Agency": NASTY, "Relation to the law": (relations * len(NASTY))[: len(NASTY)]})
    rows = _rows(tables.table_bytes(table, "csv"))
    assert len(rows) == 1 + len(NASTY)
    assert tables.table_bytes(table, "xlsx")[:2] == b"PK"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown format"):
        tables.table_bytes(pd.DataFrame({"a": [1]}), "pdf")


@settings(deadline=None)  # a loaded 2-core machine: timing is make bench's job
@given(st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_any_text_round_trips_through_csv_row_for_row(values):
    rows = _rows(tables.table_bytes(pd.DataFrame({"v": values}), "csv"))
    assert len(rows) == 1 + len(values)
    for written, original in zip((r[0] for r in rows[1:]), values):
        expected = tables.neutralise(original) or ""
        assert written == expected
