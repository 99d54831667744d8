"""Build the one tidy table of all agreements of all publications.

A build reads every sheet under the source folder (in parallel), places each agreement, keys it across
publications, links its FBI record, and hands the frames to the store (:mod:`mapcore.build.store`),
which writes them to ``MAPCORE_CACHE`` as Parquet. It is keyed by the sheets' content hashes (and the
code version and reviewed tables), so an unchanged source is not read again.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mapcore.build.store import BuildError, Dataset, publish, reuse
from mapcore.core import config
from mapcore.core.atomic import sha256_of
from mapcore.core.schema import DATASET_COLUMNS, READ_COLUMNS
from mapcore.sheets import snapshot as snapshots

# Bump when reading or placing changes what a build produces, so caches are rebuilt.
BUILD_VERSION = "7"  # 4: ORI links (context); 5: regional bodies, SafeLinks (reporter); 6: both;
# 7: numbers and place kinds in identity, type by name, town's own county, fbi_county

Progress = Callable[[int, int, str], None]
MAX_ENTRIES = 100_000  # files and folders a source's search looks at (ICE's whole archive: a few thousand)
MAX_FILE_BYTES = 200 * 1024 * 1024  # a sheet file larger than this is not hashed nor read (ICE's are < 1 MB)


@dataclass(frozen=True)
class SourceFile:
    """One sheet of the source: its content hash, or why it could not be read."""

    path: Path
    sha256: str | None
    error: str | None = None


@dataclass
class Discovery:
    """The sheets found under a folder and what could not be looked into (named, never silently skipped)."""

    paths: list[Path] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path relative to the source, why)


def discover_sheets(source: Path) -> list[Path]:
    """Every .xlsx under a folder (recursively), skipping Excel lock files; sorted for stable builds."""
    return discover(source).paths


def discover(source: Path) -> Discovery:
    """The sheets under ``source`` (symlinked folders followed once), with a warning for each folder
    that cannot be listed, each symlink loop and each link to nothing. The search looks at no more than
    :data:`MAX_ENTRIES` files and folders: ``/``, ``/proc`` or a home folder is named, not walked for hours."""
    source = Path(source)
    if not source.is_dir():
        raise BuildError(f"{source}: source folder not found")
    found = Discovery()
    seen: set[tuple[int, int]] = set()
    stack = [source]
    looked_at = 0
    while stack:
        folder = stack.pop()
        where = _relative(folder, source)
        try:
            info = folder.stat()
            with os.scandir(folder) as listing:  # never more than the budget held at once, however big the folder
                entries = list(itertools.islice(listing, MAX_ENTRIES - looked_at + 1))
        except OSError as exc:
            if folder == source:
                raise BuildError(f"{source}: source folder cannot be listed ({exc.strerror or exc})") from exc
            found.warnings.append((where, f"folder cannot be listed ({exc.strerror or exc}); any sheets in it were not read"))
            continue
        if (info.st_dev, info.st_ino) in seen:
            found.warnings.append((where, "symlink loop: this folder was already searched by another path; not searched again"))
            continue
        seen.add((info.st_dev, info.st_ino))
        looked_at += len(entries)
        if looked_at > MAX_ENTRIES:
            raise BuildError(
                f"{source}: more than {MAX_ENTRIES:,} files and folders under it (the search had reached {where}); "
                "a source is a folder of ICE sheets, not a whole disk"
            )
        for entry in sorted(entries, key=lambda e: e.name):
            path = Path(entry.path)
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as exc:
                loop = exc.errno == errno.ELOOP
                why = "symlink loop; not followed" if loop else f"cannot be looked at ({exc.strerror or exc})"
                found.warnings.append((_relative(path, source), why))
                continue
            if is_dir:
                stack.append(path)
            elif is_file:
                if path.suffix.lower() == ".xlsx" and not entry.name.startswith("~$"):
                    found.paths.append(path)
            elif entry.is_symlink():
                found.warnings.append((_relative(path, source), "symlink that leads nowhere (or loops); not followed"))
    found.paths.sort()
    return found


def _discover(root: Path, quarantine: bool) -> Discovery:
    """:func:`discover`, and for a fetched archive the sheets moved aside from it, as warnings."""
    found = discover(root)
    if quarantine:
        from mapcore.sheets.fetch import quarantine_notes

        found.warnings.extend(quarantine_notes(root))
    return found


def _moved_aside(root: Path, errors: list) -> int:
    """Move each sheet of the archive ``root`` that could not be read aside (see :func:`build`); how many."""
    from mapcore.sheets.fetch import quarantine

    moved = 0
    for error in errors:
        path = root / error.file
        if path.is_file():
            try:
                quarantine(root, path, error.reason)
            except OSError:  # it stays a named error of this build
                continue
            moved += 1
    return moved


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root)) if path != root else "."
    except ValueError:
        return str(path)


def source_key(paths: list[Path]) -> tuple[str, list[SourceFile]]:
    """A key for the source's content (file hashes, not names or times) plus each file's hash.
    A file that cannot be read is named in the key (it changes when the file becomes readable)."""
    files = []
    for path in paths:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                files.append(
                    SourceFile(
                        path, None, f"{size / 1e6:,.0f} MB, larger than any ICE sheet could be ({MAX_FILE_BYTES / 1e6:,.0f} MB); not read"
                    )
                )
                continue
            files.append(SourceFile(path, sha256_of(path)))
        except OSError as exc:
            reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
            files.append(SourceFile(path, None, f"cannot be read: {reason}"))
    digest = hashlib.sha256(f"build={BUILD_VERSION};fixes={_fixes_hash()};ori={_ori_hash()}".encode())
    for token in sorted(f.sha256 or f"unreadable:{f.path.name}" for f in files):
        digest.update(token.encode())
    return digest.hexdigest()[:20], files


def build(
    source: Path | str | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    skip_bad: bool = False,
    force: bool = False,
    snapshot: Path | None = None,
    quarantine: bool = False,
    source_name: str | None = None,
) -> tuple[Dataset, bool]:
    """Build (or reuse) the dataset for a source folder. Returns (dataset, built_now).

    With ``snapshot`` (a folder written by ``mapcore snapshot``), the sheets of ``source`` (which may
    be None, or a folder with no sheet yet) are added on top of the snapshot's: a sheet whose bytes the
    snapshot already holds is not read again. A ``source`` that is itself a snapshot folder is that
    snapshot alone.

    With ``quarantine`` the source is an archive this program fetched (:mod:`mapcore.sheets.fetch`): a sheet
    in it that cannot be read is moved aside with a note (:func:`mapcore.sheets.fetch.quarantine`) and the
    build goes on without it, so one bad download never fails every later start; each sheet moved aside
    stays named in the dataset's warnings. A folder of the user's own is never touched.

    ``source_name`` (the source as configured: a URL or a folder; default the folder, or the snapshot) names
    whose dataset this is: each source sharing a cache keeps its own last good dataset
    (:func:`mapcore.build.store.load`)."""
    root = Path(source or config.source()).expanduser() if source is not None or snapshot is None else None
    cache = cache or config.cache_dir()
    if root is not None and snapshot is None and snapshots.is_snapshot(root):
        root, snapshot = None, root
    source_name = source_name or str(root or snapshot)
    if snapshot is not None:
        return _build_on_snapshot(Path(snapshot), root, cache, progress, workers, skip_bad, force, quarantine, source_name)
    assert root is not None
    found = _discover(root, quarantine)
    if not found.paths:
        raise BuildError(f"{root}: no .xlsx sheets found" + "".join(f"; {w}: {why}" for w, why in found.warnings))
    key, files = source_key(found.paths)
    reused = reuse(cache, key, force, source_name)
    if reused is not None:
        return reused, False
    results, errors, copies = _read_all(files, root, progress, workers)
    if quarantine and _moved_aside(root, errors):  # built again without them (their hashes left the key)
        return build(root, cache, progress, workers, skip_bad, force, None, quarantine, source_name)
    if errors and not skip_bad:
        listing = "; ".join(str(e) for e in errors)
        raise BuildError(f"{len(errors)} sheet(s) could not be read, previous dataset kept: {listing}")
    if not results:
        raise BuildError(f"{root}: none of the {len(errors)} sheet(s) could be read: " + "; ".join(str(e) for e in errors))
    frames = _assemble(results, errors, copies, root, key, found.warnings)
    return publish(cache, key, frames, source_name), True


def build_inputs() -> dict:
    """What a build depends on besides the sheets: the code's build version and the reviewed tables."""
    return {"build_version": BUILD_VERSION, "fixes": _fixes_hash(), "ori": _ori_hash()}


def _build_on_snapshot(
    folder: Path,
    root: Path | None,
    cache: Path,
    progress: Progress | None,
    workers: int | None,
    skip_bad: bool,
    force: bool,
    quarantine: bool = False,
    source_name: str | None = None,
) -> tuple[Dataset, bool]:
    """The snapshot's dataset with the sheets under ``root`` (if any) added on top.

    The snapshot's records are placed, keyed and linked again together with the new sheets' (as a build
    of all the sheets would), and also when the reviewed tables or the build version changed since the
    snapshot was made; otherwise its frames are used as they are."""
    try:
        info = snapshots.read_info(folder)
    except snapshots.SnapshotError as exc:
        raise BuildError(str(exc)) from None
    found = _discover(root, quarantine) if root is not None and root.is_dir() else Discovery()
    _, files = source_key(found.paths)
    known = snapshots.sheet_hashes(info)
    new = [f for f in files if f.sha256 not in known]
    inputs = build_inputs()
    digest = hashlib.sha256(f"snapshot={snapshots.digest(info)};inputs={json.dumps(inputs, sort_keys=True)}".encode())
    for token in sorted(f.sha256 or f"unreadable:{f.path}" for f in new):
        digest.update(token.encode())
    key = "s" + digest.hexdigest()[:19]
    reused = reuse(cache, key, force, source_name)
    if reused is not None:
        return reused, False
    try:
        base = snapshots.read(folder)
    except snapshots.SnapshotError as exc:
        raise BuildError(str(exc)) from None
    results, errors, copies = _read_all(new, root, progress, workers) if new and root is not None else ([], [], [])
    if quarantine and root is not None and _moved_aside(root, errors):
        return build(root, cache, progress, workers, skip_bad, force, folder, quarantine, source_name)
    if errors and not skip_bad:
        listing = "; ".join(str(e) for e in errors)
        raise BuildError(f"{len(errors)} sheet(s) could not be read, previous dataset kept: {listing}")
    if results or errors or info.get("inputs") != inputs:
        frames = _assemble(results, errors, copies, root or folder, key, found.warnings, base=base)
    else:
        frames = _snapshot_frames(base, key)
        frames["meta"]["warnings"] = [*frames["meta"].get("warnings", []), *(f"{where}: {why}" for where, why in found.warnings)]
    in_snapshot = [str(f.path.relative_to(root)) for f in files if root is not None and f.sha256 in known]
    frames["meta"] |= _snapshot_meta(base, root, results, in_snapshot)
    made_by = base.info.get("inputs", {}).get("build_version")
    if made_by != BUILD_VERSION:  # placed and keyed again above, but its sheets were read by the older reader
        frames["meta"]["warnings"] = [
            *frames["meta"]["warnings"],
            f"{folder}: its sheets were read by build version {made_by} "
            f"(this code reads them as version {BUILD_VERSION}); write it again with `mapcore snapshot`",
        ]
    return publish(cache, key, frames, source_name), True


def _snapshot_frames(base: snapshots.Snapshot, key: str) -> dict:
    """The snapshot's frames as a dataset (nothing added, same inputs: nothing to compute again)."""
    meta = {
        "key": key,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_version": base.info.get("inputs", {}).get("build_version"),
        "sheets": int(len(base.sheets)),
        **{k: list(v) for k, v in base.build_meta.items()},
        "agreements": int(len(base.agreements)),
    }
    return {"agreements": base.agreements, "problems": base.problems, "sheets": base.sheets, "meta": meta}


def _snapshot_meta(base: snapshots.Snapshot, root: Path | None, results: list, in_snapshot: list[str]) -> dict:
    """Where a snapshot-based dataset comes from, for the meta file (and the app's notes)."""
    added = f"; {len(results)} sheet(s) from {root} added on top" if results else ""
    return {
        "source": f"snapshot {base.folder} ({base.info.get('sheets')} sheets up to {base.info.get('newest_publication')}){added}",
        "snapshot": {
            "folder": str(base.folder),
            "sheets": base.info.get("sheets"),
            "oldest_publication": base.info.get("oldest_publication"),
            "newest_publication": base.info.get("newest_publication"),
            "inputs": base.info.get("inputs"),
        },
        "added_sheets": len(results),
        "already_in_snapshot": in_snapshot,  # sheets of the folder whose bytes the snapshot holds (read once)
    }


def _read_all(files: list[SourceFile], root: Path, progress: Progress | None, workers: int | None):
    from mapcore.sheets.sheet import SheetError

    seen: dict[str, str] = {}
    jobs: list[tuple[str, str, str]] = []
    copies: list[tuple[str, str]] = []
    errors: list[SheetError] = []
    for file in files:
        display = str(file.path.relative_to(root))
        if file.sha256 is None:
            errors.append(SheetError(display, file.error or "cannot be read"))
            continue
        if file.sha256 in seen:
            copies.append((display, seen[file.sha256]))
            continue
        seen[file.sha256] = display
        jobs.append((str(file.path), display, file.sha256))
    workers = workers or min(4, os.cpu_count() or 1)
    results: list = []
    for done, out in enumerate(_outputs(jobs, workers), start=1):
        (errors if isinstance(out, SheetError) else results).append(out)
        if progress:
            progress(done, len(jobs), jobs[done - 1][1])
    return results, errors, copies


def _outputs(jobs: list[tuple[str, str, str]], workers: int) -> Iterator:
    """Each job's SheetResult or SheetError, in job order; every sheet is read in a worker process that cannot
    take the build down (see :func:`mapcore.sheets.sheet.read_sheets`)."""
    from mapcore.sheets.sheet import read_sheets

    return read_sheets(jobs, workers)


PROBLEM_COLUMNS = ["file", "row", "column", "message", "severity"]


def _assemble(
    results: list,
    errors: list,
    copies,
    root: Path,
    key: str,
    warnings: list[tuple[str, str]] | None = None,
    base: snapshots.Snapshot | None = None,
) -> dict:
    """One table from the sheets read (SheetResult) and the named errors (SheetError) of the rest, on
    top of a snapshot's sheets (``base``) if given: its records are placed, keyed and linked again with
    the new ones, in the order a build of all the sheets would read them (by file path)."""
    from mapcore.build.place import place_agreements
    from mapcore.reference.gazetteer import load_place_context
    from mapcore.sheets.sheet import Problem

    records = [r for result in results for r in result.records]
    agreements = pd.DataFrame.from_records(records)
    sheets = pd.DataFrame([_sheet_row(r) for r in results])
    if base is not None:
        agreements = _by_path(pd.concat([_as_read(base.agreements), agreements], ignore_index=True))
        sheets = _by_path(pd.concat([base.sheets.drop(columns="sequence"), sheets], ignore_index=True))
    agreements = place_agreements(agreements, load_place_context()) if len(agreements) else agreements
    agreements = _typed(agreements)
    sheets = sheets.sort_values(["publication_date", "kind", "order_rank", "saved"]).reset_index(drop=True)
    sheets["sequence"] = range(len(sheets))
    agreements = _with_identity(agreements, sheets)
    agreements = _with_ori(agreements)
    agreements = _with_fbi_county(agreements)
    problems = [p.as_dict() for result in results for p in result.problems]
    problems += [Problem(e.file, e.row, e.column, e.reason, "error").as_dict() for e in errors]
    problems += [Problem(copy, None, None, f"same bytes as {original}; read once", "warning").as_dict() for copy, original in copies]
    problems += [Problem(where, None, None, why, "warning").as_dict() for where, why in warnings or []]
    problem_frame = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    if base is not None and len(base.problems):
        problem_frame = pd.concat([base.problems[PROBLEM_COLUMNS], problem_frame], ignore_index=True) if problems else base.problems.copy()
    problem_frame["row"] = problem_frame["row"].astype("Int64")
    earlier = base.build_meta if base is not None else {}
    meta = {
        "key": key,
        "source": str(root),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_version": BUILD_VERSION,
        "sheets": int(len(sheets)),
        "unreadable": list(earlier.get("unreadable", [])) + [str(e) for e in errors],
        "copies": list(earlier.get("copies", [])) + [{"file": c, "same_as": o} for c, o in copies],
        "warnings": list(earlier.get("warnings", [])) + [f"{where}: {why}" for where, why in warnings or []],
        "agreements": int(len(agreements)),
    }
    return {"agreements": agreements, "problems": problem_frame, "sheets": sheets, "meta": meta}


def _as_read(agreements: pd.DataFrame) -> pd.DataFrame:
    """A built table's columns as reading a sheet gives them (plain values, missing as None), to be
    placed and keyed again."""
    frame = agreements[list(READ_COLUMNS)].copy()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.CategoricalDtype) or frame[column].dtype == object:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def _by_path(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order a build reads their sheets (by path, as :func:`discover` sorts), each sheet's
    rows kept in their order."""
    codes, files = pd.factorize(frame["source_file"].astype(str))
    rank = {code: n for n, code in enumerate(sorted(range(len(files)), key=lambda c: Path(files[c]).parts))}
    order = np.argsort(np.array([rank[c] for c in range(len(files))], dtype=np.int64)[codes], kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _with_identity(agreements: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Each agreement's identity across publications (see :mod:`mapcore.build.agreement_keys`), computed once
    per build so pages never redo the typo-tolerant matching."""
    from mapcore.build.agreement_keys import places_named_twice, with_identity
    from mapcore.reference.fbi_roster import roster_table

    if agreements.empty:
        return agreements.assign(agency_norm=None, agency_id=None, key=None)
    keyed = with_identity(agreements, sheets, places_named_twice=places_named_twice(roster_table()))
    for column in ("agency_norm", "agency_id", "key"):
        keyed[column] = keyed[column].astype("category")
    return keyed


def _with_ori(agreements: pd.DataFrame) -> pd.DataFrame:
    """Each agency's FBI record (ORI) from the roster in ``data/`` (see :mod:`mapcore.build.ori_match`), matched
    once per build."""
    from mapcore.build.ori_match import link_ori
    from mapcore.reference.fbi_roster import load_ori_context

    return link_ori(agreements, load_ori_context())


def _with_fbi_county(agreements: pd.DataFrame) -> pd.DataFrame:
    """Where the FBI roster's county of the linked agency is not the placed one (:mod:`mapcore.build.county_check`)."""
    from mapcore.build.county_check import with_fbi_county
    from mapcore.reference.fbi_roster import roster_table
    from mapcore.reference.gazetteer import load_place_context

    return with_fbi_county(agreements, roster_table(), load_place_context().counties.name)


def _sheet_row(result) -> dict:
    return {
        "publication_id": result.publication_id,
        "source_file": result.file,
        "source_sha256": result.sha256,
        "kind": result.kind,
        "publication_date": pd.Timestamp(result.publication.date),
        "date_method": result.publication.method,
        "order_rank": result.publication.order[0],
        "saved": pd.Timestamp(result.publication.order[1]) if result.publication.order[1] != dt.datetime.min else pd.NaT,
        "agreements": len(result.records),
        "duplicates_removed": result.duplicates_removed,
        "problems": len(result.problems),
        "columns": ", ".join(result.columns),
    }


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in DATASET_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[list(DATASET_COLUMNS)].copy()
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    frame["signed"] = pd.to_datetime(frame["signed"])
    frame["row"] = frame["row"].astype("int32")
    frame["moa_pending"] = frame["moa_pending"].fillna(False).astype(bool)
    for column in (
        "kind",
        "state",
        "state_fips",
        "jurisdiction_type",
        "model",
        "level",
        "placed_by",
        "publication_id",
        "source_file",
        "source_sha256",
    ):
        frame[column] = frame[column].astype("category")
    return frame


def _fixes_hash() -> str:
    """A hash of every reviewed table placement reads (fixes, regional bodies, judicial circuits)."""
    from mapcore.reference.gazetteer import REVIEWED_TABLES

    digest = hashlib.sha256()
    for table in REVIEWED_TABLES:
        digest.update(table.read_bytes() if table.is_file() else b"none")
    return digest.hexdigest()[:12]


def _ori_hash() -> str:
    """The FBI roster and the reviewed ORI fixes: a change to either rebuilds the dataset."""
    from mapcore.reference.fbi_roster import inputs_hash

    return inputs_hash()
