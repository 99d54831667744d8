"""The maps a page (or ``mapcore render``) can show, by name: one function from agreements to a :class:`MapSpec`.

Shared by the app (:func:`mapcore.app.page_parts.map_for`) and the command line, so a picture made on the
command line is the map the app shows for the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


def map_of(
    view: str,
    rows: pd.DataFrame,
    laws: pd.DataFrame,
    show_law: bool = False,
    only_states: tuple[str, ...] = (),
    population=None,
    roster=None,
    empty_note: str | None = None,
) -> maps.MapSpec:
    """The map of one of :data:`MAP_VIEWS` for a set of agreements (values computed in
    :mod:`mapcore.analysis.context` and :mod:`mapcore.analysis.query`). ``laws``: the law table to draw,
    normally the law in force on the shown sheet's date. The per-capita and share maps need
    ``population`` (and ``roster``); without them they fall back to the count maps."""
    return map_from_values(map_values(view, rows, population, roster), laws, show_law, only_states, empty_note)


@dataclass(frozen=True)
class MapValues:
    """What a map shows of a set of rows, as facts: ``drawn`` is the map actually drawn (a per-capita or share
    map without its tables falls back to a count map), ``shown`` its counts or shading per place,
    ``statewide`` the statewide agencies' rows (with ``agency_shown``: one name per agency)."""

    drawn: str
    shown: Any
    statewide: pd.DataFrame


def map_values(view: str, rows: pd.DataFrame, population=None, roster=None) -> MapValues:
    """The costly half of :func:`map_of`: facts a caller may keep for rows that do not change (a publication)."""
    if view not in MAP_VIEWS:
        raise ValueError(f"unknown map {view!r}; expected one of {', '.join(MAP_VIEWS)}")
    statewide = rows[rows["level"].astype("object") == LEVEL_STATEWIDE]
    statewide = statewide.assign(agency_shown=query.agency_names(statewide))  # the markers' names, worked out once
    if view == "per_capita" and population is not None:
        return MapValues(view, context.county_per_capita(rows, population), statewide)
    if view == "sheriff":
        return MapValues(view, context.county_sheriff_models(rows), statewide)
    if view == "state_share" and roster is not None and population is not None:
        return MapValues(view, context.state_agency_shares(rows, roster, population), statewide)
    if view in ("state", "state_share"):
        return MapValues("state", query.state_summary(rows), statewide)
    return MapValues("county", query.county_summary(rows), statewide)


def map_from_values(
    values: MapValues, laws: pd.DataFrame, show_law: bool = False, only_states: tuple[str, ...] = (), empty_note: str | None = None
) -> maps.MapSpec:
    """The map spec, with its words in the reader's language, from :func:`map_values`."""
    drawn, shown, statewide = values.drawn, values.shown, values.statewide
    if drawn == "per_capita":
        return maps.shaded_map(
            "counties", shown, laws, statewide, only_states, show_law, none_text=_("No 287(g) agreement, or no resident count")
        )
    if drawn == "sheriff":
        return maps.shaded_map(
            "counties", shown, laws, statewide, only_states, show_law, none_text=_("No sheriff or county jail agreement")
        )
    if drawn == "state_share":
        return maps.shaded_map("states", shown, laws, None, (), show_law, none_text=_("No agency with an agreement"))
    if drawn == "state":
        return maps.state_map(shown, laws=laws, show_law=show_law)
    return maps.county_map(
        shown,
        laws=laws,
        statewide=statewide,
        only_states=only_states,
        show_law=show_law,
        empty_note=_("No 287(g) agreement in this view.") if empty_note is None else empty_note,
    )
