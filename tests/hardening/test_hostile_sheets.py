"""Bounded memory on any sheet: a 1 KB workbook with one far cell, cells written without ``r``, and a reader
that aborts anyway. Each is a one-line named problem (exit 2) that honours ``--skip-bad``, never an abort of
the build with a Rust backtrace; a source that is a whole disk is named, not walked.

The size checks themselves, spelling by spelling, are in tests/sheets/test_xlsx.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sheetfactory import HEADER_CELLS, crafted_workbook, far_cell_workbook
from test_reliability import good_sheets

from mapcore.build import pipeline, store
from mapcore.cli.main import main
from mapcore.core import workers
from mapcore.sheets import extent, sheet, xlsx
from mapcore.sheets.sheet import SheetError, read_sheet

FAR = "participatingAgencies07092025am.xlsx"
RUST_NOISE = ("stack backtrace", "panicked", "RUST_BACKTRACE", "memory allocation of")


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)


def _one_named_line(err: str, name: str) -> str:
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert name in lines[0] and "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- the far cell, refused before reading


def test_validate_of_a_1kb_far_cell_workbook_is_a_named_exit_2(tmp_path, capfd):
    path = far_cell_workbook(tmp_path / FAR)
    assert path.stat().st_size < 2_000
    assert main(["validate", str(path)]) == 2
    line = _one_named_line(capfd.readouterr().err, FAR)
    assert "1,048,576 rows is more than the 200,000" in line


@pytest.mark.parametrize("spelling", ['r="XFD1048576"', 'r = "XFD1048576"'])
def test_build_of_a_folder_holding_only_the_far_cell_workbook_is_a_named_exit_2(tmp_path, capfd, monkeypatch, spelling):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    far_cell_workbook(tmp_path / "sheets" / FAR, spelling=spelling)
    assert main(["build", "--source", str(tmp_path / "sheets"), "--quiet"]) == 2
    line = _one_named_line(capfd.readouterr().err, FAR)
    assert "1,048,576 rows" in line


def test_the_far_cell_workbook_among_good_sheets_with_two_workers(tmp_path, capfd, monkeypatch, two_workers):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets")
    far_cell_workbook(source / FAR)
    assert main(["build", "--source", str(source), "--quiet"]) == 2
    _one_named_line(capfd.readouterr().err, FAR)
    assert main(["build", "--source", str(source), "--quiet", "--skip-bad"]) == 0
    assert f"not read: {FAR}: 1,048,576 rows is more than" in capfd.readouterr().out
    built = store.load(cache=tmp_path / "cache")
    assert len(built.sheets) == 4 and [u.split(":")[0] for u in built.meta["unreadable"]] == [FAR]


def test_ten_thousand_r_less_cells_a_row_do_not_pass_the_cell_limit(tmp_path):
    """Cells without ``r`` were not counted at all (10 million passed the 2-million-cell limit)."""
    row = "<row>" + "<c><v>1</v></c>" * 1_000 + "</row>"
    path = crafted_workbook(tmp_path / FAR, f"<row>{HEADER_CELLS}</row>" + row * 2_100)
    assert path.stat().st_size < 400_000
    with pytest.raises(SheetError, match=rf"^{re.escape(FAR)}: more than 2,000,000 cell elements"):
        read_sheet(path)


def test_a_far_reference_written_with_spaces_is_refused_by_the_sheet_reader(tmp_path):
    """``r = "XFD1048576"`` (valid XML) passed the far-cell check."""
    path = far_cell_workbook(tmp_path / FAR, spelling='r = "XFD1048576"')
    with pytest.raises(SheetError, match=rf"^{re.escape(FAR)}: 1,048,576 rows is more than the 200,000"):
        read_sheet(path)


# --------------------------------------------------------------------------- a reader that aborts anyway


@pytest.fixture
def unchecked(monkeypatch):
    """The size checks switched off, so calamine itself meets the far cell (its grid: 512 GB). The worker
    processes are forked from this one and see the same switch."""
    monkeypatch.setattr(extent.Counter, "feed", lambda self, data: None)
    monkeypatch.setattr(xlsx, "_check_other_parts", lambda *a: None)
    monkeypatch.setenv("RUST_BACKTRACE", "1")  # a backtrace, if any reached our stderr, would show


def test_calamine_aborting_in_its_worker_is_a_named_problem_that_honours_skip_bad(tmp_path, capfd, monkeypatch, two_workers, unchecked):
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    source = good_sheets(tmp_path / "sheets")
    far_cell_workbook(source / FAR)
    assert main(["build", "--source", str(source), "--quiet"]) == 2
    err = capfd.readouterr().err
    line = _one_named_line(err, FAR)
    assert "not read: the process reading it ended (it aborted: memory allocation of 549755813888 bytes failed" in line
    assert not any(noise in err.replace(line, "") for noise in RUST_NOISE), err
    assert main(["build", "--source", str(source), "--quiet", "--skip-bad"]) == 0
    out, err = capfd.readouterr()
    assert f"not read: {FAR}: not read: the process reading it ended (it aborted" in out
    assert not any(noise in err for noise in RUST_NOISE), err
    assert len(store.load(cache=tmp_path / "cache").sheets) == 4


def test_validate_of_a_sheet_that_aborts_its_reader_is_a_named_exit_2(tmp_path, capfd, unchecked):
    path = far_cell_workbook(tmp_path / FAR)
    assert main(["validate", str(path)]) == 2
    err = capfd.readouterr().err
    line = _one_named_line(err, FAR)
    assert "memory allocation of 549755813888 bytes failed" in line and "stack backtrace" not in err


def test_a_reader_past_its_memory_limit_is_named_and_the_other_sheets_are_read(tmp_path, monkeypatch):
    source = good_sheets(tmp_path / "sheets")
    hungry = source / "participatingAgencies07202025am.xlsx"
    far_cell_workbook(hungry, reference="A2")
    real_values = xlsx._values

    def values(path, title):
        if Path(path).name == hungry.name:
            return [bytearray(3 << 30)]  # 3 GB: past the worker's 2 GB on top of what it inherited
        return real_values(path, title)

    monkeypatch.setattr(xlsx, "_values", values)
    jobs = [(str(p), p.name, None) for p in sorted(source.iterdir())]
    out = list(sheet.read_sheets(jobs, workers=2))
    assert [type(o).__name__ for o in out] == ["SheetResult"] * 4 + ["SheetError"]
    assert out[-1].file == hungry.name and "MemoryError" in out[-1].reason


def test_a_worker_that_is_killed_names_its_job_and_the_pool_goes_on(tmp_path):
    out = list(workers.run(_kill_on_two, [1, 2, 3, 4], 2, lambda job, why: f"{job} failed: {why}"))
    assert out[0] == 10 and out[2:] == [30, 40]
    assert out[1].startswith("2 failed: the process reading it ended (it was killed")


def _kill_on_two(job: int) -> int:
    if job == 2:
        os.kill(os.getpid(), 9)
    return job * 10


# --------------------------------------------------------------------------- a whole disk as the source


@pytest.mark.slow  # many seconds alone: make test runs it, make test-fast skips it
def test_a_source_that_reaches_proc_is_named_not_walked(tmp_path):
    """``build --source DIR`` where DIR links to /proc (whose tasks link to /, the whole machine), and
    ``export --source /proc``: each ends with one named line and exit 2, in bounded time."""
    source = good_sheets(tmp_path / "sheets", 1)
    (source / "proc").symlink_to("/proc", target_is_directory=True)
    env = {**os.environ, "MAPCORE_CACHE": str(tmp_path / "cache")}
    for command in (["build", "--source", str(source)], ["export", "--source", "/proc", "-o", str(tmp_path / "out.csv")]):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "mapcore.cli.main", *command], env=env, capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
        print(f"\nmapcore {command[0]}: exit {done.returncode} after {elapsed:.1f} s: {done.stderr.strip()}")
        assert done.returncode == 2, done.stderr
        line = _one_named_line(done.stderr, f"more than {pipeline.MAX_ENTRIES:,} files and folders under it")
        assert "a source is a folder of ICE sheets, not a whole disk" in line
        assert elapsed < 60  # the must-show: bounded (it walked the machine for minutes before)
    assert not (tmp_path / "out.csv").exists()


def test_a_sheet_file_larger_than_any_sheet_is_named_not_hashed(tmp_path, monkeypatch):
    source = good_sheets(tmp_path / "sheets", 1)
    big = source / "participatingAgencies07302025am.xlsx"
    with open(big, "wb") as handle:  # sparse: 300 MB on paper, nothing on disk
        handle.truncate(300 * 1024 * 1024)
    monkeypatch.setattr(pipeline, "sha256_of", lambda path: pytest.fail(f"{path} hashed") if path == big else "x" * 64)
    _, files = pipeline.source_key([big])
    assert files[0].sha256 is None and files[0].error == "315 MB, larger than any ICE sheet could be (210 MB); not read"


def test_a_worker_killed_while_idle_hands_its_next_job_to_a_new_one():
    jobs = iter(workers.run(_pid_after, [0.0, 0.0, 0.0], 1, lambda job, why: why))
    first = next(jobs)
    os.kill(first, 9)  # the idle worker, between two jobs
    time.sleep(0.5)
    rest = list(jobs)
    assert len(rest) == 2 and all(isinstance(pid, int) and pid != first for pid in rest)


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
