"""What the Methodology page reports, computed from the dataset itself, so every number on it is
the live one: sources, how agreements are placed and how many could not be, and ICE's data
quirks with how often each occurred.

Facts only: each table holds codes (a placement method, a date method, a kind of problem, a quirk of a file
name), counts and dates; :mod:`mapcore.words.methodology` names them in the reader's language when shown.
Values that are ICE's own (agency names, file names, problem messages) stay as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from mapcore.analysis.query import placement_counts
from mapcore.core.schema import LEVEL_REGIONAL, LEVEL_STATEWIDE, MODEL_NAMES, sheet_file_name
from mapcore.sheets.filenames import kind_in_name, name_date_quirk, reclassified

# The placement methods (``placed_by``), in the order they are tried; "unplaced" when none worked.
PLACEMENT_ORDER: tuple[str, ...] = ("county_column", "agency_name", "gazetteer", "fixes_table", "regional_table", "statewide", "unplaced")
DATE_ORDER: tuple[str, ...] = ("name", "name_stamp", "year_typo", "repaired", "saved_time", "file_time")
ORI_ORDER: tuple[str, ...] = ("fixed", "county_sheriff", "exact", "normalised", "fuzzy", "ambiguous", "unmatched")
OTHER = "other"  # a problem message no pattern of PROBLEM_PATTERNS fits

# (pattern on Dataset.problems.message, the kind of problem it records): the patterns are data, never shown.
PROBLEM_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^malformed link 'chrome-extension", "link_chrome_extension"),
    (r"^malformed link '[^']*safelinks\.protection\.outlook\.com", "link_safelinks"),
    (r"^malformed link", "link_malformed"),
    (r"dropped: only http", "link_not_http"),
    (r"^unrecognised jurisdiction type", "type_unreadable"),
    (r"^unrecognised model", "model_unreadable"),
    (r"^year \d+ read as", "signed_year_typo"),
    (r"is not a date$", "signed_not_a_date"),
    (r"^blank$", "signed_blank"),
    (r"^blank, so the row", "row_without_state_or_agency"),
    (r"is not a US state", "state_misspelt"),
    (r"^exact duplicate", "duplicate_row"),
    (r"is after the publication date", "signed_after_publication"),
    (r"same bytes as", "same_file_twice"),
    (r"^publication date \S+ taken from", "file_date_not_used"),
    (r"extra column ignored", "extra_column"),
)
# The quirks read through without a problem recorded (:func:`value_quirks`), in the order shown.
VALUE_QUIRKS: tuple[str, ...] = ("model_spelling", "type_spelling", "signed_text", "county_blank", "file_name_dates")


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


def _by_method(methods: pd.Series, order: Iterable[str], total: int) -> pd.DataFrame:
    """Counts per method code, known methods in ``order`` first, then any other: method, agreements, share (%)."""
    counts = methods.value_counts()
    known = [m for m in order if counts.get(m, 0)]
    ordered = known + sorted(set(counts.index) - set(known))
    total = max(total, 1)
    return pd.DataFrame(
        [{"method": m, "agreements": int(counts[m]), "share": round(100 * int(counts[m]) / total, 1)} for m in ordered],
        columns=["method", "agreements", "share"],
    )


def placement_methods(rows: pd.DataFrame) -> pd.DataFrame:
    """How the agreements of one publication were placed: method (a ``placed_by`` code, "unplaced" when none),
    agreements, share (%)."""
    return _by_method(rows["placed_by"].astype("object").fillna("unplaced"), PLACEMENT_ORDER, len(rows))


def match_rate(rows: pd.DataFrame) -> dict[str, Any]:
    """County and municipal agreements placed in a county: counts and rate (0-1, None when none)."""
    counts = placement_counts(rows)
    return {k: counts[k] for k in ("county_or_municipal", "in_county", "rate")} | {
        "statewide": int((rows["level"].astype("object") == LEVEL_STATEWIDE).sum()),
        "regional": int((rows["level"].astype("object") == LEVEL_REGIONAL).sum()),
        "unplaced": len(counts["unplaced"]),
    }


UNPLACED_COLUMNS: tuple[str, ...] = ("state", "agency", "jurisdiction_type", "county_printed", "model", "row", "unplaced_reason")


def unplaced(rows: pd.DataFrame) -> pd.DataFrame:
    """The agreements of a publication not placed in a county (statewide ones excepted), with why (the build's
    reason, stored in English)."""
    return pd.DataFrame(placement_counts(rows)["unplaced"], columns=list(UNPLACED_COLUMNS))


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
    """How one publication's agreements were linked to an FBI agency: method (an ``ori_method`` code,
    "unmatched" when none), agreements, share (%)."""
    methods = rows["ori_method"].astype("object").fillna("unmatched") if "ori_method" in rows else pd.Series(dtype=object)
    return _by_method(methods, ORI_ORDER, len(rows))


ORI_UNMATCHED_COLUMNS: tuple[str, ...] = ("state", "agency", "jurisdiction_type", "county_name", "model", "row", "ori_method", "ori_note")


def ori_unmatched(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Every agreement of a publication without an ORI: state, agency, type, county, model, sheet row, method
    (ambiguous/unmatched) and the reason."""
    columns = list(ORI_UNMATCHED_COLUMNS)
    if "ori" not in rows:
        return []
    chosen = rows[rows["ori"].isna()]
    frame = chosen[columns].astype("object").where(chosen[columns].notna(), None)
    frame = frame.sort_values(["state", "agency", "model"], na_position="last", key=lambda c: c.astype(str))
    return [{**r, "row": int(r["row"])} for r in frame.to_dict("records")]


def problem_kind(message: object) -> str:
    """The kind of one problem message (a code of :data:`PROBLEM_PATTERNS`), :data:`OTHER` when no pattern fits."""
    text = "" if message is None else str(message)
    return next((kind for pattern, kind in PROBLEM_PATTERNS if re.search(pattern, text)), OTHER)


def problem_kinds(problems: pd.DataFrame) -> pd.DataFrame:
    """Dataset.problems grouped by kind: kind (a code), occurrences, sheets affected, example (ICE's message)."""
    columns = ["kind", "occurrences", "sheets", "example"]
    if problems.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "kind": [problem_kind(m) for m in problems["message"]],
            "file": problems["file"].astype("object").to_numpy(),
            "message": problems["message"].astype("object").to_numpy(),
        }
    )
    grouped = (
        frame.groupby("kind", sort=False)
        .agg(occurrences=("message", "size"), sheets=("file", "nunique"), example=("message", "first"))
        .reset_index()
    )
    return grouped.sort_values("occurrences", ascending=False, kind="stable")[columns].reset_index(drop=True)


def date_methods(sheets: pd.DataFrame) -> pd.DataFrame:
    """How each sheet's publication date was found: method (a ``date_method`` code), number of sheets."""
    counts = sheets["date_method"].astype("object").fillna("unknown").value_counts()
    order = [m for m in DATE_ORDER if m in counts] + sorted(set(counts.index) - set(DATE_ORDER))
    return pd.DataFrame([{"method": m, "sheets": int(counts[m])} for m in order], columns=["method", "sheets"])


def file_name_quirks(sheets: pd.DataFrame, copies: Iterable[dict] = ()) -> pd.DataFrame:
    """Every file whose name does not print its publication date cleanly (a year typo, garbled digits,
    another date, no date), the sheets read and the byte-identical copies read once alike.
    Columns: file, publication_date, quirk (a code of :func:`mapcore.sheets.filenames.name_date_quirk`)."""
    dates = dict(zip(sheets["source_file"].astype(str), pd.to_datetime(sheets["publication_date"])))
    files = [(f, d) for f, d in dates.items()]
    files += [(str(c["file"]), dates[str(c["same_as"])]) for c in copies if str(c.get("same_as")) in dates]
    records = []
    for file, published in files:
        quirk = name_date_quirk(file, published.date())
        if quirk:
            records.append({"file": file, "publication_date": published.date(), "quirk": quirk})
    return pd.DataFrame(records, columns=["file", "publication_date", "quirk"])


def reclassified_sheets(sheets: pd.DataFrame) -> pd.DataFrame:
    """Sheets whose file name says one kind while the content is the other (a pending list saved under a
    'participating' name): file, publication date, name_says and read_as (kinds)."""
    records = []
    for file, kind, published in zip(sheets["source_file"].astype(str), sheets["kind"].astype(str), sheets["publication_date"]):
        if reclassified(file, kind):
            records.append(
                {"file": file, "publication_date": pd.Timestamp(published).date(), "name_says": kind_in_name(file), "read_as": kind}
            )
    return pd.DataFrame(records, columns=["file", "publication_date", "name_says", "read_as"])


def value_quirks(agreements: pd.DataFrame, sheets: pd.DataFrame, copies: Iterable[dict] = ()) -> pd.DataFrame:
    """Quirks normalised silently while reading (no problem is recorded for them), counted over
    every row of every publication: model and type spellings, text dates, #N/A counties and
    file names that misprint their date (:func:`file_name_quirks`, copies included; duplicates are
    in :func:`problem_kinds`). Columns: quirk (a code of :data:`VALUE_QUIRKS`), examples (ICE's values),
    occurrences, placed (for blank counties: how many were placed anyway; else None)."""
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
    misdated = names[names["quirk"] != "no_date"]
    records = [
        ("model_spelling", _examples(model_raw[odd_models]), int(odd_models.sum()), None),
        ("type_spelling", _examples(type_raw[odd_types]), int(odd_types.sum()), None),
        ("signed_text", _examples(agreements.loc[text_dates, "signed_raw"]), int(text_dates.sum()), None),
        ("county_blank", "", int(no_county.sum()), int(placed_anyway.sum())),
        ("file_name_dates", _examples(misdated["file"].map(lambda p: str(p).split("/")[-1])), int(len(misdated)), None),
    ]
    return pd.DataFrame(records, columns=["quirk", "examples", "occurrences", "placed"])


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


__all__ = [
    "source_summary",
    "placement_methods",
    "match_rate",
    "unplaced",
    "ori_match_rates",
    "ori_methods",
    "ori_unmatched",
    "problem_kind",
    "problem_kinds",
    "date_methods",
    "file_name_quirks",
    "reclassified_sheets",
    "value_quirks",
    "law_checked",
    "law_confidence_counts",
    "PLACEMENT_ORDER",
    "DATE_ORDER",
    "ORI_ORDER",
    "PROBLEM_PATTERNS",
    "VALUE_QUIRKS",
    "OTHER",
]
