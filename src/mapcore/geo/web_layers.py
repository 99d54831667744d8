"""Prebuilt browser geometry for the national maps, stored in ``geo/`` beside the parquet files.

Encoding every county for the browser (and moving Alaska, Hawaii and Puerto Rico into insets) takes
most of a second; it depends only on ``geo/``, so ``mapcore build-geo`` does it once and writes
``national_web_layers.json``. The file records the sha256 of the parquet files it came from, and is
ignored (the layers are computed at run time instead) when they no longer match.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path

import geopandas as gpd

from mapcore.core.atomic import sha256_of, write_text_atomically
from mapcore.core.config import GEO_DIR
from mapcore.geo.codec import encode_layer

WEB_LAYERS_FILE = "national_web_layers.json"
SOURCES = ("counties.parquet", "states.parquet")


def encode_for_map(frame: gpd.GeoDataFrame, kind: str) -> str:
    """Encoded polygons with the id and (escaped) label the map's tooltips use."""
    if kind == "counties":
        ids, labels = frame["GEOID"], frame["name"] + ", " + frame["state"]
    else:
        ids, labels = frame["state"], frame["name"]
    layer = gpd.GeoDataFrame({"id": ids.to_numpy(), "label": labels.map(html.escape).to_numpy()},
                             geometry=frame.geometry.values, crs=frame.crs)
    return encode_layer(layer, "id", "label")


def build_web_layers(geo_dir: Path = GEO_DIR) -> int:
    """Write the national layers for the parquet files in ``geo_dir``; returns the file's size."""
    from mapcore.geo.boundaries import national_bounds_of, national_view

    counties = gpd.read_parquet(geo_dir / "counties.parquet")
    states = gpd.read_parquet(geo_dir / "states.parquet")
    national_states = national_view(states)
    payload = {
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
    """The prebuilt layers, or None when absent or made from other parquet files."""
    path = geo_dir / WEB_LAYERS_FILE
    if not path.is_file():
        return None
    payload = json.loads(path.read_text())
    current = {name: sha256_of(geo_dir / name) for name in SOURCES}
    return payload if payload.get("source") == current else None
