"""When ICE published a sheet: from its file name, checked against the sheet's content.

The rule, in order:
1. ``...-YYYYMMDDhhmmss.xlsx`` (archived captures of ICE's fixed-name file): that date.
2. A run of digits in ICE's name (``participatingAgencies04302026am``): MMDDYYYY (8 digits), MMDDYY
   (6 digits), or MMDDYYYY plus a stray digit (``060920263pm``: 9 digits whose first 8 are a date).
3. Year typos: no SIGNED date may lie after the publication date. When the name's date breaks that,
   or lies more than 60 days before the workbook's own save time while the same month and day one
   year later lies within 7 days of it, the later year is the date (``01062025pm``: January 2026).
   A sheet merely re-saved later keeps its name date.
4. Garbled digits (``090022025am``, ``10223025am``): candidate dates made by deleting one digit or
   swapping two neighbours; the candidate that fits the content and lies closest to the workbook's
   own save time (``docProps/core.xml`` modified, written by Excel) wins if within 7 days.
5. Otherwise: the workbook's save time, else the file's modification time. The method is recorded.

Within one date, sheets are ordered by ICE's suffix (am < mid < pm < pm2 < ...) then save time.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

_STAMP = re.compile(r"-(\d{14})$")
_DIGITS_SUFFIX = re.compile(r"(\d{6,9})([A-Za-z_]*\d?[A-Za-z_]*)$")
_SUFFIX_RANK = {"am": 0, "amb": 1, "mid": 2, "pm": 3, "pm_b": 4, "pmb": 4, "pm2": 5, "": 6}
MIN_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class PublicationDate:
    date: dt.date
    method: str  # name | name_stamp | year_typo | repaired | saved_time | file_time
    order: tuple  # sort key within the same date

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def publication_date(
    file_name: str, saved: dt.datetime | None = None, latest_signed: dt.date | None = None, file_time: dt.datetime | None = None
) -> PublicationDate:
    """Date a sheet by the rule in the module docstring."""
    stem = Path(file_name).stem
    suffix = _suffix(stem)
    order = (_SUFFIX_RANK.get(suffix.lower(), 7), saved or dt.datetime.min, stem)

    stamp = _STAMP.search(stem)
    if stamp:
        parsed = _parse(stamp.group(1)[:8], "%Y%m%d")
        if parsed:
            return PublicationDate(parsed, "name_stamp", order)

    digits = _name_digits(stem)
    direct = _direct_date(digits) if digits else None
    if direct:
        next_year = _shift_year(direct, 1)
        typo_evidence = next_year is not None and _fits(next_year, latest_signed) and _near(next_year, saved)
        if _fits(direct, latest_signed) and not (typo_evidence and _long_before(direct, saved)):
            return PublicationDate(direct, "name", order)
        if typo_evidence and next_year is not None:
            return PublicationDate(next_year, "year_typo", order)
    if digits:
        repaired = _repair(digits, saved, latest_signed)
        if repaired:
            return PublicationDate(repaired, "repaired", order)
    if saved:
        return PublicationDate(saved.date(), "saved_time", order)
    when = file_time or dt.datetime.now()
    return PublicationDate(when.date(), "file_time", order)


def printed_date(file_name: str) -> tuple[dt.date | None, bool]:
    """The date a file name prints as it reads (no correction), and whether it prints it cleanly (a
    capture stamp, or 6 or 8 digits that are a date). (None, True) when the name has no date digits;
    (None, False) when it has digits that are no date."""
    stem = Path(file_name).stem
    stamp = _STAMP.search(stem)
    if stamp and (parsed := _parse(stamp.group(1)[:8], "%Y%m%d")):
        return parsed, True
    digits = _name_digits(stem)
    if not digits:
        return None, True
    direct = _direct_date(digits)
    return direct, direct is not None and len(digits) in (6, 8)


def _suffix(stem: str) -> str:
    match = _DIGITS_SUFFIX.search(stem)
    return match.group(2) if match else ""


def _name_digits(stem: str) -> str | None:
    match = _DIGITS_SUFFIX.search(stem)
    return match.group(1) if match else None


def _direct_date(digits: str) -> dt.date | None:
    if len(digits) == 8:
        return _parse(digits, "%m%d%Y")
    if len(digits) == 6:
        return _parse(digits, "%m%d%y")
    if len(digits) == 9:
        return _parse(digits[:8], "%m%d%Y")
    return None


def _parse(text: str, fmt: str) -> dt.date | None:
    try:
        value = dt.datetime.strptime(text, fmt).date()
    except ValueError:
        return None
    return value if value >= MIN_DATE else None


def _fits(candidate: dt.date, latest_signed: dt.date | None) -> bool:
    if candidate.year > 2100:
        return False
    return latest_signed is None or candidate >= latest_signed


def _long_before(value: dt.date, saved: dt.datetime | None) -> bool:
    return saved is not None and (saved.date() - value).days > 60


def _near(value: dt.date, saved: dt.datetime | None, days: int = 7) -> bool:
    return saved is None or abs((value - saved.date()).days) <= days


def _shift_year(value: dt.date, years: int) -> dt.date | None:
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return None


def _repair(digits: str, saved: dt.datetime | None, latest_signed: dt.date | None) -> dt.date | None:
    variants = {digits[:i] + digits[i + 1 :] for i in range(len(digits))} if len(digits) == 9 else set()
    if len(digits) == 8:
        variants |= {digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(7)}
    candidates = {d for v in variants if (d := _parse(v, "%m%d%Y")) and _fits(d, latest_signed)}
    if not candidates or saved is None:
        return None
    best = min(candidates, key=lambda d: abs((d - saved.date()).days))
    return best if abs((best - saved.date()).days) <= 7 else None
