"""What the Methodology page reports, computed from the dataset itself, so every number on it is
the live one: sources, how agreements are placed and how many could not be, and ICE's data
quirks with how often each occurred.

Languages: every text constant here is marked ``NT_`` (domain ``texts``); the functions that build a
table to show translate its words with :func:`words` (``curated``) in the reader's language, so the page
shows them as given. Values that are ICE's own (agency names, file names, problem messages) stay as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from mapcore.analysis.query import placement_counts
from mapcore.core.i18n import NT_, curated, format_number
from mapcore.core.schema import LEVEL_REGIONAL, LEVEL_STATEWIDE, MODEL_NAMES, sheet_file_name
from mapcore.sheets.filenames import CONTENT_RULE, kind_in_name, name_date_quirk, reclassified
from mapcore.sheets.filenames import QUIRKS as NAME_QUIRKS

PLACEMENT_RULES: dict[str, str] = {
    "county_column": NT_("ICE's COUNTY column names a county of the agency's state (spelling and suffixes "
                     "such as 'County' or 'Parish' tolerated)."),
    "agency_name": NT_("The county is read from the agency's own name ('Polk County Sheriff's Office')."),
    "gazetteer": NT_("A city or town agency is placed in the county holding that place, from a US places "
                 "gazetteer (with a strict fuzzy match for ICE's typos)."),
    "fixes_table": NT_("A small hand-reviewed table (data/placement_fixes.csv) for names no rule can read."),
    "regional_table": NT_("A regional body (a judicial circuit's state attorney, a regional jail authority, a "
                      "multi-county task force) is placed in each county it serves, from reviewed tables "
                      "(data/judicial_circuits.csv from state statutes, data/regional_agencies.csv); named on "
                      "those counties, never counted in one of them nor spread over the state."),
    "statewide": NT_("A state agency (state police, corrections, national guard): shown at state level, "
                 "never spread over counties."),
    "unplaced": NT_("No county found; listed below with the reason."),
}
PLACEMENT_ORDER: tuple[str, ...] = tuple(PLACEMENT_RULES)
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

# (pattern on Dataset.problems.message, short name of the quirk, what we do about it); a pattern is data, not
# shown: "# i18n: data" tells the scan of untranslated literals so (the source titles of about_text likewise).
PROBLEM_KINDS: tuple[tuple[str, str, str], ...] = (
    (r"^malformed link 'chrome-extension", NT_("MOA link wrapped in a PDF viewer's chrome-extension:// address"),
     NT_("unwrapped to the ice.gov address")),
    (r"^malformed link '[^']*safelinks\.protection\.outlook\.com", NT_("MOA link wrapped in an Outlook SafeLinks address "
     "(it carries an ICE mailbox address)"), NT_("unwrapped to the ice.gov address it points to")),
    (r"^malformed link", NT_("Malformed MOA/addendum link (e.g. 'https:/www.ice.gov/…')"), NT_("repaired")),
    (r"dropped: only http", NT_("Link that is not http(s)"), NT_("dropped")),  # i18n: data
    (r"^unrecognised jurisdiction type", NT_("Jurisdiction TYPE missing or unreadable (#NA, blank)"),  # i18n: data
     NT_("kept; placed from the agency name if possible")),
    (r"^unrecognised model", NT_("SUPPORT TYPE (model) missing or unreadable"), NT_("kept without a model")),
    (r"^year \d+ read as", NT_("Year typo in SIGNED (5025 for 2025)"), NT_("read as the evident year")),
    (r"is not a date$", NT_("SIGNED text that is not a date"), NT_("kept without a date")),  # i18n: data
    (r"^blank$", NT_("SIGNED blank"), NT_("kept without a date")),
    (r"^blank, so the row", NT_("Row with no state or no agency name"), NT_("not counted as an agreement")),  # i18n: data
    (r"is not a US state", NT_("STATE misspelt beyond recognition ('UTAHJ')"), NT_("kept, not placed")),  # i18n: data
    (r"^exact duplicate", NT_("Exact duplicate row"), NT_("counted once")),
    (r"is after the publication date", NT_("SIGNED after the sheet's publication date"), NT_("kept, flagged")),  # i18n: data
    (r"same bytes as", NT_("The same file archived twice"), NT_("read once")),  # i18n: data
    (r"^publication date \S+ taken from", NT_("File name's date not used (a year typo or garbled digits)"),
     NT_("dated by the sheet's content and save time (see Publication dates)")),
    (r"extra column ignored", NT_("Extra, unnamed column"), NT_("ignored")),  # i18n: data
)


KIND_WORDS: dict[str, str] = {"participating": NT_("participating"), "pending": NT_("pending")}  # the kinds of sheet


def words(text: object) -> str:
    """``text`` (a marked constant) in the reader's language; empty stays empty (gettext would give the header)."""
    return curated(str(text)) if text else ""


def source_summary(sheets: pd.DataFrame) -> dict[str, Any]:
    """Per kind: number of publications, first and last dates, the newest file; plus the total."""
    out: dict[str, Any] = {"sheets": int(len(sheets))}
    for kind in ("participating", "pending"):
        chosen = sheets[sheets["kind"] == kind].sort_values("sequence")
        out[kind] = {
            "publications": int(len(chosen)),
            "first": chosen["publication_date"].min().date() if len(chosen) else None,
            "last": chosen["publication_date"].max().date() if len(chosen) else None,
            "newest_file": sheet_file_name(chosen["publication_id"].iloc[-1]) if len(chosen) else None,
            "newest_id": str(chosen["publication_id"].iloc[-1]) if len(chosen) else None,
        }
    return out


def placement_methods(rows: pd.DataFrame) -> pd.DataFrame:
    """How the agreements of one publication were placed: method, rule in words, count, share (%)."""
    methods = rows["placed_by"].astype("object").fillna("unplaced")
    counts = methods.value_counts()
    total = max(len(rows), 1)
    order = list(PLACEMENT_ORDER) + sorted(set(counts.index) - set(PLACEMENT_ORDER))
    records = [{"method": words(PLACEMENT_LABELS.get(m, m.replace("_", " "))), "rule": words(PLACEMENT_RULES.get(m, "")),
                "agreements": int(counts.get(m, 0)), "share": round(100 * int(counts.get(m, 0)) / total, 1)}
               for m in order if counts.get(m, 0)]
    return pd.DataFrame(records, columns=["method", "rule", "agreements", "share"])


def placement_rules() -> pd.DataFrame:
    """Every placement method in words with its rule, in the order they are tried (no counts: for a
    page with no data loaded)."""
    return pd.DataFrame([{"method": words(PLACEMENT_LABELS[m]), "rule": words(PLACEMENT_RULES[m])} for m in PLACEMENT_ORDER],
                        columns=["method", "rule"])


def match_rate(rows: pd.DataFrame) -> dict[str, Any]:
    """County and municipal agreements placed in a county: counts and rate (0-1, None when none)."""
    counts = placement_counts(rows)
    return {k: counts[k] for k in ("county_or_municipal", "in_county", "rate")} | {
        "statewide": int((rows["level"].astype("object") == LEVEL_STATEWIDE).sum()),
        "regional": int((rows["level"].astype("object") == LEVEL_REGIONAL).sum()),
        "unplaced": len(counts["unplaced"]),
    }


def unplaced_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The agreements of a publication not placed in a county (statewide ones excepted), with why."""
    columns = {"state": curated("State"), "agency": curated("Agency"), "jurisdiction_type": curated("Type"),
               "county_printed": curated("County as printed"), "model": curated("Model"), "row": curated("Sheet row"),
               "unplaced_reason": curated("Why not placed")}
    records = placement_counts(rows)["unplaced"]
    frame = pd.DataFrame(records, columns=list(columns))
    return frame.rename(columns=columns)


ORI_RULES: dict[str, str] = {
    "fixed": NT_("A row of our reviewed table (data/ori_fixes.csv), each with its reason."),
    "county_sheriff": NT_("A sheriff: the one sheriff's office the FBI lists in the county the agreement is placed in."),
    "exact": NT_("The same name as the FBI's, letter for letter once case, punctuation and abbreviations are evened out."),
    "normalised": NT_("The same name once the state's name, 'Police Department' and the like, the FBI's trailing colons "
                  "and qualifiers are dropped; type and county must agree."),
    "fuzzy": NT_("A one- or two-letter misspelling, and only one FBI agency of the county that close."),
    "ambiguous": NT_("Several FBI agencies fit and nothing tells them apart: no ORI, the candidates listed."),
    "unmatched": NT_("No FBI agency fits: no ORI, the reason listed."),
}
ORI_LABELS: dict[str, str] = {   # the words the Methodology page shows for each method (not the stored names)
    "fixed": NT_("Reviewed table of ORI fixes"), "county_sheriff": NT_("The county's sheriff's office"), "exact": NT_("Same name"),
    "normalised": NT_("Same name, evened out"), "fuzzy": NT_("Near-miss spelling"), "ambiguous": NT_("Several fit: no ORI"),
    "unmatched": NT_("None fits: no ORI"),
}
ORI_TYPES: dict[str, str] = {"county": "County", "municipal": "Municipality", "state": "State"}


def ori_match_rates(rows: pd.DataFrame) -> dict[str, float | None]:
    """Share of one publication's agreements with an ORI, per ICE type: ``county``, ``municipal``, ``state``
    (None when there is no agreement of that type)."""
    types = rows["jurisdiction_type"].astype("object")
    has = rows["ori"].notna() if "ori" in rows else pd.Series(False, index=rows.index)
    out: dict[str, float | None] = {}
    for key, jtype in ORI_TYPES.items():
        chosen = types.eq(jtype)
        out[key] = round(float(has[chosen].mean()), 4) if chosen.any() else None
    return out


def ori_methods(rows: pd.DataFrame) -> pd.DataFrame:
    """How one publication's agreements were linked to an FBI agency: method, rule, agreements, share (%)."""
    methods = rows["ori_method"].astype("object").fillna("unmatched") if "ori_method" in rows else pd.Series(dtype=object)
    counts = methods.value_counts()
    total = max(len(rows), 1)
    order = [m for m in ORI_RULES if counts.get(m, 0)] + sorted(set(counts.index) - set(ORI_RULES))
    return pd.DataFrame([{"method": words(ORI_LABELS.get(m, m.replace("_", " "))), "rule": words(ORI_RULES.get(m, "")),
                          "agreements": int(counts[m]),
                          "share": round(100 * int(counts[m]) / total, 1)} for m in order],
                        columns=["method", "rule", "agreements", "share"])


def ori_unmatched(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Every agreement of a publication without an ORI: state, agency, type, county, model, sheet row, method
    (ambiguous/unmatched) and the reason."""
    columns = ["state", "agency", "jurisdiction_type", "county_name", "model", "row", "ori_method", "ori_note"]
    if "ori" not in rows:
        return []
    chosen = rows[rows["ori"].isna()]
    frame = chosen[columns].astype("object").where(chosen[columns].notna(), None)
    frame = frame.sort_values(["state", "agency", "model"], na_position="last", key=lambda c: c.astype(str))
    return [{**r, "row": int(r["row"])} for r in frame.to_dict("records")]


def ori_unmatched_table(rows: pd.DataFrame) -> pd.DataFrame:
    """:func:`ori_unmatched` as a table to show, with readable headers and the outcome in words
    ('Several fit: no ORI', not the stored 'ambiguous'); the reasons are stored with the dataset, in English."""
    columns = {"state": curated("State"), "agency": curated("Agency"), "jurisdiction_type": curated("Type"),
               "county_name": curated("County"), "model": curated("Model"), "row": curated("Sheet row"),
               "ori_method": curated("Outcome"), "ori_note": curated("Why no ORI")}
    frame = pd.DataFrame(ori_unmatched(rows), columns=list(columns))
    frame["ori_method"] = frame["ori_method"].map(lambda m: words(ORI_LABELS.get(m, m)) if isinstance(m, str) else m)
    return frame.rename(columns=columns)


def classify_problem(message: object) -> tuple[str, str]:
    """(quirk, handling) for one problem message, in the reader's language; ('Other', '') when no pattern fits."""
    text = "" if message is None else str(message)
    for pattern, name, handling in PROBLEM_KINDS:
        if re.search(pattern, text):
            return words(name), words(handling)
    return curated("Other"), ""


def problem_kinds(problems: pd.DataFrame) -> pd.DataFrame:
    """Dataset.problems grouped by kind: quirk, handling, occurrences, sheets affected, example."""
    columns = ["quirk", "handling", "occurrences", "sheets", "example"]
    if problems.empty:
        return pd.DataFrame(columns=columns)
    kinds = [classify_problem(m) for m in problems["message"]]
    frame = pd.DataFrame({"quirk": [k[0] for k in kinds], "handling": [k[1] for k in kinds],
                          "file": problems["file"].astype("object").to_numpy(),
                          "message": problems["message"].astype("object").to_numpy()})
    grouped = frame.groupby(["quirk", "handling"], sort=False).agg(
        occurrences=("message", "size"), sheets=("file", "nunique"), example=("message", "first")).reset_index()
    return grouped.sort_values("occurrences", ascending=False, kind="stable")[columns].reset_index(drop=True)


def date_methods(sheets: pd.DataFrame) -> pd.DataFrame:
    """How each sheet's publication date was found: method (in words), meaning, number of sheets."""
    counts = sheets["date_method"].astype("object").fillna("unknown").value_counts()
    order = [m for m in DATE_METHODS if m in counts] + sorted(set(counts.index) - set(DATE_METHODS))
    return pd.DataFrame([{"method": words(DATE_LABELS.get(m, m.replace("_", " "))), "meaning": words(DATE_METHODS.get(m, "")),
                          "sheets": int(counts[m])} for m in order], columns=["method", "meaning", "sheets"])


def file_name_quirks(sheets: pd.DataFrame, copies: Iterable[dict] = ()) -> pd.DataFrame:
    """Every file whose name does not print its publication date cleanly (a year typo, garbled digits,
    another date, no date), the sheets read and the byte-identical copies read once alike.
    Columns: file, publication_date, quirk (in words)."""
    dates = dict(zip(sheets["source_file"].astype(str), pd.to_datetime(sheets["publication_date"])))
    files = [(f, d) for f, d in dates.items()]
    files += [(str(c["file"]), dates[str(c["same_as"])]) for c in copies if str(c.get("same_as")) in dates]
    records = []
    for file, published in files:
        quirk = name_date_quirk(file, published.date())
        if quirk:
            records.append({"file": file, "publication_date": published.date(), "quirk": words(NAME_QUIRKS[quirk])})
    return pd.DataFrame(records, columns=["file", "publication_date", "quirk"])


def reclassified_sheets(sheets: pd.DataFrame) -> pd.DataFrame:
    """Sheets whose file name says one kind while the content is the other (a pending list saved under a
    'participating' name): file, publication date, name says, read as, why."""
    records = []
    for file, kind, published in zip(sheets["source_file"].astype(str), sheets["kind"].astype(str), sheets["publication_date"]):
        if reclassified(file, kind):
            records.append({"file": file, "publication_date": pd.Timestamp(published).date(),
                            "name_says": words(KIND_WORDS.get(kind_in_name(file) or "", "")), "read_as": words(KIND_WORDS.get(kind, kind)),
                            "why": words(CONTENT_RULE[kind])})
    return pd.DataFrame(records, columns=["file", "publication_date", "name_says", "read_as", "why"])


def value_quirks(agreements: pd.DataFrame, sheets: pd.DataFrame, copies: Iterable[dict] = ()) -> pd.DataFrame:
    """Quirks normalised silently while reading (no problem is recorded for them), counted over
    every row of every publication: model and type spellings, text dates, #N/A counties and
    file names that misprint their date (:func:`file_name_quirks`, copies included; duplicates are
    in :func:`problem_kinds`)."""
    canonical_models = set(MODEL_NAMES.values()) | set(MODEL_NAMES)
    model_raw = agreements["model_raw"].astype("object")
    odd_models = model_raw.notna() & ~model_raw.isin(canonical_models) & agreements["model"].notna()
    type_raw = agreements["type_raw"].astype("object")
    odd_types = type_raw.notna() & ~type_raw.isin(["County", "Municipality", "State"]) & agreements["jurisdiction_type"].notna()
    text_dates = agreements["signed_raw"].notna() & agreements["signed"].notna()
    with_county = sheets.loc[sheets["columns"].astype(str).str.contains(r"\bCOUNTY\b"), "publication_id"].astype(str)
    in_county_sheets = agreements["publication_id"].astype("object").astype(str).isin(set(with_county))
    no_county = in_county_sheets & agreements["county_printed"].isna() & (agreements["level"].astype("object") != LEVEL_STATEWIDE)
    placed_anyway = no_county & agreements["county_fips"].notna()
    names = file_name_quirks(sheets, copies)
    misdated = names[names["quirk"] != words(NAME_QUIRKS["no_date"])]
    records = [
        (curated("Model names misspelt or varied"), _examples(model_raw[odd_models]), int(odd_models.sum()),
         curated("read as JEM, WSO or TFM")),
        (curated("Jurisdiction type variants"), _examples(type_raw[odd_types]), int(odd_types.sum()),
         curated("read as County, Municipality or State")),
        (curated("SIGNED typed as text"), _examples(agreements.loc[text_dates, "signed_raw"]), int(text_dates.sum()),
         curated("parsed to a date")),
        (curated("COUNTY blank or #N/A (local agencies)"), "", int(no_county.sum()),
         curated("placed from the agency name or gazetteer when possible ({placed} were)").format(
             placed=format_number(int(placed_anyway.sum())))),
        (curated("Year typos or garbled digits in file names (files)"),
         _examples(misdated["file"].map(lambda p: str(p).split("/")[-1])), int(len(misdated)),
         curated("publication date taken from the sheet's content and save time")),
    ]
    return pd.DataFrame(records, columns=["quirk", "examples", "occurrences", "handling"])


def _examples(values: pd.Series, limit: int = 3) -> str:
    counts = values.astype("object").dropna().astype(str).value_counts()
    return "; ".join(f"'{v}'" for v in counts.index[:limit])


def law_checked(laws: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Earliest and latest ``checked`` date of the law table."""
    checked = pd.to_datetime(laws["checked"]).dropna()
    return (checked.min(), checked.max()) if len(checked) else (None, None)


def law_confidence_counts(laws: pd.DataFrame) -> dict[str, int]:
    counts = laws["confidence"].astype("object").value_counts()
    return {c: int(counts.get(c, 0)) for c in ("high", "medium", "low")}


__all__ = ["source_summary", "placement_methods", "placement_rules", "file_name_quirks", "reclassified_sheets", "match_rate",
           "unplaced_table", "classify_problem", "problem_kinds", "date_methods", "value_quirks", "law_checked",
           "law_confidence_counts", "words", "KIND_WORDS", "PLACEMENT_RULES", "PLACEMENT_LABELS", "DATE_METHODS", "DATE_LABELS",
           "ORI_RULES", "ori_match_rates", "ori_methods", "ori_unmatched", "ori_unmatched_table"]
