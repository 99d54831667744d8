"""A fresh copy of the repository with no ../shared beside it, on a machine that
cannot reach ICE (MAPCORE_SOURCE=http://127.0.0.1:9/, where nothing listens), answers `mapcore stats
--json` from the bundled snapshot and says so in one line on stderr. A build that fails says why in
one line, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from fresh_copy import env_for, fresh_copy, run_mapcore

from mapcore.build import pipeline
from mapcore.cli.main import main, stats_for
from mapcore.core import config
from mapcore.sheets import snapshot as snapshots

NOWHERE = "http://127.0.0.1:9/"


@pytest.mark.slow  # copies the repository and runs the CLI in it twice
def test_a_fresh_copy_offline_answers_from_the_bundled_snapshot(tmp_path):
    copy = fresh_copy(tmp_path / "clone")
    assert not (tmp_path / "shared").exists() and not (copy / ".cache").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = env_for(copy, tmp_path / "cache", MAPCORE_SOURCE=NOWHERE)
    where = subprocess.run(
        [sys.executable, "-c", "import mapcore.core.config as c; print(c.DATA_DIR)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip() == str(copy / "data"), "the copy's own mapcore and data"

    out = run_mapcore(copy, ["stats", "--json"], env, elsewhere)
    assert out.returncode == 0, out.stderr
    info = snapshots.read_info(copy / "data" / "ice_snapshot")
    assert out.stderr.splitlines() == [
        f"note: {NOWHERE} could not be reached (connection refused); "
        f"showing the bundled snapshot of ICE's sheets up to {info['newest_publication']}"
    ]
    figures = json.loads(out.stdout)
    assert figures["publication_date"] == info["newest_publication"]
    dataset, _ = pipeline.build(None, cache=tmp_path / "here", snapshot=copy / "data" / "ice_snapshot")
    assert figures == json.loads(json.dumps(stats_for(dataset), default=str)), "the snapshot's own figures"
    assert figures["agreements"] > 0 and figures["publications"] > 1

    build = run_mapcore(copy, ["build", "--quiet"], env, elsewhere)
    assert build.returncode == 0 and "unchanged, reused" in build.stdout
    assert len(build.stderr.splitlines()) == 1 and "showing the bundled snapshot" in build.stderr


def test_a_build_that_fails_says_why_in_one_line(tmp_path, monkeypatch, capsys):
    snap = tmp_path / "ice_snapshot"
    shutil.copytree(config.SNAPSHOT_DIR, snap)
    (snap / "records.parquet").write_bytes(b"not parquet")
    monkeypatch.setattr(config, "SNAPSHOT_DIR", snap)
    monkeypatch.setenv("MAPCORE_SOURCE", NOWHERE)
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    assert main(["build", "--quiet"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"note: {NOWHERE} could not be reached")
    assert err[1:] == [
        f"mapcore build: {snap / 'records.parquet'}: its content does not match snapshot.json "
        "(changed or damaged; write the snapshot again)"
    ]
    assert main(["build", "--quiet", "-v"]) == 2
    assert "Traceback" in capsys.readouterr().err
