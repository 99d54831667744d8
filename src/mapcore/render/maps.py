"""Map specs: what the browser's map view (``render/web/mapview.js``) draws, as plain data.

A map is two things. Its **geometry**: encoded county or state polygons in content-addressed files
(see :mod:`mapcore.geo.web_layers`), fetched once by the browser and kept. Its **values**: per place
a colour class and tooltip lines, the law band, the markers, the legends and the view to fit: small,
JSON, and the only part sent again when a filter changes. The map view keeps the user's zoom and pan
while the view (the set of states shown) stays the same, and fits the new area when it changes.

Every text here is plain text (agency and county names come from ICE's sheets): the browser puts it
in the page with ``textContent``, never as HTML, so no name can become markup or script.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from mapcore.analysis.query import agency_names
from mapcore.core import config
from mapcore.core.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_day, format_number, ngettext
from mapcore.core.schema import MODEL_NAMES, model_name
from mapcore.geo.boundaries import INSETS, TERRITORY_POINTS, load_counties, load_states, national_bounds, national_view
from mapcore.geo.web_layers import GeometryFile, load_web_layers, national_layer, state_layer
from mapcore.render.law_layer import law_legend, law_spec
from mapcore.words.names import names_text
from mapcore.words.places import STATE_NAMES, state_label, state_name

COUNT_BINS: tuple[int, ...] = (1, 2, 4, 8, 16)
# ColorBrewer YlGnBu, 5 classes: sequential and colour-blind safe, distinct from the law palette.
COUNT_COLORS: tuple[str, ...] = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
EMPTY_FILL = "#f0f0f0"
# Statewide agencies: a near-black diamond with a white rim, outside both the count and the law palettes.
STATEWIDE_FILL = "#1b1b1b"
PENDING_COLOR = "#d95f02"
ATTRIBUTION = N_("287(g) data: ICE's published sheets · Boundaries: US Census Bureau")  # shown as _(ATTRIBUTION)
DEFAULT_HEIGHT = 560


@dataclass(frozen=True)
class MapSpec:
    """``args`` go to the browser on every rerun (values, not geometry); ``files`` are the geometry
    files ``args`` name, served once and kept by the browser."""

    args: dict
    files: tuple[GeometryFile, ...] = field(default=())

    def to_json(self) -> str:
        return json.dumps(self.args, separators=(",", ":"), ensure_ascii=False)


def count_bin(count: int, scale: int = 1) -> int:
    """Bin index for a count: -1 for none, then 0..4 for 1, 2-3, 4-7, 8-15, 16+ (times ``scale``)."""
    if not count:
        return -1
    return sum(1 for edge in COUNT_BINS if count >= (edge - 1) * scale + 1) - 1


def county_map(
    summary: pd.DataFrame,
    laws: pd.DataFrame | None = None,
    statewide: pd.DataFrame | None = None,
    pending: pd.DataFrame | None = None,
    only_states: tuple[str, ...] = (),
    show_law: bool = False,
    height: int = DEFAULT_HEIGHT,
    empty_note: str | None = None,
) -> MapSpec:
    """Counties shaded by agreement count (from :func:`mapcore.analysis.query.county_summary`), with
    optional layers: the state-law band (when ``show_law``), statewide agencies, pending applications.

    The national view puts Alaska, Hawaii and Puerto Rico in insets; with ``only_states`` the map
    shows those states at their true position, fitted to their whole extent. With nothing to show,
    the map says ``empty_note`` and carries no count legend.
    """
    states = tuple(sorted(set(only_states)))
    shown = _shown_keys("counties", states) if states else None
    values = {
        str(r.county_fips): [count_bin(int(r.agreements)), *_county_lines(r)]
        for r in summary.itertuples()
        if shown is None or str(r.county_fips) in shown
    }
    legends = [count_legend(what=_("287(g) agreements per county"))]
    markers: dict[str, list] = {}
    if statewide is not None and len(statewide):
        markers["statewide"] = statewide_markers(statewide, _points("states", states))
        legends[0]["items"].append(statewide_item())
    if pending is not None and len(pending):
        markers["pending"] = pending_markers(pending, {**_points("counties", states), **_points("states", states)})
        legends[0]["items"].append({"circle": PENDING_COLOR, "label": _("Pending application(s)")})
    empty = None if values or markers else (_("No 287(g) agreement in this view.") if empty_note is None else empty_note)
    if empty:
        legends = []
    return _spec(
        "counties",
        states,
        values,
        COUNT_COLORS,
        legends,
        laws if show_law else None,
        markers,
        name=_("287(g) agreements per county"),
        weight=0.3,
        empty=empty,
        height=height,
    )


def state_map(summary: pd.DataFrame, laws: pd.DataFrame | None = None, show_law: bool = False, height: int = DEFAULT_HEIGHT) -> MapSpec:
    """States shaded by agreement count (from :func:`mapcore.analysis.query.state_summary`), statewide
    agencies included and named in the tooltip."""
    values = {str(r.state): [count_bin(int(r.agreements), scale=10), *_state_lines(r)] for r in summary.itertuples() if int(r.agreements)}
    empty = None if values else _("No 287(g) agreement in this view.")
    legends = [count_legend(scale=10, what=_("287(g) agreements per state"))] if values else []
    markers: dict[str, list] = {}
    points = _territory_points(())
    outlined = {code: line for code, line in values.items() if code not in points}
    territories = [[*points[code], state_label(code), *line[1:]] for code, line in sorted(values.items()) if code in points]
    if territories:  # no outline to shade: drawn as a diamond with the same lines
        markers["statewide"] = territories
        legends[0]["items"].append(
            {"diamond": STATEWIDE_FILL, "label": _("Territory with no outline on this map: hover for its agreements")}
        )
    return _spec(
        "states",
        (),
        outlined,
        COUNT_COLORS,
        legends,
        laws if show_law else None,
        markers,
        name=_("287(g) agreements per state"),
        weight=0.8,
        empty=empty,
        height=height,
    )


def spread_map(steps, only_states: tuple[str, ...] = (), height: int = DEFAULT_HEIGHT) -> MapSpec:
    """The spread over time: counties shaded by agreements on each of ``steps``
    (:func:`mapcore.analysis.spread.spread`), one frame per step, the newest shown first.

    Frames carry values only (``{label, note, values}``): the geometry is the count map's and loads
    once; the browser's slider recolours the drawn counties (``setFrame`` in ``mapview.js``) and the
    picture renderer draws any frame. Tooltip lines are short (count and models, no agency names),
    so a year of monthly national frames stays small."""
    states = tuple(sorted(set(only_states)))
    shown = _shown_keys("counties", states) if states else None
    frames: list[dict] = []
    for step in steps:
        values: dict[str, list] = {}
        for fips, agreements, models in zip(step.counties["county_fips"], step.counties["agreements"], step.counties["models"]):
            if shown is None or str(fips) in shown:
                count = int(agreements)
                values[str(fips)] = [count_bin(count), _agreements_line(count, models)]
        frames.append({"label": format_day(step.date), "note": spread_note(step.agreements, len(values)), "values": values})
    legend = count_legend(what=_("287(g) agreements per county"))
    legend["notes"] = [*legend["notes"], _("Statewide agencies and regional bodies count in the total, not on a county.")]
    empty = None if frames else _("No ICE participating sheet is loaded.")
    spec = _spec(
        "counties",
        states,
        frames[-1]["values"] if frames else {},
        COUNT_COLORS,
        [legend],
        None,
        {},
        name=_("287(g) agreements per county over time"),
        weight=0.3,
        empty=empty,
        height=height,
    )
    spec.args["view"]["key"] += ":spread"
    if frames:
        spec.args["frameTitle"] = _("ICE sheet of")
        spec.args["frames"] = frames
        spec.args["frame"] = len(frames) - 1
    return spec


def spread_note(agreements: int, counties: int) -> str:
    """A frame's running count: '1,770 agreements listed · 702 counties with one'."""
    return (
        ngettext("{n} agreement listed", "{n} agreements listed", agreements).format(n=format_number(agreements))
        + " · "
        + ngettext("{n} county with one", "{n} counties with one", counties).format(n=format_number(counties))
    )


def _agreements_line(count: int, models: object) -> str:
    """'3 agreements: JEM, WSO' for a tooltip, in the reader's language."""
    return ngettext("{n} agreement: {models}", "{n} agreements: {models}", int(count)).format(n=format_number(int(count)), models=models)


def area_map(
    kind: str,
    only_states: tuple[str, ...],
    values: dict[str, list],
    palette: tuple[str, ...] | list[str],
    legends: list[dict],
    name: str,
    weight: float = 0.4,
    height: int = DEFAULT_HEIGHT,
) -> MapSpec:
    """Any map of counties or states coloured by a class per place: ``values`` maps an id (county
    GEOID or state code) to ``[class index, tooltip line, ...]``; used by the compliance map."""
    return _spec(
        kind, tuple(sorted(set(only_states))), values, palette, legends, None, {}, name=name, weight=weight, empty=None, height=height
    )


# Categories (not an order): ColorBrewer Dark2, colour-blind safe, distinct from the count palette.
CATEGORY_COLORS: tuple[str, ...] = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def shaded_map(
    kind: str,
    shading,
    laws: pd.DataFrame | None = None,
    statewide: pd.DataFrame | None = None,
    only_states: tuple[str, ...] = (),
    show_law: bool = False,
    none_text: str = "No value",
    height: int = DEFAULT_HEIGHT,
) -> MapSpec:
    """Counties (``kind="counties"``) or states shaded by a :class:`mapcore.words.context.Shading`: a class
    and plain-text tooltip lines per place, with its legend; the law band and statewide agencies as on the
    count maps."""
    states = tuple(sorted(set(only_states)))
    colors = COUNT_COLORS if shading.sequential else CATEGORY_COLORS
    shown = _shown_keys(kind, states) if states else None
    values = {
        str(key): [int(value[0]), *(str(line) for line in value[1:])]
        for key, value in shading.values.items()
        if shown is None or str(key) in shown
    }
    legend = {
        "title": shading.title,
        "items": [
            {"fill": EMPTY_FILL, "label": none_text},
            *({"fill": color, "label": label} for color, label in zip(colors, shading.classes)),
        ],
        "notes": list(shading.notes),
    }
    markers: dict[str, list] = {}
    if statewide is not None and len(statewide):
        markers["statewide"] = statewide_markers(statewide, _points("states", states))
        legend["items"].append(statewide_item())
    spec = _spec(
        kind,
        states,
        values,
        colors,
        [legend],
        laws if show_law else None,
        markers,
        name=shading.title,
        weight=0.3 if kind == "counties" else 0.8,
        empty=None,
        height=height,
    )
    spec.args["areas"]["none"] = none_text
    return spec


def _spec(
    kind: str,
    states: tuple[str, ...],
    values: dict,
    palette,
    legends: list[dict],
    laws: pd.DataFrame | None,
    markers: dict,
    name: str,
    weight: float,
    empty: str | None,
    height: int,
) -> MapSpec:
    areas = _files(kind, states)
    outlines = _files("states", states)
    args: dict = {
        "v": 1,
        "name": name,
        "areas": {
            "kind": kind,
            "files": [f.name for f in areas],
            "palette": list(palette),
            "empty": EMPTY_FILL,
            "weight": weight,
            "values": values,
            "none": _("No 287(g) agreement"),
            "focus": list(states),
        },
        "outlines": {"files": [f.name for f in outlines]},
        "markers": markers,
        "legends": legends,
        "view": {"key": f"{kind}:{','.join(states) or 'national'}", "bounds": view_bounds(states)},
        "tiles": tiles(),
        "attribution": _(ATTRIBUTION),
        "ui": web_texts(),
        "height": int(height),
    }
    if kind == "states" and current_language() != DEFAULT_LANGUAGE:  # the geometry's labels are English names
        args["areas"]["labels"] = {code: state_name(code) for code in STATE_NAMES}
    if laws is not None:
        args["law"] = law_spec(laws)
        args["legends"] = [*legends, law_legend(laws)]
    if empty:
        args["empty"] = empty
    unique = {f.name: f for f in (*areas, *outlines)}
    return MapSpec(args, tuple(unique.values()))


def _files(kind: str, states: tuple[str, ...]) -> tuple[GeometryFile, ...]:
    """The national files serve every view whose states sit at their true position there (all but
    the inset states): a state filter then fetches nothing new. AK, HI and PR get their own files."""
    if not set(states) & set(INSETS):
        return (national_layer(kind),)
    return tuple(state_layer(kind, s) for s in states)


def encode_state_layers() -> None:
    """Encode every state's layers at its true position (what a view of states holding an inset state, AK, HI or
    PR, draws: :func:`_files`), the inset states first, ahead of the views that need them; each is kept
    (``state_layer``'s cache: about half a second of work and half a megabyte once per process)."""
    states = [*INSETS, *sorted((set(load_states()["state"].astype(str)) | set(TERRITORY_POINTS)) - set(INSETS))]
    for kind in ("counties", "states"):
        for state in states:
            state_layer(kind, state)


def offline(spec: MapSpec) -> dict:
    """The spec's arguments for an app that knows it is offline (its source fell back to the bundled data):
    no background tiles, nor their attribution, and the map says why (``render/web/mapview.js``)."""
    return {**spec.args, "tiles": None, "offline": True}


def tiles() -> dict | None:
    """The background tiles (``MAPCORE_TILES``: a URL template, or ``off``); None when off."""
    url = config.map_tiles()
    if not url:
        return None
    attribution = (
        _("© OpenStreetMap contributors") if "openstreetmap" in url else _("Background tiles: {host}").format(host=url.split("/")[2])
    )
    return {"url": url, "attribution": attribution, "opacity": 0.45}


def statewide_item() -> dict:
    """The legend row of statewide agencies, with its words for a mouse (hover) and for a touch screen (tap)."""
    return {
        "diamond": STATEWIDE_FILL,
        "label": _("Statewide agency (state level): hover for names"),
        "touch": _("Statewide agency (state level): tap for names"),
    }


def web_texts() -> dict[str, str]:
    """The map view's own words (``render/web/mapview.js`` holds none), in the reader's language."""
    return {
        "lang": current_language(),
        "play": _("Play"),
        "pause": _("Pause"),
        "law_title": _("{state}: state law"),
        "source": _("Source"),
        "tiles_off": _("Background map tiles are off: counties and states are drawn on a plain background."),
        "tiles_failed": _("Background map tiles could not be loaded: the map is drawn without them."),
        "tiles_offline": _("Offline (the data source could not be reached): the map is drawn without background tiles."),
        "failed": _("The map could not be drawn:"),
        "outside": _("Outside the states chosen"),
        "state_law": _("State law:"),
        "slider": _("Publication shown on the map"),
    }


@functools.lru_cache(maxsize=128)
def view_bounds(only_states: tuple[str, ...]) -> list[list[float]]:
    """[[south, west], [north, east]] of the chosen states' whole extent (true position), or of the
    national view with its insets. The browser fits this with a margin."""
    (south, west), (north, east) = _view_bounds(tuple(only_states))
    return [[south, west], [north, east]]


@functools.lru_cache(maxsize=1024)
def _view_bounds(only_states: tuple[str, ...]) -> tuple[tuple[float, float], tuple[float, float]]:
    """:func:`view_bounds` as numbers kept per choice of states (geometry facts, a few bytes each)."""
    (south, west), (north, east) = _compute_view_bounds(only_states)
    return (south, west), (north, east)


def _compute_view_bounds(only_states: tuple[str, ...]) -> list[list[float]]:
    national = not set(only_states) & set(INSETS)
    boxes = [box for state, box in _state_boxes(national).items() if state in set(only_states)] if only_states else []
    markers = list(_territory_points(only_states).values())  # territories drawn as markers (no outline)
    if not boxes:
        if only_states and markers:  # territories with no outline only: fit their markers
            west, south, east, north = _around(markers, 2.0)
            return [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]
        prebuilt = load_web_layers()
        (south, west), (north, east) = prebuilt["bounds"] if prebuilt else national_bounds()
    else:
        # the chosen states' frame's total bounds: the extremes of its states' own bounds
        west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
        east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
        if "AK" in only_states and west < -179:  # the Aleutians cross the dateline: fit the mainland
            west = -170.0
    if markers:  # the territories drawn as markers, inside the view too
        m_west, m_south, m_east, m_north = _around(markers, 0.5)
        west, south, east, north = min(west, m_west), min(south, m_south), max(east, m_east), max(north, m_north)
    return [[round(south, 3), round(west, 3)], [round(north, 3), round(east, 3)]]


def _around(points: list[tuple[float, float]], pad: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of (lat, lon) points, padded by ``pad`` degrees."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad


def _territory_points(only_states: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each territory the boundary layer has no outline for (:data:`TERRITORY_POINTS`), where
    this view draws it: every one in the national view, only those chosen in a view of some states."""
    out = {}
    for code, point in TERRITORY_POINTS.items():
        if only_states and code not in only_states:
            continue
        lon, lat = point.position(only_states)
        out[code] = (round(lat, 4), round(lon, 4))
    return out


@functools.lru_cache(maxsize=64)
def _frame(kind: str, only_states: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Counties or states as the map draws them: the chosen states (at their true position, as in the
    national view unless they are inset states), else the whole national inset view."""
    if only_states and not set(only_states) & set(INSETS):
        national = _frame(kind, ())
        return national[national["state"].isin(only_states)].reset_index(drop=True)
    layer = load_counties() if kind == "counties" else load_states()
    if only_states:
        return layer[layer["state"].isin(only_states)].reset_index(drop=True)
    return national_view(layer)


@functools.lru_cache(maxsize=4)
def _key_states(kind: str, national: bool) -> dict[str, str]:
    """Each county (GEOID) or state (code) of the national view (or of the whole layer) with its state."""
    layer = load_counties() if kind == "counties" else load_states()
    frame = national_view(layer) if national else layer
    return dict(zip(frame["GEOID" if kind == "counties" else "state"].astype(str), frame["state"].astype(str)))


@functools.lru_cache(maxsize=2)
def _state_boxes(national: bool) -> dict[str, tuple[float, float, float, float]]:
    """Each state's (west, south, east, north) as :func:`_frame` draws it: in the national view, or (for
    views holding an inset state) at true position."""
    layer = load_states()
    frame = national_view(layer) if national else layer
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for state, box in zip(frame["state"].astype(str), frame.geometry.bounds.itertuples(index=False)):
        old = boxes.get(state)
        box = tuple(float(v) for v in box)
        boxes[state] = box if old is None else (min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3]))
    return boxes


def _shown_keys(kind: str, only_states: tuple[str, ...]) -> set[str]:
    """The places :func:`_frame` draws for these states (their ids), without building the frame."""
    national = not set(only_states) & set(INSETS)
    by_state = _keys_by_state(kind, national)
    return set().union(*(by_state.get(state, ()) for state in set(only_states)))


@functools.lru_cache(maxsize=4)
def _keys_by_state(kind: str, national: bool) -> dict[str, frozenset[str]]:
    """:func:`_key_states` turned round: each state's counties (GEOIDs) or its own code."""
    out: dict[str, set[str]] = {}
    for key, state in _key_states(kind, national).items():
        out.setdefault(state, set()).add(key)
    return {state: frozenset(keys) for state, keys in out.items()}


def _points(kind: str, only_states: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """A point inside each county or state as the map draws it (see :func:`_layer_points`); for chosen
    states, the points of the whole layer at their true position, kept to those states."""
    if not only_states:
        return _layer_points(kind, ())
    chosen = set(only_states)
    states = _key_states(kind, False)
    points = {key: point for key, point in _layer_points(kind, ("*",)).items() if states.get(key) in chosen}
    return points if kind == "counties" else {**_territory_points(only_states), **points}


@functools.lru_cache(maxsize=4)
def _layer_points(kind: str, only_states: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """A point inside each county (by GEOID) or state (by code) as the map draws it: (lat, lon). The
    national view moves only the points of the inset states (the same move as their shapes), so no
    shape is moved for this."""
    layer = load_counties() if kind == "counties" else load_states()  # ("*",): every place at its true position
    key = layer["GEOID"] if kind == "counties" else layer["state"]
    points = layer.geometry.representative_point()
    xy = np.column_stack([points.x.to_numpy(), points.y.to_numpy()])
    if not only_states:
        for state, inset in INSETS.items():
            rows = (layer["state"] == state).to_numpy()
            if rows.any():
                xy[rows] = inset.apply(xy[rows])
    points = {str(k): (round(float(y), 4), round(float(x), 4)) for k, (x, y) in zip(key, xy)}
    return points if kind == "counties" or only_states else {**_territory_points(()), **points}


def _county_lines(row) -> list[str]:
    lines = [_agreements_line(row.agreements, row.models), names_text(row.agencies)] if row.agreements else [_("No local 287(g) agreement")]
    return lines + _regional_lines(row)


def _regional_lines(row) -> list[str]:
    """The regional bodies serving a place (judicial circuits, regional jails), named apart from its count."""
    names = getattr(row, "regional_agencies", "")
    if not isinstance(names, str) or not names:
        return []
    return [
        (_("Regional bodies serving it: {names}") if "; " in names else _("Regional body serving it: {names}")).format(
            names=names_text(names)
        )
    ]


def _state_lines(row) -> list[str]:
    lines = [_agreements_line(row.agreements, row.models)]
    statewide = getattr(row, "statewide_agencies", "")
    if isinstance(statewide, str) and statewide:
        lines.append(_("Statewide agencies: {names}").format(names=names_text(statewide)))
    return lines + _regional_lines(row)


def statewide_markers(statewide: pd.DataFrame, points: dict[str, tuple[float, float]]) -> list[list]:
    """One diamond per state holding state-agency agreements, at a point inside the state (``points``
    by state code): ``[lat, lon, title, line, ...]``, one line per agency. An ``agency_shown`` column
    (:func:`mapcore.analysis.query.agency_names` of the rows, kept by the caller) saves working the names out again."""
    names = statewide["agency_shown"] if "agency_shown" in statewide else agency_names(statewide)  # one name per agency
    slim = statewide[["state", "agency", "model"]].astype("object").assign(agency=names.to_numpy())
    by_state: dict = {}  # each state's rows in their order, the states sorted (as a groupby by state gives them)
    for state, agency, model in zip(slim["state"], slim["agency"], slim["model"]):
        if not pd.isna(state):  # (a row with no state is in no group)
            by_state.setdefault(state, []).append(f"{agency} ({model})")
    out = []
    for state in sorted(by_state):
        point = points.get(str(state))
        if point is None:
            continue
        out.append([*point, _("{state}: statewide agencies").format(state=state), *by_state[state]])
    return out


def pending_markers(pending: pd.DataFrame, points: dict[str, tuple[float, float]]) -> list[list]:
    """Pending applications as hollow circles on their county (statewide ones on their state), at
    ``points`` by county GEOID or state code: ``[lat, lon, title, line, ...]``."""
    slim = pending[["state", "agency", "model", "county_fips"]].astype("object").assign(agency=agency_names(pending))
    where = slim["county_fips"].where(slim["county_fips"].notna(), slim["state"])
    out = []
    for key, rows in slim.groupby(where.astype(str), sort=True):
        point = points.get(key)
        if point is None:
            continue
        title = _("Pending applications") if len(rows) > 1 else _("Pending application")
        out.append([*point, title, *(f"{agency} ({model})" for agency, model in zip(rows["agency"], rows["model"]))])
    return out


def count_legend(scale: int = 1, what: str | None = None) -> dict:
    """Legend section for the count classes (and the model codes); ``what``: its title (translated)."""
    edges: list[int | None] = [*COUNT_BINS, None]
    items: list[dict] = [{"fill": EMPTY_FILL, "label": _("none")}]
    for color, low, high in zip(COUNT_COLORS, COUNT_BINS, edges[1:]):
        lo = (low - 1) * scale + 1
        hi = (high - 1) * scale if high else None
        items.append({"fill": color, "label": f"{lo}+" if hi is None else (f"{lo}" if lo == hi else f"{lo}–{hi}")})
    notes = [f"{code}: {model_name(code)}" for code in MODEL_NAMES]
    return {"title": _("287(g) agreements per county") if what is None else what, "items": items, "notes": notes}
