"""The edition's maps: each one self-contained HTML file (:func:`mapcore.render.webmap.standalone_html`:
Leaflet, the map view, the spec and its geometry inline), which a page shows in an iframe and any other
site can host as it is. No background tiles unless the edition was given a tile URL, so a map makes no
request at all.

A state's map carries only that state's geometry (the app's maps share the national file, which the
browser keeps; a file on its own has nothing to share, so it takes the smaller one).
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import query
from mapcore.core.i18n import _
from mapcore.core.schema import LEVEL_STATEWIDE
from mapcore.geo.boundaries import INSETS
from mapcore.geo.web_layers import state_layer
from mapcore.render import maps
from mapcore.render.caption import Caption
from mapcore.render.site.facts import Sheet
from mapcore.render.webmap import standalone_html
from mapcore.words.places import state_name

NATIONAL_HEIGHT, STATE_HEIGHT = 560, 480  # the map's own height; the pages' iframes add its caption and source line


def tiles_for(url: str | None) -> dict | None:
    """The spec's background tiles for ``--tiles URL`` (None: off, the map draws on a plain background)."""
    if not url:
        return None
    host = url.split("/")[2] if "://" in url else url
    return {"url": url, "attribution": _("Background tiles: {host}").format(host=host), "opacity": 0.45}


def county_map_html(rows: pd.DataFrame, laws_on_day: pd.DataFrame, sheet: Sheet, state: str | None, tiles_url: str | None) -> str:
    """The county map of a sheet's agreements (the nation, or one state), with the state-law band of the
    law in force on the sheet's date and a caption naming the sheet."""
    only = (state,) if state else ()
    statewide = rows[rows["level"].astype(object) == LEVEL_STATEWIDE]
    empty = _("No 287(g) agreement in {state} in ICE's newest sheet.").format(state=state_name(state)) if state else None
    spec = maps.county_map(
        query.county_summary(rows),
        laws=laws_on_day,
        statewide=statewide,
        only_states=only,
        show_law=True,
        empty_note=empty,
        height=STATE_HEIGHT if state else NATIONAL_HEIGHT,
    )
    args = dict(spec.args)
    files = spec.files
    if state and state not in INSETS:  # the state's own geometry instead of the national file
        own = (state_layer("counties", state), state_layer("states", state))
        args["areas"] = {**args["areas"], "files": [own[0].name]}
        args["outlines"] = {**args["outlines"], "files": [own[1].name]}
        files = own
    args["tiles"] = tiles_for(tiles_url)
    args["embed"] = True  # no "tiles are off" note: the edition says so once, in its footer
    title = _("287(g) agreements per county in {state}").format(state=state_name(state)) if state else _("287(g) agreements per county")
    caption = Caption(title, (), sheet.date.isoformat(), law=True)
    return standalone_html(maps.MapSpec(args, files), caption=caption)
