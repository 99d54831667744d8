"""Exports of a filtered table of agreements: CSV, Excel and GeoJSON, safe to open on a user's machine.

The cell-level safety (formula prefixes, CRLF rows, XML-illegal characters) lives in
:mod:`mapcore.core.tables`, shared with every other download; this module adds the GeoJSON points and
writing to disk (a temporary file, then a rename).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mapcore.core.atomic import write_bytes_atomically
from mapcore.core.tables import csv_bytes, excel_bytes, export_frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return csv_bytes(export_frame(frame))


@dataclass(frozen=True)
class CsvLines:
    """The CSV of a table (:func:`to_csv_bytes`) cut into its header and one line per row, by the row's index:
    the CSV of some of its rows, in their order, is the header and their lines (:func:`subset_csv_bytes`).
    Facts only: machine column names and the table's own values."""

    header: bytes
    index: pd.Index
    columns: tuple[str, ...]
    lines: tuple[bytes, ...]


def csv_lines(frame: pd.DataFrame) -> CsvLines | None:
    """:class:`CsvLines` of ``frame``, or None when its rows cannot be told apart by their index or its lines,
    written one by one, do not add up to exactly :func:`to_csv_bytes` of the whole table (then every subset is
    written whole)."""
    if not frame.index.is_unique:
        return None
    whole = to_csv_bytes(frame)
    table = export_frame(frame)
    cells = table.astype(object).where(table.notna(), "").to_numpy().tolist()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # as pandas' to_csv writes: minimal quoting, '"' doubled
    writer.writerow([str(c) for c in table.columns])
    ends = [buffer.tell()]
    for row in cells:
        writer.writerow(row)
        ends.append(buffer.tell())
    text = buffer.getvalue()
    if text.encode("utf-8") != whole:
        return None
    lines = tuple(text[start:end].encode("utf-8") for start, end in zip(ends, ends[1:]))
    return CsvLines(text[: ends[0]].encode("utf-8"), frame.index, tuple(map(str, frame.columns)), lines)


def subset_csv_bytes(lines: CsvLines | None, frame: pd.DataFrame) -> bytes:
    """:func:`to_csv_bytes` of ``frame``, some rows (unchanged, in any order) of the table ``lines`` was cut from:
    its header and their lines, joined. Any other frame is written whole."""
    if lines is None or tuple(map(str, frame.columns)) != lines.columns:
        return to_csv_bytes(frame)
    positions = lines.index.get_indexer(frame.index)
    if len(positions) and positions.min() < 0:
        return to_csv_bytes(frame)
    return lines.header + b"".join([lines.lines[p] for p in positions])


def to_excel_bytes(frame: pd.DataFrame, sheet_name: str = "287(g) agreements", about: Mapping[str, object] | None = None) -> bytes:
    """An .xlsx of the rows (typed dates, frozen and filtered header) with an About sheet from
    ``about`` (:func:`mapcore.core.tables.about_fields`); characters XML cannot hold are removed."""
    return excel_bytes(export_frame(frame, dates_as_text=False), sheet_name, about)


def to_geojson_bytes(frame: pd.DataFrame, counties, states=None) -> bytes:
    """One Feature per agreement: the county polygon's centroid for placed rows, the state's for
    statewide ones, one point per county served (a MultiPoint) for regional bodies, and a null
    geometry (kept, not dropped) for rows without a place."""
    table = export_frame(frame)
    points = _points(counties, "GEOID")
    state_points = _points(states, "state") if states is not None else {}
    features = []
    for record in table.to_dict("records"):
        point = points.get(record.get("county_fips"))
        if point is None and record.get("level") == "statewide":
            point = state_points.get(record.get("state"))
        geometry = {"type": "Point", "coordinates": point} if point else None
        region = [points[g] for g in str(record.get("region_fips") or "").split(";") if g in points]
        if geometry is None and region:
            geometry = {"type": "MultiPoint", "coordinates": region}
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def _points(layer, key: str) -> dict:
    if layer is None or len(layer) == 0:
        return {}
    reps = layer.geometry.representative_point()
    return {k: [round(p.x, 5), round(p.y, 5)] for k, p in zip(layer[key], reps)}


def write_export(frame: pd.DataFrame, path: Path, fmt: str, counties=None, states=None, about: Mapping[str, object] | None = None) -> Path:
    """Write an export atomically; fmt is csv, xlsx (with ``about`` on its About sheet) or geojson."""
    if fmt == "geojson":
        data = to_geojson_bytes(frame, counties, states)
    elif fmt == "csv":
        data = to_csv_bytes(frame)
    elif fmt == "xlsx":
        data = to_excel_bytes(frame, about=about)
    else:
        raise ValueError(f"unknown export format {fmt!r}: use csv, xlsx or geojson")
    write_bytes_atomically(Path(path), data)
    return Path(path)
