"""One state at a glance: its law on 287(g), its agreements, their growth. Pure functions for the
State page, so the page only lays out widgets; facts only (the law's words: :mod:`mapcore.words.law`).

States are postal codes. The choice list is the 50 states and DC (even with no agreement, since a
user may ask "what does Vermont's law say?") plus any territory present in ICE's sheets (Guam,
the Northern Mariana Islands...), which have agreements but no row in the law table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import us

from mapcore.analysis.law_on_day import laws_in_force
from mapcore.analysis.query import agency_count
from mapcore.core.schema import LEVEL_STATEWIDE, MODELS, STATES_AND_DC
from mapcore.core.text import is_http_url

_BASE_STATES: tuple[str, ...] = tuple(sorted(STATES_AND_DC))


def state_name(code: str | None) -> str:
    """'Texas' for 'TX'; the code itself when unknown (never raises)."""
    if not code:
        return ""
    found = us.states.lookup(str(code), field="abbr")
    return found.name if found is not None else str(code)


def state_label(code: str) -> str:
    """'Texas (TX)', for select boxes."""
    return f"{state_name(code)} ({code})"


def state_choices(agreements: pd.DataFrame | None = None) -> list[str]:
    """Postal codes of the 50 states, DC and the territories present in the agreements, by name."""
    codes = set(_BASE_STATES)
    if agreements is not None and "state" in agreements and len(agreements):
        codes |= {str(s) for s in agreements["state"].dropna().astype(str).unique()}
    return sorted(codes, key=lambda c: (state_name(c).casefold(), c))


def busiest_state(rows: pd.DataFrame) -> str | None:
    """The state with the most agreements among the rows (None when there is none)."""
    counts = rows["state"].astype("object").value_counts()
    return str(counts.index[0]) if len(counts) else None


def parse_state(value: object, choices: list[str]) -> str | None:
    """A URL's ``state`` value ('TX', 'tx', 'Texas') as one of the choices, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.upper() in choices:
        return text.upper()
    found = us.states.lookup(text)
    if found is not None and found.abbr in choices:
        return found.abbr
    return None


# ------------------------------------------------------------------------------------------------
# The law


def state_law(laws: pd.DataFrame, state: str, on: object = None) -> dict[str, Any] | None:
    """The law-table row of a state as plain values (NA -> None, days as dates), None when absent; facts only
    (its words: :func:`mapcore.words.law.law_html`). ``low_confidence`` is True for low-confidence research.

    With ``on`` (a day, e.g. the shown sheet's date) the row also says what stood that day by the one rule
    (:func:`mapcore.analysis.law_on_day.laws_in_force`): ``on``, ``status_on``, ``class_on``, ``timing``,
    ``in_force``, ``mark`` and ``unconfirmed`` (the law shown that day rests on low-confidence research)."""
    rows = laws[laws["state"].astype(str) == str(state)]
    if rows.empty:
        return None
    raw = rows.iloc[0].to_dict()
    row = {k: (None if _missing(v) else v) for k, v in raw.items()}
    row["status"] = str(row["status"])
    row["low_confidence"] = row.get("confidence") == "low"
    row["unconfirmed"] = row["low_confidence"]
    url = row.get("source_url")
    row["source_url"] = url if is_http_url(url) else None
    year = row.get("effective_year")
    row["effective_year"] = int(year) if year is not None else None
    for key in ("enacted", "effective_date", "deadline", "checked"):
        value = row.get(key)
        row[key] = pd.Timestamp(value).date() if value is not None else None
    if on is not None and not _missing(on):
        day = laws_in_force(rows.iloc[:1], pd.Timestamp(on)).iloc[0]
        row["on"] = pd.Timestamp(on).date()
        row["status_on"] = None if _missing(day["status"]) else str(day["status"])
        row["class_on"] = day["law_class"]
        row["timing"] = day["timing"]
        row["in_force"] = bool(day["in_force"])
        row["mark"] = day["mark"]
        row["unconfirmed"] = bool(day["unconfirmed"])
    return row


def _missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------------
# Agreements


def state_rows(rows: pd.DataFrame, state: str) -> pd.DataFrame:
    """The rows of one state."""
    return rows[rows["state"].astype("object") == state]


def statewide_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["level"].astype("object") == LEVEL_STATEWIDE]


def figures(rows: pd.DataFrame) -> dict[str, int]:
    """Agreements in total, per model, agencies and statewide agreements of a set of rows."""
    counts = rows["model"].astype("object").value_counts()
    return {
        "agreements": int(len(rows)),
        **{m: int(counts.get(m, 0)) for m in MODELS},
        "agencies": agency_count(rows),
        "statewide": int(len(statewide_rows(rows))),
    }


def agreements_over_time(
    agreements: pd.DataFrame, sheets: pd.DataFrame, state: str, kind: str = "participating", per_day: bool = True
) -> pd.DataFrame:
    """Agreements listed per publication of a kind, per model and in total, for one state.

    Every publication of the kind has a row (0 when the state had none), oldest first; with
    ``per_day`` only the last sheet of each day is kept (ICE sometimes posts several a day).
    Columns: publication_date, publication_id, JEM, WSO, TFM, total.
    """
    pubs = sheets[sheets["kind"] == kind].sort_values("sequence")
    ids = pubs["publication_id"].astype(str).to_numpy()
    chosen = agreements[(agreements["kind"].astype("object") == kind) & (agreements["state"].astype("object") == state)]
    pub = chosen["publication_id"].astype(str)
    model = chosen["model"].astype("object").fillna("?")
    table = pd.crosstab(pub, model) if len(chosen) else pd.DataFrame()
    out = pd.DataFrame({"publication_date": pd.to_datetime(pubs["publication_date"]).to_numpy(), "publication_id": ids})
    for m in MODELS:
        series = table[m] if m in table else pd.Series(dtype="int64")
        out[m] = pd.Series(ids).map(series).fillna(0).astype(int).to_numpy()
    totals = pub.value_counts()
    out["total"] = pd.Series(ids).map(totals).fillna(0).astype(int).to_numpy()
    if per_day and len(out):
        out = out.drop_duplicates("publication_date", keep="last")
    return out.reset_index(drop=True)


def has_boundaries(states: pd.DataFrame, state: str) -> bool:
    """Whether the boundary layer can draw the state (territories other than PR cannot)."""
    return bool((states["state"].astype(str) == str(state)).any())


def download_stem(state: str, publication_date: pd.Timestamp | None) -> str:
    """'287g-TX-2026-04-30': a download's file name without its extension."""
    when = f"{publication_date:%Y-%m-%d}" if publication_date is not None else "none"
    return f"287g-{state}-{when}"


__all__ = [
    "state_name",
    "state_label",
    "state_choices",
    "parse_state",
    "state_law",
    "state_rows",
    "statewide_rows",
    "figures",
    "agreements_over_time",
    "has_boundaries",
    "download_stem",
]
