"""The first worksheet of an .xlsx workbook, read fast and refused early when it is too big.

Cell values come from calamine (Rust, python-calamine): about ten times faster than openpyxl.
Before any value is loaded, every zip member is measured as calamine would place its cells
(:mod:`mapcore.sheets.extent`: rows, columns, cells, whatever the spelling), so a 1 KB workbook with one
far cell is refused instead of making the reader allocate the whole grid. From the worksheet XML we then
read only what calamine does not give, in one streamed pass: Excel error values (``#N/A``: calamine reads
them as blank) and the hyperlinks (an MOA cell's target). ``docProps/core.xml`` gives the workbook's save
time, used to date a publication.

Values are returned as openpyxl (``data_only=True``) gave them, so the sheet reader's quirks hold:
blank is ``None``, whole numbers are ``int``, dates are ``datetime``, an error cell is its text, and
an empty cell carrying a hyperlink holds the link's target.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import python_calamine

from mapcore.sheets import extent

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DCTERMS_NS = "http://purl.org/dc/terms/"
_CHUNK = 1 << 20

_ERROR_CELL = re.compile(rb'<c\b[^>]*?\sr="([A-Za-z]{1,3})(\d{1,9})"[^>]*(?<!/)>(?:(?!</c>).)*?<v>([^<]*)</v>', re.S)
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HYPERLINK = re.compile(rb"<(?:\w+:)?hyperlink\b[^>]*>")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,9})(?::\$?([A-Za-z]{1,3})\$?(\d{1,9}))?$")
# openpyxl's reading of a W3CDTF time (the offset, if any, is ignored as openpyxl ignores it).
_W3CDTF = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?")


class WorkbookError(ValueError):
    """The file is not a readable workbook; the message says why (without the file name)."""


class TooLarge(WorkbookError):
    """The workbook is larger than any ICE sheet could be; refused before its values are loaded."""


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int  # all zip members together, uncompressed
    rows: int  # last used row of the first worksheet
    cells: int  # rows x columns of its used range (what a reader allocates)


@dataclass
class RawSheet:
    """The first worksheet's values (row-major, row 0 is Excel row 1) and what calamine leaves out."""

    title: str
    rows: list[list[object]]
    links: dict[tuple[int, int], str | None] = field(default_factory=dict)  # (row, column) -> target
    saved: dt.datetime | None = None  # docProps/core.xml modified (UTC, naive)


@dataclass
class _Scan:
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hyperlinks: list[dict[str, str]] = field(default_factory=list)


def read_first_sheet(path: Path, limits: Limits) -> RawSheet:
    """Read the first worksheet of ``path``. Raises :class:`WorkbookError` (or :class:`TooLarge`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_unpacked_size(archive, limits)
            title, part = _first_worksheet(archive)
            scan = _scan_worksheet(archive, part, limits)
            _check_other_parts(archive, archive.getinfo(part), limits)
            _check_links(scan, limits)
            targets = _link_targets(archive, part)
            saved = _saved_time(archive)
    except (
        zipfile.BadZipFile,
        zlib.error,
        ElementTree.ParseError,
        KeyError,
        EOFError,
        OSError,
        UnicodeError,
        NotImplementedError,
        RuntimeError,
    ) as exc:  # the last two: a compression method or encryption zipfile lacks
        raise WorkbookError(f"corrupt or unsupported workbook ({type(exc).__name__}: {exc})") from exc
    rows = _values(path, title)
    links = _apply_quirks(rows, scan, targets, limits)
    return RawSheet(title, rows, links, saved)


# --------------------------------------------------------------------------- limits, before loading


def _check_unpacked_size(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Every member counts: a small file can hold hundreds of MB of shared strings."""
    size = sum(info.file_size for info in archive.infolist())
    if size > limits.unpacked_bytes:
        raise TooLarge(
            f"unpacks to {size / 1e6:,.0f} MB, more than the {limits.unpacked_bytes / 1e6:,.0f} MB an ICE sheet could need; not read"
        )


def _check_other_parts(archive: zipfile.ZipFile, first: zipfile.ZipInfo, limits: Limits) -> None:
    """Rows and cells of every other member as the values reader would place them, should it take that member
    for the sheet: it resolves part names its own way (``worksheets/./sheet1.xml`` is another zip member to
    it, and a name may be in the zip twice), so whichever it takes is checked. The member is named."""
    bounds = extent.Bounds(limits.rows, limits.cells)
    for info in archive.infolist():
        if info is first or info.is_dir():
            continue
        with _refused(info.filename):
            extent.measure(functools.partial(_pieces, archive, info), bounds)


@contextlib.contextmanager
def _refused(member: str | None) -> Iterator[None]:
    """An oversized part as :class:`TooLarge` (a row 0 as a corrupt workbook), naming the member unless it is
    the first worksheet (``None``)."""
    where = f"{member}: " if member else ""
    try:
        yield
    except extent.Oversized as exc:
        raise TooLarge(f"{where}{exc}") from None
    except extent.BadReference as exc:
        raise WorkbookError(f"corrupt workbook: {where}{exc}") from None


def _pieces(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk


def _check_links(scan: _Scan, limits: Limits) -> None:
    """The cells hyperlinks cover (a range links each of its cells), before anything is loaded."""
    covered = 0
    for link in scan.hyperlinks:
        ref = link.get("ref", "")
        if ":" not in ref:  # one cell (most links), or none
            covered += 1
            continue
        match = _REF.match(ref.strip())
        if match is None:
            continue
        c1, r1 = _column_index(match.group(1)), int(match.group(2)) - 1
        c2 = _column_index(match.group(3)) if match.group(3) else c1
        r2 = int(match.group(4)) - 1 if match.group(4) else r1
        covered += (min(max(r1, r2), limits.rows - 1) - min(r1, r2) + 1) * (abs(c2 - c1) + 1)
        if covered > limits.cells:
            raise TooLarge(f"hyperlinks cover more than the {limits.cells:,} cells an ICE sheet can plausibly hold")


# --------------------------------------------------------------------------- the workbook's parts


def _first_worksheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """(title, zip path) of the first worksheet listed in the workbook (chart sheets skipped)."""
    book_part = _workbook_part(archive)
    book = ElementTree.fromstring(archive.read(book_part))
    rels = _relationships(archive, book_part)
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        rel = rels.get(sheet.get(f"{{{_REL_NS}}}id") or "")
        if rel is None or "chartsheet" in rel[1] or rel[0] not in archive.NameToInfo:
            continue
        return sheet.get("name") or "", rel[0]
    raise WorkbookError("the workbook has no worksheet")


def _workbook_part(archive: zipfile.ZipFile) -> str:
    for target, kind, _ in _relationships(archive, "").values():
        if kind.endswith("/officeDocument") and target in archive.NameToInfo:
            return target
    if "xl/workbook.xml" in archive.NameToInfo:
        return "xl/workbook.xml"
    raise WorkbookError("corrupt or unsupported workbook (no xl/workbook.xml)")


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """Id -> (target, type, mode) of a part's relationships; internal targets resolved as openpyxl does."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels_path not in archive.NameToInfo:
        return {}
    out = {}
    root = ElementTree.fromstring(archive.read(rels_path))
    for rel in root.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        target, mode = rel.get("Target") or "", rel.get("TargetMode") or ""
        if mode != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (target, rel.get("Type") or "", mode)
    return out


def _link_targets(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    return {rel_id: target for rel_id, (target, _, _) in _relationships(archive, part).items()}


def _saved_time(archive: zipfile.ZipFile) -> dt.datetime | None:
    """docProps/core.xml's modified time (Excel writes it on every save), naive UTC as openpyxl reads it.
    A workbook without one has no save time (openpyxl made it 'now', a date that changes every day)."""
    if "docProps/core.xml" not in archive.NameToInfo:
        return None
    root = ElementTree.fromstring(archive.read("docProps/core.xml"))
    node = root.find(f"{{{_DCTERMS_NS}}}modified")
    match = _W3CDTF.match((node.text or "").strip()) if node is not None else None
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            round(float(fraction) * 1_000_000) if fraction else 0,
        )
    except ValueError:
        return None


# --------------------------------------------------------------------------- the worksheet XML, streamed


def _scan_worksheet(archive: zipfile.ZipFile, part: str, limits: Limits) -> _Scan:
    """One pass over the worksheet XML in 1 MiB pieces: its size as the values reader will see it (see
    :mod:`mapcore.sheets.extent`), error cells and hyperlinks. Memory stays at a few MiB whatever the size
    (each piece ends before its last cell, which starts the next); the size is known, or refused, before
    the error cells of a later piece are kept."""
    scan = _Scan()
    counter = extent.Counter(extent.Bounds(limits.rows, limits.cells))
    measured = False
    tail = b""
    links = b""
    with _refused(None), archive.open(part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            data = tail + chunk
            if chunk:
                cut = max(data.rfind(b"<c "), data.rfind(b"<row "), data.rfind(b"<hyperlink"))
                cut = cut if cut > 0 else len(data) if len(data) > 64 * _CHUNK else 0
                data, tail = data[:cut], data[cut:]
                if not data:
                    continue
            counter.feed(data)
            if not counter.plain and not measured:  # an odd spelling: the whole part replayed first
                counter.extent(functools.partial(_pieces, archive, archive.getinfo(part)))
                measured = True
            if b't="e"' in data:
                _errors(data, scan)
            start = data.find(b"<hyperlinks") if not links else 0
            if start >= 0:
                links += data[start:]
            if not chunk:
                break
    scan.hyperlinks = [_attributes(tag.decode("utf-8", "replace")) for tag in _HYPERLINK.findall(links)]
    return scan


def _errors(data: bytes, scan: _Scan) -> None:
    position = data.find(b't="e"')
    while position >= 0:
        start = data.rfind(b"<c ", 0, position)
        match = _ERROR_CELL.match(data, start) if start >= 0 else None
        if match and match.start(3) > position:
            column, row, value = match.groups()
            scan.errors[(int(row) - 1, _column_index(column.decode()))] = html.unescape(value.decode("utf-8", "replace"))
        position = data.find(b't="e"', position + 5)


def _attributes(tag: str) -> dict[str, str]:
    out = {}
    for name, double, single in _ATTRIBUTE.findall(tag):
        value = double or single
        out[name.split(":")[-1] if name.endswith(":id") else name] = html.unescape(value) if "&" in value else value
    return out


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


# --------------------------------------------------------------------------- values


def _values(path: Path, title: str) -> list[list[object]]:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            sheet = workbook.get_sheet_by_name(title)
            rows = sheet.to_python(skip_empty_area=False)
        finally:
            workbook.close()
    except Exception as exc:  # calamine raises its own errors (and ValueError) on damaged parts
        raise WorkbookError(f"corrupt or unsupported workbook ({type(exc).__name__}: {exc})") from exc
    return [[_as_openpyxl(v) for v in row] for row in rows]


def _as_openpyxl(value: object) -> object:
    """A calamine value as openpyxl gave it: blank None, whole number int, date datetime."""
    if value == "" and isinstance(value, str):
        return None
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def _apply_quirks(rows: list[list[object]], scan: _Scan, targets: dict[str, str], limits: Limits) -> dict[tuple[int, int], str | None]:
    """Error values into their cells; hyperlinks by cell (a range links each of its cells), an empty
    linked cell holding the link's target as openpyxl gave it. Links past the row limit are ignored."""
    for (row, column), text in scan.errors.items():
        _put(rows, row, column, text, overwrite=True)
    links: dict[tuple[int, int], str | None] = {}
    for link in scan.hyperlinks:
        match = _REF.match(link.get("ref", "").strip())
        if match is None:
            continue
        target = targets.get(link["id"]) if link.get("id") else None
        c1, r1 = _column_index(match.group(1)), int(match.group(2)) - 1
        c2 = _column_index(match.group(3)) if match.group(3) else c1
        r2 = int(match.group(4)) - 1 if match.group(4) else r1
        for row in range(min(r1, r2), min(max(r1, r2), limits.rows - 1) + 1):
            for column in range(min(c1, c2), max(c1, c2) + 1):
                links[(row, column)] = target
                _put(rows, row, column, target or link.get("location") or None, overwrite=False)
                if len(links) > limits.cells:
                    raise TooLarge(f"hyperlinks cover more than the {limits.cells:,} cells an ICE sheet can plausibly hold")
    return links


def _put(rows: list[list[object]], row: int, column: int, value: object, overwrite: bool) -> None:
    if value is None:
        return
    while len(rows) <= row:
        rows.append([])
    cells = rows[row]
    if len(cells) <= column:
        cells.extend([None] * (column + 1 - len(cells)))
    if overwrite or cells[column] is None:
        cells[column] = value
