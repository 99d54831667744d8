"""A state's law in words, for the State and Agency pages: its status and scope, the status in force on the sheet's
day, dates, deadline, the status before, and how sure we are, from the facts of
:func:`mapcore.analysis.state_profile.state_law` (codes and dates), in the reader's language.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapcore.analysis.law_on_day import DAY_UNKNOWN, DAY_UNKNOWN_NOTE, UNCONFIRMED
from mapcore.core.i18n import N_, _, curated, format_day
from mapcore.core.text import external_link, md_text
from mapcore.reference.laws import STATUS_LABELS
from mapcore.words.places import state_name

SCOPE_LABELS: dict[str, str] = {  # English msgids, shown through _()
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


def status_words(status: object) -> str:
    """A status code in words ('Mandates', 'Prohíbe'); an unknown code as it is, none as 'Unknown'."""
    if status is None:
        return _("Unknown")
    return _(STATUS_LABELS[str(status)]) if str(status) in STATUS_LABELS else str(status)


def _day(value: Any) -> str:
    return format_day(pd.Timestamp(value))


def law_html(law: dict[str, Any] | None, state: str, brief: bool = False) -> str:
    """The law as escaped HTML/markdown lines for ``st.markdown(unsafe_allow_html=True)``: status
    (and, when the row was read for a day, the status in force that day), dates, deadline, the
    status before, pending bills, evidence and the source, which opens in a new tab. ``brief``
    keeps status, summary and source (for the Agency page). Doubtful rows say "unconfirmed"."""
    name = md_text(state_name(state))
    if law is None:
        return _("No entry for {state} in our state-law table (it covers the 50 states and DC).").format(state=name)
    flag = f" (**{_(UNCONFIRMED)}**)" if law.get("unconfirmed") else ""
    changed = law.get("on") is not None and law.get("status_on") != str(law.get("status"))
    heading = _("Newest state law on 287(g)") if changed else _("State law on 287(g)")
    scope = law.get("scope") or ""
    lines = [f"**{heading}:** {md_text(status_words(law['status']))}"
             + (" — " + _("applies to {scope}").format(scope=md_text(_(SCOPE_LABELS[scope]))) if scope in SCOPE_LABELS else "")
             + flag]
    if changed:
        lines.append("**" + _("In force on {date}:").format(date=_day(law["on"])) + f"** {md_text(status_words(law.get('status_on')))}"
                     + (f" — {md_text(law['date_note'])}" if law.get("date_note") else ""))
    elif law.get("on") is not None and law.get("timing") == DAY_UNKNOWN:
        lines.append("**" + _("On {date}:").format(date=_day(law["on"])) + f"** {md_text(law.get('date_note'))}")
    lines.append(md_text(curated(law["summary"]) if law.get("summary") else None))  # translated in domain texts
    if not brief:
        if law.get("laws"):
            lines.append("**" + _("Laws:") + "** " + f"{md_text(law['laws'])}")
        lines.append(" · ".join(_facts(law)))
        if law.get("pending"):   # the research notes: translated in domain texts, like the summary
            lines.append("**" + _("Pending:") + "** " + f"{md_text(curated(law['pending']))}")
        if law.get("evidence"):
            lines.append("**" + _("Evidence:") + "** " + f"{md_text(curated(law['evidence']))}")
    source = (external_link(_("Read the source"), law.get("source_url")) if law.get("source_url")
              else _("No source link (no law found)."))
    level = law.get("confidence") or "unknown"
    confidence = md_text(_(CONFIDENCE_LABELS[level]) if level in CONFIDENCE_LABELS else _("unknown"))
    checked = ", " + _("checked {date}").format(date=_day(law["checked"])) if law.get("checked") else ""
    doubt = " (" + _(UNCONFIRMED) + ")" if law.get("low_confidence") else ""
    lines.append(f"{source} · " + _("Confidence:") + f" **{confidence}**{doubt}{checked}")
    return "\n\n".join(line for line in lines if line)


def _facts(law: dict[str, Any]) -> list[str]:
    """Authority, the day the law took effect (or its year, "not known to the day"), deadline and
    the status before it."""
    facts = []
    authority = law.get("authority")
    if authority and authority != "none":
        said = _(AUTHORITY_LABELS[authority]) if authority in AUTHORITY_LABELS else authority
        facts.append("**" + _("Authority:") + "** " + f"{md_text(said)}")
    if law.get("effective_date"):
        facts.append("**" + _("In force from:") + "** " + f"{_day(law['effective_date'])}")
    elif law.get("effective_year"):
        facts.append("**" + _("In force from:") + "** " + f"{law['effective_year']} ({_(DAY_UNKNOWN_NOTE)})")
    if law.get("deadline"):
        facts.append("**" + _("Deadline:") + "** " + f"{_day(law['deadline'])}")
    prior = law.get("prior_status")
    if prior is not None and law.get("effective_date"):
        facts.append("**" + _("Before {date}:").format(date=_day(law["effective_date"]))
                     + f"** {md_text(_(STATUS_LABELS.get(str(prior), str(prior))))}")
    return facts


def low_confidence_note(law: dict[str, Any] | None) -> str | None:
    """A warning sentence when the law row is unconfirmed (low confidence, or for the day shown the
    law's day or status is not known), else None."""
    if law is None or not law.get("unconfirmed"):
        return None
    if law.get("low_confidence"):
        return _("Unconfirmed: our reading of this state's law rests on thin or conflicting sources; "
                 "check the source before relying on it.")
    return _("Unconfirmed for {date}: {note}.").format(date=_day(law["on"]), note=law.get("date_note") or _(DAY_UNKNOWN_NOTE))
