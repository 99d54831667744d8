"""Atomic file writes (a temporary file in the same folder, then a rename) and content hashes.

A reader never sees a half-written file, and a writer killed mid-way leaves the old file intact.
Only a regular file (or nothing) is ever renamed over: a character device or a FIFO named as the output
(``-o /dev/stdout``, a pipe) is written through, as a shell's redirection would; a symlink's target is
written, the link kept; a folder, a block device or a socket is refused. Every failure is a
:class:`WriteError` naming the path in one line.
Files are identified by content (sha256), never by name or time.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path


class WriteError(OSError):
    """An output that cannot be written; the message names the path and why, in one line."""


def output_path(text: str, option: str = "-o", folder: bool = False) -> Path:
    """The path a command was given to write to, checked before any work is done: an empty name, and (unless
    a ``folder`` is what is written) a folder, a block device or a socket, are refused by name."""
    if not str(text).strip():
        raise WriteError(f"{option} {text!r}: no file name given")
    path = Path(text)
    if not folder:
        _writable(path)
    elif os.path.lexists(path) and not path.is_dir():
        raise WriteError(f"{path}: exists and is not a folder; not replaced")
    return path


def write_bytes_atomically(path: Path | str, data: bytes, durable: bool = True) -> None:
    """``durable=False`` skips the fsync (still atomic: a reader sees the old file or the new one) for a
    writer of many files that makes them durable at once (``os.sync``) before recording them."""
    target = _writable(Path(path))
    if target is None:
        return _write_through(Path(path), data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _named(path, exc) from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes 0600; the result is an ordinary readable file
        os.replace(temp, target)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise _named(path, exc) from exc
        raise


def write_text_atomically(path: Path | str, text: str) -> None:
    write_bytes_atomically(path, text.encode("utf-8"))


def _writable(path: Path) -> Path | None:
    """Where to put the new file (a symlink's target), or None for a device or FIFO to write through."""
    if not str(path) or str(path) == ".":
        raise WriteError(f"{str(path)!r}: no file name given")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError as exc:
        raise _named(path, exc) from exc
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(path))
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return None
    if stat.S_ISDIR(mode):
        raise WriteError(f"{path}: is a folder; give a file name")
    kind = "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "special file"
    raise WriteError(f"{path}: is a {kind}, not a file; not written")


def _write_through(path: Path, data: bytes) -> None:
    """Write to a character device or FIFO in place. A FIFO is opened without waiting: one that nobody reads
    is named instead of hanging the command."""
    fifo = stat.S_ISFIFO(os.stat(path).st_mode)
    try:
        fd = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if fifo else 0))
    except OSError as exc:
        if fifo and exc.errno == errno.ENXIO:  # no reader at the other end
            raise WriteError(f"{path}: a FIFO that nobody is reading; not written") from exc
        raise _named(path, exc) from exc
    try:
        if fifo:
            os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _named(path, exc) from exc
    finally:
        os.close(fd)


def _named(path: Path | str, exc: OSError) -> WriteError:
    return WriteError(f"{path}: cannot be written ({exc.strerror or exc})")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
