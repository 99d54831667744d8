"""The static edition (``mapcore site``) over small fixture sheets (tests/site_fixture.py): feeds parse as Atom,
no internal link is broken, an agency's address survives a new edition and a rename, hostile names are
escaped everywhere, and a second run with nothing new writes nothing."""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from site_fixture import HOSTILE, SHEETS, build_folder

from mapcore.build import pipeline
from mapcore.core.i18n import LANGUAGES
from mapcore.reference.laws import load_laws
from mapcore.render.site import agencies
from mapcore.render.site.edition import build_edition
from mapcore.render.site.writer import MANIFEST

pytestmark = pytest.mark.slow  # whole editions built from sheets: make test runs them; test_site_units is the fast part

BASE = "https://news.example.org/287g"
TODAY = dt.date(2025, 8, 11)


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    """Every fixture sheet written once: editions built from different sets copy the same files (the same
    bytes, as ICE's sheets are: a sheet's publication id carries its content hash)."""
    return build_folder(tmp_path_factory.mktemp("master"))


def edition(master: Path, root: Path, days: tuple[str, ...] = SHEETS, out: Path | None = None, today: dt.date = TODAY, **options):
    """Build the fixture sheets of ``days`` (and the pending sheet) into a dataset and an edition (``root/out`` by default)."""
    sheets = root / ("sheets-" + "-".join(days))
    for path in master.rglob("*.xlsx"):
        if path.parent.name in days or "pending" in path.name:
            target = sheets / path.relative_to(master)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    dataset, _ = pipeline.build(sheets, cache=root / "cache", workers=1)
    out = out or root / "out"
    return build_edition(dataset, load_laws(), out, base_url=BASE, today=today, **options), out


def _mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def _ids(feed: Path) -> set[str]:
    return {e.id for e in feedparser.parse(feed.read_bytes()).entries}


@pytest.fixture(scope="module")
def built(master, tmp_path_factory):
    """One edition grown as a site is: the first two sheets, then the third added, then a run with nothing new."""
    root = tmp_path_factory.mktemp("site")
    out = root / "out"
    first, _ = edition(master, root, SHEETS[:2], out=out)
    run = {
        "first": first,
        "before": _mtimes(out),
        "old_ids": _ids(out / "feeds/national.atom"),
        "manifest": json.loads((out / MANIFEST).read_text()),
    }
    run["second"], _ = edition(master, root, SHEETS, out=out)
    run["after"] = _mtimes(out)
    run["third"], _ = edition(master, root, SHEETS, out=out)
    run["again"] = _mtimes(out)
    return run["second"], out, run


def html_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html"))


def page_of(out: Path, state: str, name: str, lang: str = "en") -> Path:
    """The agency page of a fixture agency (found by its spelling's identity, as the edition finds it)."""
    from mapcore.core.agency_key import agency_identity

    prefix = "" if lang == "en" else f"{lang}/"
    path = agencies.path_for(f"{state}|{agency_identity(name)}")
    return out / (prefix + path)


# ------------------------------------------------------------------------------------------------
# Feeds


def test_every_feed_parses_as_atom_with_its_required_elements(built):
    _, out, _run = built
    feeds = sorted(out.rglob("*.atom"))
    assert len(feeds) >= 2 * 3  # nation + each state, in each language
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
        feed = parsed.feed
        assert feed.id.startswith("urn:uuid:") and feed.title and feed.updated_parsed, path
        assert feed.author_detail.name, path  # the feed's author stands for its entries' (RFC 4287 4.2.1)
        assert any(link.rel == "self" for link in feed.links), path
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)), path
        for entry in parsed.entries:
            assert entry.id.startswith("urn:uuid:") and entry.title and entry.updated_parsed and entry.link, (path, entry)
    national = feedparser.parse((out / "feeds/national.atom").read_bytes())
    # the two sheets after the first each changed the list: Houston PD left, Miami PD came, then the hostile one
    assert len(national.entries) == 2
    newest = national.entries[0]
    assert "2025-08-01" in newest.title
    assert "Houston Police Department" in national.entries[1].content[0].value


def test_feed_entry_ids_are_the_same_in_an_edition_built_from_more_sheets(built):
    _, out, run = built
    later = _ids(out / "feeds/national.atom")
    assert run["old_ids"] and run["old_ids"] < later and len(later - run["old_ids"]) == 1  # kept, and one appended


def test_feed_entries_link_to_the_agencies_pages(built):
    _, out, _run = built
    feed = feedparser.parse((out / "feeds/TX.atom").read_bytes())
    links = [href for entry in feed.entries for href in _hrefs(entry.content[0].value)]
    assert f"{BASE}/{agencies.path_for('TX|houston police department')}" in links


# ------------------------------------------------------------------------------------------------
# Links and addresses


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical.append(found.get("href") or "")
            return
        if tag == "link" and found.get("rel") == "alternate" and found.get("hreflang"):
            return  # the other languages' absolute addresses (checked apart)
        for attribute in ("href", "src"):
            if found.get(attribute):
                self.links.append(found[attribute])


def _hrefs(text: str) -> list[str]:
    parser = _Links()
    parser.feed(text)
    return parser.links


def test_no_internal_link_of_a_whole_edition_is_broken(built):
    _, out, _run = built
    files = html_files(out)
    assert files
    checked = 0
    anchors: dict[Path, set[str]] = {}
    for path in files:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        anchors[path] = parser.ids
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc, (path, link)  # internal links are relative
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{path.relative_to(out)}: broken link {link}"
            assert out.resolve() in target.resolve().parents or target.resolve() == out.resolve(), (path, link)
            checked += 1
            if parts.fragment and target.suffix == ".html":
                ids = anchors.get(target) or _anchor_ids(target)
                assert parts.fragment in ids, f"{path.relative_to(out)}: no #{parts.fragment} in {link}"
    assert checked > 100


def _anchor_ids(path: Path) -> set[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids


def test_every_page_names_its_canonical_address_and_the_sitemap_lists_every_page(built):
    _, out, _run = built
    root = ET.parse(out / "sitemap.xml").getroot()
    listed = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = [p for p in html_files(out) if "maps" not in p.relative_to(out).parts]
    for path in pages:
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        expected = f"{BASE}/{path.relative_to(out).as_posix()}"
        assert parser.canonical == [expected], path
        assert expected in listed, path
    assert len(listed) == len(pages)
    assert (out / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {BASE}/sitemap.xml\n"


def test_an_agencys_address_is_the_same_in_two_editions_from_different_sheets(master, built, tmp_path):
    """Galveston's sheriff is spelt "Sherrif's" in the first sheet and corrected after: the build's identity
    then names it by the corrected spelling; the address stays the first spelling's, in an edition built
    apart (no manifest in common) from the first sheet alone."""
    _, large, _run = built
    _, small = edition(master, tmp_path, SHEETS[:1])
    first = page_of(small, "TX", "Galveston County Sherrif's Office")
    assert first.is_file()
    same = large / first.relative_to(small)
    assert same.is_file()
    text = same.read_text(encoding="utf-8")
    assert "<h1>Galveston County Sheriff&#39;s Office</h1>" in text  # ICE's newest spelling shown
    assert "Also listed by ICE as: Galveston County Sherrif&#39;s Office" in text


def test_the_manifest_keeps_an_address_an_older_sheet_would_otherwise_move(master, tmp_path):
    """Built first from the corrected sheets only, then with the older typo'd sheet added: the agency keeps the
    address it was given first (from the manifest)."""
    out = tmp_path / "out"
    edition(master, tmp_path / "a", SHEETS[1:], out=out)
    given = page_of(out, "TX", "Galveston County Sheriff's Office")
    assert given.is_file()
    edition(master, tmp_path / "b", SHEETS, out=out)
    assert "Galveston County Sherrif&#39;s Office" in given.read_text(encoding="utf-8")
    derived = page_of(out, "TX", "Galveston County Sherrif's Office")  # the address the app derives leads there
    assert f'url={given.name}"' in derived.read_text(encoding="utf-8")


def test_an_agency_no_longer_listed_keeps_its_page_saying_when_it_left(built):
    _, out, _run = built
    text = page_of(out, "TX", "Houston Police Department").read_text(encoding="utf-8")
    assert "No longer listed" in text and "participatingAgencies07012025am.xlsx" in text
    spanish = page_of(out, "TX", "Houston Police Department", "es").read_text(encoding="utf-8")
    assert "Ya no figura" in spanish


def test_pages_per_agency_equal_the_agencies_ever_listed(built):
    report, out, _run = built
    expected = len(
        {
            (s, a)
            for s, a in [
                ("GA", "harris"),
                ("TX", "galveston"),
                ("FL", "fhp"),
                ("TX", "houston"),
                ("FL", "miami"),
                ("TX", "hostile"),
                ("FL", "port saint lucie"),
            ]
        }
    )
    assert report.agencies == report.pages["agency"] == expected
    for lang in LANGUAGES:
        prefix = out if lang == "en" else out / lang
        assert len(list((prefix / "agency").rglob("*.html"))) == expected


# ------------------------------------------------------------------------------------------------
# Hostile names


def test_a_hostile_agency_name_is_escaped_on_its_page_in_the_feed_and_in_the_sitemap(built):
    _, out, _run = built
    for lang in LANGUAGES:
        page = page_of(out, "TX", HOSTILE, lang).read_text(encoding="utf-8")
        assert "<img" not in page and "javascript:" not in page
        assert "&lt;img src=x onerror=alert(1)&gt; ${x} {{7*7}} &#34;quoted&#34; &#39;single&#39; ]]&gt;" in page
        assert "49" not in page.split("<h1>")[1].split("</h1>")[0]  # {{7*7}} is text, never a template
        state = (out / ("" if lang == "en" else f"{lang}/") / "state/TX.html").read_text(encoding="utf-8")
        assert "<img" not in state and "&lt;img src=x" in state
    raw = (out / "feeds/TX.atom").read_bytes()
    assert b"<img" not in raw and b"]]>" not in raw
    parsed = feedparser.parse(raw)
    assert not parsed.bozo
    content = parsed.entries[0].content[0].value
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;").split(" ${")[0] in content  # shown as text by a reader
    sitemap = (out / "sitemap.xml").read_bytes()
    ET.fromstring(sitemap)
    assert b"<img" not in sitemap and b"]]>" not in sitemap and b"${x}" not in sitemap
    path = page_of(out, "TX", HOSTILE).relative_to(out).as_posix()
    assert f"{BASE}/{path}".encode() in sitemap
    assert path.split("/")[-1].replace("-", "").replace(".", "").isalnum()


def test_only_http_links_reach_a_page(built):
    _, out, _run = built
    for path in html_files(out):
        if "maps" in path.relative_to(out).parts:
            continue
        for link in _hrefs(path.read_text(encoding="utf-8")):
            assert urlsplit(link).scheme in ("", "http", "https"), (path, link)


# ------------------------------------------------------------------------------------------------
# Languages


def test_spanish_pages_are_in_spanish_with_spanish_state_names(built):
    _, out, _run = built
    home = (out / "es/index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in home and "Hoja más reciente de ICE" in home and "Nueva York" in home
    assert "Newest ICE sheet" not in home and "New York<" not in home
    agency = page_of(out, "TX", "Galveston County Sherrif's Office", "es").read_text(encoding="utf-8")
    assert "Vista por primera vez" in agency and "Galveston County Sheriff&#39;s Office" in agency  # ICE's name as ICE wrote it
    feed = feedparser.parse((out / "es/feeds/national.atom").read_bytes())
    assert feed.feed.title.startswith("Cambios en la lista 287(g) de ICE")


def test_home_says_the_newest_sheets_date_and_its_age_from_the_given_day(built):
    _, out, _run = built
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "participatingAgencies08012025am.xlsx, published 2025-08-01" in home
    assert "It is 10 days old on 2025-08-11." in home


# ------------------------------------------------------------------------------------------------
# Incremental


def test_a_second_run_with_nothing_new_rewrites_nothing(built):
    _, _out, run = built
    assert run["third"].written == 0 and run["third"].unchanged > 300
    assert run["again"] == run["after"]


def test_a_new_sheet_rewrites_only_the_pages_it_changes_and_appends_its_feed_entry(built):
    _, out, run = built
    before, after = run["before"], run["after"]
    rewritten = {p for p in before if after.get(p) != before[p]}
    assert {"index.html", "es/index.html", "feeds/national.atom", "state/TX.html", "feeds/TX.atom"} <= rewritten
    # pages that cite the newest sheet change with it (every state page, every listed agency); these do not:
    houston = agencies.path_for("TX|houston police department")  # left with the second sheet
    unchanged = {houston, "es/" + houston, "feeds/CA.atom", "es/feeds/GA.atom", "feeds/FL.atom"}
    assert unchanged <= set(before) and not unchanged & rewritten
    assert len(rewritten) < len(before)
    assert json.loads((out / MANIFEST).read_text())["agency_paths"].items() >= run["manifest"]["agency_paths"].items()
    assert run["second"].written == len(rewritten - {MANIFEST}) + len(set(after) - set(before))


def test_nothing_is_written_over_a_folder_that_is_not_a_file(master, tmp_path):
    from mapcore.render.site.writer import SiteError

    out = tmp_path / "out"
    (out / "index.html").mkdir(parents=True)
    with pytest.raises(SiteError, match="not a regular file"):
        edition(master, tmp_path, SHEETS[:1], out=out)


# ------------------------------------------------------------------------------------------------
# Command line


def test_the_command_writes_an_edition_and_a_bad_base_url_is_a_one_line_error(master, tmp_path, capsys, monkeypatch):
    from mapcore.cli.main import main

    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", "2025-06-10")
    sheets = master / SHEETS[0]
    assert main(["site", "-o", str(tmp_path / "out"), "--source", str(sheets)]) == 0
    printed = capsys.readouterr().out
    assert "pages per language: 1 home" in printed and (tmp_path / "out/es/index.html").is_file()
    assert "It is 8 days old on 2025-06-10." in (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "out/sitemap.xml").exists()  # no base URL, no sitemap (it needs absolute addresses)
    assert main(["site", "-o", str(tmp_path / "out"), "--source", str(sheets), "--base-url", "javascript:alert(1)"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


def test_maps_make_no_outside_request_unless_tiles_are_given(master, built, tmp_path):
    _, out, _run = built
    assert '"tiles":null' in (out / "maps/national.html").read_text(encoding="utf-8")
    edition(master, tmp_path, SHEETS[:1], tiles_url="https://tiles.example.org/{z}/{x}/{y}.png")
    assert "tiles.example.org" in (tmp_path / "out/maps/national.html").read_text(encoding="utf-8")


def test_the_agency_address_is_made_of_the_state_a_slug_and_a_hash():
    assert agencies.path_for("TX|harris county sheriffs office") == (
        "agency/TX/harris-county-sheriffs-office-"
        + __import__("hashlib").sha256(b"TX|harris county sheriffs office").hexdigest()[:8]
        + ".html"
    )
    assert posixpath.basename(agencies.path_for("TX|" + "x" * 300)).count("x") == agencies.SLUG_WORDS_MAX
    assert agencies.path_for("?|<script>").startswith("agency/XX/script-")
