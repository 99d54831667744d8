"""The mandate-gap map: counties of a mandate state coloured covered / pending / no agreement.

Separate from :mod:`mapcore.render.maps` because it has its own three-colour palette (categories, not
counts) and its own tooltips; it reuses that module's encoded geometry, outlines and legend
control. Agency names come from ICE's sheets, so every tooltip text is HTML-escaped here.
"""

from __future__ import annotations

import json

import folium
import pandas as pd

from mapcore.analysis.compliance import COUNTY_STATUS_LABELS, COUNTY_STATUSES, COVERED
from mapcore.core.text import escape
from mapcore.render import maps

# Okabe-Ito blue and orange plus a light grey: told apart under every common colour-vision
# deficiency and in greyscale (dark, mid, light). Grey for "none" keeps the map from shouting a
# verdict the data cannot give.
STATUS_COLORS: dict[str, str] = {"covered": "#0072B2", "pending": "#E69F00", "none": "#d4d4d4"}
LAYER_NAME = "Sheriff 287(g) agreements per county"


class StatusLayer(maps.ValuesLayer):
    """:class:`mapcore.render.maps.ValuesLayer` with the status palette instead of the count palette."""

    def __init__(self, geometry: str, values: dict, name: str = LAYER_NAME, weight: float = 0.4):
        super().__init__(geometry, values, name=name, weight=weight)
        self.colors_json = json.dumps([STATUS_COLORS[s] for s in COUNTY_STATUSES])


def _capped(names: str, limit: int = 6) -> str:
    """"a; b; c" cut to ``limit`` names plus "and N more", so a tooltip stays small."""
    parts = [n for n in str(names).split("; ") if n]
    text = "; ".join(parts[:limit])
    return text + (f"; and {len(parts) - limit} more" if len(parts) > limit else "")


def county_tip(row: pd.Series) -> str:
    """Tooltip body (escaped HTML) for one county of :func:`mapcore.analysis.compliance.mandate_gaps`; a fixed
    280px width, since Leaflet tooltips do not wrap by default."""
    parts = [f"<b>{escape(COUNTY_STATUS_LABELS[row['status']])}</b>"]
    if row["status"] == COVERED:
        parts.append(f"{escape(_capped(row['sheriff_agencies']))} ({escape(row['models'])})")
    if row["pending_agencies"]:
        parts.append(f"Pending: {escape(_capped(row['pending_agencies']))} ({escape(row['pending_models'])})")
    if row["other_agreements"]:
        parts.append(f"<span style='font-size:11px'>Other local agreements (not counted): {escape(_capped(row['other_agencies']))}</span>")
    return f"<div style='width:280px;white-space:normal;line-height:1.35;font-size:12px'>{'<br>'.join(parts)}</div>"


def legend_html(counts: dict[str, int] | None = None) -> str:
    """Legend with the three statuses (and their counts when given)."""
    swatch = "display:inline-block;width:14px;height:12px;margin-right:6px;border:1px solid #777;background:"
    rows = []
    for status in COUNTY_STATUSES:
        count = f" ({counts.get(status, 0)})" if counts is not None else ""
        rows.append(f"<div><span style='{swatch}{STATUS_COLORS[status]}'></span>{escape(COUNTY_STATUS_LABELS[status])}{count}</div>")
    note = "<div style='margin-top:4px;color:#444;max-width:220px'>No agreement listed is not proof of non-compliance.</div>"
    return f"<div style='font:12px/1.4 sans-serif'><b>County sheriff or jail 287(g)</b>{''.join(rows)}{note}</div>"


def compliance_map(gaps: pd.DataFrame, only_states: tuple[str, ...]) -> folium.Map:
    """Counties of ``only_states`` coloured by status (from :func:`mapcore.analysis.compliance.mandate_gaps`)."""
    states = tuple(sorted(only_states))
    geometry, bounds = maps._encoded("counties", states)
    chosen = gaps[gaps["state"].isin(states)]
    index = {status: i for i, status in enumerate(COUNTY_STATUSES)}
    values = {str(row["GEOID"]): [index[row["status"]], county_tip(row)] for _, row in chosen.iterrows()}
    m = maps.base_map(bounds)
    StatusLayer(geometry, values).add_to(m)
    outline, _ = maps._encoded("states", states)
    maps.OutlineLayer(outline).add_to(m)
    counts = chosen["status"].value_counts().to_dict()
    maps.add_legend(m, legend_html({s: int(counts.get(s, 0)) for s in COUNTY_STATUSES}), position="topright")
    return m

