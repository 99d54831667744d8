"""The dataset one server process shows, switched in the background when the refresher publishes another.

A reader's script run asks :meth:`Current.get` and is given the dataset loaded now, never a fetch or a
build: the refresher (:mod:`mapcore.build.refresh`; a thread of this object in single-process mode,
``mapcore serve-refresher`` beside the replicas) publishes, and this object notices the published file
change (one ``stat`` per run), loads the new dataset in a thread of its own and swaps it in when it is
ready. Only the first run of a process waits: for the published dataset to be read from disk, or, when
nothing was ever published and this process refreshes itself, for that first refresh.

The loaded data is long-lived: it is moved out of the garbage collector's way (``gc.freeze``) once
loaded, so the collector never walks it again. Holds facts only, never a reader's words.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mapcore.app.data import AppData, assemble
from mapcore.build import refresh as refresher
from mapcore.build import store

LOG = logging.getLogger(__name__)
MODE_ENV = "MAPCORE_REFRESH"  # "thread" (default: this process refreshes) or "external" (replicas)
EVERY_ENV = "MAPCORE_REFRESH_EVERY"  # seconds between refreshes (default 3600)


class NothingPublished(store.BuildError):
    """No dataset was published for this source yet (a replica waits for the refresher)."""


@dataclass(frozen=True)
class Shown:
    """What a run shows: the data and what the refresher said about it."""

    data: AppData
    published: refresher.Published


def refresh_mode() -> str:
    return "external" if os.environ.get(MODE_ENV, "").strip().lower() == "external" else "thread"


def refresh_every() -> float:
    try:
        return max(1.0, float(os.environ.get(EVERY_ENV, "") or refresher.DEFAULT_EVERY_S))
    except ValueError:
        return refresher.DEFAULT_EVERY_S


class Current:
    """The dataset of one source shown by this process (see the module's docstring)."""

    def __init__(
        self, source: str, cache: Path, refresh_here: bool, every: float, load: Callable[[refresher.Published], AppData] | None = None
    ):
        self.source, self.cache, self.refresh_here, self.every = source, cache, refresh_here, every
        self._load = load or load_published
        self._lock = threading.Lock()  # guards the fields below
        self._first = threading.Lock()  # one first load per process
        self._shown: Shown | None = None
        self._stamp: tuple[int, int] | None = None
        self._loading: str | None = None  # the dataset a background load is reading
        self._stop = threading.Event()
        weakref.finalize(self, self._stop.set)  # threads end when this object goes (e.g. a cache cleared)

    # ------------------------------------------------------------------ reader side

    @property
    def ready(self) -> bool:
        """Whether a dataset is loaded (the next :meth:`get` returns at once)."""
        return self._shown is not None

    def get(self) -> Shown:
        """The data to show now. Raises (:class:`NothingPublished` or the first refresh's error) only when
        there is nothing at all to show."""
        shown = self._shown
        if shown is None:
            return self._first_load()
        stamp = self._status_stamp()
        if stamp != self._stamp:
            self._notice(stamp)
        return self._shown or shown

    def _first_load(self) -> Shown:
        with self._first:
            if self._shown is not None:
                return self._shown
            stamp = self._status_stamp()
            published = refresher.read_published(self.source, self.cache)
            refreshed = False
            if published is None:
                if not self.refresh_here:
                    raise NothingPublished(
                        f"no dataset published yet for {self.source}: the refresher (mapcore serve-refresher) publishes one"
                    )
                published = refresher.refresh(self.source, self.cache)  # first run: nothing to show before it
                stamp, refreshed = self._status_stamp(), True
            data = self._load(published)
            with self._lock:
                self._shown, self._stamp = Shown(data, published), stamp
            settle_collector(first=True)
            if self.refresh_here:
                self._start_refresher(first_wait=self.every if refreshed else wait_left(published, self.every))
            return self._shown

    def _status_stamp(self) -> tuple[int, int] | None:
        try:
            info = refresher.status_path(self.source, self.cache).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def _notice(self, stamp: tuple[int, int] | None) -> None:
        """The published file changed: new words now; a new dataset loaded in the background."""
        published = refresher.read_published(self.source, self.cache)
        with self._lock:
            self._stamp = stamp
            shown = self._shown
            if published is None or shown is None:
                return
            if published.dataset == str(shown.data.dataset.path):
                self._shown = Shown(shown.data, published)
                return
            if self._loading == published.dataset:
                return
            self._loading = published.dataset
        threading.Thread(target=self._switch_to, args=(published,), name="mapcore-dataset-load", daemon=True).start()

    def _switch_to(self, published: refresher.Published) -> None:
        try:
            data = self._load(published)
        except Exception as exc:  # the old data stays; the next change of the published file tries again
            LOG.warning("could not load the published dataset %s: %s", published.dataset, exc)
            with self._lock:
                self._loading, self._stamp = None, None
            return
        with self._lock:
            self._shown, self._loading = Shown(data, published), None
        settle_collector(first=False)

    # ------------------------------------------------------------------ refresher (single-process mode)

    def _start_refresher(self, first_wait: float) -> None:
        threading.Thread(
            target=refresher.serve,
            name="mapcore-refresher",
            daemon=True,
            kwargs={
                "source": self.source,
                "cache": self.cache,
                "every": self.every,
                "stop": self._stop,
                "first_wait": first_wait,
                "log": LOG.info,
            },
        ).start()

    def stop(self) -> None:
        self._stop.set()


def wait_left(published: refresher.Published, every: float) -> float:
    """Seconds until the next refresh is due after ``published`` (0 when it is due now or its time is unknown)."""
    try:
        done = datetime.fromisoformat(published.refreshed_at)
    except ValueError:
        return 0.0
    age = (datetime.now(UTC) - done).total_seconds()
    return min(every, max(0.0, every - age))


def load_published(published: refresher.Published) -> AppData:
    """The published dataset, read (and pinned: no build removes it while shown) and assembled."""
    return assemble(store.load(Path(published.dataset), pin=True))


_freeze_lock = threading.Lock()


def settle_collector(first: bool) -> None:
    """Move what is alive now (the loaded dataset above all) out of the cyclic collector's way, so no
    collection walks it again. On a switch, what was frozen is first given back and collected once (the
    old dataset goes), then the survivors are frozen again."""
    with _freeze_lock:
        if not first:
            gc.unfreeze()
        gc.collect()
        gc.freeze()
