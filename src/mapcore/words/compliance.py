"""Law versus practice in words: the relations, statuses and duties named, the caveats, the sentences, and the
tables as downloaded (English headers and cells) and as shown (:func:`translated_cells`).

The comparison itself (:mod:`mapcore.analysis.compliance`) returns codes and dates and is cached once per
dataset; the words are made here, when shown, in the reader's language. The downloads keep English (msgids):
:func:`presence_table` words its "In words" column in English whoever asks.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import compliance
from mapcore.analysis.query import latest_publication_id
from mapcore.core import i18n
from mapcore.core.frames import blank_missing
from mapcore.core.i18n import N_, _, curated, format_day, format_number, format_percent, ngettext
from mapcore.core.text import external_link, md_text
from mapcore.words import places
from mapcore.words.law import CLASS_LABELS, STATUS_LABELS, UNCONFIRMED, in_force_caption
from mapcore.words.sheets import pending_note

SCOPE_WORDS: dict[str, str] = {"local": N_("local"), "state": N_("state"), "both": N_("both")}

COUNTY_STATUS_LABELS: dict[str, str] = {  # mapcore.analysis.compliance.COUNTY_STATUSES, in legend order
    compliance.COVERED: N_("Sheriff or county jail agreement listed"),
    compliance.PENDING: N_("No agreement; application pending"),
    compliance.NONE: N_("No agreement or application listed"),
}
RELATIONS: dict[str, str] = {  # mapcore.analysis.compliance.RELATION_CODES
    "after_deadline": N_("Listed after the deadline"),
    "after": N_("Listed on or after the law took effect"),
    "wind_down": N_("Listed during the wind-down (after the law took effect, before its deadline)"),
    "signed_before": N_("Signed before the law (not reached by it)"),
    "during": N_("Listed while the law's day of effect was not known"),
    "left_between": N_("Left between two sheets around the law's date"),
    "before": N_("Gone before the law's date"),
    "not_yet": N_("The law's date had not come by the newest sheet"),
    "outside_scope": N_("Outside the law's scope"),
    "no_date": N_("The law's date is not in our table"),
}
DUE_LABELS: dict[str, str] = {  # mapcore.analysis.compliance.DUE_CODES
    "due": N_("Due: the law is in force and its deadline, if any, has passed"),
    "not_yet_due": N_("Not yet due: the law's deadline had not come"),
    "not_in_force": N_("Not yet due: the law was not yet in force"),
    "day_unknown": N_("The law's day of effect is not known"),
}
LEVEL_LABELS: dict[str, str] = {"state": N_("State agency"), "local": N_("Local (county or city)"), "unknown": N_("Unknown")}
DAY_UNKNOWN_NOTE = N_("day of effect not known")  # a law known only to its year
ROSTER_SHERIFF_RULES: dict[str, str] = {  # mapcore.analysis.compliance.ROSTER_SHERIFF_CODES (the download keeps English)
    "named": N_("named after its county (or named 'Sheriff')"),
    "consolidated": N_("a consolidated city-county's agency, standing for its sheriff"),
}

MANDATE_NOTE = N_(  # msgids, shown through _(): each half of INFERENCE_NOTE
    "A missing agreement is not proof of non-compliance: ICE's sheet may lag, an application may be "
    "pending, a county may have no jail, or a consolidated city-county may run the jail."
)
RESTRICT_NOTE = N_(
    "An agreement still listed after a state's ban is not proof that it is used: ICE may be slow to "
    "remove terminated agreements, and where the law table gives only a year we do not guess the day."
)
INFERENCE_NOTE = N_(  # = MANDATE_NOTE + " " + RESTRICT_NOTE, one msgid (shown as _(INFERENCE_NOTE))
    "A missing agreement is not proof of non-compliance: ICE's sheet may lag, an application may be "
    "pending, a county may have no jail, or a consolidated city-county may run the jail. "
    "An agreement still listed after a state's ban is not proof that it is used: ICE may be slow to "
    "remove terminated agreements, and where the law table gives only a year we do not guess the day."
)
ROSTER_GAP_NOTE = N_(  # shown as _(ROSTER_GAP_NOTE)
    "Each sheriff's office in the FBI's roster is listed once, in the county the FBI gives for it: a County-type "
    "agency named after its county, or any agency named 'Sheriff' (Virginia's and Missouri's independent-city "
    "sheriffs, which the FBI types City, sit in their independent city). A consolidated city-county's County-type "
    "agency ('Augusta-Richmond', 'Butte-Silver Bow') stands for its sheriff. An office has an agreement when an "
    "agreement of the sheet was linked to its ORI; a county with no sheriff's office in the roster is listed apart, "
    "not counted as a gap."
)


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
                last=last, gone=gone, date=_day(row["deadline"])
            )
        return _("Left between {last} and {gone}; the law's date, {date}, falls between").format(last=last, gone=gone, date=day)
    if code == "before":
        return _("Gone before the law's date ({date}): last listed {last}, absent from the next sheet ({gone})").format(
            date=day, last=last, gone=gone
        )
    if code == "not_yet":
        if newest_date is not None and pd.notna(newest_date):
            return _("Still listed in the newest sheet of {newest}; the law's date ({date}) had not come").format(
                newest=_day(newest_date), date=day
            )
        return _("Still listed in the newest sheet; the law's date ({date}) had not come").format(date=day)
    if code == "during":
        return _("Last listed {last}, while the law's day of effect was not known (law of {year})").format(
            last=last, year=f"{pd.Timestamp(row['law_end']):%Y}"
        )
    if code == "after_deadline":
        return _("Listed on {last}, after the deadline ({date})").format(last=last, date=_day(row["deadline"]))
    if code == "wind_down":
        return _("Listed on {last}, during the wind-down: after the law took effect ({date}) and before its deadline ({deadline})").format(
            last=last, date=day, deadline=_day(row["deadline"])
        )
    if code == "signed_before":
        return _("Signed on {signed}, before the law ({date}), which bars only new agreements: not reached by it").format(
            signed=_day(row.get("signed")), date=day
        )
    if code == "after":
        return _("Listed on {last}, on or after the law's date ({date})").format(last=last, date=day)
    if code == "outside_scope":
        scope = str(row["law_scope"])
        return _("Outside the law's scope ({scope} agencies only)").format(scope=_(SCOPE_WORDS.get(scope, scope)))
    return _(RELATIONS["no_date"])


def relation_texts(presence: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> list[str]:
    """:func:`relation_text` of every presence row, in the reader's language."""
    return [relation_text(row, newest_date) for _i, row in presence.iterrows()]


def presence_table(presence: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> pd.DataFrame:
    """The per-agreement list as downloaded, English headers and cells: the relation's label, "unconfirmed" on
    low-confidence laws and the "In words" column in English, whoever asks (the page shows that column again in
    the reader's language: :func:`relation_texts`)."""  # i18n: data
    with i18n.using_language(i18n.DEFAULT_LANGUAGE):
        english = relation_texts(presence, newest_date)
    law = presence["law_status"].map(lambda s: s.capitalize() if isinstance(s, str) else s)  # i18n: data
    unconfirmed = presence["confidence"].eq("low") if "confidence" in presence else pd.Series(False, index=presence.index)  # i18n: data
    law = law.where(~unconfirmed, law + f" ({UNCONFIRMED})")  # i18n: data
    out = pd.DataFrame(
        {
            "State": presence["state"],
            "Agency": presence["agency"],
            "Model": presence["model"],  # i18n: data
            "Level": presence["agency_level"].map(LEVEL_LABELS),
            "Law": law,
            "Law scope": presence["law_scope"],  # i18n: data
            "Law in force from": _law_days(presence["effective_date"], presence["effective_year"]),  # i18n: data
            "Deadline": presence["deadline"],
            "First seen": presence["first_seen"],  # i18n: data
            "Last seen": presence["last_seen"],
            "First sheet without it": presence["gone_by"],  # i18n: data
            "Gaps": presence["gaps"],
            "Listed since first sheet": presence["since_first_sheet"],  # i18n: data
            "Publications": presence["publications"],
            "In newest sheet": presence["active"],  # i18n: data
            "Law covers agency": presence["law_covers"],
            "Relation to the law": presence["relation"].map(RELATIONS),  # i18n: data
            "In words": english,  # i18n: data
        }
    )
    return out.reset_index(drop=True)


def _law_days(days: pd.Series, years: pd.Series) -> list[str]:
    """The law's day as a table writes it in English: '2026-02-17', '2026 (day of effect not known)' or
    'not known' (:func:`translated_cells` says the words in the reader's language)."""
    return [
        f"{d:%Y-%m-%d}" if not pd.isna(d) else (f"{int(y)} ({DAY_UNKNOWN_NOTE})" if not pd.isna(y) else NOT_KNOWN)
        for d, y in zip(days, years)
    ]


def presence_sentence(row: pd.Series, newest_date: pd.Timestamp | None = None) -> str:
    """One plain sentence on an agreement's listings against its state's law (a presence row)."""
    first = _day(row["first_seen"])
    if row["since_first_sheet"]:
        first = _("{date} (our first sheet: maybe earlier)").format(date=first)
    seen = _("listed from {first} to {last}").format(first=first, last=_day(row["last_seen"]))
    gaps = int(row.get("gaps", 0) or 0)
    if gaps:
        seen += " " + ngettext(
            "with {n} gap (absent from some sheets, then back)", "with {n} gaps (absent from some sheets, then back)", gaps
        ).format(n=gaps)
    state = _("still listed in the newest sheet") if row["active"] else _("no longer listed")
    return f"{row['agency']} ({row['model']}): {seen}, {state}. {relation_text(row, newest_date)}."


# ------------------------------------------------------------------------------------------------
# The Law vs practice page's tables and sentences

# Columns whose cells are our own words (statuses, scopes, relations), shown in the reader's language; the
# downloads keep the English table. ICE's values and the law citations are never translated.
WORD_COLUMNS: tuple[str, ...] = (
    "Name",
    "Law",
    "Scope",
    "Law scope",
    "Level",
    "Relation to the law",
    "Status",  # i18n: data
    "Duty on the sheet's date",
    "From",
    "To",
    "Confidence",
    "Counted as sheriff because",
)  # i18n: data
NOT_KNOWN = "not known"  # i18n: data (the English of a law's unknown day, as the tables write it)
LAW_DAY = "Law in force from"  # i18n: data (the header of the law's day)
LAWS = "Laws"  # i18n: data (the header of the law table's citations, translated in domain texts)


def _cell(value: object) -> object:
    """One of our words in the reader's language ('Prohibits (unconfirmed)' -> 'Prohíbe (sin confirmar)')."""
    if not isinstance(value, str) or not value:
        return value
    flag = f" ({UNCONFIRMED})"
    if value.endswith(flag):
        return f"{_(value[: -len(flag)])} ({_(UNCONFIRMED)})"
    return _(value)


def translated_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A display copy of an English table of this page with the cells of :data:`WORD_COLUMNS` translated (when the
    catalog has them), the law citations' words (domain texts) and "day of effect not known" said in the reader's
    language."""
    out = frame.copy()
    for column in WORD_COLUMNS:
        if column in out:
            out[column] = out[column].map(_cell)
    if LAWS in out:  # the law table's citations: their words in domain texts, like the summaries
        out[LAWS] = out[LAWS].map(lambda v: curated(v) if isinstance(v, str) and v else v)
    for column in (LAW_DAY, "Date"):  # "2026 (day of effect not known)": the words, not the year  # i18n: data
        if column in out:
            out[column] = out[column].map(
                lambda v: _(v) if v == NOT_KNOWN else v.replace(DAY_UNKNOWN_NOTE, _(DAY_UNKNOWN_NOTE)) if isinstance(v, str) else v
            )
    return blank_missing(out, days_as_text=True)  # a date column with a missing day: text (no date format)


def headers(frame: pd.DataFrame) -> dict[str, str]:
    """The English headers of a table of this page (listed in mapcore.core.columns) in the reader's language; the
    table keeps its English headers, which the downloads use."""
    return {str(c): _(str(c)) for c in frame.columns}


INTRO = N_(
    "ICE's 287(g) sheets set against each state's law, to the day: agreements listed where the law bans or "
    "restricts 287(g), and counties whose sheriff is not listed where the law requires sheriffs to join."
)
CHART_NOTE = N_(
    "Solid blue: every agreement listed; orange dashed: only those the law's scope reaches. Dotted line: the "
    "law's effective date (grey band: up to its deadline, or the law's year when only the year is known), drawn "
    "only when it falls within the sheets' range."
)
COUNTED_NOTE = N_(
    "Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
    "corrections or detention agency. Police departments, constables, district attorneys and state agencies "
    "do not count. Read the map as what ICE lists, not as a finding of compliance (see the note above and "
    "*What this does and does not show* below)."
)


def restrict_summary(per_state: pd.DataFrame) -> str:
    """The restrict tab's opening paragraph (markdown), from :func:`mapcore.analysis.compliance.restricted_states_table`."""
    listed = per_state[per_state["ever_listed"] > 0]
    after = per_state["listed_after_law"] + per_state["listed_during_wind_down"] + per_state["listed_after_deadline"]
    return _(
        "ICE's sheets list agreements in **{listed} of {states}** states whose newest law prohibits or restricts 287(g); "
        "**{newest}** of those agreements are in the newest sheet. **{banned}** were listed on or after a ban took "
        "effect (during its wind-down or after its deadline included), and **{limited}** on or after a law that restricts "
        "287(g) without barring it. Each agreement is compared with the law's effective date and deadline to the day; "
        "where only the law's year is known the page says *listed while the law's day of effect was not known*; an "
        "agreement signed before a law that bars only new agreements is *signed before the law (not reached by it)*; "
        "and an agreement that left between two sheets with the law's date between them *left between* those "
        "sheets."
    ).format(
        listed=format_number(len(listed)),
        states=format_number(len(per_state)),
        newest=format_number(int(per_state["in_newest"].sum())),
        banned=format_number(int(after[per_state["law_status"] == "prohibits"].sum())),
        limited=format_number(int(after[per_state["law_status"] == "restricts"].sum())),
    )


def law_table_caption() -> str:
    """The law table's source, after a tab's own source line."""
    return _("Law table: data/state_laws.csv (checked by hand; low-confidence rows marked {unconfirmed}).").format(
        unconfirmed=_(UNCONFIRMED)
    )


def without_label(due: str) -> str:
    """The "Without" metric's label: whether the duty was due on the sheet's date."""
    if due == "due":
        return _("Without")
    return _("Without (not yet due)") if due in ("not_yet_due", "not_in_force") else _("Without (day of effect not known)")


def due_words(due: str) -> str:
    """A :data:`mapcore.analysis.compliance.DUE_CODES` code in words."""
    return _(DUE_LABELS[due])


def law_heading(confidence: object) -> str:
    """'The law:' or 'The law (unconfirmed):' before a mandate state's law: unconfirmed is low-confidence research
    only (a day of effect not known is said by the duty's words, :func:`due_words`)."""
    flag = f" ({_(UNCONFIRMED)})" if confidence == "low" else ""
    return _("The law{flag}:").format(flag=flag)


def mandate_caption(models_chosen: str, gaps: pd.DataFrame, sheets: pd.DataFrame, newest: str | None) -> str:
    """Under a mandate state's figures: the models chosen, where counties and agreements come from, the pending
    list and the law's day (``gaps``: the state's rows of :func:`mapcore.analysis.compliance.mandate_gaps`)."""
    sheet_date = gaps["publication_date"].iloc[0]
    pending_id = latest_publication_id(sheets, "pending", gaps["pending_publication_date"].iloc[0])
    pending = " " + _("Pending applications from ICE's {note}.").format(note=pending_note(sheets, pending_id, newest)) if pending_id else ""
    return (
        _(
            "Models chosen by covered counties (a county may have several): {models}. Counties from the Census boundary "
            "layer; agreements from ICE's sheet of {date}."
        ).format(models=models_chosen or _("none"), date=format_day(sheet_date))
        + pending
        + " "
        + in_force_caption(sheet_date)
    )


def missing_heading(n: int, state_name: str, due: str) -> str:
    """'**64 counties without a sheriff or county jail agreement listed in Florida** (due: ...)' (markdown)."""
    return (
        "**"
        + ngettext(
            "{n} county without a sheriff or county jail agreement listed in {state}",
            "{n} counties without a sheriff or county jail agreement listed in {state}",
            n,
        ).format(n=format_number(n), state=md_text(state_name))
        + f"** ({md_text(due_words(due).lower())})"
    )


MISSING_HIDDEN: tuple[str, ...] = ("State", "ICE sheet", "Pending sheet", "Sheriff or jail agencies", "Models")  # i18n: data
OVERVIEW_HEADERS: dict[str, str] = {  # i18n: data (English headers: shown through _(), downloads keep them)
    "state": "State",
    "counties": "Counties",
    "with_sheriff_agreement": "With agreement",
    "without": "Without",  # i18n: data
    "pending_only": "Of which pending",
    "no_agreement_or_application": "Neither",
    "pct_covered": "% covered",  # i18n: data
    "models_chosen": "Models chosen",
    "effective_year": "Law's year",
    "effective_date": "In force from",  # i18n: data
    "deadline": "Deadline",
    "due": "Duty on the sheet's date",
    "confidence": "Confidence",
}  # i18n: data


def mandate_overview(summary: pd.DataFrame) -> pd.DataFrame:
    """Every mandate state's coverage (:func:`mapcore.analysis.compliance.mandate_summary`) as shown: English headers,
    the duty in the reader's language."""
    out = summary.assign(due=summary["due"].map(due_words)).rename(columns=OVERVIEW_HEADERS)
    return out.drop(columns=[m for m in ("JEM", "WSO", "TFM") if m in out])


def duties_markdown(duties: pd.DataFrame) -> str:
    """The mandates that bind a state official, not sheriffs: a bold heading and one line each (:func:`duty_lines`)."""
    return "\n".join(
        [
            _("**Mandates on a state official, not on sheriffs** (not counted above: no county is missing anything under these laws)"),
            "",
            *duty_lines(duties),
        ]
    )


def no_roster_sheriff(counties: pd.Series) -> str:
    """The counties of a state with no sheriff's office in the FBI roster, which are not counted as gaps."""
    return (
        _("Counties with no sheriff's office in the FBI roster (not counted as gaps):")
        + " "
        + md_text(", ".join(counties.astype(str)))
        + "."
    )


def duty_lines(duties: pd.DataFrame) -> list[str]:
    """One markdown line (with a link that opens in a new tab) per mandate that binds a state official, not sheriffs
    (:func:`mapcore.analysis.compliance.state_level_duties`)."""
    lines = []
    for _row, duty in duties.iterrows():
        n = int(duty["state_agreements"])
        listed = (
            ngettext(
                "ICE's newest sheet lists {n} agreement of state agencies there: {names}.",
                "ICE's newest sheet lists {n} agreements of state agencies there: {names}.",
                n,
            ).format(n=format_number(n), names=duty["state_agencies"])
            if n
            else _("ICE's newest sheet lists no agreement of a state agency there.")
        )
        link = f" {external_link(_('Source'), duty['source_url'])}" if duty["source_url"] else ""
        lines.append(f"- **{md_text(places.state_name(duty['state']))}:** {md_text(curated(duty['duty']))} {md_text(listed)}{link}")
    return lines


NOT_IN_TABLE = N_("not in our table")


def law_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Every change of law (:func:`mapcore.analysis.law_on_day.law_changes`) as downloaded: English words under English
    headers, never the table's codes (:func:`translated_cells` says them in the reader's language): the day a law
    became law, its day of effect or its year with "day of effect not known", the status before it or "not in our
    table", the class it brought (a mandate says who must act)."""
    return pd.DataFrame(
        {
            "State": changes["state"],
            "Name": changes["state_name"],
            "Became law": changes["enacted"],  # i18n: data
            "Date": [
                f"{d:%Y-%m-%d}" if not pd.isna(d) else f"{int(y)} ({DAY_UNKNOWN_NOTE})"  # i18n: data
                for d, y in zip(changes["date"], changes["year"])
            ],
            "From": [STATUS_LABELS.get(c, c) if isinstance(c, str) else NOT_IN_TABLE for c in changes["from_status"]],  # i18n: data
            "To": [CLASS_LABELS.get(c, c) for c in changes["to_class"]],  # i18n: data
            "Status changed": changes["status_changed"],
            "Laws": changes["laws"],  # i18n: data
            "Confidence": [f"{c} ({UNCONFIRMED})" if u else c for c, u in zip(changes["confidence"], changes["unconfirmed"])],  # i18n: data
            "Source": changes["source_url"],  # i18n: data
        }
    )


def mandate_metrics(row: pd.Series) -> list[tuple[str, str, str | None]]:
    """A mandate state's four figures (label, value, help) from a :func:`mapcore.analysis.compliance.mandate_summary` row."""
    due = str(row["due"])
    return [
        (_("Counties"), format_number(int(row["counties"])), None),
        (_("With a sheriff or jail agreement"), format_number(int(row["with_sheriff_agreement"])), None),
        (
            without_label(due),
            format_number(int(row["without"])),
            _("Counties pending an application are counted here too.") + " " + due_words(due) + ".",
        ),
        (_("Covered"), format_percent(float(row["pct_covered"]) / 100, decimals=0), None),
    ]


CHANGES_INTRO = N_(
    "Each change our law table records: the day the law became law, the day the new status took effect and "
    "the status before it. Where only the year of effect is known the date says so (*day of effect not "
    "known*); where the status before a law is not recorded, *not in our table*."
)


def changes_caption(newest_date: pd.Timestamp) -> str:
    """Under the law changes: the newest sheet's day, after which no change shows in any sheet."""
    return _(
        "ICE's newest sheet is of {date}: changes after that day are not yet reflected in any sheet. Law table: data/state_laws.csv."
    ).format(date=format_day(newest_date))


def bullets(lines: list[str]) -> str:
    """Lines as a markdown list."""
    return "\n".join(f"- {line}" for line in lines)


# ------------------------------------------------------------------------------------------------
# What is and is not inferred


def mandate_caveats() -> list[str]:
    """Why a county without a listed sheriff agreement is not thereby out of compliance."""
    return [
        _("ICE's sheet may lag behind signings, so a new agreement can be missing for weeks."),
        _("An application may be pending: counties with a pending sheriff or jail application are shown apart."),
        _("A county may have no jail of its own (it boards prisoners elsewhere), and some laws bind only sheriffs who run a jail."),
        _(
            "A consolidated city-county, a regional jail or a county corrections department may run the jail; "
            "regional jails are counted only in the one county ICE's sheet places them in."
        ),
        _("Where the law's deadline is still ahead, counties may yet sign before it."),
        _("Only the agency's name and type are read: a sheriff listed under an unusual name or type can be missed."),
    ]


def restricted_caveats() -> list[str]:
    """Why an agreement listed after a state's ban is not thereby in use or unlawful."""
    return [
        _("ICE may keep a terminated agreement on its sheet for a while; being listed is not proof of activity."),
        _(
            "Where the law table gives only the year of a law, an agreement last listed during that year cannot be placed "
            "before or after it: the page says 'listed while the law's day of effect was not known'."
        ),
        _(
            "An agreement absent from one or more sheets and listed again later is one agreement with a gap. One that leaves "
            "between two sheets with the law's date between them 'left between' those sheets: ICE's sheets cannot say which "
            "side of the law it left on."
        ),
        _(
            "A law's scope matters: a law binding only state agencies leaves county agreements outside it, and ICE "
            "sometimes lists an agency under the wrong state."
        ),
        _(
            "A law that restricts 287(g) (conditions, governor-only signing, detainer limits) does not bar agreements: "
            "being listed there is not a breach."
        ),
        _("Our sheets start on the first archived publication; 'first seen' then means 'listed since at least that date'."),
    ]


def mandate_sentence(row: pd.Series, state_name: str | None = None, today: object = None) -> str:
    """One plain sentence on a state's coverage from a :func:`mapcore.analysis.compliance.mandate_summary` row, saying whether
    the duty was due on the sheet's date ("not yet due" before a deadline, never "missing"), and when a
    deadline still ahead on the sheet's date has passed since (by ``today``, default
    :func:`mapcore.core.config.today`), that it has, with its date."""
    name = state_name or str(row["state"])
    values = {
        "state": name,
        "n": format_number(int(row["with_sheriff_agreement"])),
        "counties": format_number(int(row["counties"])),
        "share": format_percent(float(row["pct_covered"]) / 100, decimals=0),
        "without": format_number(int(row["without"])),
        "pending": format_number(int(row["pending_only"])),
    }
    if int(row["pending_only"]):
        text = _(
            "In {state}, {n} of {counties} counties ({share}) have a sheriff or county jail agreement listed by "
            "ICE; {without} do not, of which {pending} have a pending application."
        ).format(**values)
    else:
        text = _(
            "In {state}, {n} of {counties} counties ({share}) have a sheriff or county jail agreement listed by ICE; {without} do not."
        ).format(**values)
    due, deadline, effective = row.get("due"), row.get("deadline"), row.get("effective_date")
    from mapcore.core.config import today as _today

    passed = deadline is not None and not pd.isna(deadline) and pd.Timestamp(deadline) <= pd.Timestamp(today or _today())
    if due == "not_yet_due" and passed:
        text += " " + _("Not yet due on the sheet's date; the law's deadline, {date}, has passed since that sheet.").format(
            date=_day(deadline)
        )
    elif due == "not_yet_due":
        text += " " + _("Not yet due: the law's deadline is {date}.").format(date=_day(deadline))
    elif due == "not_in_force" and effective is not None and not pd.isna(effective):
        text += " " + _("Not yet due: the law took effect only on {date}, after this sheet.").format(date=_day(effective))
    elif due == "not_in_force":
        text += " " + _("Not yet due: the law was not yet in force on this sheet's date (its day of effect is not known).")
    elif due == "day_unknown":
        text += " " + _(
            "The law dates from {year}; its day of effect is not known, so we cannot say whether the duty applied on this sheet's date."
        ).format(year=row.get("effective_year"))
    elif deadline is not None and not pd.isna(deadline):
        text += " " + _("The law's deadline, {date}, has passed.").format(date=_day(deadline))
    elif effective is not None and not pd.isna(effective):
        text += " " + _("The law has been in force since {date}.").format(date=_day(effective))
    return text


# ------------------------------------------------------------------------------------------------
# The tables as downloaded (English headers and cells; translated_cells shows them in the reader's language)

STATE_TABLE_HEADERS: dict[str, str] = {  # in the order shown
    "state": "State",
    "state_name": "Name",
    "law_status": "Law",
    "law_scope": "Scope",
    "effective_date": "Law in force from",  # i18n: data
    "deadline": "Deadline",
    "ever_listed": "Ever listed",
    "in_newest": "In newest sheet",  # i18n: data
    "listed_after_deadline": "Listed after the deadline",
    "listed_during_wind_down": "Listed during the wind-down",  # i18n: data
    "listed_after_law": "Listed on or after the law's date",
    "signed_before_law": "Signed before the law (not reached)",  # i18n: data
    "in_law_year": "Listed while the day of effect was not known",  # i18n: data
    "left_between": "Left between sheets around the law's date",  # i18n: data
    "gone_before_law": "Gone before the law's date",
    "law_not_yet": "Law's date not yet come",  # i18n: data
    "outside_scope": "Outside the law's scope",
    "confidence": "Confidence",
    "source_url": "Source",  # i18n: data
}


def states_table(per_state: pd.DataFrame) -> pd.DataFrame:
    """The per-state table (:func:`mapcore.analysis.compliance.restricted_states_table`) as users read it (display
    and download): readable headers, the law's day or "year, day not known", and "unconfirmed" for low-confidence rows."""
    out = per_state.copy()
    out["law_status"] = out["law_status"].map(lambda s: s.capitalize() if isinstance(s, str) else s)
    out["confidence"] = [f"{c} ({UNCONFIRMED})" if u else c for c, u in zip(out["confidence"], out["unconfirmed"])]
    out["effective_date"] = _law_days(out["effective_date"], out["effective_year"])
    return out[list(STATE_TABLE_HEADERS)].rename(columns=STATE_TABLE_HEADERS).reset_index(drop=True)


def gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The per-county list (:func:`mapcore.analysis.compliance.mandate_gaps`) with readable headers, the status  # i18n: data
    spelled out and, apart, whether the duty was due on the sheet's date ("not yet due" before a deadline: never  # i18n: data
    "missing")."""  # i18n: data
    confidence = gaps["confidence"] if "confidence" in gaps else pd.Series("", index=gaps.index)  # i18n: data
    out = pd.DataFrame(
        {
            "State": gaps["state"],
            "County": gaps["county"],
            "GEOID": gaps["GEOID"],  # i18n: data
            "Status": gaps["status"].map(COUNTY_STATUS_LABELS),  # i18n: data
            "Duty on the sheet's date": gaps["due"].map(DUE_LABELS) if "due" in gaps else None,  # i18n: data
            "Sheriff or jail agencies": gaps["sheriff_agencies"],  # i18n: data
            "Models": gaps["models"],
            "Pending applications": gaps["pending_agencies"],  # i18n: data
            "Other local agreements (not counted)": gaps["other_agencies"],
            "Deadline": gaps["deadline"],  # i18n: data
            "Law": [UNCONFIRMED if c == "low" else "" for c in confidence],  # i18n: data
            "ICE sheet": gaps["publication_date"],
            "Pending sheet": gaps["pending_publication_date"],  # i18n: data
        }
    )
    return out.reset_index(drop=True)


ROSTER_STATUS_LABELS: dict[str, str] = {
    compliance.COVERED: N_("Agreement listed"),
    compliance.PENDING: N_("No agreement; application pending"),
    compliance.NONE: N_("No agreement or application"),
}


def roster_gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The per-office list (:func:`mapcore.analysis.compliance.roster_mandate_gaps`) with readable headers, the  # i18n: data
    status and why the office counts as the sheriff spelled out."""  # i18n: data
    return pd.DataFrame(
        {
            "State": gaps["state"],
            "Sheriff's office (FBI)": gaps["sheriff"],
            "ORI": gaps["ori"],
            "County": gaps["county"],  # i18n: data
            "Status": gaps["status"].map(ROSTER_STATUS_LABELS),
            "Models": gaps["models"],
            "Pending": gaps["pending_models"],  # i18n: data
            "Counted as sheriff because": gaps["rule"].map(ROSTER_SHERIFF_RULES),
            "Officers": gaps["officers"],  # i18n: data
        }
    ).reset_index(drop=True)
