"""Context in words: the shares of agencies, officers and residents covered (:mod:`mapcore.analysis.context`) said
in the reader's language, and the map shadings built on them (classes, tooltips, notes).

The figures are facts (counts, codes); the sentences, the types' names, the population rules and the maps'
legends are made here when shown. ``mapcore stats --json`` keeps English (:func:`context_json`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mapcore.analysis.compliance import is_sheriff_or_jail
from mapcore.analysis.context import PER_CAPITA_EDGES, SHARE_EDGES, Context, edge_class, state_shares
from mapcore.core.i18n import N_, NT_, _, curated, format_number, format_percent, ngettext
from mapcore.reference.population import Population
from mapcore.words.names import names_text

GROUPS: dict[str, str] = {  # English msgids: by_type_table shows them through _()
    "sheriff": N_("Sheriffs' offices"),
    "county": N_("County police and other county agencies"),
    "municipal": N_("Municipal police"),
    "state": N_("State agencies"),
    "other": N_("Universities, tribal and other agencies"),
}
SOURCE_NOTE = N_(
    "Agencies and officers: FBI Law Enforcement Employees data (latest year per agency) via 287g-watch, "
    "CC BY 4.0. Residents: U.S. Census Bureau, county estimates for July 2023."
)  # shown as _(SOURCE_NOTE)
# The population rules of mapcore.reference.population, by the state each applies to (domain texts).
POPULATION_RULES: dict[str, str] = {
    "AK": NT_(
        "Alaska: Chugach and Copper River census areas (2019) are added up into Valdez-Cordova, the unit of the 2016 boundary layer."
    ),
    "CT": NT_(
        "Connecticut: the Census counts residents in 9 planning regions that do not nest in the 8 former counties "
        "of the boundary layer, so Connecticut's residents count in state and national totals only, never in a county."
    ),
}


def notes(figures: Context) -> list[str]:
    """The population rules behind ``figures``, in the reader's language."""
    return [curated(POPULATION_RULES[code]) for code in figures.notes]


def _round(value: float | None) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def context_json(figures: Context) -> dict[str, Any]:
    """The ``context`` block of ``mapcore stats --json`` (keys relied on by scripts: add, don't rename), its
    notes in English."""
    return {
        "scope": figures.scope,
        "agencies_participating": figures.agencies_participating,
        "agencies_in_roster": figures.agencies_in_roster,
        "agency_share": _round(figures.agency_share),
        "officers_participating": figures.officers_participating,
        "officers_total": figures.officers_total,
        "officer_share": _round(figures.officer_share),
        "residents_covered": figures.residents_covered,
        "residents_total": figures.residents_total,
        "resident_share": _round(figures.resident_share),
        "counties_covered": figures.counties_covered,
        "agencies_without_ori": figures.agencies_without_ori,
        "by_type": {
            row["group"]: {"participating": int(row["participating"]), "in_roster": int(row["in_roster"]), "share": _round(row["share"])}
            for row in figures.by_type.to_dict("records")
        },
        "notes": [POPULATION_RULES[code] for code in figures.notes],
    }


def by_type_table(figures: Context) -> pd.DataFrame:
    """The per-type table a page shows: type, with an agreement, in the roster, share (%), officers (types the
    roster has none of in the scope left out)."""
    table = figures.by_type[figures.by_type["in_roster"] > 0]
    return pd.DataFrame(
        {  # shown only (not downloaded): headers and types in the reader's language
            _("Type (FBI roster)"): [_(GROUPS[group]) for group in table["group"]],
            _("With an agreement"): table["participating"],
            _("In the roster"): table["in_roster"],
            _("Share"): (100 * table["share"]).round(1),
            _("Officers in them"): table["officers_participating"],
            _("All officers"): table["officers"],
        }
    )


def share_text(value: float | None) -> str:
    """ "12.3%", or "–" when there is nothing to divide by."""
    return "–" if value is None or pd.isna(value) else format_percent(value)


def context_metrics(figures: Context) -> list[tuple[str, str, str]]:
    """(label, value, help) of the three shares a page shows: agencies, officers, residents."""
    return [
        (
            _("Agencies with an agreement"),
            share_text(figures.agency_share),
            _(
                "{n} of the {total} law-enforcement agencies in the FBI's roster (federal agencies left out). {more} more "
                "agencies with an agreement have no FBI record we could match, so this is a floor."
            ).format(
                n=format_number(figures.agencies_participating),
                total=format_number(figures.agencies_in_roster),
                more=format_number(figures.agencies_without_ori),
            ),
        ),
        (
            _("Officers in those agencies"),
            share_text(figures.officer_share),
            _("{n} of {total} sworn officers (the FBI's latest count per agency).").format(
                n=format_number(figures.officers_participating), total=format_number(figures.officers_total)
            ),
        ),
        (
            _("Residents in covered counties"),
            share_text(figures.resident_share),
            _(
                "{n} of {total} residents (Census, July 2023) live in the {counties} counties whose sheriff or county jail "
                "has an agreement."
            ).format(
                n=format_number(figures.residents_covered),
                total=format_number(figures.residents_total),
                counties=format_number(figures.counties_covered),
            ),
        ),
    ]


def headline(figures: Context) -> str:
    """One sentence for a page: "x of y agencies (z%) ...; a of b residents (c%) ..." (plain text)."""

    return _(
        "{n} of {total} law-enforcement agencies in the FBI's roster ({share}) have an agreement, with {officers} of "
        "their officers; {residents} of {all_residents} residents ({resident_share}) live in a county whose sheriff "
        "or county jail has one."
    ).format(
        n=format_number(figures.agencies_participating),
        total=format_number(figures.agencies_in_roster),
        share=share_text(figures.agency_share),
        officers=share_text(figures.officer_share),
        residents=format_number(figures.residents_covered),
        all_residents=format_number(figures.residents_total),
        resident_share=share_text(figures.resident_share),
    )


# ------------------------------------------------------------------------------------------------
# Map shadings: per-place classes and plain-text tooltip lines (the renderer escapes and colours them)

SHERIFF_CLASSES: tuple[str, ...] = ("JEM", "WSO", "TFM", N_("Several models"))  # shown through _()


@dataclass(frozen=True)
class Shading:
    """What a choropleth shows: ``values`` maps a place (county GEOID or state code) to [class index, tooltip
    line, ...] in plain text; ``classes`` names each class in legend order; places absent have no value."""

    title: str
    classes: tuple[str, ...]
    values: dict[str, list]
    notes: tuple[str, ...] = ()
    sequential: bool = True  # classes are ordered (a sequential palette) rather than categories


def _edge_labels(edges: tuple[float, ...], fmt: Callable[[float], str]) -> tuple[str, ...]:
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
            edge_class(rate, PER_CAPITA_EDGES),
            ngettext(
                "{rate} agreements per 100,000 residents ({n} agreement, {residents} residents)",
                "{rate} agreements per 100,000 residents ({n} agreements, {residents} residents)",
                int(row.agreements),
            ).format(rate=format_number(rate, 1), n=format_number(int(row.agreements)), residents=format_number(int(residents))),
            _("Models: {models}").format(models=row.models),
            names_text(row.agencies),
        ]
    return Shading(
        _("287(g) agreements per 100,000 residents"),
        _edge_labels(PER_CAPITA_EDGES, lambda v: format_number(v)),
        values,
        (_("Residents: Census estimates for July 2023.") + " " + curated(POPULATION_RULES["CT"]),),
    )


def county_sheriff_models(rows: pd.DataFrame) -> Shading:
    """Counties whose sheriff or county jail has an agreement, by the model(s) it chose (the rule of
    :func:`mapcore.analysis.compliance.is_sheriff_or_jail`)."""
    title = _("Sheriff or county jail with a 287(g) agreement, by model")
    classes = tuple(_(c) for c in SHERIFF_CLASSES)
    if rows.empty:
        return Shading(title, classes, {}, sequential=False)
    chosen = rows[is_sheriff_or_jail(rows).to_numpy() & rows["county_fips"].notna().to_numpy()]
    values: dict[str, list] = {}
    slim = pd.DataFrame(
        {
            "county": chosen["county_fips"].astype(str).to_numpy(),
            "model": chosen["model"].astype(object).to_numpy(),
            "agency": chosen["agency"].astype(object).to_numpy(),
        }
    )
    for county, group in slim.groupby("county"):
        models = [m for m in ("JEM", "WSO", "TFM") if m in set(group["model"])]
        index = SHERIFF_CLASSES.index(models[0]) if len(models) == 1 else len(SHERIFF_CLASSES) - 1
        values[str(county)] = [
            index,
            _("Sheriff or county jail: {models}").format(models=", ".join(models) or _("model not given")),
            "; ".join(sorted({str(a) for a in group["agency"]})),
        ]
    return Shading(
        title,
        classes,
        values,
        (
            _(
                "Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                "corrections or detention agency."
            ),
        ),
        sequential=False,
    )


def state_agency_shares(rows: pd.DataFrame, roster: pd.DataFrame, population: Population) -> Shading:
    """States by the share of the FBI roster's agencies with an agreement (see
    :func:`mapcore.analysis.context.state_shares`)."""
    table = state_shares(rows, roster, population)
    values: dict[str, list] = {}
    for row in table.itertuples():
        if not row.agencies_participating:
            continue  # no agreement: the map's "none"
        share = float(row.agency_share)
        values[str(row.state)] = [
            edge_class(share, SHARE_EDGES),
            _("{share} of law-enforcement agencies have an agreement ({n} of {total} in the FBI roster)").format(
                share=format_percent(share), n=format_number(row.agencies_participating), total=format_number(row.agencies_in_roster)
            ),
            _("Residents in counties whose sheriff or jail takes part:")
            + " "
            + ("–" if pd.isna(row.resident_share) else format_percent(float(row.resident_share))),
        ]
    labels = _edge_labels(SHARE_EDGES, lambda v: format_percent(v, decimals=0))
    return Shading(_("Share of agencies with a 287(g) agreement"), labels, values, (_(SOURCE_NOTE),))
