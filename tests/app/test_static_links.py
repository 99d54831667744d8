"""The app links a state and an agency to their pages in the static edition, and a state to its Atom feed,
when MAPCORE_SITE_URL says where the edition is; without it, no such link."""

from __future__ import annotations

from pages_fixture import build_dataset

from mapcore.core.agency_key import agency_identity
from mapcore.render.site.agencies import page_paths, path_for

SITE = "https://news.example.org/287g"


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_state_page_links_its_static_page_and_feed_in_the_readers_language(run_page, monkeypatch):
    monkeypatch.setenv("MAPCORE_SITE_URL", SITE + "/")
    at = run_page("pages/2_State.py", state="TX")
    assert not at.exception
    assert f'href="{SITE}/state/TX.html"' in _text(at) and f'href="{SITE}/feeds/TX.atom"' in _text(at)
    spanish = run_page("pages/2_State.py", state="TX", lang="es")
    assert f'href="{SITE}/es/state/TX.html"' in _text(spanish) and "Suscribirse a los cambios en Texas" in _text(spanish)


def test_agency_page_links_the_agencys_permanent_page(run_page, monkeypatch, tmp_path):
    monkeypatch.setenv("MAPCORE_SITE_URL", SITE)
    at = run_page("pages/3_Agency.py", agency="Houston Police Department", state="TX")
    assert not at.exception
    expected = path_for(f"TX|{agency_identity('Houston Police Department')}")
    assert f'href="{SITE}/{expected}"' in _text(at)
    dataset = build_dataset(tmp_path)  # the same address as the edition's (one rule: render.site.agencies)
    assert page_paths(dataset.agreements, dataset.sheets)[f"TX|{agency_identity('Houston Police Department')}"] == expected


def test_no_link_without_a_site_url(run_page, monkeypatch):
    monkeypatch.delenv("MAPCORE_SITE_URL", raising=False)
    at = run_page("pages/2_State.py", state="TX")
    assert "static edition" not in _text(at) and ".atom" not in _text(at)
    at = run_page("pages/3_Agency.py", agency="Houston Police Department", state="TX")
    assert "static edition" not in _text(at)


def test_a_site_url_that_is_not_http_is_ignored(monkeypatch):
    from mapcore.core import config

    for bad in ("javascript:alert(1)", "ftp://x.org", 'https://x.org/"onmouseover=alert(1)'):
        monkeypatch.setenv("MAPCORE_SITE_URL", bad)
        assert config.site_url() is None
    monkeypatch.setenv("MAPCORE_SITE_URL", "https://x.org/site/")
    assert config.site_url() == "https://x.org/site"
