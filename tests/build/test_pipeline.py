"""Building the cached dataset from a small folder of fixture sheets."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.build import pipeline, store


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "sheets"
    make_sheet(
        folder / "2025-07-01" / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(model="Task Force Model"),
            row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
        ],
    )
    make_sheet(
        folder / "2025-07-02" / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(
                state="TEXAS",
                agency="Houston Police Department",
                jtype="Municipality",
                county="#N/A",
                model="Task Force Model",
                signed=dt.datetime(2025, 7, 1),
            ),
        ],
    )
    make_sheet(
        folder / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    return folder


def test_build_makes_one_tidy_table_of_all_publications(source, tmp_path):
    dataset, built = pipeline.build(source, cache=tmp_path / "cache", workers=1)
    assert built
    assert len(dataset.agreements) == 6
    assert set(dataset.sheets["kind"]) == {"participating", "pending"}
    assert list(dataset.sheets["publication_date"].dt.date.astype(str)) == ["2025-07-01", "2025-07-02", "2025-07-02"]
    rows = dataset.agreements.set_index("agency")
    assert rows.loc["Florida Highway Patrol", "level"] == "statewide"
    assert pd.isna(rows.loc["Florida Highway Patrol", "county_fips"])
    houston = rows.loc["Houston Police Department"]
    assert houston["county_fips"] == "48201"


def test_unchanged_source_is_not_read_again_and_a_changed_one_is(source, tmp_path):
    cache = tmp_path / "cache"
    first, _ = pipeline.build(source, cache=cache, workers=1)
    again, built = pipeline.build(source, cache=cache, workers=1)
    assert not built and again.key == first.key
    make_sheet(source / "participatingAgencies07032025am.xlsx", PARTICIPATING_8, [row8()])
    changed, built = pipeline.build(source, cache=cache, workers=1)
    assert built and changed.key != first.key
    assert store.load(cache=cache).key == changed.key


def test_renaming_a_file_does_not_change_the_key_but_content_does(source, tmp_path):
    paths = pipeline.discover_sheets(source)
    key, _ = pipeline.source_key(paths)
    paths[0].rename(paths[0].with_name("renamed.xlsx"))
    assert pipeline.source_key(pipeline.discover_sheets(source))[0] == key


def test_identical_files_are_read_once_and_reported(source, tmp_path):
    original = source / "2025-07-01" / "participatingAgencies07012025am.xlsx"
    (source / "copy").mkdir()
    (source / "copy" / "participatingAgencies07012025am.xlsx").write_bytes(original.read_bytes())
    dataset, _ = pipeline.build(source, cache=tmp_path / "cache", workers=1)
    assert len(dataset.agreements) == 6
    assert dataset.meta["copies"] and dataset.meta["copies"][0]["same_as"].endswith("participatingAgencies07012025am.xlsx")


def test_an_unreadable_sheet_fails_the_build_and_keeps_the_previous_dataset(source, tmp_path):
    cache = tmp_path / "cache"
    good, _ = pipeline.build(source, cache=cache, workers=1)
    (source / "participatingAgencies07052025am.xlsx").write_text("<html>error</html>")
    with pytest.raises(store.BuildError, match="participatingAgencies07052025am.xlsx"):
        pipeline.build(source, cache=cache, workers=1)
    assert store.load(cache=cache).key == good.key
    skipped, _ = pipeline.build(source, cache=cache, workers=1, skip_bad=True)
    assert skipped.meta["unreadable"] and len(skipped.agreements) == 6


def test_a_build_that_dies_half_way_leaves_no_partial_dataset(source, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    good, _ = pipeline.build(source, cache=cache, workers=1)
    make_sheet(source / "participatingAgencies07042025am.xlsx", PARTICIPATING_8, [row8()])

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pandas.DataFrame.to_parquet", lambda self, path, **kw: explode() if "sheets" in str(path) else None)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(source, cache=cache, workers=1)
    monkeypatch.undo()
    assert store.load(cache=cache).key == good.key
    assert sorted(p.name for p in cache.iterdir() if p.name.startswith(".")) == []
    assert json.loads((cache / "current.json").read_text())["dataset"] == good.path.name


def test_missing_or_empty_source_is_a_named_error(tmp_path):
    with pytest.raises(store.BuildError, match="not found"):
        pipeline.build(tmp_path / "nope", cache=tmp_path / "cache")
    (tmp_path / "empty").mkdir()
    with pytest.raises(store.BuildError, match="no .xlsx"):
        pipeline.build(tmp_path / "empty", cache=tmp_path / "cache")
