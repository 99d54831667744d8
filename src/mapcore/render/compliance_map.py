"""The mandate-gap map: counties of a mandate state coloured covered / pending / no agreement.

Separate from the count maps of :mod:`mapcore.render.maps` because it has its own three-colour
palette (categories, not counts) and its own tooltips; it is drawn by the same map view (geometry
files once, values per change, see :func:`mapcore.render.maps.area_map`). Agency names come from
ICE's sheets: every tooltip line is plain text, shown by the browser as text.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis.compliance import COUNTY_STATUSES, COVERED
from mapcore.core.i18n import N_, _
from mapcore.render import maps
from mapcore.words.compliance import COUNTY_STATUS_LABELS
from mapcore.words.names import capped

# Okabe-Ito blue and orange plus a light grey: told apart under every common colour-vision
# deficiency and in greyscale (dark, mid, light). Grey for "none" keeps the map from shouting a
# verdict the data cannot give.
STATUS_COLORS: dict[str, str] = {"covered": "#0072B2", "pending": "#E69F00", "none": "#d4d4d4"}
LAYER_NAME = N_("Sheriff 287(g) agreements per county")  # msgids, shown through _()
NOT_PROOF = N_("No agreement listed is not proof of non-compliance.")


def _capped(names: str, limit: int = 6) -> str:
    """ "a; b; c" cut to ``limit`` names plus "and N more" in the reader's language, so a tooltip stays small."""
    return capped(names, limit)


def county_lines(row: pd.Series) -> list[str]:
    """Tooltip lines (plain text) for one county of :func:`mapcore.analysis.compliance.mandate_gaps`."""
    lines = [_(COUNTY_STATUS_LABELS[row["status"]])]
    if row["status"] == COVERED:
        lines.append(f"{_capped(row['sheriff_agencies'])} ({row['models']})")
    if row["pending_agencies"]:
        lines.append(_("Pending: {names} ({models})").format(names=_capped(row["pending_agencies"]), models=row["pending_models"]))
    if row["other_agreements"]:
        lines.append(_("Other local agreements (not counted): {names}").format(names=_capped(row["other_agencies"])))
    return lines


def legend(counts: dict[str, int] | None = None) -> dict:
    """Legend section with the three statuses (and their counts when given)."""
    items = []
    for status in COUNTY_STATUSES:
        count = f" ({counts.get(status, 0)})" if counts is not None else ""
        items.append({"fill": STATUS_COLORS[status], "label": _(COUNTY_STATUS_LABELS[status]) + count})
    return {"title": _("County sheriff or jail 287(g)"), "items": items, "notes": [_(NOT_PROOF)]}


def compliance_map(gaps: pd.DataFrame, only_states: tuple[str, ...], height: int = maps.DEFAULT_HEIGHT) -> maps.MapSpec:
    """Counties of ``only_states`` coloured by status (from :func:`mapcore.analysis.compliance.mandate_gaps`)."""
    states = tuple(sorted(only_states))
    chosen = gaps[gaps["state"].isin(states)]
    index = {status: i for i, status in enumerate(COUNTY_STATUSES)}
    values = {str(row["GEOID"]): [index[row["status"]], *county_lines(row)] for _, row in chosen.iterrows()}
    counts = chosen["status"].value_counts().to_dict()
    section = legend({s: int(counts.get(s, 0)) for s in COUNTY_STATUSES})
    return maps.area_map(
        "counties", states, values, [STATUS_COLORS[s] for s in COUNTY_STATUSES], [section], name=_(LAYER_NAME), weight=0.4, height=height
    )
