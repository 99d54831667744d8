"""The static edition in a real browser: served by a plain static file server on 127.0.0.1 (no code of ours
runs to serve it), opened in headless Chromium with every request outside that server aborted. Home, a
state and an agency page, English and Spanish, desktop and phone: no request leaves the edition, no
console error, the maps draw their counties, and a hostile agency name stays text."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import threading
from pathlib import Path

import pytest
from browser_support import browser_page, chromium_path
from site_fixture import HOSTILE, build_folder

from mapcore.build import pipeline
from mapcore.core.agency_key import agency_identity
from mapcore.reference.laws import load_laws
from mapcore.render.site.agencies import path_for
from mapcore.render.site.edition import build_edition

pytestmark = pytest.mark.browser
HOSTILE_PAGE = path_for(f"TX|{agency_identity(HOSTILE)}")
PAGES = {"home": "index.html", "state": "state/TX.html", "agency": HOSTILE_PAGE}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # no line per request on stderr
        return


@contextlib.contextmanager
def serve(folder: Path):
    """The edition served as plain files on a free loopback port (a thread of this process, stopped after)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    root = tmp_path_factory.mktemp("site-browser")
    dataset, _ = pipeline.build(build_folder(root / "sheets"), cache=root / "cache", workers=1)
    out = root / "out"
    build_edition(dataset, load_laws(), out, base_url="https://news.example.org/287g", today=dt.date(2025, 8, 11))
    with serve(out) as base:
        yield base, out


@pytest.mark.parametrize("width", [1400, 390])
def test_pages_open_with_no_outside_request_and_no_console_error(site, width):
    base, _ = site
    with browser_page(width, 900) as page:
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        for lang in ("", "es/"):
            for name, path in PAGES.items():
                response = page.goto(f"{base}/{lang}{path}")
                assert response is not None and response.status == 200, (lang, name)
                page.wait_for_load_state("load")
                if name != "agency":
                    frame = page.frame_locator("div.map iframe")
                    frame.locator("path.mapcore-area").first.wait_for(timeout=60_000)
                    assert frame.locator("path.mapcore-area").count() >= 1, (lang, name)
                scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                assert scroll <= 1, f"{lang}{name} scrolls sideways at {width} px"  # wide tables scroll inside their box
        assert page.dialogs == [] and errors == [] and page.blocked == [], (page.dialogs, errors, page.blocked)


def test_a_hostile_name_is_shown_as_typed_and_runs_nothing(site):
    base, _ = site
    with browser_page(1400, 900) as page:
        page.goto(f"{base}/{HOSTILE_PAGE}")
        assert page.locator("h1").inner_text() == HOSTILE
        assert page.locator("main img").count() == 0
        page.goto(f"{base}/state/TX.html")
        assert page.get_by_role("link", name=HOSTILE, exact=True).count() >= 1  # its row, and the latest change naming it
        assert page.dialogs == [] and page.blocked == []
