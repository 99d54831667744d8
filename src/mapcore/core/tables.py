"""Tables to download: one writer for every CSV and Excel file the app or the CLI hands out.

Agency names come from a sheet we do not control, so every text cell a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe; CSV rows
end in CRLF (RFC 4180) so a bare CR inside a value is quoted and cannot split a row; characters XML
cannot hold are dropped from Excel cells instead of failing the whole workbook.

Excel files are typed: dates are Excel dates and numbers are numbers (never text), the header row is
frozen and carries a filter, and a second sheet, "About", says where the table comes from (the ICE
sheet and its date), the filters and when it was exported, in the reader's language (its labels are
msgids, worded when the workbook is made; the data sheet keeps machine column names). File names name what is in them
(:func:`file_stem`: ``287g-TX-TFM-2026-04-30``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping

import openpyxl
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from mapcore.core.i18n import N_, _

FORMATS: tuple[str, ...] = ("csv", "xlsx")
# The agreement columns of a download, in order, and the headers renamed for readers.
EXPORT_COLUMNS: tuple[str, ...] = (
    "state",
    "agency",
    "ori",
    "ori_method",
    "jurisdiction_type",
    "model",
    "signed",
    "county_fips",
    "county_name",
    "level",
    "region_counties",
    "region_fips",
    "placed_by",
    "moa_url",
    "addendum_url",
    "kind",
    "publication_date",
    "law_status",
    "law_note",
    "unplaced_reason",
)
RENAMES = {"jurisdiction_type": "type"}
ABOUT_SHEET = N_("About")  # the About sheet's title and labels: msgids, translated when the workbook is made
ABOUT_LABELS: tuple[str, ...] = (
    N_("Field"),
    N_("Value"),
    N_("Table"),
    N_("Rows"),
    N_("Exported at"),
    N_("Source"),
    N_("Published"),
    N_("Filters"),
    N_("Kind"),
    N_("Pending list"),
    N_("Compared with"),
)
DATE_FORMAT = "yyyy-mm-dd"
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_STEM_UNSAFE = re.compile(r"[^A-Za-z0-9.+_]+")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula; leave other values alone."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def download_frame(frame: pd.DataFrame, dates_as_text: bool = True) -> pd.DataFrame:
    """A copy ready to write: missing values as None, text neutralised; dates as ISO text (CSV, JSON)
    or as dates (``dates_as_text=False``, for Excel, which stores them as dates)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            values = pd.to_datetime(out[column])
            out[column] = (
                values.dt.strftime("%Y-%m-%d")
                if dates_as_text
                else pd.Series([None if pd.isna(v) else v.date() for v in values], index=out.index, dtype=object)
            )
    out = out.astype(object).where(out.notna(), None)
    if dates_as_text:
        out = out.map(_date_text)
    return out.map(neutralise).reset_index(drop=True)


def _date_text(value: object) -> object:
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d") if value == value.replace(hour=0, minute=0, second=0, microsecond=0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export_frame(frame: pd.DataFrame, dates_as_text: bool = True) -> pd.DataFrame:
    """The agreement columns users download (:data:`EXPORT_COLUMNS`), ready to write."""
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    return download_frame(frame[columns].reset_index(drop=True), dates_as_text).rename(columns=RENAMES)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with CRLF rows of a table already passed through :func:`download_frame`."""
    # The csv module quotes a field only if it holds a character of the line terminator: with "\n"
    # a bare "\r" inside a value went out unquoted and split the row.
    return table.map(_date_text).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def excel_bytes(
    table: pd.DataFrame,
    sheet_name: str = "287(g) agreements",
    about: Mapping[str, object] | None = None,
    exported_at: dt.datetime | None = None,
) -> bytes:
    """An .xlsx of a table already passed through :func:`download_frame`: dates as Excel dates, numbers
    as numbers, a bold, frozen header row with a filter, and an "About" sheet (``about``'s fields, the
    number of rows and the time of export)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _sheet_title(sheet_name)
    headers = [str(c) for c in table.columns]
    sheet.append([_cell(h) for h in headers])
    for record in table.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in record])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"
    for position, header in enumerate(headers, start=1):
        column = sheet.column_dimensions[get_column_letter(position)]
        sample = table.iloc[:200, position - 1]
        is_date = bool(len(sample.dropna())) and all(isinstance(v, dt.date) for v in sample.dropna())
        if is_date:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.number_format = DATE_FORMAT
        width = max([len(header), *(len(str(v)) for v in sample.dropna())], default=8)
        column.width = 12 if is_date else min(60, max(8, width + 2))
    _about_sheet(book, sheet.title, len(table), about or {}, exported_at)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    """A worksheet title Excel accepts (31 characters, none of []:*?/\\), never the About sheet's."""
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Table"
    return "Table" if title.casefold() in {ABOUT_SHEET.casefold(), _(ABOUT_SHEET).casefold()} else title


def _cell(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):  # numpy scalars -> Python numbers
        return value.item()
    return value


def _about_sheet(book, table_title: str, rows: int, about: Mapping[str, object], exported_at: dt.datetime | None) -> None:
    sheet = book.create_sheet(_(ABOUT_SHEET)[:31])
    when = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    fields: list[tuple[str, object]] = [(_("Table"), _("sheet '{title}'").format(title=table_title))]
    fields += [(_(str(k)), v) for k, v in about.items() if v not in (None, "")]  # keys: msgids (ABOUT_LABELS)
    fields += [(_("Rows"), rows), (_("Exported at"), when.strftime("%Y-%m-%d %H:%M UTC"))]
    sheet.append([_("Field"), _("Value")])
    for field, value in fields:
        sheet.append([_cell(neutralise(str(field))), _cell(neutralise(_about_value(value)))])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 100


def _about_value(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return _date_text(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, (int, float)) else str(value)


def table_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str = "287(g) agreements", about: Mapping[str, object] | None = None) -> bytes:
    """CSV or Excel bytes of any table (made safe with :func:`download_frame` first; Excel keeps dates
    as dates and adds its About sheet from ``about``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    if fmt == "csv":
        return csv_bytes(download_frame(frame))
    return excel_bytes(download_frame(frame, dates_as_text=False), sheet_name, about)


def about_fields(source: str | None = None, published: object = None, filters: str | None = None, **more: object) -> dict[str, object]:
    """The About sheet's fields in their usual order: the ICE sheet, its publication date, the filters,
    then any others (keyword names with underscores read as spaces; each a msgid of :data:`ABOUT_LABELS`).
    Values are the caller's, in the reader's language."""
    fields: dict[str, object] = {"Source": source, "Published": published, "Filters": filters or _("none")}
    fields.update({key.replace("_", " ").capitalize(): value for key, value in more.items()})
    return fields


def file_stem(*parts: object, date: object = None, limit: int = 120) -> str:
    """A download's file name without extension, naming what is in it: ``287g-TX-TFM-2026-04-30``.
    Empty parts are skipped; anything but letters, digits, '.', '+' and '_' becomes '-'."""
    words = ["287g"]
    for part in parts:
        word = _STEM_UNSAFE.sub("-", str(part or "")).strip("-")
        if word and word != "287g":
            words.append(word)
    if date is not None and not (isinstance(date, float) and date != date):
        words.append(date if isinstance(date, str) else pd.Timestamp(date).date().isoformat())
    stem = "-".join(words)
    return stem if len(stem) <= limit else stem[:limit].rstrip("-")


def filter_summary(pairs: Iterable[tuple[str, object]]) -> str:
    """'states TX, FL; models TFM' from (name, values) pairs; 'none' when nothing is set."""
    shown = []
    for name, value in pairs:
        if value in (None, "", (), []):
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
        shown.append(f"{name} {text}")
    return "; ".join(shown) or "none"
