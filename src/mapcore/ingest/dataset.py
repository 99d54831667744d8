"""Build the one tidy table of all agreements of all publications, cached on disk.

A build reads every sheet under the source folder (in parallel), places each agreement, and writes
the result to ``MAPCORE_CACHE`` as Parquet. It is keyed by the sheets' content hashes (and the code
version), so an unchanged source is not read again. Every build writes a new folder (under a
temporary name, renamed into place when complete) and then switches the pointer file to it: a build
killed half-way leaves the previous dataset intact, and a forced rebuild never touches a folder a
reader may be using. Old folders are removed only when no process holds them (:mod:`mapcore.core.leases`).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mapcore.core import config, leases
from mapcore.core.atomic import sha256_of, write_text_atomically
from mapcore.core.schema import DATASET_COLUMNS, READ_COLUMNS
from mapcore.ingest import snapshot as snapshots

# Bump when reading or placing changes what a build produces, so caches are rebuilt.
BUILD_VERSION = "7"   # 4: ORI links (context); 5: regional bodies, SafeLinks (reporter); 6: both;
                      # 7: numbers and place kinds in identity, type by name, town's own county, fbi_county
POINTER = "current.json"
KEEP_BUILDS = 3          # old dataset folders kept as a safety net (when nobody uses them)
_PINNED_MAX = 3          # datasets one process keeps leases on (the app: the data it shows)

Progress = Callable[[int, int, str], None]


class BuildError(RuntimeError):
    """The source could not be built into a dataset; the previous dataset (if any) stays in use."""


@dataclass(frozen=True)
class Dataset:
    """A built dataset: agreements, problems and one row per sheet (``sheets``)."""

    agreements: pd.DataFrame
    problems: pd.DataFrame
    sheets: pd.DataFrame
    meta: dict
    path: Path

    @property
    def key(self) -> str:
        return self.meta["key"]


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
    that cannot be listed, each symlink loop and each link to nothing."""
    source = Path(source)
    if not source.is_dir():
        raise BuildError(f"{source}: source folder not found")
    found = Discovery()
    seen: set[tuple[int, int]] = set()
    stack = [source]
    while stack:
        folder = stack.pop()
        where = _relative(folder, source)
        try:
            info = folder.stat()
            entries = list(os.scandir(folder))
        except OSError as exc:
            if folder == source:
                raise BuildError(f"{source}: source folder cannot be listed ({exc.strerror or exc})") from exc
            found.warnings.append((where, f"folder cannot be listed ({exc.strerror or exc}); any sheets in it were not read"))
            continue
        if (info.st_dev, info.st_ino) in seen:
            found.warnings.append((where, "symlink loop: this folder was already searched by another path; not searched again"))
            continue
        seen.add((info.st_dev, info.st_ino))
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
) -> tuple[Dataset, bool]:
    """Build (or reuse) the dataset for a source folder. Returns (dataset, built_now).

    With ``snapshot`` (a folder written by ``mapcore snapshot``), the sheets of ``source`` (which may
    be None, or a folder with no sheet yet) are added on top of the snapshot's: a sheet whose bytes the
    snapshot already holds is not read again. A ``source`` that is itself a snapshot folder is that
    snapshot alone."""
    root = Path(source or config.source()).expanduser() if source is not None or snapshot is None else None
    cache = cache or config.cache_dir()
    if root is not None and snapshot is None and snapshots.is_snapshot(root):
        root, snapshot = None, root
    if snapshot is not None:
        return _build_on_snapshot(Path(snapshot), root, cache, progress, workers, skip_bad, force)
    assert root is not None
    found = discover(root)
    if not found.paths:
        raise BuildError(f"{root}: no .xlsx sheets found" + "".join(f"; {w}: {why}" for w, why in found.warnings))
    key, files = source_key(found.paths)
    reused = _reuse(cache, key, force)
    if reused is not None:
        return reused, False
    results, errors, copies = _read_all(files, root, progress, workers)
    if errors and not skip_bad:
        listing = "; ".join(str(e) for e in errors)
        raise BuildError(f"{len(errors)} sheet(s) could not be read, previous dataset kept: {listing}")
    if not results:
        raise BuildError(f"{root}: none of the {len(errors)} sheet(s) could be read: " + "; ".join(str(e) for e in errors))
    frames = _assemble(results, errors, copies, root, key, found.warnings)
    return _publish(cache, key, frames), True


def _publish(cache: Path, key: str, frames: dict) -> Dataset:
    """Write a new dataset folder, make it the current one, prune old ones; the dataset as loaded."""
    target = _write_new_folder(cache, key, frames)
    _point_to(cache, target)
    _prune(cache, keep=target)
    return load(target)


def _reuse(cache: Path, key: str, force: bool) -> Dataset | None:
    """The finished dataset of this key (made current), unless forced to rebuild."""
    existing = None if force else _complete_folder(cache, key)
    if existing is None:
        return None
    try:
        dataset = load(existing)
    except BuildError:
        return None  # removed by another build's prune a moment ago: build it again
    _point_to(cache, existing)
    return dataset


def build_inputs() -> dict:
    """What a build depends on besides the sheets: the code's build version and the reviewed tables."""
    return {"build_version": BUILD_VERSION, "fixes": _fixes_hash(), "ori": _ori_hash()}


def _build_on_snapshot(folder: Path, root: Path | None, cache: Path, progress: Progress | None, workers: int | None,
                       skip_bad: bool, force: bool) -> tuple[Dataset, bool]:
    """The snapshot's dataset with the sheets under ``root`` (if any) added on top.

    The snapshot's records are placed, keyed and linked again together with the new sheets' (as a build
    of all the sheets would), and also when the reviewed tables or the build version changed since the
    snapshot was made; otherwise its frames are used as they are."""
    try:
        info = snapshots.read_info(folder)
    except snapshots.SnapshotError as exc:
        raise BuildError(str(exc)) from None
    found = discover(root) if root is not None and root.is_dir() else Discovery()
    _, files = source_key(found.paths)
    known = snapshots.sheet_hashes(info)
    new = [f for f in files if f.sha256 not in known]
    inputs = build_inputs()
    digest = hashlib.sha256(f"snapshot={snapshots.digest(info)};inputs={json.dumps(inputs, sort_keys=True)}".encode())
    for token in sorted(f.sha256 or f"unreadable:{f.path}" for f in new):
        digest.update(token.encode())
    key = "s" + digest.hexdigest()[:19]
    reused = _reuse(cache, key, force)
    if reused is not None:
        return reused, False
    try:
        base = snapshots.read(folder)
    except snapshots.SnapshotError as exc:
        raise BuildError(str(exc)) from None
    results, errors, copies = _read_all(new, root, progress, workers) if new and root is not None else ([], [], [])
    if errors and not skip_bad:
        listing = "; ".join(str(e) for e in errors)
        raise BuildError(f"{len(errors)} sheet(s) could not be read, previous dataset kept: {listing}")
    if results or errors or info.get("inputs") != inputs:
        frames = _assemble(results, errors, copies, root or folder, key, found.warnings, base=base)
    else:
        frames = _snapshot_frames(base, key)
    in_snapshot = [str(f.path.relative_to(root)) for f in files if root is not None and f.sha256 in known]
    frames["meta"] |= _snapshot_meta(base, root, results, in_snapshot)
    made_by = base.info.get("inputs", {}).get("build_version")
    if made_by != BUILD_VERSION:  # placed and keyed again above, but its sheets were read by the older reader
        frames["meta"]["warnings"] = [*frames["meta"]["warnings"], f"{folder}: its sheets were read by build version {made_by} "
                                      f"(this code reads them as version {BUILD_VERSION}); write it again with `mapcore snapshot`"]
    return _publish(cache, key, frames), True


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
        "snapshot": {"folder": str(base.folder), "sheets": base.info.get("sheets"),
                     "oldest_publication": base.info.get("oldest_publication"),
                     "newest_publication": base.info.get("newest_publication"),
                     "inputs": base.info.get("inputs")},
        "added_sheets": len(results),
        "already_in_snapshot": in_snapshot,   # sheets of the folder whose bytes the snapshot holds (read once)
    }


def load(path: Path | None = None, cache: Path | None = None, pin: bool = False) -> Dataset:
    """Load a built dataset (by default the current one named by the cache's pointer file).

    The folder is held (a shared lease) while it is read, so no build removes it meanwhile; with
    ``pin`` the lease is kept after reading (a process showing this data keeps it on disk)."""
    for _ in range(5):
        folder = path if path is not None else _current_folder(cache or config.cache_dir())
        lease = leases.share(folder)
        if lease is None or not (folder / "meta.json").is_file():
            if lease is not None:
                lease.release()
            if path is not None:
                raise BuildError(f"{folder}: no complete dataset there (removed, or never finished)")
            continue  # the pointer moved on and the old folder went: read the pointer again
        try:
            dataset = _read_folder(folder)
        finally:
            if pin:
                _pin(lease)
            else:
                lease.release()
        return dataset
    raise BuildError(f"{cache}: the current dataset kept changing while it was read; try again")


def _current_folder(cache: Path) -> Path:
    pointer = cache / POINTER
    if not pointer.is_file():
        raise BuildError(f"{cache}: no dataset built yet (run `mapcore build`)")
    return cache / json.loads(pointer.read_text())["dataset"]


def _read_folder(folder: Path) -> Dataset:
    meta = json.loads((folder / "meta.json").read_text())
    agreements = pd.read_parquet(folder / "agreements.parquet")
    problems = pd.read_parquet(folder / "problems.parquet")
    sheets = pd.read_parquet(folder / "sheets.parquet")
    return Dataset(agreements, problems, sheets, meta, folder)


_pinned: list[leases.Lease] = []


def _pin(lease: leases.Lease) -> None:
    """Keep a lease for as long as this process shows the data (the newest few per process)."""
    for held in [h for h in _pinned if h.folder == lease.folder]:
        _pinned.remove(held)
        held.release()
    _pinned.append(lease)
    while len(_pinned) > _PINNED_MAX:
        _pinned.pop(0).release()


def _complete_folder(cache: Path, key: str) -> Path | None:
    """A finished dataset folder for this key: the current one if it is, else the newest."""
    candidates = [p for p in cache.glob(f"dataset-{key}*") if (p / "meta.json").is_file()]
    if not candidates:
        return None
    try:
        current = _current_folder(cache)
    except (BuildError, OSError, ValueError, KeyError):
        current = None
    if current in candidates:
        return current
    return max(candidates, key=_mtime)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_all(files: list[SourceFile], root: Path, progress: Progress | None, workers: int | None):
    from mapcore.ingest.sheet import SheetError

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
    """Each job's SheetResult or SheetError, in job order; sheets are read in worker processes.

    Workers are forked (spawn and forkserver would re-run ``__main__``, which under Streamlit is the
    page script itself) and reset to the default signal handlers, so a server's SIGTERM handler never
    runs in a worker and a worker stops with its server. A pool that breaks names the sheets it lost."""
    from mapcore.ingest.sheet import SheetError, read_or_error

    if workers == 1 or len(jobs) < 4:
        yield from map(read_or_error, jobs)
        return
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_init)
    try:
        futures = [pool.submit(read_or_error, job) for job in jobs]
        for job, future in zip(jobs, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield SheetError(job[1], "not read: the process reading it died (out of memory?)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_init() -> None:
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)


PROBLEM_COLUMNS = ["file", "row", "column", "message", "severity"]


def _assemble(results: list, errors: list, copies, root: Path, key: str, warnings: list[tuple[str, str]] | None = None,
              base: snapshots.Snapshot | None = None) -> dict:
    """One table from the sheets read (SheetResult) and the named errors (SheetError) of the rest, on
    top of a snapshot's sheets (``base``) if given: its records are placed, keyed and linked again with
    the new ones, in the order a build of all the sheets would read them (by file path)."""
    from mapcore.ingest.counties import load_place_context
    from mapcore.ingest.place import place_agreements
    from mapcore.ingest.sheet import Problem

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
    """Each agreement's identity across publications (see :mod:`mapcore.ingest.identity`), computed once
    per build so pages never redo the typo-tolerant matching."""
    from mapcore.ingest.identity import places_named_twice, with_identity
    from mapcore.ingest.ori import roster_table

    if agreements.empty:
        return agreements.assign(agency_norm=None, agency_id=None, key=None)
    keyed = with_identity(agreements, sheets, places_named_twice=places_named_twice(roster_table()))
    for column in ("agency_norm", "agency_id", "key"):
        keyed[column] = keyed[column].astype("category")
    return keyed


def _with_ori(agreements: pd.DataFrame) -> pd.DataFrame:
    """Each agency's FBI record (ORI) from the roster in ``data/`` (see :mod:`mapcore.ingest.ori`), matched
    once per build."""
    from mapcore.ingest.ori import link_ori, load_ori_context

    return link_ori(agreements, load_ori_context())


def _with_fbi_county(agreements: pd.DataFrame) -> pd.DataFrame:
    """Where the FBI roster's county of the linked agency is not the placed one (:mod:`mapcore.ingest.county_check`)."""
    from mapcore.ingest.counties import load_place_context
    from mapcore.ingest.county_check import with_fbi_county
    from mapcore.ingest.ori import roster_table

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
    for column in ("kind", "state", "state_fips", "jurisdiction_type", "model", "level", "placed_by", "publication_id", "source_file",
        "source_sha256"):
        frame[column] = frame[column].astype("category")
    return frame


def _write_new_folder(cache: Path, key: str, frames: dict) -> Path:
    """Write the dataset into a new staging folder (held exclusively while written, so no prune takes
    it), then rename it to a new ``dataset-<key>-<suffix>`` folder; an existing folder is never touched."""
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".dataset-{key}.", dir=cache))
    lease = leases.own(staging)
    try:
        frames["agreements"].to_parquet(staging / "agreements.parquet", index=False)
        frames["problems"].to_parquet(staging / "problems.parquet", index=False)
        frames["sheets"].to_parquet(staging / "sheets.parquet", index=False)
        (staging / "meta.json").write_text(json.dumps(frames["meta"], indent=1))
        target = cache / f"dataset-{key}-{staging.name.rsplit('.', 1)[-1]}"
        os.replace(staging, target)
    except BaseException:
        lease.release()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    lease.release()
    return target


def _point_to(cache: Path, target: Path) -> None:
    write_text_atomically(cache / POINTER, json.dumps({"dataset": target.name}))


def _prune(cache: Path, keep: Path, keep_last: int = KEEP_BUILDS) -> None:
    """Remove old dataset folders nobody uses, keeping the newest few (a safety net for the last good
    data), and staging folders of builds that died (a live build holds its own: never removed)."""
    try:
        current = _current_folder(cache)
    except (BuildError, OSError, ValueError, KeyError):
        current = keep
    builds = sorted((p for p in cache.glob("dataset-*") if p.is_dir() and p not in (keep, current)), key=_mtime)
    for old in builds[:-keep_last] if keep_last else builds:
        leases.remove_if_unused(old, min_age_unlocked_s=0)
    for staging in cache.glob(".dataset-*"):
        if staging.is_dir():
            leases.remove_if_unused(staging)
    for trash in cache.glob(f"{leases.TRASH_PREFIX}*"):
        shutil.rmtree(trash, ignore_errors=True)


def _fixes_hash() -> str:
    """A hash of every reviewed table placement reads (fixes, regional bodies, judicial circuits)."""
    from mapcore.ingest.counties import REVIEWED_TABLES

    digest = hashlib.sha256()
    for table in REVIEWED_TABLES:
        digest.update(table.read_bytes() if table.is_file() else b"none")
    return digest.hexdigest()[:12]


def _ori_hash() -> str:
    """The FBI roster and the reviewed ORI fixes: a change to either rebuilds the dataset."""
    from mapcore.ingest.ori import inputs_hash

    return inputs_hash()
