"""Tables to download: one writer for every CSV and Excel file the app or the CLI hands out.

Agency names come from a sheet we do not control, so every text cell a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe; CSV rows
end in CRLF (RFC 4180) so a bare CR inside a value is quoted and cannot split a row; characters XML
cannot hold are dropped from Excel cells instead of failing the whole workbook.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMATS: tuple[str, ...] = ("csv", "xlsx")
# The agreement columns of a download, in order, and the headers renamed for readers.
EXPORT_COLUMNS: tuple[str, ...] = (
    "state", "agency", "ori", "ori_method", "jurisdiction_type", "model", "signed", "county_fips", "county_name", "level",
    "placed_by", "moa_url", "addendum_url", "kind", "publication_date", "law_status", "law_note", "unplaced_reason",
)
RENAMES = {"jurisdiction_type": "type"}
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula; leave other values alone."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def download_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy ready to write: dates as ISO text, missing values as None, text neutralised."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(out.notna(), None)
    return out.map(neutralise).reset_index(drop=True)


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The agreement columns users download (:data:`EXPORT_COLUMNS`), ready to write."""
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    return download_frame(frame[columns].reset_index(drop=True)).rename(columns=RENAMES)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with CRLF rows of a table already passed through :func:`download_frame`."""
    # The csv module quotes a field only if it holds a character of the line terminator: with "\n"
    # a bare "\r" inside a value went out unquoted and split the row.
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def excel_bytes(table: pd.DataFrame, sheet_name: str = "287(g) agreements") -> bytes:
    """An .xlsx of a table already passed through :func:`download_frame`."""
    clean = table.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        clean.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


def table_bytes(frame: pd.DataFrame, fmt: str, sheet_name: str = "287(g) agreements") -> bytes:
    """CSV or Excel bytes of any table (made safe with :func:`download_frame` first)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use {' or '.join(FORMATS)}")
    table = download_frame(frame)
    return csv_bytes(table) if fmt == "csv" else excel_bytes(table, sheet_name)
