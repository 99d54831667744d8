"""A bad sheet in the app: a real `streamlit run` of app.py over four good sheets and one bad
file (read by two worker processes) shows the warning naming the bad file over the last good data,
and the server stops on SIGTERM with no worker left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from browser_support import browser_page, chromium_path, free_port, streamlit_command, wait_healthy, wait_idle
from sheetfactory import PARTICIPATING_8, make_sheet, row8

from mapcore.build import pipeline, store

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
BAD = "participatingAgencies07062025am.xlsx"


def good_sheets(folder: Path, count: int = 4) -> Path:
    for i in range(count):
        make_sheet(folder / f"participatingAgencies070{i + 1}2025am.xlsx", PARTICIPATING_8, [row8(), row8(agency=f"Agency {i}")])
    return folder


def test_app_shows_the_named_warning_and_last_good_data_and_stops_on_sigterm(tmp_path):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    source, cache = good_sheets(tmp_path / "sheets"), tmp_path / "cache"
    good, _ = pipeline.build(source, cache=cache, workers=2)
    (source / BAD).write_text("<!DOCTYPE html><html><body>Access denied</body></html>")

    port = free_port()
    env = {**os.environ, "MAPCORE_SOURCE": str(source), "MAPCORE_CACHE": str(cache)}
    log = open(tmp_path / "streamlit.log", "w")
    server = subprocess.Popen(streamlit_command("app.py", port), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server)
        with browser_page() as page:
            page.goto(base)
            page.get_by_text("last good dataset", exact=False).first.wait_for(timeout=90_000)
            wait_idle(page)
            warning = page.locator("[data-testid='stAlertContentWarning']").first.inner_text()
            assert BAD in warning and "HTML page" in warning, warning
            page.locator("[data-testid='stMetric']").first.wait_for(timeout=60_000)  # drawn after the warning
            assert page.locator("[data-testid='stMetric']").count() > 0  # the last good data is shown
        workers = [p for p in psutil.Process(server.pid).children(recursive=True)]
        server.send_signal(signal.SIGTERM)
        started = time.monotonic()
        server.wait(timeout=20)
        print(f"\nserver stopped {time.monotonic() - started:.1f}s after SIGTERM")
        assert not [p for p in workers if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
        log.close()
    assert store.load(cache=cache).key == good.key
