"""Turn ``MAPCORE_SOURCE`` into what to build from, and say in one line when it is not fresh from ICE.

- a folder of sheets: those sheets, as given;
- a snapshot folder (written by ``mapcore snapshot``): that snapshot alone;
- a URL (by default ICE's page): a first try at the page with a short timeout, the sheets fetched
  into the cache's archive, on top of the bundled snapshot of ICE's sheets. When the page cannot be
  read: the sheets fetched before (if any) on top of the bundled snapshot, and a note saying so
  ("ICE's site could not be reached (host not found); showing the bundled snapshot of ICE's sheets
  up to 2026-04-30"). With neither, the fetch's error is raised.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from mapcore.core import config
from mapcore.ingest import snapshot as snapshots

FIRST_TRY_TIMEOUT_S = 10.0    # each wait on ICE's page or a sheet when the app or a command starts
FIRST_TRY_DEADLINE_S = 60.0   # the whole first try (page and sheets): past it, the archive and snapshot are used


@dataclass(frozen=True)
class ResolvedSource:
    folder: Path | None                  # sheets to build from (None: the snapshot alone)
    url: str | None = None
    fetch_warning: str | None = None     # set when the fetch failed and older data is used
    data_age: str | None = None          # e.g. "data last fetched 3 days ago" (fetched sources only)
    snapshot: Path | None = None         # the snapshot the sheets are added on top of
    note: str | None = None              # one line for the user when the data is not fresh from the URL


def bundled_snapshot() -> Path | None:
    """The snapshot shipped in ``data/`` (None when this copy has none)."""
    return config.SNAPSHOT_DIR if snapshots.is_snapshot(config.SNAPSHOT_DIR) else None


def resolve(source: str | Path | None = None, fetch_now: bool = True, timeout: float = FIRST_TRY_TIMEOUT_S,
            deadline: float = FIRST_TRY_DEADLINE_S) -> ResolvedSource:
    """What to build from. For a URL, fetch (unless ``fetch_now`` is False) into the archive first."""
    value = str(source) if source is not None else config.source()
    if not config.is_url(value):
        folder = Path(value).expanduser()
        if snapshots.is_snapshot(folder):
            return ResolvedSource(None, snapshot=folder)
        return ResolvedSource(folder)
    from mapcore.ingest.fetch import FetchError, archive_status, default_archive, fetch

    archive = default_archive()
    bundled = bundled_snapshot()
    if not fetch_now:
        return ResolvedSource(archive, value, None, archive_status(archive).describe(), bundled)
    try:
        fetch(value, archive, timeout=timeout, deadline=deadline)
    except FetchError as exc:
        status = archive_status(archive)
        if not status.has_data and bundled is None:
            raise
        note = fallback_note(value, exc.reason, status.describe() if status.has_data else None,
                             snapshots.read_info(bundled) if bundled is not None else None)
        return ResolvedSource(archive if status.has_data else None, value, str(exc), status.describe(), bundled, note)
    return ResolvedSource(archive, value, None, archive_status(archive).describe(), bundled)


def fallback_note(url: str, reason: str, archive_age: str | None, snapshot_info: dict | None) -> str:
    """One line: which site could not be reached and why, and what is shown instead."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    site = "ICE's site" if host == "ice.gov" or host.endswith(".ice.gov") else url
    if reason.startswith("host not found"):
        reason = "host not found"   # the resolver's own words add nothing a reader can act on
    shown = []
    if archive_age is not None:
        shown.append(f"the sheets fetched before ({archive_age})")
    if snapshot_info is not None:
        shown.append(snapshots.describe(snapshot_info))
    return f"{site} could not be reached ({reason}); showing {' on top of '.join(shown)}"
