"""One state at a glance: its law on 287(g), its agreements, their growth. Pure functions for the
State page, so the page only lays out widgets.

States are postal codes. The choice list is the 50 states and DC (even with no agreement, since a
user may ask "what does Vermont's law say?") plus any territory present in ICE's sheets (Guam,
the Northern Mariana Islands...), which have agreements but no row in the law table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import us

from mapcore.analysis.law_on_day import DAY_UNKNOWN, DAY_UNKNOWN_NOTE, UNCONFIRMED, laws_in_force
from mapcore.analysis.query import agency_count
from mapcore.core.i18n import N_, _, curated, format_day
from mapcore.core.schema import LEVEL_STATEWIDE, MODELS, STATES_AND_DC
from mapcore.core.text import external_link, is_http_url, md_text
from mapcore.reference.laws import STATUS_LABELS

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
_BASE_STATES: tuple[str, ...] = tuple(sorted(STATES_AND_DC))


def state_name(code: str | None) -> str:
    """'Texas' for 'TX'; the code itself when unknown (never raises)."""
    if not code:
        return ""
    found = us.states.lookup(str(code), field="abbr")
    return found.name if found is not None else str(code)


def state_label(code: str) -> str:
    """'Texas (TX)', for select boxes."""
    return f"{state_name(code)} ({code})"


def state_choices(agreements: pd.DataFrame | None = None) -> list[str]:
    """Postal codes of the 50 states, DC and the territories present in the agreements, by name."""
    codes = set(_BASE_STATES)
    if agreements is not None and "state" in agreements and len(agreements):
        codes |= {str(s) for s in agreements["state"].dropna().astype(str).unique()}
    return sorted(codes, key=lambda c: (state_name(c).casefold(), c))


def parse_state(value: object, choices: list[str]) -> str | None:
    """A URL's ``state`` value ('TX', 'tx', 'Texas') as one of the choices, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.upper() in choices:
        return text.upper()
    found = us.states.lookup(text)
    if found is not None and found.abbr in choices:
        return found.abbr
    return None


# ------------------------------------------------------------------------------------------------
# The law


def state_law(laws: pd.DataFrame, state: str, on: object = None) -> dict[str, Any] | None:
    """The law-table row of a state as plain values (NA -> None), with labels; None when absent.

    With ``on`` (a day, e.g. the shown publication's date) the row also says which status was in
    force that day: ``on``, ``status_on``, ``status_on_label``, ``timing`` and ``date_note`` (from
    :func:`mapcore.reference.laws.laws_in_force`). ``unconfirmed`` is True for a low-confidence row,
    and, with ``on``, when the law's day is not known or the status that day is unknown."""
    rows = laws[laws["state"].astype(str) == str(state)]
    if rows.empty:
        return None
    raw = rows.iloc[0].to_dict()
    row = {k: (None if _missing(v) else v) for k, v in raw.items()}
    status = str(row["status"])
    row["status_label"] = _(STATUS_LABELS[status]) if status in STATUS_LABELS else status
    scope = row.get("scope") or ""
    row["scope_label"] = _(SCOPE_LABELS[scope]) if scope in SCOPE_LABELS else None
    authority = row.get("authority") or ""
    row["authority_label"] = _(AUTHORITY_LABELS[authority]) if authority in AUTHORITY_LABELS else row.get("authority")
    row["low_confidence"] = row.get("confidence") == "low"
    row["unconfirmed"] = row["low_confidence"]
    url = row.get("source_url")
    row["source_url"] = url if is_http_url(url) else None
    year = row.get("effective_year")
    row["effective_year"] = int(year) if year is not None else None
    for key in ("effective_date", "deadline", "checked"):
        value = row.get(key)
        row[key] = pd.Timestamp(value).date() if value is not None else None
    prior = row.get("prior_status")
    row["prior_status_label"] = _(STATUS_LABELS.get(str(prior), str(prior))) if prior is not None else None
    if on is not None and not _missing(on):
        day = laws_in_force(rows.iloc[:1], pd.Timestamp(on)).iloc[0]
        status_on = None if _missing(day["status"]) else str(day["status"])
        row["on"] = pd.Timestamp(on).date()
        row["status_on"] = status_on
        row["status_on_label"] = _(STATUS_LABELS.get(status_on, status_on)) if status_on else _("Unknown")
        row["timing"] = day["timing"]
        row["date_note"] = day["date_note"] or None
        row["unconfirmed"] = bool(day["unconfirmed"])
    return row


def _missing(value: object) -> bool:
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _day(value: Any) -> str:
    return format_day(pd.Timestamp(value))


def law_html(law: dict[str, Any] | None, state: str, brief: bool = False) -> str:
    """The law as escaped HTML/markdown lines for ``st.markdown(unsafe_allow_html=True)``: status
    (and, when the row was read for a day, the status in force that day), dates, deadline, the
    status before, pending bills, evidence and the source, which opens in a new tab. ``brief``
    keeps status, summary and source (for the Agency page). Doubtful rows say "unconfirmed"."""
    name = md_text(_(state_name(state)))  # the English name is a msgid (mapcore.words.places)
    if law is None:
        return _("No entry for {state} in our state-law table (it covers the 50 states and DC).").format(state=name)
    flag = f" (**{_(UNCONFIRMED)}**)" if law.get("unconfirmed") else ""
    changed = law.get("on") is not None and law.get("status_on") != str(law.get("status"))
    heading = _("Newest state law on 287(g)") if changed else _("State law on 287(g)")
    lines = [f"**{heading}:** {md_text(law['status_label'])}"
             + (" — " + _("applies to {scope}").format(scope=md_text(law["scope_label"])) if law.get("scope_label") else "")
             + flag]
    if changed:
        lines.append("**" + _("In force on {date}:").format(date=_day(law["on"])) + f"** {md_text(law.get('status_on_label'))}"
                     + (f" — {md_text(law['date_note'])}" if law.get("date_note") else ""))
    elif law.get("on") is not None and law.get("timing") == DAY_UNKNOWN:
        lines.append("**" + _("On {date}:").format(date=_day(law["on"])) + f"** {md_text(law.get('date_note'))}")
    lines.append(md_text(curated(law["summary"]) if law.get("summary") else None))  # translated in domain texts
    if not brief:
        if law.get("laws"):
            lines.append("**" + _("Laws:") + "** " + f"{md_text(law['laws'])}")
        lines.append(" · ".join(_facts(law)))
        if law.get("pending"):
            lines.append("**" + _("Pending:") + "** " + f"{md_text(law['pending'])}")
        if law.get("evidence"):
            lines.append("**" + _("Evidence:") + "** " + f"{md_text(law['evidence'])}")
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
    if law.get("authority") and law["authority"] != "none":
        facts.append("**" + _("Authority:") + "** " + f"{md_text(law['authority_label'])}")
    if law.get("effective_date"):
        facts.append("**" + _("In force from:") + "** " + f"{_day(law['effective_date'])}")
    elif law.get("effective_year"):
        facts.append("**" + _("In force from:") + "** " + f"{law['effective_year']} ({_(DAY_UNKNOWN_NOTE)})")
    if law.get("deadline"):
        facts.append("**" + _("Deadline:") + "** " + f"{_day(law['deadline'])}")
    if law.get("prior_status_label") and law.get("effective_date"):
        facts.append("**" + _("Before {date}:").format(date=_day(law["effective_date"]))
                     + f"** {md_text(law['prior_status_label'])}")
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


# ------------------------------------------------------------------------------------------------
# Agreements


def state_rows(rows: pd.DataFrame, state: str) -> pd.DataFrame:
    """The rows of one state."""
    return rows[rows["state"].astype("object") == state]


def statewide_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["level"].astype("object") == LEVEL_STATEWIDE]


def figures(rows: pd.DataFrame) -> dict[str, int]:
    """Agreements in total, per model, agencies and statewide agreements of a set of rows."""
    counts = rows["model"].astype("object").value_counts()
    return {
        "agreements": int(len(rows)),
        **{m: int(counts.get(m, 0)) for m in MODELS},
        "agencies": agency_count(rows),
        "statewide": int(len(statewide_rows(rows))),
    }


def agreements_over_time(agreements: pd.DataFrame, sheets: pd.DataFrame, state: str,
                         kind: str = "participating", per_day: bool = True) -> pd.DataFrame:
    """Agreements listed per publication of a kind, per model and in total, for one state.

    Every publication of the kind has a row (0 when the state had none), oldest first; with
    ``per_day`` only the last sheet of each day is kept (ICE sometimes posts several a day).
    Columns: publication_date, publication_id, JEM, WSO, TFM, total.
    """
    pubs = sheets[sheets["kind"] == kind].sort_values("sequence")
    ids = pubs["publication_id"].astype(str).to_numpy()
    chosen = agreements[(agreements["kind"].astype("object") == kind) & (agreements["state"].astype("object") == state)]
    pub = chosen["publication_id"].astype(str)
    model = chosen["model"].astype("object").fillna("?")
    table = pd.crosstab(pub, model) if len(chosen) else pd.DataFrame()
    out = pd.DataFrame({"publication_date": pd.to_datetime(pubs["publication_date"]).to_numpy(), "publication_id": ids})
    for m in MODELS:
        series = table[m] if m in table else pd.Series(dtype="int64")
        out[m] = pd.Series(ids).map(series).fillna(0).astype(int).to_numpy()
    totals = pub.value_counts()
    out["total"] = pd.Series(ids).map(totals).fillna(0).astype(int).to_numpy()
    if per_day and len(out):
        out = out.drop_duplicates("publication_date", keep="last")
    return out.reset_index(drop=True)


def has_boundaries(states: pd.DataFrame, state: str) -> bool:
    """Whether the boundary layer can draw the state (territories other than PR cannot)."""
    return bool((states["state"].astype(str) == str(state)).any())


def download_stem(state: str, publication_date: pd.Timestamp | None) -> str:
    """'287g-TX-2026-04-30': a download's file name without its extension."""
    when = f"{publication_date:%Y-%m-%d}" if publication_date is not None else "none"
    return f"287g-{state}-{when}"


__all__ = [
    "state_name", "state_label", "state_choices", "parse_state", "state_law", "law_html", "low_confidence_note",
    "state_rows", "statewide_rows", "figures", "agreements_over_time", "has_boundaries", "download_stem",
]
