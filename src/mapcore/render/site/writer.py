"""Writing an edition incrementally: a file is written only when its content changed.

The folder keeps a manifest (``manifest.json``): per file, the sha256 of its content and the day it
last changed, plus the address of every agency spelling ever published (so no address ever moves, see
:mod:`mapcore.render.site.agencies`). A new edition writes the files whose hash differs or which are
missing, leaves the others untouched (their mtimes too), and never deletes a file: a page of an
earlier edition stays where readers linked it. Each file is written atomically (temporary file, then
rename; flushed to disk all at once before the manifest is written), the manifest last, so an edition stopped
half-way is finished by the next run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from mapcore.core.atomic import write_bytes_atomically

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1


class SiteError(RuntimeError):
    """The output folder cannot hold an edition (it holds something else where a file must go)."""


@dataclass
class Manifest:
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> {"sha256", "changed"}
    agency_paths: dict[str, str] = field(default_factory=dict)  # spelling key -> agency page path

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SiteError(f"{path}: not a manifest this command wrote ({exc}); remove it or choose another folder") from None
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            raise SiteError(f"{path}: not a manifest this command wrote (version {data.get('version') if isinstance(data, dict) else '?'})")
        return cls(files=dict(data.get("files", {})), agency_paths=dict(data.get("agency_paths", {})))

    def to_bytes(self) -> bytes:
        data = {
            "version": MANIFEST_VERSION,
            "files": dict(sorted(self.files.items())),
            "agency_paths": dict(sorted(self.agency_paths.items())),
        }
        return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class Writer:
    """Writes the files of one edition into ``folder``, counting what it wrote and what it left."""

    folder: Path
    today: dt.date
    manifest: Manifest = field(default_factory=Manifest)
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    seen: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, folder: Path, today: dt.date) -> Writer:
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise SiteError(f"{folder}: exists and is not a folder")
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder, today, Manifest.read(folder))

    def write(self, path: str, data: bytes | str) -> bool:
        """Write ``path`` (relative, '/'-separated) unless the same content is already there; True when written."""
        content = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha256(content).hexdigest()
        if path in self.seen:
            raise SiteError(f"{path}: written twice in one edition")
        self.seen.add(path)
        target = self.folder / path
        known = self.manifest.files.get(path)
        if known and known.get("sha256") == digest and target.is_file():
            self.unchanged += 1
            return False
        if target.exists() and not target.is_file() or target.is_symlink():
            raise SiteError(f"{target}: exists and is not a regular file; not overwritten")
        write_bytes_atomically(target, content, durable=False)  # made durable at once in finish()
        self.manifest.files[path] = {"sha256": digest, "changed": self.today.isoformat()}
        self.written.append(path)
        return True

    def changed_on(self, path: str) -> str:
        return self.manifest.files[path]["changed"]

    def finish(self, agency_paths: dict[str, str]) -> bool:
        """Keep the agency addresses (old and new) and write the manifest if anything in it changed."""
        self.manifest.agency_paths = {**self.manifest.agency_paths, **agency_paths}
        content = self.manifest.to_bytes()
        target = self.folder / MANIFEST
        if target.is_file() and target.read_bytes() == content:
            return False
        if self.written:
            os.sync()  # every file on disk before the manifest says it is (one sync, not one per file)
        write_bytes_atomically(target, content)
        return True
