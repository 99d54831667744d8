"""How each state's law stands toward 287(g): loading and checking the state-law table, and its status codes.

The table (``data/state_laws.csv``) is hand-researched, so every load is validated: a typo in a
status or a URL must stop the app with a message that says where to look, not shade a state
wrongly. Statuses sit on one ordered scale so agreements can be filtered "at least restricts". Which law
applies on a given day is :mod:`mapcore.analysis.law_on_day`; the labels and notes are :mod:`mapcore.words.law`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import us

from mapcore.core.config import DATA_DIR
from mapcore.core.schema import STATES_AND_DC
from mapcore.core.text import is_http_url

LAWS_PATH = DATA_DIR / "state_laws.csv"

STATUS_ORDER: tuple[str, ...] = ("prohibits", "restricts", "none", "requires_cooperation", "mandates")
SCOPES: tuple[str, ...] = ("local", "state", "both")
AUTHORITIES: tuple[str, ...] = ("statute", "ag_directive", "executive_order", "court_ruling", "none")
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
APPLIES_TO: tuple[str, ...] = ("all", "new_agreements")  # whom a ban, limit or mandate reaches: every agreement, or new ones only
REACHING: frozenset[str] = frozenset({"prohibits", "restricts", "mandates"})  # the statuses that need applies_to
LAW_COLUMNS: tuple[str, ...] = (
    "state",  # postal code, e.g. "TX"
    "state_name",  # e.g. "Texas"
    "state_fips",  # 2-digit FIPS as text, e.g. "48"
    "status",  # one of STATUS_ORDER: the newest law we know of
    "scope",  # local | state | both; empty exactly when status is none
    "laws",  # instruments with citations; required unless status is none
    "authority",  # one of AUTHORITIES: what drives the status
    "effective_year",  # int or empty
    "enacted",  # ISO day the law was signed or became law (not in force before it), or empty
    "effective_date",  # ISO day the status took effect; empty when only the year is known
    "deadline",  # ISO date of a compliance deadline / termination date, or empty
    "applies_to",  # all | new_agreements where status bars, limits or mandates; empty otherwise
    "prior_status",  # status just before the law (needs enacted or effective_date), or empty
    "pending",  # bills, suits or open questions that may change the row, or empty
    "summary",  # one line, our own words
    "evidence",  # one line: sources of the dates and the prior status, doubts
    "source_url",  # http(s); required unless status is none
    "confidence",  # high | medium | low
    "checked",  # ISO date the facts were checked
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


# ---------------------------------------------------------------- helpers


def low_confidence(laws: pd.DataFrame) -> pd.Series:
    """Boolean mask of low-confidence rows (research that could not be confirmed): every view marks them
    "unconfirmed" (:mod:`mapcore.words.law`); a day's table from
    :func:`mapcore.analysis.law_on_day.laws_in_force` carries its own ``unconfirmed`` column."""
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


# ---------------------------------------------------------------- loading


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
