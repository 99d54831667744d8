"""Context for a count of agreements: out of how many agencies, officers and residents?

Pure pandas over three inputs handed in: one publication's agreements (with the ``ori`` the build
matched, see :mod:`mapcore.build.ori_match`), the FBI roster (:func:`mapcore.build.ori_match.roster_table`) and
Census residents (:class:`mapcore.reference.population.Population`).

* **Agencies**: roster agencies (of the state, or of the 50 states and DC) with at least one agreement
  in the publication, i.e. whose ORI an agreement was matched to, out of all roster agencies there;
  by type: sheriffs' offices, other county agencies (county police), municipal police, state agencies,
  and other (universities, tribal, special districts). Federal agencies are left out of both sides.
  Agencies with an agreement that matched no ORI are counted apart (``agencies_without_ori``): the share
  is a floor.
* **Officers**: sworn officers (the FBI's latest count per agency) of those agencies, out of all officers
  of the roster's agencies there. An agency's officers are counted once however many agreements it has.
* **Residents**: Census 2023 residents of the counties whose sheriff or county jail has an agreement
  (the rule of :func:`mapcore.analysis.compliance.is_sheriff_or_jail`: type County, a sheriff's or jail's
  name, placed in the county), out of all residents. Residents are counted by county, never by adding up
  agencies' own populations (a sheriff's population excludes towns with their own police). Connecticut's
  residents count in totals only and Alaska's Chugach and Copper River are Valdez-Cordova (see
  :mod:`mapcore.reference.population`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mapcore.analysis.compliance import is_sheriff_or_jail
from mapcore.core.schema import STATES_AND_DC
from mapcore.reference.population import RULES as POPULATION_RULES
from mapcore.reference.population import Population

NATION = "US"
GROUPS: tuple[str, ...] = ("sheriff", "county", "municipal", "state", "other")  # named by mapcore.words.context
_STATE_TYPES = ("State Police", "Other State Agency")  # the FBI roster's own values


@dataclass(frozen=True)
class Context:
    """The figures for one scope (a state's postal code, or ``US`` for the 50 states and DC)."""

    scope: str
    agencies_participating: int
    agencies_in_roster: int
    officers_participating: int
    officers_total: int
    residents_covered: int
    residents_total: int
    counties_covered: int
    agencies_without_ori: int
    by_type: pd.DataFrame = field(repr=False)
    notes: tuple[str, ...] = ()  # codes of the population rules that apply (mapcore.reference.population.RULES)

    @property
    def agency_share(self) -> float | None:
        return _ratio(self.agencies_participating, self.agencies_in_roster)

    @property
    def officer_share(self) -> float | None:
        return _ratio(self.officers_participating, self.officers_total)

    @property
    def resident_share(self) -> float | None:
        return _ratio(self.residents_covered, self.residents_total)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def roster_groups(roster: pd.DataFrame) -> pd.Series:
    """The share group of each roster agency (None for federal agencies, which are left out)."""
    rtype = roster["type"].astype(str)
    group = pd.Series("other", index=roster.index, dtype=object)
    group[rtype.eq("City")] = "municipal"
    group[rtype.eq("County")] = "county"
    group[rtype.isin(_STATE_TYPES)] = "state"
    group[roster["sheriff"].fillna("").astype(str).ne("")] = "sheriff"
    group[rtype.eq("Federal")] = None
    return group


def scope_states(scope: str | None) -> frozenset[str]:
    """The postal codes a scope covers: one state, or the 50 states and DC for the nation."""
    return STATES_AND_DC if scope in (None, NATION) else frozenset({str(scope).upper()})


def context(rows: pd.DataFrame, roster: pd.DataFrame, population: Population, scope: str | None = None) -> Context:
    """The figures of the module docstring for one publication's agreements, in a state or the nation."""
    name = NATION if scope in (None, NATION) else str(scope).upper()
    states = scope_states(name)
    here = rows[rows["state"].astype(object).isin(states)]
    listed = roster[roster["state"].astype(str).isin(states)].assign(group=lambda f: roster_groups(f))
    listed = listed[listed["group"].notna()]
    oris = set(here["ori"].dropna().astype(str)) if "ori" in here else set()
    taking = listed["ori"].astype(str).isin(oris)
    by_type = _by_type(listed, taking)
    covered = covered_counties(here)
    residents_total = int(sum(population.state_total(f) for f in _state_fips(states)))
    notes = list(POPULATION_RULES) if (name == NATION or name in POPULATION_RULES) else []
    return Context(
        scope=name,
        agencies_participating=int(taking.sum()),
        agencies_in_roster=int(len(listed)),
        officers_participating=int(listed.loc[taking, "officers"].sum()),
        officers_total=int(listed["officers"].sum()),
        residents_covered=int(population.by_county.reindex(sorted(covered)).fillna(0).sum()),
        residents_total=residents_total,
        counties_covered=len(covered),
        agencies_without_ori=_without_ori(here),
        by_type=by_type,
        notes=tuple(notes),
    )


def _by_type(listed: pd.DataFrame, taking: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"group": listed["group"].to_numpy(), "taking": taking.to_numpy(), "officers": listed["officers"].to_numpy()})
    frame["officers_taking"] = frame["officers"].where(frame["taking"], 0)
    grouped = frame.groupby("group").agg(
        participating=("taking", "sum"),
        in_roster=("taking", "size"),
        officers_participating=("officers_taking", "sum"),
        officers=("officers", "sum"),
    )
    grouped = grouped.reindex(list(GROUPS), fill_value=0).astype("int64")
    grouped["share"] = grouped["participating"] / grouped["in_roster"].where(grouped["in_roster"] > 0)
    return grouped.rename_axis("group").reset_index()


def covered_counties(rows: pd.DataFrame) -> set[str]:
    """2016 GEOIDs of counties whose sheriff or county jail has an agreement among the rows."""
    if rows.empty:
        return set()
    chosen = rows[is_sheriff_or_jail(rows).to_numpy() & rows["county_fips"].notna().to_numpy()]
    return set(chosen["county_fips"].astype(str))


def _state_fips(states: frozenset[str]) -> set[str]:
    from mapcore.reference.gazetteer import state_fips_by_postal

    table = state_fips_by_postal()
    return {table[s] for s in states if s in table}


def _without_ori(rows: pd.DataFrame) -> int:
    if rows.empty or "ori" not in rows:
        return 0
    missing = rows[rows["ori"].isna()]
    key = missing["agency_id"] if "agency_id" in missing else missing["state"].astype(str) + "|" + missing["agency"].astype(str)
    return int(key.astype(object).nunique())


def state_shares(rows: pd.DataFrame, roster: pd.DataFrame, population: Population) -> pd.DataFrame:
    """One row per state and DC: agencies with an agreement, in the roster, share; residents covered, total,
    share (the state map's values; the same rules as :func:`context`, computed for all states at once)."""
    from mapcore.reference.gazetteer import state_fips_by_postal

    states = sorted(STATES_AND_DC)
    listed = roster[roster["state"].astype(str).isin(STATES_AND_DC)].assign(group=lambda f: roster_groups(f))
    listed = listed[listed["group"].notna()]
    here = rows[rows["state"].astype(object).isin(STATES_AND_DC)]
    oris = set(here["ori"].dropna().astype(str)) if "ori" in here else set()
    taking = listed["ori"].astype(str).isin(oris)
    agencies = pd.DataFrame({"state": listed["state"].astype(str).to_numpy(), "taking": taking.to_numpy()})
    counts = agencies.groupby("state")["taking"].agg(["sum", "size"]).reindex(states, fill_value=0)
    fips = state_fips_by_postal()
    postal = {v: k for k, v in fips.items()}
    covered = population.by_county.reindex(sorted(covered_counties(here))).dropna()
    covered_by_state = covered.groupby(covered.index.str[:2].map(postal)).sum()
    out = pd.DataFrame({"state": states})
    out["agencies_participating"] = counts["sum"].to_numpy().astype("int64")
    out["agencies_in_roster"] = counts["size"].to_numpy().astype("int64")
    out["agency_share"] = out["agencies_participating"] / out["agencies_in_roster"].where(out["agencies_in_roster"] > 0)
    out["residents_covered"] = out["state"].map(covered_by_state).fillna(0).astype("int64")
    out["residents_total"] = [population.state_total(fips.get(s)) for s in states]
    out["resident_share"] = out["residents_covered"] / out["residents_total"].where(out["residents_total"] > 0)
    return out


# ------------------------------------------------------------------------------------------------
# Map shadings' classes (the words and tooltips are mapcore.words.context's)

PER_CAPITA_EDGES: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0)  # agreements per 100,000 residents
SHARE_EDGES: tuple[float, ...] = (0.02, 0.05, 0.10, 0.25)  # share of roster agencies with an agreement


def edge_class(value: float, edges: tuple[float, ...]) -> int:
    """The class of ``value`` among classes bounded by ``edges`` (0 below the first edge)."""
    return sum(1 for edge in edges if value >= edge)
