"""The Timeline's words: how a renewed agreement's date changed, in the reader's language on screen and in English
in the downloads, from the codes of :mod:`mapcore.analysis.history`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from mapcore.analysis import history
from mapcore.analysis.query import publications
from mapcore.core.i18n import N_, _, format_day, format_number, ngettext
from mapcore.core.schema import PublicationId, sheet_file_name

RENEWAL_NOTES: dict[str, str] = {  # English msgids: the download keeps them, the Timeline shows them through _()
    "date_added": N_("date added"),
    "date_removed": N_("date removed"),
    "re_signed": N_("re-signed (later date)"),
    "re_dated": N_("re-dated earlier (a correction?)"),
}


def renewal_words(code: object, english: bool = False) -> object:
    """A renewal's note (:data:`mapcore.analysis.history.RENEWALS`) in the reader's language (``english``: as
    downloaded); anything else as it is."""
    if not isinstance(code, str) or code not in RENEWAL_NOTES:
        return code
    return RENEWAL_NOTES[code] if english else _(RENEWAL_NOTES[code])


def diff_table(diff: history.Diff) -> pd.DataFrame:
    """:func:`mapcore.analysis.history.diff_table` as downloaded: the renewals' notes in English."""
    table = history.diff_table(diff)
    if "note" in table:
        table["note"] = table["note"].map(lambda code: renewal_words(code, english=True))
    return table


def publication_labels(sheets: pd.DataFrame) -> Callable[[str], str]:
    """A publication's label for a select box: '2026-04-30 · participatingAgencies04302026am.xlsx' (made once for
    every sheet: a select box calls it per option); an unknown id as it is."""
    labels = {str(i): f"{format_day(d)} · {sheet_file_name(i)}" for i, d in zip(sheets["publication_id"], sheets["publication_date"])}
    return lambda publication_id: labels.get(str(publication_id), str(publication_id))


# The Timeline's tables: each machine column's header (msgids, shown through _()).
COLUMN_LABELS: dict[str, str] = {
    "moa_url": N_("MOA"),
    "signed": N_("Signed"),
    "signed_before": N_("Signed before"),
    "back_in": N_("Listed again"),
    "jurisdiction_type": N_("Type"),
    "county_name": N_("County"),
    "agency": N_("Agency"),
    "state": N_("State"),
    "model": N_("Model"),
    "returns_later": N_("Back later"),
    "seen_before": N_("Listed before"),
    "switched": N_("Model switch"),
    "note": N_("Note"),
    "models_before": N_("Models before"),
    "models_after": N_("Models after"),
    "gained": N_("Gained"),
    "lost": N_("Lost"),
    "first_pending": N_("First pending"),
    "last_pending": N_("Last pending"),
    "participating_since": N_("Participating since (any model)"),
    "model_participating_since": N_("Same model participating since"),
    "still_pending": N_("Still pending"),
    "later_participating": N_("Later participating"),
    "signed_since": N_("Signed since: listed as participating from"),
}
CHANGES: dict[str, str] = {"added": N_("Added"), "removed": N_("Removed"), "renewed": N_("Renewed"), "switched": N_("Switched")}
DIFF_NOTE = N_(
    "Added/removed: agreements (state, agency, model) listed in only one of the two sheets; agency names are "
    "matched through ICE's spelling corrections. Renewed: same agreement, another SIGNED date. Switched: "
    "agencies in both sheets whose set of models changed; their rows are also counted in added/removed. "
    "Counts per model for switched count agencies gaining or losing that model."
)


DATE_COLUMNS: tuple[str, ...] = (
    "signed",
    "signed_before",
    "back_in",
    "first_pending",
    "last_pending",
    "signed_since",
    "participating_since",
    "model_participating_since",
)


def column_labels(columns: list[str] | None = None) -> dict[str, str]:
    """The headers of the Timeline tables' machine columns (default: all of them), in the reader's language."""
    return {c: _(COLUMN_LABELS[c]) for c in (columns or COLUMN_LABELS) if c in COLUMN_LABELS}


def sheets_line(sheets: pd.DataFrame) -> str:
    """'From 451 ICE participating-agencies sheets and 40 pending-applications sheets, 2025-01-28 to 2026-04-30.'"""
    participating = publications(sheets, "participating")
    return _("From {n} ICE participating-agencies sheets and {pending} pending-applications sheets, {first} to {last}.").format(
        n=format_number(len(participating)),
        pending=format_number(len(publications(sheets, "pending"))),
        first=format_day(participating["publication_date"].min()),
        last=format_day(participating["publication_date"].max()),
    )


def growth_caption(growth: pd.DataFrame, gaps: pd.DataFrame, latest: str) -> str:
    """Under the growth chart: how it is drawn, the newest count (``latest``: the newest sheet's publication id;
    its date written out, 'el 18 de mayo de 2026') and the longest gap without a sheet."""
    gap_text = ""
    if len(gaps):
        longest = gaps.loc[gaps["days"].idxmax()]
        gap_text = " " + ngettext(
            "Grey bands: {n} gap of {days} days or more with no sheet in our record (longest {start} to {end}, {longest} "
            "days): what happened inside a gap is not known.",
            "Grey bands: {n} gaps of {days} days or more with no sheet in our record (longest {start} to {end}, {longest} "
            "days): what happened inside a gap is not known.",
            len(gaps),
        ).format(
            n=len(gaps), days=history.GAP_DAYS, start=format_day(longest["start"]), end=format_day(longest["end"]), longest=longest["days"]
        )
    newest = PublicationId.parse(latest)
    return (
        _(
            "Stacked by model; the last sheet of each day, each count held until the next sheet. Latest: {n} agreements on {date} ({file})."
        ).format(n=format_number(growth["total"].iloc[-1]), date=format_day(newest.date, long=True), file=newest.file_name)
        + gap_text
    )


def signings_caption(signings: pd.DataFrame) -> str:
    """Under the signings chart: what is counted, and how many agreements have no date."""
    undated = signings.attrs.get("undated", 0)
    ever = int(signings["total"].iloc[-1]) if len(signings) else 0
    return (
        _(
            "Every agreement ever listed as participating ({n}, including ones later dropped), counted once at its "
            "earliest SIGNED date; {undated} without a date left out."
        )
        if undated
        else _(
            "Every agreement ever listed as participating ({n}, including ones later dropped), counted once at its earliest SIGNED date."
        )
    ).format(n=format_number(ever), undated=format_number(undated))


def spread_area_label(state: str) -> str:
    """The spread's area choice: '' for the nation month by month, a state day by day."""
    return _("{state}: every day with a sheet").format(state=state) if state else _("All states: month by month")


def spread_note(steps: int, every: str) -> str:
    """Under the spread map: what is shaded, over how many steps."""
    steps_text = (
        ngettext("{n} month, the last sheet of each month", "{n} months, the last sheet of each month", steps)
        if every == "month"
        else ngettext("{n} day, the last sheet of each day", "{n} days, the last sheet of each day", steps)
    )
    return _(
        "Counties shaded by the agreements listed on ICE's participating-agencies sheets: {steps}, from the "
        "first to the newest; drag the slider or press Play. Statewide agencies and regional bodies count in "
        "the total, not on a county. The GIF and MP4 of the same frames are under “Download this map”."
    ).format(steps=steps_text.format(n=format_number(steps)))


def diff_line(diff: history.Diff, sheet_a: str, sheet_b: str, states: list[str]) -> str:
    """'**12** agreements in <sheet A> → **15** in <sheet B> (TX, FL).' (markdown)."""
    where = ", ".join(states) if states else _("all states")
    return _("**{before}** agreements in {sheet_a} → **{after}** in {sheet_b} ({where}).").format(
        before=format_number(diff.count_before), sheet_a=sheet_a, after=format_number(diff.count_after), sheet_b=sheet_b, where=where
    )


def change_counts(diff: history.Diff) -> pd.DataFrame:
    """The diff's counts per model with the changes and the total named in the reader's language."""
    return diff.counts().rename(index=lambda k: _(CHANGES[str(k)]) if str(k) in CHANGES else str(k), columns={"total": _("Total")})


def diff_shown(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """One of a diff's tables as shown: its ``columns``, by state and agency, the renewals' notes in the reader's
    language (the download keeps English)."""
    shown = frame[[c for c in columns if c in frame]].sort_values(["state", "agency"])
    return shown.assign(note=shown["note"].map(renewal_words)) if "note" in shown else shown


_COMMON = ("state", "agency", "jurisdiction_type", "county_name", "model", "signed", "moa_url")
# The diff's tabs: (change, columns shown, what an empty tab says, a flag column, the caption when a row has the flag).
DIFF_TABS: tuple[tuple[str, tuple[str, ...], str, str | None, str | None], ...] = (
    (
        "added",
        (*_COMMON, "switched", "seen_before"),
        N_("Nothing added."),
        "seen_before",
        N_("“Listed before”: on an earlier sheet, missing from the “From” sheet, listed again now."),
    ),
    (
        "removed",
        (*_COMMON, "switched", "returns_later", "back_in"),
        N_("Nothing removed."),
        "returns_later",
        N_("“Back later”: absent from the “To” sheet but listed again in a later sheet (a gap, not an end)."),
    ),
    (
        "renewed",
        ("state", "agency", "county_name", "model", "signed_before", "signed", "note", "moa_url"),
        N_("No agreement re-dated."),
        None,
        None,
    ),
    ("switched", ("state", "agency", "models_before", "models_after", "gained", "lost"), N_("No agency changed models."), None, None),
)


def map_caption(sheet: str, pending_note: str | None) -> str:
    """Under the Timeline's map: the sheet shaded (its label) and the pending list drawn (its note, None: none)."""
    pending = _("ICE's {note}").format(note=pending_note) if pending_note else _("no pending sheet on or before that date")
    return _("Counties shaded by agreements in {sheet}; hollow circles: pending applications in {pending}.").format(
        sheet=sheet, pending=pending
    )
