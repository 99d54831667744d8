"""The Methodology page's words: the placement, date and ORI methods, ICE's quirks and how we handle them, the
sources, all named in the reader's language from the facts of :mod:`mapcore.analysis.methodology`.

Every text constant here is marked ``NT_`` (domain ``texts``) and shown through :func:`words` (``curated``). The
tables keep ICE's own values (agency names, file names, problem messages) as printed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from mapcore.analysis import methodology as facts
from mapcore.core.i18n import NT_, curated, format_day, format_number
from mapcore.core.text import external_link, md_text

PLACEMENT_RULES: dict[str, str] = {
    "county_column": NT_(
        "ICE's COUNTY column names a county of the agency's state (spelling and suffixes such as 'County' or 'Parish' tolerated)."
    ),
    "agency_name": NT_("The county is read from the agency's own name ('Polk County Sheriff's Office')."),
    "gazetteer": NT_(
        "A city or town agency is placed in the county holding that place, from a US places "
        "gazetteer (with a strict fuzzy match for ICE's typos)."
    ),
    "fixes_table": NT_("A small hand-reviewed table (data/placement_fixes.csv) for names no rule can read."),
    "regional_table": NT_(
        "A regional body (a judicial circuit's state attorney, a regional jail authority, a "
        "multi-county task force) is placed in each county it serves, from reviewed tables "
        "(data/judicial_circuits.csv from state statutes, data/regional_agencies.csv); named on "
        "those counties, never counted in one of them nor spread over the state."
    ),
    "statewide": NT_("A state agency (state police, corrections, national guard): shown at state level, never spread over counties."),
    "unplaced": NT_("No county found; listed below with the reason."),
}
# What the Methodology page calls each method: words, never the internal names stored in ``placed_by``.
PLACEMENT_LABELS: dict[str, str] = {
    "county_column": NT_("County printed by ICE"),
    "agency_name": NT_("County named in the agency's name"),
    "gazetteer": NT_("Town looked up in a places gazetteer"),
    "fixes_table": NT_("Reviewed table of fixes"),
    "regional_table": NT_("Counties of a regional body"),
    "statewide": NT_("State agency (state level)"),
    "unplaced": NT_("Not placed"),
}

DATE_LABELS: dict[str, str] = {
    "name": NT_("Date in the file name"),
    "name_stamp": NT_("Archive's capture stamp"),
    "year_typo": NT_("Year typo corrected"),
    "repaired": NT_("Garbled digits repaired"),
    "saved_time": NT_("Workbook's save time"),
    "file_time": NT_("File's modification time"),
}
DATE_METHODS: dict[str, str] = {
    "name": NT_("Date read from ICE's file name (participatingAgencies04302026am → 2026-04-30)."),
    "name_stamp": NT_("Date from the archive's capture stamp in the file name."),
    "year_typo": NT_("Year typo in ICE's file name corrected (no agreement may be signed after the publication date)."),
    "repaired": NT_("Garbled digits in the file name repaired using the workbook's own save time."),
    "saved_time": NT_("No date in the name: the workbook's save time."),
    "file_time": NT_("No date in the name or workbook: the file's modification time."),
}

# Each kind of problem of mapcore.analysis.methodology.PROBLEM_PATTERNS: (short name of the quirk, what we do about it).
PROBLEM_WORDS: dict[str, tuple[str, str]] = {
    "link_chrome_extension": (
        NT_("MOA link wrapped in a PDF viewer's chrome-extension:// address"),
        NT_("unwrapped to the ice.gov address"),
    ),
    "link_safelinks": (
        NT_("MOA link wrapped in an Outlook SafeLinks address (it carries an ICE mailbox address)"),
        NT_("unwrapped to the ice.gov address it points to"),
    ),
    "link_malformed": (NT_("Malformed MOA/addendum link (e.g. 'https:/www.ice.gov/…')"), NT_("repaired")),
    "link_not_http": (NT_("Link that is not http(s)"), NT_("dropped")),
    "type_unreadable": (NT_("Jurisdiction TYPE missing or unreadable (#NA, blank)"), NT_("kept; placed from the agency name if possible")),
    "model_unreadable": (NT_("SUPPORT TYPE (model) missing or unreadable"), NT_("kept without a model")),
    "signed_year_typo": (NT_("Year typo in SIGNED (5025 for 2025)"), NT_("read as the evident year")),
    "signed_not_a_date": (NT_("SIGNED text that is not a date"), NT_("kept without a date")),
    "signed_blank": (NT_("SIGNED blank"), NT_("kept without a date")),
    "row_without_state_or_agency": (NT_("Row with no state or no agency name"), NT_("not counted as an agreement")),
    "state_misspelt": (NT_("STATE misspelt beyond recognition ('UTAHJ')"), NT_("kept, not placed")),
    "duplicate_row": (NT_("Exact duplicate row"), NT_("counted once")),
    "signed_after_publication": (NT_("SIGNED after the sheet's publication date"), NT_("kept, flagged")),
    "same_file_twice": (NT_("The same file archived twice"), NT_("read once")),
    "file_date_not_used": (
        NT_("File name's date not used (a year typo or garbled digits)"),
        NT_("dated by the sheet's content and save time (see Publication dates)"),
    ),
    "extra_column": (NT_("Extra, unnamed column"), NT_("ignored")),
    facts.OTHER: (NT_("Other"), ""),
}

# The quirks read through silently (mapcore.analysis.methodology.VALUE_QUIRKS): (quirk, what we do).
VALUE_QUIRK_WORDS: dict[str, tuple[str, str]] = {
    "model_spelling": (NT_("Model names misspelt or varied"), NT_("read as JEM, WSO or TFM")),
    "type_spelling": (NT_("Jurisdiction type variants"), NT_("read as County, Municipality or State")),
    "signed_text": (NT_("SIGNED typed as text"), NT_("parsed to a date")),
    "county_blank": (
        NT_("COUNTY blank or #N/A (local agencies)"),
        NT_("placed from the agency name or gazetteer when possible ({placed} were)"),
    ),
    "file_name_dates": (
        NT_("Year typos or garbled digits in file names (files)"),
        NT_("publication date taken from the sheet's content and save time"),
    ),
}

KIND_WORDS: dict[str, str] = {"participating": NT_("participating"), "pending": NT_("pending")}  # the kinds of sheet
# Why the content decides a sheet's kind (the same English as mapcore.sheets.filenames.CONTENT_RULE, which the CLI prints).
CONTENT_RULE: dict[str, str] = {
    "participating": NT_("it has a SIGNED column: a list of signed agreements"),
    "pending": NT_("it has no SIGNED column: a list of pending applications"),
}
NAME_QUIRKS: dict[str, str] = {
    "year_typo": NT_("year typo"),
    "garbled": NT_("garbled or wrong date"),
    "no_date": NT_("no date in the name"),
}

ORI_RULES: dict[str, str] = {
    "fixed": NT_("A row of our reviewed table (data/ori_fixes.csv), each with its reason."),
    "county_sheriff": NT_("A sheriff: the one sheriff's office the FBI lists in the county the agreement is placed in."),
    "exact": NT_("The same name as the FBI's, letter for letter once case, punctuation and abbreviations are evened out."),
    "normalised": NT_(
        "The same name once the state's name, 'Police Department' and the like, the FBI's trailing colons "
        "and qualifiers are dropped; type and county must agree."
    ),
    "fuzzy": NT_("A one- or two-letter misspelling, and only one FBI agency of the county that close."),
    "ambiguous": NT_("Several FBI agencies fit and nothing tells them apart: no ORI, the candidates listed."),
    "unmatched": NT_("No FBI agency fits: no ORI, the reason listed."),
}
ORI_LABELS: dict[str, str] = {  # the words the Methodology page shows for each method (not the stored names)
    "fixed": NT_("Reviewed table of ORI fixes"),
    "county_sheriff": NT_("The county's sheriff's office"),
    "exact": NT_("Same name"),
    "normalised": NT_("Same name, evened out"),
    "fuzzy": NT_("Near-miss spelling"),
    "ambiguous": NT_("Several fit: no ORI"),
    "unmatched": NT_("None fits: no ORI"),
}


def words(text: object) -> str:
    """``text`` (a marked constant) in the reader's language; empty stays empty (gettext would give the header)."""
    return curated(str(text)) if text else ""


def _method_words(frame: pd.DataFrame, labels: dict[str, str], rules: dict[str, str], rule_column: str = "rule") -> pd.DataFrame:
    """A table of method codes with the method named and its rule said (an unknown code: its own name, no rule)."""
    out = frame.copy()
    codes = frame["method"].astype(str)
    out["method"] = [words(labels.get(m, m.replace("_", " "))) for m in codes]
    out.insert(1, rule_column, [words(rules.get(m, "")) for m in codes])
    return out


def placement_methods(rows: pd.DataFrame) -> pd.DataFrame:
    """How the agreements of one publication were placed: method and rule in words, agreements, share (%)."""
    return _method_words(facts.placement_methods(rows), PLACEMENT_LABELS, PLACEMENT_RULES)


def placement_rules() -> pd.DataFrame:
    """Every placement method in words with its rule, in the order they are tried (no counts: for a
    page with no data loaded)."""
    return pd.DataFrame(
        [{"method": words(PLACEMENT_LABELS[m]), "rule": words(PLACEMENT_RULES[m])} for m in facts.PLACEMENT_ORDER],
        columns=["method", "rule"],
    )


def unplaced_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The agreements of a publication not placed in a county (statewide ones excepted), with why, under headers
    in the reader's language (the reasons are stored with the dataset, in English)."""
    columns = {
        "state": curated("State"),
        "agency": curated("Agency"),
        "jurisdiction_type": curated("Type"),
        "county_printed": curated("County as printed"),
        "model": curated("Model"),
        "row": curated("Sheet row"),
        "unplaced_reason": curated("Why not placed"),
    }
    return facts.unplaced(rows).rename(columns=columns)


def ori_methods(rows: pd.DataFrame) -> pd.DataFrame:
    """How one publication's agreements were linked to an FBI agency: method and rule in words, agreements, share (%)."""
    return _method_words(facts.ori_methods(rows), ORI_LABELS, ORI_RULES)


def ori_unmatched_table(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`mapcore.analysis.methodology.ori_unmatched` as a table to show, with readable headers and the outcome
    in words ('Several fit: no ORI', not the stored 'ambiguous'); the reasons are stored with the dataset, in English."""
    columns = {
        "state": curated("State"),
        "agency": curated("Agency"),
        "jurisdiction_type": curated("Type"),
        "county_name": curated("County"),
        "model": curated("Model"),
        "row": curated("Sheet row"),
        "ori_method": curated("Outcome"),
        "ori_note": curated("Why no ORI"),
    }
    frame = pd.DataFrame(facts.ori_unmatched(rows), columns=list(columns))
    frame["ori_method"] = frame["ori_method"].map(lambda m: words(ORI_LABELS.get(m, m)) if isinstance(m, str) else m)
    return frame.rename(columns=columns)


def classify_problem(message: object) -> tuple[str, str]:
    """(quirk, handling) for one problem message, in the reader's language; ('Other', '') when no pattern fits."""
    name, handling = PROBLEM_WORDS[facts.problem_kind(message)]
    return words(name), words(handling)


def problem_kinds(problems: pd.DataFrame) -> pd.DataFrame:
    """Dataset.problems grouped by kind: quirk, handling (in words), occurrences, sheets affected, example."""
    kinds = facts.problem_kinds(problems)
    named = [PROBLEM_WORDS[k] for k in kinds["kind"]]
    out = pd.DataFrame({"quirk": [words(n) for n, _h in named], "handling": [words(h) for _n, h in named]}, dtype=object)
    return pd.concat([out, kinds.drop(columns="kind")], axis=1)


def date_methods(sheets: pd.DataFrame) -> pd.DataFrame:
    """How each sheet's publication date was found: method (in words), meaning, number of sheets."""
    return _method_words(facts.date_methods(sheets), DATE_LABELS, DATE_METHODS, "meaning")


def file_name_quirks(sheets: pd.DataFrame, copies: Any = ()) -> pd.DataFrame:
    """Every file whose name does not print its publication date cleanly: file, publication_date, quirk (in words)."""
    table = facts.file_name_quirks(sheets, copies)
    return table.assign(quirk=[words(NAME_QUIRKS[q]) for q in table["quirk"]])


def reclassified_sheets(sheets: pd.DataFrame) -> pd.DataFrame:
    """Sheets whose file name says one kind while the content is the other: file, publication date, name says,
    read as, why (in words)."""
    table = facts.reclassified_sheets(sheets)
    return table.assign(
        name_says=[words(KIND_WORDS.get(k or "", "")) for k in table["name_says"]],
        read_as=[words(KIND_WORDS.get(k, k)) for k in table["read_as"]],
        why=[words(CONTENT_RULE[k]) for k in table["read_as"]],
    )


def value_quirks(agreements: pd.DataFrame, sheets: pd.DataFrame, copies: Any = ()) -> pd.DataFrame:
    """The quirks read through silently, in words: quirk, examples (ICE's values), occurrences, what we do."""
    table = facts.value_quirks(agreements, sheets, copies)
    said = [VALUE_QUIRK_WORDS[q] for q in table["quirk"]]
    handling = [words(h).format(placed=format_number(int(p))) if pd.notna(p) else words(h) for (_q, h), p in zip(said, table["placed"])]
    return pd.DataFrame(
        {"quirk": [words(q) for q, _h in said], "examples": table["examples"], "occurrences": table["occurrences"], "handling": handling}
    )


def share(percent: float) -> str:
    """A share already in percent (12.5) as '12.5 %' / '12,5 %'."""
    return f"{format_number(percent, decimals=1)} %"


def span(info: dict) -> str:
    """One kind of sheet of :func:`mapcore.analysis.methodology.source_summary`: its first and last dates and newest file."""
    if not info["publications"]:
        return curated("none loaded")
    return curated("{first} to {last}, newest file {file}").format(
        first=format_day(info["first"]), last=format_day(info["last"]), file=md_text(info["newest_file"])
    )


def days(first: date | None, last: date | None) -> str:
    """'2026-11-29' or '2026-11-01 to 2026-11-29' ('29 nov 2026' in Spanish; '–' when unknown)."""
    if first is None or last is None:
        return "–"
    if first == last:
        return format_day(first)
    return curated("{first} to {last}").format(first=format_day(first), last=format_day(last))


def sources_markdown(sources: dict[str, Any] | None, laws: pd.DataFrame) -> str:
    """The Sources list (markdown with links that open in a new tab): ICE's sheets (with what is loaded, when
    ``sources`` is :func:`mapcore.analysis.methodology.source_summary`), the boundaries, our law table, the
    regional bodies' tables."""
    ice = external_link(curated("ICE's 287(g) page"), "https://www.ice.gov/identify-and-arrest/287g")
    plotly_geo = external_link("plotly-geo", "https://pypi.org/project/plotly-geo/")
    census = external_link(
        curated("US Census Bureau cartographic boundary files"),
        "https://www.census.gov/geographies/mapping-files/time-series/geo/cartographic-boundary.html",
    )
    first_checked, last_checked = facts.law_checked(laws)
    confidence = facts.law_confidence_counts(laws)
    loaded = (
        curated("Participating: {participating}. Pending: {pending}.").format(
            participating=span(sources["participating"]), pending=span(sources["pending"])
        )
        if sources is not None
        else curated("No sheet is loaded yet (see the note above).")
    )
    return (
        "- "
        + curated(
            "**ICE's sheets.** ICE posts two Excel sheets on {ice}: participating agencies (signed agreements) "
            "and pending applications, replacing them as the list changes. We read every archived copy."
        ).format(ice=ice)
        + " "
        + loaded
        + "\n"
        "- "
        + curated(
            "**Boundaries.** {census}, 2016, 1:500,000, as packaged by {plotly_geo}; simplified for the web. "
            "Alaska, Hawaii and Puerto Rico are drawn as insets on the national map."
        ).format(census=census, plotly_geo=plotly_geo)
        + "\n"
        "- "
        + curated(
            "**State laws.** Our own table (data/state_laws.csv) of the 50 states and DC, each row with its "
            "laws, a one-line summary, a source link and a confidence level ({high} high, {medium} medium, "
            "{low} low), checked {checked}."
        ).format(
            high=format_number(confidence["high"]),
            medium=format_number(confidence["medium"]),
            low=format_number(confidence["low"]),
            checked=days(first_checked, last_checked),
        )
        + "\n"
        "- "
        + curated(
            "**Regional bodies.** Our own reviewed tables of the counties of Florida's judicial circuits "
            "(data/judicial_circuits.csv, from Florida Statutes § 26.021) and of regional jails and task forces "
            "(data/regional_agencies.csv); their sources are in data/README.md."
        )
    )


__all__ = [
    "words",
    "placement_methods",
    "placement_rules",
    "unplaced_table",
    "ori_methods",
    "ori_unmatched_table",
    "classify_problem",
    "problem_kinds",
    "date_methods",
    "file_name_quirks",
    "reclassified_sheets",
    "value_quirks",
    "share",
    "span",
    "days",
    "sources_markdown",
    "PLACEMENT_RULES",
    "PLACEMENT_LABELS",
    "DATE_LABELS",
    "DATE_METHODS",
    "PROBLEM_WORDS",
    "VALUE_QUIRK_WORDS",
    "KIND_WORDS",
    "CONTENT_RULE",
    "NAME_QUIRKS",
    "ORI_RULES",
    "ORI_LABELS",
]


ORI_RATE_LABELS: dict[str, str] = {
    "county": NT_("County agreements with an ORI"),
    "municipal": NT_("Municipality agreements with an ORI"),
    "state": NT_("State agreements with an ORI"),
}


def ori_rate_metrics(rates: dict[str, float | None]) -> list[tuple[str, str]]:
    """(label, share) per ICE type of :func:`mapcore.analysis.methodology.ori_match_rates` ('–' when none of that type)."""
    return [(words(label), "–" if (rate := rates[key]) is None else share(100 * rate)) for key, label in ORI_RATE_LABELS.items()]


def shares_markdown() -> str:
    """How the shares of agencies, officers and residents are counted, with the population rules (markdown)."""
    from mapcore.words.context import POPULATION_RULES

    return (
        curated(
            "**Shares of agencies, officers and residents** (Home and State profile) count the FBI roster's "
            "agencies whose ORI an agreement was linked to, their officers, and the Census 2023 residents of "
            "counties whose sheriff or county jail has an agreement; an agency's own population served is "
            "never added up."
        )
        + "\n"
        + "\n".join(f"- {curated(rule)}" for rule in POPULATION_RULES.values())
    )
