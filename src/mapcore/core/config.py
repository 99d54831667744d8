"""The few settings the app reads from the environment, read in one place.

``MAPCORE_SOURCE``  a folder of ICE sheets (searched recursively) or ICE's 287(g) page URL.
``MAPCORE_CACHE``   where built datasets and fetched sheets are kept.
``MAPCORE_TILES``   background map tiles: a URL template with {z}/{x}/{y}, or ``off`` (default:
                    OpenStreetMap's tiles; the maps draw without them too).
"""

from __future__ import annotations

import os
from pathlib import Path

ICE_PAGE_URL = "https://www.ice.gov/identify-and-arrest/287g"

PROJECT_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = PROJECT_ROOT / "data"
GEO_DIR = PROJECT_ROOT / "geo"
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def source() -> str:
    """Where ICE sheets come from: a folder path or an http(s) URL (default: ICE's page)."""
    return os.environ.get("MAPCORE_SOURCE", "").strip() or ICE_PAGE_URL


def cache_dir() -> Path:
    """Folder for the built dataset and fetched sheets (created on demand)."""
    raw = os.environ.get("MAPCORE_CACHE", "").strip()
    path = Path(raw).expanduser() if raw else PROJECT_ROOT / ".cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def map_tiles() -> str | None:
    """The background tile URL template, or None when tiles are off (``MAPCORE_TILES=off``, or a
    value that is not an http(s) template with {z}, {x} and {y})."""
    raw = os.environ.get("MAPCORE_TILES", "").strip()
    if not raw:
        return DEFAULT_TILES
    if raw.lower() in {"off", "none", "0", "false", "no"}:
        return None
    if is_url(raw) and all(part in raw for part in ("{z}", "{x}", "{y}")):
        return raw
    return None
