"""The browser part of `make bench`: what a reader's browser receives, and how fast a click shows.

Headless Chromium (as the browser tests: Debian's; every host but localhost unresolvable) opens
Explore on a running app and counts, through the DevTools protocol, the bytes of every websocket
frame received and of every HTTP response from the app (``encodedDataLength``: on the wire, headers
included). Streamlit's own frontend bundle (``/static/...``: the same for every Streamlit app, content-
hashed and cached for a year) is counted apart as ``framework_*`` and left out of the app's figures.

- ``first_load_bytes``: Explore opened with an empty browser cache, until the map is drawn and the page idle;
- ``repeat_visit_bytes``: the same page opened again in the same browser (caches warm);
- ``filter_change_bytes``: median over 10 filter changes (models, states, type, text) of the bytes
  received from the change until the page is idle;
- ``filter_to_visible_s``: median time from the change (the click on an option, Enter in the text
  box) to the last change of a map area's fill in any frame (a MutationObserver in every frame: works
  for any implementation whose areas are SVG paths with class ``mapcore-area``).

Run alone against another checkout (for the before/after table):
    .venv/bin/python bench/browser.py --app-dir /path/to/checkout --source ../shared/data/ice
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_support import CHROMIUM_FLAGS, chromium_path, streamlit_app  # noqa: E402

NO_OUTSIDE_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"

FILL_WATCH = """
(() => {
  // An iframe's first document (about:blank) may be replaced while its window stays: watch whichever
  // document the window holds now.
  window.__mapcoreFillAt = 0;
  let watched = null;
  const mark = () => { window.__mapcoreFillAt = Date.now(); };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes' && r.target.classList && r.target.classList.contains('mapcore-area')) { mark(); return; }
      if (r.type === 'childList') {
        for (const n of r.addedNodes) {
          if (n.nodeType === 1 && (n.matches?.('path.mapcore-area') || n.querySelector?.('path.mapcore-area'))) { mark(); return; }
        }
      }
    }
  });
  const watch = () => {
    if (watched === document) return;
    observer.disconnect();
    observer.observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['fill']});
    watched = document;
  };
  watch();
  setInterval(watch, 20);
})();
"""


class Counter:
    """Bytes received, from the DevTools Network domain of one page (its same-origin frames included)."""

    def __init__(self, cdp, base: str) -> None:
        self.base = base
        self.urls: dict[str, str] = {}
        self.reset()
        cdp.on("Network.requestWillBeSent", self._request)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def reset(self) -> None:
        self.cached: set[str] = set()
        self.ws = 0
        self.http = 0
        self.framework = 0
        self.requests: list[str] = []

    def _request(self, event) -> None:
        url = event["request"]["url"]
        self.urls[event["requestId"]] = url
        if url.startswith(self.base):
            self.requests.append(url)

    def _response(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            self.cached.add(event["requestId"])

    def _finished(self, event) -> None:
        url = self.urls.get(event["requestId"], "")
        if not url.startswith(self.base) or event["requestId"] in self.cached:
            return  # blocked outside requests, data: URLs
        size = int(event.get("encodedDataLength", 0))
        if url[len(self.base) :].startswith("/static/"):
            self.framework += size
        else:
            self.http += size

    def _frame(self, event) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        self.ws += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    @property
    def app_bytes(self) -> int:
        return self.ws + self.http


def _map_drawn(page, timeout_s: float = 120) -> None:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if frame.locator("path.mapcore-area").count() >= 3000:
                    return
            except Exception:  # a frame detached while the page rerendered
                continue
        page.wait_for_timeout(200)
    raise AssertionError("the map drew no county paths")


def _idle(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_timeout(400)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def _last_fill(page) -> int:
    latest = 0
    for frame in page.frames:
        try:
            latest = max(latest, int(frame.evaluate("() => window.__mapcoreFillAt || 0")))
        except Exception:
            continue
    return latest


def _received(page) -> int:
    """When the map view last received its values (0 for a map that does not say)."""
    for frame in page.frames:
        try:
            got = frame.evaluate("() => window.mapcoreRendered ? window.mapcoreRendered.received : 0")
        except Exception:
            continue
        if got:
            return int(got)
    return 0


def _pick(page, label: str, option: str):
    """Open a multiselect; return the action that picks ``option`` (the change itself)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(option.split(":")[0])  # the list is virtualised: filter it to the option
    target = page.get_by_role("option", name=option, exact=True)
    target.wait_for(timeout=30_000)
    return lambda: target.click()


def _unpick_last(page, label: str):
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    return lambda: box.press("Backspace")


def _type(page, text: str):
    box = page.get_by_label("Agency name contains", exact=True)
    box.fill(text)
    return lambda: box.press("Enter")


# Ten changes over models, states, type and text, each changing what the map shows.
CHANGES = [
    ("model TFM", lambda p: _pick(p, "Model", "TFM: Task Force Model")),
    ("model +JEM", lambda p: _pick(p, "Model", "JEM: Jail Enforcement Model")),
    ("type County", lambda p: _pick(p, "Jurisdiction type", "County")),
    ("text 'sheriff'", lambda p: _type(p, "sheriff")),
    ("text cleared", lambda p: _type(p, "")),
    ("state TX", lambda p: _pick(p, "State", "TX")),
    ("state +FL", lambda p: _pick(p, "State", "FL")),
    ("state -FL", lambda p: _unpick_last(p, "State")),
    ("type -County", lambda p: _unpick_last(p, "Jurisdiction type")),
    ("model -JEM", lambda p: _unpick_last(p, "Model")),
]


def _legacy_cdn(leaflet_dir: Path):
    """For measuring the version before the map component (folium loads Leaflet, jQuery, Bootstrap from
    CDNs): Leaflet from a local copy, other CDN files empty, the rest aborted. Not counted as app bytes."""

    def route(route) -> None:
        url = route.request.url.split("?")[0]
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:")):
            route.continue_()
        elif url.endswith(("/leaflet.js", "/leaflet.css")):
            route.fulfill(path=str(leaflet_dir / url.rsplit("/", 1)[1]))
        elif url.endswith((".js", ".css")):
            route.fulfill(body="/* offline stub */", content_type="application/javascript" if url.endswith(".js") else "text/css")
        else:
            route.abort()

    return route


def measure(base: str, changes: int = 10, legacy_cdn: Path | None = None) -> dict:
    """The browser figures for an app served at ``base``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Outside hosts resolve to nothing (not Playwright routing, which switches the HTTP cache off).
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=[*CHROMIUM_FLAGS, NO_OUTSIDE_HOSTS])
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        if legacy_cdn is not None:
            context.route("**/*", _legacy_cdn(legacy_cdn))  # note: Playwright routing switches the HTTP cache off
        context.add_init_script(FILL_WATCH)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        counter = Counter(cdp, base)
        out: dict = {}
        try:
            started = time.perf_counter()
            page.goto(f"{base}/Explore")
            _map_drawn(page)
            _idle(page)
            out["first_load_s"] = time.perf_counter() - started
            out["first_load_bytes"], out["first_load_ws_bytes"] = counter.app_bytes, counter.ws
            out["framework_first_load_bytes"] = counter.framework
            geometry_first = [u for u in counter.requests if "/geo/" in u]

            counter.reset()
            page.goto(f"{base}/Explore")
            _map_drawn(page)
            _idle(page)
            out["repeat_visit_bytes"], out["framework_repeat_bytes"] = counter.app_bytes, counter.framework
            geometry_repeat = [u for u in counter.requests if "/geo/" in u]

            sizes, times, labels, received = [], [], [], []
            for label, prepare in CHANGES[:changes]:
                act = prepare(page)
                page.wait_for_timeout(300)
                counter.reset()
                before = int(page.evaluate("() => Date.now()"))
                act()
                page.keyboard.press("Escape")
                deadline = time.time() + 60
                while _last_fill(page) <= before and time.time() < deadline:
                    page.wait_for_timeout(50)
                _idle(page)
                page.wait_for_timeout(300)
                shown = _last_fill(page)
                if shown <= before:
                    raise AssertionError(f"the map did not change for the filter change {label!r}")
                sizes.append(counter.app_bytes)
                times.append((shown - before) / 1000)
                labels.append(label)
                got = _received(page)
                received.append(got - before if got else None)
            out["filter_change_bytes"] = int(statistics.median(sizes))
            out["filter_to_visible_s"] = statistics.median(times)
            out["filter_changes"] = [
                {"change": c, "bytes": b, "s": round(t, 3), "values_received_s": None if r is None else round(r / 1000, 3)}
                for c, b, t, r in zip(labels, sizes, times, received)
            ]
            out["geometry_fetches"] = {"first_load": len(geometry_first), "repeat_visit": len(geometry_repeat)}
        finally:
            context.close()
            browser.close()
    return out


def bench_browser(folder: Path, cache: Path, app_dir: Path = REPO, legacy_cdn: Path | None = None) -> dict:
    """Serve the app (from ``app_dir``) on the sheets in ``folder`` and measure it."""
    if chromium_path() is None:
        return {"browser_note": "chromium not installed"}
    env = {"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache)}
    if app_dir != REPO:
        env["PYTHONPATH"] = str(app_dir / "src")
    with streamlit_app(env, cwd=app_dir, timeout=240) as base:
        return measure(base, legacy_cdn=legacy_cdn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app-dir", type=Path, default=REPO)
    parser.add_argument("--source", type=Path, default=Path(os.environ.get("MAPCORE_SOURCE") or REPO.parent / "shared/data/ice"))
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("MAPCORE_CACHE") or REPO / ".cache"))
    parser.add_argument("--legacy-cdn", type=Path, help="a folder with leaflet.js and leaflet.css, to measure the folium version")
    args = parser.parse_args()
    print(json.dumps(bench_browser(args.source, args.cache, args.app_dir.resolve(), args.legacy_cdn), indent=1))


if __name__ == "__main__":
    main()
