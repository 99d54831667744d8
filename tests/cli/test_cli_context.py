"""`mapcore stats --json`: agreements linked to the FBI's agencies (``ori_matched``, ``ori_unmatched``) and the
shares of agencies and residents covered (``context``), nationally and for one state; ORI in exports."""

from __future__ import annotations

import csv
import json

import pytest
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.cli.main import main


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "sheets"
    make_sheet(
        folder / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(model="Task Force Model"),  # Harris County, TX (TX1010000)
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
            row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
            row8(
                state="TEXAS",
                agency="Nowhere Town Police Department",
                jtype="Municipality",
                county="Harris County",
                model="Task Force Model",
            ),
        ],
    )
    return folder


def stats(source, capsys, *extra: str) -> dict:
    assert main(["stats", "--source", str(source), "--json", *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_stats_json_has_ori_rates_unmatched_reasons_and_context(source, capsys):
    figures = stats(source, capsys)
    assert figures["ori_matched"] == {"county": 1.0, "municipal": 0.0, "state": 0.0}
    unmatched = {u["agency"]: u for u in figures["ori_unmatched"]}
    assert set(unmatched) == {"Florida Highway Patrol", "Nowhere Town Police Department"}
    assert unmatched["Florida Highway Patrol"]["ori_method"] == "ambiguous"
    assert "field office" in unmatched["Florida Highway Patrol"]["ori_note"]
    assert unmatched["Nowhere Town Police Department"]["ori_note"].startswith("no roster agency of TX")
    context = figures["context"]
    assert context["scope"] == "US"
    assert context["agencies_participating"] == 2  # Harris and Lee sheriffs, each once
    assert 18_000 < context["agencies_in_roster"] < 18_330  # the roster less federal agencies and territories
    assert context["residents_covered"] == 4_835_125 + 834_573  # Harris County, TX + Lee County, FL (Census 2023)
    assert 330_000_000 < context["residents_total"] < 340_000_000
    assert context["agencies_without_ori"] == 2
    assert context["by_type"]["sheriff"]["participating"] == 2


def test_stats_for_one_state(source, capsys):
    figures = stats(source, capsys, "--state", "tx")
    context = figures["context"]
    assert context["scope"] == "TX"
    assert context["agencies_participating"] == 1 and context["residents_covered"] == 4_835_125
    assert 1_600 < context["agencies_in_roster"] < 1_700 and 30_000_000 < context["residents_total"] < 31_000_000
    assert figures["ori_matched"] == {"county": 1.0, "municipal": 0.0, "state": None}
    assert [u["agency"] for u in figures["ori_unmatched"]] == ["Nowhere Town Police Department"]


def test_stats_refuses_an_unknown_state(source, capsys):
    assert main(["stats", "--source", str(source), "--json", "--state", "ZZ"]) == 2
    assert "--state 'ZZ'" in capsys.readouterr().err


def test_export_carries_the_ori_and_how_it_was_found(source, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["export", "--source", str(source), "--state", "TX", "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_agency = {(r["agency"], r["model"]): r for r in rows}
    harris = by_agency[("Harris County Sheriff's Office", "JEM")]
    assert (harris["ori"], harris["ori_method"]) == ("TX1010000", "county_sheriff")
    nowhere = by_agency[("Nowhere Town Police Department", "TFM")]
    assert (nowhere["ori"], nowhere["ori_method"]) == ("", "unmatched")
