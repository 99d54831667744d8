"""The source order for a URL (a first try at the page, the sheets fetched before, the
bundled snapshot) and the one line that says what is shown. Local servers only (127.0.0.1)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8

from mapcore.build import pipeline
from mapcore.core import config, i18n
from mapcore.sheets import snapshot as snapshots
from mapcore.sheets.fetch import FetchError, default_archive
from mapcore.sheets.sources import Fallback, resolve
from mapcore.words.sheets import fallback_note, fallback_text

NOWHERE = "http://127.0.0.1:9/"  # the discard port: nothing listens there


class Site:
    """A local stand-in for ICE's page: ``files`` maps a path to (content type, bytes)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                time.sleep(delay)
                kind, body = site.files.get(self.path, ("text/html", b"not here"))
                self.send_response(200 if self.path in site.files else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def bundled(tmp_path, monkeypatch) -> Path:
    """A bundled snapshot of two sheets (newest participating: 2025-07-02) and an empty cache."""
    sheets = tmp_path / "sheets"
    make_sheet(sheets / "2025-07-01" / "participatingAgencies07012025am.xlsx", PARTICIPATING_8, [row8()])
    make_sheet(
        sheets / "2025-07-02" / "participatingAgencies07022025am.xlsx",
        PARTICIPATING_8,
        [row8(), row8(state="FLORIDA", agency="Lee County Sheriff's Office", county="Lee County")],
    )
    make_sheet(
        sheets / "2025-07-02" / "pendingAgencies07022025am.xlsx",
        PENDING_5,
        [["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"]],
    )
    dataset, _ = pipeline.build(sheets, cache=tmp_path / "made", workers=1)
    snap = tmp_path / "data" / "ice_snapshot"
    snapshots.write(dataset.agreements, dataset.problems, dataset.sheets, dataset.meta, pipeline.build_inputs(), snap)
    monkeypatch.setattr(config, "SNAPSHOT_DIR", snap)
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("MAPCORE_SOURCE", raising=False)
    return snap


def test_unreachable_site_shows_the_bundled_snapshot_and_says_so(bundled):
    resolved = resolve(NOWHERE)
    assert resolved.folder is None and resolved.snapshot == bundled
    assert fallback_text(resolved.fallback) == (
        f"{NOWHERE} could not be reached (connection refused); showing the bundled snapshot of ICE's sheets up to 2025-07-02"
    )
    dataset, _ = pipeline.build(resolved.folder, snapshot=resolved.snapshot)
    assert dataset.sheets["publication_date"].max().date().isoformat() == "2025-07-02"


def test_ices_own_site_is_named_and_the_resolver_words_dropped():
    note = fallback_note(
        "https://www.ice.gov/identify-and-arrest/287g",
        "host not found ([Errno -3] Temporary failure)",
        None,
        {"newest_publication": "2026-04-30"},
    )
    assert note == "ICE's site could not be reached (host not found); showing the bundled snapshot of ICE's sheets up to 2026-04-30"


def test_the_note_is_worded_in_the_readers_language_with_the_archives_age():
    ice = "https://www.ice.gov/identify-and-arrest/287g"
    snapshot = {"newest_publication": "2026-04-30"}
    assert fallback_note(ice, "timed out", timedelta(days=3, hours=2), snapshot) == (
        "ICE's site could not be reached (timed out); showing the sheets fetched before (data last fetched 3 days ago) "
        "on top of the bundled snapshot of ICE's sheets up to 2026-04-30"
    )
    with i18n.using_language("es"):
        assert fallback_note(ice, "host not found (x)", None, snapshot) == (
            "No se pudo conectar con el sitio web de ICE (no se encontró el servidor); mostramos la instantánea incluida de las "
            "hojas de ICE hasta el 30 abr 2026"
        )
        assert fallback_note(ice, "timed out", timedelta(hours=1), None) == (
            "No se pudo conectar con el sitio web de ICE (sin respuesta a tiempo); mostramos las hojas descargadas antes (datos "
            "descargados por última vez hace 1 hora)"
        )
        assert fallback_text(Fallback(ice, "timed out", timedelta(minutes=5), "2026-04-30")).endswith(
            "(datos descargados por última vez hace menos de una hora) junto con la instantánea incluida de las hojas "
            "de ICE hasta el 30 abr 2026"
        )


def test_sheets_fetched_before_come_on_top_of_the_snapshot(bundled, tmp_path):
    archive = default_archive()
    make_sheet(
        archive / "2025-07-09" / "participatingAgencies07092025am.xlsx",
        PARTICIPATING_8,
        [row8(), row8(state="GEORGIA", agency="Cobb County Sheriff's Office", county="Cobb County")],
    )
    resolved = resolve(NOWHERE)
    assert resolved.folder == archive and resolved.snapshot == bundled
    note = fallback_text(resolved.fallback)
    assert note.startswith(f"{NOWHERE} could not be reached (connection refused); showing the sheets fetched before (data last")
    assert note.endswith("on top of the bundled snapshot of ICE's sheets up to 2025-07-02")
    dataset, _ = pipeline.build(resolved.folder, snapshot=resolved.snapshot)
    assert len(dataset.sheets) == 4 and dataset.sheets["publication_date"].max().date().isoformat() == "2025-07-09"


def test_no_snapshot_and_no_archive_is_the_fetch_error(bundled, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "SNAPSHOT_DIR", tmp_path / "no snapshot here")
    with pytest.raises(FetchError, match="connection refused"):
        resolve(NOWHERE)


def test_a_fetch_that_works_adds_new_sheets_and_counts_known_ones_once(bundled, tmp_path):
    site = Site()
    try:
        fresh = tmp_path / "fresh.xlsx"
        make_sheet(fresh, PARTICIPATING_8, [row8(), row8(state="GEORGIA", agency="Cobb County Sheriff's Office", county="Cobb County")])
        known = tmp_path / "sheets" / "2025-07-02" / "participatingAgencies07022025am.xlsx"  # ICE still links this one
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        site.files = {
            "/287g": (
                "text/html",
                b'<a href="/d/participatingAgencies07092025am.xlsx">Participating</a>'
                b'<a href="/d/participatingAgencies07022025am.xlsx">Older</a>',
            ),
            "/d/participatingAgencies07092025am.xlsx": (xlsx, fresh.read_bytes()),
            "/d/participatingAgencies07022025am.xlsx": (xlsx, known.read_bytes()),
        }
        resolved = resolve(f"{site.base}/287g")
    finally:
        site.close()
    assert fallback_text(resolved.fallback) is None and resolved.folder == default_archive() and resolved.snapshot == bundled
    dataset, built = pipeline.build(resolved.folder, snapshot=resolved.snapshot)
    assert built
    assert len(dataset.sheets) == 4, "the snapshot's three sheets and the new one; the known one not twice"
    assert dataset.meta["added_sheets"] == 1 and len(dataset.meta["already_in_snapshot"]) == 1
    newest = dataset.agreements[dataset.agreements["publication_date"] == dataset.agreements["publication_date"].max()]
    assert set(newest["agency"]) == {"Harris County Sheriff's Office", "Cobb County Sheriff's Office"}
    assert not dataset.problems["message"].str.contains("same bytes").any()


def test_the_first_try_is_short(bundled):
    """A page that answers too slowly is given up after the short timeout; the snapshot is shown."""
    site = Site(delay=3.0)
    try:
        resolved = resolve(f"{site.base}/287g", timeout=0.5)
    finally:
        site.close()
    assert resolved.snapshot == bundled and "could not be reached (timed out after 0.5s)" in fallback_text(resolved.fallback)


def test_a_snapshot_folder_as_the_source_is_that_snapshot(bundled):
    resolved = resolve(str(bundled))
    assert resolved.folder is None and resolved.snapshot == bundled and fallback_text(resolved.fallback) is None


def test_a_fetched_sheet_that_cannot_be_read_is_moved_aside_once_and_stats_works(bundled, tmp_path, capsys):
    """A hostile sheet fetched into the archive killed every restart (and `mapcore stats` on that cache)
    while ICE was unreachable. It is moved aside with a note why, never read again, and not stored again."""
    from sheetfactory import far_cell_workbook

    from mapcore.cli.main import main
    from mapcore.sheets import fetch

    hostile = far_cell_workbook(tmp_path / "participatingAgencies07092025am.xlsx").read_bytes()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    site = Site()
    url = f"{site.base}/287g"
    site.files = {
        "/287g": ("text/html", b'<a href="/d/participatingAgencies07092025am.xlsx">Participating</a>'),
        "/d/participatingAgencies07092025am.xlsx": (xlsx, hostile),
    }
    try:
        resolve(url)  # fetched into the archive (a zip with a workbook part: it passes the fetch's check)
    finally:
        site.close()
    archive = default_archive()
    (stored,) = archive.rglob("*.xlsx")

    for _ in range(2):  # ICE unreachable now: each run builds from the archive on top of the snapshot
        assert main(["stats", "--source", url]) == 0
        capsys.readouterr()
    aside = archive.parent / f"{archive.name}-quarantine" / stored.relative_to(archive)
    assert not stored.exists() and aside.read_bytes() == hostile
    note = aside.with_name(aside.name + ".why.txt").read_text()
    assert "1,048,576 rows is more than the 200,000" in note and url.split("/287g")[0] in note
    assert [row["path"] for row in fetch.read_index(archive)] == []
    warnings = pipeline.build(archive, snapshot=bundled, quarantine=True)[0].meta["warnings"]
    assert any(w.startswith(f"{stored.relative_to(archive)}: moved aside to ") and "1,048,576 rows" in w for w in warnings)

    site = Site()
    site.files = {"/287g": ("text/html", b'<a href="/d/again.xlsx">Participating</a>'), "/d/again.xlsx": (xlsx, hostile)}
    try:
        result = fetch.fetch(f"{site.base}/287g", archive)
    finally:
        site.close()
    assert result.stored == [] and [f.reason.split(":")[0] for f in result.failures] == ["not stored again"]
    assert not list(archive.rglob("*.xlsx"))


@pytest.mark.parametrize(
    ("reason", "spanish"),
    [
        ("connection refused", "conexión rechazada"),
        ("host not found ([Errno -2] Name or service not known)", "no se encontró el servidor"),
        ("timed out after 10s", "sin respuesta en 10 s"),
        ("HTTP 503 Service Unavailable", "error HTTP 503"),
        (
            "the page links no .xlsx sheet (has ICE changed the page?)",
            "la página de ICE no enlaza ninguna hoja .xlsx: ¿ha cambiado ICE la página?",
        ),
        ("Network is unreachable", "Network is unreachable"),  # the system's own words: shown as they are
    ],
)
def test_the_reason_is_worded_in_the_readers_language(reason, spanish):
    from mapcore.words.sheets import reason_words

    with i18n.using_language("es"):
        assert reason_words(reason) == spanish
