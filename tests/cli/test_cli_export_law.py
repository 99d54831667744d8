"""`mapcore export --law STATUS`: the Explore filter's values and rule (the law in force on the sheet's date)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.cli.main import main


@pytest.fixture
def sheets(tmp_path, monkeypatch):
    """ICE-like sheets of 2026-05-18 (Tennessee's law became law on 2026-05-26) and 2026-07-02."""
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sheets"
    rows = [
        row8(state="TENNESSEE", agency="Knox County Sheriff's Office", county="Knox County"),
        row8(state="TENNESSEE", agency="Blount County Sheriff's Office", county="Blount County", model="Warrant Service Officer"),
        row8(state="TEXAS", agency="Harris County Sheriff's Office", county="Harris County"),
        row8(state="TEXAS", agency="Lubbock County Sheriff's Office", county="Lubbock County", model="Warrant Service Officer"),
        row8(state="OKLAHOMA", agency="Tulsa County Sheriff's Office", county="Tulsa County"),
        row8(state="MISSISSIPPI", agency="Rankin County Sheriff's Department", county="Rankin County", signed=dt.datetime(2026, 3, 1)),
    ]
    make_sheet(folder / "participatingAgencies05182026am.xlsx", PARTICIPATING_8, rows)
    july = [*rows, row8(state="TEXAS", agency="Ector County Sheriff's Office", county="Ector County")]  # not the same bytes
    make_sheet(folder / "participatingAgencies07022026am.xlsx", PARTICIPATING_8, july)
    return folder


def _export(sheets, tmp_path, name: str, *args: str) -> list[dict]:
    out = tmp_path / name
    assert main(["export", "--source", str(sheets), "--format", "csv", "-o", str(out), *args]) == 0
    return list(csv.DictReader(out.open(encoding="utf-8")))


def test_tennessee_is_not_mandates_before_its_law(sheets, tmp_path, capsys):
    rows = _export(sheets, tmp_path, "tn.csv", "--date", "2026-05-18", "--state", "TN", "--law", "mandates")
    assert rows == []
    assert "wrote 0 agreements" in capsys.readouterr().out
    before = _export(sheets, tmp_path, "tn-before.csv", "--date", "2026-05-18", "--state", "TN", "--law", "requires_cooperation")
    assert {r["agency"] for r in before} == {"Knox County Sheriff's Office", "Blount County Sheriff's Office"}
    assert {r["law_status"] for r in before} == {"requires_cooperation"}


def test_texas_is_mandates(sheets, tmp_path):
    rows = _export(sheets, tmp_path, "tx.csv", "--date", "2026-05-18", "--state", "TX", "--law", "mandates")
    assert {r["agency"] for r in rows} == {"Harris County Sheriff's Office", "Lubbock County Sheriff's Office"}
    assert {(r["state"], r["law_status"]) for r in rows} == {("TX", "mandates")}


def test_state_official_mandates_are_a_value_of_their_own(sheets, tmp_path):
    local = _export(sheets, tmp_path, "all-mandates.csv", "--date", "2026-05-18", "--law", "mandates")
    assert {r["state"] for r in local} == {"TX"}  # not Oklahoma (a state official's duty), not TN or MS (not in force)
    official = _export(sheets, tmp_path, "ok.csv", "--date", "2026-05-18", "--law", "mandates_state_official")
    assert {r["state"] for r in official} == {"OK"}


def test_mississippi_is_mandates_from_july_and_marked_before(sheets, tmp_path):
    before = _export(sheets, tmp_path, "ms-may.csv", "--date", "2026-05-18", "--state", "MS")
    assert [(r["law_status"], r["law_note"]) for r in before] == [("requires_cooperation", "not_yet_in_force")]
    after = _export(sheets, tmp_path, "ms-july.csv", "--date", "2026-07-02", "--state", "MS", "--law", "mandates")
    assert [(r["law_status"], r["law_note"]) for r in after] == [("mandates", "unconfirmed")]


def test_a_bad_law_value_is_refused(sheets, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["export", "--source", str(sheets), "-o", str(tmp_path / "x.csv"), "--law", "banned"])
    assert stop.value.code == 2
    assert "invalid choice: 'banned'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
