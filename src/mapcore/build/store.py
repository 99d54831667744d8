"""The on-disk store of built datasets: one folder per build under ``MAPCORE_CACHE``, and a pointer to the current one.

Every build writes a new folder (under a temporary name, renamed into place when complete) and then
switches the pointer file to it: a build killed half-way leaves the previous dataset intact, and a
forced rebuild never touches a folder a reader may be using. Old folders are removed only when no
process holds them (:mod:`mapcore.core.leases`); a process showing a dataset keeps a lease on it.
The pipeline that makes a dataset is :mod:`mapcore.build.pipeline`.
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

from mapcore.core import config, leases
from mapcore.core.atomic import write_text_atomically

POINTER = "current.json"  # the dataset last published or reused in this cache, whatever its source
KEEP_BUILDS = 3  # old dataset folders kept as a safety net (when nobody uses them)
_PINNED_MAX = 3  # datasets one process keeps leases on (the app: the data it shows)


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


def pointer_name(source_name: str | None) -> str:
    """The pointer file of one source (a URL or a folder as configured): each source sharing a cache has its
    own last good dataset. None: the cache's :data:`POINTER`."""
    if source_name is None:
        return POINTER
    return f"current-{hashlib.sha256(source_name.encode('utf-8')).hexdigest()[:12]}.json"


def publish(cache: Path, key: str, frames: dict, source_name: str | None = None) -> Dataset:
    """Write a new dataset folder, make it the current one (of the cache and of ``source_name``), prune old
    ones; the dataset as loaded."""
    target = _write_new_folder(cache, key, frames)
    _point_to(cache, target, source_name)
    _prune(cache, keep=target)
    return load(target)


def reuse(cache: Path, key: str, force: bool, source_name: str | None = None) -> Dataset | None:
    """The finished dataset of this key (made current), unless forced to rebuild. Nothing is written when the
    pointers already name it: reusing works on a full disk."""
    existing = None if force else _complete_folder(cache, key)
    if existing is None:
        return None
    try:
        dataset = load(existing)
    except BuildError:
        return None  # removed by another build's prune a moment ago: build it again
    _point_to(cache, existing, source_name)
    return dataset


def load(path: Path | None = None, cache: Path | None = None, pin: bool = False, source_name: str | None = None) -> Dataset:
    """Load a built dataset (by default the current one named by the cache's pointer file, or by the pointer
    of ``source_name``: that source's last good dataset, never another source's).

    The folder is held (a shared lease) while it is read, so no build removes it meanwhile; with
    ``pin`` the lease is kept after reading (a process showing this data keeps it on disk)."""
    for _ in range(5):
        folder = path if path is not None else _current_folder(cache or config.cache_dir(), source_name)
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


def _current_folder(cache: Path, source_name: str | None = None) -> Path:
    pointer = cache / pointer_name(source_name)
    if not pointer.is_file():
        whose = f" from {source_name}" if source_name is not None else ""
        raise BuildError(f"{cache}: no dataset built yet{whose} (run `mapcore build`)")
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


def _point_to(cache: Path, target: Path, source_name: str | None = None) -> None:
    """Name ``target`` in the cache's pointer and in ``source_name``'s; a pointer that already names it is not
    written again."""
    for name, content in (
        (POINTER, {"dataset": target.name}),
        (pointer_name(source_name), {"dataset": target.name, "source": source_name}),
    ):
        try:
            if json.loads((cache / name).read_text()).get("dataset") == target.name:
                continue
        except (OSError, ValueError, AttributeError):
            pass
        write_text_atomically(cache / name, json.dumps(content))


def _pointed(cache: Path) -> set[Path]:
    """The dataset folders the cache's pointers name (its own and each source's)."""
    found = set()
    for pointer in cache.glob("current*.json"):
        try:
            found.add(cache / json.loads(pointer.read_text())["dataset"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def _prune(cache: Path, keep: Path, keep_last: int = KEEP_BUILDS) -> None:
    """Remove old dataset folders nobody uses, keeping the newest few (a safety net for the last good
    data), and staging folders of builds that died (a live build holds its own: never removed)."""
    pointed = {keep, *_pointed(cache)}  # every source's last good dataset stays
    builds = sorted((p for p in cache.glob("dataset-*") if p.is_dir() and p not in pointed), key=_mtime)
    for old in builds[:-keep_last] if keep_last else builds:
        leases.remove_if_unused(old, min_age_unlocked_s=0)
    for staging in cache.glob(".dataset-*"):
        if staging.is_dir():
            leases.remove_if_unused(staging)
    for trash in cache.glob(f"{leases.TRASH_PREFIX}*"):
        shutil.rmtree(trash, ignore_errors=True)
