"""A compact snapshot of a built dataset, shipped in ``data/`` so a fresh copy shows real data offline.

A snapshot is derived from a build (never ICE's sheets themselves) and holds everything a build
gives the app: every agreement of every publication with its placement, identity and ORI link, the
publications table, the problems recorded while reading and the build's notes (copies, unreadable
sheets, warnings). It is compact because ICE's sheets repeat themselves: one publication lists mostly
the agreements of the one before. So the folder keeps

``records.parquet``   each distinct agreement record once: every dataset column except the five
                      that belong to a sheet and the Excel row (a few thousand rows);
``listings.parquet``  one row per agreement per publication, in the build's order: the sheet (its
                      ``sequence``), the Excel row and which record (three small integers);
``sheets.parquet``    the publications table as the build made it (one row per sheet);
``problems.parquet``  the problems recorded while reading, as the build made them;
``snapshot.json``     what it is: format, the build's inputs (code version, reviewed tables), the
                      sheets' dates and hashes, each part's sha256, the build's notes.

:func:`read` gives back the build's frames exactly (every column of every row; a test compares them
with a build of the same sheets). Written by ``mapcore snapshot -o data/ice_snapshot``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mapcore.core.atomic import sha256_of

FORMAT = "mapcore-snapshot/1"
INFO_NAME = "snapshot.json"
PARTS = ("records", "listings", "sheets", "problems")
# Columns an agreement takes from its sheet (the rest describe the agreement itself).
SHEET_COLUMNS = ("source_file", "source_sha256", "kind", "publication_date", "publication_id")
ROW_COLUMN = "row"
_META_KEPT = ("unreadable", "copies", "warnings")  # the build's notes about its sheets folder


class SnapshotError(ValueError):
    """A snapshot folder that cannot be used; the message names the folder and what is wrong."""


@dataclass(frozen=True)
class Snapshot:
    """A snapshot read back: the frames of the build it was made from, and its ``snapshot.json``."""

    agreements: pd.DataFrame
    problems: pd.DataFrame
    sheets: pd.DataFrame
    info: dict
    folder: Path

    @property
    def build_meta(self) -> dict:
        """The build's notes about its sheets (copies, unreadable sheets, warnings)."""
        return dict(self.info.get("build", {}))


def is_snapshot(folder: Path | str) -> bool:
    return (Path(folder) / INFO_NAME).is_file()


def read_info(folder: Path) -> dict:
    """``snapshot.json`` alone (cheap: the dates and hashes, no table)."""
    path = Path(folder) / INFO_NAME
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SnapshotError(f"{folder}: not a snapshot (no {INFO_NAME})") from None
    except RecursionError:
        raise SnapshotError(f"{path}: not a valid snapshot (nested too deeply to be one)") from None
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path}: cannot be read ({exc})") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise SnapshotError(f"{path}: not a {FORMAT} snapshot (format {info.get('format') if isinstance(info, dict) else '?'})")
    problem = _shape_problem(info)
    if problem:
        raise SnapshotError(f"{path}: not a valid snapshot ({problem})")
    return info


def _shape_problem(info: dict) -> str | None:
    """What is wrong with the shape of a ``snapshot.json`` (None: nothing): each field the reader uses has the
    type it expects, and each column type is one pandas knows."""
    parts, columns = info.get("parts"), info.get("columns")
    if not isinstance(parts, dict) or not all(isinstance(parts.get(name), str) for name in PARTS):
        return f"'parts' must give the sha256 of {', '.join(PARTS)}"
    if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
        return "'columns' must map each column to the name of its type"
    for column in (*SHEET_COLUMNS, ROW_COLUMN):
        if column not in columns:
            return f"'columns' lacks {column}"
    for column, kind in columns.items():
        try:
            pd.api.types.pandas_dtype(kind)
        except (TypeError, ValueError):
            return f"column {column!r}: {kind[:40]!r} is not a column type"
    if (
        not isinstance(info.get("sheet_sha256", []), list)
        or not isinstance(info.get("build", {}), dict)
        or not isinstance(info.get("inputs", {}), dict)
    ):
        return "'sheet_sha256' must be a list, 'build' and 'inputs' tables"
    return None


def digest(info: dict) -> str:
    """A short key for a snapshot's content (its parts' hashes and inputs)."""
    return hashlib.sha256(json.dumps(info, sort_keys=True).encode()).hexdigest()[:16]


def sheet_hashes(info: dict) -> set[str]:
    """The sha256 of every sheet the snapshot holds (a fetched sheet with one of these is not read again)."""
    return set(info.get("sheet_sha256", []))


def write(agreements: pd.DataFrame, problems: pd.DataFrame, sheets: pd.DataFrame, meta: dict, inputs: dict, out: Path) -> dict:
    """Write a snapshot of one build's frames into the folder ``out`` (replaced as a whole, atomically:
    a new folder beside it, then renamed). Returns its ``snapshot.json``."""
    out = Path(out)
    records, listings = _split(agreements, sheets)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        frames = {"records": records, "listings": listings, "sheets": sheets, "problems": problems}
        for name in PARTS:
            frames[name].to_parquet(staging / f"{name}.parquet", index=False, compression="zstd", compression_level=19)
        info = _info(agreements, sheets, problems, records, meta, inputs, staging)
        (staging / INFO_NAME).write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
        for path in staging.iterdir():
            os.chmod(path, 0o644)
        os.chmod(staging, 0o755)
        _replace_folder(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return info


def read(folder: Path) -> Snapshot:
    """The build's frames back from a snapshot folder (each part checked against its recorded hash)."""
    folder = Path(folder)
    info = read_info(folder)
    parts = {}
    for name in PARTS:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise SnapshotError(f"{folder}: {path.name} is missing")
        if sha256_of(path) != info["parts"].get(name):
            raise SnapshotError(f"{path}: its content does not match {INFO_NAME} (changed or damaged; write the snapshot again)")
        parts[name] = pd.read_parquet(path)
    try:
        agreements = _join(parts["records"], parts["listings"], parts["sheets"], info["columns"])
    except (TypeError, ValueError, KeyError, IndexError) as exc:  # parts that match their hashes but not the columns
        reason = " ".join(str(exc).split())[:200]
        raise SnapshotError(
            f"{folder}: not a valid snapshot (its tables do not fit its column types: {type(exc).__name__}: {reason})"
        ) from None
    return Snapshot(agreements, parts["problems"], parts["sheets"], info, folder)


def size_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).iterdir() if p.is_file())


# --------------------------------------------------------------------------- encoding


def _split(agreements: pd.DataFrame, sheets: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, listings): each distinct record once, and each agreement row as (sheet, row, record)."""
    own = [c for c in agreements.columns if c not in SHEET_COLUMNS and c != ROW_COLUMN]
    if not own:
        raise SnapshotError("the dataset has no agreement columns to keep")
    # a record is its combination of values: each column's values numbered (missing: -1), then the rows
    # numbered by their combination, in order of first appearance
    numbered = pd.DataFrame({i: pd.factorize(agreements[c], use_na_sentinel=True)[0] for i, c in enumerate(own)})
    codes = numbered.groupby(list(numbered.columns), sort=False).ngroup().to_numpy()
    first = pd.Series(range(len(codes))).groupby(codes).first().to_numpy()
    records = agreements[own].iloc[first].reset_index(drop=True)
    sequence = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    listing_sheet = agreements["publication_id"].astype(str).map(sequence)
    if listing_sheet.isna().any():
        raise SnapshotError("an agreement names a publication missing from the sheets table")
    listings = pd.DataFrame(
        {
            "sheet": listing_sheet.astype("int32").to_numpy(),
            "row": agreements[ROW_COLUMN].astype("int32").to_numpy(),
            "record": codes.astype("int32"),
        }
    )
    return records, listings


def _join(records: pd.DataFrame, listings: pd.DataFrame, sheets: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """The agreements table from its parts: each listing's record, its sheet's columns and its row, in
    the original column order and types."""
    by_sequence = sheets.set_index("sequence")
    frame = records.take(listings["record"].to_numpy()).reset_index(drop=True)
    for column in SHEET_COLUMNS:
        frame[column] = by_sequence[column].reindex(listings["sheet"].to_numpy()).to_numpy()
    frame[ROW_COLUMN] = listings["row"].to_numpy()
    frame = frame[list(columns)]
    for column in (*SHEET_COLUMNS, ROW_COLUMN):
        frame[column] = frame[column].astype(columns[column])
    return frame


def _info(
    agreements: pd.DataFrame, sheets: pd.DataFrame, problems: pd.DataFrame, records: pd.DataFrame, meta: dict, inputs: dict, staging: Path
) -> dict:
    dates = sheets["publication_date"]
    participating = sheets.loc[sheets["kind"].astype(str) == "participating", "publication_date"]
    newest = participating.max() if len(participating) else dates.max()
    return {
        "format": FORMAT,
        "inputs": inputs,  # build version and reviewed tables it was built with
        "sheets": int(len(sheets)),
        "oldest_publication": dates.min().date().isoformat() if len(sheets) else None,
        "newest_publication": newest.date().isoformat() if len(sheets) else None,
        "agreements": int(len(agreements)),
        "records": int(len(records)),
        "problems": int(len(problems)),
        "columns": {c: str(agreements[c].dtype) for c in agreements.columns},
        "sheet_sha256": sorted(str(s) for s in sheets["source_sha256"]),
        "build": {k: meta.get(k, []) for k in _META_KEPT},
        "parts": {name: sha256_of(staging / f"{name}.parquet") for name in PARTS},
    }


def _replace_folder(staging: Path, out: Path) -> None:
    """Put ``staging`` where ``out`` is; an old snapshot there is moved aside first, then removed."""
    old = None
    if out.exists():
        if not is_snapshot(out) and any(out.iterdir()):
            raise SnapshotError(f"{out}: exists and is not a snapshot; not replaced")
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
