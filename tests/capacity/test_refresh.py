"""The refresher publishes, servers only read: the published file, the fallbacks it
keeps as facts, and the server side's switch to a new dataset in the background."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from appfixtures import make_source
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.app import current
from mapcore.build import refresh
from mapcore.sheets.sources import Fallback


@pytest.fixture
def source(tmp_path) -> Path:
    return make_source(tmp_path / "sheets")


def test_published_file_round_trips_facts_not_words():
    published = refresh.Published(
        "/data/dataset-x",
        (refresh.stored_warning("Could not ({error}).", error="disk full"),),
        Fallback("https://ice.example/287g", "timed out after 10s", timedelta(days=2), "2025-07-02"),
        "2026-01-01T00:00:00+00:00",
    )
    again = refresh.Published.from_json(published.to_json())
    assert again == published
    assert refresh.split_warning(again.warnings[0]) == ("Could not ({error}).", {"error": "disk full"})


def test_refresh_publishes_per_source_and_a_failed_refresh_keeps_the_last_good_dataset(source, tmp_path):
    cache = tmp_path / "cache"
    assert refresh.read_published(str(source), cache) is None
    first = refresh.refresh(str(source), cache)
    assert Path(first.dataset).is_dir() and not first.warnings
    assert refresh.read_published(str(source), cache) == first
    assert refresh.status_path(str(source), cache) != refresh.status_path(str(tmp_path / "other"), cache)

    (source / "participatingAgencies07032025am.xlsx").write_text("<html>Access denied</html>")
    second = refresh.refresh(str(source), cache)
    assert second.dataset == first.dataset
    code, values = refresh.split_warning(second.warnings[0])
    assert code == refresh.KEPT_LAST_GOOD and "participatingAgencies07032025am.xlsx" in values["error"]


def test_refresh_with_nothing_to_show_raises_and_publishes_nothing(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(Exception, match="no .xlsx sheets"):
        refresh.refresh(str(empty), tmp_path / "cache")
    assert refresh.read_published(str(empty), tmp_path / "cache") is None


def test_serve_stops_when_asked_and_keeps_going_after_a_failure(tmp_path):
    lines: list[str] = []
    stop = threading.Event()
    empty = tmp_path / "empty"
    empty.mkdir()
    worker = threading.Thread(
        target=refresh.serve, kwargs={"source": str(empty), "cache": tmp_path / "cache", "every": 1.0, "stop": stop, "log": lines.append}
    )
    worker.start()
    deadline = time.monotonic() + 20
    while len(lines) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    worker.join(10)
    assert not worker.is_alive()
    assert len(lines) >= 2 and all("nothing could be published" in line for line in lines)


def _stub(published: refresh.Published):
    """A loaded dataset as far as :class:`current.Current` looks at it."""
    return SimpleNamespace(dataset=SimpleNamespace(path=Path(published.dataset)))


def test_a_server_shows_what_was_published_and_switches_in_the_background(source, tmp_path):
    cache = tmp_path / "cache"
    first = refresh.refresh(str(source), cache)
    loads: list[str] = []
    release = threading.Event()

    def slow_load(published):
        loads.append(published.dataset)
        if len(loads) > 1:
            release.wait(20)  # a new dataset takes a while to read
        return _stub(published)

    shown = current.Current(str(source), cache, refresh_here=False, every=3600, load=slow_load)
    assert shown.get().published == first
    make_sheet(source / "participatingAgencies07032025am.xlsx", PARTICIPATING_8, [row8(agency="Newer Sheriff's Office")])
    second = refresh.refresh(str(source), cache)
    assert second.dataset != first.dataset
    started = time.monotonic()
    assert shown.get().published == first  # the reader is served at once, from the data it had
    assert time.monotonic() - started < 5
    release.set()
    deadline = time.monotonic() + 20
    while shown.get().published != second and time.monotonic() < deadline:
        time.sleep(0.05)
    assert shown.get().published == second and loads == [first.dataset, second.dataset]


def test_new_words_about_the_same_dataset_are_shown_at_once(source, tmp_path):
    cache = tmp_path / "cache"
    first = refresh.refresh(str(source), cache)
    shown = current.Current(str(source), cache, refresh_here=False, every=3600, load=_stub)
    shown.get()
    (source / "participatingAgencies07032025am.xlsx").write_text("<html>Access denied</html>")
    refreshed = refresh.refresh(str(source), cache)
    os.utime(refresh.status_path(str(source), cache), ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert shown.get().published == refreshed and refreshed.dataset == first.dataset and refreshed.warnings


def test_a_replica_with_nothing_published_says_so_and_never_builds(source, tmp_path):
    shown = current.Current(str(source), tmp_path / "cache", refresh_here=False, every=3600, load=_stub)
    with pytest.raises(current.NothingPublished):
        shown.get()
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").glob("dataset-*"))


def test_single_process_mode_refreshes_once_when_nothing_was_published(source, tmp_path):
    cache = tmp_path / "cache"
    shown = current.Current(str(source), cache, refresh_here=True, every=3600, load=_stub)
    assert Path(shown.get().published.dataset).is_dir()
    assert refresh.read_published(str(source), cache) is not None
    shown.stop()


def test_the_next_refresh_is_due_one_interval_after_the_last():
    now = refresh.Published("x", refreshed_at="2000-01-01T00:00:00+00:00")
    assert current.wait_left(now, 3600) == 0.0
    assert current.wait_left(refresh.Published("x", refreshed_at="not a date"), 3600) == 0.0
    from datetime import UTC, datetime

    fresh = refresh.Published("x", refreshed_at=datetime.now(UTC).isoformat())
    assert 3500 < current.wait_left(fresh, 3600) <= 3600
