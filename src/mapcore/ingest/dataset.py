"""Build the one tidy table of all agreements of all publications, cached on disk.

A build reads every sheet under the source folder (in parallel), places each agreement, and writes
the result to ``MAPCORE_CACHE`` as Parquet. It is keyed by the sheets' content hashes (and the code
version), so an unchanged source is not read again. Each build goes to its own folder, written under
a temporary name and renamed into place, and a pointer file names the current one: a build killed
half-way leaves the previous dataset intact.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mapcore.core import config
from mapcore.core.atomic import sha256_of, write_text_atomically
from mapcore.core.schema import DATASET_COLUMNS

# Bump when reading or placing changes what a build produces, so caches are rebuilt.
BUILD_VERSION = "6"   # 4: ORI links (context); 5: regional bodies, SafeLinks (reporter); 6: both
POINTER = "current.json"

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


def discover_sheets(source: Path) -> list[Path]:
    """Every .xlsx under a folder (recursively), skipping Excel lock files; sorted for stable builds."""
    source = Path(source)
    if not source.is_dir():
        raise BuildError(f"{source}: source folder not found")
    found = [p for p in source.rglob("*") if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$") and p.is_file()]
    return sorted(found)


def source_key(paths: list[Path]) -> tuple[str, list[tuple[Path, str]]]:
    """A key for the source's content (file hashes, not names or times) plus each file's hash."""
    hashed = [(p, sha256_of(p)) for p in paths]
    digest = hashlib.sha256(f"build={BUILD_VERSION};fixes={_fixes_hash()};ori={_ori_hash()}".encode())
    for sha in sorted(h for _, h in hashed):
        digest.update(sha.encode())
    return digest.hexdigest()[:20], hashed


def build(
    source: Path | str | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    skip_bad: bool = False,
    force: bool = False,
) -> tuple[Dataset, bool]:
    """Build (or reuse) the dataset for a source folder. Returns (dataset, built_now)."""
    root = Path(source or config.source()).expanduser()
    cache = cache or config.cache_dir()
    paths = discover_sheets(root)
    if not paths:
        raise BuildError(f"{root}: no .xlsx sheets found")
    key, hashed = source_key(paths)
    target = cache / f"dataset-{key}"
    if not force and (target / "meta.json").is_file():
        _point_to(cache, target)
        return load(target), False
    results, errors, copies = _read_all(hashed, root, progress, workers)
    if errors and not skip_bad:
        listing = "; ".join(str(e) for e in errors)
        raise BuildError(f"{len(errors)} sheet(s) could not be read, previous dataset kept: {listing}")
    frames = _assemble(results, errors, copies, root, key)
    _write_atomically(target, frames)
    _point_to(cache, target)
    _prune(cache, keep=target)
    return load(target), True


def load(path: Path | None = None, cache: Path | None = None) -> Dataset:
    """Load a built dataset (by default the current one named by the cache's pointer file)."""
    if path is None:
        cache = cache or config.cache_dir()
        pointer = cache / POINTER
        if not pointer.is_file():
            raise BuildError(f"{cache}: no dataset built yet (run `mapcore build`)")
        path = cache / json.loads(pointer.read_text())["dataset"]
    meta = json.loads((path / "meta.json").read_text())
    agreements = pd.read_parquet(path / "agreements.parquet")
    problems = pd.read_parquet(path / "problems.parquet")
    sheets = pd.read_parquet(path / "sheets.parquet")
    return Dataset(agreements, problems, sheets, meta, path)


def _read_one(item: tuple[str, str, str]):
    """Read one sheet in a worker: its SheetResult, or the SheetError that names what is wrong."""
    from mapcore.ingest.sheet import SheetError, read_sheet

    path, display, sha = item
    try:
        return read_sheet(Path(path), display_name=display, sha256=sha)
    except SheetError as exc:
        return exc


def _read_all(hashed, root: Path, progress: Progress | None, workers: int | None):
    seen: dict[str, str] = {}
    jobs, copies = [], []
    for path, sha in hashed:
        display = str(path.relative_to(root))
        if sha in seen:
            copies.append((display, seen[sha]))
            continue
        seen[sha] = display
        jobs.append((str(path), display, sha))
    workers = workers or min(4, os.cpu_count() or 1)
    results: list = []   # SheetResult of each sheet read
    errors: list = []    # SheetError of each sheet that could not be
    from mapcore.ingest.sheet import SheetError

    for done, out in enumerate(_outputs(jobs, workers), start=1):
        (errors if isinstance(out, SheetError) else results).append(out)
        if progress:
            progress(done, len(jobs), jobs[done - 1][1])
    return results, errors, copies


def _outputs(jobs: list, workers: int):
    """Read sheets in worker processes (openpyxl is CPU-bound), in job order."""
    if workers == 1 or len(jobs) < 4:
        yield from map(_read_one, jobs)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(_read_one, jobs, chunksize=2)


def _assemble(results: list, errors: list, copies, root: Path, key: str) -> dict:
    """One table from the sheets read (SheetResult) and the named errors (SheetError) of the rest."""
    from mapcore.ingest.counties import load_place_context
    from mapcore.ingest.place import place_agreements
    from mapcore.ingest.sheet import Problem

    records = [r for result in results for r in result.records]
    agreements = pd.DataFrame.from_records(records)
    agreements = place_agreements(agreements, load_place_context()) if len(agreements) else agreements
    agreements = _typed(agreements)
    sheets = pd.DataFrame([_sheet_row(r) for r in results])
    sheets = sheets.sort_values(["publication_date", "kind", "order_rank", "saved"]).reset_index(drop=True)
    sheets["sequence"] = range(len(sheets))
    agreements = _with_identity(agreements, sheets)
    agreements = _with_ori(agreements)
    problems = [p.as_dict() for result in results for p in result.problems]
    problems += [Problem(e.file, e.row, e.column, e.reason, "error").as_dict() for e in errors]
    problems += [Problem(copy, None, None, f"same bytes as {original}; read once", "warning").as_dict() for copy, original in copies]
    problem_frame = pd.DataFrame(problems, columns=["file", "row", "column", "message", "severity"])
    problem_frame["row"] = problem_frame["row"].astype("Int64")
    meta = {
        "key": key,
        "source": str(root),
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "build_version": BUILD_VERSION,
        "sheets": len(results),
        "unreadable": [str(e) for e in errors],
        "copies": [{"file": c, "same_as": o} for c, o in copies],
        "agreements": int(len(agreements)),
    }
    return {"agreements": agreements, "problems": problem_frame, "sheets": sheets, "meta": meta}


def _with_identity(agreements: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Each agreement's identity across publications (see :mod:`mapcore.ingest.identity`), computed once
    per build so pages never redo the typo-tolerant matching."""
    from mapcore.ingest.identity import with_identity

    if agreements.empty:
        return agreements.assign(agency_norm=None, agency_id=None, key=None)
    keyed = with_identity(agreements, sheets)
    for column in ("agency_norm", "agency_id", "key"):
        keyed[column] = keyed[column].astype("category")
    return keyed


def _with_ori(agreements: pd.DataFrame) -> pd.DataFrame:
    """Each agency's FBI record (ORI) from the roster in ``data/`` (see :mod:`mapcore.ingest.ori`), matched
    once per build."""
    from mapcore.ingest.ori import link_ori, load_ori_context

    return link_ori(agreements, load_ori_context())


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


def _write_atomically(target: Path, frames: dict) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        frames["agreements"].to_parquet(staging / "agreements.parquet", index=False)
        frames["problems"].to_parquet(staging / "problems.parquet", index=False)
        frames["sheets"].to_parquet(staging / "sheets.parquet", index=False)
        (staging / "meta.json").write_text(json.dumps(frames["meta"], indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _point_to(cache: Path, target: Path) -> None:
    write_text_atomically(cache / POINTER, json.dumps({"dataset": target.name}))


def _prune(cache: Path, keep: Path, keep_last: int = 3) -> None:
    """Remove old dataset folders, keeping the newest few (a safety net for the last good data), and
    staging folders left by builds that were killed while writing."""
    builds = sorted((p for p in cache.glob("dataset-*") if p.is_dir() and p != keep), key=lambda p: p.stat().st_mtime)
    for old in builds[:-keep_last] if keep_last else builds:
        shutil.rmtree(old, ignore_errors=True)
    for staging in cache.glob(".dataset-*"):
        if staging.is_dir() and staging.stat().st_mtime < keep.stat().st_mtime:
            shutil.rmtree(staging, ignore_errors=True)


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
