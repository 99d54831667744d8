"""Reading one sheet: one small fixture per quirk seen in ICE's 451 real sheets."""

from __future__ import annotations

import datetime as dt

import pytest
from sheetfactory import PARTICIPATING_6, PARTICIPATING_7, PARTICIPATING_8, PENDING_5, Link, make_sheet, row8

from mapcore.sheets.sheet import SheetError, read_sheet


def test_eight_column_era_reads_every_field(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [row8(addendum=Link("link", "https://www.ice.gov/doclib/287gMOA/addendum.pdf"))],
    )
    result = read_sheet(path)
    assert result.kind == "participating"
    (record,) = result.records
    assert record["state"] == "TX" and record["state_fips"] == "48"
    assert record["agency"] == "Harris County Sheriff's Office"
    assert record["jurisdiction_type"] == "County"
    assert record["county_printed"] == "Harris County"
    assert record["model"] == "JEM"
    assert record["signed"] == dt.date(2025, 3, 1)
    assert record["moa_url"] == "https://www.ice.gov/doclib/287gMOA/example.pdf"
    assert record["addendum_url"] == "https://www.ice.gov/doclib/287gMOA/addendum.pdf"
    assert record["row"] == 2


def test_seven_and_six_column_eras(tmp_path):
    seven = make_sheet(tmp_path / "a" / "participatingAgencies03172025am.xlsx", PARTICIPATING_7, [row8()[:7]])
    six_row = [
        "FLORIDA",
        "Lee County Sheriff's Office",
        "County",
        "Task Force Model",
        dt.datetime(2025, 2, 1),
        Link("link", "https://www.ice.gov/x.pdf"),
    ]
    six = make_sheet(tmp_path / "b" / "participatingAgencies03062025am.xlsx", PARTICIPATING_6, [six_row])
    assert read_sheet(seven).records[0]["county_printed"] == "Harris County"
    assert read_sheet(seven).records[0]["addendum_url"] is None
    record = read_sheet(six).records[0]
    assert (record["state"], record["model"], record["county_printed"]) == ("FL", "TFM", None)


def test_headers_found_by_name_in_any_case_and_spacing_and_order(tmp_path):
    header = [" support  type", "law enforcement agency ", "State", "type", "Signed", "moa"]
    path = make_sheet(
        tmp_path / "participatingAgencies03062025am.xlsx",
        header,
        [["Warrant Service Officer", "Ada County Sheriff", "idaho", "County", dt.datetime(2025, 1, 2), "link pending"]],
    )
    record = read_sheet(path).records[0]
    assert (record["state"], record["model"], record["agency"]) == ("ID", "WSO", "Ada County Sheriff")


def test_padding_columns_and_formatted_blank_rows_are_ignored(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [row8(), row8(model="Task Force Model")],
        padding_columns=5,
        blank_formatted_rows=74,
    )
    result = read_sheet(path)
    assert len(result.records) == 2
    assert not [p for p in result.problems if p.severity == "error"]


def test_values_are_trimmed_including_non_breaking_spaces(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [row8(state="TEXAS ", agency="  Harris County Sheriff's Office\u00a0", jtype="County ", county=" Harris County ")],
    )
    record = read_sheet(path).records[0]
    assert record["agency"] == "Harris County Sheriff's Office"
    assert record["county_printed"] == "Harris County"
    assert record["state"] == "TX"


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("Jail Enforcement Model ", "JEM"),
        ("Jail Enforcment Model ", "JEM"),
        ("Warrant Service Officer ", "WSO"),
        ("Warrant Services Officer", "WSO"),
        ("Warrant Service Office", "WSO"),
        ("Task Force Model ", "TFM"),
        ("Task Force Officer ", "TFM"),
    ],
)
def test_models_normalised_including_ice_typos(tmp_path, printed, expected):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(model=printed)])
    record = read_sheet(path).records[0]
    assert record["model"] == expected
    assert record["model_raw"] == printed.strip()


def test_missing_model_is_a_named_problem_and_the_row_is_kept(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(model=None)])
    result = read_sheet(path)
    assert result.records[0]["model"] is None
    assert any(p.row == 2 and p.column == "SUPPORT TYPE" for p in result.problems)


@pytest.mark.parametrize(
    "printed, expected",
    [
        ("County", "County"),
        ("County ", "County"),
        ("Municipality ", "Municipality"),
        ("Muncipality ", "Municipality"),
        ("Municipal", "Municipality"),
        ("State", "State"),
        ("State Agency", "State"),
        ("#NA", None),
    ],
)
def test_jurisdiction_types_normalised(tmp_path, printed, expected):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(jtype=printed)])
    result = read_sheet(path)
    assert result.records[0]["jurisdiction_type"] == expected
    assert any(p.column == "TYPE" for p in result.problems) == (expected is None)


@pytest.mark.parametrize(
    "printed, postal, fips",
    [
        ("TEXAS", "TX", "48"),
        ("UTAh", "UT", "49"),
        ("AlABAMA", "AL", "01"),
        ("WESt VIRGINIA", "WV", "54"),
        ("New Hampshire", "NH", "33"),
        ("LOUISIANA ", "LA", "22"),
        ("DISTRICT OF COLUMBIA", "DC", "11"),
    ],
)
def test_state_names_in_any_case_to_postal_code_and_fips(tmp_path, printed, postal, fips):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(state=printed)])
    record = read_sheet(path).records[0]
    assert (record["state"], record["state_fips"]) == (postal, fips)


def test_unknown_state_is_kept_and_reported(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(state="UTAHJ")])
    result = read_sheet(path)
    assert result.records[0]["state"] is None
    assert any(p.row == 2 and p.column == "STATE" and "UTAHJ" in p.message for p in result.problems)


@pytest.mark.parametrize(
    "printed, expected",
    [
        (dt.datetime(2025, 5, 8), dt.date(2025, 5, 8)),
        ("05/082025", dt.date(2025, 5, 8)),
        ("7/72025", dt.date(2025, 7, 7)),
        ("8/282025", dt.date(2025, 8, 28)),
        ("8/28/2025", dt.date(2025, 8, 28)),
        (45658, dt.date(2025, 1, 1)),
    ],
)
def test_signed_as_excel_date_or_text(tmp_path, printed, expected):
    path = make_sheet(tmp_path / "participatingAgencies09052025am.xlsx", PARTICIPATING_8, [row8(signed=printed)])
    assert read_sheet(path).records[0]["signed"] == expected


def test_blank_or_garbage_signed_is_reported_with_row_and_column(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies09052025am.xlsx", PARTICIPATING_8, [row8(signed=None), row8(agency="B", signed="soon")]
    )
    result = read_sheet(path)
    assert [r["signed"] for r in result.records] == [None, None]
    assert {(p.row, p.column) for p in result.problems} >= {(2, "SIGNED"), (3, "SIGNED")}


def test_signed_year_typo_5025_is_read_as_2025(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies07092025am.xlsx", PARTICIPATING_8, [row8(signed=dt.datetime(5025, 7, 7))])
    result = read_sheet(path)
    assert result.records[0]["signed"] == dt.date(2025, 7, 7)
    assert result.publication.date == dt.date(2025, 7, 9)
    assert any("5025" in p.message for p in result.problems)


@pytest.mark.parametrize("printed", ["#N/A", "#NA", "N/A", None, "  "])
def test_county_placeholders_are_missing(tmp_path, printed):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(jtype="Municipality", county=printed)])
    assert read_sheet(path).records[0]["county_printed"] is None


def test_county_error_value_is_a_real_excel_error_cell(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(county="#N/A")])
    import openpyxl

    assert openpyxl.load_workbook(path)["Sheet1"]["D2"].data_type == "e"  # the fixture shows the real quirk
    assert read_sheet(path).records[0]["county_printed"] is None


@pytest.mark.parametrize(
    "cell, url, pending",
    [
        (Link("link", "https://www.ice.gov/a.pdf"), "https://www.ice.gov/a.pdf", False),
        ("link pending", None, True),
        ("Link Pending ", None, True),
        ("https://www.ice.gov/raw.pdf", "https://www.ice.gov/raw.pdf", False),
        ("null", None, False),
        ("cons", None, False),
        (Link("link\u00a0|\u00a0addendum", "https://www.ice.gov/b.pdf"), "https://www.ice.gov/b.pdf", False),
        (Link("link", "https:/www.ice.gov/c.pdf"), "https://www.ice.gov/c.pdf", False),
        (Link("link", "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/https:/www.ice.gov/d.pdf"), "https://www.ice.gov/d.pdf", False),
        (Link("link", "javascript:alert(1)"), None, False),
    ],
)
def test_moa_links_keep_the_hyperlink_target_and_recognise_link_pending(tmp_path, cell, url, pending):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(moa=cell)])
    record = read_sheet(path).records[0]
    assert record["moa_url"] == url
    assert record["moa_pending"] is pending


def test_exact_duplicate_rows_counted_once_and_reported(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies08152025am.xlsx", PARTICIPATING_8, [row8(), row8(), row8(model="Task Force Model")])
    result = read_sheet(path)
    assert len(result.records) == 2
    assert result.duplicates_removed == 1
    assert any(p.row == 3 and "duplicate of row 2" in p.message for p in result.problems)


def test_kind_is_decided_by_content_not_file_name(tmp_path):
    swapped_pending = make_sheet(
        tmp_path / "participatingAgencies03172025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    swapped_participating = make_sheet(tmp_path / "pendingAgencies03172025am.xlsx", PARTICIPATING_7, [row8()[:7]])
    assert read_sheet(swapped_pending).kind == "pending"
    assert read_sheet(swapped_participating).kind == "participating"


def test_first_worksheet_is_read_even_with_a_tally_sheet(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies03022026am.xlsx", PARTICIPATING_8, [row8()], sheet_title="Sheet 1", extra_sheets=("Sheet2",)
    )
    assert len(read_sheet(path).records) == 1


def test_rows_missing_state_or_agency_are_reported_not_silently_dropped(tmp_path):
    path = make_sheet(tmp_path / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(), row8(state=None)])
    result = read_sheet(path)
    assert len(result.records) == 1
    assert any(p.row == 3 and p.column == "STATE" and p.severity == "error" for p in result.problems)


def test_missing_required_column_names_file_row_and_column(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies07012025am.xlsx",
        ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SIGNED"],
        [["TEXAS", "X", "County", None]],
    )
    with pytest.raises(SheetError) as error:
        read_sheet(path)
    assert "participatingAgencies07012025am.xlsx" in str(error.value)
    assert "row 1" in str(error.value) and "SUPPORT TYPE" in str(error.value)


def test_not_an_xlsx_gives_a_named_error(tmp_path):
    path = tmp_path / "participatingAgencies07012025am.xlsx"
    path.write_text("<!DOCTYPE html><html><body>Access denied</body></html>")
    with pytest.raises(SheetError, match="participatingAgencies07012025am.xlsx: an HTML page"):
        read_sheet(path)
