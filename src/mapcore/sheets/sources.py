"""Turn ``MAPCORE_SOURCE`` into what to build from, and say in one line when it is not fresh from ICE.

- a folder of sheets: those sheets, as given;
- a snapshot folder (written by ``mapcore snapshot``): that snapshot alone;
- a URL (by default ICE's page): a first try at the page with a short timeout, the sheets fetched
  into the cache's archive, on top of the bundled snapshot of ICE's sheets. When the page cannot be
  read: the sheets fetched before (if any) on top of the bundled snapshot, and a note saying so
  ("ICE's site could not be reached (host not found); showing the bundled snapshot of ICE's sheets
  up to 2026-04-30", worded by :mod:`mapcore.words.sheets`). With neither, the fetch's error is raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from mapcore.core import config
from mapcore.sheets import snapshot as snapshots

FIRST_TRY_TIMEOUT_S = 10.0  # each wait on ICE's page or a sheet when the app or a command starts
FIRST_TRY_DEADLINE_S = 60.0  # the whole first try (page and sheets): past it, the archive and snapshot are used


@dataclass(frozen=True)
class Fallback:
    """Why the data is not fresh from the URL and what is shown instead, kept as facts: the app caches it
    for every reader and words it in each reader's language when shown (:func:`mapcore.words.sheets.fallback_text`)."""

    url: str
    reason: str  # the fetch's own reason ("connection refused", "host not found ...")
    archive_age: timedelta | None = None  # since the sheets fetched before were last current (None: none shown)
    snapshot_newest: str | None = None  # newest publication of the bundled snapshot shown (None: none shown)


@dataclass(frozen=True)
class ResolvedSource:
    folder: Path | None  # sheets to build from (None: the snapshot alone)
    url: str | None = None
    fetch_warning: str | None = None  # set when the fetch failed and older data is used
    data_age: timedelta | None = None  # since the fetched sheets were last current (fetched sources only)
    snapshot: Path | None = None  # the snapshot the sheets are added on top of
    fallback: Fallback | None = None  # set when the data is not fresh from the URL

    @property
    def fetched(self) -> bool:
        """Whether ``folder`` is the archive fetched from ``url`` (ours: a sheet in it that cannot be read may be
        moved aside, see :func:`mapcore.build.pipeline.build`)."""
        return self.url is not None and self.folder is not None


def bundled_snapshot() -> Path | None:
    """The snapshot shipped in ``data/`` (None when this copy has none)."""
    return config.SNAPSHOT_DIR if snapshots.is_snapshot(config.SNAPSHOT_DIR) else None


def resolve(
    source: str | Path | None = None, fetch_now: bool = True, timeout: float = FIRST_TRY_TIMEOUT_S, deadline: float = FIRST_TRY_DEADLINE_S
) -> ResolvedSource:
    """What to build from. For a URL, fetch (unless ``fetch_now`` is False) into the archive first."""
    value = str(source) if source is not None else config.source()
    if not config.is_url(value):
        folder = Path(value).expanduser()
        if snapshots.is_snapshot(folder):
            return ResolvedSource(None, snapshot=folder)
        return ResolvedSource(folder)
    from mapcore.sheets.fetch import FetchError, archive_status, default_archive, fetch

    archive = default_archive()
    bundled = bundled_snapshot()
    if not fetch_now:
        return ResolvedSource(archive, value, None, archive_status(archive).data_age, bundled)
    try:
        fetch(value, archive, timeout=timeout, deadline=deadline)
    except FetchError as exc:
        status = archive_status(archive)
        if not status.has_data and bundled is None:
            raise
        fallback = Fallback(
            value,
            exc.reason,
            status.data_age if status.has_data else None,
            snapshots.read_info(bundled).get("newest_publication", "?") if bundled is not None else None,
        )
        return ResolvedSource(archive if status.has_data else None, value, str(exc), status.data_age, bundled, fallback)
    return ResolvedSource(archive, value, None, archive_status(archive).data_age, bundled)
