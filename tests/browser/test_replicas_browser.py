"""`make serve` (deploy/serve.py: HAProxy in front of two replicas, one refresher) in a real
browser. Killing the replica a reader is on mid-session: the reader's page reconnects to the other replica
within 5 s, keeps its filters, and its downloads keep working."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_support import browser_page, chromium_path, free_port, wait_idle
from server_support import SNAPSHOT

from mapcore.build import refresh

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parents[2]
RECONNECT_WITHIN_S = 5.0


def _state(path: Path) -> dict:
    for _ in range(100):
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.1)
    raise AssertionError("deploy/serve.py wrote no state file")


@pytest.fixture
def deployment(tmp_path):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    sys.path.insert(0, str(REPO / "deploy"))
    import serve

    serve.haproxy_binary()  # exits naming `make serve-deps` when HAProxy is missing
    cache = tmp_path / "cache"
    refresh.refresh(str(SNAPSHOT), cache)
    port, state = free_port(), tmp_path / "state.json"
    env = {**os.environ, "MAPCORE_SOURCE": str(SNAPSHOT), "MAPCORE_CACHE": str(cache)}
    log = open(tmp_path / "serve.log", "w")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "deploy" / "serve.py"), "--replicas", "2", "--port", str(port), "--state", str(state)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        serve.wait_ready(f"http://127.0.0.1:{port}", timeout=120)
        yield f"http://127.0.0.1:{port}", state
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _csv_download(page) -> str:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    return Path(info.value.path()).read_text()


def test_killing_a_replica_mid_session_its_reader_reconnects_within_5_s_and_downloads_work(deployment):
    base, state_file = deployment
    with browser_page() as page:
        frames: list[tuple[float, str]] = []  # (time, websocket URL) of every frame the page received
        page.on("websocket", lambda ws: ws.on("framereceived", lambda _payload: frames.append((time.monotonic(), ws.url))))
        page.goto(f"{base}/Explore?states=TX")
        page.get_by_text("Download CSV").first.wait_for(timeout=120_000)
        wait_idle(page, 120_000)
        before = _csv_download(page)
        lines = before.splitlines()
        assert lines[0].startswith("state,") and len(lines) > 2 and all(line.startswith("TX,") for line in lines[1:])
        replica = next(c["value"] for c in page.context.cookies() if c["name"] == "MAPCORE_REPLICA")
        victim = next(p for p in _state(state_file)["processes"] if p["name"] == replica)
        sockets_before = {url for _, url in frames}

        killed = time.monotonic()
        os.killpg(victim["pid"], signal.SIGKILL)  # the replica and nothing else (it runs in its own group)
        deadline = killed + 30
        while time.monotonic() < deadline and not any(t > killed + 0.2 for t, _ in frames):
            page.wait_for_timeout(100)
        back = [t - killed for t, _ in frames if t > killed + 0.2]
        assert back, "the page never heard from a replica again"
        print(f"\nreader back on a live replica {back[0]:.2f}s after the kill")
        assert back[0] <= RECONNECT_WITHIN_S
        wait_idle(page, 60_000)
        now_on = next(c["value"] for c in page.context.cookies() if c["name"] == "MAPCORE_REPLICA")
        assert now_on != replica or len({url for _, url in frames}) >= len(sockets_before)
        assert "states=TX" in page.url  # the reader's filters are still there
        after = _csv_download(page)
        assert after == before  # the same rows, served by the other replica
