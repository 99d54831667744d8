"""The first run in the app: with ICE's page unreachable and nothing fetched before, the pages open on
real data (the bundled snapshot) with one line saying why, never the "no data" message or an error; when
the sheets fetched before cannot be built either, the snapshot alone is shown with a warning naming why."""

from __future__ import annotations

import html

import pytest
import streamlit as st
from appfixtures import SOURCE_TODAY, make_source, script
from streamlit.testing.v1 import AppTest

from mapcore.build import pipeline
from mapcore.core import config
from mapcore.sheets import snapshot as snapshots
from mapcore.sheets.fetch import default_archive

NOWHERE = "http://127.0.0.1:9/"


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """A bundled snapshot of the page fixture's sheets, ICE's page unreachable, an empty cache."""
    dataset, _ = pipeline.build(make_source(tmp_path / "sheets"), cache=tmp_path / "made", workers=1)
    snap = tmp_path / "data" / "ice_snapshot"
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), snap)
    monkeypatch.setattr(config, "SNAPSHOT_DIR", snap)
    monkeypatch.setenv("MAPCORE_SOURCE", NOWHERE)
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MAPCORE_TODAY", SOURCE_TODAY)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield dataset
    st.cache_resource.clear()


def _plain(markdown: str) -> str:
    """The text a reader sees: markdown escapes dropped, HTML entities read."""
    return html.unescape(markdown.replace("\\", ""))


@pytest.mark.parametrize("page", ["app.py", "pages/1_Explore.py", "pages/4_Timeline.py", "pages/7_Methodology.py"])
def test_pages_open_on_the_snapshot_with_one_line_saying_why(offline, page):
    at = AppTest.from_file(script(page), default_timeout=120).run()
    assert not at.exception and not at.error
    assert not any("could not" in _plain(w.value) for w in at.warning), "a note, not a warning"
    notes = [_plain(i.value) for i in at.info]
    assert f"{NOWHERE} could not be reached (connection refused); showing the bundled snapshot of ICE's sheets up to 2025-07-02." in notes
    assert not any("No 287(g) data" in n for n in notes)


def test_home_counts_the_snapshots_newest_sheet(offline):
    at = AppTest.from_file(script("app.py"), default_timeout=120).run()
    latest = offline.sheets[offline.sheets["kind"] == "participating"]["publication_id"].iloc[-1]
    count = int((offline.agreements["publication_id"] == latest).sum())
    assert at.metric[0].label == "Active agreements" and at.metric[0].value == str(count)


def test_a_fetched_sheet_that_cannot_be_read_is_moved_aside_and_the_snapshot_shown(offline):
    """A sheet in the archive that cannot be read used to fail every build (the app fell back to the snapshot
    alone, each start again): it is moved aside once, named, and the build goes on."""
    broken = default_archive() / "2025-07-09" / "participatingAgencies07092025am.xlsx"
    broken.parent.mkdir(parents=True)
    broken.write_text("<html>Access denied</html>")
    at = AppTest.from_file(script("app.py"), default_timeout=120).run()
    assert not at.exception and not at.error
    warnings = [_plain(w.value) for w in at.warning]
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("A fetched sheet could not be read and was moved aside on ")
    assert "2025-07-09/participatingAgencies07092025am.xlsx (an HTML page; expected an Excel .xlsx file)." in warnings[0]
    assert at.metric[0].value == "7"
    assert not broken.exists() and (default_archive().parent / "ice_archive-quarantine" / "2025-07-09" / broken.name).is_file()


def test_the_one_line_note_follows_each_readers_language_from_one_cached_build(offline):
    """The fallback is built once and cached for every reader; each reader reads it in their language
    (the first reader's language must not stick to the cached text)."""
    spanish = AppTest.from_file(script("app.py"), default_timeout=120)
    spanish.query_params["lang"] = "es"
    spanish.run()
    notes = [_plain(i.value) for i in spanish.info]
    assert (
        f"No se pudo conectar con {NOWHERE} (conexión rechazada); mostramos la instantánea incluida de las hojas "
        "de ICE hasta el 2 jul 2025."
    ) in notes, notes
    english = AppTest.from_file(script("app.py"), default_timeout=120).run()
    assert (f"{NOWHERE} could not be reached (connection refused); showing the bundled snapshot of ICE's sheets up to 2025-07-02.") in [
        _plain(i.value) for i in english.info
    ]
