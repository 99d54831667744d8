"""Law versus practice in words: the relation of an agreement's listings to its state's law, said with its dates.

The comparison itself (:mod:`mapcore.analysis.compliance`) returns codes and dates and is cached once per
dataset; the sentences are made here, when shown, in the reader's language. The downloads keep English
(:func:`presence_table` words its "In words" column in English whoever asks).
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import compliance
from mapcore.analysis.law_on_day import DAY_UNKNOWN_NOTE, UNCONFIRMED, in_force_caption
from mapcore.analysis.query import latest_publication_id
from mapcore.core import i18n
from mapcore.core.i18n import N_, _, curated, format_day, format_number, format_percent, ngettext
from mapcore.core.text import external_link, md_text
from mapcore.reference.laws import STATUS_LABELS
from mapcore.words import places
from mapcore.words.sheets import pending_note

SCOPE_WORDS: dict[str, str] = {"local": N_("local"), "state": N_("state"), "both": N_("both")}


def _day(value: object) -> str:
    return format_day(pd.Timestamp(value)) if value is not None and not pd.isna(value) else "?"


def _law_day(row: pd.Series) -> str:
    if row["law_date_basis"] == "effective date":
        return _day(row["law_start"])
    if row["law_date_basis"] == "effective year":
        return _("{year}; day not known").format(year=f"{pd.Timestamp(row['law_start']):%Y}")
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
        return _("Last listed {last}, in the law's year ({year}): {note}").format(
            last=last, year=f"{pd.Timestamp(row['law_start']):%Y}", note=_(DAY_UNKNOWN_NOTE))
    if code == "after_deadline":
        return _("Listed on {last}, after the law's deadline ({date})").format(last=last, date=_day(row["deadline"]))
    if code == "wind_down":
        return _("Listed on {last}, after the law took effect ({date}) and within its deadline ({deadline})").format(
            last=last, date=day, deadline=_day(row["deadline"]))
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


# ------------------------------------------------------------------------------------------------
# The Law vs practice page's tables and sentences

# Columns whose cells are our own words (statuses, scopes, relations), shown in the reader's language; the
# downloads keep the English table. ICE's values and the law citations are never translated.
WORD_COLUMNS: tuple[str, ...] = ("Name", "Law", "Scope", "Law scope", "Level", "Relation to the law", "Status",  # i18n: data
                                 "Duty on the sheet's date", "From", "To", "Confidence", "Counted as sheriff because")  # i18n: data
NOT_KNOWN = "not known"   # i18n: data (the English of a law's unknown day, as the tables write it)
LAW_DAY = "Law in force from"   # i18n: data (the header of the law's day)


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
    catalog has them) and "date of law not known to the day" said in the reader's language."""
    out = frame.copy()
    for column in WORD_COLUMNS:
        if column in out:
            out[column] = out[column].map(_cell)
    if LAW_DAY in out:   # "2026 (date of law not known to the day)": the words, not the year
        out[LAW_DAY] = out[LAW_DAY].map(
            lambda v: _(v) if v == NOT_KNOWN else v.replace(DAY_UNKNOWN_NOTE, _(DAY_UNKNOWN_NOTE)) if isinstance(v, str) else v)
    return out


def headers(frame: pd.DataFrame) -> dict[str, str]:
    """The English headers of a table of this page (listed in mapcore.core.columns) in the reader's language; the
    table keeps its English headers, which the downloads use."""
    return {str(c): _(str(c)) for c in frame.columns}


INTRO = N_("ICE's 287(g) sheets set against each state's law, to the day: agreements listed where the law bans or "
           "restricts 287(g), and counties whose sheriff is not listed where the law requires sheriffs to join.")
CHART_NOTE = N_("Solid blue: every agreement listed; orange dashed: only those the law's scope reaches. Dotted line: the "
                "law's effective date (grey band: up to its deadline, or the law's year when only the year is known), drawn "
                "only when it falls within the sheets' range.")
COUNTED_NOTE = N_("Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                  "corrections or detention agency. Police departments, constables, district attorneys and state agencies "
                  "do not count. Read the map as what ICE lists, not as a finding of compliance (see the note above and "
                  "*What this does and does not show* below).")


def restrict_summary(per_state: pd.DataFrame) -> str:
    """The restrict tab's opening paragraph (markdown), from :func:`mapcore.analysis.compliance.restricted_states_table`."""
    listed = per_state[per_state["ever_listed"] > 0]
    after = per_state["listed_after_law"] + per_state["listed_after_deadline"]
    return _(
        "ICE's sheets list agreements in **{listed} of {states}** states whose newest law prohibits or restricts 287(g); "
        "**{newest}** of those agreements are in the newest sheet. **{banned}** were listed on or after a ban took "
        "effect, and **{limited}** on or after a law that restricts 287(g) without barring it. Each agreement is "
        "compared with the law's effective date and deadline to the day; where only the law's year is known the page "
        "says *date of law not known to the day*, and an agreement that left between two sheets with the law's date "
        "between them *left between* those sheets.").format(
            listed=format_number(len(listed)), states=format_number(len(per_state)),
            newest=format_number(int(per_state["in_newest"].sum())),
            banned=format_number(int(after[per_state["law_status"] == "prohibits"].sum())),
            limited=format_number(int(after[per_state["law_status"] == "restricts"].sum())))


def law_table_caption() -> str:
    """The law table's source, after a tab's own source line."""
    return _("Law table: data/state_laws.csv (checked by hand; low-confidence rows marked {unconfirmed}).").format(
        unconfirmed=_(UNCONFIRMED))


def without_label(due: str) -> str:
    """The "Without" metric's label: whether the duty was due on the sheet's date."""
    if due == "due":
        return _("Without")
    return _("Without (not yet due)") if due in ("not_yet_due", "not_in_force") else _("Without (date of law not known)")


def due_words(due: str) -> str:
    """A :data:`mapcore.analysis.compliance.DUE_LABELS` code in words."""
    return _(compliance.DUE_LABELS[due])


def law_heading(confidence: object, due: str) -> str:
    """'The law:' or 'The law (unconfirmed):' before a mandate state's law."""
    flag = f" ({_(UNCONFIRMED)})" if confidence == "low" or due == "day_unknown" else ""
    return _("The law{flag}:").format(flag=flag)


def mandate_caption(models_chosen: str, gaps: pd.DataFrame, sheets: pd.DataFrame, newest: str | None) -> str:
    """Under a mandate state's figures: the models chosen, where counties and agreements come from, the pending
    list and the law's day (``gaps``: the state's rows of :func:`mapcore.analysis.compliance.mandate_gaps`)."""
    sheet_date = gaps["publication_date"].iloc[0]
    pending_id = latest_publication_id(sheets, "pending", gaps["pending_publication_date"].iloc[0])
    pending = (" " + _("Pending applications from ICE's {note}.").format(note=pending_note(sheets, pending_id, newest))
               if pending_id else "")
    return (_("Models chosen by covered counties (a county may have several): {models}. Counties from the Census boundary "
              "layer; agreements from ICE's sheet of {date}.").format(models=models_chosen or _("none"), date=format_day(sheet_date))
            + pending + " " + in_force_caption(sheet_date))


def missing_heading(n: int, state_name: str, due: str) -> str:
    """'**64 counties without a sheriff or county jail agreement listed in Florida** (due: ...)' (markdown)."""
    return ("**" + ngettext("{n} county without a sheriff or county jail agreement listed in {state}",
                            "{n} counties without a sheriff or county jail agreement listed in {state}", n).format(
        n=format_number(n), state=md_text(state_name)) + f"** ({md_text(due_words(due).lower())})")


MISSING_HIDDEN: tuple[str, ...] = ("State", "ICE sheet", "Pending sheet", "Sheriff or jail agencies", "Models")  # i18n: data
OVERVIEW_HEADERS: dict[str, str] = {  # i18n: data (English headers: shown through _(), downloads keep them)
    "state": "State", "counties": "Counties", "with_sheriff_agreement": "With agreement", "without": "Without",  # i18n: data
    "pending_only": "Of which pending", "no_agreement_or_application": "Neither", "pct_covered": "% covered",  # i18n: data
    "models_chosen": "Models chosen", "effective_year": "Law's year", "effective_date": "In force from",  # i18n: data
    "deadline": "Deadline", "due": "Duty on the sheet's date", "confidence": "Confidence"}  # i18n: data


def mandate_overview(summary: pd.DataFrame) -> pd.DataFrame:
    """Every mandate state's coverage (:func:`mapcore.analysis.compliance.mandate_summary`) as shown: English headers,
    the duty in the reader's language."""
    out = summary.assign(due=summary["due"].map(due_words)).rename(columns=OVERVIEW_HEADERS)
    return out.drop(columns=[m for m in ("JEM", "WSO", "TFM") if m in out])


def duties_markdown(duties: pd.DataFrame) -> str:
    """The mandates that bind a state official, not sheriffs: a bold heading and one line each (:func:`duty_lines`)."""
    return "\n".join([_("**Mandates on a state official, not on sheriffs** (not counted above: no county is missing "
                        "anything under these laws)"), "", *duty_lines(duties)])


def no_roster_sheriff(counties: pd.Series) -> str:
    """The counties of a state with no sheriff's office in the FBI roster, which are not counted as gaps."""
    return (_("Counties with no sheriff's office in the FBI roster (not counted as gaps):") + " "
            + md_text(", ".join(counties.astype(str))) + ".")


def duty_lines(duties: pd.DataFrame) -> list[str]:
    """One markdown line (with a link that opens in a new tab) per mandate that binds a state official, not sheriffs
    (:func:`mapcore.analysis.compliance.state_level_duties`)."""
    lines = []
    for _row, duty in duties.iterrows():
        n = int(duty["state_agreements"])
        listed = (ngettext("ICE's newest sheet lists {n} agreement of state agencies there: {names}.",
                           "ICE's newest sheet lists {n} agreements of state agencies there: {names}.", n).format(
                      n=format_number(n), names=duty["state_agencies"])
                  if n else _("ICE's newest sheet lists no agreement of a state agency there."))
        link = f" {external_link(_('Source'), duty['source_url'])}" if duty["source_url"] else ""
        lines.append(f"- **{md_text(places.state_name(duty['state']))}:** {md_text(curated(duty['duty']))} {md_text(listed)}{link}")
    return lines


NOT_IN_TABLE = N_("not in our table")


def law_changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Every change of law (:func:`mapcore.analysis.law_on_day.law_changes`) as downloaded: statuses in English words,
    never the table's codes (:func:`translated_cells` says them in the reader's language)."""
    return pd.DataFrame({
        "State": changes["state"], "Name": changes["state_name"], "Date": changes["date"],  # i18n: data
        "From": [STATUS_LABELS.get(c, c) if isinstance(c, str) else NOT_IN_TABLE for c in changes["from_status"]],  # i18n: data
        "To": [STATUS_LABELS.get(c, c) for c in changes["to_status"]],  # i18n: data
        "Status changed": changes["status_changed"], "Laws": changes["laws"],  # i18n: data
        "Confidence": [f"{c} ({UNCONFIRMED})" if u else c for c, u in zip(changes["confidence"], changes["unconfirmed"])],  # i18n: data
        "Source": changes["source_url"],  # i18n: data
    })


def mandate_metrics(row: pd.Series) -> list[tuple[str, str, str | None]]:
    """A mandate state's four figures (label, value, help) from a :func:`mapcore.analysis.compliance.mandate_summary` row."""
    due = str(row["due"])
    return [(_("Counties"), format_number(int(row["counties"])), None),
            (_("With a sheriff or jail agreement"), format_number(int(row["with_sheriff_agreement"])), None),
            (without_label(due), format_number(int(row["without"])),
             _("Counties pending an application are counted here too.") + " " + due_words(due) + "."),
            (_("Covered"), format_percent(float(row["pct_covered"]) / 100, decimals=0), None)]


CHANGES_INTRO = N_("Each change our law table records: the day the new status took effect and the status before it. Where "
                   "only the year of a law is known, its day and the status before it are not recorded (*day not known*).")


def changes_caption(newest_date: pd.Timestamp) -> str:
    """Under the law changes: the newest sheet's day, after which no change shows in any sheet."""
    return _("ICE's newest sheet is of {date}: changes after that day are not yet reflected in any sheet. Law "
             "table: data/state_laws.csv.").format(date=format_day(newest_date))


def bullets(lines: list[str]) -> str:
    """Lines as a markdown list."""
    return "\n".join(f"- {line}" for line in lines)
