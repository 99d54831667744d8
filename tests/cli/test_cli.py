"""The mapcore command line: names, exit codes and JSON keys that scripts rely on."""

from __future__ import annotations

import csv
import json

import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.cli.main import main


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sheets"
    make_sheet(folder / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8(agency="Old Sheriff")])
    make_sheet(
        folder / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(model="Task Force Model", agency='=HYPERLINK("http://evil")'),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
            row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
            row8(state="TEXAS", agency="Nowhere Town Police Department", jtype="Municipality", county="#N/A", model="Task Force Model"),
        ],
    )
    make_sheet(
        folder / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    return folder


def test_build_then_stats_json_keys(source, capsys):
    assert main(["build", "--source", str(source), "--quiet"]) == 0
    assert "built" in capsys.readouterr().out
    assert main(["stats", "--source", str(source), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) >= {
        "publication_date",
        "publications",
        "agreements",
        "by_model",
        "states",
        "agencies",
        "pending",
        "placed",
        "unplaced",
    }
    assert figures["publication_date"] == "2025-07-02"
    assert figures["publications"] == 2
    assert figures["agreements"] == 5
    assert figures["by_model"] == {"JEM": 1, "WSO": 1, "TFM": 3}
    assert figures["states"] == 2
    assert figures["pending"] == 1
    assert figures["placed"]["county_or_municipal"] == 4
    assert [u["agency"] for u in figures["unplaced"]] == ["Nowhere Town Police Department"]
    assert figures["unplaced"][0]["unplaced_reason"]


def test_stats_json_says_how_old_the_data_is(source, capsys, monkeypatch):
    monkeypatch.setenv("MAPCORE_TODAY", "2025-07-20")
    assert main(["stats", "--source", str(source), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["publication_date"] == "2025-07-02"
    assert figures["data_age_days"] == 18
    assert figures["last_checked"] is None  # a folder of sheets: ICE's page never read from this cache


def test_stats_for_an_earlier_date(source, capsys):
    assert main(["stats", "--source", str(source), "--date", "2025-07-01", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["publication_date"] == "2025-07-01" and figures["agreements"] == 1


def test_export_csv_filters_and_neutralises_formulas(source, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["export", "--source", str(source), "--state", "TX", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open()))
    assert {r["state"] for r in rows} == {"TX"}
    assert len(rows) == 3
    assert set(rows[0]) >= {"state", "agency", "type", "model", "signed", "county_fips", "county_name", "placed_by", "moa_url"}
    assert any(r["agency"] == '\'=HYPERLINK("http://evil")' for r in rows)
    assert next(r for r in rows if r["agency"] == "Harris County Sheriff's Office")["county_fips"] == "48201"


def test_export_model_filter(source, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["export", "--source", str(source), "--model", "WSO", "-o", str(out)]) == 0
    assert [r["agency"] for r in csv.DictReader(out.open())] == ["Lee County Sheriff's Office"]


def test_validate_reports_kind_date_count_and_problems(source, capsys):
    sheet = source / "participatingAgencies07022025am.xlsx"
    assert main(["validate", str(sheet), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["kind"], report["publication_date"], report["agreements"]) == ("participating", "2025-07-02", 5)
    assert report["by_model"] == {"JEM": 1, "WSO": 1, "TFM": 3}


def test_validate_unreadable_file_exits_2_with_one_line_naming_it(tmp_path, capsys):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "broken.xlsx" in err and len(err.splitlines()) == 1


def test_build_with_missing_source_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    assert main(["build", "--source", str(tmp_path / "missing")]) == 2
    assert "missing" in capsys.readouterr().err


def test_stats_counts_states_and_territories_apart(tmp_path, monkeypatch, capsys):
    """ "States" is the 50 states and DC only; Guam and the Northern Mariana Islands
    are territories, counted apart."""
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sheets"
    make_sheet(
        folder / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(state="DISTRICT OF COLUMBIA", agency="Metropolitan Police Department", jtype="Municipality", county="#N/A"),
            row8(state="GUAM", agency="Guam Police Department", jtype="State", county="#N/A"),
            row8(state="NORTHERN MARIANA ISLANDS", agency="CNMI Department of Corrections", jtype="State", county="#N/A"),
        ],
    )
    assert main(["stats", "--source", str(folder), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["states"] == 2  # TX and DC
    assert figures["territories"] == 2 and figures["territory_codes"] == ["GU", "MP"]
    assert main(["stats", "--source", str(folder)]) == 0
    assert "in 2 states (of the 50 and DC) and 2 territories (GU, MP)" in capsys.readouterr().out


def test_validate_tells_a_reclassified_sheet(tmp_path, capsys):
    """A file named "participating" whose content is a pending list is told."""
    sheet = make_sheet(
        tmp_path / "participatingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    assert main(["validate", str(sheet), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["kind"], report["name_kind"], report["reclassified"]) == ("pending", "participating", True)
    assert main(["validate", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "reclassified: named as participating, read as pending: it has no SIGNED column" in out


def test_stats_dates_the_pending_list_and_its_age(source, capsys):
    """The pending figure says which list and how old it is."""
    assert main(["stats", "--source", str(source), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["pending_publication_date"], figures["pending_days_older"]) == ("2025-07-02", 0)
    assert main(["stats", "--source", str(source), "--date", "2025-07-01"]) == 0
    assert "pending applications 0 (no pending list loaded)" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["stats"], ["export", "-o", "out.csv"], ["render", "--format", "svg", "-o", "out.svg"]])
@pytest.mark.parametrize("value", ["now", "-1", "2025-W27-2", "07/01/2025", "2025-13-01", ""])
def test_dates_are_yyyy_mm_dd_or_a_named_exit_2(source, tmp_path, capsys, command, value, monkeypatch):
    """`--date now` and `--date -1` (silently 0 rows) were accepted."""
    monkeypatch.chdir(tmp_path)
    assert main([*command[:1], "--source", str(source), "--date", value, *command[1:]]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"mapcore {command[0]}: --date {value!r}: not a date written YYYY-MM-DD", err
    assert not list(tmp_path.glob("out.*"))
