"""The few settings the app reads from the environment, and where its bundled files are, in one place.

``MAPCORE_SOURCE``  a folder of ICE sheets (searched recursively), ICE's 287(g) page URL, or a snapshot
                    folder (one written by ``mapcore snapshot``). Unset: ICE's page, then the sheets
                    fetched before, then the bundled snapshot (:mod:`mapcore.sheets.sources`).
``MAPCORE_CACHE``   where built datasets and fetched sheets are kept.
``MAPCORE_PUBLISHED`` where the refresher publishes the dataset servers show (default: ``MAPCORE_CACHE``); a
                    replica reading a shared, read-only volume sets it (docs/deploy.md).
``MAPCORE_TILES``   background map tiles: a URL template with {z}/{x}/{y}, or ``off`` (default:
                    OpenStreetMap's tiles; the maps draw without them too).
``MAPCORE_TODAY``   the day to take as today (YYYY-MM-DD), for tests and for reading the app as of a day:
                    the data's age, deadlines that have passed and ``mapcore laws`` use :func:`today`.
``MAPCORE_CORRECTIONS``  where readers report an error: an http(s) URL (a form, an issue tracker) or an
                    e-mail address, shown in every page's footer (unset: the footer says how to report one).

The bundled files (``data/``: our tables and the snapshot of ICE's sheets; ``geo/``: boundaries) sit at
the top of a source checkout; an installed package carries copies of both inside it, under
``mapcore/_bundled/`` (the wheel's build copies them there: see ``setup.py``). :data:`DATA_DIR` and
:data:`GEO_DIR` name whichever is present, so no other module knows where they are.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from importlib.resources import files
from pathlib import Path

ICE_PAGE_URL = "https://www.ice.gov/identify-and-arrest/287g"

PROJECT_ROOT = Path(__file__).resolve().parents[3]
BUNDLED_DIR = Path(str(files("mapcore"))) / "_bundled"  # an installed package's copies of data/ and geo/


def _bundled(name: str) -> Path:
    """The top-level folder of a source checkout, else the installed package's copy."""
    installed = BUNDLED_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


DATA_DIR = _bundled("data")
GEO_DIR = _bundled("geo")
SNAPSHOT_DIR = DATA_DIR / "ice_snapshot"  # the bundled snapshot of ICE's sheets (mapcore snapshot -o ...)
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def source() -> str:
    """Where ICE sheets come from: a folder path or an http(s) URL (default: ICE's page)."""
    return os.environ.get("MAPCORE_SOURCE", "").strip() or ICE_PAGE_URL


def cache_dir() -> Path:
    """Folder for the built dataset and fetched sheets (created on demand): ``.cache/`` in a source
    checkout, else ``mapcore`` in the user's cache folder (an installed package's own folder may not
    be writable)."""
    raw = os.environ.get("MAPCORE_CACHE", "").strip()
    path = Path(raw).expanduser() if raw else _default_cache()
    path.mkdir(parents=True, exist_ok=True)
    return path


def published_dir() -> Path:
    """Where the refresher publishes (:mod:`mapcore.build.refresh`): ``MAPCORE_PUBLISHED``, else the cache.
    Read only by servers; it may be a read-only volume."""
    raw = os.environ.get("MAPCORE_PUBLISHED", "").strip()
    return Path(raw).expanduser() if raw else cache_dir()


def today() -> dt.date:
    """Today's date, or the day ``MAPCORE_TODAY`` names (YYYY-MM-DD): the one clock for the data's age,
    deadlines that have passed and the law read "today", so tests and readers can pin it."""
    raw = os.environ.get("MAPCORE_TODAY", "").strip()
    if not raw:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"MAPCORE_TODAY={raw!r} is not a date (YYYY-MM-DD)") from None


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def site_url() -> str | None:
    """Where the static edition (``mapcore site``) is published (``MAPCORE_SITE_URL``, an http(s) address), so
    the app links each state and agency to its permanent page and shows the state's feed; None when unset
    or not an http(s) address."""
    raw = os.environ.get("MAPCORE_SITE_URL", "").strip()
    return raw.rstrip("/") if raw and is_url(raw) and not any(ch in raw for ch in " <>\"'") else None


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


_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


def corrections() -> str | None:
    """Where readers report an error (``MAPCORE_CORRECTIONS``): an http(s) URL or an e-mail address; None when
    unset or anything else (the value reaches every page, so nothing but those two shapes is kept)."""
    from mapcore.core.text import safe_url

    raw = os.environ.get("MAPCORE_CORRECTIONS", "").strip()
    if not raw:
        return None
    if _EMAIL.match(raw):
        return raw
    return safe_url(raw) if is_url(raw) and " " not in raw else None


def _default_cache() -> Path:
    if (PROJECT_ROOT / "pyproject.toml").is_file() and not BUNDLED_DIR.is_dir():
        return PROJECT_ROOT / ".cache"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "mapcore"
