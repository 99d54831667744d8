"""The refresher: fetch ICE's sheets, build the dataset and publish it, apart from any reader.

One refresher per deployment (``mapcore serve-refresher``, or a thread of the server in single-process
``make run`` mode) runs :func:`refresh` every interval. What it publishes is one small file per source in
the cache (:func:`status_path`): the dataset folder readers show, and the facts a reader is told about it
(the fallback when ICE's page could not be read, a warning when the newest sheets could not be built).
Servers read that file and switch to a new dataset when it names one; they never fetch and never build,
so no reader waits for ICE or for a build.

Everything published is a fact (paths, codes, dates and values), worded in each reader's language when shown
(:mod:`mapcore.words.refresh`).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mapcore.build import pipeline, store
from mapcore.core import config
from mapcore.core.atomic import write_text_atomically
from mapcore.sheets.fetch import quarantined_sheets
from mapcore.sheets.snapshot import read_info as snapshot_info
from mapcore.sheets.sources import Fallback, ResolvedSource, bundled_snapshot, resolve

DEFAULT_EVERY_S = 3600.0
STATUS_PREFIX = "published-"
_SEP = "\x1f"


@dataclass(frozen=True)
class Published:
    """What the refresher last published for one source."""

    dataset: str  # the dataset folder to show
    warnings: tuple[str, ...] = ()  # stored warnings (see :func:`stored_warning`), worded when shown
    fallback: Fallback | None = None  # the data is not fresh from the source URL: why, and what is shown
    refreshed_at: str = ""  # when this refresh ended (UTC, ISO 8601)

    def to_json(self) -> str:
        fallback = None
        if self.fallback is not None:
            fallback = {
                **asdict(self.fallback),
                "archive_age": None if self.fallback.archive_age is None else self.fallback.archive_age.total_seconds(),
            }
        return json.dumps(
            {"dataset": self.dataset, "warnings": list(self.warnings), "fallback": fallback, "refreshed_at": self.refreshed_at}
        )

    @classmethod
    def from_json(cls, text: str) -> Published:
        raw = json.loads(text)
        fallback = raw.get("fallback")
        if fallback is not None:
            age = fallback.get("archive_age")
            fallback = Fallback(
                str(fallback["url"]),
                str(fallback["reason"]),
                None if age is None else timedelta(seconds=age),
                fallback.get("snapshot_newest"),
            )
        return cls(str(raw["dataset"]), tuple(str(w) for w in raw.get("warnings", ())), fallback, str(raw.get("refreshed_at", "")))


# What a refresh may have to tell readers, as codes (the words are in mapcore.words.refresh).
BUILT_FROM_SNAPSHOT = "built-from-snapshot"  # no dataset could be built; the bundled snapshot is shown
KEPT_LAST_GOOD = "kept-last-good"  # the newest sheets could not be built; the last good dataset is shown
SHEET_MOVED_ASIDE = "sheet-moved-aside"  # a fetched sheet could not be read and was moved aside


def stored_warning(code: str, **values: object) -> str:
    """A warning kept in a language-free form (a code, or an English msgid, and its values), worded for each
    reader when shown (:func:`mapcore.words.refresh.warning_text`)."""
    return _SEP.join([code, *(f"{k}={v}" for k, v in values.items())])


def split_warning(stored: str) -> tuple[str, dict[str, str]]:
    """(code or msgid, values) of a warning made by :func:`stored_warning` (any other text: itself, no values)."""
    msgid, *pairs = stored.split(_SEP)
    return msgid, dict(pair.split("=", 1) for pair in pairs)


def status_path(source: str | None = None, cache: Path | None = None) -> Path:
    """The file a refresher publishes to for one source (one per source: two sources may share a cache)."""
    value = source if source is not None else config.source()
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]
    return (cache or config.published_dir()) / f"{STATUS_PREFIX}{digest}.json"


def read_published(source: str | None = None, cache: Path | None = None) -> Published | None:
    """What the refresher last published for this source; None when it has published nothing yet."""
    try:
        return Published.from_json(status_path(source, cache).read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def refresh(source: str | None = None, cache: Path | None = None) -> Published:
    """Fetch (for a URL source), build or reuse, and publish the dataset for ``source``. On failure the last
    good dataset is published again with a warning naming why; for a URL source with none, the bundled
    snapshot. Raises only when there is nothing at all to show (and then publishes nothing)."""
    value = source if source is not None else config.source()
    published = _build(value, cache or config.cache_dir())
    write_text_atomically(status_path(value, cache), published.to_json())
    return published


def _build(source: str, cache: Path) -> Published:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        resolved = resolve(source)
        dataset, _built = pipeline.build(
            resolved.folder, cache=cache, snapshot=resolved.snapshot, quarantine=resolved.fetched, source_name=source
        )
        return Published(str(dataset.path), _moved_aside(resolved), resolved.fallback, now)
    except Exception as exc:  # any failure: keep the last good dataset if there is one
        try:
            last = store.load(cache=cache, source_name=source)  # this source's last good dataset, never another's
        except store.BuildError:
            bundled = bundled_snapshot() if config.is_url(source) else None
            if bundled is None:
                raise exc from None
            dataset, _built = pipeline.build(None, cache=cache, snapshot=bundled, source_name=source)
            return Published(
                str(dataset.path),
                (stored_warning(BUILT_FROM_SNAPSHOT, error=exc, date=snapshot_info(bundled).get("newest_publication", "?")),),
                None,
                now,
            )
        return Published(
            str(last.path), (stored_warning(KEPT_LAST_GOOD, error=exc, built=last.meta.get("built_at", "earlier")),), None, now
        )


def _moved_aside(resolved: ResolvedSource) -> tuple[str, ...]:
    """A warning for each fetched sheet that could not be read and was moved aside (the data lacks it)."""
    if not resolved.fetched or resolved.folder is None:
        return ()
    return tuple(
        stored_warning(SHEET_MOVED_ASIDE, day=entry["moved_at"][:10], file=entry["path"], reason=entry["reason"])
        for entry in quarantined_sheets(resolved.folder)
    )


def serve(
    source: str | None = None,
    cache: Path | None = None,
    every: float = DEFAULT_EVERY_S,
    stop: threading.Event | None = None,
    first_wait: float = 0.0,
    log=print,
) -> None:
    """Refresh every ``every`` seconds until ``stop`` is set (forever without one). A failed refresh is
    logged and tried again at the next interval; the last dataset published stays."""
    stop = stop or threading.Event()
    if stop.wait(first_wait):
        return
    while True:
        started = time.monotonic()
        try:
            published = refresh(source, cache)
            log(f"refresher: published {Path(published.dataset).name}" + (" (with a warning)" if published.warnings else ""))
        except Exception as exc:  # nothing to show at all: said, and tried again later
            log(f"refresher: nothing could be published: {exc}")
        if stop.wait(max(1.0, every - (time.monotonic() - started))):
            return
