"""What a map says about itself when it leaves the app: a title, the filters, the sheet and its date.

Shared by the pictures (:mod:`mapcore.render.picture`), the animations and the embeddable HTML
(:func:`mapcore.render.webmap.standalone_html`), so a file always names the ICE sheet it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from mapcore.analysis.query import Filters, filter_parts
from mapcore.core.i18n import N_, _, format_day
from mapcore.core.schema import MODEL_SHORT, model_short
from mapcore.core.tables import file_stem
from mapcore.words import law as law_words

PROJECT_NAME = N_("287(g) agreements map")  # shown as _(PROJECT_NAME)


@dataclass(frozen=True)
class Caption:
    """What a picture says about itself: a title, the filters that made the view, the sheet it shows.

    ``sheet_date`` is the ICE publication's date (ISO); ``sheet_until`` makes it a range (an animation
    over several sheets). ``law`` adds "state law as in force that day" to the source line (set it
    when the view's law, as a layer or a filter, is the law in force on the sheet's date)."""

    title: str
    filters: tuple[str, ...] = ()
    sheet_date: str | None = None
    kind: str = "participating"
    law: bool = False
    sheet_until: str | None = None
    notes: tuple[str, ...] = field(default=())
    file_parts: tuple[str, ...] = field(default=())  # the filters for a file name ('TX', 'TFM')

    def filter_line(self) -> str:
        """'Model: TFM (Task Force Model) · State: TX', or 'All agreements' with no filter."""
        if self.filters:
            return " · ".join(self.filters)
        return _("All pending applications listed") if self.kind == "pending" else _("All agreements listed")

    def source_line(self) -> str:
        """'Source: ICE 287(g) participating agencies, sheet of 2026-04-30; state law as in force that day;
        map: 287(g) agreements map'."""
        sheet = _("pending applications") if self.kind == "pending" else _("participating agencies")
        if self.sheet_date and self.sheet_until and self.sheet_until != self.sheet_date:
            when = _("sheets of {first} to {last}").format(first=format_day(self.sheet_date), last=format_day(self.sheet_until))
        elif self.sheet_date:
            when = _("sheet of {date}").format(date=format_day(self.sheet_date))
        else:
            when = _("sheet date unknown")
        law = "; " + _("state law as in force that day") if self.law else ""
        return _("Source: ICE 287(g) {sheet}, {when}{law}; map: {project}; boundaries: US Census Bureau").format(
            sheet=sheet, when=when, law=law, project=_(PROJECT_NAME)
        )

    def file_stem(self, name: str = "") -> str:
        """A download's file name (through :func:`mapcore.core.tables.file_stem`), from a map's ``name``,
        the filters and the sheet's date: '287g-agreements-per-county-TX-TFM-2026-04-30'."""
        words = "".join(ch if ch.isalnum() else " " for ch in name.lower().replace("287(g)", "287g")).split()
        words = [w for w in words if w != "287g"][:8] or ["map"]
        return file_stem("-".join(words), *self.file_parts, date=self.sheet_until or self.sheet_date)


def caption_for(
    title: str,
    filters: Filters | None = None,
    sheet_date: dt.date | pd.Timestamp | str | None = None,
    kind: str = "participating",
    law_shown: bool = False,
) -> Caption:
    """The caption of a view: its filters in words, its sheet's date; the law named in the source line
    when the view draws the law or filters by it (both use the law in force on the sheet's date)."""
    filters = filters or Filters()
    parts = (*(["pending"] if kind == "pending" else []), *filter_parts(filters))
    return Caption(
        title, filter_words(filters, kind), iso_date(sheet_date), kind, law=law_shown or bool(filters.law_statuses), file_parts=tuple(parts)
    )


def spread_caption(first: str, last: str, every: str = "month", filters: Filters | None = None) -> Caption:
    """The caption of the spread over time (:func:`mapcore.render.maps.spread_map`), first to last sheet."""
    monthly = every == "month"
    title = _("287(g) agreements per county, month by month") if monthly else _("287(g) agreements per county, sheet by sheet")
    note = (
        _("Each frame: the last ICE participating-agencies sheet of its month.")
        if monthly
        else _("Each frame: the last ICE participating-agencies sheet of its day.")
    )
    filters = filters or Filters()
    return Caption(title, filter_words(filters), first, sheet_until=last, notes=(note,), file_parts=tuple(filter_parts(filters)))


def filter_words(filters: Filters, kind: str = "participating") -> tuple[str, ...]:
    """The filters of a view in words for a picture's title and a download's About sheet, one part each:
    'Model: TFM (Task Force Model)', 'States: TX, LA', ... (the CLI's About sheet uses the terser
    :func:`mapcore.analysis.query.describe_filters`)."""
    parts = []
    if filters.models:
        models = ", ".join(f"{m} ({model_short(m)})" if m in MODEL_SHORT else str(m) for m in filters.models)  # ' · ' joins parts
        parts.append((_("Model: {models}") if len(filters.models) == 1 else _("Models: {models}")).format(models=models))
    if filters.states:
        states = ", ".join(filters.states)
        parts.append((_("State: {states}") if len(filters.states) == 1 else _("States: {states}")).format(states=states))
    if filters.types:
        parts.append(_("Jurisdiction type: {types}").format(types=", ".join(_(t) for t in filters.types)))  # County...: msgids
    if filters.law_statuses:
        parts.append(
            _("State law: {statuses}").format(statuses=", ".join(law_words.class_label(s, short=True) for s in filters.law_statuses))
        )
    if filters.signed_from or filters.signed_to:
        low_day, high_day = iso_date(filters.signed_from), iso_date(filters.signed_to)
        low = format_day(low_day) if low_day else _("any date")
        high = format_day(high_day) if high_day else _("any date")
        parts.append(_("Signed {low} to {high}").format(low=low, high=high))
    if filters.text:
        parts.append(_("Agency name contains “{text}”").format(text=filters.text))
    if kind == "pending":
        parts.insert(0, _("Pending applications"))
    return tuple(parts)


def iso_date(value: dt.date | pd.Timestamp | str | None) -> str | None:
    """'2026-04-30' for a date, a timestamp or an ISO string; None for nothing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date().isoformat()
