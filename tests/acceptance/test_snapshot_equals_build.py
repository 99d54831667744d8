"""The bundled snapshot (data/ice_snapshot) equals what a build of the real ICE sheets
gives: every column of every row it holds, the publications table, the problems and the build's notes.

When the shared folder holds more sheets than the snapshot (ICE published since), the comparison is with
a build of exactly the snapshot's sheets (found there by sha256). A failure here means the snapshot is
older than the code or the reviewed tables: write it again with

    .venv/bin/mapcore snapshot --source ../shared/data/ice -o data/ice_snapshot
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from mapcore.build import pipeline, store
from mapcore.core import config
from mapcore.core.atomic import sha256_of
from mapcore.sheets import snapshot as snapshots

pytestmark = pytest.mark.acceptance
REFRESH = "write it again: .venv/bin/mapcore snapshot --source ../shared/data/ice -o data/ice_snapshot"


@pytest.fixture(scope="module")
def bundled() -> snapshots.Snapshot:
    return snapshots.read(config.SNAPSHOT_DIR)


@pytest.fixture(scope="module")
def reference(bundled, shared_ice: Path, shared_dataset, tmp_path_factory) -> store.Dataset:
    """A build of exactly the snapshot's sheets from the shared folder."""
    wanted = snapshots.sheet_hashes(bundled.info)
    if set(shared_dataset.sheets["source_sha256"].astype(str)) == wanted and not shared_dataset.meta["copies"]:
        return shared_dataset
    by_hash = {}
    for path in pipeline.discover_sheets(shared_ice):
        by_hash.setdefault(sha256_of(path), path)
    missing = wanted - set(by_hash)
    assert not missing, f"{len(missing)} sheet(s) of the snapshot are not in {shared_ice}"
    folder = tmp_path_factory.mktemp("snapshot-sheets")
    for sha in wanted:
        source = by_hash[sha]
        target = folder / source.relative_to(shared_ice)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(source, target)
    dataset, _ = pipeline.build(folder, cache=tmp_path_factory.mktemp("snapshot-cache"))
    return dataset


def test_the_snapshot_was_made_with_this_code_and_these_tables(bundled):
    assert bundled.info["inputs"] == pipeline.build_inputs(), f"the snapshot was made with other inputs; {REFRESH}"


def test_the_snapshot_equals_a_build_of_its_sheets(bundled, reference):
    for name in ("sheets", "agreements", "problems"):
        try:
            pd.testing.assert_frame_equal(getattr(bundled, name), getattr(reference, name))
        except AssertionError as exc:
            raise AssertionError(f"{name} differ from a build of the same sheets ({REFRESH}):\n{exc}") from None
    for note in ("copies", "unreadable", "warnings"):
        assert bundled.build_meta[note] == reference.meta[note], note


def test_the_snapshot_loads_as_the_dataset_the_app_uses(bundled, reference, tmp_path):
    loaded, _ = pipeline.build(None, cache=tmp_path, snapshot=config.SNAPSHOT_DIR)
    for name in ("sheets", "agreements", "problems"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(reference, name))


def test_the_snapshot_is_small(bundled):
    size = sum(p.stat().st_size for p in config.SNAPSHOT_DIR.iterdir())
    assert size <= 8_000_000, f"{size:,} bytes: more than the 8 MB the repository allows it"
