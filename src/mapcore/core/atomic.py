"""Atomic file writes (a temporary file in the same folder, then a rename) and content hashes.

A reader never sees a half-written file, and a writer killed mid-way leaves the old file intact.
Files are identified by content (sha256), never by name or time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_bytes_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """``durable=False`` skips the fsync (still atomic: a reader sees the old file or the new one) for a
    writer of many files that makes them durable at once (``os.sync``) before recording them."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the result is an ordinary readable file
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    write_bytes_atomically(path, text.encode("utf-8"))


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
