"""Citable: About gives a citation (the sheet's date, the dataset's version) and the credits; every page's footer
says how to report an error: the deployer's MAPCORE_CORRECTIONS, or how to when unset (the README's section)."""

from __future__ import annotations

import datetime as dt

import pytest

from mapcore.core import config
from mapcore.words import citation


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://example.org/report-an-error", "https://example.org/report-an-error"),
        ("corrections@example.org", "corrections@example.org"),
        ("", None),
        ("javascript:alert(1)", None),
        ("<script>@x.org", None),
        ("see the README", None),
        ("https://example.org/a b", None),
    ],
)
def test_the_corrections_setting_keeps_only_a_url_or_an_address(monkeypatch, value, kept):
    monkeypatch.setenv("MAPCORE_CORRECTIONS", value)
    assert config.corrections() == kept


def test_the_footer_links_the_contact_or_says_how_to_report():
    url = citation.footer_html("https://example.org/report")
    assert '<a href="https://example.org/report" target="_blank" rel="noopener noreferrer">' in url
    mail = citation.footer_html("fix@example.org")
    assert '<a href="mailto:fix@example.org">fix@example.org</a>' in mail
    unset = citation.footer_html(None)
    assert "Corrections" in unset and "README" in unset and "<a " not in unset


def test_the_citation_names_the_sheet_date_and_the_dataset_version():
    text = citation.suggested_citation(dt.date(2026, 4, 30), "s0123456789abcdef012", "7", dt.date(2026, 5, 2))
    assert "2026-04-30" in text and "s0123456789abcdef012" in text and "build 7" in text and "2026-05-02" in text


def test_about_cites_credits_and_every_page_has_the_footer(run_page, monkeypatch):
    monkeypatch.setenv("MAPCORE_CORRECTIONS", "https://example.org/report")
    about = run_page("pages/6_About.py")
    assert not about.exception
    cited = about.code[0].value
    assert "sheet of 2025-08-01" in cited and "; dataset " in cited and "(build 7)" in cited
    html = " ".join(m.value for m in about.markdown)
    assert "287g-watch" in html and "CC BY 4.0" in html and "U.S. Census Bureau" in html
    for script in ("app.py", "pages/1_Explore.py", "pages/3_Agency.py", "pages/7_Methodology.py"):
        at = run_page(script)
        assert not at.exception
        assert any('href="https://example.org/report"' in m.value for m in at.markdown), script
    spanish = run_page("pages/1_Explore.py", lang="es")
    footer = next(m.value for m in spanish.markdown if 'href="https://example.org/report"' in m.value)
    assert "¿Encontró un error?" in footer
