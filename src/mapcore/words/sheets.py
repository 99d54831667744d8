"""ICE's sheets in words: how old the fetched data is, what is shown when ICE's page cannot be reached, and how
old the pending list is next to the participating one, from the facts of :mod:`mapcore.sheets` and
:mod:`mapcore.analysis.query`, in the reader's language (the app caches the facts and words them when shown).
"""

from __future__ import annotations

import re
import urllib.parse
from datetime import timedelta

import pandas as pd

from mapcore.analysis.query import pending_age
from mapcore.core.i18n import N_, _, format_day, ngettext
from mapcore.sheets.fetch import ArchiveStatus
from mapcore.sheets.sources import Fallback

# A fetch's reasons (mapcore.sheets.fetch._reason: English facts) and their words in the reader's language.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^connection refused$"), N_("connection refused")),  # i18n: data
    (re.compile(r"^host not found\b"), N_("host not found")),  # i18n: data (the resolver's own words add nothing)
    (re.compile(r"^timed out after (?P<seconds>[0-9.]+)s$"), N_("timed out after {seconds}s")),  # i18n: data
    (re.compile(r"^timed out$"), N_("timed out")),  # i18n: data
    (re.compile(r"^HTTP (?P<code>[0-9]{3})\b"), N_("HTTP error {code}")),  # i18n: data
    (re.compile(r"^the page links no \.xlsx sheet"), N_("ICE's page links no .xlsx sheet: has ICE changed the page?")),  # i18n: data
    (re.compile(r"^stopped: the fetch's overall deadline"), N_("the download took too long and was stopped")),  # i18n: data
    (re.compile(r"^stopped at the fetch's byte cap"), N_("the sheets were larger than the download allows")),  # i18n: data
)


def reason_words(reason: str) -> str:
    """A fetch's reason ('connection refused', 'timed out after 10s', 'HTTP 503 ...') in the reader's language;
    a reason we do not know (the system's own words) as it is."""
    for pattern, msgid in _REASONS:
        found = pattern.match(reason)
        if found:
            return _(msgid).format(**found.groupdict())
    return reason


def fetched_ago(age: timedelta) -> str:
    """How long ago fetched data was last current, in the reader's language: 'data last fetched 3 days ago'."""
    if age.days >= 1:
        return ngettext("data last fetched {n} day ago", "data last fetched {n} days ago", age.days).format(n=age.days)
    hours = int(age.total_seconds() // 3600)
    if hours >= 1:
        return ngettext("data last fetched {n} hour ago", "data last fetched {n} hours ago", hours).format(n=hours)
    return _("data last fetched less than an hour ago")


def archive_words(status: ArchiveStatus) -> str:
    """A short phrase on what the archive holds, e.g. "data last fetched 3 days ago"."""
    age = status.data_age
    return _("no data fetched yet") if age is None else fetched_ago(age)


def fallback_note(url: str, reason: str, archive_age: timedelta | None, snapshot_info: dict | None) -> str:
    """One line, in the reader's language: which site could not be reached and why, and what is shown instead."""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    site = _("ICE's site") if host == "ice.gov" or host.endswith(".ice.gov") else url
    reason = reason_words(reason)
    shown = []
    if archive_age is not None:
        shown.append(_("the sheets fetched before ({age})").format(age=fetched_ago(archive_age)))
    if snapshot_info is not None:
        newest = str(snapshot_info.get("newest_publication") or "?")
        shown.append(_("the bundled snapshot of ICE's sheets up to {date}").format(date=format_day(newest) if newest != "?" else newest))
    what = _("{sheets} on top of {snapshot}").format(sheets=shown[0], snapshot=shown[1]) if len(shown) == 2 else "".join(shown)
    return _("{site} could not be reached ({reason}); showing {what}").format(site=site, reason=reason, what=what)


def fallback_text(fallback: Fallback | None) -> str | None:
    """The one line of a :class:`mapcore.sheets.sources.Fallback` in the reader's language (None: the data is fresh)."""
    if fallback is None:
        return None
    info = {"newest_publication": fallback.snapshot_newest} if fallback.snapshot_newest is not None else None
    return fallback_note(fallback.url, fallback.reason, fallback.archive_age, info)


def pending_note(sheets: pd.DataFrame, pending_id: str | None, participating_id: str | None = None) -> str:
    """'pending list of 2025-12-12, 5 months older than the participating list (2026-04-30)': what every
    view of pending applications says, since ICE updates its pending list less often."""
    age = pending_age(sheets, pending_id, participating_id)
    if age["pending_date"] is None:
        return _("no pending list loaded")
    pending_date = format_day(pd.Timestamp(age["pending_date"]))
    days = age["days_older"]
    if days is None:
        return _("pending list of {date}").format(date=pending_date)
    if days == 0:
        return _("pending list of {date}, the same day as the participating list").format(date=pending_date)
    older = (
        _("pending list of {date}, {age} older than the participating list ({participating})")
        if days > 0
        else _("pending list of {date}, {age} newer than the participating list ({participating})")
    )
    return older.format(date=pending_date, age=days_or_months(abs(days)), participating=format_day(pd.Timestamp(age["participating_date"])))


def days_or_months(days: int) -> str:
    """'29 days', '2 months' (from 45 days on, months of 30.44 days, rounded)."""
    if days < 45:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    months = round(days / 30.44)
    return ngettext("{n} month", "{n} months", months).format(n=months)


def pending_warning(sheets: pd.DataFrame, pending_id: str | None) -> str:
    """The warning over every list of pending applications: which list, and that ICE updates it less often."""
    return _("Pending applications come from ICE's {note}: ICE updates this list less often than the participating one.").format(
        note=pending_note(sheets, pending_id)
    )


def asked_sheet_note(asked: str, shown: str) -> str:
    """When a link asks for a sheet of a day ICE published none (``pub=2025-12-12``): which sheet is shown instead."""
    if shown < asked:
        return _("ICE published no sheet on {asked}: this is the newest sheet before it, of {shown}.").format(
            asked=format_day(pd.Timestamp(asked)), shown=format_day(pd.Timestamp(shown))
        )
    return _("ICE published no sheet on or before {asked}: this is the newest sheet, of {shown}.").format(
        asked=format_day(pd.Timestamp(asked)), shown=format_day(pd.Timestamp(shown))
    )
