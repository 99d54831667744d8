"""Reliability: one bad or unreadable sheet never crashes a build, and the cache survives
concurrent builds and readers.

Failure 1 (a SheetError could not cross the process pool) is covered here for the command line and
for ``pipeline.build``; the app and SIGTERM in test_reliability_browser.py. Failure 4 (unreadable input) here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.build import pipeline, store
from mapcore.cli.main import main
from mapcore.core import atomic
from mapcore.sheets.sheet import SheetError

BAD = "participatingAgencies07062025am.xlsx"


def good_sheets(folder: Path, count: int = 4) -> Path:
    """``count`` readable participating sheets with distinct content (so each is read)."""
    for i in range(count):
        day = dt.date(2025, 7, 1) + dt.timedelta(days=i)
        make_sheet(
            folder / f"participatingAgencies{day:%m%d%Y}am.xlsx",
            PARTICIPATING_8,
            [row8(), row8(agency=f"Agency {i}", model="Task Force Model")],
        )
    return folder


@pytest.fixture
def two_workers(monkeypatch):
    """The default worker count is min(4, cpu_count): make it 2 on any machine."""
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)


# --------------------------------------------------------------------------- failure 1: the process pool


def test_a_sheet_error_keeps_its_fields_across_pickling():
    error = SheetError("sub/x.xlsx", "an HTML page", row=3, column="MOA")
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.reason, again.row, again.column) == ("sub/x.xlsx", "an HTML page", 3, "MOA")
    assert str(again) == str(error)


def test_four_good_sheets_and_one_html_page_with_two_workers(tmp_path, capsys, monkeypatch, two_workers):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets")
    (source / BAD).write_text("<!DOCTYPE html><html><body>Access denied</body></html>")
    assert main(["build", "--source", str(source), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert BAD in err and "HTML page" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err

    assert main(["build", "--source", str(source), "--quiet", "--skip-bad"]) == 0
    out = capsys.readouterr().out
    assert f"not read: {BAD}: an HTML page" in out
    built = store.load(cache=tmp_path / "cache")
    assert len(built.sheets) == 4 and len(built.agreements) == 8
    assert [u.split(":")[0] for u in built.meta["unreadable"]] == [BAD]


def test_the_pool_returns_each_bad_sheet_by_name_in_order(tmp_path):
    source = good_sheets(tmp_path / "sheets", 5)
    (source / "a-bad.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    (source / "z-bad.xlsx").write_text("<html></html>")
    dataset, _ = pipeline.build(source, cache=tmp_path / "cache", workers=2, skip_bad=True)
    assert sorted(u.split(":")[0] for u in dataset.meta["unreadable"]) == ["a-bad.xlsx", "z-bad.xlsx"]
    assert len(dataset.sheets) == 5


def test_an_unexpected_error_while_reading_is_a_named_sheet_error(tmp_path, monkeypatch):
    from mapcore.sheets import sheet

    source = good_sheets(tmp_path / "sheets", 1)
    monkeypatch.setattr(sheet, "_drop_exact_duplicates", lambda *a: 1 / 0)
    (path,) = pipeline.discover_sheets(source)
    out = sheet.read_or_error((str(path), "x/" + path.name, None))
    assert isinstance(out, SheetError) and out.file == "x/" + path.name and "ZeroDivisionError" in str(out)


def test_build_failure_is_one_line_and_verbose_shows_the_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets", 1)

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(pipeline, "_assemble", boom)
    assert main(["build", "--source", str(source), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "mapcore build: RuntimeError: disk on fire (run with -v for details)"
    assert main(["build", "--source", str(source), "--quiet", "-v"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "disk on fire" in err


# --------------------------------------------------------------------------- failure 4: unreadable input


def _deny(monkeypatch, denied: Path) -> None:
    """Reading ``denied`` raises PermissionError, as chmod 000 does for a user other than root. The file
    is also chmod 000 (which alone would do when the tests do not run as root)."""
    real_open = open

    def guarded_open(file, *args, **kwargs):
        if Path(file) == denied:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    denied.chmod(0)
    monkeypatch.setattr(atomic, "open", guarded_open, raising=False)


def test_an_unreadable_sheet_is_a_named_problem_that_honours_skip_bad(tmp_path, capsys, monkeypatch, two_workers):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets")
    locked = source / "locked" / BAD
    make_sheet(locked, PARTICIPATING_8, [row8(agency="Hidden")])
    _deny(monkeypatch, locked)
    assert main(["build", "--source", str(source), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"locked/{BAD}: cannot be read: permission denied" in err and "Traceback" not in err
    assert main(["build", "--source", str(source), "--quiet", "--skip-bad"]) == 0
    built = store.load(cache=tmp_path / "cache")
    assert built.meta["unreadable"] == [f"locked/{BAD}: cannot be read: permission denied"]
    assert len(built.sheets) == 4
    locked.chmod(0o644)


def test_an_unlistable_folder_is_warned_about(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets", 2)
    hidden = source / "hidden"
    make_sheet(hidden / BAD, PARTICIPATING_8, [row8(agency="Hidden")])
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path) == hidden:  # as chmod 000 on the folder does for a user other than root
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(pipeline.os, "scandir", scandir)
    found = pipeline.discover(source)
    assert [p.name for p in found.paths] == ["participatingAgencies07012025am.xlsx", "participatingAgencies07022025am.xlsx"]
    assert found.warnings == [("hidden", "folder cannot be listed (Permission denied); any sheets in it were not read")]
    assert main(["build", "--source", str(source), "--quiet"]) == 0
    assert "warning: hidden: folder cannot be listed" in capsys.readouterr().err
    built = store.load(cache=tmp_path / "cache")
    assert built.problems["file"].eq("hidden").any()


def test_symlink_loops_and_dangling_links_are_warned_about(tmp_path):
    source = good_sheets(tmp_path / "sheets", 1)
    (source / "loop").symlink_to(source, target_is_directory=True)
    (source / "self").symlink_to(source / "self")
    (source / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    found = pipeline.discover(source)
    assert [p.name for p in found.paths] == ["participatingAgencies07012025am.xlsx"]
    warned = dict(found.warnings)
    assert "symlink loop" in warned["loop"]
    assert "symlink loop" in warned["self"] and "leads nowhere" in warned["gone.xlsx"]


# --------------------------------------------------------------------------- the cache under concurrency


REBUILD_LOOP = """
import sys
from pathlib import Path
from mapcore.build import pipeline, store
for _ in range(int(sys.argv[3])):
    pipeline.build(sys.argv[1], cache=Path(sys.argv[2]), workers=1, force=True)
"""


@pytest.mark.slow  # twelve forced builds in another process while this one reads
def test_forced_rebuilds_never_break_a_concurrent_reader(tmp_path):
    source, cache = good_sheets(tmp_path / "sheets", 1), tmp_path / "cache"
    pipeline.build(source, cache=cache, workers=1)
    builder = subprocess.Popen([sys.executable, "-c", REBUILD_LOOP, str(source), str(cache), "12"])
    loads, failures = 0, []
    try:
        while builder.poll() is None or loads < 20:
            try:
                assert len(store.load(cache=cache).agreements) == 2
            except Exception as exc:  # noqa: BLE001 - counted, reported below
                failures.append(repr(exc))
            loads += 1
    finally:
        builder.wait(120)
    assert builder.returncode == 0
    assert loads > 20 and failures == [], f"{len(failures)} of {loads} loads failed: {failures[:3]}"
    assert len(list(cache.glob("dataset-*"))) <= store.KEEP_BUILDS + 1


def test_a_prune_never_removes_another_live_builds_staging_folder(tmp_path):
    from mapcore.core import leases

    source, cache = good_sheets(tmp_path / "sheets", 1), tmp_path / "cache"
    pipeline.build(source, cache=cache, workers=1)
    live = cache / ".dataset-abc.live"
    live.mkdir()
    (live / "agreements.parquet").write_bytes(b"half written")
    lease = leases.own(live)  # another build, still writing
    dead = cache / ".dataset-abc.dead"
    dead.mkdir()
    leases.own(dead).release()  # a build that died: its lock is free
    old = time.time() - 3600
    for folder in (live, dead):
        os.utime(folder, (old, old))
    pipeline.build(source, cache=cache, workers=1, force=True)
    assert live.is_dir() and not dead.exists()
    lease.release()


def test_a_dataset_in_use_is_not_removed_by_a_prune(tmp_path):
    source, cache = good_sheets(tmp_path / "sheets", 1), tmp_path / "cache"
    first, _ = pipeline.build(source, cache=cache, workers=1)
    store.load(first.path, pin=True)  # this process shows it
    for _ in range(store.KEEP_BUILDS + 2):
        pipeline.build(source, cache=cache, workers=1, force=True)
    assert (first.path / "meta.json").is_file()
    assert json.loads((cache / store.POINTER).read_text())["dataset"] != first.path.name


# --------------------------------------------------------------------------- workers end with their parent

SLOW_BUILD = """
import sys, time
from pathlib import Path
from mapcore.sheets import sheet
real = sheet.read_or_error
def slow(job):
    time.sleep(120)
    return real(job)
sheet.read_or_error = slow
from mapcore.build import pipeline
pipeline.build(sys.argv[1], cache=Path(sys.argv[2]), workers=2)
"""


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the worker processes")
def test_kill_9_of_a_build_ends_its_reader_processes_too(tmp_path):
    """`kill -9` during a build left its two reader processes alive and blocked (80 MB each)."""
    source, cache = good_sheets(tmp_path / "sheets"), tmp_path / "cache"
    builder = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(source), str(cache)])
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and builder.poll() is None:
            time.sleep(0.2)
            workers = _children(builder.pid)
        assert len(workers) == 2, f"expected two reader processes, found {workers}"
        os.kill(builder.pid, 9)  # the build alone, as `kill -9 PID` does (not its process group)
        builder.wait(10)
        deadline = time.monotonic() + 15
        while _alive(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(workers), f"reader processes {_alive(workers)} outlived the build"
    finally:
        for pid in _alive(workers):
            os.kill(pid, 9)
        if builder.poll() is None:
            builder.kill()
            builder.wait(10)


# --------------------------------------------------------------------------- a full disk, two sources on one cache


def test_reusing_a_dataset_on_a_full_disk_writes_nothing(tmp_path, capsys, monkeypatch):
    """`mapcore stats` failed with ENOSPC because reusing a dataset rewrote current.json."""
    import errno
    import tempfile

    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets", 2)
    assert main(["stats", "--source", str(source)]) == 0
    capsys.readouterr()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    for module, name in ((tempfile, "mkstemp"), (tempfile, "mkdtemp"), (store, "write_text_atomically")):
        monkeypatch.setattr(module, name, full)
    assert main(["stats", "--source", str(source)]) == 0, capsys.readouterr().err
    assert "agreements" in capsys.readouterr().out


def test_each_source_keeps_its_own_last_good_dataset(tmp_path, monkeypatch):
    """A server whose own source failed showed another source's dataset as its last good one."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    ours, theirs, cache = tmp_path / "ours", tmp_path / "theirs", tmp_path / "cache"
    make_sheet(ours / BAD, PARTICIPATING_8, [row8(agency="Our Sheriff's Office")])
    make_sheet(theirs / BAD, PARTICIPATING_8, [row8(agency="Their Sheriff's Office")])
    monkeypatch.setenv("MAPCORE_CACHE", str(cache))
    pipeline.build(ours, cache=cache, source_name=str(ours))
    pipeline.build(theirs, cache=cache, source_name=str(theirs))  # the other server built last
    (ours / "participatingAgencies07092025am.xlsx").write_text("<html>Access denied</html>")  # our source breaks

    monkeypatch.setenv("MAPCORE_SOURCE", str(ours))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "pages" / "1_Explore.py"), default_timeout=120).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert sorted(at.dataframe[0].value["Agency"].astype(str)) == ["Our Sheriff's Office"]
    assert "last good dataset" in " ".join(w.value for w in at.warning)
    assert store.load(cache=cache, source_name=str(theirs)).agreements["agency"].astype(str).tolist() == ["Their Sheriff's Office"]
