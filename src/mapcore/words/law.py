"""The state law in words, made when shown: status and class labels, the two marks, the notes of a law on a day.

The facts come from :mod:`mapcore.analysis.law_on_day` (codes, dates, booleans); nothing here is cached, so each
reader gets their own language. Two marks never share a word: *unconfirmed* is about the research (low
confidence), *new law, not yet in force* and *new law, day of effect not known* are about the day.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapcore.analysis.law_on_day import (
    BEFORE,
    DAY_UNKNOWN,
    IN_FORCE,
    LAW_CLASSES,
    MANDATES_STATE_OFFICIAL,
    MARK_UNCONFIRMED,
    NOT_YET,
    law_class,
)
from mapcore.core.i18n import N_, _, curated, format_day
from mapcore.reference.laws import STATUS_ORDER

STATUS_LABELS: dict[str, str] = {
    "prohibits": N_("Prohibits"),
    "restricts": N_("Restricts"),
    "none": N_("No state law"),
    "requires_cooperation": N_("Requires cooperation"),
    "mandates": N_("Mandates"),
}
# The classes the law filter and legend use: a mandate says who must act.
CLASS_LABELS: dict[str, str] = {
    **STATUS_LABELS,
    "mandates": N_("Mandates: sheriffs or local agencies must join"),
    MANDATES_STATE_OFFICIAL: N_("Mandates only a state official (not sheriffs)"),
}
SHORT_CLASS_LABELS: dict[str, str] = {**STATUS_LABELS, MANDATES_STATE_OFFICIAL: N_("Mandate on a state official")}
MARK_WORDS: dict[str, str] = {
    MARK_UNCONFIRMED: N_("unconfirmed"),
    NOT_YET: N_("new law, not yet in force"),
    DAY_UNKNOWN: N_("new law, day of effect not known"),
}
UNCONFIRMED = MARK_WORDS[MARK_UNCONFIRMED]


def status_label(status: Any) -> str:
    """A status code's label in the reader's language ('Unknown' when missing); raises on a code off the scale."""
    if status is None or (not isinstance(status, str) and pd.isna(status)):
        return _("Unknown")
    if str(status) not in STATUS_LABELS:
        raise ValueError(f"unknown law status {status!r}; expected one of {', '.join(STATUS_ORDER)}")
    return _(STATUS_LABELS[str(status)])


def class_label(code: Any, short: bool = False) -> str:
    """A law class's label (filters, legends): a mandate says who must act; 'Unknown' when missing."""
    if not isinstance(code, str) or code not in LAW_CLASSES:
        return _("Unknown")
    return _((SHORT_CLASS_LABELS if short else CLASS_LABELS)[code])


def mark_word(code: Any) -> str | None:
    """The word of a mark (``unconfirmed``, ``not_yet_in_force``, ``day_unknown``), None for no mark."""
    return _(MARK_WORDS[code]) if isinstance(code, str) and code in MARK_WORDS else None


def _day(value: Any) -> str:
    return "?" if value is None or pd.isna(value) else format_day(pd.Timestamp(value))


def _known(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def _year(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(int(value))


def new_law_note(row: pd.Series | dict) -> str | None:
    """What a row of :func:`~mapcore.analysis.law_on_day.laws_in_force` says about its newest law on that day,
    when it is not the law shown: 'new law of 2026-04-08 (mandates), in force from 2026-07-01', 'new law of
    2026-05-26 (mandates): day of effect not known' (also on a day before it became law), 'new law
    of 2026-05-26 (mandates): day of effect not known', 'before the law of 2026-05-27 (restricts)' (a newer law
    that kept the status). None when the law shown is the newest."""
    timing = row.get("timing")
    if timing == IN_FORCE or timing is None:
        return None
    status = status_label(row.get("newest_status", row.get("status"))).lower()
    enacted = _day(row["enacted"]) if _known(row.get("enacted")) else None
    effective = _day(row["effective_date"]) if _known(row.get("effective_date")) else None
    year = _year(row.get("effective_year"))
    if timing == NOT_YET:
        if enacted and effective:
            return _("new law of {enacted} ({status}), in force from {date}").format(enacted=enacted, status=status, date=effective)
        if effective:
            return _("new law ({status}), in force from {date}").format(status=status, date=effective)
        if enacted:
            return _("new law of {enacted} ({status}): day of effect not known").format(enacted=enacted, status=status)
        return _("new law ({status}), in force from {year}").format(status=status, year=year)
    if timing == DAY_UNKNOWN:
        if enacted:
            return _("new law of {enacted} ({status}): day of effect not known").format(enacted=enacted, status=status)
        return _("new law of {year} ({status}): day of effect not known").format(year=year, status=status)
    if timing == BEFORE:
        when = enacted or effective or year
        return _("before the law of {date} ({status})").format(date=when, status=status) if when else None
    return None


def status_on_words(row: pd.Series | dict) -> str:
    """The status shown on a day with its mark: 'Requires cooperation (new law, not yet in force)',
    'Unknown: the status before the new law is not in our table', 'Restricts (unconfirmed)'."""
    status = row.get("status")
    known = isinstance(status, str) and status in STATUS_ORDER
    label = status_label(status if known else None)
    if not known and row.get("timing") != IN_FORCE:
        label += ": " + _("the status before the new law is not in our table")
    mark = mark_word(row.get("mark"))
    return f"{label} ({mark})" if mark and known else label


def in_force_caption(on: Any) -> str:
    """'State law as in force on 2026-04-30.' for the caption under a map or table."""
    if on is None or pd.isna(on):
        return _("State law: the newest law in our table (no publication date).")
    return _("State law as in force on {date}; a newer law not yet in force that day is marked, never counted as in force.").format(
        date=format_day(pd.Timestamp(on))
    )


# ------------------------------------------------------------------------------------------------
# One state's law, for the State page and the Agency page (facts: mapcore.analysis.state_profile.state_law)

SCOPE_LABELS: dict[str, str] = {
    "local": N_("local agencies (sheriffs, police, county jails)"),
    "state": N_("state agencies"),
    "both": N_("state and local agencies"),
}
AUTHORITY_LABELS: dict[str, str] = {
    "statute": N_("statute"),
    "ag_directive": N_("attorney general directive"),
    "executive_order": N_("executive order"),
    "court_ruling": N_("court ruling"),
    "none": N_("none"),
}
CONFIDENCE_LABELS: dict[str, str] = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
APPLIES_LABELS: dict[str, str] = {
    "all": N_("every agreement, including those signed before it"),
    "new_agreements": N_("new agreements only: agreements signed before it are not reached"),
}


def _label(labels: dict[str, str], code: Any) -> str | None:
    return _(labels[code]) if isinstance(code, str) and code in labels else None


def law_html(law: dict[str, Any] | None, state: str, brief: bool = False, today: Any = None) -> str:
    """The law as escaped markdown lines for ``st.markdown(unsafe_allow_html=True)``: the newest status (and,
    when the row was read for a sheet's day and a newer law was not in force that day, what stood then, with
    its mark), the days it became law and took effect, the deadline (said to have passed when it fell after
    the sheet and by ``today``), whom it reaches, the status before it, pending bills, evidence and the source,
    which opens in a new tab. ``brief`` keeps status, summary and source (the Agency page)."""
    from mapcore.core.text import external_link, md_text
    from mapcore.words.places import state_name

    name = md_text(state_name(state))
    if law is None:
        return _("No entry for {state} in our state-law table (it covers the 50 states and DC).").format(state=name)
    flag = f" (**{_(UNCONFIRMED)}**)" if law.get("low_confidence") else ""
    differs = law.get("on") is not None and law.get("timing") not in (None, IN_FORCE)
    heading = _("Newest state law on 287(g)") if differs else _("State law on 287(g)")
    scope = _label(SCOPE_LABELS, law.get("scope"))
    klass = law_class(law.get("status"), law.get("scope"))  # a mandate on a state official says so
    label = class_label(klass) if klass == MANDATES_STATE_OFFICIAL else status_label(law.get("status"))
    lines = [f"**{heading}:** {md_text(label)}" + (" — " + _("applies to {scope}").format(scope=md_text(scope)) if scope else "") + flag]
    if differs:
        shown = {"status": law.get("status_on"), "timing": law.get("timing"), "mark": law.get("mark")}
        note = new_law_note(law)
        lines.append(
            "**"
            + _("On {date} (ICE's sheet):").format(date=_day(law["on"]))
            + "** "
            + md_text(status_on_words(shown))
            + (f" — {md_text(note)}" if note else "")
        )
    lines.append(md_text(curated(law["summary"]) if law.get("summary") else None))  # translated in domain texts
    if not brief:
        if law.get("laws"):
            lines.append("**" + _("Laws:") + "** " + f"{md_text(curated(law['laws']))}")  # citations, their words translated
        lines.append(" · ".join(_facts(law, today)))
        if law.get("pending"):  # the research notes: translated in domain texts, like the summary
            lines.append("**" + _("Pending:") + "** " + f"{md_text(curated(law['pending']))}")
        if law.get("evidence"):
            lines.append("**" + _("Evidence:") + "** " + f"{md_text(curated(law['evidence']))}")
    source = external_link(_("Read the source"), law.get("source_url")) if law.get("source_url") else _("No source link (no law found).")
    confidence = md_text(_label(CONFIDENCE_LABELS, law.get("confidence")) or _("unknown"))
    checked = ", " + _("checked {date}").format(date=_day(law["checked"])) if law.get("checked") else ""
    doubt = " (" + _(UNCONFIRMED) + ")" if law.get("low_confidence") else ""
    lines.append(f"{source} · " + _("Confidence:") + f" **{confidence}**{doubt}{checked}")
    return "\n\n".join(line for line in lines if line)


def _facts(law: dict[str, Any], today: Any = None) -> list[str]:
    """Authority, the day it became law, the day it took effect (or its year, day not known), the deadline
    (passed since the sheet, when so), whom it reaches and the status before it."""
    from mapcore.core.config import today as _today
    from mapcore.core.text import md_text

    facts = []
    if law.get("authority") and law["authority"] != "none":
        facts.append("**" + _("Authority:") + "** " + md_text(_label(AUTHORITY_LABELS, law["authority"]) or law["authority"]))
    enacted, effective = law.get("enacted"), law.get("effective_date")
    if enacted and enacted != effective:
        facts.append("**" + _("Became law:") + "** " + _day(enacted))
    if effective:
        facts.append("**" + _("In force from:") + "** " + _day(effective))
    elif law.get("effective_year"):
        facts.append("**" + _("In force from:") + "** " + f"{law['effective_year']} ({_('day of effect not known')})")
    deadline = law.get("deadline")
    if deadline:
        text = "**" + _("Deadline:") + "** " + _day(deadline)
        now, sheet = pd.Timestamp(today or _today()), law.get("on")
        if sheet is not None and pd.Timestamp(sheet) < pd.Timestamp(deadline) <= now:
            text += " " + _("(passed since ICE's sheet of {date})").format(date=_day(sheet))
        facts.append(text)
    reaches = _label(APPLIES_LABELS, law.get("applies_to"))
    if law.get("applies_to") == "new_agreements" and reaches:
        facts.append("**" + _("Reaches:") + "** " + reaches)
    start = enacted or effective
    if start and law.get("prior_status"):
        facts.append("**" + _("Before {date}:").format(date=_day(start)) + "** " + status_label(law["prior_status"]))
    elif start and law.get("effective_year") and law.get("timing") not in (None, IN_FORCE):
        facts.append("**" + _("Before {date}:").format(date=_day(start)) + "** " + _("not in our table"))
    return facts


def unconfirmed_note(law: dict[str, Any] | None) -> str | None:
    """The warning for low-confidence research (the *unconfirmed* mark), else None."""
    if law is None or not law.get("low_confidence"):
        return None
    return _("Unconfirmed: our reading of this state's law rests on thin or conflicting sources; check the source before relying on it.")


def pending_law_note(law: dict[str, Any] | None) -> str | None:
    """When a state's newest law was not in force on the shown sheet's day (passed, not yet in force, or its
    day of effect not known): what the maps, filters and counts use instead. None otherwise. A different
    word from *unconfirmed*: this is about the day, not the research."""
    if law is None or law.get("on") is None or law.get("timing") not in (NOT_YET, DAY_UNKNOWN):
        return None
    shown = status_label(law.get("status_on"))
    if law.get("timing") == NOT_YET:
        status = status_label(law.get("status")).lower()
        passed = _known(law.get("enacted")) and pd.Timestamp(law["on"]) >= pd.Timestamp(law["enacted"])
        if passed and _known(law.get("effective_date")):
            return _(
                "On {date}, the date of ICE's sheet, the new law ({status}) was passed but not yet in force: it takes "
                "effect on {effective}. Maps, filters and counts of that sheet use the status before it: {shown}."
            ).format(date=_day(law["on"]), status=status, effective=_day(law.get("effective_date")), shown=shown)
        if _known(law.get("effective_date")):  # not yet law on that day, or the day it became law is not in our table
            when = _("it took effect on {effective}").format(effective=_day(law["effective_date"]))
        elif _known(law.get("enacted")):
            when = _("it became law on {enacted}; its day of effect is not known").format(enacted=_day(law["enacted"]))
        else:
            when = _("it takes effect in {year}").format(year=_year(law.get("effective_year")))
        return _(
            "On {date}, the date of ICE's sheet, a newer law ({status}) was not yet in force ({when}). Maps, filters "
            "and counts of that sheet use the status before it: {shown}."
        ).format(date=_day(law["on"]), status=status, when=when, shown=shown)
    return _(
        "On {date}, the date of ICE's sheet, the new law ({status}) had become law but its day of effect is not "
        "known. Maps, filters and counts of that sheet use the status before it: {shown}."
    ).format(date=_day(law["on"]), status=status_label(law.get("status")).lower(), shown=shown)


def law_cells(frame: pd.DataFrame) -> pd.Series:
    """The "State law" column of an agreements table: the status in force on each row's sheet date in the
    reader's language, a mandate saying who must act, and the row's mark in words ("Requires cooperation
    (new law, day of effect not known)", "Restricts (unconfirmed)"); empty where the state has no row."""
    index = frame.index
    status = frame["law_status"].astype(object) if "law_status" in frame else pd.Series(None, index=index, dtype=object)
    klass = frame["law_class"].astype(object) if "law_class" in frame else status
    note = frame["law_note"].astype(object) if "law_note" in frame else pd.Series(None, index=index, dtype=object)
    pending = note.isin([NOT_YET, DAY_UNKNOWN])
    cells: list[str | None] = []
    for code, mark, waits in zip(klass, note, pending):
        if isinstance(code, str) and code in LAW_CLASSES:
            label = class_label(code, short=True)
        elif waits:  # a new law not yet in force, and the status before it not in our table
            label = _("Unknown")
        else:
            cells.append(None)
            continue
        word = mark_word(mark)
        cells.append(f"{label} ({word})" if word else label)
    return pd.Series(cells, index=index, dtype=object)


def law_notes(law: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The notes a page shows above a state's law, each with its kind: ``("unconfirmed", ...)`` for low-confidence
    research (a warning) and ``("new_law", ...)`` for a new law not in force on the sheet's day (a note): two marks,
    two words."""
    notes = [("unconfirmed", unconfirmed_note(law)), ("new_law", pending_law_note(law))]
    return [(kind, text) for kind, text in notes if text]
