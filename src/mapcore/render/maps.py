"""Folium maps: county and state choropleths, statewide agencies, pending applications, law overlay.

Geometry is encoded once per layer (see :mod:`mapcore.geo.codec`) and cached, so a filter
change only builds a small table of values per place: that keeps the page fast and the payload
small. Every text that reaches the browser is escaped here (agency and county names come from ICE's
sheets); tooltips are bound as pre-escaped HTML.
"""

from __future__ import annotations

import functools
import json

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template
from folium.map import Layer

from mapcore.core.schema import MODEL_NAMES
from mapcore.core.text import escape
from mapcore.geo.boundaries import load_counties, load_states, national_bounds, national_view
from mapcore.geo.codec import DECODER_JS
from mapcore.geo.web_layers import encode_for_map, load_web_layers
from mapcore.render.law_layer import LAYER_NAME as LAW_LAYER_NAME
from mapcore.render.law_layer import law_features, law_layer_from_features, law_legend_html

COUNT_BINS: tuple[int, ...] = (1, 2, 4, 8, 16)
# ColorBrewer YlGnBu, 5 classes: sequential and colour-blind safe, distinct from the law palette.
COUNT_COLORS: tuple[str, ...] = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
EMPTY_FILL = "#f0f0f0"
NATIONAL_EAST_PAD = 16  # degrees of open Atlantic on the right of the national view: room for the legends
ATTRIBUTION = "ICE 287(g) sheets · US Census cartographic boundaries · © OpenStreetMap contributors"


def count_bin(count: int, scale: int = 1) -> int:
    """Bin index for a count: -1 for none, then 0..4 for 1, 2-3, 4-7, 8-15, 16+ (times ``scale``)."""
    if not count:
        return -1
    return sum(1 for edge in COUNT_BINS if count >= (edge - 1) * scale + 1) - 1


def base_map(bounds) -> folium.Map:
    """A map fitted to bounds, with a faint street basemap under the choropleth."""
    m = folium.Map(tiles=None, zoom_start=4, location=(38, -96), control_scale=True, zoom_snap=0.25)
    folium.TileLayer("OpenStreetMap", name="Street map", attr=ATTRIBUTION, opacity=0.45, control=False).add_to(m)
    m.fit_bounds(bounds)
    return m


def county_map(
    summary: pd.DataFrame,
    laws: pd.DataFrame | None = None,
    statewide: pd.DataFrame | None = None,
    pending: pd.DataFrame | None = None,
    only_states: tuple[str, ...] = (),
    show_law: bool = False,
) -> folium.Map:
    """Counties shaded by agreement count (from :func:`mapcore.analysis.query.county_summary`), with optional
    layers: state law, statewide agencies, pending applications, all switchable.

    The national view puts Alaska, Hawaii and Puerto Rico in insets; with ``only_states`` the map
    shows those states at their true position, fitted to them.
    """
    geometry, bounds = _encoded("counties", tuple(sorted(only_states)))
    values = {str(r.county_fips): [count_bin(r.agreements), _county_tip(r)] for r in summary.itertuples()}
    m = base_map(bounds)
    ValuesLayer(geometry, values, name="287(g) agreements per county", weight=0.3).add_to(m)
    state_geo, _ = _encoded("states", tuple(sorted(only_states)))
    OutlineLayer(state_geo).add_to(m)
    states_frame = _states_frame(only_states)
    if laws is not None:
        add_law_overlay(m, laws, only_states, show_law)
        add_legend(m, law_legend_html(laws, floating=False), position="bottomright", hidden_unless=LAW_LAYER_NAME, initially_shown=show_law)
    if statewide is not None and len(statewide):
        statewide_layer(statewide, states_frame).add_to(m)
    if pending is not None and len(pending):
        pending_layer(pending, _counties_frame(only_states), states_frame).add_to(m)
    add_legend(m, count_legend_html(), position="topright")
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def state_map(summary: pd.DataFrame, laws: pd.DataFrame | None = None, show_law: bool = False) -> folium.Map:
    """States shaded by agreement count (from :func:`mapcore.analysis.query.state_summary`), statewide agencies
    included and named in the tooltip."""
    geometry, bounds = _encoded("states", ())
    values = {str(r.state): [count_bin(r.agreements, scale=10), _state_tip(r)] for r in summary.itertuples()}
    m = base_map(bounds)
    ValuesLayer(geometry, values, name="287(g) agreements per state", weight=0.8).add_to(m)
    if laws is not None:
        add_law_overlay(m, laws, (), show_law)
        add_legend(m, law_legend_html(laws, floating=False), position="bottomright", hidden_unless=LAW_LAYER_NAME, initially_shown=show_law)
    add_legend(m, count_legend_html(scale=10, what="agreements per state"), position="topright")
    folium.LayerControl(collapsed=True).add_to(m)
    return m


# Categories (not an order): ColorBrewer Dark2, colour-blind safe, distinct from the count palette.
CATEGORY_COLORS: tuple[str, ...] = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def shaded_map(kind: str, shading, laws: pd.DataFrame | None = None, statewide: pd.DataFrame | None = None,
               only_states: tuple[str, ...] = (), show_law: bool = False, none_text: str = "No value") -> folium.Map:
    """Counties (``kind="counties"``) or states shaded by a :class:`mapcore.analysis.context.Shading`: a class
    and plain-text tooltip lines per place (escaped here), with its legend; the law overlay and statewide
    agencies as on the count maps."""
    geometry, bounds = _encoded(kind, tuple(sorted(only_states)))
    colors = COUNT_COLORS if shading.sequential else CATEGORY_COLORS
    values = {key: [int(value[0]), "<br>".join(_e(line) for line in value[1:])] for key, value in shading.values.items()}
    m = base_map(bounds)
    ValuesLayer(geometry, values, name=shading.title, weight=0.3 if kind == "counties" else 0.8, colors=colors,
                none_text=none_text).add_to(m)
    if kind == "counties":
        OutlineLayer(_encoded("states", tuple(sorted(only_states)))[0]).add_to(m)
    if laws is not None:
        add_law_overlay(m, laws, only_states, show_law)
        add_legend(m, law_legend_html(laws, floating=False), position="bottomright", hidden_unless=LAW_LAYER_NAME, initially_shown=show_law)
    if statewide is not None and len(statewide):
        statewide_layer(statewide, _states_frame(only_states)).add_to(m)
    add_legend(m, shading_legend_html(shading, colors, none_text), position="topright")
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def shading_legend_html(shading, colors: tuple[str, ...], none_text: str) -> str:
    swatch = "display:inline-block;width:14px;height:12px;margin-right:6px;border:1px solid #777;background:"
    rows = "".join(f"<div><span style='{swatch}{c}'></span>{_e(label)}</div>" for c, label in zip(colors, shading.classes))
    none = f"<div><span style='{swatch}{EMPTY_FILL}'></span>{_e(none_text)}</div>"
    return (f"<div style='font:12px/1.4 sans-serif;max-width:230px'><b>{_e(shading.title)}</b>{none}{rows}</div>")


def add_law_overlay(m: folium.Map, laws: pd.DataFrame, only_states: tuple[str, ...] = (), show: bool = False) -> None:
    """The state-law layer (see :mod:`mapcore.render.law_layer`), its features prepared once per law table."""
    key = int(pd.util.hash_pandas_object(laws.astype(str), index=False).sum())
    law_layer_from_features(_law_json(tuple(sorted(only_states)), _HashedLaws(key, laws)), show=show).add_to(m)


class _HashedLaws:
    """A law table that hashes by its content, so the law features can sit in a bounded lru_cache."""

    def __init__(self, key: int, laws: pd.DataFrame) -> None:
        self.key, self.laws = key, laws

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _HashedLaws) and other.key == self.key


@functools.lru_cache(maxsize=32)
def _law_json(only_states: tuple[str, ...], laws: _HashedLaws) -> dict:
    return json.loads(law_features(_states_frame(only_states), laws.laws).to_json(drop_id=True))


@functools.lru_cache(maxsize=64)
def _encoded(kind: str, only_states: tuple[str, ...]) -> tuple[str, tuple]:
    """Encoded geometry (and bounds) of counties or states: national insets (prebuilt in geo/ when
    fresh, see :mod:`mapcore.geo.web_layers`), or chosen states at their true position."""
    prebuilt = None if only_states else load_web_layers()
    if prebuilt is not None:
        (south, west), (north, east) = prebuilt["bounds"]
        return prebuilt[kind], ((south, west), (north, east + NATIONAL_EAST_PAD))
    frame = _frame(kind, only_states)
    return encode_for_map(frame, kind), _bounds(frame, only_states)


@functools.lru_cache(maxsize=64)
def _frame(kind: str, only_states: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Counties or states: the chosen states at their true position, else the national inset view."""
    layer = load_counties() if kind == "counties" else load_states()
    if only_states:
        return layer[layer["state"].isin(only_states)].reset_index(drop=True)
    return national_view(layer)


def _counties_frame(only_states: tuple[str, ...]) -> gpd.GeoDataFrame:
    return _frame("counties", only_states)


def _states_frame(only_states: tuple[str, ...]) -> gpd.GeoDataFrame:
    return _frame("states", only_states)


def _bounds(frame: gpd.GeoDataFrame, only_states: tuple[str, ...]):
    if not only_states or frame.empty:
        (south, west), (north, east) = national_bounds()
        return ((south, west), (north, east + NATIONAL_EAST_PAD))
    west, south, east, north = frame.total_bounds
    if "AK" in only_states and west < -179:  # the Aleutians: fit the mainland, not the dateline
        west = -170.0
    return ((south, west), (north, east + 0.3 * (east - west)))  # room on the right for the legend


def _county_tip(row) -> str:
    plural = "s" if row.agreements != 1 else ""
    return (f"{row.agreements} agreement{plural}: {_e(row.models)}"
            f"<br><span style='font-size:11px'>{_e(row.agencies)}</span>")


def _state_tip(row) -> str:
    statewide = getattr(row, "statewide_agencies", "")
    extra = f"<br>Statewide agencies: {_e(statewide)}" if isinstance(statewide, str) and statewide else ""
    return f"{row.agreements} agreements: {_e(row.models)}{extra}"


class ValuesLayer(Layer):
    """Encoded polygons shaded by a bin per id, with a tooltip per id (pre-escaped HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.mapcoreDecode = window.mapcoreDecode || (function () { {{ this.decoder }} return mapcoreDecode; })();
        var {{ this.get_name() }}_values = {{ this.values_json }};
        var {{ this.get_name() }}_colors = {{ this.colors_json }};
        var {{ this.get_name() }} = L.geoJson(window.mapcoreDecode({{ this.geometry }}), {
            style: function (f) {
                var v = {{ this.get_name() }}_values[f.properties.id];
                var has = v && v[0] >= 0;
                return {fillColor: has ? {{ this.get_name() }}_colors[v[0]] : {{ this.empty|tojson }},
                        fillOpacity: has ? 0.85 : 0.35, color: "#777", weight: {{ this.weight }}, className: "mapcore-area"};
            },
            onEachFeature: function (f, layer) {
                var v = {{ this.get_name() }}_values[f.properties.id];
                var body = v ? v[1] : {{ this.none_text|tojson }};
                // Leaflet tooltips do not wrap (and shrink near the map's edge): give a long agency list a set
                // width to wrap in; short tooltips keep their natural width.
                var box = body.length > 80 ? "width:320px;white-space:normal;line-height:1.35" : "";
                layer.bindTooltip("<div style='" + box + "'><b>" + f.properties.label + "</b><br>" + body + "</div>",
                                  {sticky: true, className: "mapcore-tip"});
                layer.on("mouseover", function () { layer.setStyle({weight: 2, color: "#000"}); });
                layer.on("mouseout", function () { {{ this.get_name() }}.resetStyle(layer); });
            }
        });
        {% endmacro %}
    """)

    def __init__(self, geometry: str, values: dict, name: str, weight: float = 0.3, show: bool = True,
                 colors: tuple[str, ...] = COUNT_COLORS, none_text: str = "No 287(g) agreement"):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ValuesLayer"
        self.geometry = geometry
        self.values_json = json.dumps(values, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        self.colors_json = json.dumps(list(colors))
        self.none_text = none_text
        self.empty = EMPTY_FILL
        self.weight = weight
        self.decoder = DECODER_JS


class OutlineLayer(Layer):
    """State borders over the county layer, drawn from the same encoded geometry, not clickable."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.mapcoreDecode = window.mapcoreDecode || (function () { {{ this.decoder }} return mapcoreDecode; })();
        var {{ this.get_name() }} = L.geoJson(window.mapcoreDecode({{ this.geometry }}), {
            style: function () { return {color: "#444", weight: 0.9, fill: false}; }, interactive: false
        });
        {% endmacro %}
    """)

    def __init__(self, geometry: str):
        super().__init__(name="State borders", overlay=True, control=False, show=True)
        self._name = "OutlineLayer"
        self.geometry = geometry
        self.decoder = DECODER_JS


def statewide_layer(statewide: pd.DataFrame, states: gpd.GeoDataFrame) -> folium.FeatureGroup:
    """One marker per state holding state-agency agreements: shown at state level, never over counties."""
    group = folium.FeatureGroup(name="Statewide agencies (state level)", show=True)
    points = dict(zip(states["state"], states.geometry.representative_point()))
    slim = statewide[["state", "agency", "model"]].astype("object")
    for state, rows in slim.groupby("state"):
        point = points.get(state)
        if point is None:
            continue
        lines = "".join(f"<li>{_e(agency)} ({_e(model)})</li>" for agency, model in zip(rows["agency"], rows["model"]))
        folium.Marker(
            location=(point.y, point.x),
            icon=folium.DivIcon(html=_DIAMOND, icon_size=(14, 14), icon_anchor=(7, 7), class_name="mapcore-statewide"),
            tooltip=folium.Tooltip(f"<b>{_e(state)}: statewide agencies</b><ul style='margin:0;padding-left:16px'>{lines}</ul>"),
        ).add_to(group)
    return group


_DIAMOND = ("<div style='width:12px;height:12px;transform:rotate(45deg);background:#ce93d8;"
            "border:2px solid #6a1b9a'></div>")


def pending_layer(pending: pd.DataFrame, counties: gpd.GeoDataFrame, states: gpd.GeoDataFrame | None = None) -> folium.FeatureGroup:
    """Pending applications as hollow orange circles on their county (statewide ones on their state)."""
    group = folium.FeatureGroup(name="Pending applications", show=True)
    points = dict(zip(counties["GEOID"], counties.geometry.representative_point()))
    if states is not None:
        points.update(zip(states["state"], states.geometry.representative_point()))
    slim = pending[["state", "agency", "model", "county_fips"]].astype("object")
    where = slim["county_fips"].where(slim["county_fips"].notna(), slim["state"])
    for key, rows in slim.groupby(where.astype(str)):
        point = points.get(key)
        if point is None:
            continue
        lines = "".join(f"<li>{_e(agency)} ({_e(model)})</li>" for agency, model in zip(rows["agency"], rows["model"]))
        folium.CircleMarker(
            location=(point.y, point.x), radius=6, color="#d95f02", weight=2.5, fill=False,
            tooltip=folium.Tooltip(f"<b>Pending application{'s' if len(rows) > 1 else ''}</b>"
                                   f"<ul style='margin:0;padding-left:16px'>{lines}</ul>"),
        ).add_to(group)
    return group


def count_legend_html(scale: int = 1, what: str = "agreements per county") -> str:
    edges: list[int | None] = [*COUNT_BINS, None]
    labels = []
    for low, high in zip(COUNT_BINS, edges[1:]):
        lo = (low - 1) * scale + 1
        hi = (high - 1) * scale if high else None
        labels.append(f"{lo}+" if hi is None else (f"{lo}" if lo == hi else f"{lo}–{hi}"))
    swatch = "display:inline-block;width:14px;height:12px;margin-right:6px;border:1px solid #777;background:"
    rows = "".join(f"<div><span style='{swatch}{c}'></span>{label}</div>" for c, label in zip(COUNT_COLORS, labels))
    none = f"<div><span style='{swatch}{EMPTY_FILL}'></span>none</div>"
    models = "<br>".join(f"{_e(code)}: {_e(name)}" for code, name in MODEL_NAMES.items())
    return (f"<div style='font:12px/1.4 sans-serif'><b>287(g) {_e(what)}</b>{none}{rows}"
            f"<div style='margin-top:4px;color:#444'>{models}</div></div>")


class _Legend(MacroElement):
    """A Leaflet control holding a legend: it lives inside the map script, so it shows in st_folium."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'mapcore-legend');
            div.style.background = 'rgba(255,255,255,0.92)';
            div.style.padding = '6px 8px';
            div.style.border = '1px solid #999';
            div.style.borderRadius = '4px';
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {% if this.hidden_unless %}
        (function (map, legend, name) {
            var shown = false;
            function sync(e, on) { if (e.name !== name) return; if (on && !shown) { legend.addTo(map); shown = true; }
                                   if (!on && shown) { legend.remove(); shown = false; } }
            map.on("overlayadd", function (e) { sync(e, true); });
            map.on("overlayremove", function (e) { sync(e, false); });
            if ({{ this.initially_shown|tojson }}) { legend.addTo(map); shown = true; }
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.hidden_unless|tojson }});
        {% else %}
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endif %}
        {% endmacro %}
    """)

    def __init__(self, html_text: str, position: str = "bottomright", hidden_unless: str | None = None,
                 initially_shown: bool = True):
        super().__init__()
        self._name = "Legend"
        self.html = html_text
        self.position = position
        self.hidden_unless = hidden_unless
        self.initially_shown = initially_shown


def add_legend(m: folium.Map, html_text: str, position: str = "bottomright", hidden_unless: str | None = None,
               initially_shown: bool = True) -> None:
    """A legend control; with ``hidden_unless`` it shows only while the overlay of that name is on."""
    m.add_child(_Legend(html_text, position, hidden_unless, initially_shown))


def _e(value: object) -> str:
    """HTML-escaped text (see :func:`mapcore.core.text.escape`) that is also safe inside folium.Tooltip,
    which puts its text in a JS `template literal`: a backtick, ${...} or a backslash in a name would
    end it, run code or break the script, so those become HTML entities too."""
    return escape(value).replace("\\", "&#92;").replace("`", "&#96;").replace("$", "&#36;")


def map_html(m: folium.Map) -> str:
    """The map as a standalone HTML document (for tests and payload measurement)."""
    return m.get_root().render()

