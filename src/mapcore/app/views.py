"""What pages show, as pure functions: the user-facing table, filter options, headline figures.

Pages stay thin: they lay out widgets and call these.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis.query import agency_count, model_counts
from mapcore.core.schema import LEVEL_STATEWIDE, MODEL_NAMES, MODELS
from mapcore.ingest.laws import STATUS_LABELS, STATUS_ORDER

TABLE_COLUMNS = {
    "state": "State",
    "agency": "Agency",
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
    out = out.astype({c: "object" for c in ("state", "jurisdiction_type", "county_name", "model", "law_status")})
    statewide = frame["level"].astype("object").eq(LEVEL_STATEWIDE).to_numpy() if "level" in frame else False
    out.loc[statewide, "county_name"] = "(statewide)"
    out["law_status"] = out["law_status"].map(lambda s: STATUS_LABELS.get(s, s) if isinstance(s, str) else s)
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
                f"{'are' if several else 'is'} shown at state level as purple diamonds, not spread over counties.")
    return sentence, names


__all__ = ["display_table", "headline", "model_options", "law_options", "type_options", "state_options", "statewide_note", "MODELS"]
