"""The compact snapshot gives back its build exactly, and sheets added on top of
it give what a build of all the sheets gives (a sheet the snapshot holds is not counted twice)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_7, PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.build import pipeline, store
from mapcore.sheets import snapshot as snapshots


def _sheets_a(folder: Path) -> Path:
    """Three publications, a pending list, a quirk that records problems, and a copy of one sheet."""
    make_sheet(
        folder / "2025-07-01" / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
            row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
        ],
    )
    make_sheet(
        folder / "2025-07-02" / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(state="FLORIDA", agency="Lee County Sherif's Office", county="Lee County", model="Warrant Service Officer"),
            row8(
                state="TEXAS",
                agency="Nowhere Town Police Department",
                jtype="Municipality",
                county="#N/A",
                model="Task Force Model",
                signed="sometime in May",
            ),
        ],
    )
    make_sheet(
        folder / "2025-07-02" / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    make_sheet(
        folder / "2025-06-20" / "participatingAgencies06202025am.xlsx",
        PARTICIPATING_7,
        [row8()[:7], row8(agency="Travis County Sheriff's Office", county="Travis County")[:7]],
    )
    (folder / "2025-07-01-again").mkdir()  # read after 2025-07-01/ (a build sorts by path, not by text)
    shutil.copy(folder / "2025-07-01" / "participatingAgencies07012025am.xlsx", folder / "2025-07-01-again")
    return folder


def _sheets_b(folder: Path, a: Path) -> Path:
    """A newer publication (in a folder a build reads between two of A's), and a sheet whose bytes are
    already in A (as a fetch that finds an old sheet)."""
    make_sheet(
        folder / "2025-07-01-b" / "participatingAgencies07092025am.xlsx",
        PARTICIPATING_8,
        [
            row8(),
            row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County", model="Warrant Service Officer"),
            row8(state="GEORGIA", agency="Cobb County Sheriff's Office", county="Cobb County", signed=dt.datetime(2025, 7, 8)),
        ],
    )
    (folder / "2025-07-09").mkdir()
    (folder / "2025-07-09" / "pendingAgencies07022025am.xlsx").write_bytes(
        (a / "2025-07-02" / "pendingAgencies07022025am.xlsx").read_bytes()
    )
    return folder


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.astype(str)
    return text.sort_values(list(text.columns)).reset_index(drop=True)


@pytest.fixture
def built_a(tmp_path):
    a = _sheets_a(tmp_path / "a")
    dataset, _ = pipeline.build(a, cache=tmp_path / "cache-a", workers=1)
    return a, dataset


def test_snapshot_gives_back_every_column_of_every_row(built_a, tmp_path):
    _, dataset = built_a
    info = snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), tmp_path / "snap")
    back = snapshots.read(tmp_path / "snap")
    pd.testing.assert_frame_equal(back.agreements, dataset.agreements)
    pd.testing.assert_frame_equal(back.sheets, dataset.sheets)
    pd.testing.assert_frame_equal(back.problems, dataset.problems)
    assert info["records"] < info["agreements"], "repeated agreements are kept once"
    assert info["newest_publication"] == "2025-07-02" and info["oldest_publication"] == "2025-06-20"
    assert set(info["sheet_sha256"]) == set(dataset.sheets["source_sha256"].astype(str))
    assert info["build"]["copies"] == dataset.meta["copies"] != []
    assert str(tmp_path) not in json.dumps(info), "no path of the machine it was made on"


def test_loading_the_snapshot_alone_is_the_build_it_was_made_from(built_a, tmp_path):
    _, dataset = built_a
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), tmp_path / "snap")
    loaded, built = pipeline.build(None, cache=tmp_path / "cache-s", snapshot=tmp_path / "snap")
    assert built
    for name in ("agreements", "problems", "sheets"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(dataset, name))
    assert loaded.meta["copies"] == dataset.meta["copies"] and loaded.meta["snapshot"]["sheets"] == len(dataset.sheets)
    again, built = pipeline.build(tmp_path / "snap", cache=tmp_path / "cache-s")  # a snapshot folder as the source
    assert not built and again.path == loaded.path


def test_sheets_added_on_top_equal_a_build_of_all_the_sheets(built_a, tmp_path):
    a, dataset = built_a
    b = _sheets_b(tmp_path / "b", a)
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), tmp_path / "snap")
    layered, built = pipeline.build(b, cache=tmp_path / "cache-l", snapshot=tmp_path / "snap", workers=1)
    assert built
    both = tmp_path / "both"
    shutil.copytree(a, both)
    shutil.copytree(b / "2025-07-01-b", both / "2025-07-01-b")
    shutil.copytree(b / "2025-07-09", both / "2025-07-09")
    whole, _ = pipeline.build(both, cache=tmp_path / "cache-w", workers=1)
    # the sheet of B with A's bytes: a copy in the whole build, "already in the snapshot" in the layered one
    whole_sheets = whole.sheets
    pd.testing.assert_frame_equal(layered.sheets, whole_sheets)
    pd.testing.assert_frame_equal(layered.agreements, whole.agreements)
    copy_note = "2025-07-09/pendingAgencies07022025am.xlsx"
    assert _sorted(layered.problems).equals(_sorted(whole.problems[whole.problems["file"] != copy_note]))
    assert layered.meta["already_in_snapshot"] == [copy_note]
    assert layered.meta["added_sheets"] == 1 and layered.meta["sheets"] == len(dataset.sheets) + 1
    assert layered.agreements["publication_id"].nunique() == dataset.agreements["publication_id"].nunique() + 1
    # the typo'd Lee County name of 07-02 is one agency with the 07-01 and 07-09 spellings across the layers
    lee = layered.agreements[layered.agreements["agency"].str.startswith("Lee County")]
    assert lee["key"].nunique() == 1


def test_new_inputs_place_the_snapshot_again(built_a, tmp_path, monkeypatch):
    """A snapshot made before the reviewed tables (or the build) changed is placed and keyed again, not
    shown as it was made."""
    _, dataset = built_a
    stale = {**pipeline.build_inputs(), "fixes": "an older table"}
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, stale, tmp_path / "snap")
    calls = []
    real = pipeline._assemble
    monkeypatch.setattr(pipeline, "_assemble", lambda *a, **k: calls.append(1) or real(*a, **k))
    loaded, _ = pipeline.build(None, cache=tmp_path / "cache", snapshot=tmp_path / "snap")
    assert calls, "placed again"
    pd.testing.assert_frame_equal(loaded.agreements, dataset.agreements)
    assert not any("build version" in w for w in loaded.meta["warnings"])
    fresh = {**pipeline.build_inputs()}
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, fresh, tmp_path / "snap2")
    calls.clear()
    pipeline.build(None, cache=tmp_path / "cache2", snapshot=tmp_path / "snap2")
    assert not calls, "same inputs: used as it is"
    older_reader = {**pipeline.build_inputs(), "build_version": "0"}
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, older_reader, tmp_path / "snap3")
    loaded, _ = pipeline.build(None, cache=tmp_path / "cache3", snapshot=tmp_path / "snap3")
    assert calls and any(
        f"read by build version 0 (this code reads them as version {pipeline.BUILD_VERSION})" in w for w in loaded.meta["warnings"]
    ), "its reading cannot be redone: said, with the command"


def test_a_damaged_or_foreign_snapshot_is_named(built_a, tmp_path):
    _, dataset = built_a
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), tmp_path / "snap")
    with open(tmp_path / "snap" / "listings.parquet", "ab") as handle:
        handle.write(b"x")
    with pytest.raises(store.BuildError, match=r"listings\.parquet: its content does not match snapshot\.json"):
        pipeline.build(None, cache=tmp_path / "cache", snapshot=tmp_path / "snap")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(snapshots.SnapshotError, match="exists and is not a snapshot"):
        snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, {}, tmp_path / "other")
    assert (tmp_path / "other" / "notes.txt").read_text() == "mine"


def test_writing_again_replaces_the_snapshot_whole(built_a, tmp_path):
    _, dataset = built_a
    out = tmp_path / "here" / "snap"
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), out)
    first = snapshots.read_info(out)
    part = dataset.sheets["publication_id"].iloc[-1]
    smaller = dataset.agreements[dataset.agreements["publication_id"] != part]
    snapshots.write(smaller, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), out)
    assert snapshots.read_info(out)["agreements"] == len(smaller) < first["agreements"]
    assert len(snapshots.read(out).agreements) == len(smaller)
    assert sorted(p.name for p in out.parent.iterdir()) == ["snap"], "no staging or old folder left beside it"


def _tampered(built_a, tmp_path, edit) -> Path:
    _, dataset = built_a
    out = tmp_path / "snap"
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), out)
    info_path = out / snapshots.INFO_NAME
    info_path.write_text(edit(json.loads(info_path.read_text())), encoding="utf-8")
    return out


DEEP = '{"format": "mapcore-snapshot/1", "build": ' + "[" * 10_000 + "]" * 10_000 + "}"
TAMPERED = {
    "nested ten thousand deep": lambda info: DEEP,
    "a column type that is not a dtype": lambda info: json.dumps({**info, "columns": {**info["columns"], "row": "not-a-dtype"}}),
    "a column type that is an object": lambda info: json.dumps({**info, "columns": {**info["columns"], "row": {"int": 32}}}),
    "a column type the values do not fit": lambda info: json.dumps({**info, "columns": {**info["columns"], "source_file": "int8"}}),
    "parts that are not a table": lambda info: json.dumps({**info, "parts": ["records"]}),
}


@pytest.mark.parametrize("edit", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_snapshot_json_is_a_named_exit_2(built_a, tmp_path, edit, capsys, monkeypatch):
    """Ten thousand levels of nesting ended in RecursionError, a column type that is not a dtype in
    TypeError (exit 1 with a traceback hint): both are "not a valid snapshot", exit 2, like the other forms."""
    from mapcore.cli.main import main

    snap = _tampered(built_a, tmp_path, edit)
    with pytest.raises(snapshots.SnapshotError, match="not a valid snapshot"):
        snapshots.read(snap)
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    assert main(["stats", "--source", str(snap)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mapcore stats: ") and "not a valid snapshot" in err and len(err.splitlines()) == 1, err
