"""About and Methodology in Spanish in a real browser (headless Chromium, offline): ``?lang=es`` gives the
Spanish texts, links keep opening their sources in a new tab, and the URL keeps ``lang=es``.
Screenshots go to artifacts/screenshots/<page>-es.png for a human to look at."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import browser_page

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "artifacts" / "screenshots"

PAGES = [
    (
        "About?lang=es",
        [
            "Acerca del programa 287(g)",
            "Los tres modelos",
            "Modelo de cárcel (Jail Enforcement Model, JEM)",
            "Leyes estatales sobre el programa 287(g)",
            "ACLU de Arizona",
        ],
        ["The three models"],
        "about",
    ),
    (
        "Methodology?lang=es",
        ["Metodología y calidad de los datos", "Cómo se ubican los acuerdos en el mapa", "Tasa de ubicación", "Condado indicado por ICE"],
        ["How agreements are placed"],
        "methodology",
    ),
]


@pytest.fixture(scope="module")
def page():
    with browser_page(width=1400, height=1000) as p:
        yield p


@pytest.mark.parametrize("path, spanish, english, name", PAGES, ids=[p[3] for p in PAGES])
def test_page_reads_in_spanish(pages_url, page, path, spanish, english, name):
    page.goto(f"{pages_url}/{path}", wait_until="domcontentloaded")
    page.locator("section.main, [data-testid='stMain']").first.wait_for(timeout=60_000)
    for text in spanish:
        page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=60_000)
    page.wait_for_timeout(1000)
    assert not page.get_by_test_id("stException").count()
    for text in english:
        assert not page.get_by_text(text, exact=False).count(), text
    host = urlsplit(pages_url).netloc
    links = page.eval_on_selector_all("a[href]", "els => els.map(a => ({href: a.href, target: a.target}))")
    for link in (link for link in links if urlsplit(link["href"]).netloc != host):
        assert link["href"].startswith(("http://", "https://")) and link["target"] == "_blank", link
    assert "lang=es" in page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-es.png"), full_page=True)
