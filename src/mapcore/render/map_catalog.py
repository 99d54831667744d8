"""The maps a page (or ``mapcore render``) can show, by name: one function from agreements to a :class:`MapSpec`.

Shared by the app (:func:`mapcore.app.page_parts.map_for`) and the command line, so a picture made on the
command line is the map the app shows for the same rows.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import query
from mapcore.core.i18n import N_, _
from mapcore.core.schema import LEVEL_STATEWIDE
from mapcore.render import maps
from mapcore.words import context

# The maps a page can show: (key, label, county or state level).
MAP_VIEWS: dict[str, tuple[str, str]] = {  # labels are English msgids: shown as _(label)
    "county": (N_("Agreements per county"), "counties"),
    "per_capita": (N_("Per 100,000 residents"), "counties"),
    "sheriff": (N_("Sheriff's agreement, by model"), "counties"),
    "state": (N_("Agreements per state"), "states"),
    "state_share": (N_("Share of agencies per state"), "states"),
}


def map_of(view: str, rows: pd.DataFrame, laws: pd.DataFrame, show_law: bool = False, only_states: tuple[str, ...] = (),
           population=None, roster=None, empty_note: str | None = None) -> maps.MapSpec:
    """The map of one of :data:`MAP_VIEWS` for a set of agreements (values computed in
    :mod:`mapcore.analysis.context` and :mod:`mapcore.analysis.query`). ``laws``: the law table to draw,
    normally the law in force on the shown sheet's date. The per-capita and share maps need
    ``population`` (and ``roster``); without them they fall back to the count maps."""
    if view not in MAP_VIEWS:
        raise ValueError(f"unknown map {view!r}; expected one of {', '.join(MAP_VIEWS)}")
    statewide = rows[rows["level"].astype("object") == LEVEL_STATEWIDE]
    empty_note = _("No 287(g) agreement in this view.") if empty_note is None else empty_note
    if view == "per_capita" and population is not None:
        return maps.shaded_map("counties", context.county_per_capita(rows, population), laws, statewide,
                               only_states, show_law, none_text=_("No 287(g) agreement, or no resident count"))
    if view == "sheriff":
        return maps.shaded_map("counties", context.county_sheriff_models(rows), laws, statewide, only_states, show_law,
                               none_text=_("No sheriff or county jail agreement"))
    if view == "state_share" and roster is not None and population is not None:
        return maps.shaded_map("states", context.state_agency_shares(rows, roster, population), laws,
                               None, (), show_law, none_text=_("No agency with an agreement"))
    if view in ("state", "state_share"):
        return maps.state_map(query.state_summary(rows), laws=laws, show_law=show_law)
    return maps.county_map(query.county_summary(rows), laws=laws, statewide=statewide, only_states=only_states,
                           show_law=show_law, empty_note=empty_note)
