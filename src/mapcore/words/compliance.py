"""Law versus practice in words: the relation of an agreement's listings to its state's law, said with its dates.

The comparison itself (:mod:`mapcore.analysis.compliance`) returns codes and dates and is cached once per
dataset; the sentences are made here, when shown, in the reader's language. The downloads keep English
(:func:`presence_table` words its "In words" column in English whoever asks).
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import compliance
from mapcore.core import i18n
from mapcore.core.i18n import N_, _, format_day, ngettext

SCOPE_WORDS: dict[str, str] = {"local": N_("local"), "state": N_("state"), "both": N_("both")}


def _day(value: object) -> str:
    return format_day(pd.Timestamp(value)) if value is not None and not pd.isna(value) else "?"


def _law_day(row: pd.Series) -> str:
    if row["law_date_basis"] == "effective date":
        return _day(row["law_start"])
    if row["law_date_basis"] == "effective year":
        return _("{year}; day of effect not known").format(year=f"{pd.Timestamp(row['law_end']):%Y}")
    return _("not known")


def relation_text(row: pd.Series, newest_date: pd.Timestamp | None = None) -> str:
    """The relation of one presence row (:func:`mapcore.analysis.compliance.restricted_presence`) in words, with
    its dates ("Left between 2025-12-10 and 2026-02-27; the law's date, 2026-02-17, falls between"); ``newest_date``
    is the newest participating sheet's date."""
    code = row["relation"]
    day = _law_day(row)
    last, gone = _day(row["last_seen"]), _day(row["gone_by"])
    if code == "left_between":
        if row["last_seen"] >= row["law_start"] and pd.notna(row["deadline"]):
            return _("Left between {last} and {gone}; the law's deadline, {date}, falls between").format(
                last=last, gone=gone, date=_day(row["deadline"]))
        return _("Left between {last} and {gone}; the law's date, {date}, falls between").format(last=last, gone=gone, date=day)
    if code == "before":
        return _("Gone before the law's date ({date}): last listed {last}, absent from the next sheet ({gone})").format(
            date=day, last=last, gone=gone)
    if code == "not_yet":
        if newest_date is not None and pd.notna(newest_date):
            return _("Still listed in the newest sheet of {newest}; the law's date ({date}) had not come").format(
                newest=_day(newest_date), date=day)
        return _("Still listed in the newest sheet; the law's date ({date}) had not come").format(date=day)
    if code == "during":
        return _("Last listed {last}, while the law's day of effect was not known (law of {year})").format(
            last=last, year=f"{pd.Timestamp(row['law_end']):%Y}")
    if code == "after_deadline":
        return _("Listed on {last}, after the deadline ({date})").format(last=last, date=_day(row["deadline"]))
    if code == "wind_down":
        return _("Listed on {last}, during the wind-down: after the law took effect ({date}) and before its deadline "
                 "({deadline})").format(last=last, date=day, deadline=_day(row["deadline"]))
    if code == "signed_before":
        return _("Signed on {signed}, before the law ({date}), which bars only new agreements: not reached by it").format(
            signed=_day(row.get("signed")), date=day)
    if code == "after":
        return _("Listed on {last}, on or after the law's date ({date})").format(last=last, date=day)
    if code == "outside_scope":
        scope = str(row["law_scope"])
        return _("Outside the law's scope ({scope} agencies only)").format(scope=_(SCOPE_WORDS.get(scope, scope)))
    return _(compliance.RELATIONS["no_date"])


def relation_texts(presence: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> list[str]:
    """:func:`relation_text` of every presence row, in the reader's language."""
    return [relation_text(row, newest_date) for _i, row in presence.iterrows()]


def presence_table(presence: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> pd.DataFrame:
    """The per-agreement list as downloaded (:func:`mapcore.analysis.compliance.presence_table`) with its "In words"
    column in English, whoever asks: the page shows that column again in the reader's language
    (:func:`relation_texts`)."""
    with i18n.using_language(i18n.DEFAULT_LANGUAGE):
        english = relation_texts(presence, newest_date)
    return compliance.presence_table(presence).assign(**{"In words": english})  # i18n: data


def presence_sentence(row: pd.Series, newest_date: pd.Timestamp | None = None) -> str:
    """One plain sentence on an agreement's listings against its state's law (a presence row)."""
    first = _day(row["first_seen"])
    if row["since_first_sheet"]:
        first = _("{date} (our first sheet: maybe earlier)").format(date=first)
    seen = _("listed from {first} to {last}").format(first=first, last=_day(row["last_seen"]))
    gaps = int(row.get("gaps", 0) or 0)
    if gaps:
        seen += " " + ngettext("with {n} gap (absent from some sheets, then back)",
                               "with {n} gaps (absent from some sheets, then back)", gaps).format(n=gaps)
    state = _("still listed in the newest sheet") if row["active"] else _("no longer listed")
    return f"{row['agency']} ({row['model']}): {seen}, {state}. {relation_text(row, newest_date)}."
