"""Real-browser helpers: Debian's Chromium driven by Playwright, offline.

Every request that leaves 127.0.0.1 / localhost is aborted at once (and recorded on ``page.blocked``):
the app serves everything its pages need itself (the maps' Leaflet is vendored in the package), so a
page that draws here draws on a machine with no network; background tiles are optional.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (or in the page: data:, blob:, about:)."""
    if url.startswith(("data:", "blob:", "about:", "file:")):
        return True
    host = url.split("/")[2] if "://" in url else ""
    return host.rsplit(":", 1)[0].strip("[]") in {"localhost", "127.0.0.1", "::1"}


def _router(blocked: list[str]):
    def route(route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    return route


# A phone's browser as a server sees it (the app offers filters and the language switch on the page for it).
PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
_BROWSER: dict[str, object] = {}


def _browser():
    """This process's Chromium, launched on first use (and again if it died); :func:`close_browser` ends it."""
    browser = _BROWSER.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        close_browser()
        playwright = sync_playwright().start()
        _BROWSER["playwright"] = playwright
        _BROWSER["browser"] = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
    return _BROWSER["browser"]


def close_browser() -> None:
    """Close the shared Chromium and stop Playwright (conftest does it after each test module: a running
    Playwright keeps an asyncio loop in this thread, which other tests' asyncio.run would trip over)."""
    browser, playwright = _BROWSER.pop("browser", None), _BROWSER.pop("playwright", None)
    try:
        if browser is not None:
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000, locale: str | None = None, touch: bool = False):
    """A Playwright page in headless Chromium, every request outside localhost aborted (recorded on
    ``page.blocked``); dialogs are recorded on ``page.dialogs``. ``locale`` (e.g. "es-ES") sets the
    browser's language and its Accept-Language header; ``touch`` makes it a phone (a touch screen, no hover, a
    phone's user agent).
    Each page has a new browser context (its own cookies, storage and cache) in the one Chromium this process
    keeps for a test module."""
    context = _browser().new_context(
        viewport={"width": width, "height": height},
        **({"locale": locale} if locale else {}),
        **({"has_touch": True, "is_mobile": True, "user_agent": PHONE_USER_AGENT} if touch else {}),
    )
    blocked: list[str] = []
    context.route("**/*", _router(blocked))
    page = context.new_page()
    page.blocked = blocked
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        yield page
    finally:
        context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 90, hint: str = "") -> None:
    """Wait until the Streamlit server at ``base`` answers its health check; fail at once if it exits
    (``hint`` ends the error, e.g. where its log is)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}{hint}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not start within {timeout}s{hint}")


def streamlit_command(script: str, port: int) -> list[str]:
    """`streamlit run script` on ``port`` as the tests start it: headless, no usage statistics, no file watcher."""
    return [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip


@contextlib.contextmanager
def streamlit_app(env: dict[str, str], script: str = "app.py", timeout: float = 90, cwd: Path = REPO):
    """Start `streamlit run` (in ``cwd``, the repository by default) on a free port; yield its base
    URL; stop it afterwards."""
    port = free_port()
    command = streamlit_command(script, port)
    log_dir = Path(env.get("MAPCORE_CACHE", "/tmp"))
    log_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_dir / f"streamlit-{port}.log", "w")
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process, timeout, f"; see {log.name}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def app_for_sheets(folder: Path, cache: Path, today: str | None = None):
    """The app served on a folder of sheets (``today``: the day the app takes as today, MAPCORE_TODAY): yields
    its base URL. Fails (never skips) without Chromium, which `make test` installs."""
    import pytest

    if chromium_path() is None:
        pytest.fail("Debian's chromium is not installed (make test installs it)")
    env = {"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache)} | ({"MAPCORE_TODAY": today} if today else {})
    with streamlit_app(env) as base:
        yield base


def map_frame(page, min_paths: int = 1, tries: int = 180):
    """The map component's frame once Leaflet has drawn county paths (it is replaced on reruns)."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(tries):
        for frame in page.frames:
            if frame == page.main_frame:
                continue
            try:
                if frame.locator("path.mapcore-area").count() >= min_paths:
                    return frame
            except PlaywrightError:  # detached while the page rerendered the map
                continue
        page.wait_for_timeout(500)
    raise AssertionError("the Leaflet map drew no county paths")


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    """Until Streamlit's 'running' indicator is gone."""
    page.wait_for_timeout(800)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def choose_option(page, label: str, option: str) -> None:
    """Choose ``option`` in the multiselect ``label`` as a reader would, by typing its name. Streamlit's list opens
    on a click with "Select all" first, and on a loaded machine a click on the box was seen to choose it (the list is
    drawn before it is placed, under the pointer): so the box is focused, not clicked, the typed name opens the list
    already narrowed, and the option is clicked once it is the only one shown."""
    box = page.get_by_role("combobox", name=label, exact=True)
    wait_idle(page)
    box.focus()
    box.press_sequentially(option)
    shown: list[str] = []
    for _ in range(120):
        shown = [text.strip() for text in page.get_by_role("option").all_inner_texts()]
        if shown == [option]:
            break
        page.wait_for_timeout(250)
    assert shown == [option], f"typing {option!r} in {label!r} left the list at {shown}"
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
