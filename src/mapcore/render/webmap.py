"""The browser side of the maps: the folder a page's map is served from, and a self-contained export.

The map view (``web/mapview.js``, with Leaflet vendored in ``web/vendor/``, BSD-2-Clause) ships inside
the package, so a map needs no CDN. :func:`build_site` lays out one folder that a web server serves
as is (the Streamlit component in :mod:`mapcore.app.ui` does):

- ``index.html``, which loads the assets by content-hashed names (a new version is a new name);
- ``geo/<stem>-<hash>.json``: the geometry files that specs name, written on first use by
  :func:`publish` and never changed afterwards (the browser keeps them: see ``mapview.js``).

:func:`standalone_html` inlines everything (Leaflet, the view, the spec, its geometry) into one HTML
file that opens offline: an embeddable export, and what the render tests open in a browser.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from mapcore.core.atomic import write_text_atomically
from mapcore.core.i18n import _, current_language
from mapcore.core.text import escape
from mapcore.render.caption import PROJECT_NAME, Caption
from mapcore.render.maps import MapSpec

WEB_DIR = Path(__file__).resolve().parent / "web"
LEAFLET_DIR = WEB_DIR / "vendor" / "leaflet-1.9.4"
# name in the site -> packaged file
ASSETS = {
    "leaflet_js": ("leaflet-1.9.4", ".js", LEAFLET_DIR / "leaflet.js"),
    "leaflet_css": ("leaflet-1.9.4", ".css", LEAFLET_DIR / "leaflet.css"),
    "mapview_js": ("mapview", ".js", WEB_DIR / "mapview.js"),
    "mapview_css": ("mapview", ".css", WEB_DIR / "mapview.css"),
}
GEO_SUBDIR = "geo"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


@functools.cache
def asset_names() -> dict[str, str]:
    """Each asset's content-hashed file name in the site."""
    return {key: f"{stem}.{_digest(path.read_bytes())}{ext}" for key, (stem, ext, path) in ASSETS.items()}


def site_version() -> str:
    """One hash over every asset and the page template: the site folder's name."""
    joined = "".join(sorted(asset_names().values())) + _digest((WEB_DIR / "component.html").read_bytes())
    return _digest(joined.encode())


def build_site(root: Path) -> Path:
    """The folder ``root/mapview-<version>/`` with index.html, the assets and an empty ``geo/``;
    written once (atomically), then reused. Returns the folder."""
    site = Path(root) / f"mapview-{site_version()}"
    (site / GEO_SUBDIR).mkdir(parents=True, exist_ok=True)
    names = asset_names()
    for key, (_stem, _ext, path) in ASSETS.items():
        target = site / names[key]
        if not target.is_file():
            write_text_atomically(target, path.read_text(encoding="utf-8"))
    index = (WEB_DIR / "component.html").read_text(encoding="utf-8").format(**names)
    if not (site / "index.html").is_file() or (site / "index.html").read_text(encoding="utf-8") != index:
        write_text_atomically(site / "index.html", index)
    return site


def publish(spec: MapSpec, site: Path) -> list[str]:
    """Write the geometry files ``spec`` names into the site (those not there yet); returns the names
    written. A file's name is its content's hash, so an existing file is never rewritten."""
    written = []
    for geometry in spec.files:
        target = site / GEO_SUBDIR / geometry.name
        if not target.is_file():
            write_text_atomically(target, geometry.text)
            written.append(geometry.name)
    return written


def _script_json(text: str) -> str:
    """JSON text safe inside a <script> element: '<' (and so '</script>' or '<!--') cannot appear."""
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def embed_html(spec: MapSpec, caption: Caption | None = None, tiles: bool = False) -> str:
    """The map as one file to put in an iframe: :func:`standalone_html` without background tiles (unless
    ``tiles``), so it makes no request at all, on or off line."""
    args = dict(spec.args)
    if not tiles:
        args["tiles"] = None
        args["embed"] = True
    return standalone_html(MapSpec(args, spec.files), caption=caption)


def standalone_html(spec: MapSpec, title: str | None = None, caption: Caption | None = None) -> str:
    """One HTML file holding the map: Leaflet, the map view, the spec and its geometry, inline. Opens
    with no server and no network (background tiles, when on, are the only outside request), so a
    newsroom can put it in an iframe. With ``caption``, the page shows its title, filters and source
    line (the same words as the map's pictures)."""
    geometry = "{" + ",".join(f"{json.dumps(f.name)}:{f.text}" for f in spec.files) + "}"
    leaflet_css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    view_css = (WEB_DIR / "mapview.css").read_text(encoding="utf-8")
    leaflet_js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    view_js = (WEB_DIR / "mapview.js").read_text(encoding="utf-8")
    header = footer = ""
    title = _(PROJECT_NAME) if title is None else title
    if caption is not None:
        title = caption.title
        header = f'<header class="mc-caption"><h1>{escape(caption.title)}</h1><p>{escape(caption.filter_line())}</p></header>\n'
        footer = f'<p class="mc-source">{escape(caption.source_line())}</p>\n'
    return (
        f'<!doctype html>\n<html lang="{current_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>\n<style>{leaflet_css}\n{view_css}\n{CAPTION_CSS}</style>\n"
        f"<script>{leaflet_js}</script>\n<script>{view_js}</script>\n</head><body>\n"
        f'{header}<div id="mapcore-root"></div>\n{footer}'
        f'<script type="application/json" id="mapcore-geometry">{_script_json(geometry)}</script>\n'
        f'<script type="application/json" id="mapcore-spec">{_script_json(spec.to_json())}</script>\n'
        '<script>MapcoreView.standalone(document.getElementById("mapcore-root"));</script>\n'
        "</body></html>\n"
    )


CAPTION_CSS = (
    '.mc-caption{font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#262730;margin:4px 2px 8px}'
    ".mc-caption h1{font-size:19px;margin:0 0 2px}.mc-caption p{margin:0;color:#555}"
    '.mc-source{font:12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#555;margin:6px 2px}'
)
