"""Pending applications signed since ICE's pending list: listed as participating in a later sheet, they are
"signed since", shown apart and never counted as pending (mapcore.analysis.pending, stats, pages)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.analysis import pending, query
from mapcore.build import pipeline as ds
from mapcore.cli.main import main

CUMBY = ["TEXAS", "Cumby Police Department", "Municipality", "Hopkins County", "Task Force Model"]
SHERMAN = ["TEXAS", "Sherman County Sheriff's Office", "County", "Sherman County", "Warrant Service Officer"]
WACO = ["TEXAS", "Waco Police Department", "Municipality", "McLennan County", "Task Force Model"]
PLANO_JEM = ["TEXAS", "Plano Police Department", "Municipality", "Collin County", "Jail Enforcement Model"]


def make_source(folder):
    """ICE's newest pending list (2026-02-27) is older than its newest participating list (2026-04-30), which
    lists two of its applications: Cumby (TFM) and Sherman County (WSO). Plano applied for JEM and is listed
    under TFM only: another agreement, still pending."""
    make_sheet(folder / "pendingAgencies02272026am.xlsx", PENDING_5, [CUMBY, SHERMAN, WACO, PLANO_JEM])
    make_sheet(folder / "participatingAgencies02282026am.xlsx", PARTICIPATING_8, [row8()])
    make_sheet(
        folder / "participatingAgencies04302026am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(
                agency="Cumby Police Department",
                jtype="Municipality",
                county="Hopkins County",
                model="Task Force Model",
                signed=dt.datetime(2026, 3, 10),
            ),
            row8(
                agency="Sherman County Sheriff's Office",
                county="Sherman County",
                model="Warrant Service Officer",
                signed=dt.datetime(2026, 3, 20),
            ),
            row8(
                agency="Plano Police Department",
                jtype="Municipality",
                county="Collin County",
                model="Task Force Model",
                signed=dt.datetime(2026, 1, 5),
            ),
        ],
    )
    return folder


@pytest.fixture
def source(tmp_path, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    return make_source(tmp_path / "sheets")


def test_applications_listed_as_participating_later_are_signed_since(source, tmp_path):
    dataset, _ = ds.build(source, cache=tmp_path / "cache", workers=1)
    pending_id = query.latest_publication_id(dataset.sheets, "pending")
    rows = query.publication_rows(dataset.agreements, pending_id)
    still, signed = pending.split_pending(rows, dataset.agreements, dataset.sheets)
    assert sorted(still["agency"]) == ["Plano Police Department", "Waco Police Department"]
    assert sorted(signed["agency"]) == ["Cumby Police Department", "Sherman County Sheriff's Office"]
    assert set(signed["signed_since"].dt.date) == {dt.date(2026, 4, 30)}
    # as of the participating sheet of 2026-02-28 nothing was signed yet
    earlier = query.latest_publication_id(dataset.sheets, "participating", "2026-03-01")
    still, signed = pending.split_pending(rows, dataset.agreements, dataset.sheets, earlier)
    assert len(still) == 4 and signed.empty


def test_stats_json_counts_signed_since_apart(source, capsys):
    assert main(["stats", "--source", str(source), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["pending_signed_since"] == 2
    assert figures["pending"] == 2, "four listed, two signed since: two still pending"
    assert main(["stats", "--source", str(source), "--date", "2026-04-29", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["pending"], figures["pending_signed_since"]) == (4, 0)


def test_pending_history_calls_signed_applications_signed_since_not_still_pending(source, tmp_path):
    from mapcore.analysis import history

    dataset, _ = ds.build(source, cache=tmp_path / "cache", workers=1)
    table = history.pending_history(dataset.agreements, dataset.sheets).set_index("agency")
    assert not table.loc["Cumby Police Department", "still_pending"]
    assert table.loc["Cumby Police Department", "signed_since"] == pd.Timestamp("2026-04-30")
    assert table.loc["Waco Police Department", "still_pending"] and pd.isna(table.loc["Waco Police Department", "signed_since"])
    assert table.loc["Plano Police Department", "still_pending"], "applied for JEM, participating under TFM: still pending"
    assert table["still_pending"].sum() == 2


def test_agency_lookup_says_signed_since_not_still_pending(source, tmp_path):
    from mapcore.analysis import agency_search, agency_story

    dataset, _ = ds.build(source, cache=tmp_path / "cache", workers=1)
    story = agency_story.agency_history(dataset.agreements, dataset.sheets, "TX", "Cumby Police Department")
    applied = story[story["kind"] == "pending"].iloc[0]
    assert not applied["active"] and applied["signed_since"] == pd.Timestamp("2026-04-30")
    waco = agency_story.agency_history(dataset.agreements, dataset.sheets, "TX", "Waco Police Department")
    assert waco["active"].all() and waco["signed_since"].isna().all()
    index = agency_search.agency_index(dataset.agreements).set_index("agency")
    assert not index.loc["Cumby Police Department", "pending"] and index.loc["Cumby Police Department", "active"]
    assert index.loc["Waco Police Department", "pending"]
