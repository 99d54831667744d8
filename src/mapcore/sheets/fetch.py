"""Fetching ICE's current 287(g) sheets into a dated, content-addressed archive.

ICE's 287(g) page links two Excel sheets (participating and pending agencies) whose file names
change with every publication. We read the page, follow every ``.xlsx`` link, check each download
really is a workbook, and keep it under ``<archive>/<YYYY-MM-DD>/<original name>`` (fetch date,
UTC). Files are kept by sha256: ``archive_index.csv`` in the archive root lists what is stored, so
the same bytes are never stored twice and no existing file is ever overwritten.

Which sheet is "participating" and which "pending" is *not* decided here (ICE has swapped the
links before); the guess from the link is recorded only as a hint for the reader of the sheet.

Every fetch is bounded: an overall deadline, a low speed below which one download is ended (a server
dripping one byte at a time cannot keep it alive: :class:`LowSpeed`), at most :data:`MAX_LINKS` sheet
links, at most :data:`MAX_FETCH_BYTES` for all sheets together (each sheet streamed to a temporary file,
never held in memory) and file names short enough for any file system (a long name is shortened, the full
URL stays in the index).

Only the standard library is used for HTTP so fetching adds no dependency.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from mapcore import __version__
from mapcore.core.atomic import sha256_of, write_bytes_atomically
from mapcore.core.config import ICE_PAGE_URL, cache_dir

try:  # POSIX only; elsewhere the archive is not locked against concurrent fetches.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

USER_AGENT = f"mapcore/{__version__} (287(g) agreements map; fetches ICE's published 287(g) sheets)"
INDEX_NAME = "archive_index.csv"
INDEX_COLUMNS: tuple[str, ...] = ("sha256", "path", "url", "fetched_at", "link_text", "guessed_kind")
LAST_FETCH_NAME = "last_fetch.json"
LOCK_NAME = ".archive.lock"
ARCHIVE_SUBDIR = "ice_archive"
MAX_SHEET_BYTES = 50 * 1024 * 1024  # ICE's sheets are < 1 MB; anything this big is not one.
MAX_PAGE_BYTES = 10 * 1024 * 1024
MAX_FETCH_BYTES = 100 * 1024 * 1024  # all sheets of one fetch together
MAX_LINKS = 20  # ICE's page links two sheets
FETCH_DEADLINE_S = 300.0  # the whole fetch: page and every sheet
MAX_NAME_CHARS = 120  # longer link file names are shortened (file systems stop at 255 bytes)
_READ_SIZE = 64 * 1024

_XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._() -]+")


class FetchError(Exception):
    """ICE's page could not be read; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"could not fetch {url}: {reason}")
        self.url = url
        self.reason = reason


class NotXlsxError(ValueError):
    """A download that should be a sheet is not an xlsx workbook (e.g. an HTML error page)."""


@dataclass(frozen=True)
class SheetLink:
    """One ``.xlsx`` link on ICE's page, as found (kind is only a guess from the link)."""

    url: str
    file_name: str
    label: str
    guessed_kind: str  # participating | pending | unknown
    href: str = ""  # the href as written on the page


@dataclass(frozen=True)
class FetchFailure:
    url: str
    reason: str


@dataclass
class FetchResult:
    stored: list[Path]
    duplicates: list[str]  # URLs whose content was already in the archive
    failures: list[FetchFailure]
    archive: Path
    fetched_at: datetime
    links: list[SheetLink] = field(default_factory=list)
    duplicate_of: dict[str, Path] = field(default_factory=dict)  # duplicate URL -> stored file


@dataclass(frozen=True)
class ArchiveStatus:
    """What the archive holds, so the app can say how old its data is when a fetch fails."""

    archive: Path
    file_count: int
    last_stored: datetime | None  # when the newest file in the index was stored
    last_checked: datetime | None  # last fetch that read the page and got every sheet
    now: datetime

    @property
    def age(self) -> timedelta | None:
        """Time since the newest file was stored (None for an empty archive)."""
        return None if self.last_stored is None else self.now - self.last_stored

    @property
    def data_age(self) -> timedelta | None:
        """Time since the data was last known current: the later of the last full check (all
        sheets read, even if unchanged) and the newest stored file. Unchanged sheets are not
        stored again, so ``age`` alone would overstate how stale the data is."""
        if not self.has_data:
            return None
        latest = max((t for t in (self.last_stored, self.last_checked) if t), default=None)
        return None if latest is None else self.now - latest

    @property
    def has_data(self) -> bool:
        return self.file_count > 0


# --------------------------------------------------------------------------- links


class _LinkParser(HTMLParser):
    """Collects (href, text, title) of every <a> plus the page's <base href>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.anchors: list[tuple[str, str, str]] = []
        self._open: tuple[str, str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and self.base is None and attr.get("href"):
            self.base = attr["href"].strip()
        elif tag == "a":
            self._close()  # an unclosed <a> ends where the next one starts
            if "href" in attr:
                title = attr.get("title") or attr.get("aria-label") or ""
                self._open = (attr["href"].strip(), title, [])
        elif tag == "img" and self._open is not None:
            alt = dict(attrs).get("alt")
            if alt:
                self._open[2].append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close()

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[2].append(data)

    def close(self) -> None:
        super().close()
        self._close()

    def _close(self) -> None:
        if self._open is not None:
            href, title, parts = self._open
            text = " ".join(" ".join(parts).split())
            self.anchors.append((href, text, title.strip()))
            self._open = None


def _guess_kind(*texts: str) -> str:
    """participating/pending from the first text that names exactly one of them."""
    for text in texts:
        low = text.lower()
        pending, participating = "pending" in low, "participat" in low
        if pending != participating:
            return "pending" if pending else "participating"
    return "unknown"


def _file_name(url: str) -> str:
    """The link's last path segment, decoded and made safe to use as a file name; a name longer than
    :data:`MAX_NAME_CHARS` is cut and given a short hash of the whole name (so two long names differ)."""
    segment = posixpath.basename(urllib.parse.urlsplit(url).path)
    name = urllib.parse.unquote(segment).replace("/", "_").replace("\\", "_")
    name = _SAFE_NAME.sub("_", name).strip(" .")
    if not name.lower().endswith(".xlsx"):
        name = (name or "sheet") + ".xlsx"
    if len(name) > MAX_NAME_CHARS:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]
        name = f"{name[: MAX_NAME_CHARS - 22].rstrip(' .')}~{digest}.xlsx"
    return name


def find_sheet_links(html: str, base_url: str) -> list[SheetLink]:
    """Every distinct http(s) link ending in ``.xlsx`` on the page, in page order.

    Relative links are resolved against ``<base href>`` when the page has one, else ``base_url``.
    The query string and fragment are ignored when deciding a link is a sheet; links that differ
    only by fragment are the same sheet.
    """
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    base = urllib.parse.urljoin(base_url, parser.base) if parser.base else base_url
    links: list[SheetLink] = []
    seen: set[str] = set()
    for href, text, title in parser.anchors:
        if not href:
            continue
        url, _fragment = urllib.parse.urldefrag(urllib.parse.urljoin(base, href))
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            continue
        if not urllib.parse.unquote(parts.path).lower().rstrip().endswith(".xlsx"):
            continue
        if url in seen:
            continue
        seen.add(url)
        name = _file_name(url)
        label = text or title
        links.append(SheetLink(url, name, label, _guess_kind(name, label), href))
    return links


# --------------------------------------------------------------------------- HTTP


def _reason(exc: BaseException, timeout: float) -> str:
    """One short phrase for why a request failed ("HTTP 404", "timed out after 30s", ...)."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}" + (f" {exc.reason}" if exc.reason else "")
    inner = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(inner, (socket.timeout, TimeoutError)) or "timed out" in str(inner).lower():
        return f"timed out after {timeout:g}s"
    if isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if isinstance(inner, socket.gaierror):
        return f"host not found ({inner})"
    text = getattr(inner, "strerror", None) or str(inner) or type(inner).__name__
    return text


class FetchLimit(Exception):
    """The fetch reached one of its overall limits (deadline, bytes); the message says which."""


class TooSlow(Exception):
    """One download came slower than the low-speed limit for a whole window; the message says the limit."""


@dataclass(frozen=True)
class LowSpeed:
    """A download slower than ``bytes_per_s`` on average over ``seconds`` is ended (as curl's LOW_SPEED_LIMIT):
    a server that drips a byte at a time cannot hold a fetch until its overall deadline."""

    bytes_per_s: int = 1024
    seconds: float = 20.0

    def check(self, started: float, received: int, now: float) -> bool:
        """True when a window that began at ``started`` is over (the caller starts the next); raises
        :class:`TooSlow` when too little came in it."""
        if now - started < self.seconds:
            return False
        if received < self.bytes_per_s * (now - started):
            raise TooSlow(f"stopped: slower than {self.bytes_per_s:,} bytes/s for {self.seconds:g}s")
        return True


class _Budget:
    """What is left of one fetch's time and bytes, and the speed each download must keep."""

    def __init__(self, deadline_s: float, max_bytes: int, low_speed: LowSpeed | None = None) -> None:
        self.deadline_s, self.max_bytes, self.low_speed = deadline_s, max_bytes, low_speed or LowSpeed()
        self.ends = time.monotonic() + deadline_s
        self.bytes_left = max_bytes

    def timeout(self, per_read: float) -> float:
        """The socket timeout for the next request: the per-read one, never past the deadline."""
        left = self.ends - time.monotonic()
        if left <= 0:
            raise FetchLimit(f"stopped: the fetch's overall deadline of {self.deadline_s:g}s passed")
        return min(per_read, left)

    def spend(self, count: int, counted: bool) -> None:
        self.timeout(1.0)  # raises once the deadline has passed
        if counted:
            self.bytes_left -= count
            if self.bytes_left < 0:
                raise FetchLimit(f"stopped at the fetch's byte cap: all sheets together may not exceed {self.max_bytes / 1e6:,.1f} MB")


def _get(
    url: str, opener: Any, timeout: float, limit: int, accept: str, budget: _Budget, sink: Any, counted: bool = True
) -> tuple[str, str]:
    """Stream the body into ``sink`` (a binary file); returns Content-Type and final URL (after
    redirects). Raises urllib/socket errors as-is, ValueError past ``limit``, FetchLimit past the budget,
    TooSlow below its low speed (checked as data arrives: a server that sends nothing meets ``timeout``)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    try:
        response = opener.open(request, timeout=budget.timeout(timeout))
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the open error response
        raise
    except (urllib.error.URLError, TimeoutError):
        budget.timeout(timeout)  # a wait cut short by the deadline is reported as the deadline
        raise
    with response:
        read = getattr(response, "read1", None) or response.read  # read1: whatever has arrived, never waits for a full block
        sock = _socket_of(response)
        total = 0
        window_started, window_bytes = time.monotonic(), 0
        while True:
            if sock is not None:  # each wait for data ends at the deadline at the latest
                sock.settimeout(budget.timeout(timeout))
            try:
                chunk = read(_READ_SIZE)
            except TimeoutError:
                budget.timeout(timeout)
                raise
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise ValueError(f"response larger than {limit // (1024 * 1024)} MB")
            budget.spend(len(chunk), counted)
            sink.write(chunk)
            window_bytes += len(chunk)
            now = time.monotonic()
            if budget.low_speed.check(window_started, window_bytes, now):
                window_started, window_bytes = now, 0
        content_type = response.headers.get("Content-Type", "") if response.headers else ""
        return content_type, response.geturl() or url


def _socket_of(response: Any) -> socket.socket | None:
    """The socket under a urllib response (http.client keeps it at ``fp.raw._sock``), if there is one."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _decode(body: bytes, content_type: str) -> str:
    match = re.search(r"charset=([\w.-]+)", content_type, re.I)
    try:
        return body.decode(match.group(1) if match else "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def validate_xlsx(data: bytes, content_type: str = "") -> None:
    """Raise :class:`NotXlsxError` unless ``data`` is an xlsx workbook (a zip with its core parts).

    ICE's server has answered sheet URLs with an HTML page and status 200; that must never be
    archived as a sheet.
    """
    _validate(data[:1024], io.BytesIO(data), content_type)


def validate_xlsx_file(path: Path, content_type: str = "") -> None:
    """:func:`validate_xlsx` for a downloaded file, read from disk."""
    with open(path, "rb") as handle:
        _validate(handle.read(1024), handle, content_type)


def _validate(head: bytes, stream: Any, content_type: str) -> None:
    if not head.startswith(b"PK"):
        low = head.lower()
        if b"<html" in low or b"<!doctype html" in low or "html" in content_type.lower():
            raise NotXlsxError(f"not an xlsx file: got an HTML page ({content_type or 'no Content-Type'})")
        raise NotXlsxError(f"not an xlsx file: not a zip archive ({content_type or 'no Content-Type'})")
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise NotXlsxError(f"not an xlsx file: damaged zip ({exc})") from None
    missing = [m for m in _XLSX_MEMBERS if m not in names]
    if missing:
        raise NotXlsxError(f"not an xlsx file: zip lacks {', '.join(missing)}")


# --------------------------------------------------------------------------- archive


def default_archive() -> Path:
    return cache_dir() / ARCHIVE_SUBDIR


def _utc(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _parse_time(text: str) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat(text.strip()))
    except (ValueError, AttributeError):
        return None


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Serialise archive writers (two app sessions may fetch at once) so the index loses no row."""
    root.mkdir(parents=True, exist_ok=True)
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(root / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_index(root: Path) -> list[dict[str, str]]:
    """Rows of ``archive_index.csv`` (empty when there is none)."""
    return _read_csv(root / INDEX_NAME)


def _write_index(root: Path, rows: list[dict[str, str]]) -> None:
    _write_csv(root / INDEX_NAME, rows, INDEX_COLUMNS)


def _rebuild_rows(root: Path) -> list[dict[str, str]]:
    """Index rows for dated sheets already on disk, used when the index file is missing."""
    rows = []
    for path in sorted(root.glob("????-??-??/*.xlsx")):
        if path.name.startswith("."):
            continue
        stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
        rows.append(
            {
                "sha256": sha256_of(path),
                "path": path.relative_to(root).as_posix(),
                "url": "",
                "fetched_at": stamp,
                "link_text": "",
                "guessed_kind": "",
            }
        )
    return rows


def _load_rows(root: Path) -> list[dict[str, str]]:
    if (root / INDEX_NAME).is_file():
        return read_index(root)
    return _rebuild_rows(root)


def _target(folder: Path, name: str, sha: str) -> tuple[Path, bool]:
    """Where to store ``name`` and whether that file already holds these bytes.

    The name itself, else ``<stem>__<sha8>``; a file that exists with other content is never
    chosen, so nothing is overwritten.
    """
    stem, suffix = Path(name).stem, Path(name).suffix or ".xlsx"
    candidates = [folder / name, folder / f"{stem}__{sha[:8]}{suffix}"]
    candidates += [folder / f"{stem}__{sha[:8]}_{n}{suffix}" for n in range(2, 100)]
    for candidate in candidates:
        if not candidate.exists():
            return candidate, False
        if candidate.is_file() and sha256_of(candidate) == sha:
            return candidate, True
    raise FileExistsError(f"no free name for {name} in {folder}")


@dataclass
class _Download:
    link: SheetLink
    path: Path  # the downloaded bytes, in a temporary file in the archive folder
    sha256: str


def _store(root: Path, downloads: list[_Download], fetched_at: datetime, result: FetchResult, page_url: str) -> None:
    """Write new content into today's folder and append it to the index (under the lock)."""
    stamp = fetched_at.isoformat(timespec="seconds")
    folder = root / fetched_at.date().isoformat()
    with _locked(root):
        rows = _load_rows(root)
        index_missing = not (root / INDEX_NAME).is_file()
        known: dict[str, Path] = {}
        for row in rows:
            path = root / row["path"]
            if path.is_file():
                known.setdefault(row["sha256"], path)
        added: list[dict[str, str]] = []
        aside = _quarantined(root)
        for item in downloads:
            link = item.link
            if item.sha256 in aside:
                result.failures.append(
                    FetchFailure(link.url, f"not stored again: the same bytes were moved aside as unreadable on {aside[item.sha256]}")
                )
                continue
            if item.sha256 in known:
                result.duplicates.append(link.url)
                result.duplicate_of[link.url] = known[item.sha256]
                continue
            try:
                target, already_there = _target(folder, link.file_name, item.sha256)
                if not already_there:
                    folder.mkdir(parents=True, exist_ok=True)
                    os.replace(item.path, target)
            except OSError as exc:  # one sheet that cannot be stored must not lose the others' index rows
                result.failures.append(FetchFailure(link.url, f"could not be stored ({exc.strerror or exc})"))
                continue
            if already_there:  # same bytes on disk under that name but missing from the index
                result.duplicates.append(link.url)
                result.duplicate_of[link.url] = target
            else:
                result.stored.append(target)
            known[item.sha256] = target
            added.append(
                {
                    "sha256": item.sha256,
                    "path": target.relative_to(root).as_posix(),
                    "url": link.url,
                    "fetched_at": stamp,
                    "link_text": link.label,
                    "guessed_kind": link.guessed_kind,
                }
            )
        if added or index_missing:
            _write_index(root, rows + added)
        if not result.failures:
            note = {"checked_at": stamp, "page": page_url, "sheets": [link.url for link in result.links]}
            write_bytes_atomically(root / LAST_FETCH_NAME, json.dumps(note, indent=1).encode("utf-8"))


# --------------------------------------------------------------------------- sheets moved aside


QUARANTINE_SUFFIX = "-quarantine"
QUARANTINE_INDEX = "quarantine.csv"
QUARANTINE_COLUMNS: tuple[str, ...] = ("sha256", "path", "moved_to", "moved_at", "reason", "url")


def quarantine_folder(root: Path) -> Path:
    """Where sheets of the archive ``root`` that cannot be read are kept: a folder beside it, never searched."""
    return root.parent / f"{root.name}{QUARANTINE_SUFFIX}"


def quarantine(root: Path, sheet: Path, reason: str, now: datetime | None = None) -> Path:
    """Move a sheet of the archive that cannot be read aside, kept for inspection with a note saying why
    (``<name>.why.txt``): it leaves the archive's index, the next build no longer meets it, and a fetch never
    stores the same bytes again (:data:`QUARANTINE_INDEX` lists them). Returns where it went."""
    moved_at = _utc(now).replace(microsecond=0).isoformat(timespec="seconds")
    with _locked(root):
        rows = _load_rows(root)
        relative = sheet.relative_to(root).as_posix()
        sha = sha256_of(sheet)
        row = next((r for r in rows if r["path"] == relative), {})
        target = quarantine_folder(root) / relative
        if target.exists():
            target = target.with_name(f"{target.stem}__{sha[:8]}{target.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(sheet, target)
        origin = f"fetched from {row['url']} on {row.get('fetched_at', '?')}" if row.get("url") else "found in the archive"
        write_bytes_atomically(
            target.with_name(target.name + ".why.txt"),
            (
                f"{relative}: moved aside on {moved_at} because it cannot be read:\n{reason}\n{origin}; sha256 {sha}\n"
                "Kept for inspection: a sheet with these bytes is neither read nor stored again. Delete this file and its "
                f"line in {QUARANTINE_INDEX} to let them in again.\n"
            ).encode(),
        )
        entries = _read_csv(quarantine_folder(root) / QUARANTINE_INDEX)
        entries.append(
            {
                "sha256": sha,
                "path": relative,
                "moved_to": target.relative_to(quarantine_folder(root)).as_posix(),
                "moved_at": moved_at,
                "reason": reason,
                "url": row.get("url", ""),
            }
        )
        _write_csv(quarantine_folder(root) / QUARANTINE_INDEX, entries, QUARANTINE_COLUMNS)
        if row:
            _write_index(root, [r for r in rows if r["path"] != relative])
    return target


def quarantined_sheets(root: Path) -> list[dict[str, str]]:
    """What was moved aside from the archive ``root``, as facts: each sheet's ``path`` in the archive,
    ``moved_to`` (in :func:`quarantine_folder`), ``moved_at``, ``reason``, ``url`` and ``sha256``."""
    return _read_csv(quarantine_folder(root) / QUARANTINE_INDEX)


def quarantine_notes(root: Path) -> list[tuple[str, str]]:
    """(archive path, what happened) for each sheet moved aside from ``root``, for the build's warnings."""
    folder = quarantine_folder(root)
    return [
        (entry["path"], f"moved aside to {folder / entry['moved_to']} on {entry['moved_at']}: {entry['reason']}")
        for entry in quarantined_sheets(root)
    ]


def _quarantined(root: Path) -> dict[str, str]:
    """sha256 -> when, of every sheet moved aside from ``root``."""
    return {entry["sha256"]: entry["moved_at"] for entry in _read_csv(quarantine_folder(root) / QUARANTINE_INDEX)}


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [dict(row) for row in csv.DictReader(handle) if row.get("sha256")]


def _write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    write_bytes_atomically(path, buffer.getvalue().encode("utf-8"))


# --------------------------------------------------------------------------- public API


def fetch(
    url: str = ICE_PAGE_URL,
    into: Path | None = None,
    timeout: float = 30,
    now: datetime | None = None,
    opener: Any = None,
    deadline: float | None = None,
    low_speed: LowSpeed | None = None,
) -> FetchResult:
    """Download ICE's page and every sheet it links into the archive ``into``.

    ``opener`` is anything with urllib's ``OpenerDirector.open(request, timeout=)`` (default: a
    plain ``urllib.request.build_opener()``), so callers can add proxies or auth handlers.
    ``timeout`` bounds each read; ``deadline`` (default :data:`FETCH_DEADLINE_S`) the whole fetch; a download
    slower than ``low_speed`` (default: 1 KB/s over 20 s) is ended, named.
    Raises :class:`FetchError` when the page itself cannot be read or links no sheet; a sheet that
    fails (or is not fetched because a limit was reached) is recorded in ``failures`` with the reason,
    and the others are still stored.
    """
    root = Path(into) if into is not None else default_archive()
    fetched_at = _utc(now).replace(microsecond=0)
    opener = opener or urllib.request.build_opener()
    budget = _Budget(FETCH_DEADLINE_S if deadline is None else deadline, MAX_FETCH_BYTES, low_speed)
    page = io.BytesIO()
    try:
        content_type, final_url = _get(url, opener, timeout, MAX_PAGE_BYTES, "text/html,*/*;q=0.5", budget, page, counted=False)
    except FetchLimit as exc:
        raise FetchError(url, str(exc)) from exc
    except Exception as exc:  # urllib raises URLError/HTTPError/OSError/ValueError/http.client errors
        raise FetchError(url, _reason(exc, timeout)) from exc
    links = find_sheet_links(_decode(page.getvalue(), content_type), final_url)
    if not links:
        raise FetchError(url, "the page links no .xlsx sheet (has ICE changed the page?)")

    result = FetchResult(stored=[], duplicates=[], failures=[], archive=root, fetched_at=fetched_at, links=links)
    for link in links[MAX_LINKS:]:
        result.failures.append(
            FetchFailure(link.url, f"not fetched: the page links {len(links)} sheets, more than the {MAX_LINKS} a fetch takes")
        )
    downloads: list[_Download] = []
    root.mkdir(parents=True, exist_ok=True)
    try:
        stopped: str | None = None
        for link in links[:MAX_LINKS]:
            if stopped:
                result.failures.append(FetchFailure(link.url, f"not fetched: {stopped}"))
                continue
            try:
                downloads.append(_download(link, root, opener, timeout, budget))
            except FetchLimit as exc:
                stopped = str(exc)
                result.failures.append(FetchFailure(link.url, stopped))
            except NotXlsxError as exc:
                result.failures.append(FetchFailure(link.url, str(exc)))
            except Exception as exc:  # one sheet failing must not stop the others
                result.failures.append(FetchFailure(link.url, _reason(exc, timeout)))
        _store(root, downloads, fetched_at, result, url)
    finally:
        for item in downloads:
            item.path.unlink(missing_ok=True)  # stored ones were renamed away; this removes the rest
    return result


def _download(link: SheetLink, root: Path, opener: Any, timeout: float, budget: _Budget) -> _Download:
    """One sheet streamed into a temporary file in the archive folder (hashed on the way), checked to
    be a workbook. The file is removed if anything fails."""
    accept = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,*/*;q=0.5"
    handle, temp = tempfile.mkstemp(prefix=".download-", suffix=".part", dir=root)
    path = Path(temp)
    try:
        with os.fdopen(handle, "wb") as out:
            sink = _HashingWriter(out)
            sheet_type, _ = _get(link.url, opener, timeout, MAX_SHEET_BYTES, accept, budget, sink)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(path, 0o644)
        validate_xlsx_file(path, sheet_type)
        return _Download(link, path, sink.digest.hexdigest())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


class _HashingWriter:
    """Writes through to a file and hashes what it writes."""

    def __init__(self, out: Any) -> None:
        self.out, self.digest = out, hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.out.write(data)


def archive_status(into: Path | None = None, now: datetime | None = None) -> ArchiveStatus:
    """How many sheets the archive holds and when it was last stored to / fully checked."""
    root = Path(into) if into is not None else default_archive()
    rows = _load_rows(root) if root.is_dir() else []
    present = [row for row in rows if (root / row["path"]).is_file()]
    times = [t for t in (_parse_time(row.get("fetched_at", "")) for row in present) if t]
    checked = None
    note = root / LAST_FETCH_NAME
    if note.is_file() and present:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            checked = _parse_time(json.loads(note.read_text(encoding="utf-8")).get("checked_at", ""))
    return ArchiveStatus(
        archive=root,
        file_count=len({row["sha256"] for row in present}),
        last_stored=max(times, default=None),
        last_checked=checked,
        now=_utc(now),
    )


def fetch_or_keep(url: str = ICE_PAGE_URL, into: Path | None = None, **kwargs: Any) -> tuple[FetchResult | None, ArchiveStatus, str | None]:
    """Fetch, but when ICE's page cannot be read keep using the last good archive.

    Returns ``(result, status, None)`` on success and ``(None, status, message)`` when the fetch
    failed but the archive already holds sheets. With no archived sheet there is nothing to fall
    back on, so the :class:`FetchError` is raised.
    """
    now = kwargs.get("now")
    try:
        result = fetch(url, into, **kwargs)
    except FetchError as exc:
        status = archive_status(into, now=now)
        if not status.has_data:
            raise
        return None, status, str(exc)
    return result, archive_status(into, now=now), None
