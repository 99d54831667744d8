"""Read one ICE 287(g) sheet into agreement records, with every problem named by row and column.

ICE's format drifted: 6, 7 and 8 columns (COUNTY from 2025-03-17, ADDENDUM from 2025-07-01), empty
padding columns, formatted blank rows, trailing spaces, typos, text dates, Excel error values.
The kind (participating or pending) is decided by content: a sheet with SIGNED is participating.
"""

from __future__ import annotations

import datetime as dt
import functools
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mapcore.core import workers as workers_pool
from mapcore.core.atomic import sha256_of
from mapcore.core.schema import PublicationId
from mapcore.core.text import clean_text, safe_url
from mapcore.sheets import normalize as nz
from mapcore.sheets import xlsx
from mapcore.sheets.pubdate import PublicationDate, publication_date

REQUIRED = ("STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "SUPPORT TYPE")
OPTIONAL = ("COUNTY", "SIGNED", "MOA", "ADDENDUM")
KNOWN = REQUIRED + OPTIONAL
HEADER_SEARCH_ROWS = 10
# Limits checked before any value is loaded (ICE's largest sheet: ~2,000 rows x 13 columns, 1.4 MB unpacked).
MAX_ROWS = 200_000
MAX_CELLS = 2_000_000  # rows x columns of the used range
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # every zip member, uncompressed
_DATE_METHODS = {
    "year_typo": "the file name with its year corrected (a SIGNED date or the save time showed the typo)",
    "repaired": "the file name's garbled digits, repaired nearest the workbook's save time",
    "saved_time": "the workbook's save time (the name has no usable date, or contradicts the SIGNED dates)",
    "file_time": "the file's modification time (no date in the name or the workbook)",
}


class SheetError(ValueError):
    """A sheet that cannot be read at all. The message names the file (and row/column when known)."""

    def __init__(self, file: str, reason: str, row: int | None = None, column: str | None = None):
        self.file, self.reason, self.row, self.column = file, reason, row, column
        where = ", ".join(p for p in (file, f"row {row}" if row else "", f"column {column}" if column else "") if p)
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # Rebuilt from all four fields when it crosses a process pool (the default pickles only the message).
        return (type(self), (self.file, self.reason, self.row, self.column))


@dataclass(frozen=True)
class Problem:
    """Something odd in one cell or row; the row is kept unless the message says otherwise."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "warning"  # warning: value normalised or missing; error: row not kept

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.file, f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "") if p
        )
        return f"{where}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message, "severity": self.severity}


@dataclass
class SheetResult:
    """One sheet read: its records (dicts with the READ_COLUMNS of mapcore.core.schema) and its problems."""

    file: str
    sha256: str
    kind: str
    publication: PublicationDate
    columns: list[str]
    records: list[dict]
    problems: list[Problem] = field(default_factory=list)
    duplicates_removed: int = 0

    @property
    def publication_id(self) -> str:
        return str(PublicationId.build(self.publication.iso, self.file, self.sha256))


def read_sheet(path: Path | str, display_name: str | None = None, sha256: str | None = None) -> SheetResult:
    """Read the first worksheet of an ICE workbook. Raises SheetError when it cannot be read at all."""
    path = Path(path)
    name = display_name or path.name
    raw = _open_sheet(path, name)
    rows, links = raw.rows, raw.links
    header_row, columns = _find_header(rows, name)
    problems: list[Problem] = []
    for extra in sorted(set(columns) - set(KNOWN)):
        problems.append(Problem(name, header_row, extra, "extra column ignored"))
    kind = "participating" if "SIGNED" in columns else "pending"
    records = _read_records(rows, links, header_row, columns, name, problems)
    records, removed = _drop_exact_duplicates(records, name, problems)
    saved = raw.saved
    latest_signed = max((r["signed"] for r in records if r["signed"]), default=None)
    file_time = dt.datetime.fromtimestamp(path.stat().st_mtime)
    pub = publication_date(path.name, saved=saved, latest_signed=latest_signed, file_time=file_time)
    if pub.method not in {"name", "name_stamp"}:
        problems.append(
            Problem(
                name, None, None, f"publication date {pub.iso} taken from {_DATE_METHODS[pub.method]}, not read as printed in the file name"
            )
        )
    _flag_future_signed(records, pub.date, name, problems)
    digest = sha256 or sha256_of(path)
    result = SheetResult(name, digest, kind, pub, list(columns), records, problems, removed)
    for record in records:
        record.update(source_file=name, source_sha256=digest, kind=kind, publication_date=pub.date, publication_id=result.publication_id)
    return result


def _open_sheet(path: Path, name: str) -> xlsx.RawSheet:
    """The first worksheet's values and links (see :mod:`mapcore.sheets.xlsx`), or a SheetError naming the file."""
    if not path.is_file():
        raise SheetError(name, "no such file")
    try:
        if not zipfile.is_zipfile(path):
            with open(path, "rb") as handle:
                head = handle.read(64).lstrip().lower()
            what = "an HTML page" if head.startswith((b"<!doctype", b"<html")) else "not an .xlsx workbook (not a zip file)"
            raise SheetError(name, f"{what}; expected an Excel .xlsx file")
        return xlsx.read_first_sheet(path, xlsx.Limits(MAX_UNPACKED_BYTES, MAX_ROWS, MAX_CELLS))
    except xlsx.WorkbookError as exc:
        raise SheetError(name, str(exc)) from exc
    except PermissionError as exc:
        raise SheetError(name, f"cannot be read: permission denied ({exc.strerror or exc})") from exc
    except OSError as exc:
        raise SheetError(name, f"cannot be read ({type(exc).__name__}: {exc.strerror or exc})") from exc


def _find_header(rows: list, name: str) -> tuple[int, dict[str, int]]:
    """The header is the first row (of the first few) naming STATE and LAW ENFORCEMENT AGENCY."""
    if not rows:
        raise SheetError(name, "the first worksheet is empty")
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {nz.header_key(value): position for position, value in enumerate(row) if nz.header_key(value)}
        if "STATE" in keys and "LAW ENFORCEMENT AGENCY" in keys:
            missing = [c for c in REQUIRED if c not in keys]
            if missing:
                raise SheetError(name, f"required column missing: {', '.join(missing)}", row=index + 1, column=missing[0])
            return index + 1, keys
    raise SheetError(name, f"no header row naming STATE and LAW ENFORCEMENT AGENCY in the first {HEADER_SEARCH_ROWS} rows", row=1)


def _cell(row: tuple, columns: dict[str, int], key: str):
    position = columns.get(key)
    if position is None or position >= len(row):
        return None
    return row[position]


def _read_records(rows: list, links: dict, header_row: int, columns: dict[str, int], name: str, problems: list[Problem]) -> list[dict]:
    records = []
    for offset, row in enumerate(rows[header_row:]):
        excel_row = header_row + offset + 1
        state_text = _clean(_cell(row, columns, "STATE"))
        agency = _clean(_cell(row, columns, "LAW ENFORCEMENT AGENCY"))
        if not state_text or not agency:
            filled = [k for k in KNOWN if (v := _cell(row, columns, k)) is not None and not nz.is_missing_marker(v)]
            if filled:
                missing = "STATE" if not state_text else "LAW ENFORCEMENT AGENCY"
                problems.append(
                    Problem(name, excel_row, missing, f"blank, so the row is not an agreement (it has {', '.join(filled)})", "error")
                )
            continue
        records.append(_record(row, links, columns, name, excel_row, state_text, agency, problems))
    return records


def _record(row, links, columns, name, excel_row, state_text, agency, problems) -> dict:
    def value(key):
        return _cell(row, columns, key)

    state = _cached(nz.normalize_state, "str", state_text)
    if state is None:
        problems.append(Problem(name, excel_row, "STATE", f"'{state_text}' is not a US state or DC; kept, not placed"))
    type_raw = _clean(value("TYPE"))
    jurisdiction = _cached(nz.normalize_jurisdiction_type, "str", type_raw)
    if jurisdiction is None:
        problems.append(Problem(name, excel_row, "TYPE", f"unrecognised jurisdiction type {type_raw!r}"))
    model_raw = _clean(value("SUPPORT TYPE"))
    model = _cached(nz.normalize_model, "str", model_raw)
    if model is None:
        problems.append(Problem(name, excel_row, "SUPPORT TYPE", f"unrecognised model {model_raw!r}"))
    county_raw = value("COUNTY") if "COUNTY" in columns else None
    signed_value = value("SIGNED")
    signed = _cached(nz.parse_signed, type(signed_value).__name__, signed_value)
    signed_raw = None if isinstance(signed_value, (dt.date, dt.datetime)) else _clean(signed_value)
    if signed is not None and signed.year >= 2100:
        repaired = signed.replace(year=2000 + signed.year % 100)
        problems.append(Problem(name, excel_row, "SIGNED", f"year {signed.year} read as {repaired.year}"))
        signed_raw, signed = signed.isoformat(), repaired
    if "SIGNED" in columns and signed is None:
        what = f"{signed_raw!r} is not a date" if signed_raw else "blank"
        problems.append(Problem(name, excel_row, "SIGNED", what))
    moa_text, moa_url, moa_pending = _link(row, links, columns, "MOA", name, excel_row, problems)
    _, addendum_url, _ = _link(row, links, columns, "ADDENDUM", name, excel_row, problems)
    return {
        "row": excel_row,
        "state_raw": state_text,
        "state": state[0] if state else None,
        "state_fips": state[1] if state else None,
        "agency": agency,
        "type_raw": type_raw,
        "jurisdiction_type": jurisdiction,
        "county_printed": _cached(_county_printed, type(county_raw).__name__, county_raw),
        "model_raw": model_raw,
        "model": model,
        "signed": signed,
        "signed_raw": signed_raw,
        "moa_text": moa_text,
        "moa_url": moa_url,
        "moa_pending": moa_pending,
        "addendum_url": addendum_url,
    }


def _link(row, links, columns, key, name, excel_row, problems) -> tuple[str | None, str | None, bool]:
    """A link cell: its text, its http(s) target (hyperlink or a raw URL typed in), and 'link pending'."""
    position = columns.get(key)
    if position is None or position >= len(row):
        return None, None, False
    value = row[position]
    text, target, url, pending = _link_parts(type(value).__name__, value, links.get((excel_row - 1, position)))
    if url and url != target:
        problems.append(Problem(name, excel_row, key, f"malformed link {str(target)[:80]!r} repaired to {url[:80]!r}"))
    if target and url is None:
        problems.append(Problem(name, excel_row, key, f"link {str(target)[:80]!r} dropped: only http(s) links are kept"))
    return text, url, pending


# ICE repeats values down a column (state, type, model, 'link', the same MOA): each distinct value is
# cleaned and normalised once. Keyed by type name too, so True, 1 and 1.0 stay apart.
@functools.lru_cache(maxsize=16384)
def _cached(function, kind: str, value):  # noqa: ARG001 - kind is part of the key
    return function(value)


def _clean(value: object) -> str | None:
    return _cached(clean_text, type(value).__name__, value)


def _county_printed(value: object) -> str | None:
    return None if nz.is_missing_marker(value) else clean_text(value)


@functools.lru_cache(maxsize=16384)
def _link_parts(kind: str, value: object, hyperlink: str | None) -> tuple[str | None, str | None, str | None, bool]:  # noqa: ARG001
    """(text, target, http(s) url, 'link pending') of a link cell's value and hyperlink target."""
    text = clean_text(value)
    target = hyperlink
    if not target and nz.looks_like_url(text):
        target = text if not (text or "").lower().startswith("www.") else f"https://{text}"
    url = safe_url(nz.repair_url(target))
    return text, target, url, bool(text and "pending" in text.lower())


def _drop_exact_duplicates(records: list[dict], name: str, problems: list[Problem]) -> tuple[list[dict], int]:
    seen: dict[tuple, int] = {}
    kept = []
    for record in records:
        key = tuple(v for k, v in record.items() if k != "row")
        if key in seen:
            problems.append(Problem(name, record["row"], None, f"exact duplicate of row {seen[key]}; counted once"))
            continue
        seen[key] = record["row"]
        kept.append(record)
    return kept, len(records) - len(kept)


def _flag_future_signed(records: list[dict], published: dt.date, name: str, problems: list[Problem]) -> None:
    for record in records:
        if record["signed"] and record["signed"] > published:
            problems.append(Problem(name, record["row"], "SIGNED", f"{record['signed']} is after the publication date {published}"))


def read_sheets(jobs: Sequence[tuple[str, str, str | None]], workers: int = 1) -> Iterator[SheetResult | SheetError]:
    """Each job's (path, display name, sha256) SheetResult or SheetError, in job order, every sheet read in a
    worker process under a memory and CPU limit (:mod:`mapcore.core.workers`): a sheet that makes its reader
    abort, run out of memory or spin is a SheetError naming it, and the other sheets are still read."""
    return workers_pool.run(read_or_error, jobs, max(1, workers), _not_read)


def _not_read(job: tuple[str, str, str | None], why: str) -> SheetError:
    return SheetError(job[1], f"not read: {why}")


def read_or_error(job: tuple[str, str, str | None]) -> SheetResult | SheetError:
    """Read one sheet in a worker process: its SheetResult, or the SheetError naming what is wrong.

    Anything else going wrong while reading (a bug, memory) becomes a SheetError naming the file too,
    so one bad sheet never breaks the other sheets' results."""
    path, display, sha = job
    try:
        return read_sheet(Path(path), display_name=display, sha256=sha)
    except SheetError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - reported with the file's name, never lost
        return SheetError(display, f"could not be read ({type(exc).__name__}: {exc})")
