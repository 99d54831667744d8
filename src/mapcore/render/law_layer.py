"""The state-law overlay: states shaded by how their law stands toward 287(g), plus its legend.

Every string shown comes from the hand-edited law table, so it is HTML-escaped before it goes
into a tooltip or popup, and only http(s) links are emitted. Low-confidence rows get a dashed
outline and a "(low confidence)" note wherever they appear, so a shaky finding never looks
settled.
"""

from __future__ import annotations

from html import escape
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from mapcore.core.text import is_http_url
from mapcore.ingest.laws import STATUS_ORDER, low_confidence, status_label

# ColorBrewer PuOr, 5 classes (colour-blind safe): purple = prohibits ... orange = mandates,
# with PuOr's own neutral for "no state law".
STATUS_COLORS: dict[str, str] = {
    "prohibits": "#5e3c99",
    "restricts": "#b2abd2",
    "none": "#f7f7f7",
    "requires_cooperation": "#fdb863",
    "mandates": "#e66101",
}
NO_DATA_COLOR = "#bdbdbd"
LOW_CONFIDENCE_NOTE = "(low confidence)"
LOW_CONFIDENCE_DASH = "6 4"
LAYER_NAME = "State law on 287(g)"


def _text(value: Any) -> str:
    """Cell as display text; missing values become empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _year(value: Any) -> str:
    text = _text(value)
    return text[:-2] if text.endswith(".0") else text


def source_link(url: Any) -> str:
    """Safe anchor opening the source in a new tab, or a plain note when the URL is not http(s)."""
    if not is_http_url(url):
        return "<i>No source link</i>"
    href = escape(str(url).strip(), quote=True)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">Source</a>'


def _confidence_html(row: pd.Series, low: bool) -> str:
    if low:
        return f'<b style="color:#b2182b">{escape(LOW_CONFIDENCE_NOTE)}</b>'
    return f"Confidence: {escape(_text(row.get('confidence')))}"


def tooltip_html(row: pd.Series, low: bool) -> str:
    """Hover text: name, status, laws, year and confidence, all escaped."""
    name = escape(_text(row.get("state_name")) or _text(row.get("state")))
    label = escape(status_label(row.get("status")))
    scope = _text(row.get("scope"))
    parts = [f"<b>{name}</b><br>{label}" + (f" ({escape(scope)})" if scope else "")]
    laws = _text(row.get("laws"))
    if laws:
        parts.append(f"Laws: {escape(laws)}")
    year = _year(row.get("effective_year"))
    if year:
        parts.append(f"Effective: {escape(year)}")
    parts.append(_confidence_html(row, low))
    return "<br>".join(parts)


def popup_html(row: pd.Series, low: bool) -> str:
    """Click text: status, summary and the source link, all escaped."""
    name = escape(_text(row.get("state_name")) or _text(row.get("state")))
    label = escape(status_label(row.get("status")))
    summary = escape(_text(row.get("summary")))
    note = f" {escape(LOW_CONFIDENCE_NOTE)}" if low else ""
    return (
        f'<div style="max-width:320px"><b>{name}</b>: {label}{note}'
        f"<br>{summary}<br>{source_link(row.get('source_url'))}</div>"
    )


def _fill(status: Any) -> str:
    return STATUS_COLORS.get(_text(status), NO_DATA_COLOR)


def law_features(states_gdf: gpd.GeoDataFrame, laws: pd.DataFrame) -> gpd.GeoDataFrame:
    """States joined to their law row, keeping only escaped display fields and style hints."""
    if "state" not in states_gdf.columns:
        raise KeyError("states GeoDataFrame needs a 'state' column of postal codes")
    gdf = states_gdf[["state", "geometry"]]
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    table = laws.assign(_low=low_confidence(laws)).drop_duplicates("state")
    joined = gdf.merge(table.drop(columns=["geometry"], errors="ignore"), on="state", how="left")
    low = joined["_low"].fillna(False).astype(bool)
    return gpd.GeoDataFrame(
        {
            "state": joined["state"].astype(str),
            "fill": [_fill(s) for s in joined["status"].astype(object)],
            "low": low.tolist(),
            "tooltip": [tooltip_html(r, lo) for (_, r), lo in zip(joined.iterrows(), low)],
            "popup": [popup_html(r, lo) for (_, r), lo in zip(joined.iterrows(), low)],
        },
        geometry=joined.geometry.values,
        crs=gdf.crs or "EPSG:4326",
    )


def _style(feature: dict) -> dict:
    props = feature["properties"]
    style = {
        "fillColor": props["fill"],
        "fillOpacity": 0.7,
        "color": "#444444",
        "weight": 1,
    }
    if props["low"]:
        style.update(dashArray=LOW_CONFIDENCE_DASH, weight=2)
    return style


def law_layer(
    states_gdf: gpd.GeoDataFrame,
    laws: pd.DataFrame,
    name: str = LAYER_NAME,
    show: bool = True,
) -> folium.FeatureGroup:
    """A LayerControl-switchable overlay of states shaded by law status, with tooltip and popup."""
    return law_layer_from_features(law_features(states_gdf, laws).to_json(drop_id=True), name, show)


def law_layer_from_features(features: str | dict | gpd.GeoDataFrame, name: str = LAYER_NAME, show: bool = True) -> folium.FeatureGroup:
    """The law overlay from prepared features (see :func:`law_features`); lets a map cache them."""
    group = folium.FeatureGroup(name=name, overlay=True, show=show)
    folium.GeoJson(
        features,
        control=False,  # the FeatureGroup is what LayerControl switches
        style_function=_style,
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.85},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True,
                                      style="max-width:360px;white-space:normal;"),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    ).add_to(group)
    return group


def law_legend_html(laws: pd.DataFrame, floating: bool = True) -> str:
    """Legend: the five statuses with colours and state counts, and the dashed key. ``floating``
    pins it to the page corner (standalone HTML); otherwise it is a plain block for a map control."""
    counts = laws["status"].astype(object).value_counts()
    n_low = int(low_confidence(laws).sum())
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;margin-right:6px;'
        f'vertical-align:middle;border:1px solid #444;background:{STATUS_COLORS[s]}"></span>'
        f"{escape(status_label(s))} ({int(counts.get(s, 0))})</div>"
        for s in STATUS_ORDER
    )
    key = (
        '<div style="margin-top:4px"><span style="display:inline-block;width:14px;height:10px;'
        'margin-right:6px;vertical-align:middle;border:2px dashed #444"></span>'
        f"Dashed outline: low confidence ({n_low})</div>"
    )
    box = ("position:fixed;bottom:24px;left:12px;z-index:9999;background:rgba(255,255,255,0.92);"
           "padding:8px 10px;border:1px solid #999;border-radius:4px;") if floating else ""
    return (f'<div class="mapcore-law-legend" style="{box}font:12px/1.5 sans-serif">'
            f"<b>{escape(LAYER_NAME)}</b>{rows}{key}</div>")


def add_law_legend(m: folium.Map, laws: pd.DataFrame) -> folium.Element:
    """Put the legend into the map's HTML (it stays visible whichever layers are on)."""
    element = folium.Element(law_legend_html(laws))
    m.get_root().html.add_child(element)  # type: ignore[attr-defined]  # folium's Figure has .html
    return element
