"""Folders shared between processes (built datasets): who uses one, and removing it only when nobody does.

Each folder has a lock file. A reader holds a shared lock on it while it reads the folder (or for as
long as it shows that data); the process filling a folder holds an exclusive one. A folder is removed
only when its exclusive lock is free at once: it is first renamed out of sight under that lock, so no
reader can open a half-deleted folder. Locks are ``flock`` locks: a process that dies lets go of its own.
"""

from __future__ import annotations

import errno
import os
import shutil
import time
from pathlib import Path

try:  # POSIX only; elsewhere folders are not guarded (as the fetch archive is not)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"
TRASH_PREFIX = ".trash-"


class Lease:
    """A held lock on a folder; release it (or use ``with``) when done."""

    def __init__(self, folder: Path, fd: int | None):
        self.folder, self._fd = folder, fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases its flock
            self._fd = None

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def share(folder: Path) -> Lease | None:
    """A shared lease on a folder that exists now and has not been removed; None when it is gone."""
    return _lock(folder, exclusive=False, wait=True)


def own(folder: Path) -> Lease:
    """An exclusive lease (the process writing the folder holds it until the folder is complete)."""
    lease = _lock(folder, exclusive=True, wait=True)
    if lease is None:
        raise FileNotFoundError(f"{folder}: folder vanished before it could be locked")
    return lease


def remove_if_unused(folder: Path, min_age_unlocked_s: float = 600.0) -> bool:
    """Remove ``folder`` if no process holds its lock; True when removed. A folder without a lock
    file (an older build, or one being created this instant) is removed only once it is old."""
    if not (folder / LOCK_NAME).exists():
        try:
            if time.time() - folder.stat().st_mtime < min_age_unlocked_s:
                return False
        except OSError:
            return False
    lease = _lock(folder, exclusive=True, wait=False)
    if lease is None:
        return False
    with lease:
        trash = folder.with_name(f"{TRASH_PREFIX}{folder.name}.{os.getpid()}")
        try:
            os.replace(folder, trash)
        except OSError:
            return False
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _lock(folder: Path, exclusive: bool, wait: bool) -> Lease | None:
    lock_path = folder / LOCK_NAME
    if fcntl is None:  # pragma: no cover
        return Lease(folder, None) if folder.is_dir() else None
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (PermissionError, OSError) as exc:
        # A read-only volume (a replica reading the refresher's datasets): a shared lock through a
        # read-only descriptor works the same; without a lock file the folder is read unguarded.
        if exclusive or not isinstance(exc, PermissionError) and exc.errno != errno.EROFS:
            raise
        try:
            fd = os.open(lock_path, os.O_RDONLY)
        except FileNotFoundError:
            return Lease(folder, None) if folder.is_dir() else None
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
        # Removed while we waited? Then the lock file we hold is no longer the folder's.
        if os.fstat(fd).st_ino != os.stat(lock_path).st_ino:
            raise FileNotFoundError(lock_path)
    except (BlockingIOError, FileNotFoundError):
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return Lease(folder, fd)
