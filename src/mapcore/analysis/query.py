"""Filters and aggregates over the agreements table: pure pandas, no I/O, no Streamlit.

Pages and the CLI pick a publication (the newest participating sheet by default), filter its rows,
and aggregate them per county, per state and per model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from mapcore.build.agreement_keys import KEY_SEP
from mapcore.core.agency_key import agency_identity, fold
from mapcore.core.schema import LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_REGIONAL, LEVEL_STATEWIDE, MODELS, STATES_AND_DC


def publications(sheets: pd.DataFrame, kind: str = "participating") -> pd.DataFrame:
    """The sheets of one kind in publication order (oldest first)."""
    chosen = sheets[sheets["kind"] == kind]
    return chosen.sort_values("sequence").reset_index(drop=True)


def latest_publication_id(sheets: pd.DataFrame, kind: str = "participating", on_or_before: dt.date | str | None = None) -> str | None:
    """The newest publication of a kind, optionally on or before a date; None when there is none."""
    chosen = publications(sheets, kind)
    if on_or_before is not None:
        chosen = chosen[chosen["publication_date"] <= pd.Timestamp(on_or_before)]
    return None if chosen.empty else str(chosen["publication_id"].iloc[-1])


def previous_publication_id(sheets: pd.DataFrame, publication_id: str) -> str | None:
    """The publication of the same kind just before the given one."""
    row = sheets[sheets["publication_id"] == publication_id]
    if row.empty:
        return None
    same = publications(sheets, str(row["kind"].iloc[0]))
    earlier = same[same["sequence"] < int(row["sequence"].iloc[0])]
    return None if earlier.empty else str(earlier["publication_id"].iloc[-1])


def sheet_index_for(dates: list[str], wanted: str | None) -> tuple[int, bool]:
    """Which of ``dates`` (ISO days, oldest first) a link's ``pub=YYYY-MM-DD`` opens, and whether it is that day:
    the newest sheet of that day; else the newest before it (a link to a day with no sheet still opens the
    sheet that stood then); else, or when none is asked, the newest sheet. ``(-1, True)`` when there is none."""
    newest = len(dates) - 1
    if not wanted or not dates:
        return newest, True
    if wanted in dates:
        return newest - dates[::-1].index(wanted), True
    before = [i for i, day in enumerate(dates) if day < wanted]
    return (before[-1] if before else newest), False


def publication_rows(agreements: pd.DataFrame, publication_id: str | None) -> pd.DataFrame:
    """The agreements of one publication (empty when None)."""
    if publication_id is None:
        return agreements.iloc[0:0]
    return agreements[agreements["publication_id"] == publication_id]


def publication_date_of(sheets: pd.DataFrame, publication_id: str | None) -> pd.Timestamp | None:
    row = sheets[sheets["publication_id"] == publication_id]
    return None if row.empty else pd.Timestamp(row["publication_date"].iloc[0])


def pending_age(sheets: pd.DataFrame, pending_id: str | None, participating_id: str | None = None) -> dict:
    """How old a pending list is next to a participating list (the newest by default): their dates and
    the days between them (positive when the pending list is older)."""
    participating_id = participating_id or latest_publication_id(sheets, "participating")
    pending, participating = publication_date_of(sheets, pending_id), publication_date_of(sheets, participating_id)
    days = (participating - pending).days if pending is not None and participating is not None else None
    return {"pending_date": pending, "participating_date": participating, "days_older": days}


@dataclass(frozen=True)
class Filters:
    """What a user can filter by; empty tuples mean 'all'."""

    models: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    law_statuses: tuple[str, ...] = ()  # law classes (mapcore.analysis.law_on_day.LAW_CLASSES)
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    text: str = ""

    def is_empty(self) -> bool:
        return self == Filters()

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def filter_parts(filters: Filters) -> list[str]:
    """The filters as short file-name parts, for :func:`mapcore.core.tables.file_stem`:
    ['TX', 'TFM'] for Texas Task Force agreements; ['12-states'] beyond four states."""

    def joined(values: tuple[str, ...], what: str, most: int = 4) -> str:
        return "_".join(values) if len(values) <= most else f"{len(values)}-{what}"

    parts = [
        joined(filters.states, "states"),
        joined(filters.models, "models"),
        joined(filters.types, "types"),
        joined(filters.law_statuses, "laws"),
    ]
    if filters.signed_from or filters.signed_to:
        parts.append(f"signed-{filters.signed_from or 'any'}-to-{filters.signed_to or 'any'}")
    if filters.text:
        parts.append("name-" + filters.text[:30])
    return [p for p in parts if p]


def describe_filters(filters: Filters) -> str:
    """The filters in words, for a download's About sheet ('none' when no filter is set)."""
    from mapcore.core.tables import filter_summary

    signed = None
    if filters.signed_from or filters.signed_to:
        signed = f"from {filters.signed_from or 'the first'} to {filters.signed_to or 'the last'}"
    return filter_summary(
        [
            ("states", filters.states),
            ("models", filters.models),
            ("jurisdiction types", filters.types),
            ("state law", filters.law_statuses),
            ("signed", signed),
            ("agency name contains", f"'{filters.text}'" if filters.text else None),
        ]
    )


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows matching every filter that is set. Signed-date bounds are inclusive; undated rows drop out
    only when a bound is set."""
    mask = np.ones(len(frame), dtype=bool)  # row by row, in the frame's order
    if filters.models:
        mask &= frame["model"].isin(filters.models).to_numpy()
    if filters.states:
        mask &= frame["state"].isin(filters.states).to_numpy()
    if filters.types:
        types = frame["jurisdiction_type"].astype("object").fillna("Unknown")
        mask &= types.isin(filters.types).to_numpy()
    if filters.law_statuses:
        # the law class in force on each row's sheet date (mapcore.analysis.law_on_day.attach_law): a new law not
        # yet in force, or whose day is not known, never matches its new status
        if "law_class" not in frame:
            raise KeyError("a state-law filter needs the law attached to the rows (law_on_day.attach_law)")
        mask &= frame["law_class"].astype("object").isin(filters.law_statuses).to_numpy()
    if filters.signed_from:
        mask &= (frame["signed"] >= pd.Timestamp(filters.signed_from)).to_numpy()
    if filters.signed_to:
        mask &= (frame["signed"] <= pd.Timestamp(filters.signed_to)).to_numpy()
    if filters.text and (typed := fold(filters.text)):
        # Compared folded (case, accents, apostrophes and punctuation), so "Sheriff's" finds the rows
        # ICE spelt "Sheriff’s" too.
        names = frame["agency"].astype("object")
        folded = names.map({n: fold(n) for n in names.dropna().unique()}).fillna("")
        mask &= folded.str.contains(typed, regex=False).to_numpy()
    return frame[mask]


def agency_ids(frame: pd.DataFrame) -> pd.Series:
    """Each row's agency as one identity, "STATE|normalised name": the ``agency_id`` the build stored,
    or the same computed from the names (:func:`mapcore.core.agency_key.agency_identity`)."""
    if "agency_id" in frame:
        return frame["agency_id"].astype("object")
    names = frame["agency"].astype("object")
    norm = names.map({n: agency_identity(n) for n in names.dropna().unique()})
    return frame["state"].astype("object").fillna("?").astype(str) + KEY_SEP + norm.fillna("").astype(str)


def agency_count(frame: pd.DataFrame) -> int:
    """Distinct agencies among the rows, by the one identity (so "Sheriff’s" and "Sheriff's" are one)."""
    if not len(frame):
        return 0
    stored = frame["agency_id"] if "agency_id" in frame else None
    if stored is not None and isinstance(stored.dtype, pd.CategoricalDtype):  # one code per identity, -1 for none
        codes = stored.cat.codes.to_numpy()
        return int(len(np.unique(codes[codes >= 0])))
    return int(agency_ids(frame).nunique())


def agency_names(frame: pd.DataFrame) -> pd.Series:
    """Each row's agency as it is shown: ICE's latest spelling of its identity among the rows (the
    spelling of the agency's newest publication, its last row there), so every list names an agency
    once however ICE spelt it across rows ("Sheriff’s" and "Sheriff's" -> one name). Rows with no date
    count as the newest (as a sort puts them last); rows with no name are never chosen.

    Worked out with array operations, not a sort of a frame: a map and its notes call this a few times
    on every filter change."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    count = len(frame)
    stored = frame["agency_id"] if "agency_id" in frame else None
    # a stored categorical identity groups the rows by its codes (one code per identity, -1 for none, as a
    # missing identity is one group of its own), without making its values as objects first
    ids = (
        stored.cat.codes.to_numpy()
        if stored is not None and isinstance(stored.dtype, pd.CategoricalDtype)
        else agency_ids(frame).to_numpy()
    )
    agency = frame["agency"].astype("object").to_numpy()
    if "publication_date" in frame:
        dates = pd.to_datetime(frame["publication_date"]).to_numpy()
        stamps = dates.view("i8").copy()
        stamps[np.isnat(dates)] = np.iinfo(np.int64).max  # no date: last, as sort_values puts it
    else:
        stamps = np.zeros(count, dtype=np.int64)
    order = np.lexsort((np.arange(count), stamps))  # by date, then by position
    rank = np.empty(count, dtype=np.int64)
    rank[order] = np.arange(count)
    rank[pd.isna(agency)] = -1  # a row with no name is never the one shown
    codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    best = np.full(len(uniques), -1, dtype=np.int64)
    np.maximum.at(best, codes, rank)
    chosen = np.full(len(uniques), np.nan, dtype=object)
    found = best >= 0
    chosen[found] = agency[order[best[found]]]
    return pd.Series(chosen[codes], index=frame.index, dtype=object)


def state_counts(frame: pd.DataFrame) -> dict[str, object]:
    """States and territories among the rows, counted apart: ``states`` is the 50 states and DC
    (:data:`~mapcore.core.schema.STATES_AND_DC`), ``territories`` the others ICE lists (Guam, the
    Northern Mariana Islands, Puerto Rico, ...), with their postal codes in ``territory_codes``."""
    present = {str(s) for s in frame["state"].dropna().unique()} if len(frame) else set()
    territories = sorted(present - STATES_AND_DC)
    return {"states": len(present & STATES_AND_DC), "territories": len(territories), "territory_codes": territories}


def model_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Agreements per model, every model present (0 when none)."""
    models = frame["model"]
    if isinstance(models.dtype, pd.CategoricalDtype):  # counted by its codes (a missing model is none)
        codes = models.cat.codes.to_numpy()
        per = dict(zip(models.cat.categories, np.bincount(codes[codes >= 0], minlength=len(models.cat.categories))))
        return {model: int(per.get(model, 0)) for model in MODELS}
    counts = models.astype("object").value_counts()
    return {model: int(counts.get(model, 0)) for model in MODELS}


def county_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per county with agreements: count, per-model counts, models and agencies (for tooltips).

    Regional bodies (level ``regional``: a judicial circuit, a regional jail, a multi-county task
    force) are not counted in ``agreements`` (no one county holds them) but reported for each county
    they serve: ``regional`` (their agreements) and ``regional_agencies`` (names). A county served only
    by a regional body has a row with ``agreements`` 0. A map should draw them over their counties
    (an outline or hatching), apart from the count fill, never over the whole state."""
    frame = _slim(frame)
    placed = frame[frame["county_fips"].notna() & frame["level"].isin([LEVEL_COUNTY, LEVEL_MUNICIPAL, "other"])]
    summary = _summary(placed, "county_fips")
    regional = regional_by_county(frame)
    if regional.empty:
        return summary.assign(regional=pd.Series(0, index=summary.index, dtype=int), regional_agencies="")
    out = summary.merge(regional, on="county_fips", how="outer")
    for column in ("agreements", *MODELS, "regional"):
        out[column] = out[column].fillna(0).astype(int)
    for column in ("models", "agencies", "regional_agencies"):
        out[column] = out[column].fillna("")
    return out


# What the summaries read of a row; selecting rows of only these columns copies a few columns, not fifty.
_SUMMARY_COLUMNS = ("county_fips", "state", "level", "model", "agency", "agency_id", "publication_date", "region_fips")


def _slim(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[c for c in _SUMMARY_COLUMNS if c in frame]]


def level_rows(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """The rows of one level (``statewide``, ``regional`` ...) with only what the summaries, the map's markers and
    its notes read of them (:data:`_SUMMARY_COLUMNS` and ``region_counties``): a few columns copied, not fifty
    (none when no row is of that level: an empty slice of ``frame``)."""
    levels = frame["level"]
    # a categorical compares with its codes (a missing level is no level); any other column as objects
    chosen = (levels == level if isinstance(levels.dtype, pd.CategoricalDtype) else levels.astype("object") == level).to_numpy()
    if not chosen.any():
        return frame.iloc[0:0]  # no row: an empty slice (nothing to copy)
    columns = [c for c in (*_SUMMARY_COLUMNS, "region_counties") if c in frame]
    return frame[columns].iloc[np.flatnonzero(chosen)]


def regional_by_county(frame: pd.DataFrame) -> pd.DataFrame:
    """Per county a regional body serves: its agreements (``regional``) and names (``regional_agencies``)."""
    columns = ["county_fips", "regional", "regional_agencies"]
    if "region_fips" not in frame or frame.empty:
        return pd.DataFrame(columns=columns)
    chosen = (frame["region_fips"].notna() & (frame["level"].astype("object") == LEVEL_REGIONAL)).to_numpy()
    if not chosen.any():
        return pd.DataFrame(columns=columns)
    rows = frame[chosen]
    slim = pd.DataFrame(
        {"county_fips": rows["region_fips"].astype("object").str.split(";").to_numpy(), "agency": agency_names(rows).to_numpy()}
    ).explode("county_fips")
    grouped = slim.groupby("county_fips")
    out = pd.DataFrame({"regional": grouped.size(), "regional_agencies": grouped["agency"].agg(lambda a: _joined(sorted(set(a))))})
    return out.rename_axis("county_fips").reset_index()[columns]


def state_summary(frame: pd.DataFrame, include_statewide: bool = True) -> pd.DataFrame:
    """One row per state: count of its agreements, per model, and its statewide agencies and regional
    bodies apart (``statewide``/``statewide_agencies``, ``regional``/``regional_agencies``).

    With ``include_statewide=False`` the counts hold only local (county and city) agreements; the
    ``statewide`` columns still name the state agencies, so a tooltip can mention them."""
    chosen = _slim(frame)
    chosen = chosen[chosen["state"].notna()]
    counted = chosen if include_statewide else chosen[chosen["level"] != LEVEL_STATEWIDE]
    summary = _summary(counted, "state").set_index("state")
    for level in (LEVEL_STATEWIDE, LEVEL_REGIONAL):
        some = chosen[chosen["level"].astype("object") == level]
        slim = pd.DataFrame({"state": some["state"].astype("object"), "agency": agency_names(some)})
        extra = slim.groupby("state").agg(**{level: ("agency", "size"), f"{level}_agencies": ("agency", lambda a: _joined(sorted(set(a))))})
        summary = summary.join(extra, how="outer")
    summary = summary.rename_axis("state").reset_index()
    for column in ("agreements", *MODELS, LEVEL_STATEWIDE, LEVEL_REGIONAL):
        summary[column] = summary[column].fillna(0).astype(int)
    for column in ("models", "agencies", "statewide_agencies", "regional_agencies"):
        summary[column] = summary[column].fillna("")
    return summary


def _summary(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Counts per key and per model, the models present and the agencies (sorted, capped, each agency
    once by its identity, under ICE's latest spelling) as text. One row per key that has a row with a
    model (sorted); ``agreements`` counts every row of the key. Plain loops over the rows (a map's few
    hundred on each filter change), not a cross-tabulation."""
    columns = [key, "agreements", *MODELS, "models", "agencies"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    keys = frame[key].astype("object").to_numpy()
    models = frame["model"].astype("object").to_numpy()
    names = agency_names(frame).to_numpy()
    rows: dict = {}
    per_model: dict = {}
    agencies: dict = {}
    for k, model, name in zip(keys, models, names):
        if pd.isna(k):
            continue
        rows[k] = rows.get(k, 0) + 1
        if not pd.isna(model):
            counts = per_model.setdefault(k, {})
            counts[model] = counts.get(model, 0) + 1
        if not pd.isna(name):
            agencies.setdefault(k, set()).add(name)
    shown = sorted(per_model)
    if not shown:
        return pd.DataFrame(columns=columns)
    out: dict = {key: pd.Index(shown), "agreements": [rows[k] for k in shown]}  # typed as a groupby would
    for model in MODELS:
        out[model] = [per_model[k].get(model, 0) for k in shown] if any(model in per_model[k] for k in shown) else 0
    out["models"] = [", ".join(m for m in MODELS if per_model[k].get(m, 0) > 0) for k in shown]
    out["agencies"] = [_joined(sorted(agencies.get(k, ()))) for k in shown]
    return pd.DataFrame(out, columns=columns)  # one frame made at once, not a column at a time


MORE = "\x1f"  # in a capped list of names: how many were left out follows (worded by mapcore.words.names)


def _joined(names: list[str], limit: int = 12) -> str:
    """The first ``limit`` names, '; '-joined, then ``; <MORE><n>`` when n more were left out: a fact, no words."""
    text = "; ".join(names[:limit])
    return text + (f"; {MORE}{len(names) - limit}" if len(names) > limit else "")


def placement_counts(frame: pd.DataFrame) -> dict:
    """County and municipal agreements, how many were placed in a county, and the unplaced ones."""
    from mapcore.build.place import placed_mask, placement_masks

    local_mask, unplaced_mask = placement_masks(frame)
    local, unplaced = frame[local_mask], frame[unplaced_mask]
    placed = placed_mask(local)
    return {
        "county_or_municipal": int(len(local)),
        "in_county": int(placed.sum()),
        "rate": round(float(placed.mean()), 4) if len(local) else None,
        "unplaced": unplaced_list(unplaced),
    }


def unplaced_list(frame: pd.DataFrame) -> list[dict]:
    cols = ["state", "agency", "jurisdiction_type", "county_printed", "model", "row", "unplaced_reason"]
    out = frame[cols].astype("object").where(frame[cols].notna(), None)
    return [{**r, "row": int(r["row"])} for r in out.to_dict("records")]
