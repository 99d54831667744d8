"""Law versus practice: agreements in states whose law restricts 287(g), and county sheriffs not
listed where state law mandates 287(g). Pure pandas, no I/O, no Streamlit. Every comparison is made
on days, against the law's effective date and deadline (``data/state_laws.csv``).

Restrictive states
------------------
*Restrictive states* are those whose newest law prohibits or restricts 287(g). For each participating
agreement ever listed there (one identity key, gaps and all: an agreement missing from some sheets
and back later is one agreement with a gap), :func:`restricted_presence` gives the first and last ICE
sheet listing it, the first sheet after that which no longer lists it (``gone_by``), and its relation
to the law:

* the **law's date** is its ``effective_date``; where only the ``effective_year`` is known the date
  is somewhere in that year, and a listing in that year is "date of law not known to the day";
* an agreement whose last listing is before the law's date has left *between* that last sheet and
  ``gone_by``: "gone before the law's date" only when ``gone_by`` is on or before the law's date,
  otherwise "left between D1 and D2" (the interval holds the law's date; we cannot say more);
* listed on or after the law's date: "listed after the law took effect"; with a ``deadline`` for
  existing agreements, listings up to the deadline are the law's wind-down period and only a listing
  after it counts as "listed after the law's deadline" (the same between-sheets rule applies to it);
* still listed in the newest sheet, which is older than the law: the law's date "had not come";
* ``law_covers`` says whether the law's scope reaches the agency: scope ``both`` covers every
  agency, ``state`` only state agencies, ``local`` only county and city agencies.

Mandate states
--------------
*Mandate states* are those whose status is ``mandates`` with scope ``local`` or ``both`` (the law
binds county sheriffs; Oklahoma's and South Carolina's duties fall on a state official and are
described in words by :func:`state_level_duties`, never counted as missing sheriffs). For each county
of the boundary layer in those states, :func:`mandate_gaps` says whether a **sheriff or county jail
agreement** is listed:

    an agreement counts when its type is County, it is placed in that county, and its name names a
    sheriff (``Sheriff``, or ICE's misspellings such as ``Sherrif``) or a county jail, corrections
    or detention agency ("Orange County Corrections Department", "Pasco County Jail"). Police
    departments, constables, district attorneys, port police and state agencies do not count.

A county without such an agreement but with one (same rule) in the newest pending sheet is marked
``pending``; for an older participating publication, the newest pending sheet on or before it is
used. Whether the duty was due on the sheet's date is said apart (``due``: due, not yet due before
the deadline, law not yet in force, date of law not known to the day). Nothing here infers
compliance or non-compliance: see :data:`INFERENCE_NOTE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from mapcore.analysis.law_on_day import DAY_UNKNOWN_NOTE, UNCONFIRMED
from mapcore.analysis.query import agency_names, latest_publication_id, publications
from mapcore.core.i18n import N_, _, format_day, format_number, format_percent
from mapcore.core.schema import LEVEL_STATEWIDE, MODELS
from mapcore.core.text import is_http_url

RESTRICTIVE: tuple[str, ...] = ("prohibits", "restricts")
MANDATE_SCOPES: tuple[str, ...] = ("local", "both")
SHERIFF_PATTERN = re.compile(r"sh[ae]r+i+f", re.IGNORECASE)          # Sheriff, Sherrif, Sherriff ...
JAIL_PATTERN = re.compile(r"\b(?:jail|correction|detention)", re.IGNORECASE)

# County statuses in a mandate state, in legend order.
COVERED, PENDING, NONE = "covered", "pending", "none"
COUNTY_STATUSES: tuple[str, ...] = (COVERED, PENDING, NONE)
COUNTY_STATUS_LABELS: dict[str, str] = {
    COVERED: N_("Sheriff or county jail agreement listed"),
    PENDING: N_("No agreement; application pending"),
    NONE: N_("No agreement or application listed"),
}

# Relation of an agreement's listings to the law's date (see the module docstring).
RELATIONS: dict[str, str] = {
    "after_deadline": N_("Listed after the law's deadline"),
    "after": N_("Listed on or after the law took effect"),
    "wind_down": N_("Listed after the law took effect, within its deadline"),
    "during": N_("Listed in the law's year (date of law not known to the day)"),
    "left_between": N_("Left between two sheets around the law's date"),
    "before": N_("Gone before the law's date"),
    "not_yet": N_("The law's date had not come by the newest sheet"),
    "outside_scope": N_("Outside the law's scope"),
    "no_date": N_("The law's date is not in our table"),
}
LISTED_AFTER: tuple[str, ...] = ("after_deadline", "after", "wind_down")

# Whether a mandate's duty was due on a sheet's date (column ``due`` of :func:`mandate_gaps`).
DUE_LABELS: dict[str, str] = {
    "due": N_("Due: the law is in force and its deadline, if any, has passed"),
    "not_yet_due": N_("Not yet due: the law's deadline had not come"),
    "not_in_force": N_("Not yet due: the law was not yet in force"),
    "day_unknown": N_("Date of law not known to the day"),
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


# ------------------------------------------------------------------------------------------------
# Small helpers


def _text(series: pd.Series) -> pd.Series:
    """Plain object text (categoricals and string dtypes alike), missing as None."""
    values = series.astype(object)
    return values.where(values.notna(), None)


def agency_level(frame: pd.DataFrame) -> pd.Series:
    """"state" for state agencies, "local" for county and city agencies, "unknown" otherwise.

    The placed ``level`` wins; the printed type decides when the level is "other" or missing."""
    blank = pd.Series(None, index=frame.index, dtype=object)
    level = _text(frame["level"]) if "level" in frame else blank
    jtype = _text(frame["jurisdiction_type"]) if "jurisdiction_type" in frame else blank
    out = pd.Series("unknown", index=frame.index, dtype=object)
    out[jtype.isin(["County", "Municipality"])] = "local"
    out[jtype.eq("State")] = "state"
    out[level.isin(["county", "municipal"])] = "local"
    out[level.eq(LEVEL_STATEWIDE)] = "state"
    return out


def is_sheriff_or_jail(frame: pd.DataFrame) -> pd.Series:
    """The county-sheriff rule (module docstring): County type and a sheriff or jail name."""
    names = _text(frame["agency"]).fillna("")
    named = names.str.contains(SHERIFF_PATTERN) | names.str.contains(JAIL_PATTERN)
    county_type = _text(frame["jurisdiction_type"]).eq("County")
    return (named & county_type).astype(bool)


def restrictive_states(laws: pd.DataFrame) -> list[str]:
    """Postal codes of states whose law prohibits or restricts 287(g)."""
    return sorted(laws.loc[_text(laws["status"]).isin(RESTRICTIVE), "state"].astype(str))


def mandate_states(laws: pd.DataFrame) -> list[str]:
    """Postal codes of states whose law mandates 287(g) of local agencies (scope local or both)."""
    mask = _text(laws["status"]).eq("mandates") & _text(laws["scope"]).isin(MANDATE_SCOPES)
    return sorted(laws.loc[mask, "state"].astype(str))


def state_level_mandate_states(laws: pd.DataFrame) -> list[str]:
    """Postal codes of states whose mandate binds only a state official or agency (scope state)."""
    mask = _text(laws["status"]).eq("mandates") & _text(laws["scope"]).eq("state")
    return sorted(laws.loc[mask, "state"].astype(str))


def law_window(laws: pd.DataFrame) -> pd.DataFrame:
    """Per state: ``law_start`` / ``law_end`` (both the effective date when the day is known, else
    Jan. 1 / Dec. 31 of the effective year), the ``deadline`` and ``law_date_basis`` ("effective
    date", "effective year" or None when neither is known)."""
    out = laws[["state"]].astype({"state": object}).copy()
    effective = _dates(laws, "effective_date")
    year = pd.to_numeric(laws["effective_year"], errors="coerce").astype("Int64")
    jan1 = pd.to_datetime(year.astype(str) + "-01-01", errors="coerce")
    dec31 = pd.to_datetime(year.astype(str) + "-12-31", errors="coerce")
    out["law_start"] = effective.where(effective.notna(), jan1).astype("datetime64[ns]")
    out["law_end"] = effective.where(effective.notna(), dec31).astype("datetime64[ns]")
    out["deadline"] = _dates(laws, "deadline")
    basis = pd.Series(None, index=laws.index, dtype=object)
    basis[year.notna()] = "effective year"
    basis[effective.notna()] = "effective date"
    out["law_date_basis"] = basis
    return out.reset_index(drop=True)


def _dates(laws: pd.DataFrame, column: str) -> pd.Series:
    """A date column of the law table (NaT when the table has no such column)."""
    if column not in laws:
        return pd.Series(pd.NaT, index=laws.index, dtype="datetime64[ns]")
    return pd.to_datetime(laws[column]).astype("datetime64[ns]")


ROW_COLUMNS: tuple[str, ...] = ("key", "kind", "state", "agency", "model", "level", "jurisdiction_type", "county_name",
                                 "county_fips", "publication_id", "publication_date", "signed", "row")


def _participating_in(agreements: pd.DataFrame, states: list[str]) -> pd.DataFrame:
    """Participating rows of some states, with only the columns used here. Compares the columns as
    stored (categories stay categories), so the 200,000-row table is never converted as a whole."""
    mask = agreements["kind"].eq("participating").to_numpy(dtype=bool) & agreements["state"].isin(states).to_numpy(dtype=bool)
    return agreements.loc[mask, [c for c in ROW_COLUMNS if c in agreements.columns]]


def _identity(frame: pd.DataFrame, sheets: pd.DataFrame) -> pd.Series:
    """Identity key per row: the one the build stores, else :func:`mapcore.build.agreement_keys.with_identity`."""
    if "key" in frame:
        return frame["key"].astype(object)
    from mapcore.build.agreement_keys import with_identity

    return with_identity(frame, sheets)["key"].astype(object)


# ------------------------------------------------------------------------------------------------
# Restrictive states: presence of agreements against the law's date

PRESENCE_COLUMNS: tuple[str, ...] = (
    "state", "agency", "model", "agency_level", "county_name", "law_status", "law_scope", "law_covers",
    "effective_year", "effective_date", "deadline", "law_date_basis", "law_start", "law_end", "first_seen", "last_seen",
    "gone_by", "publications", "gaps", "since_first_sheet", "active", "listed_after_law", "first_seen_after_law",
    "relation", "confidence", "signed", "first_publication_id", "last_publication_id", "key",
)


def restricted_presence(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """One row per agreement ever listed as participating in a prohibiting or restricting state:
    first and last sheet listing it, the first sheet after that without it, gaps, still active in
    the newest sheet, and its relation to the law's date (module docstring)."""
    states = restrictive_states(laws)
    part = _participating_in(agreements, states)
    if part.empty:
        return pd.DataFrame(columns=list(PRESENCE_COLUMNS))
    pubs = publications(sheets, "participating").reset_index(drop=True)
    ids = pubs["publication_id"].astype(str)
    rank = pd.Series(range(len(pubs)), index=ids)
    pub_dates = pd.to_datetime(pubs["publication_date"]).astype("datetime64[ns]").reset_index(drop=True)
    rows = pd.DataFrame({
        "key": _identity(part, sheets).to_numpy(),
        "state": _text(part["state"]).to_numpy(), "agency": _text(part["agency"]).to_numpy(),
        "model": _text(part["model"]).to_numpy(), "agency_level": agency_level(part).to_numpy(),
        "county_name": _text(part["county_name"]).to_numpy() if "county_name" in part else None,
        "publication_id": part["publication_id"].astype(str).to_numpy(),
        "publication_date": pd.to_datetime(part["publication_date"]).astype("datetime64[ns]").to_numpy(),
        "signed": pd.to_datetime(part["signed"]).astype("datetime64[ns]").to_numpy() if "signed" in part else pd.NaT,
    })
    rows["rank"] = rows["publication_id"].map(rank)
    rows = rows[rows["rank"].notna()].astype({"rank": int}).sort_values(["rank", "agency"], kind="stable")
    first = rows.drop_duplicates("key", keep="first").set_index("key")
    last = rows.drop_duplicates("key", keep="last").set_index("key")
    ranks = rows[["key", "rank"]].drop_duplicates().sort_values(["key", "rank"])
    out = last[["state", "agency", "model", "agency_level", "county_name", "signed"]].copy()
    out["first_seen"] = first["publication_date"]
    out["first_publication_id"] = first["publication_id"]
    out["last_seen"] = last["publication_date"]
    out["last_publication_id"] = last["publication_id"]
    out["publications"] = ranks.groupby("key").size()
    out["gaps"] = (ranks.groupby("key")["rank"].diff() > 1).groupby(ranks["key"]).sum().astype(int)
    after_last = last["rank"] + 1  # the first sheet after the last one listing it does not list it
    out["gone_by"] = after_last.map(lambda r: pub_dates.iloc[r] if r < len(pub_dates) else pd.NaT).astype("datetime64[ns]")
    out["active"] = (last["rank"] == len(pubs) - 1).astype(bool)
    out["since_first_sheet"] = (first["rank"] == 0).astype(bool)
    out = out.rename_axis("key").reset_index()

    law = laws.assign(state=laws["state"].astype(object)).set_index("state")
    window = law_window(laws).set_index("state")
    out["law_status"] = out["state"].map(_text(law["status"]))
    out["law_scope"] = out["state"].map(_text(law["scope"]))
    out["confidence"] = out["state"].map(_text(law["confidence"]))
    out["effective_year"] = out["state"].map(law["effective_year"]).astype("Int64")
    out["effective_date"] = out["state"].map(window["law_start"].where(window["law_date_basis"] == "effective date"))
    for column in ("law_start", "law_end", "deadline", "law_date_basis"):
        out[column] = out["state"].map(window[column])
    for column in ("effective_date", "law_start", "law_end", "deadline"):
        out[column] = out[column].astype("datetime64[ns]")
    covers = pd.Series(pd.NA, index=out.index, dtype="boolean")
    covers[out["law_scope"].eq("both")] = True
    known = out["agency_level"].isin(["state", "local"])
    covers[known & out["law_scope"].isin(["state", "local"])] = out["law_scope"] == out["agency_level"]
    out["law_covers"] = covers
    out["relation"] = _relations(out)
    listed_after = pd.Series(pd.NA, index=out.index, dtype="boolean")
    listed_after[out["relation"].isin(LISTED_AFTER)] = True
    listed_after[out["relation"].isin(["before", "not_yet"])] = False
    out["listed_after_law"] = listed_after
    first_after = pd.Series(pd.NA, index=out.index, dtype="boolean")
    first_after[out["first_seen"] > out["law_end"]] = True
    first_after[(out["first_seen"] >= out["law_start"]) & out["law_date_basis"].eq("effective date")] = True
    first_after[out["first_seen"] < out["law_start"]] = False
    out["first_seen_after_law"] = first_after
    return out[list(PRESENCE_COLUMNS)].sort_values(["state", "agency", "model"]).reset_index(drop=True)


def _relations(out: pd.DataFrame) -> pd.Series:
    """A :data:`RELATIONS` code per agreement, from its last listing, the first sheet without it
    and the law's start, end and deadline (rules in the module docstring)."""
    last, gone, active = out["last_seen"], out["gone_by"], out["active"].astype(bool)
    start, end, deadline = out["law_start"], out["law_end"], out["deadline"]
    relation = pd.Series("no_date", index=out.index, dtype=object)
    dated = start.notna()
    # Before the law's date (its start): still listed, gone by it, or left across it.
    early = dated & (last < start)
    relation[early & active] = "not_yet"
    relation[early & ~active & (gone <= start)] = "before"
    relation[early & ~active & (gone > start)] = "left_between"
    # Inside a year-only window: the day of the law is not known.
    relation[dated & (last >= start) & (last <= end) & (start < end)] = "during"
    # On or after the law's date (a known day, or after the year).
    late = dated & (((start == end) & (last >= end)) | (last > end))
    with_deadline = late & deadline.notna()
    relation[late & deadline.isna()] = "after"
    relation[with_deadline & (last > deadline)] = "after_deadline"
    inside = with_deadline & (last <= deadline)
    relation[inside & (active | (gone <= deadline))] = "wind_down"
    relation[inside & ~active & (gone > deadline)] = "left_between"
    relation[out["law_covers"].eq(False).fillna(False).astype(bool)] = "outside_scope"
    return relation


def _day(value: object) -> str:
    return format_day(pd.Timestamp(value)) if value is not None and not pd.isna(value) else "?"


def restricted_series(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per restrictive state that ever had an agreement and per participating publication: how many
    agreements the sheet lists (``agreements``) and how many the law's scope reaches (``covered``),
    zeros included, oldest publication first (long format, for a chart)."""
    states = restrictive_states(laws)
    part = _participating_in(agreements, states)
    columns = ["state", "publication_date", "publication_id", "agreements", "covered"]
    pubs = publications(sheets, "participating")
    if part.empty or pubs.empty:
        return pd.DataFrame(columns=columns)
    scope = laws.assign(state=laws["state"].astype(object)).set_index("state")["scope"].astype(object)
    slim = pd.DataFrame({"state": _text(part["state"]).to_numpy(), "publication_id": part["publication_id"].astype(str).to_numpy(),
                         "level": agency_level(part).to_numpy()})
    law_scope = slim["state"].map(scope)
    slim["covered"] = law_scope.eq("both") | (law_scope == slim["level"])
    counts = slim.groupby(["state", "publication_id"]).agg(agreements=("level", "size"), covered=("covered", "sum"))
    grid = pd.MultiIndex.from_product([sorted(slim["state"].unique()), pubs["publication_id"].astype(str)],
                                      names=["state", "publication_id"])
    out = counts.reindex(grid, fill_value=0).reset_index()
    dates = pd.Series(pd.to_datetime(pubs["publication_date"]).astype("datetime64[ns]").to_numpy(),
                      index=pubs["publication_id"].astype(str))
    out["publication_date"] = out["publication_id"].map(dates)
    out["agreements"] = out["agreements"].astype(int)
    out["covered"] = out["covered"].astype(int)
    return out[columns].sort_values(["state", "publication_date"]).reset_index(drop=True)


STATE_TABLE_COUNTS: dict[str, tuple[str, ...]] = {
    "listed_after_deadline": ("after_deadline",),
    "listed_after_law": ("after", "wind_down"),
    "in_law_year": ("during",),
    "left_between": ("left_between",),
    "gone_before_law": ("before",),
    "law_not_yet": ("not_yet",),
    "outside_scope": ("outside_scope",),
}


def restricted_states_table(presence: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per prohibiting or restricting state (all of them, zeros included): the law with its dates,
    and how many agreements were ever listed, are in the newest sheet, and stand in each relation
    to the law (``listed_after_law`` counts listings on or after the law's date up to its deadline,
    ``listed_after_deadline`` those after the deadline)."""
    chosen = laws[_text(laws["status"]).isin(RESTRICTIVE)]
    out = pd.DataFrame({
        "state": chosen["state"].astype(object).to_numpy(), "state_name": chosen["state_name"].astype(object).to_numpy(),
        "law_status": _text(chosen["status"]).to_numpy(), "law_scope": _text(chosen["scope"]).to_numpy(),
        "effective_date": _dates(chosen, "effective_date").to_numpy(),
        "effective_year": chosen["effective_year"].astype("Int64").to_numpy(),
        "deadline": _dates(chosen, "deadline").to_numpy(),
        "confidence": _text(chosen["confidence"]).to_numpy(),
        "unconfirmed": _text(chosen["confidence"]).eq("low").to_numpy(),
        "source_url": [u if is_http_url(u) else None for u in _text(chosen["source_url"])],
    })
    p = presence
    groups = {"ever_listed": p, "in_newest": p[p["active"].astype(bool)]}
    groups |= {column: p[p["relation"].isin(codes)] for column, codes in STATE_TABLE_COUNTS.items()}
    for column, part in groups.items():
        out[column] = out["state"].map(part.groupby("state").size()).fillna(0).astype(int)
    return out.sort_values(["ever_listed", "state"], ascending=[False, True]).reset_index(drop=True)


STATE_TABLE_HEADERS: dict[str, str] = {  # in the order shown
    "state": "State", "state_name": "Name", "law_status": "Law", "law_scope": "Scope", "effective_date": "Law in force from",  # i18n: data
    "deadline": "Deadline", "ever_listed": "Ever listed", "in_newest": "In newest sheet",  # i18n: data
    "listed_after_deadline": "Listed after the deadline", "listed_after_law": "Listed on or after the law's date",  # i18n: data
    "in_law_year": "Listed in the law's year (day not known)", "left_between": "Left between sheets around the law's date",  # i18n: data
    "gone_before_law": "Gone before the law's date", "law_not_yet": "Law's date not yet come",  # i18n: data
    "outside_scope": "Outside the law's scope", "confidence": "Confidence", "source_url": "Source",  # i18n: data
}


def states_table(per_state: pd.DataFrame) -> pd.DataFrame:
    """The per-state table as users read it (display and download): readable headers, the law's
    day or "year, day not known", and "unconfirmed" for low-confidence rows."""
    out = per_state.copy()
    out["law_status"] = out["law_status"].map(lambda s: s.capitalize() if isinstance(s, str) else s)
    out["confidence"] = [f"{c} ({UNCONFIRMED})" if u else c for c, u in zip(out["confidence"], out["unconfirmed"])]
    out["effective_date"] = [f"{d:%Y-%m-%d}" if not pd.isna(d) else (f"{int(y)} ({DAY_UNKNOWN_NOTE})" if not pd.isna(y) else "not known")
                             for d, y in zip(out["effective_date"], out["effective_year"])]
    return out[list(STATE_TABLE_HEADERS)].rename(columns=STATE_TABLE_HEADERS).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Mandate states: counties whose sheriff has (or has not) an agreement

GAP_COLUMNS: tuple[str, ...] = (
    "state", "GEOID", "county", "status", "sheriff_agencies", "models", *MODELS, "pending_agencies",
    "pending_models", "other_agencies", "other_agreements", "effective_year", "effective_date", "deadline",
    "due", "confidence", "publication_date", "pending_publication_date",
)


def mandate_due(law: pd.Series, on: pd.Timestamp) -> str:
    """A :data:`DUE_LABELS` code: whether a mandate's duty was due on day ``on`` (a law-table row)."""
    effective = law.get("effective_date")
    deadline = law.get("deadline")
    year = law.get("effective_year")
    if pd.isna(on):
        return "day_unknown"
    if effective is not None and not pd.isna(effective):
        if on < pd.Timestamp(effective):
            return "not_in_force"
    elif year is not None and not pd.isna(year):
        if on.year < int(year):
            return "not_in_force"
        if on.year == int(year):
            return "day_unknown"
    if deadline is not None and not pd.isna(deadline) and on < pd.Timestamp(deadline):
        return "not_yet_due"
    return "due"


def _per_county(frame: pd.DataFrame) -> pd.DataFrame:
    """Agencies (sorted, unique, "; "-joined) and models per county GEOID."""
    if frame.empty:
        return pd.DataFrame(columns=["agencies", "models", "rows", *MODELS])
    slim = pd.DataFrame({"GEOID": _text(frame["county_fips"]).to_numpy(), "agency": agency_names(frame).to_numpy(),
                         "model": _text(frame["model"]).to_numpy()})
    grouped = slim.groupby("GEOID")
    out = pd.DataFrame({
        "agencies": grouped["agency"].agg(lambda a: "; ".join(sorted({x for x in a if x}))),
        "models": grouped["model"].agg(lambda m: ", ".join(x for x in MODELS if x in set(m))),
        "rows": grouped.size(),
    })
    for model in MODELS:
        out[model] = grouped["model"].agg(lambda m, model=model: model in set(m))
    return out


def mandate_gaps(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame, counties: pd.DataFrame,
                 publication_id: str | None = None, states: Iterable[str] | None = None) -> pd.DataFrame:
    """Every county of the boundary layer in a local-mandate state, with its sheriff or county jail
    agreements in the publication (default: newest participating), the models chosen, any pending
    sheriff application, other local agreements (which do not count) and the law's deadline."""
    chosen = mandate_states(laws)
    if states is not None:
        chosen = [s for s in chosen if s in set(states)]
    newest = latest_publication_id(sheets, "participating")
    publication_id = publication_id or newest
    match = sheets[sheets["publication_id"].astype(str) == str(publication_id)]
    pub_date = pd.Timestamp(match["publication_date"].iloc[0]) if len(match) else pd.NaT
    # The newest pending sheet; for an older publication, the newest pending sheet on or before it.
    cutoff = None if str(publication_id) == str(newest) or pd.isna(pub_date) else pub_date
    pending_id = latest_publication_id(sheets, "pending", on_or_before=cutoff)
    pending_match = sheets[sheets["publication_id"].astype(str) == str(pending_id)]
    pending_date = pd.Timestamp(pending_match["publication_date"].iloc[0]) if len(pending_match) else pd.NaT

    area = counties[counties["state"].astype(object).isin(chosen)]
    out = pd.DataFrame({"state": area["state"].astype(object).to_numpy(), "GEOID": area["GEOID"].astype(object).to_numpy(),
                        "county": area["name"].astype(object).to_numpy()})
    in_state = agreements["state"].isin(chosen).to_numpy(dtype=bool) & agreements["county_fips"].notna().to_numpy(dtype=bool)
    slim = agreements.loc[in_state, [c for c in ROW_COLUMNS if c in agreements.columns]]
    pid = slim["publication_id"].astype(str)
    current = slim[pid == str(publication_id)]
    pending = slim[pid == str(pending_id)] if pending_id else slim.iloc[0:0]
    sheriff_now = current[is_sheriff_or_jail(current)]
    others = current[~is_sheriff_or_jail(current) & agency_level(current).eq("local")]
    sheriff_pending = pending[is_sheriff_or_jail(pending)]

    have, pend, other = _per_county(sheriff_now), _per_county(sheriff_pending), _per_county(others)
    def lookup(table: pd.DataFrame, column: str, fill: object) -> pd.Series:
        values = out["GEOID"].map(table[column]).astype(object)
        return values.where(values.notna(), fill)

    out["sheriff_agencies"] = lookup(have, "agencies", "")
    out["models"] = lookup(have, "models", "")
    for model in MODELS:
        out[model] = lookup(have, model, False).astype(bool)
    out["pending_agencies"] = lookup(pend, "agencies", "")
    out["pending_models"] = lookup(pend, "models", "")
    out["other_agencies"] = lookup(other, "agencies", "")
    out["other_agreements"] = lookup(other, "rows", 0).astype(int)
    status = pd.Series(NONE, index=out.index, dtype=object)
    status[out["pending_agencies"] != ""] = PENDING
    status[out["sheriff_agencies"] != ""] = COVERED
    out["status"] = status
    law = laws.assign(state=laws["state"].astype(object)).set_index("state")
    out["effective_year"] = out["state"].map(law["effective_year"]).astype("Int64")
    out["effective_date"] = out["state"].map(_dates(law, "effective_date")).astype("datetime64[ns]")
    out["deadline"] = out["state"].map(law["deadline"]).astype("datetime64[ns]")
    out["due"] = out["state"].map({code: mandate_due(law.loc[code], pub_date) for code in chosen})
    out["confidence"] = out["state"].map(_text(law["confidence"]))
    out["publication_date"] = pub_date
    out["pending_publication_date"] = pending_date
    out["publication_date"] = out["publication_date"].astype("datetime64[ns]")
    out["pending_publication_date"] = out["pending_publication_date"].astype("datetime64[ns]")
    return out[list(GAP_COLUMNS)].sort_values(["state", "county"]).reset_index(drop=True)


SUMMARY_COLUMNS: tuple[str, ...] = (
    "state", "counties", "with_sheriff_agreement", "without", "pending_only", "no_agreement_or_application",
    "pct_covered", *MODELS, "models_chosen", "effective_year", "effective_date", "deadline", "due", "confidence",
)


def mandate_summary(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per mandate state: counties, with and without a sheriff agreement (pending ones apart), the
    share covered, and how many covered counties chose each model (a county may choose several)."""
    if gaps.empty:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    grouped = gaps.groupby("state")
    out = pd.DataFrame({"counties": grouped.size()})
    out["with_sheriff_agreement"] = grouped["status"].agg(lambda s: int((s == COVERED).sum()))
    out["without"] = out["counties"] - out["with_sheriff_agreement"]
    out["pending_only"] = grouped["status"].agg(lambda s: int((s == PENDING).sum()))
    out["no_agreement_or_application"] = grouped["status"].agg(lambda s: int((s == NONE).sum()))
    out["pct_covered"] = (100 * out["with_sheriff_agreement"] / out["counties"]).round(1)
    for model in MODELS:
        out[model] = grouped[model].sum().astype(int)
    out["models_chosen"] = [", ".join(f"{m} {int(row[m])}" for m in MODELS if row[m]) for _, row in out.iterrows()]
    out["effective_year"] = grouped["effective_year"].first().astype("Int64")
    for column in ("effective_date", "deadline", "due", "confidence"):
        out[column] = grouped[column].first()
    return out.rename_axis("state").reset_index()[list(SUMMARY_COLUMNS)]


DUTY_COLUMNS: tuple[str, ...] = ("state", "state_name", "duty", "laws", "effective_date", "effective_year",
                                 "state_agreements", "state_agencies", "confidence", "source_url")


def state_level_duties(laws: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The mandates that bind a state official or agency, not sheriffs (Oklahoma, South Carolina):
    the duty in words (the law table's summary), and the state agencies ICE's sheet ``rows`` lists
    there. These are never counted as missing sheriffs."""
    chosen = laws[laws["state"].astype(str).isin(state_level_mandate_states(laws))]
    level = agency_level(rows) if len(rows) else pd.Series(dtype=object)
    state_rows = rows[level.eq("state")] if len(rows) else rows
    names = state_rows.groupby(_text(state_rows["state"]))["agency"].agg(lambda a: "; ".join(sorted(set(map(str, a))))) \
        if len(state_rows) else pd.Series(dtype=object)
    counts = _text(state_rows["state"]).value_counts() if len(state_rows) else pd.Series(dtype=int)
    codes = chosen["state"].astype(str)
    out = pd.DataFrame({
        "state": codes.to_numpy(), "state_name": chosen["state_name"].astype(str).to_numpy(),
        "duty": chosen["summary"].astype(str).to_numpy(), "laws": _text(chosen["laws"]).to_numpy(),
        "effective_date": _dates(chosen, "effective_date").to_numpy(),
        "effective_year": chosen["effective_year"].astype("Int64").to_numpy(),
        "state_agreements": codes.map(counts).fillna(0).astype(int).to_numpy(),
        "state_agencies": codes.map(names).astype(object).fillna("").to_numpy(),
        "confidence": _text(chosen["confidence"]).to_numpy(),
        "source_url": [u if is_http_url(u) else None for u in _text(chosen["source_url"])],
    })
    return out[list(DUTY_COLUMNS)].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Plain-language text: what is and is not inferred


def mandate_caveats() -> list[str]:
    """Why a county without a listed sheriff agreement is not thereby out of compliance."""
    return [
        _("ICE's sheet may lag behind signings, so a new agreement can be missing for weeks."),
        _("An application may be pending: counties with a pending sheriff or jail application are shown apart."),
        _("A county may have no jail of its own (it boards prisoners elsewhere), and some laws bind only sheriffs who run a jail."),
        _("A consolidated city-county, a regional jail or a county corrections department may run the jail; "
        "regional jails are counted only in the one county ICE's sheet places them in."),
        _("Where the law's deadline is still ahead, counties may yet sign before it."),
        _("Only the agency's name and type are read: a sheriff listed under an unusual name or type can be missed."),
    ]


def restricted_caveats() -> list[str]:
    """Why an agreement listed after a state's ban is not thereby in use or unlawful."""
    return [
        _("ICE may keep a terminated agreement on its sheet for a while; being listed is not proof of activity."),
        _("Where the law table gives only the year of a law, an agreement last listed during that year cannot be placed "
        "before or after it: the page says 'date of law not known to the day'."),
        _("An agreement absent from one or more sheets and listed again later is one agreement with a gap. One that leaves "
        "between two sheets with the law's date between them 'left between' those sheets: ICE's sheets cannot say which "
        "side of the law it left on."),
        _("A law's scope matters: a law binding only state agencies leaves county agreements outside it, and ICE "
        "sometimes lists an agency under the wrong state."),
        _("A law that restricts 287(g) (conditions, governor-only signing, detainer limits) does not bar agreements: "
        "being listed there is not a breach."),
        _("Our sheets start on the first archived publication; 'first seen' then means 'listed since at least that date'."),
    ]


def mandate_sentence(row: pd.Series, state_name: str | None = None) -> str:
    """One plain sentence on a state's coverage from a :func:`mandate_summary` row, saying whether
    the duty was due on the sheet's date ("not yet due" before a deadline, never "missing")."""
    name = state_name or str(row["state"])
    values = {"state": name, "n": format_number(int(row["with_sheriff_agreement"])),
              "counties": format_number(int(row["counties"])),
              "share": format_percent(float(row["pct_covered"]) / 100, decimals=0),
              "without": format_number(int(row["without"])), "pending": format_number(int(row["pending_only"]))}
    if int(row["pending_only"]):
        text = _("In {state}, {n} of {counties} counties ({share}) have a sheriff or county jail agreement listed by "
                 "ICE; {without} do not, of which {pending} have a pending application.").format(**values)
    else:
        text = _("In {state}, {n} of {counties} counties ({share}) have a sheriff or county jail agreement listed by "
                 "ICE; {without} do not.").format(**values)
    due, deadline, effective = row.get("due"), row.get("deadline"), row.get("effective_date")
    if due == "not_yet_due":
        text += " " + _("Not yet due: the law's deadline is {date}.").format(date=_day(deadline))
    elif due == "not_in_force":
        when = _day(effective) if effective is not None and not pd.isna(effective) else str(row.get("effective_year"))
        text += " " + _("Not yet due: the law took effect only on {date}, after this sheet.").format(date=when)
    elif due == "day_unknown":
        text += " " + _("The law dates from {year}; {note}, so we cannot say whether the duty applied on this sheet's "
                        "date.").format(year=row.get("effective_year"), note=_(DAY_UNKNOWN_NOTE))
    elif deadline is not None and not pd.isna(deadline):
        text += " " + _("The law's deadline, {date}, has passed.").format(date=_day(deadline))
    elif effective is not None and not pd.isna(effective):
        text += " " + _("The law has been in force since {date}.").format(date=_day(effective))
    return text


# ------------------------------------------------------------------------------------------------
# User-facing tables (display and download share them, so a download holds what the page shows)

LEVEL_LABELS: dict[str, str] = {"state": N_("State agency"), "local": N_("Local (county or city)"), "unknown": N_("Unknown")}


def presence_table(presence: pd.DataFrame) -> pd.DataFrame:
    """The per-agreement list with readable headers, the relation's label and "unconfirmed" on low-confidence  # i18n: data
    laws (display and download share it; :func:`mapcore.words.compliance.presence_table` adds "In words")."""  # i18n: data
    law = presence["law_status"].map(lambda s: s.capitalize() if isinstance(s, str) else s)  # i18n: data
    unconfirmed = presence["confidence"].eq("low") if "confidence" in presence else pd.Series(False, index=presence.index)  # i18n: data
    law = law.where(~unconfirmed, law + f" ({UNCONFIRMED})")  # i18n: data
    law_day = [f"{d:%Y-%m-%d}" if not pd.isna(d) else (f"{int(y)} ({DAY_UNKNOWN_NOTE})" if not pd.isna(y) else "not known")  # i18n: data
               for d, y in zip(presence["effective_date"], presence["effective_year"])]  # i18n: data
    out = pd.DataFrame({
        "State": presence["state"], "Agency": presence["agency"], "Model": presence["model"],  # i18n: data
        "Level": presence["agency_level"].map(LEVEL_LABELS), "Law": law, "Law scope": presence["law_scope"],  # i18n: data
        "Law in force from": law_day, "Deadline": presence["deadline"], "First seen": presence["first_seen"],  # i18n: data
        "Last seen": presence["last_seen"], "First sheet without it": presence["gone_by"],  # i18n: data
        "Gaps": presence["gaps"], "Listed since first sheet": presence["since_first_sheet"],  # i18n: data
        "Publications": presence["publications"], "In newest sheet": presence["active"],  # i18n: data
        "Law covers agency": presence["law_covers"], "Relation to the law": presence["relation"].map(RELATIONS),  # i18n: data
    })
    return out.reset_index(drop=True)


def gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The per-county list with readable headers, the status spelled out and, apart, whether the  # i18n: data
    duty was due on the sheet's date ("not yet due" before a deadline: never "missing")."""  # i18n: data
    confidence = gaps["confidence"] if "confidence" in gaps else pd.Series("", index=gaps.index)  # i18n: data
    out = pd.DataFrame({
        "State": gaps["state"], "County": gaps["county"], "GEOID": gaps["GEOID"],  # i18n: data
        "Status": gaps["status"].map(COUNTY_STATUS_LABELS),  # i18n: data
        "Duty on the sheet's date": gaps["due"].map(DUE_LABELS) if "due" in gaps else None,  # i18n: data
        "Sheriff or jail agencies": gaps["sheriff_agencies"],  # i18n: data
        "Models": gaps["models"], "Pending applications": gaps["pending_agencies"],  # i18n: data
        "Other local agreements (not counted)": gaps["other_agencies"], "Deadline": gaps["deadline"],  # i18n: data
        "Law": [UNCONFIRMED if c == "low" else "" for c in confidence],  # i18n: data
        "ICE sheet": gaps["publication_date"], "Pending sheet": gaps["pending_publication_date"],  # i18n: data
    })
    return out.reset_index(drop=True)


def law_windows(series: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per state in ``series``: the law's window (its day, or its year when only the year is known;
    up to the deadline when there is one) clipped to the publications' date range, for shading a
    chart, and whether it falls before, inside or after that range."""
    columns = ["state", "law_start", "law_end", "law_date_basis", "shown_start", "shown_end", "where"]
    if series.empty:
        return pd.DataFrame(columns=columns)
    low, high = series["publication_date"].min(), series["publication_date"].max()
    window = law_window(laws)
    window = window[window["state"].isin(set(series["state"]))].copy()
    window["law_end"] = window["deadline"].where(window["deadline"].notna() & (window["deadline"] > window["law_end"]),
                                                 window["law_end"])
    window["shown_start"] = window["law_start"].clip(lower=low, upper=high)
    window["shown_end"] = window["law_end"].clip(lower=low, upper=high)
    where = pd.Series("inside", index=window.index, dtype=object)
    where[window["law_end"] < low] = "before"
    where[window["law_start"] > high] = "after"
    where[window["law_start"].isna()] = "unknown"
    window["where"] = where
    return window[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Mandate states, from the FBI roster: sheriffs' offices (not just county names) without an agreement

ROSTER_GAP_COLUMNS: tuple[str, ...] = (
    "state", "ori", "sheriff", "county_fips", "county", "status", "models", "pending_models", "rule", "officers",
)
ROSTER_SHERIFF_RULES: dict[str, str] = {  # msgids: the page shows them through _() (the download keeps English)
    "named": N_("named after its county (or named 'Sheriff')"),
    "consolidated": N_("a consolidated city-county's agency, standing for its sheriff"),
}
ROSTER_GAP_NOTE = N_(  # shown as _(ROSTER_GAP_NOTE)
    "Each sheriff's office in the FBI's roster is listed once, in the county the FBI gives for it: a County-type "
    "agency named after its county, or any agency named 'Sheriff' (Virginia's and Missouri's independent-city "
    "sheriffs, which the FBI types City, sit in their independent city). A consolidated city-county's County-type "
    "agency ('Augusta-Richmond', 'Butte-Silver Bow') stands for its sheriff. An office has an agreement when an "
    "agreement of the sheet was linked to its ORI; a county with no sheriff's office in the roster is listed apart, "
    "not counted as a gap."
)


def roster_mandate_gaps(rows: pd.DataFrame, pending_rows: pd.DataFrame, roster: pd.DataFrame, laws: pd.DataFrame,
                        county_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Every sheriff's office of the FBI roster in a state whose law binds sheriffs, with whether an agreement
    of ``rows`` (one participating publication) or an application of ``pending_rows`` was linked to its ORI
    (rules: :data:`ROSTER_GAP_NOTE`). ``roster`` is :func:`mapcore.build.ori_match.roster_table`."""
    states = mandate_states(laws)
    sheriffs = roster[roster["state"].astype(str).isin(states) & roster["sheriff"].fillna("").astype(str).ne("")]
    if sheriffs.empty:
        return pd.DataFrame(columns=list(ROSTER_GAP_COLUMNS))
    now, pend = _models_by_ori(rows), _models_by_ori(pending_rows)
    out = pd.DataFrame({"state": sheriffs["state"].astype(str).to_numpy(), "ori": sheriffs["ori"].astype(str).to_numpy(),
                        "sheriff": sheriffs["name"].astype(str).str.rstrip(": ").to_numpy()})
    first = sheriffs["county_fips"].astype(object).map(lambda v: str(v).split(";")[0] if isinstance(v, str) and v else None)
    out["county_fips"] = first.to_numpy()
    names = county_names or {}
    out["county"] = [names.get(g) if g else None for g in out["county_fips"]]
    out["models"] = out["ori"].map(now).fillna("")
    out["pending_models"] = out["ori"].map(pend).fillna("")
    status = pd.Series(NONE, index=out.index, dtype=object)
    status[out["pending_models"] != ""] = PENDING
    status[out["models"] != ""] = COVERED
    out["status"] = status
    out["rule"] = sheriffs["sheriff"].astype(str).map(ROSTER_SHERIFF_RULES).to_numpy()
    out["officers"] = pd.to_numeric(sheriffs["officers"], errors="coerce").fillna(0).astype(int).to_numpy()
    return out[list(ROSTER_GAP_COLUMNS)].sort_values(["state", "sheriff"]).reset_index(drop=True)


def _models_by_ori(rows: pd.DataFrame) -> pd.Series:
    """ORI -> the models of its agreements among the rows ("JEM, TFM"); empty when none."""
    if rows is None or rows.empty or "ori" not in rows:
        return pd.Series(dtype=object)
    slim = pd.DataFrame({"ori": _text(rows["ori"]), "model": _text(rows["model"])}).dropna(subset=["ori"])
    return slim.groupby("ori")["model"].agg(lambda m: ", ".join(x for x in MODELS if x in set(m)) or "listed")


def counties_without_roster_sheriff(roster: pd.DataFrame, counties: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Counties of the boundary layer in states whose law binds sheriffs that have no sheriff's office in the FBI
    roster (independent cities without a sheriff of their own, consolidated governments, sheriffs that do not
    report): listed apart from the gaps, with state, GEOID and county."""
    states = mandate_states(laws)
    area = counties[counties["state"].astype(object).isin(states)]
    sheriffs = roster[roster["sheriff"].fillna("").astype(str).ne("")]
    have = {g for value in sheriffs["county_fips"].dropna().astype(str) for g in value.split(";") if g}
    missing = area[~area["GEOID"].astype(str).isin(have)]
    return pd.DataFrame({"state": missing["state"].astype(object).to_numpy(), "GEOID": missing["GEOID"].astype(str).to_numpy(),
                         "county": missing["name"].astype(object).to_numpy()}).sort_values(["state", "county"]).reset_index(drop=True)


def roster_gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The per-office list with readable headers and the status spelled out."""  # i18n: data
    labels = {COVERED: N_("Agreement listed"), PENDING: N_("No agreement; application pending"),  # i18n: data
              NONE: N_("No agreement or application")}  # i18n: data
    return pd.DataFrame({
        "State": gaps["state"], "Sheriff's office (FBI)": gaps["sheriff"], "ORI": gaps["ori"], "County": gaps["county"],  # i18n: data
        "Status": gaps["status"].map(labels), "Models": gaps["models"], "Pending": gaps["pending_models"],  # i18n: data
        "Counted as sheriff because": gaps["rule"], "Officers": gaps["officers"],  # i18n: data
    }).reset_index(drop=True)
