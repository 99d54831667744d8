"""The Methodology page counts every misnamed file, tells reclassified
sheets, and speaks in words, not internal names; About's sentence on state laws agrees with its table."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.app import about_text
from mapcore.build import pipeline
from mapcore.sheets.filenames import kind_in_name, name_date_quirk
from mapcore.words import methodology

INTERNAL = {
    "county_column",
    "agency_name",
    "gazetteer",
    "fixes_table",
    "regional_table",
    "name_stamp",
    "year_typo",
    "saved_time",
    "file_time",
}


@pytest.fixture(scope="module")
def misnamed(tmp_path_factory):
    """A clean sheet, a byte-identical copy under a garbled name, a 9-digit name with a stray digit,
    and a pending list saved under a 'participating' name."""
    root = tmp_path_factory.mktemp("misnamed")
    folder = root / "sheets"
    clean = make_sheet(folder / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8()])
    shutil.copy(clean, folder / "participatingAgencies07012052am.xlsx")  # same bytes, garbled name
    make_sheet(
        folder / "participatingAgencies070220253pm.xlsx",
        PARTICIPATING_8,
        [row8(), row8(agency="Waller County Sheriff's Office", county="Waller County")],
    )
    make_sheet(
        folder / "participatingAgencies07032025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    dataset, _ = pipeline.build(folder, cache=root / "cache", workers=1)
    return dataset


def test_every_misnamed_file_is_counted(misnamed):
    quirks = methodology.value_quirks(misnamed.agreements, misnamed.sheets, misnamed.meta["copies"]).set_index("quirk")
    row = next(q for q in quirks.index if "file names" in q)
    assert quirks.at[row, "occurrences"] == 2  # the copy and the stray digit
    listed = methodology.file_name_quirks(misnamed.sheets, misnamed.meta["copies"])
    assert sorted(listed["file"]) == ["participatingAgencies07012052am.xlsx", "participatingAgencies070220253pm.xlsx"]


def test_reclassified_sheet_is_listed(misnamed):
    table = methodology.reclassified_sheets(misnamed.sheets)
    assert list(table["file"]) == ["participatingAgencies07032025am.xlsx"]
    assert (table["name_says"].iloc[0], table["read_as"].iloc[0]) == ("participating", "pending")


def test_name_helpers():
    import datetime as dt

    assert kind_in_name("2025-07-01/pendingAgencies07012025am.xlsx") == "pending"
    assert kind_in_name("list.xlsx") is None
    assert name_date_quirk("participatingAgencies01062025pm.xlsx", dt.date(2026, 1, 6)) == "year_typo"
    assert name_date_quirk("participatingAgencies04302026am.xlsx", dt.date(2026, 4, 30)) is None
    assert name_date_quirk("participatingAgencies-20250221214937.xlsx", dt.date(2025, 2, 21)) is None
    assert name_date_quirk("participatingAgencies.xlsx", dt.date(2025, 2, 21)) == "no_date"


def test_methodology_tables_show_words_not_internal_names(misnamed):
    rows = misnamed.agreements
    shown = set(methodology.placement_methods(rows)["method"]) | set(methodology.date_methods(misnamed.sheets)["method"])
    shown |= set(methodology.placement_rules()["method"])
    assert not shown & INTERNAL, shown & INTERNAL
    assert "County printed by ICE" in shown


def laws_with(none: int) -> pd.DataFrame:
    statuses = ["none"] * none + ["prohibits"] * 5 + ["mandates"] * 7 + ["requires_cooperation"] * (51 - none - 12)
    return pd.DataFrame(
        {
            "state": [f"S{i:02d}" for i in range(51)],
            "status": statuses,
            "scope": ["" if s == "none" else "local" for s in statuses],
            "confidence": "high",
        }
    )


def test_about_sentence_agrees_with_the_law_table():
    """The sentence is computed from the table it introduces: never "most have no law" when 6 of 51 have none."""
    few = about_text.law_landscape(laws_with(6))
    assert re.search(r"\b6 have no (state )?law either way", few) and "most" not in few
    assert "5 forbid" in few and "7 require" in few
    assert re.search(r"\b30 have no (state )?law either way", about_text.law_landscape(laws_with(30)))


def test_file_name_date_not_used_is_its_own_quirk():
    name, handling = methodology.classify_problem(
        "publication date 2025-09-02 taken from the workbook's save time (the name has no usable date, or contradicts "
        "the SIGNED dates), not read as printed in the file name"
    )
    assert name.startswith("File name's date not used") and "save time" in handling


def test_the_cli_and_the_page_give_the_same_reason_for_a_reclassified_sheet():
    """mapcore validate prints the English of sheets.filenames; the page shows words.methodology's, translated."""
    from mapcore.sheets.filenames import CONTENT_RULE

    assert methodology.CONTENT_RULE == CONTENT_RULE


def test_every_code_the_facts_can_give_has_its_words():
    from mapcore.analysis import methodology as facts
    from mapcore.sheets.filenames import NAME_DATE_QUIRKS

    assert set(methodology.PROBLEM_WORDS) == {kind for _pattern, kind in facts.PROBLEM_PATTERNS} | {facts.OTHER}
    assert set(methodology.VALUE_QUIRK_WORDS) == set(facts.VALUE_QUIRKS)
    assert set(methodology.PLACEMENT_LABELS) == set(methodology.PLACEMENT_RULES) == set(facts.PLACEMENT_ORDER)
    assert set(methodology.ORI_LABELS) == set(methodology.ORI_RULES) == set(facts.ORI_ORDER)
    assert set(methodology.DATE_LABELS) == set(methodology.DATE_METHODS) == set(facts.DATE_ORDER)
    assert set(methodology.NAME_QUIRKS) == set(NAME_DATE_QUIRKS)
