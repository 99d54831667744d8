"""The data's age in words, made when shown: the date of ICE's newest sheet, how old it is when more than two weeks
before today, when ICE's page was last checked, and the state-law deadlines that have passed since the sheet.

Facts: :mod:`mapcore.analysis.data_age`. "Now" on a page means "in ICE's sheet of <date>" (:func:`in_sheet_of`).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from mapcore.analysis.data_age import DataAge
from mapcore.core.i18n import _, format_day, format_number, ngettext


def _day(value: object) -> str:
    return format_day(pd.Timestamp(value))


def in_sheet_of(date: object) -> str:
    """'in ICE's sheet of 2026-04-30': what a figure called current is current to."""
    return _("in ICE's sheet of {date}").format(date=_day(date))


def data_age_note(age: DataAge) -> str:
    """'Figures are from ICE's newest sheet, of 2026-04-30.' and, when that is more than 14 days before today,
    how many days old it is and when ICE's page was last checked (or that it never was from this copy)."""
    if age.sheet_date is None:
        return _("No ICE sheet is loaded.")
    text = _("Figures are from ICE's newest sheet, of {date}.").format(date=_day(age.sheet_date))
    if not age.stale:
        return text
    days = int(age.days or 0)
    text += " " + ngettext("That sheet is {n} day old (today is {today}).", "That sheet is {n} days old (today is {today}).", days).format(
        n=format_number(days), today=_day(age.today)
    )
    if age.last_checked is not None:
        when = age.last_checked.astimezone(dt.UTC) if age.last_checked.tzinfo else age.last_checked
        text += " " + _("ICE's page was last checked on {date}.").format(date=_day(when.date()))
    else:
        text += " " + _("ICE's page has not been checked from this copy of the map.")
    return text


def deadlines_passed_note(passed: pd.DataFrame, sheet_date: object) -> str | None:
    """'Since that sheet, these state-law deadlines have passed: New York (2026-08-25), Texas (2026-12-01).' from
    :func:`mapcore.analysis.data_age.deadlines_passed_since`; None when none has."""
    if passed is None or passed.empty:
        return None
    items = ", ".join(f"{name} ({_day(day)})" for name, day in zip(passed["state_name"], passed["deadline"]))
    return _("Since ICE's sheet of {date}, these state-law deadlines have passed: {items}.").format(date=_day(sheet_date), items=items)
