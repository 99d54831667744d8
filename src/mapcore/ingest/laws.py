"""How each state's law stands toward 287(g): loading, checking and joining the state-law table.

The table (``data/state_laws.csv``) is hand-researched, so every load is validated: a typo in a
status or a URL must stop the app with a message that says where to look, not shade a state
wrongly. Statuses sit on one ordered scale so agreements can be filtered "at least restricts".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import us

from mapcore.core.config import DATA_DIR
from mapcore.core.i18n import N_, _, format_day
from mapcore.core.schema import STATES_AND_DC
from mapcore.core.text import is_http_url

LAWS_PATH = DATA_DIR / "state_laws.csv"

STATUS_ORDER: tuple[str, ...] = (
    "prohibits",
    "restricts",
    "none",
    "requires_cooperation",
    "mandates",
)
STATUS_LABELS: dict[str, str] = {
    "prohibits": N_("Prohibits"),
    "restricts": N_("Restricts"),
    "none": N_("No state law"),
    "requires_cooperation": N_("Requires cooperation"),
    "mandates": N_("Mandates"),
}
SCOPES: tuple[str, ...] = ("local", "state", "both")
AUTHORITIES: tuple[str, ...] = (
    "statute",
    "ag_directive",
    "executive_order",
    "court_ruling",
    "none",
)
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
APPLIES_TO: tuple[str, ...] = ("all", "new_agreements")  # whom a ban, limit or mandate reaches: every agreement, or new ones only
REACHING: frozenset[str] = frozenset({"prohibits", "restricts", "mandates"})  # the statuses that need applies_to
LAW_COLUMNS: tuple[str, ...] = (
    "state",           # postal code, e.g. "TX"
    "state_name",      # e.g. "Texas"
    "state_fips",      # 2-digit FIPS as text, e.g. "48"
    "status",          # one of STATUS_ORDER: the newest law we know of
    "scope",           # local | state | both; empty exactly when status is none
    "laws",            # instruments with citations; required unless status is none
    "authority",       # one of AUTHORITIES: what drives the status
    "effective_year",  # int or empty
    "enacted",         # ISO day the law was signed or became law (not in force before it), or empty
    "effective_date",  # ISO day the status took effect; empty when only the year is known
    "deadline",        # ISO date of a compliance deadline / termination date, or empty
    "applies_to",      # all | new_agreements where status bars, limits or mandates; empty otherwise
    "prior_status",    # status just before the law (needs enacted or effective_date), or empty
    "pending",         # bills, suits or open questions that may change the row, or empty
    "summary",         # one line, our own words
    "evidence",        # one line: sources of the dates and the prior status, doubts
    "source_url",      # http(s); required unless status is none
    "confidence",      # high | medium | low
    "checked",         # ISO date the facts were checked
)
YEAR_RANGE: tuple[int, int] = (1950, 2100)
EXPECTED_STATES: frozenset[str] = STATES_AND_DC

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the table; ``row`` is the CSV line number (header is 1)."""

    row: int | None
    field: str
    detail: str

    def message(self, source: str) -> str:
        where = f"{source}, row {self.row}" if self.row is not None else source
        return f"{where}, field {self.field}: {self.detail}"


class LawTableError(ValueError):
    """The state-law table is malformed; the message names file, row and field of each problem."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = tuple(problems)
        first = problems[0]
        self.row, self.field = first.row, first.field
        super().__init__("\n".join(p.message(source) for p in problems))


# ---------------------------------------------------------------- labels and helpers


def status_label(status: Any) -> str:
    """Human label for a status code, for legends and tooltips."""
    if status is None or (not isinstance(status, str) and pd.isna(status)):
        return _("Unknown")
    try:
        return _(STATUS_LABELS[str(status)])
    except KeyError:
        expected = ", ".join(STATUS_ORDER)
        raise ValueError(f"unknown law status {status!r}; expected one of {expected}") from None


def low_confidence(laws: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows every view flags as unconfirmed: the ``unconfirmed`` column of a table
    from :func:`laws_in_force` (low confidence, day of law unknown, or status unknown that day),
    else low-confidence rows."""
    if "unconfirmed" in laws.columns:
        return laws["unconfirmed"].fillna(False).astype(bool)
    return laws["confidence"].astype("string").fillna("").eq("low").astype(bool)


def status_dtype() -> pd.CategoricalDtype:
    """The ordered status dtype, so comparisons like ``>= 'requires_cooperation'`` work."""
    return pd.CategoricalDtype(categories=list(STATUS_ORDER), ordered=True)


# ---------------------------------------------------------------- validation


def _text(value: Any) -> str:
    """Cell as text, whether read raw (strings) or already typed (ints, dates, NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, (pd.Timestamp, date)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _is_iso_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _one_of(value: str, allowed: tuple[str, ...]) -> str | None:
    return None if value in allowed else f"{value!r} is not one of {', '.join(allowed)}"


def _check_columns(df: pd.DataFrame) -> list[Problem]:
    cols = [str(c) for c in df.columns]
    missing = [c for c in LAW_COLUMNS if c not in cols]
    extra = [c for c in cols if c not in LAW_COLUMNS]
    problems = [Problem(1, c, "missing column") for c in missing]
    problems += [Problem(1, c, "unexpected column") for c in extra]
    if not problems and tuple(cols) != LAW_COLUMNS:
        problems.append(Problem(1, "columns", f"expected order {', '.join(LAW_COLUMNS)}"))
    return problems


def _check_state(row: dict[str, str]) -> list[tuple[str, str]]:
    code = row["state"]
    if not code:
        return [("state", "empty postal code")]
    if code not in EXPECTED_STATES:
        return [("state", f"{code!r} is not a postal code of the 50 states or DC")]
    st = us.states.lookup(code, field="abbr")
    if st is None:  # every code in EXPECTED_STATES is known to the us package; guard for the type checker
        return [("state", f"{code!r} is unknown to the us package")]
    found: list[tuple[str, str]] = []
    for field, expected in (("state_fips", st.fips), ("state_name", st.name)):
        if row[field] != expected:
            found.append((field, f"{row[field]!r} does not match {code} (expected {expected!r})"))
    return found


def _check_status(row: dict[str, str]) -> list[tuple[str, str]]:
    status, scope = row["status"], row["scope"]
    bad = _one_of(status, STATUS_ORDER)
    if bad:
        return [("status", bad)]
    found: list[tuple[str, str]] = []
    if status == "none":
        if scope:
            found.append(("scope", f"{scope!r} given but status is none (leave it empty)"))
        if row["authority"] != "none":
            found.append(("authority", f"{row['authority']!r} given but status is none (use none)"))
        return found
    if not scope:
        found.append(("scope", f"empty but status is {status}"))
    elif scope not in SCOPES:
        found.append(("scope", _one_of(scope, SCOPES) or ""))
    if row["authority"] == "none":
        found.append(("authority", f"'none' but status is {status}"))
    if not row["laws"].strip():
        found.append(("laws", f"empty but status is {status}"))
    if not row["source_url"].strip():
        found.append(("source_url", f"empty but status is {status}"))
    return found


def _check_values(row: dict[str, str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if row["authority"] not in AUTHORITIES:
        found.append(("authority", _one_of(row["authority"], AUTHORITIES) or ""))
    if row["confidence"] not in CONFIDENCES:
        found.append(("confidence", _one_of(row["confidence"], CONFIDENCES) or ""))
    url = row["source_url"]
    if url and not is_http_url(url):
        found.append(("source_url", f"{url!r} is not an http(s) URL"))
    year = row["effective_year"]
    if year and not (_YEAR.fullmatch(year) and YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]):
        low, high = YEAR_RANGE
        found.append(("effective_year", f"{year!r} is not a year in {low}-{high}"))
    if not _is_iso_date(row["checked"]):
        found.append(("checked", f"{row['checked']!r} is not an ISO date (YYYY-MM-DD)"))
    for field in ("summary", "evidence"):
        text = row[field]
        if not text.strip():
            found.append((field, "empty"))
        elif "\n" in text or "\r" in text:
            found.append((field, "must be one line"))
    if "\n" in row["pending"] or "\r" in row["pending"]:
        found.append(("pending", "must be one line"))
    return found + _check_dates(row)


def _check_dates(row: dict[str, str]) -> list[tuple[str, str]]:
    """Dates are ISO days in order (enacted <= effective_date <= deadline); the year agrees with the day; a
    prior status needs the day its law ended; applies_to is set exactly where a law bars, limits or mandates."""
    found: list[tuple[str, str]] = []
    for field in ("enacted", "effective_date", "deadline"):
        if row[field] and not _is_iso_date(row[field]):
            found.append((field, f"{row[field]!r} is not an ISO date (YYYY-MM-DD) or empty"))
    enacted, effective, deadline, year = row["enacted"], row["effective_date"], row["deadline"], row["effective_year"]
    if _is_iso_date(effective):
        if year and year != effective[:4]:
            found.append(("effective_year", f"{year!r} does not match effective_date {effective}"))
        if not year:
            found.append(("effective_year", f"empty but effective_date is {effective}"))
        if _is_iso_date(deadline) and deadline < effective:
            found.append(("deadline", f"{deadline} is before effective_date {effective}"))
    if _is_iso_date(enacted):
        if _is_iso_date(effective) and effective < enacted:
            found.append(("effective_date", f"{effective} is before enacted {enacted}"))
        elif not effective and _YEAR.fullmatch(year) and int(year) < int(enacted[:4]):
            found.append(("effective_year", f"{year} is before the year of enacted {enacted}"))
        if _is_iso_date(deadline) and deadline < enacted:
            found.append(("deadline", f"{deadline} is before enacted {enacted}"))
        if not year:
            found.append(("effective_year", f"empty but enacted is {enacted}"))
    prior = row["prior_status"]
    if prior:
        bad = _one_of(prior, STATUS_ORDER)
        if bad:
            found.append(("prior_status", bad))
        elif not effective and not enacted:
            found.append(("prior_status", f"{prior!r} given without an effective_date or enacted day (when it ended)"))
    applies = row["applies_to"]
    if row["status"] not in STATUS_ORDER:  # reported by _check_status
        return found
    if row["status"] in REACHING:
        if not applies:
            found.append(("applies_to", f"empty but status is {row['status']} (use {' or '.join(APPLIES_TO)})"))
        elif applies not in APPLIES_TO:
            found.append(("applies_to", _one_of(applies, APPLIES_TO) or ""))
    elif applies:
        found.append(("applies_to", f"{applies!r} given but status is {row['status'] or 'empty'} (leave it empty)"))
    return found


def _check_coverage(codes: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, code in enumerate(codes):
        line = i + 2
        if code and code in seen:
            detail = f"duplicate {code!r} (first on row {seen[code]})"
            problems.append(Problem(line, "state", detail))
        seen.setdefault(code, line)
    missing = sorted(EXPECTED_STATES - set(codes))
    if missing:
        problems.append(Problem(None, "state", f"missing {', '.join(missing)}"))
    if len(codes) != len(EXPECTED_STATES):
        detail = f"expected {len(EXPECTED_STATES)} rows, found {len(codes)}"
        problems.append(Problem(None, "state", detail))
    return problems


def validate_laws(df: pd.DataFrame, source: str = "state_laws.csv") -> None:
    """Raise LawTableError listing every problem; row i of ``df`` is CSV line i + 2."""
    problems = _check_columns(df)
    if problems:
        raise LawTableError(source, problems)
    records = [{c: _text(v) for c, v in rec.items()} for rec in df.to_dict("records")]
    for i, row in enumerate(records):
        for field, detail in _check_state(row) + _check_status(row) + _check_values(row):
            problems.append(Problem(i + 2, field, detail))
    problems += _check_coverage([r["state"] for r in records])
    if problems:
        raise LawTableError(source, sorted(problems, key=lambda p: (p.row is None, p.row or 0)))


# ---------------------------------------------------------------- loading and joining


def _blank_to_na(col: pd.Series) -> pd.Series:
    return col.astype(object).where(col != "", None)


def _typed(raw: pd.DataFrame) -> pd.DataFrame:
    """Types for a validated raw table: ordered status, Int64 year, dates, NA for empty text."""
    df = raw.copy()
    for col in ("scope", "laws", "source_url", "pending", "applies_to"):
        df[col] = _blank_to_na(df[col]).astype("string")
    df["status"] = df["status"].astype(status_dtype())
    df["prior_status"] = _blank_to_na(df["prior_status"]).astype(status_dtype())
    df["effective_year"] = pd.to_numeric(_blank_to_na(df["effective_year"])).astype("Int64")
    for col in ("enacted", "effective_date", "deadline"):
        df[col] = pd.to_datetime(_blank_to_na(df[col]), format="%Y-%m-%d").astype("datetime64[ns]")
    df["checked"] = pd.to_datetime(df["checked"], format="%Y-%m-%d")
    return df.reset_index(drop=True)


def load_laws(path: Path | str = LAWS_PATH) -> pd.DataFrame:
    """Read and validate the state-law table; raises LawTableError naming file, row and field."""
    path = Path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    validate_laws(raw, source=path.name)
    return _typed(raw)


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


# ---------------------------------------------------------------- the law on a given day

# How the newest law of a row stands on a given day (column ``timing`` of :func:`laws_in_force`).
IN_FORCE = "in_force"          # the newest law applies: its day has come (or no date is recorded)
BEFORE = "before"              # the day is before the newest law: its prior status applies (or none is known)
DAY_UNKNOWN = "day_unknown"    # only the year of the newest law is known and the day falls in that year
UNCONFIRMED = N_("unconfirmed")    # the word every view shows next to a doubtful law (shown as _(UNCONFIRMED))
DAY_UNKNOWN_NOTE = N_("date of law not known to the day")  # shown as _(DAY_UNKNOWN_NOTE); composite notes stay English
IN_FORCE_COLUMNS: tuple[str, ...] = ("as_of", "timing", "unconfirmed", "newest_status", "newest_effective_date", "date_note")


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
