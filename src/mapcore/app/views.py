"""What pages show, as pure functions: the user-facing table, filter options, headline figures.

Pages stay thin: they lay out widgets and call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mapcore.analysis.context import Context
from mapcore.analysis.query import agency_count, model_counts
from mapcore.core.schema import LEVEL_STATEWIDE, MODEL_NAMES, MODELS
from mapcore.ingest.laws import STATUS_LABELS, STATUS_ORDER, UNCONFIRMED

if TYPE_CHECKING:
    from mapcore.app.data import AppData

TABLE_COLUMNS = {
    "state": "State",
    "agency": "Agency",
    "ori": "FBI ORI",
    "jurisdiction_type": "Type",
    "county_name": "County",
    "model": "Model",
    "signed": "Signed",
    "moa_url": "MOA",
    "addendum_url": "Addendum",
    "law_status": "State law",
}


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The agreements as users read them: named columns, statewide agencies marked, sorted."""
    out = frame.reindex(columns=list(TABLE_COLUMNS)).copy()
    out = out.astype({c: "object" for c in ("state", "ori", "jurisdiction_type", "county_name", "model", "law_status")})
    statewide = frame["level"].astype("object").eq(LEVEL_STATEWIDE).to_numpy() if "level" in frame else False
    out.loc[statewide, "county_name"] = "(statewide)"
    out["law_status"] = out["law_status"].map(lambda s: STATUS_LABELS.get(s, s) if isinstance(s, str) else s)
    if "law_unconfirmed" in frame:  # the law in force on the sheet's date is doubtful: say so in the cell
        flagged = frame["law_unconfirmed"].fillna(False).astype(bool).to_numpy() & out["law_status"].notna().to_numpy()
        out.loc[flagged, "law_status"] = out.loc[flagged, "law_status"] + f" ({UNCONFIRMED})"
    out["signed"] = pd.to_datetime(out["signed"]).dt.date
    out = out.sort_values(["state", "agency", "model"], kind="stable")
    return out.rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def table_height(rows: int, limit: int = 420) -> int:
    """Pixel height that fits a short table exactly and caps a long one (then it scrolls)."""
    return min(limit, 38 + 35 * max(rows, 1))


def model_options() -> dict[str, str]:
    return {code: f"{code}: {name}" for code, name in MODEL_NAMES.items()}


def law_options() -> dict[str, str]:
    return {status: STATUS_LABELS.get(status, status) for status in STATUS_ORDER}


def type_options(frame: pd.DataFrame) -> list[str]:
    present = set(frame["jurisdiction_type"].astype("object").fillna("Unknown"))
    return [t for t in ("County", "Municipality", "State", "Unknown") if t in present]


def state_options(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["state"].dropna().astype(str).unique())


def headline(frame: pd.DataFrame) -> dict[str, int]:
    """Agreements, per model, states and agencies of a set of rows."""
    return {
        "agreements": int(len(frame)),
        **model_counts(frame),
        "states": int(frame["state"].nunique()),
        "agencies": agency_count(frame),
        "statewide": int((frame["level"].astype("object") == LEVEL_STATEWIDE).sum()),
    }


def statewide_note(frame: pd.DataFrame) -> tuple[str, list[str]]:
    """A sentence saying statewide agencies are shown at state level, and their names ('' when none)."""
    rows = frame[frame["level"].astype("object") == LEVEL_STATEWIDE]
    if rows.empty:
        return "", []
    agencies = rows[["state", "agency"]].astype("object").drop_duplicates().sort_values(["state", "agency"])
    names = [f"{a} ({s})" for s, a in zip(agencies["state"], agencies["agency"])]
    several = len(rows) != 1
    sentence = (f"{len(rows)} agreement{'s' if several else ''} of {len(agencies)} statewide "
                f"agenc{'ies' if len(agencies) != 1 else 'y'} (state police, corrections, national guard, ...) "
                f"{'are' if several else 'is'} shown at state level as black diamonds, not spread over counties.")
    return sentence, names


# The maps a page can show: (key, label, county or state level).
MAP_VIEWS: dict[str, tuple[str, str]] = {
    "county": ("Agreements per county", "counties"),
    "per_capita": ("Per 100,000 residents", "counties"),
    "sheriff": ("Sheriff's agreement, by model", "counties"),
    "state": ("Agreements per state", "states"),
    "state_share": ("Share of agencies per state", "states"),
}


def map_for(view: str, rows: pd.DataFrame, data: AppData, show_law: bool = False, only_states: tuple[str, ...] = (),
            laws: pd.DataFrame | None = None, empty_note: str = "No 287(g) agreement in this view.") -> Any:
    """The map of one of :data:`MAP_VIEWS` for a set of agreements (values computed in
    :mod:`mapcore.analysis.context` and :mod:`mapcore.analysis.query`). ``laws``: the law table to draw,
    normally the law in force on the shown sheet's date (``data.laws_on``); the current table if None."""
    laws = data.laws if laws is None else laws
    from mapcore.analysis import context, query
    from mapcore.render import maps

    statewide = rows[rows["level"].astype("object") == LEVEL_STATEWIDE]
    if view == "per_capita" and data.population is not None:
        return maps.shaded_map("counties", context.county_per_capita(rows, data.population), laws, statewide,
                               only_states, show_law, none_text="No 287(g) agreement, or no resident count")
    if view == "sheriff":
        return maps.shaded_map("counties", context.county_sheriff_models(rows), laws, statewide, only_states, show_law,
                               none_text="No sheriff or county jail agreement")
    if view == "state_share" and data.roster is not None and data.population is not None:
        return maps.shaded_map("states", context.state_agency_shares(rows, data.roster, data.population), laws,
                               None, (), show_law, none_text="No agency with an agreement")
    if view in ("state", "state_share"):
        return maps.state_map(query.state_summary(rows), laws=laws, show_law=show_law)
    return maps.county_map(query.county_summary(rows), laws=laws, statewide=statewide, only_states=only_states,
                           show_law=show_law, empty_note=empty_note)


def percent(value: float | None) -> str:
    """"12.3%", or "–" when there is nothing to divide by."""
    return "–" if value is None or pd.isna(value) else f"{100 * value:.1f}%"


def context_metrics(figures: Context) -> list[tuple[str, str, str]]:
    """(label, value, help) of the three shares a page shows: agencies, officers, residents."""
    return [
        ("Agencies with an agreement", percent(figures.agency_share),
         f"{figures.agencies_participating:,} of the {figures.agencies_in_roster:,} law-enforcement agencies in the FBI's roster "
         f"(federal agencies left out). {figures.agencies_without_ori:,} more agencies with an agreement have no FBI record "
         "we could match, so this is a floor."),
        ("Officers in those agencies", percent(figures.officer_share),
         f"{figures.officers_participating:,} of {figures.officers_total:,} sworn officers (the FBI's latest count per agency)."),
        ("Residents in covered counties", percent(figures.resident_share),
         f"{figures.residents_covered:,} of {figures.residents_total:,} residents (Census, July 2023) live in the "
         f"{figures.counties_covered:,} counties whose sheriff or county jail has an agreement."),
    ]


__all__ = ["display_table", "headline", "model_options", "law_options", "type_options", "state_options", "statewide_note", "MODELS",
           "percent", "context_metrics",
           "MAP_VIEWS", "map_for"]
