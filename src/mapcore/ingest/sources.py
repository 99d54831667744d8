"""Turn ``MAPCORE_SOURCE`` into a folder of sheets: a folder as given, or ICE's page fetched into the
cache's archive (keeping the last good archive, and saying how old it is, when the fetch fails)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapcore.core import config


@dataclass(frozen=True)
class ResolvedSource:
    folder: Path
    url: str | None = None
    fetch_warning: str | None = None   # set when the fetch failed and older sheets are used
    data_age: str | None = None        # e.g. "data last fetched 3 days ago" (fetched sources only)


def resolve(source: str | Path | None = None, fetch_now: bool = True) -> ResolvedSource:
    """A folder to build from. For a URL, fetch (unless fetch_now is False) into the archive."""
    value = str(source) if source is not None else config.source()
    if not config.is_url(value):
        return ResolvedSource(Path(value).expanduser())
    from mapcore.ingest.fetch import archive_status, default_archive, fetch_or_keep

    archive = default_archive()
    if not fetch_now:
        return ResolvedSource(archive, value, None, archive_status(archive).describe())
    _, status, warning = fetch_or_keep(value, archive)
    return ResolvedSource(archive, value, warning, status.describe())
