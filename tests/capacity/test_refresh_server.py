"""Readers never wait for ICE. A real server whose source is a URL that accepts connections
and never answers (ICE's page hanging): after the refresh interval, while its refresher waits on that URL,
every page answers within 2 s from the data published before (a page slower than that is visited again, up to three
times: a page waiting on ICE is slow on every visit, one slowed by a loaded machine is not)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from server_support import app_server
from streamlit_ws import StreamlitSession

from mapcore.build import refresh

pytestmark = pytest.mark.server

PAGES = ["", "Explore", "State", "Agency", "Timeline", "Law_vs_practice", "About", "Methodology"]
PAGE_WITHIN_S = 2.0
VISITS = 3  # at most, for a page slower than PAGE_WITHIN_S (see the test)
EVERY_S = 2


class HangingSite:
    """A socket on 127.0.0.1 that is refused until :meth:`hang`, then accepts and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/identify-and-arrest/287g"
        self.accepted: list[tuple[float, socket.socket]] = []
        self._stop = threading.Event()

    def hang(self) -> None:
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted.append((time.monotonic(), conn))  # held open, never read, never answered

    def close(self) -> None:
        self._stop.set()
        for _, conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def hanging_site():
    site = HangingSite()
    yield site
    site.close()


def _visit(base: str, page: str):
    session = StreamlitSession(base, timeout=30)
    try:
        return session.open(page)
    finally:
        session.close()


def test_every_page_answers_within_2_s_from_the_current_data_while_ice_hangs(hanging_site, tmp_path):
    cache = tmp_path / "cache"
    published = refresh.refresh(hanging_site.url, cache)  # refused at once: the bundled snapshot, with a note
    assert published.fallback is not None and "connection refused" in published.fallback.reason
    hanging_site.hang()
    env = {"MAPCORE_SOURCE": hanging_site.url, "MAPCORE_CACHE": str(cache), "MAPCORE_REFRESH_EVERY": str(EVERY_S)}
    with app_server(env, log_dir=tmp_path) as (base, _process):
        for page in PAGES:  # each page once: the data loaded, each page's own caches filled
            run = _visit(base, page)
            assert not run.exceptions, (page, run.exceptions)
        deadline = time.monotonic() + 30
        while not hanging_site.accepted and time.monotonic() < deadline:
            time.sleep(0.2)
        assert hanging_site.accepted, "the server's refresher never asked the site"
        time.sleep(EVERY_S)
        timings: dict[str, list[float]] = {}
        for page in PAGES:
            # A page that waited on ICE would wait on every visit while the site hangs; a page slowed only by a
            # loaded machine (CI runs two workers on two cores) is fast on the next: so a slow page is visited
            # again, up to VISITS times, and its best time is judged.
            for _ in range(VISITS):
                run = _visit(base, page)
                timings.setdefault(page or "Home", []).append(round(run.seconds, 2))
                assert not run.exceptions, (page, run.exceptions)
                assert not any("No 287(g) data" in text for text in run.texts), page
                if page in ("", "Explore", "State"):
                    assert run.kinds.get("metric"), f"{page or 'Home'} shows no figures"
                if run.seconds <= PAGE_WITHIN_S:
                    break
        asked, _conn = hanging_site.accepted[-1]
        assert time.monotonic() - asked < 60, "the site was not being waited on during the visits"
        print(f"\npages while ICE hangs (s): {timings}")
        slow = {page: seconds for page, seconds in timings.items() if min(seconds) > PAGE_WITHIN_S}
        assert not slow, f"pages slower than {PAGE_WITHIN_S} s while ICE hangs: {slow} (all: {timings})"
    assert refresh.read_published(hanging_site.url, cache).dataset == published.dataset
