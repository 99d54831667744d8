"""The app in Spanish in a real browser (headless Chromium, offline): a Spanish browser gets Spanish
pages by its Accept-Language, the URL says ``lang=es`` and the sidebar's links keep it, the map's legend
speaks Spanish; an English browser gets English and no ``lang``."""

from __future__ import annotations

import pytest
from browser_support import browser_page, map_frame, wait_idle

pytestmark = pytest.mark.browser


def _legend(page, words: str) -> str:
    legend = ""
    for _ in range(60):
        legend = map_frame(page).locator(".mapcore-legend").first.inner_text(timeout=5_000)
        if words in legend:
            break
        page.wait_for_timeout(500)
    return legend


def test_a_spanish_browser_gets_spanish_pages_and_links_that_keep_the_language(pages_url):
    with browser_page(width=1400, height=1000, locale="es-ES") as page:
        page.goto(pages_url, wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=90_000)
        wait_idle(page)
        assert page.locator("h1").first.inner_text() == "Mapa de acuerdos 287(g)"
        page.wait_for_function("() => location.search.includes('lang=es')", timeout=30_000)
        assert "Acuerdos 287(g) por condado" in _legend(page, "Acuerdos 287(g) por condado")
        page.get_by_role("link", name="Explorar", exact=False).first.click()
        page.wait_for_function("() => location.pathname.endsWith('/Explore')", timeout=30_000)
        page.wait_for_function(
            "() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('Explorar')", timeout=60_000
        )
        assert "lang=es" in page.url


def test_an_english_browser_gets_english_and_no_lang_in_the_url(pages_url):
    with browser_page(width=1400, height=1000, locale="en-US") as page:
        page.goto(pages_url, wait_until="domcontentloaded")
        page.wait_for_selector("h1", timeout=90_000)
        wait_idle(page)
        assert page.locator("h1").first.inner_text() == "287(g) agreements map"
        assert "lang=" not in page.url
        assert "287(g) agreements per county" in _legend(page, "287(g) agreements per county")
