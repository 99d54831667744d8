"""How old the data is: the date of ICE's newest sheet against today, and when ICE's page was last checked.

A figure called current is only as current as ICE's sheet: every page says the sheet's date, and when it is
more than :data:`STALE_AFTER_DAYS` days before today, how many days old it is and when ICE's page was last
read in full (the fetch archive's note, ``None`` when never). Deadlines of state laws that fall between the
sheet and today have passed since the sheet. Facts only (dates, counts); the words are
:mod:`mapcore.words.data_age`. Today comes from :func:`mapcore.core.config.today` (``MAPCORE_TODAY``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mapcore.core.config import today as _today

STALE_AFTER_DAYS = 14


@dataclass(frozen=True)
class DataAge:
    """The newest sheet's date, today, and when ICE's page was last checked (None: never, from this copy)."""

    sheet_date: dt.date | None
    today: dt.date
    last_checked: dt.datetime | None = None

    @property
    def days(self) -> int | None:
        """Days from the sheet's date to today (None without a sheet)."""
        return None if self.sheet_date is None else (self.today - self.sheet_date).days

    @property
    def stale(self) -> bool:
        """More than :data:`STALE_AFTER_DAYS` days old: the page says how old, and when ICE was last checked."""
        return self.days is not None and self.days > STALE_AFTER_DAYS

    def as_json(self) -> dict:
        return {"data_age_days": self.days, "last_checked": self.last_checked.isoformat(timespec="seconds") if self.last_checked else None}


def last_checked(archive: Path | None = None) -> dt.datetime | None:
    """When a fetch last read ICE's page and every sheet on it (the archive's note), None when never."""
    from mapcore.sheets.fetch import archive_status

    try:
        return archive_status(archive).last_checked
    except OSError:
        return None


def data_age(
    sheet_date: object, today: dt.date | None = None, checked: dt.datetime | None | bool = True, archive: Path | None = None
) -> DataAge:
    """The :class:`DataAge` of a sheet published on ``sheet_date`` (a date, a Timestamp or None). ``checked``:
    a datetime (or None) to use as given, or True to read it from the fetch archive."""
    day = None if sheet_date is None or pd.isna(sheet_date) else pd.Timestamp(sheet_date).date()
    when = last_checked(archive) if checked is True else (checked or None)
    return DataAge(day, today or _today(), when if isinstance(when, dt.datetime) else None)


PASSED_COLUMNS: tuple[str, ...] = ("state", "state_name", "deadline")


def deadlines_passed_since(laws: pd.DataFrame, sheet_date: object, today: dt.date | None = None) -> pd.DataFrame:
    """The states whose law's deadline fell after ``sheet_date`` and on or before today: what the sheet says
    about them is from before their deadline, which has passed since (oldest deadline first)."""
    if sheet_date is None or pd.isna(sheet_date) or "deadline" not in laws:
        return pd.DataFrame(columns=list(PASSED_COLUMNS))
    deadline = pd.to_datetime(laws["deadline"]).astype("datetime64[ns]")
    sheet = pd.Timestamp(sheet_date).normalize()
    now = pd.Timestamp(today or _today())
    chosen = laws[(deadline > sheet) & (deadline <= now)]
    out = pd.DataFrame(
        {
            "state": chosen["state"].astype(str).to_numpy(),
            "state_name": chosen["state_name"].astype(str).to_numpy(),
            "deadline": deadline[chosen.index].to_numpy(),
        }
    )
    return out.sort_values(["deadline", "state"]).reset_index(drop=True)
