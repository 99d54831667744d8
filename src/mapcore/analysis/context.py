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
from typing import Any

import pandas as pd

from mapcore.analysis.compliance import is_sheriff_or_jail
from mapcore.core.i18n import N_, _, curated, format_number, format_percent, ngettext
from mapcore.core.schema import STATES_AND_DC
from mapcore.reference.population import RULES as POPULATION_RULES
from mapcore.reference.population import Population

NATION = "US"
GROUPS: dict[str, str] = {  # English msgids: by_type_table shows them through _()
    "sheriff": N_("Sheriffs' offices"),
    "county": N_("County police and other county agencies"),
    "municipal": N_("Municipal police"),
    "state": N_("State agencies"),
    "other": N_("Universities, tribal and other agencies"),
}
_STATE_TYPES = ("State Police", "Other State Agency")  # i18n: data (the FBI roster's own values)
SOURCE_NOTE = N_("Agencies and officers: FBI Law Enforcement Employees data (latest year per agency) via 287g-watch, "
                 "CC BY 4.0. Residents: U.S. Census Bureau, county estimates for July 2023.")  # shown as _(SOURCE_NOTE)


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
    notes: tuple[str, ...] = ()

    @property
    def agency_share(self) -> float | None:
        return _ratio(self.agencies_participating, self.agencies_in_roster)

    @property
    def officer_share(self) -> float | None:
        return _ratio(self.officers_participating, self.officers_total)

    @property
    def resident_share(self) -> float | None:
        return _ratio(self.residents_covered, self.residents_total)

    def as_json(self) -> dict[str, Any]:
        """The ``context`` block of ``mapcore stats --json`` (keys relied on by scripts: add, don't rename)."""
        return {
            "scope": self.scope,
            "agencies_participating": self.agencies_participating,
            "agencies_in_roster": self.agencies_in_roster,
            "agency_share": _round(self.agency_share),
            "officers_participating": self.officers_participating,
            "officers_total": self.officers_total,
            "officer_share": _round(self.officer_share),
            "residents_covered": self.residents_covered,
            "residents_total": self.residents_total,
            "resident_share": _round(self.resident_share),
            "counties_covered": self.counties_covered,
            "agencies_without_ori": self.agencies_without_ori,
            "by_type": {row["group"]: {"participating": int(row["participating"]), "in_roster": int(row["in_roster"]),
                                       "share": _round(row["share"])}
                        for row in self.by_type.to_dict("records")},
            "notes": list(self.notes),
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


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
    notes = list(POPULATION_RULES) if (name == NATION or name in ("AK", "CT")) else []
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
    frame = pd.DataFrame({"group": listed["group"].to_numpy(), "taking": taking.to_numpy(),
                          "officers": listed["officers"].to_numpy()})
    frame["officers_taking"] = frame["officers"].where(frame["taking"], 0)
    grouped = frame.groupby("group").agg(participating=("taking", "sum"), in_roster=("taking", "size"),
                                         officers_participating=("officers_taking", "sum"), officers=("officers", "sum"))
    grouped = grouped.reindex(list(GROUPS), fill_value=0).astype("int64")
    grouped["share"] = grouped["participating"] / grouped["in_roster"].where(grouped["in_roster"] > 0)
    grouped.insert(0, "label", [GROUPS[g] for g in grouped.index])
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


def by_type_table(figures: Context) -> pd.DataFrame:
    """The per-type table a page shows: type, with an agreement, in the roster, share (%), officers (types the
    roster has none of in the scope left out)."""
    table = figures.by_type[figures.by_type["in_roster"] > 0]
    return pd.DataFrame({  # shown only (not downloaded): headers and types in the reader's language
        _("Type (FBI roster)"): [_(label) for label in table["label"]],
        _("With an agreement"): table["participating"],
        _("In the roster"): table["in_roster"],
        _("Share"): (100 * table["share"]).round(1),
        _("Officers in them"): table["officers_participating"],
        _("All officers"): table["officers"],
    })


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


def headline(figures: Context) -> str:
    """One sentence for a page: "x of y agencies (z%) ...; a of b residents (c%) ..." (plain text)."""
    def pct(value: float | None) -> str:
        return "–" if value is None else format_percent(value)

    return _("{n} of {total} law-enforcement agencies in the FBI's roster ({share}) have an agreement, with {officers} of "
             "their officers; {residents} of {all_residents} residents ({resident_share}) live in a county whose sheriff "
             "or county jail has one.").format(
        n=format_number(figures.agencies_participating), total=format_number(figures.agencies_in_roster),
        share=pct(figures.agency_share), officers=pct(figures.officer_share),
        residents=format_number(figures.residents_covered), all_residents=format_number(figures.residents_total),
        resident_share=pct(figures.resident_share))


# ------------------------------------------------------------------------------------------------
# Map shadings: per-place classes and plain-text tooltip lines (the renderer escapes and colours them)

PER_CAPITA_EDGES: tuple[float, ...] = (2.0, 5.0, 10.0, 20.0)     # agreements per 100,000 residents
SHARE_EDGES: tuple[float, ...] = (0.02, 0.05, 0.10, 0.25)         # share of roster agencies with an agreement
SHERIFF_CLASSES: tuple[str, ...] = ("JEM", "WSO", "TFM", N_("Several models"))  # shown through _()


@dataclass(frozen=True)
class Shading:
    """What a choropleth shows: ``values`` maps a place (county GEOID or state code) to [class index, tooltip
    line, ...] in plain text; ``classes`` names each class in legend order; places absent have no value."""

    title: str
    classes: tuple[str, ...]
    values: dict[str, list]
    notes: tuple[str, ...] = ()
    sequential: bool = True       # classes are ordered (a sequential palette) rather than categories


def _edge_class(value: float, edges: tuple[float, ...]) -> int:
    return sum(1 for edge in edges if value >= edge)


def _edge_labels(edges: tuple[float, ...], fmt) -> tuple[str, ...]:
    labels = [_("under {value}").format(value=fmt(edges[0]))]
    labels += [_("{low} to under {high}").format(low=fmt(low), high=fmt(high)) for low, high in zip(edges, edges[1:])]
    return (*labels, _("{value} or more").format(value=fmt(edges[-1])))


def county_per_capita(rows: pd.DataFrame, population: Population) -> Shading:
    """Counties by agreements per 100,000 residents (Census 2023): every county and city agreement placed in
    the county, statewide agencies left out. Connecticut's counties get no value (residents at state level
    only)."""
    from mapcore.analysis.query import county_summary

    summary = county_summary(rows)
    values: dict[str, list] = {}
    for row in summary.itertuples():
        residents = population.by_county.get(str(row.county_fips))
        if residents is None or not residents:
            continue
        rate = 100_000 * int(row.agreements) / int(residents)
        values[str(row.county_fips)] = [
            _edge_class(rate, PER_CAPITA_EDGES),
            ngettext("{rate} agreements per 100,000 residents ({n} agreement, {residents} residents)",
                     "{rate} agreements per 100,000 residents ({n} agreements, {residents} residents)",
                     int(row.agreements)).format(rate=format_number(rate, 1), n=format_number(int(row.agreements)),
                                                 residents=format_number(int(residents))),
            _("Models: {models}").format(models=row.models), str(row.agencies)]
    return Shading(_("287(g) agreements per 100,000 residents"),
                   _edge_labels(PER_CAPITA_EDGES, lambda v: format_number(v)), values,
                   (_("Residents: Census estimates for July 2023.") + " " + curated(POPULATION_RULES[1]),))


def county_sheriff_models(rows: pd.DataFrame) -> Shading:
    """Counties whose sheriff or county jail has an agreement, by the model(s) it chose (the rule of
    :func:`mapcore.analysis.compliance.is_sheriff_or_jail`)."""
    title = _("Sheriff or county jail with a 287(g) agreement, by model")
    classes = tuple(_(c) for c in SHERIFF_CLASSES)
    if rows.empty:
        return Shading(title, classes, {}, sequential=False)
    chosen = rows[is_sheriff_or_jail(rows).to_numpy() & rows["county_fips"].notna().to_numpy()]
    values: dict[str, list] = {}
    slim = pd.DataFrame({"county": chosen["county_fips"].astype(str).to_numpy(), "model": chosen["model"].astype(object).to_numpy(),
                         "agency": chosen["agency"].astype(object).to_numpy()})
    for county, group in slim.groupby("county"):
        models = [m for m in ("JEM", "WSO", "TFM") if m in set(group["model"])]
        index = SHERIFF_CLASSES.index(models[0]) if len(models) == 1 else len(SHERIFF_CLASSES) - 1
        values[str(county)] = [index, _("Sheriff or county jail: {models}").format(
                                   models=", ".join(models) or _("model not given")),
                               "; ".join(sorted({str(a) for a in group["agency"]}))]
    return Shading(title, classes, values,
                   (_("Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                      "corrections or detention agency."),), sequential=False)


def state_agency_shares(rows: pd.DataFrame, roster: pd.DataFrame, population: Population) -> Shading:
    """States by the share of the FBI roster's agencies with an agreement (see :func:`state_shares`)."""
    table = state_shares(rows, roster, population)
    values: dict[str, list] = {}
    for row in table.itertuples():
        if not row.agencies_participating:
            continue                    # no agreement: the map's "none"
        share = float(row.agency_share)
        values[str(row.state)] = [
            _edge_class(share, SHARE_EDGES),
            _("{share} of law-enforcement agencies have an agreement ({n} of {total} in the FBI roster)").format(
                share=format_percent(share), n=format_number(row.agencies_participating),
                total=format_number(row.agencies_in_roster)),
            _("Residents in counties whose sheriff or jail takes part:") + " "
            + ("–" if pd.isna(row.resident_share) else format_percent(float(row.resident_share)))]
    labels = _edge_labels(SHARE_EDGES, lambda v: format_percent(v, decimals=0))
    return Shading(_("Share of agencies with a 287(g) agreement"), labels, values, (_(SOURCE_NOTE),))
