"""Small parts of the static edition, without building one: addresses, relative links, the writer."""

from __future__ import annotations

import datetime as dt

import pytest

from mapcore.render.site import agencies, layout, pages
from mapcore.render.site.agencies import Agency, assign_paths, path_for
from mapcore.render.site.writer import SiteError, Writer


def _agency(*members: str) -> Agency:
    return Agency(key=members[0], state=members[0].split("|")[0], members=tuple(members), agency_ids=(members[-1],))


def test_two_addresses_of_one_agency_keep_the_oldest_and_retire_the_other():
    """Two spellings published apart (two pages), later found to be one agency: it keeps one address (the
    same on every run) and the other becomes a page saying where it went."""
    a, b = "TX|walker county sheriffs office", "TX|walker county sherifs office"
    given = {a: path_for(a), b: path_for(b)}
    paths, retired = assign_paths([_agency(a, b)], given)
    kept = min(path_for(a), path_for(b))
    assert paths == {a: kept}
    assert retired == {max(path_for(a), path_for(b)): kept}


def test_the_address_an_agency_would_have_without_the_manifest_leads_to_the_one_it_kept():
    """Published first from later sheets (address of the corrected spelling), then an older sheet with the typo
    added: the agency keeps its address, and the address made from its earliest spelling (the one the app
    derives) is a page that leads there."""
    typo, corrected = "TX|galveston county sherrifs office", "TX|galveston county sheriffs office"
    paths, retired = assign_paths([_agency(typo, corrected)], {corrected: path_for(corrected)})
    assert paths == {typo: path_for(corrected)} and retired == {path_for(typo): path_for(corrected)}


def test_a_new_agency_gets_the_address_of_its_earliest_spelling():
    paths, retired = assign_paths([_agency("FL|miami police department")])
    assert paths == {"FL|miami police department": path_for("FL|miami police department")} and retired == {}


def test_relative_links_work_from_any_folder_of_the_edition():
    spanish_agency = layout.Place("es", "agency/TX/x-1.html")
    assert spanish_agency.link("state/TX.html") == "../../state/TX.html"
    assert spanish_agency.link("state/TX.html", "en") == "../../../state/TX.html"
    assert spanish_agency.shared("assets/site.css") == "../../../assets/site.css"
    assert spanish_agency.root == "../../../" and spanish_agency.lang_root == "../../"
    assert layout.Place("en", "index.html").link("feeds/TX.atom") == "feeds/TX.atom"
    assert spanish_agency.url("https://x.org/site/") == "https://x.org/site/es/agency/TX/x-1.html"


def test_a_moved_page_sends_the_reader_to_the_agencys_page_and_names_it_canonical():
    html = pages.moved_page(layout.Place("en", "agency/TX/old-1.html"), "agency/TX/new-2.html", "https://x.org")
    assert '<meta http-equiv="refresh" content="0; url=new-2.html">' in html
    assert '<link rel="canonical" href="https://x.org/agency/TX/new-2.html">' in html


def test_the_writer_never_writes_one_path_twice_nor_over_a_symlink(tmp_path):
    writer = Writer.open(tmp_path / "out", dt.date(2025, 1, 1))
    assert writer.write("a.html", "x") is True
    with pytest.raises(SiteError, match="written twice"):
        writer.write("a.html", "x")
    (tmp_path / "elsewhere").write_text("keep")
    (tmp_path / "out" / "b.html").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SiteError, match="not a regular file"):
        writer.write("b.html", "y")
    assert (tmp_path / "elsewhere").read_text() == "keep"


def test_a_manifest_this_command_did_not_write_is_refused(tmp_path):
    (tmp_path / "manifest.json").write_text('{"something": "else"}')
    with pytest.raises(SiteError, match="not a manifest this command wrote"):
        Writer.open(tmp_path, dt.date(2025, 1, 1))


def test_spelling_key_is_the_state_and_the_names_identity():
    assert agencies.spelling_key("TX", "Harris Co. Sheriff’s Dept") == "TX|harris county sheriffs office"
