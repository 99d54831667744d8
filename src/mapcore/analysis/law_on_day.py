"""The law on a day: the one rule every view uses to say which state law applies to a sheet of a given date.

A law is never shown in force before its day. For a row of the law table and a day:

* before ``enacted`` (the day the law was signed or became law), before a known ``effective_date``, or in
  an earlier year than its ``effective_year``: the ``prior_status``, marked "new law, not yet in force"
  (:data:`NOT_YET`): a reader looking at an older sheet today is told that a newer law exists and did not
  apply that day (Tennessee on the 2026-05-18 sheet: its mandate became law on 2026-05-26). Where the
  newer law did not change the status (the prior status is the same), nothing is marked (:data:`BEFORE`);
* from ``enacted`` (or from the start of the year, where no enacted day is known) while only the year of
  effect is known and that year has begun: the prior status, marked "new law, day of effect not known"
  (:data:`DAY_UNKNOWN`);
* from ``effective_date``, or after its year: the row's own status (:data:`IN_FORCE`).

A marked state is drawn apart and never counted or filtered as the new status. The prior status's scope is
not recorded, so it is empty before the law. ``unconfirmed`` (low-confidence research) is a different
mark: it is set only when the status shown is the row's own (in force), since the confidence is the
newest law's. Mandates whose duty falls on a state official (scope ``state``: Oklahoma, South Carolina)
form their own class, :data:`MANDATES_STATE_OFFICIAL`, for filters and legends.

Facts only: codes, dates and booleans; the words are made when shown (:mod:`mapcore.words.law`).
The table itself (loading, checking, status codes) is :mod:`mapcore.reference.laws`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from mapcore.core.text import is_http_url
from mapcore.reference.laws import CONFIDENCES, SCOPES, STATUS_ORDER, load_laws, status_dtype

# How a row's (newest) law stands on a day: column ``timing``.
BEFORE = "before"  # before a newer law that kept the same status: prior status, no mark
NOT_YET = "not_yet_in_force"  # a newer law not in force that day (not yet enacted, or its day ahead): prior status, marked
DAY_UNKNOWN = "day_unknown"  # enacted (or its year begun) but the day of effect is not known: prior status, marked
IN_FORCE = "in_force"  # the law applies: its status is shown
TIMINGS: tuple[str, ...] = (BEFORE, NOT_YET, DAY_UNKNOWN, IN_FORCE)
PENDING: frozenset[str] = frozenset({NOT_YET, DAY_UNKNOWN})  # a newer law exists but is not in force: drawn apart

# The law as filtered and drawn: the statuses, with mandates on a state official apart.
MANDATES_STATE_OFFICIAL = "mandates_state_official"
LAW_CLASSES: tuple[str, ...] = (*STATUS_ORDER, MANDATES_STATE_OFFICIAL)

# Marks of one law on one day (``law_note`` of a download: codes, the same in every language).
MARK_UNCONFIRMED = "unconfirmed"
MARKS: tuple[str, ...] = (MARK_UNCONFIRMED, NOT_YET, DAY_UNKNOWN)

IN_FORCE_COLUMNS: tuple[str, ...] = (
    "as_of",
    "timing",
    "in_force",
    "law_class",
    "mark",
    "unconfirmed",
    "newest_status",
    "newest_scope",
    "newest_class",
    "newest_effective_date",
)


def law_class(status: object, scope: object) -> str | None:
    """The filter and legend class of a status: ``mandates_state_official`` for a mandate whose scope is
    ``state`` (a state official's duty), else the status itself (None when unknown)."""
    if not isinstance(status, str) or status not in STATUS_ORDER:
        return None
    return MANDATES_STATE_OFFICIAL if status == "mandates" and scope == "state" else status


def law_classes(status: pd.Series, scope: pd.Series) -> pd.Series:
    """:func:`law_class` of aligned status and scope columns (object values, None when unknown)."""
    status = status.astype(object)
    out = status.where(status.isin(STATUS_ORDER), None)
    official = status.eq("mandates").to_numpy(dtype=bool) & scope.astype(object).eq("state").to_numpy(dtype=bool)
    out[official] = MANDATES_STATE_OFFICIAL
    return out


def parse_law_classes(values: Iterable[str]) -> tuple[str, ...]:
    """Known classes among ``values`` (a URL's or a command line's), in order, once each; old URLs' ``mandates``
    keeps its meaning (mandates on local agencies)."""
    return tuple(dict.fromkeys(v for v in (str(x).strip() for x in values) if v in LAW_CLASSES))


def _timing(rows: pd.DataFrame, days: pd.Series) -> pd.DataFrame:
    """The rule, vectorised: one law row per day, aligned by position. Columns: ``timing``, ``status`` and
    ``scope`` shown that day, ``newest_status``/``newest_scope`` (the row's own) and ``unconfirmed``."""
    rows = rows.reset_index(drop=True)
    days = pd.Series(pd.to_datetime(days).to_numpy(), dtype="datetime64[ns]")
    status = rows["status"].astype(object).where(rows["status"].notna(), None)
    scope = rows["scope"].astype(object).where(rows["scope"].notna(), None)
    prior = rows["prior_status"].astype(object).where(rows["prior_status"].notna(), None)
    effective = pd.to_datetime(rows["effective_date"]).astype("datetime64[ns]")
    enacted = (
        pd.to_datetime(rows["enacted"]).astype("datetime64[ns]")
        if "enacted" in rows
        else pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    )
    year = pd.to_numeric(rows["effective_year"], errors="coerce").astype("Int64")
    day_year = days.dt.year.astype("Int64")

    def flag(values: pd.Series) -> np.ndarray:
        return values.fillna(False).to_numpy(dtype=bool)

    dated = effective.notna().to_numpy(dtype=bool)
    before_enacted = flag(days < enacted)
    before_day = dated & flag(days < effective)
    year_only = ~dated & year.notna().to_numpy(dtype=bool)
    before_year = year_only & flag(day_year < year)
    in_year = year_only & flag(day_year == year)
    timing = np.full(len(rows), IN_FORCE, dtype=object)
    timing[before_day | before_year] = NOT_YET
    timing[in_year] = DAY_UNKNOWN  # its year has begun (and it became law, where that day is known)
    timing[before_enacted] = NOT_YET  # not yet law that day: it did not apply
    same = pd.Series(status).eq(pd.Series(prior)).to_numpy(dtype=bool)
    timing[(timing == NOT_YET) & same] = BEFORE  # the newer law kept the status: nothing to mark
    timing[days.isna().to_numpy()] = IN_FORCE  # no day given: the newest law
    in_force = timing == IN_FORCE
    low = rows["confidence"].astype(object).eq("low").to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "timing": timing,
            "in_force": in_force,
            "status": np.where(in_force, status.to_numpy(dtype=object), prior.to_numpy(dtype=object)),
            "scope": np.where(in_force, scope.to_numpy(dtype=object), None),
            "newest_status": status.to_numpy(dtype=object),
            "newest_scope": scope.to_numpy(dtype=object),
            "unconfirmed": low & in_force,
        }
    )


def _mark(timing: pd.Series, unconfirmed: pd.Series) -> pd.Series:
    """One mark per row: ``not_yet_in_force`` / ``day_unknown`` (a newer law not in force), ``unconfirmed``
    (the law shown rests on low-confidence research), else None. The two never meet (unconfirmed needs
    the law in force)."""
    mark = timing.astype(object).where(timing.isin(PENDING), None)
    mark[unconfirmed.to_numpy(dtype=bool)] = MARK_UNCONFIRMED
    return mark


def laws_in_force(laws: pd.DataFrame, on: date | str | pd.Timestamp) -> pd.DataFrame:
    """The table as it stood on day ``on``: the same columns, with ``status`` and ``scope`` of the law
    shown that day (module docstring), plus :data:`IN_FORCE_COLUMNS`. The row's own dates, summary and
    confidence stay (they describe its newest law); ``newest_*`` repeat its status, scope and class."""
    day = pd.Timestamp(on).normalize()
    table = laws.reset_index(drop=True)
    rule = _timing(table, pd.Series(day, index=table.index, dtype="datetime64[ns]"))
    out = table.copy()
    out["status"] = pd.Categorical(rule["status"], dtype=status_dtype())
    out["scope"] = pd.array(rule["scope"].tolist(), dtype="string")
    out["as_of"] = day
    out["timing"] = rule["timing"].to_numpy()
    out["in_force"] = rule["in_force"].to_numpy(dtype=bool)
    out["law_class"] = law_classes(rule["status"], rule["scope"]).to_numpy()
    out["unconfirmed"] = rule["unconfirmed"].to_numpy(dtype=bool)
    out["mark"] = _mark(rule["timing"], rule["unconfirmed"]).to_numpy()
    out["newest_status"] = rule["newest_status"].to_numpy()
    out["newest_scope"] = rule["newest_scope"].to_numpy()
    out["newest_class"] = law_classes(rule["newest_status"], rule["newest_scope"]).to_numpy()
    out["newest_effective_date"] = pd.to_datetime(table["effective_date"]).astype("datetime64[ns]")
    return out


def status_on(laws: pd.DataFrame, state: str, on: date | str | pd.Timestamp) -> str | None:
    """One state's status on one day by the rule (None when unknown or the state is not in the table)."""
    row = laws_in_force(laws[laws["state"].astype(str) == str(state)], on)
    if row.empty or pd.isna(row["status"].iloc[0]):
        return None
    return str(row["status"].iloc[0])


def class_on(laws: pd.DataFrame, state: str, on: date | str | pd.Timestamp) -> str | None:
    """One state's law class on one day by the rule (what the law filter and legend count it as)."""
    row = laws_in_force(laws[laws["state"].astype(str) == str(state)], on)
    return None if row.empty else row["law_class"].iloc[0]


def attach_law(
    agreements: pd.DataFrame, laws: pd.DataFrame | None = None, state_col: str = "state", date_col: str = "publication_date"
) -> pd.DataFrame:
    """Copy of ``agreements`` with the law of each one's state *as it stood on its publication's date*
    (``date_col``; the newest law when there is no such column or the date is missing), by the rule of
    :func:`laws_in_force`: ``law_status``, ``law_scope``, ``law_class`` (what the law filter matches),
    ``law_timing``, ``law_unconfirmed``, ``law_confidence`` (the row's research) and ``law_note`` (the
    mark as a code: ``unconfirmed``, ``not_yet_in_force``, ``day_unknown`` or empty, for downloads)."""
    if state_col not in agreements.columns:
        raise KeyError(f"agreements have no {state_col!r} column to join state laws on")
    laws = load_laws() if laws is None else laws
    table = laws.drop_duplicates("state").reset_index(drop=True)
    table = table.set_index(table["state"].astype(str), drop=False)
    state_codes, states = pd.factorize(agreements[state_col].astype(object), use_na_sentinel=True)
    if date_col in agreements.columns:
        day_codes, days = pd.factorize(pd.to_datetime(agreements[date_col]).astype("datetime64[ns]"), use_na_sentinel=True)
    else:
        day_codes, days = np.full(len(agreements), -1), pd.DatetimeIndex([])
    # The rule runs once per (state, day) pair, then spreads to the rows by integer codes.
    width = len(days) + 1
    pair_codes, inverse = np.unique(state_codes.astype(np.int64) * width + day_codes + 1, return_inverse=True)
    state_at, day_at = pair_codes // width, pair_codes % width - 1
    state_names = np.asarray(states, dtype=object).astype(str)
    pair_state = np.where(state_at >= 0, state_names[np.clip(state_at, 0, None)] if len(states) else "", "")
    day_values = np.append(np.asarray(days, dtype="datetime64[ns]"), np.datetime64("NaT"))
    pair_day = pd.Series(day_values[np.where(day_at >= 0, day_at, len(days))], dtype="datetime64[ns]")
    known = pd.Series(pair_state).isin(set(table.index)).to_numpy()
    rows = table.reindex(pair_state).reset_index(drop=True)
    rule = _timing(rows[known], pair_day[known])

    def spread(values: np.ndarray | pd.Series, fill: object = None) -> np.ndarray:
        out = np.full(len(pair_codes), fill, dtype=object)
        out[known] = np.asarray(values, dtype=object)
        return out

    status, scope = spread(rule["status"]), spread(rule["scope"])
    klass = spread(law_classes(rule["status"], rule["scope"]))
    timing = spread(rule["timing"])
    unconfirmed = spread(rule["unconfirmed"], False).astype(bool)
    mark = spread(_mark(rule["timing"], rule["unconfirmed"]))
    confidence = rows["confidence"].astype(object).to_numpy()

    def categorical(values: np.ndarray, categories: Iterable[str], ordered: bool = False) -> pd.Categorical:
        categories = list(categories)
        lookup = {c: i for i, c in enumerate(categories)}
        codes = np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=np.int64)
        return pd.Categorical.from_codes(codes[inverse], categories=categories, ordered=ordered)

    out = agreements.copy()
    out["law_status"] = categorical(status, STATUS_ORDER, ordered=True)
    out["law_scope"] = categorical(scope, SCOPES)
    out["law_class"] = categorical(klass, LAW_CLASSES)
    out["law_timing"] = categorical(timing, TIMINGS)
    out["law_confidence"] = categorical(confidence, CONFIDENCES)
    out["law_unconfirmed"] = unconfirmed[inverse]
    out["law_note"] = categorical(mark, MARKS)
    return out


# ------------------------------------------------------------------------------------------------
# The law's window, for comparing listings with it (Law vs practice, the Agency page)

WINDOW_COLUMNS: tuple[str, ...] = ("state", "law_start", "law_end", "enacted", "deadline", "applies_to", "law_date_basis")


def law_window(laws: pd.DataFrame) -> pd.DataFrame:
    """Per state, the days between which its newest law may have taken effect: ``law_start`` =
    ``law_end`` = the effective day when known; where only the year is known, from ``enacted`` (or
    Jan. 1) to Dec. 31 of that year. Also ``enacted``, ``deadline``, ``applies_to`` and
    ``law_date_basis`` ("effective date", "effective year" or None)."""
    out = laws[["state"]].astype({"state": object}).copy()
    effective = _dates(laws, "effective_date")
    enacted = _dates(laws, "enacted")
    year = pd.to_numeric(laws["effective_year"], errors="coerce").astype("Int64")
    jan1 = pd.to_datetime(year.astype(str) + "-01-01", errors="coerce")
    dec31 = pd.to_datetime(year.astype(str) + "-12-31", errors="coerce")
    start = jan1.where(enacted.isna() | (enacted < jan1), enacted)
    out["law_start"] = effective.where(effective.notna(), start).astype("datetime64[ns]")
    out["law_end"] = effective.where(effective.notna(), dec31).astype("datetime64[ns]")
    out["enacted"] = enacted
    out["deadline"] = _dates(laws, "deadline")
    applies = laws["applies_to"].astype(object) if "applies_to" in laws else pd.Series(None, index=laws.index)
    out["applies_to"] = applies.where(applies.notna(), None)
    basis = pd.Series(None, index=laws.index, dtype=object)
    basis[year.notna()] = "effective year"
    basis[effective.notna()] = "effective date"
    out["law_date_basis"] = basis
    return out[list(WINDOW_COLUMNS)].reset_index(drop=True)


def _dates(laws: pd.DataFrame, column: str) -> pd.Series:
    """A date column of the law table (NaT when the table has no such column)."""
    if column not in laws:
        return pd.Series(pd.NaT, index=laws.index, dtype="datetime64[ns]")
    return pd.to_datetime(laws[column]).astype("datetime64[ns]")


# ------------------------------------------------------------------------------------------------
# The changes the table records

LAW_CHANGE_COLUMNS: tuple[str, ...] = (
    "state",
    "state_name",
    "enacted",
    "date",
    "year",
    "day_known",
    "from_status",
    "to_status",
    "to_class",
    "status_changed",
    "laws",
    "source_url",
    "confidence",
    "unconfirmed",
)


def law_changes(laws: pd.DataFrame, since_year: int = 2025) -> pd.DataFrame:
    """Every change the table records, oldest first: rows with an effective day and a prior status, and every
    row whose law dates from ``since_year`` or later (its day of effect known or not: ``date`` empty and
    ``day_known`` False when not; ``from_status`` empty when the status before it is not recorded; ``enacted``
    when known). Facts only: the words are made when shown."""
    effective = _dates(laws, "effective_date")
    enacted = _dates(laws, "enacted")
    year = pd.to_numeric(laws["effective_year"], errors="coerce").astype("Int64")
    dated = effective.notna() & laws["prior_status"].notna()
    recent = year.ge(since_year).fillna(False).astype(bool)
    chosen = laws[dated | recent]
    day = effective[chosen.index]
    out = pd.DataFrame(
        {
            "state": chosen["state"].astype(str),
            "state_name": chosen["state_name"].astype(str),
            "enacted": enacted[chosen.index],
            "date": day,
            "year": year[chosen.index],
            "day_known": day.notna().to_numpy(),
            "from_status": chosen["prior_status"].astype(object).where(chosen["prior_status"].notna(), None),
            "to_status": chosen["status"].astype(object),
            "to_class": law_classes(chosen["status"], chosen["scope"]),
            "laws": chosen["laws"].astype(object),
            "source_url": [u if is_http_url(u) else None for u in chosen["source_url"].astype(object)],
            "confidence": chosen["confidence"].astype(object),
            "unconfirmed": chosen["confidence"].astype(object).eq("low").to_numpy(),
        }
    )
    out["status_changed"] = out["from_status"].ne(out["to_status"]) | out["from_status"].isna()
    out["_sort"] = [d if not pd.isna(d) else pd.Timestamp(int(y), 12, 31) for d, y in zip(out["date"], out["year"])]
    out = out.sort_values(["_sort", "state"]).drop(columns="_sort")
    return out[list(LAW_CHANGE_COLUMNS)].reset_index(drop=True)
