"""The law on a given day: which state law applies to a sheet of a given date, and the changes the table records.

A law is never shown in force before its day: before a row's ``effective_date`` its ``prior_status``
applies; when only the year is known, a day in that year is flagged ``day_unknown``. The table itself
(loading, checking, status codes and labels) is :mod:`mapcore.reference.laws`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from mapcore.core.i18n import N_, _, format_day
from mapcore.core.text import is_http_url
from mapcore.reference.laws import CONFIDENCES, SCOPES, STATUS_ORDER, load_laws, status_dtype, status_label

# How the newest law of a row stands on a given day (column ``timing`` of :func:`laws_in_force`).
IN_FORCE = "in_force"          # the newest law applies: its day has come (or no date is recorded)
BEFORE = "before"              # the day is before the newest law: its prior status applies (or none is known)
DAY_UNKNOWN = "day_unknown"    # only the year of the newest law is known and the day falls in that year
UNCONFIRMED = N_("unconfirmed")    # the word every view shows next to a doubtful law (shown as _(UNCONFIRMED))
DAY_UNKNOWN_NOTE = N_("date of law not known to the day")  # shown as _(DAY_UNKNOWN_NOTE); composite notes stay English
IN_FORCE_COLUMNS: tuple[str, ...] = ("as_of", "timing", "unconfirmed", "newest_status", "newest_effective_date", "date_note")


def attach_law(
    agreements: pd.DataFrame,
    laws: pd.DataFrame | None = None,
    state_col: str = "state",
    date_col: str = "publication_date",
) -> pd.DataFrame:
    """Copy of ``agreements`` with law_status, law_scope, law_confidence, law_unconfirmed and
    law_note ("unconfirmed" or empty, for tables and downloads): the
    law of each one's state *as in force on its publication's date* (``date_col``; the newest law
    when the frame has no such column or the date is missing), so a filter or a table never applies
    a law that came later."""
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
    # The law is worked out once per (state, day) pair, then spread to the rows by integer codes.
    width = len(days) + 1
    pair_codes, inverse = np.unique(state_codes.astype(np.int64) * width + day_codes + 1, return_inverse=True)
    state_at, day_at = pair_codes // width, pair_codes % width - 1
    state_names = np.asarray(states, dtype=object).astype(str)
    pair_state = np.where(state_at >= 0, state_names[np.clip(state_at, 0, None)] if len(states) else "", "")
    day_values = np.append(np.asarray(days, dtype="datetime64[ns]"), np.datetime64("NaT"))
    pair_day = pd.Series(day_values[np.where(day_at >= 0, day_at, len(days))], dtype="datetime64[ns]")
    known = pd.Series(pair_state).isin(set(table.index)).to_numpy()
    rows = table.reindex(pair_state).reset_index(drop=True)
    force = _in_force(rows[known], pair_day[known], texts=False)
    newest = pair_day[known].isna().to_numpy()  # no publication date: the newest law applies
    status = np.full(len(pair_codes), None, dtype=object)
    scope = np.full(len(pair_codes), None, dtype=object)
    unconfirmed = np.zeros(len(pair_codes), dtype=bool)
    status[known] = np.where(newest, rows.loc[known, "status"].astype(object), force["status"].to_numpy(dtype=object))
    scope[known] = np.where(newest, rows.loc[known, "scope"].astype(object), force["scope"].to_numpy(dtype=object))
    low = rows.loc[known, "confidence"].astype(object).eq("low").to_numpy()
    unconfirmed[known] = np.where(newest, low, force["unconfirmed"].to_numpy(dtype=bool))
    confidence = rows["confidence"].astype(object).to_numpy()

    def categorical(values: np.ndarray, categories: list[str], ordered: bool = False) -> pd.Categorical:
        lookup = {c: i for i, c in enumerate(categories)}
        codes = np.array([lookup.get(v, -1) if isinstance(v, str) else -1 for v in values], dtype=np.int64)
        return pd.Categorical.from_codes(codes[inverse], categories=categories, ordered=ordered)

    out = agreements.copy()
    out["law_status"] = categorical(status, list(STATUS_ORDER), ordered=True)
    out["law_scope"] = categorical(scope, list(SCOPES))
    out["law_confidence"] = categorical(confidence, list(CONFIDENCES))
    out["law_unconfirmed"] = unconfirmed[inverse]
    out["law_note"] = pd.Categorical.from_codes(np.where(out["law_unconfirmed"], 0, -1), categories=[UNCONFIRMED])
    return out


def laws_in_force(laws: pd.DataFrame, on: date | str | pd.Timestamp) -> pd.DataFrame:
    """The table as in force on day ``on``: same columns, with status, scope, effective_date and
    effective_year of the law in force that day, plus :data:`IN_FORCE_COLUMNS`.

    * effective_date known: before it the row's ``prior_status`` applies (scope and dates of that
      earlier law are not recorded, so they are empty; no prior status: status empty, unknown);
      from it on, the row as it stands.
    * only the year known: a day in a later year gets the row; a day in that year gets the row
      flagged ``day_unknown`` (we cannot say whether the law had started); an earlier day gets an
      empty status (the status before that law is not in the table).
    * ``unconfirmed`` is True for low-confidence rows, for a law whose day is unknown and for an
      unknown status: every map, table and download marks those rows "unconfirmed".
    ``summary`` says which law applies when it is not the newest.
    """
    day = pd.Timestamp(on).normalize()
    table = laws.reset_index(drop=True)
    force = _in_force(table, pd.Series(day, index=table.index, dtype="datetime64[ns]"))
    out = table.copy()
    out["newest_status"] = table["status"].astype(object)
    out["newest_effective_date"] = pd.to_datetime(table["effective_date"]).astype("datetime64[ns]")
    out["status"] = pd.Categorical(force["status"], dtype=status_dtype())
    out["scope"] = force["scope"].astype("string")
    out["effective_date"] = force["effective_date"].astype("datetime64[ns]")
    out["effective_year"] = force["effective_year"].astype("Int64")
    out["summary"] = force["summary"]
    out["as_of"] = day
    out["timing"] = force["timing"]
    out["unconfirmed"] = force["unconfirmed"].astype(bool)
    out["date_note"] = force["date_note"]
    return out


def _in_force(rows: pd.DataFrame, days: pd.Series, texts: bool = True) -> pd.DataFrame:
    """Vectorised core of :func:`laws_in_force`: one law row per day, aligned by position (rows
    and days share a RangeIndex). ``texts`` adds the date note and the rewritten summary."""
    rows = rows.reset_index(drop=True)
    days = pd.Series(pd.to_datetime(days).to_numpy(), dtype="datetime64[ns]")
    status = rows["status"].astype(object).where(rows["status"].notna(), None)
    scope = rows["scope"].astype(object).where(rows["scope"].notna(), None)
    effective = pd.to_datetime(rows["effective_date"]).astype("datetime64[ns]")
    year = pd.to_numeric(rows["effective_year"], errors="coerce").astype("Int64")
    prior = rows["prior_status"].astype(object).where(rows["prior_status"].notna(), None)
    summary = rows["summary"].astype(object)
    day_year = days.dt.year.astype("Int64")
    dated = effective.notna()
    before_day = dated & (days < effective)
    year_only = ~dated & year.notna()
    before_year = (year_only & (day_year < year)).fillna(False).astype(bool)
    in_year = (year_only & (day_year == year)).fillna(False).astype(bool)
    earlier = before_day | before_year

    timing = pd.Series(IN_FORCE, index=rows.index, dtype=object)
    timing[earlier] = BEFORE
    timing[in_year] = DAY_UNKNOWN
    out_status = status.copy()
    out_status[before_day] = prior[before_day]
    out_status[before_year] = None
    out_scope = scope.copy()
    out_scope[earlier] = None
    out_effective = effective.copy()
    out_effective[earlier] = pd.NaT
    out_year = year.copy()
    out_year[earlier] = pd.NA

    low = rows["confidence"].astype(object).eq("low")
    unconfirmed = (low | in_year | out_status.isna()).astype(bool)
    out = pd.DataFrame({"status": out_status, "scope": out_scope, "effective_date": out_effective,
                        "effective_year": out_year, "timing": timing, "unconfirmed": unconfirmed})
    if texts:
        note = pd.Series("", index=rows.index, dtype=object)
        later = pd.Series([_later_law(s, e, y) for s, e, y in zip(status, effective, year)], index=rows.index, dtype=object)
        # the notes are shown (State page, Agency page) in the reader's language; "summary" below stays English
        before, before_unknown = _("before the law of {law}"), _("before the law of {law}; the status before it is not in our table")
        day_unknown = _("{note}: the law of {law}")
        note[before_day] = [before.format(law=law) for law in later[before_day]]
        no_prior = before_day & prior.isna()
        note[no_prior] = [before_unknown.format(law=law) for law in later[no_prior]]
        note[before_year] = [before_unknown.format(law=law) for law in later[before_year]]
        note[in_year] = [day_unknown.format(note=_(DAY_UNKNOWN_NOTE), law=law) for law in later[in_year]]
        shifted = earlier | in_year
        out["summary"] = summary.where(~shifted, [f"{_capital(n)}. Newest law: {t}" for n, t in zip(note, summary)])
        out["date_note"] = note
    return out


def _later_law(status: Any, effective: Any, year: Any) -> str:
    """'2026-05-27 (prohibits)' or '2026 (prohibits)': the newest law, for notes."""
    when = format_day(pd.Timestamp(effective)) if not pd.isna(effective) else (
        str(int(year)) if not pd.isna(year) else _("an unknown date"))
    return f"{when} ({status_label(status).lower()})" if status else when


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_on(laws: pd.DataFrame, state: str, on: date | str | pd.Timestamp) -> str | None:
    """One state's status on one day (None when unknown or the state is not in the table)."""
    row = laws_in_force(laws[laws["state"].astype(str) == str(state)], on)
    if row.empty or pd.isna(row["status"].iloc[0]):
        return None
    return str(row["status"].iloc[0])


def in_force_caption(on: date | str | pd.Timestamp | None) -> str:
    """'State law as in force on 2026-04-30.' for the caption under a map or table."""
    if on is None or pd.isna(on):
        return _("State law: the newest law in our table (no publication date).")
    return _("State law as in force on {date}.").format(date=format_day(pd.Timestamp(on)))


LAW_CHANGE_COLUMNS: tuple[str, ...] = ("state", "state_name", "date", "day_known", "from_status", "to_status",
                                       "status_changed", "laws", "source_url", "confidence", "unconfirmed")


def law_changes(laws: pd.DataFrame, since_year: int = 2025) -> pd.DataFrame:
    """Every change the table records, oldest first: rows with an effective day and a prior status,
    and rows whose law dates from ``since_year`` or later but whose day (and so the status before)
    is unknown (``date`` is then the year, ``from_status`` empty, ``day_known`` False)."""
    dated = laws["effective_date"].notna() & laws["prior_status"].notna()
    year = pd.to_numeric(laws["effective_year"], errors="coerce")
    recent = laws["effective_date"].isna() & year.ge(since_year).fillna(False).astype(bool)
    chosen = laws[dated | recent]
    day = pd.to_datetime(chosen["effective_date"])
    out = pd.DataFrame({
        "state": chosen["state"].astype(str), "state_name": chosen["state_name"].astype(str),
        "date": [f"{d:%Y-%m-%d}" if not pd.isna(d) else f"{int(y)} (day not known)" for d, y in zip(day, year[chosen.index])],
        "day_known": day.notna().to_numpy(),
        "from_status": chosen["prior_status"].astype(object).where(chosen["prior_status"].notna(), None),
        "to_status": chosen["status"].astype(object),
        "laws": chosen["laws"].astype(object),
        "source_url": [u if is_http_url(u) else None for u in chosen["source_url"].astype(object)],
        "confidence": chosen["confidence"].astype(object),
        "unconfirmed": (chosen["confidence"].astype(object).eq("low") | day.isna()).to_numpy(),
    })
    out["status_changed"] = out["from_status"].ne(out["to_status"]) | out["from_status"].isna()
    out["_sort"] = [d if not pd.isna(d) else pd.Timestamp(int(y), 12, 31) for d, y in zip(day, year[chosen.index])]
    out = out.sort_values(["_sort", "state"]).drop(columns="_sort")
    return out[list(LAW_CHANGE_COLUMNS)].reset_index(drop=True)
