"""The agency lookup: a name, a county or a town, typed the way people type them.

"Harris County Sheriff's Office" is a name (scored by :func:`mapcore.analysis.agency_search.search_agencies`);
"Harris County" is also a place: every agency placed in that county (a regional body serving it too) is
a candidate, and "Houston", a town, brings the agencies of the county the town lies in (the ZIP-code
gazetteer placement uses). Candidates well below the best name match are cut, and when the best
candidates are equally good in several states (a Lee County Sheriff's Office in Florida and in Texas,
a Harris County in Georgia and in Texas), the lookup asks for the state instead of choosing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from mapcore.analysis.agency_search import RESULT_COLUMNS, bound_query, normalise, search_agencies
from mapcore.analysis.agency_spanish import english_query
from mapcore.reference.gazetteer import normalise_name, strip_geo_suffix

WEAK_GAP = 6.0  # a name candidate scoring this far below the best is cut
PLACE_NAME = 95.0  # next to a county's agencies, only near-exact name matches are kept
TIE = 0.05
_COUNTY_WORD = re.compile(r"\s+(county|parish|borough|co|cnty)\.?$")
# Words that make a query an agency's name rather than a place's.
_ROLE = frozenset(
    """police sheriffs sheriff department office jail detention corrections correctional
    constable constables marshal marshals patrol highway bureau division authority district attorney task force
    university college school state trustees commission agency public safety""".split()
)  # i18n: data
CANDIDATE_COLUMNS: tuple[str, ...] = (*RESULT_COLUMNS, "why")
_TOWN_PREFIX = re.compile(r"^(city|town|village) of\s+")


ASK_COUNTY, ASK_TIE = "county", "tie"  # why the lookup asks for the state (mapcore.words.lookup.question says it)


@dataclass(frozen=True)
class Lookup:
    """What a query found: candidates (best first, with ``why``), the counties it names, and the
    states to ask between (non-empty: ask for the state before showing any agency), with why: ``ask`` is
    :data:`ASK_COUNTY` (a county of that name in several states) or :data:`ASK_TIE` (``tied`` agencies match
    ``text`` equally well in several states)."""

    candidates: pd.DataFrame
    places: list[tuple[str, str, str]] = field(default_factory=list)  # (state, county name, how the query names it)
    ask_states: tuple[str, ...] = ()
    ask: str = ""
    tied: int = 0
    text: str = ""

    @property
    def by_place(self) -> bool:
        """The query named a place: the user chooses among its agencies (none is pre-selected)."""
        return bool(self.places) and not (self.candidates["why"] == "name").head(1).any()


def lookup(
    index: pd.DataFrame,
    query: object,
    state: str | None = None,
    limit: int = 20,
    town_county: Callable[[str, str], str | None] | None = None,
) -> Lookup:
    """Candidates for a query over an :func:`mapcore.analysis.agency_search.agency_index`. ``town_county(town,
    state)`` gives the county name a town lies in (the gazetteer), for town queries."""
    text = bound_query(query)  # a URL or a paste can hold anything: cut before any matching
    empty = pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    if not normalise(text) or index.empty:
        return Lookup(empty)
    names = search_agencies(index, text, limit=max(limit, 50), state=state or None, index=index)
    if len(names):
        best = float(names["score"].max())
        names = names[names["score"] >= best - WEAK_GAP]
    places, county_query = _places(index, english_query(text), state, town_county, typed=text)  # "Condado de Harris" too
    if not state and not county_query and len({s for s, _, _ in places}) > 1:
        places = []  # a town of that name in several states: its name matches only, until a state is chosen
    place_rows = _in_places(index, places)
    if county_query and len(place_rows):
        names = names[names["score"] >= PLACE_NAME]
    candidates = pd.concat([place_rows, names.assign(why="name")], ignore_index=True)
    candidates = candidates.drop_duplicates(["state", "agency_norm"], keep="first").head(limit)
    candidates = candidates.reindex(columns=list(CANDIDATE_COLUMNS)).reset_index(drop=True)
    place_states = sorted({s for s, _, _ in places})
    if not state and county_query and len(place_states) > 1:
        return Lookup(candidates, places, tuple(place_states), ASK_COUNTY, text=text.strip())
    if not state and len(names):
        top = names[names["score"] >= float(names["score"].max()) - TIE]
        tied = sorted(set(top["state"].astype(str)))
        if len(tied) > 1 and not (len(place_states) == 1):
            return Lookup(candidates, places, tuple(tied), ASK_TIE, tied=len(top), text=text.strip())
    return Lookup(candidates, places, text=text.strip())


def _places(
    index: pd.DataFrame, text: str, state: str | None, town_county: Callable[[str, str], str | None] | None, typed: str = ""
) -> tuple[list[tuple[str, str, str]], bool]:
    """(state, county, how) for the counties a query (``text``, in English words; ``typed``: as the reader
    typed it, for the why) names, and whether it named a county."""
    normalised = normalise_name(text) or ""
    counties = _index_counties(index, state)
    match = _COUNTY_WORD.search(normalised)
    if match:
        bare = normalised[: match.start()].strip()
        found = [(s, c, "placed in") for s, c in counties if strip_geo_suffix(normalise_name(c) or "") == bare]
        return found, True
    normalised = _TOWN_PREFIX.sub("", normalised)  # "city of houston" (Spanish "Ciudad de Houston") is a town
    words = normalised.split()
    if town_county is None or not words or len(words) > 4 or set(words) & _ROLE:
        return [], False
    states = [state] if state else sorted({s for s, _ in counties})
    known = set(counties)
    found = []
    for st in states:
        county = town_county(normalised, st)
        if county and (st, county) in known:
            found.append((st, county, f"where {(typed or text).strip()} is, in"))
    return found, False


def _index_counties(index: pd.DataFrame, state: str | None) -> list[tuple[str, str]]:
    rows = index if not state else index[index["state"] == state]
    pairs = {(str(s), str(c)) for s, c in zip(rows["state"], rows["county_name"]) if isinstance(c, str)}
    if "region_counties" in rows:
        pairs |= {(str(s), c) for s, r in zip(rows["state"], rows["region_counties"]) if isinstance(r, str) for c in r.split("; ")}
    return sorted(pairs)


def _in_places(index: pd.DataFrame, places: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The index rows placed in (or, for regional bodies, serving) one of the places, with why."""
    if not places:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    frames = []
    for st, county, how in places:
        here = index["state"] == st
        placed = here & (index["county_name"] == county)
        region = index["region_counties"] if "region_counties" in index else pd.Series(None, index=index.index)
        serving = here & region.fillna("").astype(str).str.split("; ").map(lambda cs, county=county: county in cs)
        why = f"{how} {county}, {st}" if how != "placed in" else f"placed in {county}, {st}"
        frames.append(index[placed].assign(score=100.0, why=why))
        frames.append(index[serving & ~placed].assign(score=100.0, why=f"serves {county}, {st} (regional)"))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["state", "active", "agency"], ascending=[True, False, True], kind="stable")
