"""Exports of a filtered table: CSV, Excel and GeoJSON, safe to open on a user's machine.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
are prefixed with an apostrophe; agency names come from a sheet we do not control. Files written to
disk go through a temporary file and a rename.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mapcore.core.atomic import write_bytes_atomically

EXPORT_COLUMNS: tuple[str, ...] = (
    "state", "agency", "jurisdiction_type", "model", "signed", "county_fips", "county_name", "level",
    "placed_by", "moa_url", "addendum_url", "kind", "publication_date", "law_status", "unplaced_reason",
)
RENAMES = {"jurisdiction_type": "type"}
_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would treat as a formula; leave other values alone."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def export_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The user-facing columns, dates as ISO text, every text cell neutralised."""
    columns = [c for c in EXPORT_COLUMNS if c in frame.columns]
    out = frame[columns].copy()
    for column in ("signed", "publication_date"):
        if column in out:
            out[column] = pd.to_datetime(out[column]).dt.strftime("%Y-%m-%d")
    out = out.astype("object").where(out.notna(), None)
    out = out.map(neutralise)
    return out.rename(columns=RENAMES).reset_index(drop=True)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    # CRLF rows (RFC 4180): the csv module quotes a field only if it holds a character of the line
    # terminator, so with "\n" a bare "\r" inside a value went out unquoted and split the row.
    return export_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "287(g) agreements") -> bytes:
    """An .xlsx of the rows; control characters that XML cannot hold are removed, not fatal."""
    table = export_frame(frame).map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, index=False, sheet_name=sheet_name[:31])
    return buffer.getvalue()


def to_geojson_bytes(frame: pd.DataFrame, counties, states=None) -> bytes:
    """One Feature per agreement: the county polygon's centroid for placed rows, the state's for
    statewide ones, and a null geometry (kept, not dropped) for rows without a place."""
    table = export_frame(frame)
    points = _points(counties, "GEOID")
    state_points = _points(states, "state") if states is not None else {}
    features = []
    for record in table.to_dict("records"):
        point = points.get(record.get("county_fips"))
        if point is None and record.get("level") == "statewide":
            point = state_points.get(record.get("state"))
        geometry = {"type": "Point", "coordinates": point} if point else None
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def _points(layer, key: str) -> dict:
    if layer is None or len(layer) == 0:
        return {}
    reps = layer.geometry.representative_point()
    return {k: [round(p.x, 5), round(p.y, 5)] for k, p in zip(layer[key], reps)}


def write_export(frame: pd.DataFrame, path: Path, fmt: str, counties=None, states=None) -> Path:
    """Write an export atomically; fmt is csv, xlsx or geojson."""
    makers = {"csv": to_csv_bytes, "xlsx": to_excel_bytes}
    if fmt == "geojson":
        data = to_geojson_bytes(frame, counties, states)
    elif fmt in makers:
        data = makers[fmt](frame)
    else:
        raise ValueError(f"unknown export format {fmt!r}: use csv, xlsx or geojson")
    write_bytes_atomically(Path(path), data)
    return Path(path)
