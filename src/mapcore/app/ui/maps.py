"""Maps on a page: the map view component, the notes under it, and its "Download this map" menu.

The map is one Streamlit component per key (the browser keeps its map and zoom across reruns); the
pictures, the HTML to embed and the animations are made when clicked, once per process and language.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from mapcore.analysis.query import Filters
from mapcore.app import page_parts
from mapcore.app.data import AppData
from mapcore.core import config, i18n
from mapcore.core.i18n import _
from mapcore.render import maps, webmap
from mapcore.render.caption import Caption, caption_for
from mapcore.render.maps import MapSpec

OFFLINE = "_mapcore_offline"  # session key: the data source fell back to the bundled data (app_data sets it)


@st.cache_resource(show_spinner=False)
def _map_component() -> tuple[Any, Any]:
    """The map view as a Streamlit component, served from its site folder in the cache (see
    :mod:`mapcore.render.webmap`): declared once per process."""
    site = webmap.build_site(config.cache_dir() / "web")
    # once per process, in the background: not on the first filter change that picks Alaska and another state
    threading.Thread(target=maps.encode_state_layers, name="mapcore-state-layers", daemon=True).start()
    return components.declare_component("mapview", path=str(site)), site


def show_map(
    spec: MapSpec,
    key: str,
    height: int | None = None,
    rows: pd.DataFrame | None = None,
    noun: str = "agreement",
    *,
    sheet_date: Any = None,
    filters: Filters | None = None,
    kind: str = "participating",
    law: bool = False,
    caption: Caption | None = None,
    data: AppData | None = None,
    rows_key: object = None,
) -> None:
    """A map, under it a "Download this map" button (PNG, SVG, HTML to embed; GIF and MP4 for a map with
    frames), and the sentences (with the names) on statewide agencies and regional bodies among ``rows``
    (``noun``: "pending application" for pending rows).

    The map is one component per ``key``: keep the key the same across reruns and the browser keeps
    its map (and the user's zoom) and receives only the new values; geometry files are written to the
    site folder once and fetched once by the browser. The downloads are drawn from the same spec, with
    ``caption`` (default: the spec's name, ``filters`` in words, the sheet of ``sheet_date``, the law
    named when the map draws it, the filters use it or ``law`` says the map rests on it); they are made
    when clicked, never on a rerun. With ``data`` and ``rows_key`` (``rows`` is ``data.publication(rows_key)``),
    the notes' facts are computed once per dataset."""
    component, site = _map_component()
    webmap.publish(spec, site)
    args = maps.offline(spec) if st.session_state.get(OFFLINE) else spec.args  # no tile server asked offline
    args = args if height is None else {**args, "height": int(height)}
    component(spec=args, key=key, default=None, height=int(args["height"]) + 4)
    if caption is None:
        caption = caption_for(
            str(spec.args.get("name", "287(g) agreements")), filters, sheet_date, kind, law_shown=law or "law" in spec.args
        )
    map_downloads(spec, caption, key)
    if rows is not None:
        facts: tuple = (None, None)
        if data is not None and rows_key is not None:
            facts = data.remember(("map_notes", rows_key), lambda: (page_parts.statewide_facts(rows), page_parts.regional_facts(rows)))
        for note, names in (page_parts.statewide_note(rows, noun, facts[0]), page_parts.regional_note(rows, noun, facts[1])):
            if note:
                with st.expander(note):
                    st.text("; ".join(names))


def map_downloads(spec: MapSpec, caption: Caption, key: str) -> None:
    """The "Download this map" button: a small menu of files, each made by a callable when clicked (the
    pictures take about a second, a clip a few), kept for repeated clicks."""
    from mapcore.render import animation  # light: matplotlib is imported only when a file is made

    stem = caption.file_stem(str(spec.args.get("name", "")))
    signature = _Signature(spec, caption)
    frames = bool(spec.args.get("frames"))
    png, svg = (
        (_("Picture of the newest sheet (PNG, 2400 px wide)"), _("Picture of the newest sheet (SVG, for print and editing)"))
        if frames
        else (_("Picture (PNG, 2400 px wide)"), _("Picture (SVG, for print and editing)"))
    )
    with st.popover(_("Download this map"), icon=":material/download:"):
        files: list[tuple[str, str, str, Callable[[], bytes]]] = [
            (png, "png", "image/png", lambda: _picture(spec, caption, "png")),
            (svg, "svg", "image/svg+xml", lambda: _picture(spec, caption, "svg")),
            (_("Map to embed (one HTML file)"), "html", "text/html", lambda: webmap.embed_html(spec, caption).encode("utf-8")),
        ]
        cost = animation.budget(len(spec.args.get("frames") or []))
        if frames and cost.fits:
            files.append((_("Animation (GIF)"), "gif", animation.MIME["gif"], lambda: animation.animate(spec, caption, "gif")))
            if animation.video_available():
                files.append((_("Animation (MP4 video)"), "mp4", animation.MIME["mp4"], lambda: animation.animate(spec, caption, "mp4")))
        for label, ext, mime, make in files:
            st.download_button(
                label, _made(signature, ext, make), f"{stem}.{ext}", mime, key=f"{key}-{ext}", on_click="ignore", width="stretch"
            )
        if frames and not cost.fits:  # the pixel budget (frames x width x width), said instead of a button that would fail
            st.caption(
                _("No animation to download: its {frames} frames are more than one file may hold ({most} at most).").format(
                    frames=i18n.format_number(cost.frames), most=i18n.format_number(animation.MAX_PIXELS // animation.WIDTH_PX**2)
                )
            )
        st.caption(_("The whole view, with its title, legend and source line.") + " " + caption.source_line().rstrip(".") + ".")


def _picture(spec: MapSpec, caption: Caption, fmt: str) -> bytes:
    from mapcore.render.picture import render_map

    return render_map(spec, caption, fmt)


class _Signature:
    """What a download is made from; its digest (computed on click only) keys the made files."""

    def __init__(self, spec: MapSpec, caption: Caption):
        self.spec, self.caption = spec, caption
        self.lang = i18n.current_language()  # the file speaks the language of the page it was asked from

    def digest(self, fmt: str) -> str:
        import hashlib

        text = "|".join([fmt, self.lang, self.spec.to_json(), *(f.name for f in self.spec.files), repr(self.caption)])
        return hashlib.sha256(text.encode()).hexdigest()


_MADE: OrderedDict[str, bytes] = OrderedDict()
_MADE_LOCK = threading.Lock()
_MADE_LIMIT = 12


def _made(signature: _Signature, fmt: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download callable that makes its file once per process (the last few kept): a second click,
    by this user or another, on the same map gets the same bytes at once."""

    def download() -> bytes:
        digest = signature.digest(fmt)
        with _MADE_LOCK:
            if digest in _MADE:
                _MADE.move_to_end(digest)
                return _MADE[digest]
        with i18n.using_language(signature.lang):  # a download runs outside the page's script thread
            data = make()
        with _MADE_LOCK:
            _MADE[digest] = data
            while len(_MADE) > _MADE_LIMIT:
                _MADE.popitem(last=False)
        return data

    return download
