"""``mapcore snapshot -o data/ice_snapshot``: the compact snapshot of a build, for the repository.

Built from a folder of ICE sheets (never from a URL: a snapshot should say exactly which sheets it
holds), written atomically, then read back and compared with the build, so a snapshot that would not
give the app the same data is never left in place.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from mapcore.build import pipeline, store
from mapcore.core import config
from mapcore.core.atomic import output_path
from mapcore.sheets import snapshot as snapshots


def add_snapshot_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("snapshot", help="write a compact snapshot of the dataset of a folder of sheets (data/ice_snapshot)")
    parser.add_argument("-o", "--output", required=True, help="the snapshot folder to write (replaced as a whole)")
    parser.add_argument("--source", help="folder of ICE sheets (default: $MAPCORE_SOURCE)")
    parser.set_defaults(func=cmd_snapshot)


def cmd_snapshot(args: argparse.Namespace) -> int:
    out = output_path(args.output, folder=True)  # checked before the build
    source = args.source or config.source()
    if config.is_url(source):
        raise ValueError(
            f"{source}: a snapshot is made from a folder of sheets; fetch them first (mapcore fetch --into DIR) and pass --source DIR"
        )
    folder = Path(source).expanduser()
    if snapshots.is_snapshot(folder):
        raise ValueError(f"{folder}: is a snapshot already; pass the folder of sheets it was made from")
    dataset, _ = pipeline.build(folder)
    info = snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), out)
    _check(snapshots.read(out), dataset)
    size = snapshots.size_bytes(out)
    print(
        f"wrote {out}: {info['sheets']} sheets published {info['oldest_publication']} to {info['newest_publication']}, "
        f"{info['agreements']:,} agreement rows as {info['records']:,} distinct records, {info['problems']:,} problems; "
        f"{size / 1e6:.2f} MB"
    )
    if info["build"]["unreadable"]:
        print(f"note: {len(info['build']['unreadable'])} sheet(s) of {folder} could not be read and are not in it", file=sys.stderr)
    return 0


def _check(snapshot: snapshots.Snapshot, dataset: store.Dataset) -> None:
    """The snapshot read back holds the build's frames exactly (else it is not usable: an error)."""
    for name in ("agreements", "problems", "sheets"):
        try:
            pd.testing.assert_frame_equal(getattr(snapshot, name), getattr(dataset, name))
        except AssertionError as exc:
            raise snapshots.SnapshotError(
                f"{snapshot.folder}: the {name} read back differ from the build: {' '.join(str(exc).split())[:300]}"
            ) from None
