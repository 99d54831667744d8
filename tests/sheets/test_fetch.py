"""Fetching ICE's sheets into the archive, against a local HTTP server (never the network)."""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import socket
import threading
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import openpyxl
import pytest

from mapcore.cli.fetch import add_fetch_command
from mapcore.sheets.fetch import (
    INDEX_NAME,
    USER_AGENT,
    FetchError,
    NotXlsxError,
    archive_status,
    fetch,
    fetch_or_keep,
    find_sheet_links,
    validate_xlsx,
)
from mapcore.words.sheets import archive_words

HEADER = ["STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE", "SIGNED", "MOA"]
NOW = datetime(2026, 4, 30, 14, 5, tzinfo=UTC)
DOCLIB = "/doclib/about/offices/ero/287g"
PART = f"{DOCLIB}/participatingAgencies04302026am.xlsx"
PEND = f"{DOCLIB}/pendingAgencies02272026am.xlsx"


def make_sheet(agency: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["TX", agency, "County", "Harris", "Jail Enforcement Model", datetime(2025, 3, 1), "link"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PART_BYTES = make_sheet("Harris County Sheriff's Office")
PEND_BYTES = make_sheet("Travis County Sheriff's Office")


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0


class Server:
    """Serves ``routes`` (path -> Route) and records the User-Agent of each request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.agents: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.agents.append(self.headers.get("User-Agent", ""))
                route = outer.routes.get(self.path.split("?")[0], Route(404, b"<html>not found</html>"))
                if route.delay:
                    time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def page(self, *hrefs: tuple[str, str]) -> None:
        links = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in hrefs)
        html = f"<!doctype html><html><body><h1>287(g)</h1><ul>{links}</ul></body></html>"
        self.routes["/identify-and-arrest/287g"] = Route(body=html.encode())

    @property
    def page_url(self) -> str:
        return self.base + "/identify-and-arrest/287g"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def ice(server: Server) -> Server:
    """ICE's page as usual: one relative and one absolute link, two real sheets."""
    server.page((PART, "Participating Agencies"), (server.base + PEND, "Pending Agencies"))
    server.routes[PART] = Route(body=PART_BYTES, content_type="application/octet-stream")
    server.routes[PEND] = Route(body=PEND_BYTES, content_type="application/octet-stream")
    return server


def index_rows(root: Path) -> list[dict[str, str]]:
    with open(root / INDEX_NAME, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def no_temp_files(root: Path) -> bool:
    return not [p for p in root.rglob("*") if p.name.endswith(".part") or p.name.startswith(".tmp")]


# --------------------------------------------------------------------------- links


def test_find_sheet_links_resolves_dedupes_and_guesses() -> None:
    html = """
    <base href="https://www.ice.gov/">
    <a href="/doclib/about/offices/ero/287g/participatingAgencies04302026am.xlsx">Participating <b>Agencies</b></a>
    <a href="https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies04302026am.xlsx#x">again</a>
    <a href="doclib/about/offices/ero/287g/pendingAgencies02272026am.XLSX?v=2">Pending</a>
    <a href="/doclib/287gParticipatingAgencies091526pm.xlsx">download</a>
    <a href="/doclib/ParticipatingAgency091826am.xlsx" title="Pending agencies">x</a>
    <a href="/doclib/sheet%20one.xlsx"></a>
    <a href="mailto:a@b.xlsx">mail</a>
    <a href="/doclib/report.pdf">pdf</a>
    <a name="anchor">no href</a>
    """
    links = find_sheet_links(html, "https://example.org/page")
    assert [link.url for link in links] == [
        "https://www.ice.gov/doclib/about/offices/ero/287g/participatingAgencies04302026am.xlsx",
        "https://www.ice.gov/doclib/about/offices/ero/287g/pendingAgencies02272026am.XLSX?v=2",
        "https://www.ice.gov/doclib/287gParticipatingAgencies091526pm.xlsx",
        "https://www.ice.gov/doclib/ParticipatingAgency091826am.xlsx",
        "https://www.ice.gov/doclib/sheet%20one.xlsx",
    ]
    assert [link.file_name for link in links] == [
        "participatingAgencies04302026am.xlsx",
        "pendingAgencies02272026am.XLSX",
        "287gParticipatingAgencies091526pm.xlsx",
        "ParticipatingAgency091826am.xlsx",
        "sheet one.xlsx",
    ]
    assert links[0].label == "Participating Agencies"
    assert links[0].href.startswith("/doclib/")
    # File name wins over link text: ICE has put the wrong text on a link before.
    assert [link.guessed_kind for link in links] == ["participating", "pending", "participating", "participating", "unknown"]


def test_find_sheet_links_without_base_uses_page_url() -> None:
    links = find_sheet_links('<a href="participatingAgencies.xlsx">Participating</a>', "https://www.ice.gov/identify-and-arrest/287g")
    assert links[0].url == "https://www.ice.gov/identify-and-arrest/participatingAgencies.xlsx"
    assert links[0].guessed_kind == "participating"


def test_validate_xlsx_names_the_problem() -> None:
    validate_xlsx(PART_BYTES)
    with pytest.raises(NotXlsxError, match="HTML"):
        validate_xlsx(b"<!DOCTYPE html><html><body>Access denied</body></html>", "text/html")
    with pytest.raises(NotXlsxError, match="zip"):
        validate_xlsx(b"PK\x03\x04garbage")
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(NotXlsxError, match="workbook.xml"):
        validate_xlsx(plain_zip.getvalue())


# --------------------------------------------------------------------------- fetch


def test_fetch_stores_both_sheets_and_writes_index(ice: Server, tmp_path: Path) -> None:
    result = fetch(ice.page_url, into=tmp_path, now=NOW)
    day = tmp_path / "2026-04-30"
    assert sorted(result.stored) == sorted([day / "participatingAgencies04302026am.xlsx", day / "pendingAgencies02272026am.xlsx"])
    assert result.duplicates == [] and result.failures == []
    assert (day / "participatingAgencies04302026am.xlsx").read_bytes() == PART_BYTES
    rows = index_rows(tmp_path)
    assert {r["path"] for r in rows} == {"2026-04-30/participatingAgencies04302026am.xlsx", "2026-04-30/pendingAgencies02272026am.xlsx"}
    assert {r["url"] for r in rows} == {ice.base + PART, ice.base + PEND}
    assert all(r["fetched_at"] == "2026-04-30T14:05:00+00:00" for r in rows)
    assert {r["link_text"] for r in rows} == {"Participating Agencies", "Pending Agencies"}
    assert ice.agents and all(agent == USER_AGENT for agent in ice.agents)
    assert no_temp_files(tmp_path)


def test_fetch_again_finds_duplicates_and_overwrites_nothing(ice: Server, tmp_path: Path) -> None:
    fetch(ice.page_url, into=tmp_path, now=NOW)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*.xlsx")}
    index_before = (tmp_path / INDEX_NAME).read_bytes()

    again = fetch(ice.page_url, into=tmp_path, now=NOW + timedelta(days=1))
    assert again.stored == []
    assert sorted(again.duplicates) == sorted([ice.base + PART, ice.base + PEND])
    assert again.duplicate_of[ice.base + PART] == tmp_path / "2026-04-30" / "participatingAgencies04302026am.xlsx"
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.rglob("*.xlsx")}
    assert after == before
    assert (tmp_path / INDEX_NAME).read_bytes() == index_before
    assert not (tmp_path / "2026-05-01").exists()


def test_same_name_same_day_new_content_gets_sha_suffix(ice: Server, tmp_path: Path) -> None:
    fetch(ice.page_url, into=tmp_path, now=NOW)
    changed = make_sheet("Galveston County Sheriff's Office")
    ice.routes[PART] = Route(body=changed, content_type="application/octet-stream")
    result = fetch(ice.page_url, into=tmp_path, now=NOW + timedelta(hours=2))
    assert len(result.stored) == 1
    stored = result.stored[0]
    assert stored.parent == tmp_path / "2026-04-30"
    assert stored.name.startswith("participatingAgencies04302026am__") and stored.suffix == ".xlsx"
    assert len(stored.stem.split("__")[1]) == 8
    assert stored.read_bytes() == changed
    assert (tmp_path / "2026-04-30" / "participatingAgencies04302026am.xlsx").read_bytes() == PART_BYTES
    assert result.duplicates == [ice.base + PEND]
    assert len(index_rows(tmp_path)) == 3


def test_page_404_raises_naming_url(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(server.base + "/missing", into=tmp_path, now=NOW)
    assert server.base + "/missing" in str(caught.value)
    assert "HTTP 404" in str(caught.value)
    assert caught.value.reason.startswith("HTTP 404")


def test_page_timeout_raises(server: Server, tmp_path: Path) -> None:
    server.routes["/slow"] = Route(body=b"<html></html>", delay=0.6)
    with pytest.raises(FetchError, match=r"timed out after 0\.2s") as caught:
        fetch(server.base + "/slow", into=tmp_path, timeout=0.2, now=NOW)
    assert server.base + "/slow" in str(caught.value)


def test_connection_refused_raises(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/287g"
    with pytest.raises(FetchError, match="connection refused") as caught:
        fetch(url, into=tmp_path, timeout=1, now=NOW)
    assert url in str(caught.value)


def test_page_without_sheet_links_raises(server: Server, tmp_path: Path) -> None:
    server.page(("/doclib/report.pdf", "Report"))
    with pytest.raises(FetchError, match="no .xlsx"):
        fetch(server.page_url, into=tmp_path, now=NOW)


def test_one_sheet_404_others_stored(ice: Server, tmp_path: Path) -> None:
    del ice.routes[PEND]
    result = fetch(ice.page_url, into=tmp_path, now=NOW)
    assert [f.url for f in result.failures] == [ice.base + PEND]
    assert "HTTP 404" in result.failures[0].reason
    assert [p.name for p in result.stored] == ["participatingAgencies04302026am.xlsx"]
    assert [r["url"] for r in index_rows(tmp_path)] == [ice.base + PART]


def test_html_error_page_in_place_of_sheet_is_rejected(ice: Server, tmp_path: Path) -> None:
    error_page = b"<!DOCTYPE html><html><body>We're sorry, something went wrong</body></html>"
    ice.routes[PART] = Route(body=error_page, content_type="text/html")
    ice.routes[PEND] = Route(body=error_page, content_type="text/html")
    result = fetch(ice.page_url, into=tmp_path, now=NOW)
    assert result.stored == []
    assert sorted(f.url for f in result.failures) == sorted([ice.base + PART, ice.base + PEND])
    assert all("not an xlsx" in f.reason and "HTML" in f.reason for f in result.failures)
    assert list(tmp_path.rglob("*.xlsx")) == []
    assert index_rows(tmp_path) == []
    assert archive_status(tmp_path, now=NOW).file_count == 0


def test_same_bytes_under_two_links_stored_once(server: Server, tmp_path: Path) -> None:
    other = f"{DOCLIB}/participatingAgencies.xlsx"
    server.page((PART, "Participating"), (other, "Participating (old link)"))
    server.routes[PART] = Route(body=PART_BYTES, content_type="application/octet-stream")
    server.routes[other] = Route(body=PART_BYTES, content_type="application/octet-stream")
    result = fetch(server.page_url, into=tmp_path, now=NOW)
    assert [p.name for p in result.stored] == ["participatingAgencies04302026am.xlsx"]
    assert result.duplicates == [server.base + other]
    assert len(list(tmp_path.rglob("*.xlsx"))) == 1
    assert len(index_rows(tmp_path)) == 1


def test_missing_index_is_rebuilt_from_files(ice: Server, tmp_path: Path) -> None:
    fetch(ice.page_url, into=tmp_path, now=NOW)
    (tmp_path / INDEX_NAME).unlink()
    again = fetch(ice.page_url, into=tmp_path, now=NOW + timedelta(days=1))
    assert again.stored == [] and len(again.duplicates) == 2
    assert len(index_rows(tmp_path)) == 2
    assert no_temp_files(tmp_path)


# --------------------------------------------------------------------------- status / keep


def test_archive_status_reports_age(ice: Server, tmp_path: Path) -> None:
    empty = archive_status(tmp_path / "none", now=NOW)
    assert empty.file_count == 0 and empty.age is None and archive_words(empty) == "no data fetched yet"
    fetch(ice.page_url, into=tmp_path, now=NOW)
    status = archive_status(tmp_path, now=NOW + timedelta(days=3, hours=1))
    assert status.file_count == 2
    assert status.last_stored == NOW
    assert status.age == timedelta(days=3, hours=1)
    assert archive_words(status) == "data last fetched 3 days ago"


def test_unchanged_fetch_counts_as_fresh_data(ice: Server, tmp_path: Path) -> None:
    fetch(ice.page_url, into=tmp_path, now=NOW)
    fetch(ice.page_url, into=tmp_path, now=NOW + timedelta(days=5))  # all duplicates
    status = archive_status(tmp_path, now=NOW + timedelta(days=6))
    assert status.age == timedelta(days=6)  # newest file stored
    assert status.data_age == timedelta(days=1)  # last time ICE's sheets were confirmed
    assert archive_words(status) == "data last fetched 1 day ago"


def test_fetch_or_keep_keeps_last_archive_on_failure(ice: Server, tmp_path: Path) -> None:
    result, status, error = fetch_or_keep(ice.page_url, tmp_path, now=NOW)
    assert result is not None and error is None and status.file_count == 2

    del ice.routes["/identify-and-arrest/287g"]
    later = NOW + timedelta(days=2)
    result, status, error = fetch_or_keep(ice.page_url, tmp_path, now=later)
    assert result is None
    assert error is not None and "HTTP 404" in error and ice.page_url in error
    assert status.file_count == 2 and status.last_stored == NOW and status.age == timedelta(days=2)


def test_fetch_or_keep_raises_without_archive(server: Server, tmp_path: Path) -> None:
    with pytest.raises(FetchError):
        fetch_or_keep(server.base + "/missing", tmp_path, now=NOW)


# --------------------------------------------------------------------------- CLI


def _cli(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mapcore")
    add_fetch_command(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_cli_fetch_prints_and_exits(ice: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = _cli(["fetch", "--url", ice.page_url, "--into", str(tmp_path)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert out.count("stored ") == 2

    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert out.count("\nduplicate ") == 2 and "\nstored " not in out

    bad = _cli(["fetch", "--url", ice.base + "/missing", "--into", str(tmp_path), "--timeout", "2"])
    assert bad.func(bad) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"fetch failed: could not fetch {ice.base}/missing: HTTP 404 Not Found"


def test_unindexed_file_at_target_name_is_never_overwritten(ice: Server, tmp_path: Path) -> None:
    day = tmp_path / "2026-04-30"
    day.mkdir()
    stranger = day / "participatingAgencies04302026am.xlsx"
    stranger.write_bytes(b"someone else's file")
    (tmp_path / INDEX_NAME).write_text("sha256,path,url,fetched_at\n", encoding="utf-8")
    result = fetch(ice.page_url, into=tmp_path, now=NOW)
    assert stranger.read_bytes() == b"someone else's file"
    names = sorted(p.name for p in result.stored)
    assert names[0] == f"participatingAgencies04302026am__{hashlib.sha256(PART_BYTES).hexdigest()[:8]}.xlsx"
    assert names[1] == "pendingAgencies02272026am.xlsx"


def test_data_age_knows_when_ice_was_last_checked(ice: Server, tmp_path: Path) -> None:
    """The data's age (pages, `mapcore stats --json`): last_checked comes from the archive's note of the last full read."""
    from datetime import date

    from mapcore.analysis.data_age import data_age

    never = data_age(date(2026, 4, 30), today=date(2026, 5, 20), archive=tmp_path / "none")
    assert (never.days, never.stale, never.last_checked) == (20, True, None)
    assert never.as_json() == {"data_age_days": 20, "last_checked": None}
    fetch(ice.page_url, into=tmp_path, now=NOW)
    age = data_age(date(2026, 4, 30), today=date(2026, 5, 14), archive=tmp_path)
    assert (age.days, age.stale, age.last_checked) == (14, False, NOW)  # 14 days is not yet stale
    assert age.as_json()["last_checked"] == "2026-04-30T14:05:00+00:00"


@pytest.mark.parametrize(
    "routes",
    [
        {"/a.xlsx": Route(body=b"<!doctype html><html>Access denied</html>")},  # HTML for a sheet
        {"/a.xlsx": Route(status=500, body=b"<html>oops</html>")},  # HTTP 500
    ],
    ids=["html for xlsx", "http 500"],
)
def test_cli_fetch_exits_2_when_errors_left_nothing_new_stored(server: Server, tmp_path: Path, capsys, routes) -> None:
    """`mapcore fetch` exited 0 when every sheet failed: a cron job could not tell."""
    server.page(("/a.xlsx", "Participating"))
    server.routes.update(routes)
    args = _cli(["fetch", "--url", server.page_url, "--into", str(tmp_path)])
    assert args.func(args) == 2
    out, err = capsys.readouterr()
    assert "failed     " in out and err.strip() == "fetch failed: nothing new could be stored: 1 of 1 sheet(s) failed"


def test_cli_fetch_exits_2_when_links_past_the_limit_and_sizes_left_nothing_stored(
    server: Server, tmp_path: Path, capsys, monkeypatch
) -> None:
    from mapcore.sheets import fetch as fetch_module

    monkeypatch.setattr(fetch_module, "MAX_LINKS", 1)
    monkeypatch.setattr(fetch_module, "MAX_SHEET_BYTES", 100)
    server.page(("/a.xlsx", "Participating"), ("/b.xlsx", "Pending"))
    server.routes["/a.xlsx"] = Route(body=PART_BYTES, content_type="application/octet-stream")  # too big now
    args = _cli(["fetch", "--url", server.page_url, "--into", str(tmp_path)])
    assert args.func(args) == 2
    assert capsys.readouterr().err.strip() == "fetch failed: nothing new could be stored: 2 of 2 sheet(s) failed"


def test_cli_fetch_exits_0_when_something_new_was_stored_or_nothing_failed(ice: Server, tmp_path: Path, capsys) -> None:
    ice.routes[PEND] = Route(status=500, body=b"oops")
    args = _cli(["fetch", "--url", ice.page_url, "--into", str(tmp_path)])
    assert args.func(args) == 0  # the participating sheet is new: stored, the pending one named
    assert "failed     " in capsys.readouterr().out
    ice.routes[PEND] = Route(body=PEND_BYTES, content_type="application/octet-stream")
    assert args.func(args) == 0  # the pending one now, the other a duplicate
    assert args.func(args) == 0  # both duplicates, no error: nothing new, nothing wrong
