"""What pages show, as pure functions: the user-facing table, filter options, headline figures.

Pages stay thin: they lay out widgets and call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from mapcore.analysis.context import Context
from mapcore.analysis.query import agency_count, agency_names, model_counts, state_counts
from mapcore.analysis.state_profile import state_name
from mapcore.core.schema import LEVEL_REGIONAL, LEVEL_STATEWIDE, MODEL_NAMES, MODELS
from mapcore.ingest.laws import STATUS_LABELS, STATUS_ORDER, UNCONFIRMED
from mapcore.render import map_views

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
    if "region_counties" in frame:
        regional = (frame["level"].astype("object").eq(LEVEL_REGIONAL) & frame["region_counties"].notna()).to_numpy()
        out.loc[regional, "county_name"] = "(regional) " + frame.loc[regional, "region_counties"].astype(str)
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
    types = frame["jurisdiction_type"]
    present = {str(t) for t in types.dropna().unique()} | ({"Unknown"} if types.isna().any() else set())
    return [t for t in ("County", "Municipality", "State", "Unknown") if t in present]


def state_options(frame: pd.DataFrame) -> list[str]:
    return sorted(str(s) for s in frame["state"].dropna().unique())


def headline(frame: pd.DataFrame) -> dict:
    """Agreements, per model, states (the 50 and DC) and territories apart, and agencies of a set of rows."""
    return {
        "agreements": int(len(frame)),
        **model_counts(frame),
        **state_counts(frame),
        "agencies": agency_count(frame),
        "statewide": int((frame["level"].astype("object") == LEVEL_STATEWIDE).sum()),
    }


def states_metric(figures: dict) -> tuple[str, str, str]:
    """(label, value, help) of the "states" figure: the 50 states and DC, territories counted apart
    ("States + territories", "39 + 2") so a territory is never counted as a state."""
    states, territories = int(figures["states"]), int(figures.get("territories", 0))
    if not territories:
        return "States", f"{states:,}", f"Of the 50 states and DC, {states:,} {'has' if states == 1 else 'have'} agreements here."
    names = ", ".join(state_name(code) for code in figures.get("territory_codes", ()))
    plural = "y" if territories == 1 else "ies"
    return ("States + territories", f"{states:,} + {territories:,}",
            f"{states:,} of the 50 states and DC, plus {territories:,} territor{plural} ({names}), counted apart.")


def statewide_note(frame: pd.DataFrame, noun: str = "agreement") -> tuple[str, list[str]]:
    """A sentence saying statewide agencies are shown at state level, and their names ('' when none)."""
    rows = frame[frame["level"].astype("object") == LEVEL_STATEWIDE]
    if rows.empty:
        return "", []
    agencies = pd.DataFrame({"state": rows["state"].astype("object"), "agency": agency_names(rows)})
    agencies = agencies.drop_duplicates().sort_values(["state", "agency"])
    names = [f"{a} ({s})" for s, a in zip(agencies["state"], agencies["agency"])]
    several = len(rows) != 1
    sentence = (f"{len(rows)} {noun}{'s' if several else ''} of {len(agencies)} statewide "
                f"agenc{'ies' if len(agencies) != 1 else 'y'} (state police, corrections, national guard, ...) "
                f"{'are' if several else 'is'} shown at state level as black diamonds, not spread over counties.")
    return sentence, names


def no_data_message(source: str, error: object) -> tuple[str, str]:
    """What a user reads when no dataset could be loaded: what happened, where ICE's sheets come from,
    the exact command to run, and that reloading the page picks the sheets up (markdown), with its
    level: 'info' when there is simply no sheet yet, 'error' when sheets are there but broken."""
    from pathlib import Path

    from mapcore.core import config

    detail = " ".join(str(error).split())[:300]
    level = "info"
    if config.is_url(source):
        happened = (f"ICE's sheets could not be downloaded from {source}, and none were downloaded before "
                    f"(the error: {detail}).")
        command = ".venv/bin/mapcore build"
        then = ("This downloads ICE's current sheets and reads them. Without network access, point the app at a "
                "folder of sheets instead: `MAPCORE_SOURCE=/path/to/sheets make run`.")
    else:
        folder = Path(source).expanduser()
        if not folder.is_dir():
            happened = f"The folder `{source}` (set in `MAPCORE_SOURCE`) does not exist."
        elif not any(folder.rglob("*.xlsx")):
            happened = f"The folder `{source}` (set in `MAPCORE_SOURCE`) holds no ICE sheet (no `.xlsx` file)."
        else:
            level = "error"
            happened = f"The sheets in `{source}` could not be read: {detail}."
        command = f".venv/bin/mapcore fetch --into {folder}"
        then = ("This downloads ICE's current sheets into that folder; you can also copy `.xlsx` sheets you "
                "already have into it.")
    return level, (f"**No 287(g) data yet.** {happened}\n\n"
            "The data comes from ICE's 287(g) page (https://www.ice.gov/identify-and-arrest/287g), which publishes "
            "two Excel sheets: the participating agencies and the pending applications.\n\n"
            f"To load them, run this in the app's folder:\n\n```\n{command}\n```\n\n{then} Then reload this page: "
            "the app reads the new sheets (the first time takes a few minutes).")


def regional_note(frame: pd.DataFrame, noun: str = "agreement") -> tuple[str, list[str]]:
    """A sentence saying regional bodies are shown on each county they serve, and their names with
    their counties ('' when none)."""
    rows = frame[frame["level"].astype("object") == LEVEL_REGIONAL] if "level" in frame else frame.iloc[0:0]
    if rows.empty:
        return "", []
    regions = rows["region_counties"].astype("object") if "region_counties" in rows else pd.Series(None, index=rows.index)
    agencies = pd.DataFrame({"state": rows["state"].astype("object"), "agency": agency_names(rows),
                             "counties": regions.where(regions.notna(), "counties not known").to_numpy()})
    agencies = agencies.drop_duplicates(["state", "agency"]).sort_values(["state", "agency"])
    names = [f"{a} ({s}): {c}" for s, a, c in zip(agencies["state"], agencies["agency"], agencies["counties"])]
    unknown = int(regions.isna().sum())
    known = len(rows) - unknown
    parts = []
    if known:
        parts.append(f"{known} {'are' if known != 1 else 'is'} named on each county served")
    if unknown:
        parts.append(f"{unknown} {'have' if unknown != 1 else 'has'} no county we could confirm (listed on the Methodology page)")
    sentence = (f"{len(rows)} {noun}{'s' if len(rows) != 1 else ''} of {len(agencies)} regional "
                f"bod{'ies' if len(agencies) != 1 else 'y'} (judicial circuits, regional jails, multi-county task forces): "
                f"{'; '.join(parts)}. None is counted in one county or spread over the state.")
    return sentence, names



# The maps a page can show: (key, label, county or state level).
MAP_VIEWS: dict[str, tuple[str, str]] = map_views.MAP_VIEWS


def map_for(view: str, rows: pd.DataFrame, data: AppData, show_law: bool = False, only_states: tuple[str, ...] = (),
            laws: pd.DataFrame | None = None, empty_note: str = "No 287(g) agreement in this view.") -> Any:
    """The map of one of :data:`MAP_VIEWS` for a set of agreements (:func:`mapcore.render.map_views.map_of`).
    ``laws``: the law table to draw, normally the law in force on the shown sheet's date
    (``data.laws_on``); the current table if None."""
    return map_views.map_of(view, rows, data.laws if laws is None else laws, show_law, only_states,
                            population=data.population, roster=data.roster, empty_note=empty_note)


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


__all__ = ["regional_note", "no_data_message", "display_table", "headline", "states_metric", "model_options",
           "law_options", "type_options", "state_options", "statewide_note", "MODELS", "percent", "context_metrics",
           "MAP_VIEWS", "map_for"]
