"""Browser geometry: encoded layers (see :mod:`mapcore.geo.codec`) as content-addressed files.

A map in the browser fetches its geometry once, as files whose name carries a hash of their
content (``counties-national-3f2a9c0d1b7e.json``): a name never changes meaning, so the browser may
keep a file for good, and a filter change only sends values. There are two kinds of file:

- the national view (AK, HI and PR moved into insets): ``counties-national`` and ``states-national``;
- one state at its true position: ``counties-TX`` and ``states-TX``.

Encoding every county for the national view takes most of a second; it depends only on ``geo/``, so
``mapcore build-geo`` does it once and writes ``national_web_layers.json``. That file records the
sha256 of the parquet files it came from and the encoding format, and is ignored (the layers are
computed at run time instead) when either no longer matches.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from mapcore.core.atomic import sha256_of, write_text_atomically
from mapcore.core.config import GEO_DIR
from mapcore.geo.codec import encode_layer

WEB_LAYERS_FILE = "national_web_layers.json"
SOURCES = ("counties.parquet", "states.parquet")
FORMAT = 2  # 2: plain-text labels, counties grouped by state
KINDS = ("counties", "states")


@dataclass(frozen=True)
class GeometryFile:
    """One encoded layer and its content-addressed file name."""

    name: str
    text: str


def geometry_file(stem: str, text: str) -> GeometryFile:
    """``<stem>-<first 12 hex of sha256>.json`` for the text."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return GeometryFile(f"{stem}-{digest}.json", text)


def encode_for_map(frame: gpd.GeoDataFrame, kind: str) -> str:
    """Encoded polygons with the id, plain-text label (and, for counties, the state) the map uses."""
    if kind == "counties":
        ids, labels, groups = frame["GEOID"], frame["name"] + ", " + frame["state"], frame["state"]
    else:
        ids, labels, groups = frame["state"], frame["name"], None
    columns = {"id": ids.to_numpy(), "label": labels.astype(str).to_numpy()}
    if groups is not None:
        columns["group"] = groups.to_numpy()
    layer = gpd.GeoDataFrame(columns, geometry=frame.geometry.values, crs=frame.crs)
    return encode_layer(layer, "id", "label", group_column="group" if groups is not None else None)


@functools.lru_cache(maxsize=4)
def national_layer(kind: str) -> GeometryFile:
    """The national view of counties or states (prebuilt when fresh)."""
    _check_kind(kind)
    prebuilt = load_web_layers()
    if prebuilt is not None:
        return geometry_file(f"{kind}-national", prebuilt[kind])
    from mapcore.geo.boundaries import load_counties, load_states, national_view

    layer = load_counties() if kind == "counties" else load_states()
    return geometry_file(f"{kind}-national", encode_for_map(national_view(layer), kind))


@functools.lru_cache(maxsize=128)
def state_layer(kind: str, state: str) -> GeometryFile:
    """Counties (or the outline) of one state at its true position; empty when no boundary covers it."""
    _check_kind(kind)
    from mapcore.geo.boundaries import load_counties, load_states

    layer = load_counties() if kind == "counties" else load_states()
    chosen = layer[layer["state"] == state].reset_index(drop=True)
    return geometry_file(f"{kind}-{_safe_stem(state)}", encode_for_map(chosen, kind))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown geometry kind {kind!r}; expected one of {', '.join(KINDS)}")


def _safe_stem(state: str) -> str:
    """A state code as a file-name part (codes come from our own tables; this keeps it so)."""
    return "".join(ch for ch in str(state) if ch.isalnum())[:8] or "none"


def build_web_layers(geo_dir: Path = GEO_DIR) -> int:
    """Write the national layers for the parquet files in ``geo_dir``; returns the file's size."""
    from mapcore.geo.boundaries import national_bounds_of, national_view

    counties = gpd.read_parquet(geo_dir / "counties.parquet")
    states = gpd.read_parquet(geo_dir / "states.parquet")
    national_states = national_view(states)
    payload = {
        "format": FORMAT,
        "source": {name: sha256_of(geo_dir / name) for name in SOURCES},
        "counties": encode_for_map(national_view(counties), "counties"),
        "states": encode_for_map(national_states, "states"),
        "bounds": national_bounds_of(national_states),
    }
    text = json.dumps(payload, separators=(",", ":"))
    write_text_atomically(geo_dir / WEB_LAYERS_FILE, text)
    return len(text.encode())


@functools.lru_cache(maxsize=4)
def load_web_layers(geo_dir: Path = GEO_DIR) -> dict | None:
    """The prebuilt layers, or None when absent, of another format, or made from other parquet files."""
    path = geo_dir / WEB_LAYERS_FILE
    if not path.is_file():
        return None
    payload = json.loads(path.read_text())
    current = {name: sha256_of(geo_dir / name) for name in SOURCES}
    return payload if payload.get("source") == current and payload.get("format") == FORMAT else None
