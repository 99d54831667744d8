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
  is somewhere between the day it became law (``enacted``, else Jan. 1) and the end of that year, and a
  listing then is "listed while the law's day of effect was not known" (the window comes from the one
  rule, :func:`mapcore.analysis.law_on_day.law_window`);
* an agreement whose last listing is before the law's date has left *between* that last sheet and
  ``gone_by``: "gone before the law's date" only when ``gone_by`` is on or before the law's date,
  otherwise "left between D1 and D2" (the interval holds the law's date; we cannot say more);
* listed on or after the law's date: "listed after the law took effect"; with a ``deadline`` for
  existing agreements, listings up to the deadline are "listed during the wind-down" and only a listing
  after it counts as "listed after the deadline" (the same between-sheets rule applies to it);
* where the law reaches only new agreements (``applies_to`` ``new_agreements``: Massachusetts), an
  agreement signed before the law's date and listed after it is "signed before the law (not reached by
  it)", never "listed after the law";
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
the deadline, law not yet in force, day of effect not known: by the one rule of
:mod:`mapcore.analysis.law_on_day`). Nothing here infers
compliance or non-compliance: see :data:`mapcore.words.compliance.INFERENCE_NOTE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from mapcore.analysis.law_on_day import DAY_UNKNOWN, IN_FORCE, law_window, laws_in_force
from mapcore.analysis.query import agency_names, latest_publication_id, publications
from mapcore.core.schema import LEVEL_STATEWIDE, MODELS
from mapcore.core.text import is_http_url

RESTRICTIVE: tuple[str, ...] = ("prohibits", "restricts")
MANDATE_SCOPES: tuple[str, ...] = ("local", "both")
SHERIFF_PATTERN = re.compile(r"sh[ae]r+i+f", re.IGNORECASE)  # Sheriff, Sherrif, Sherriff ...
JAIL_PATTERN = re.compile(r"\b(?:jail|correction|detention)", re.IGNORECASE)

# County statuses in a mandate state, in legend order.
COVERED, PENDING, NONE = "covered", "pending", "none"
COUNTY_STATUSES: tuple[str, ...] = (COVERED, PENDING, NONE)

# Relation of an agreement's listings to the law's date (see the module docstring; worded by mapcore.words.compliance).
RELATION_CODES: tuple[str, ...] = (
    "after_deadline",
    "after",
    "wind_down",
    "signed_before",
    "during",
    "left_between",
    "before",
    "not_yet",
    "outside_scope",
    "no_date",
)
LISTED_AFTER: tuple[str, ...] = ("after_deadline", "after", "wind_down")
# Whether a mandate's duty was due on a sheet's date (column ``due`` of :func:`mandate_gaps`).
DUE_CODES: tuple[str, ...] = ("due", "not_yet_due", "not_in_force", "day_unknown")


# ------------------------------------------------------------------------------------------------
# Small helpers


def _text(series: pd.Series) -> pd.Series:
    """Plain object text (categoricals and string dtypes alike), missing as None."""
    values = series.astype(object)
    return values.where(values.notna(), None)


def agency_level(frame: pd.DataFrame) -> pd.Series:
    """ "state" for state agencies, "local" for county and city agencies, "unknown" otherwise.

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


def _dates(laws: pd.DataFrame, column: str) -> pd.Series:
    """A date column of the law table (NaT when the table has no such column)."""
    if column not in laws:
        return pd.Series(pd.NaT, index=laws.index, dtype="datetime64[ns]")
    return pd.to_datetime(laws[column]).astype("datetime64[ns]")


ROW_COLUMNS: tuple[str, ...] = (
    "key",
    "kind",
    "state",
    "agency",
    "model",
    "level",
    "jurisdiction_type",
    "county_name",
    "county_fips",
    "publication_id",
    "publication_date",
    "signed",
    "row",
)


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
    "state",
    "agency",
    "model",
    "agency_level",
    "county_name",
    "law_status",
    "law_scope",
    "law_covers",
    "applies_to",
    "effective_year",
    "enacted",
    "effective_date",
    "deadline",
    "law_date_basis",
    "law_start",
    "law_end",
    "first_seen",
    "last_seen",
    "gone_by",
    "publications",
    "gaps",
    "since_first_sheet",
    "active",
    "listed_after_law",
    "first_seen_after_law",
    "relation",
    "confidence",
    "signed",
    "first_publication_id",
    "last_publication_id",
    "key",
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
    rows = pd.DataFrame(
        {
            "key": _identity(part, sheets).to_numpy(),
            "state": _text(part["state"]).to_numpy(),
            "agency": _text(part["agency"]).to_numpy(),
            "model": _text(part["model"]).to_numpy(),
            "agency_level": agency_level(part).to_numpy(),
            "county_name": _text(part["county_name"]).to_numpy() if "county_name" in part else None,
            "publication_id": part["publication_id"].astype(str).to_numpy(),
            "publication_date": pd.to_datetime(part["publication_date"]).astype("datetime64[ns]").to_numpy(),
            "signed": pd.to_datetime(part["signed"]).astype("datetime64[ns]").to_numpy() if "signed" in part else pd.NaT,
        }
    )
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
    for column in ("law_start", "law_end", "enacted", "deadline", "law_date_basis", "applies_to"):
        out[column] = out["state"].map(window[column])
    for column in ("effective_date", "law_start", "law_end", "enacted", "deadline"):
        out[column] = out[column].astype("datetime64[ns]")
    covers = pd.Series(pd.NA, index=out.index, dtype="boolean")
    covers[out["law_scope"].eq("both")] = True
    known = out["agency_level"].isin(["state", "local"])
    covers[known & out["law_scope"].isin(["state", "local"])] = out["law_scope"] == out["agency_level"]
    out["law_covers"] = covers
    out["relation"] = _relations(out)
    listed_after = pd.Series(pd.NA, index=out.index, dtype="boolean")
    listed_after[out["relation"].isin(LISTED_AFTER)] = True
    listed_after[out["relation"].isin(["before", "not_yet", "signed_before"])] = False
    out["listed_after_law"] = listed_after
    first_after = pd.Series(pd.NA, index=out.index, dtype="boolean")
    first_after[out["first_seen"] > out["law_end"]] = True
    first_after[(out["first_seen"] >= out["law_start"]) & out["law_date_basis"].eq("effective date")] = True
    first_after[out["first_seen"] < out["law_start"]] = False
    out["first_seen_after_law"] = first_after
    return out[list(PRESENCE_COLUMNS)].sort_values(["state", "agency", "model"]).reset_index(drop=True)


def _relations(out: pd.DataFrame) -> pd.Series:
    """A :data:`RELATION_CODES` code per agreement, from its last listing, the first sheet without it
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
    # Inside a year-only window: the day of effect is not known.
    relation[dated & (last >= start) & (last <= end) & (start < end)] = "during"
    # On or after the law's date (a known day, or after the year).
    late = dated & (((start == end) & (last >= end)) | (last > end))
    with_deadline = late & deadline.notna()
    relation[late & deadline.isna()] = "after"
    relation[with_deadline & (last > deadline)] = "after_deadline"
    inside = with_deadline & (last <= deadline)
    relation[inside & (active | (gone <= deadline))] = "wind_down"
    relation[inside & ~active & (gone > deadline)] = "left_between"
    # A law that bars only new agreements does not reach one signed before it.
    signed = pd.to_datetime(out["signed"]).astype("datetime64[ns]") if "signed" in out else pd.Series(pd.NaT, index=out.index)
    only_new = out["applies_to"].eq("new_agreements") if "applies_to" in out else pd.Series(False, index=out.index)
    reached = relation.isin(["after", "after_deadline", "wind_down", "during", "left_between"])
    relation[(only_new & reached & (signed < start)).fillna(False).astype(bool)] = "signed_before"
    relation[out["law_covers"].eq(False).fillna(False).astype(bool)] = "outside_scope"
    return relation


def agreement_standing(
    laws: pd.DataFrame,
    state: str,
    last_seen: object,
    *,
    signed: object = None,
    agency_level: str = "unknown",
    active: bool = True,
    gone_by: object = None,
) -> str | None:
    """Where one agreement stands against its state's newest law, as a :data:`RELATION_CODES` code (the same rule
    as Law vs practice, :func:`restricted_presence`): ``wind_down`` (listed after the law took effect, up to
    its deadline), ``after_deadline``, ``signed_before`` (a law reaching only new agreements, signed before
    it), ``after``, ``during`` (day of effect not known), ``not_yet``, ``before``, ``left_between``,
    ``outside_scope`` or ``no_date``. ``last_seen``: the last sheet listing it (the newest one when
    ``active``); ``gone_by``: the first sheet without it. None when the state's law neither prohibits nor
    restricts 287(g) (nothing to stand against)."""
    row = laws[laws["state"].astype(str) == str(state)]
    if row.empty or str(row["status"].iloc[0]) not in RESTRICTIVE:
        return None
    window = law_window(row).iloc[0]
    frame = pd.DataFrame(
        {
            "last_seen": [pd.Timestamp(last_seen)],
            "gone_by": [pd.Timestamp(gone_by) if gone_by is not None else pd.NaT],
            "active": [bool(active)],
            "signed": [pd.Timestamp(signed) if signed is not None and not pd.isna(signed) else pd.NaT],
            "law_start": [window["law_start"]],
            "law_end": [window["law_end"]],
            "deadline": [window["deadline"]],
            "applies_to": [window["applies_to"]],
            "law_covers": pd.array([_covers(row["scope"].iloc[0], agency_level)], dtype="boolean"),
        }
    )
    for column in ("last_seen", "gone_by", "signed", "law_start", "law_end", "deadline"):
        frame[column] = frame[column].astype("datetime64[ns]")
    return str(_relations(frame).iloc[0])


def _covers(scope: object, level: str) -> bool | None:
    """Whether a law of ``scope`` reaches an agency of ``level`` (None when the level is unknown)."""
    if scope == "both":
        return True
    if level not in ("state", "local") or scope not in ("state", "local"):
        return None
    return scope == level


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
    slim = pd.DataFrame(
        {
            "state": _text(part["state"]).to_numpy(),
            "publication_id": part["publication_id"].astype(str).to_numpy(),
            "level": agency_level(part).to_numpy(),
        }
    )
    law_scope = slim["state"].map(scope)
    slim["covered"] = law_scope.eq("both") | (law_scope == slim["level"])
    counts = slim.groupby(["state", "publication_id"]).agg(agreements=("level", "size"), covered=("covered", "sum"))
    grid = pd.MultiIndex.from_product(
        [sorted(slim["state"].unique()), pubs["publication_id"].astype(str)], names=["state", "publication_id"]
    )
    out = counts.reindex(grid, fill_value=0).reset_index()
    dates = pd.Series(
        pd.to_datetime(pubs["publication_date"]).astype("datetime64[ns]").to_numpy(), index=pubs["publication_id"].astype(str)
    )
    out["publication_date"] = out["publication_id"].map(dates)
    out["agreements"] = out["agreements"].astype(int)
    out["covered"] = out["covered"].astype(int)
    return out[columns].sort_values(["state", "publication_date"]).reset_index(drop=True)


STATE_TABLE_COUNTS: dict[str, tuple[str, ...]] = {
    "listed_after_deadline": ("after_deadline",),
    "listed_after_law": ("after",),
    "listed_during_wind_down": ("wind_down",),
    "signed_before_law": ("signed_before",),
    "in_law_year": ("during",),
    "left_between": ("left_between",),
    "gone_before_law": ("before",),
    "law_not_yet": ("not_yet",),
    "outside_scope": ("outside_scope",),
}


def restricted_states_table(presence: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per prohibiting or restricting state (all of them, zeros included): the law with its dates,
    and how many agreements were ever listed, are in the newest sheet, and stand in each relation
    to the law (``listed_after_law`` counts listings on or after the law's date where it sets no deadline,
    ``listed_during_wind_down`` those up to its deadline, ``listed_after_deadline`` those after it, and
    ``signed_before_law`` agreements a law barring only new ones does not reach)."""
    chosen = laws[_text(laws["status"]).isin(RESTRICTIVE)]
    out = pd.DataFrame(
        {
            "state": chosen["state"].astype(object).to_numpy(),
            "state_name": chosen["state_name"].astype(object).to_numpy(),
            "law_status": _text(chosen["status"]).to_numpy(),
            "law_scope": _text(chosen["scope"]).to_numpy(),
            "effective_date": _dates(chosen, "effective_date").to_numpy(),
            "effective_year": chosen["effective_year"].astype("Int64").to_numpy(),
            "deadline": _dates(chosen, "deadline").to_numpy(),
            "confidence": _text(chosen["confidence"]).to_numpy(),
            "unconfirmed": _text(chosen["confidence"]).eq("low").to_numpy(),
            "source_url": [u if is_http_url(u) else None for u in _text(chosen["source_url"])],
        }
    )
    p = presence
    groups = {"ever_listed": p, "in_newest": p[p["active"].astype(bool)]}
    groups |= {column: p[p["relation"].isin(codes)] for column, codes in STATE_TABLE_COUNTS.items()}
    for column, part in groups.items():
        out[column] = out["state"].map(part.groupby("state").size()).fillna(0).astype(int)
    return out.sort_values(["ever_listed", "state"], ascending=[False, True]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Mandate states: counties whose sheriff has (or has not) an agreement

GAP_COLUMNS: tuple[str, ...] = (
    "state",
    "GEOID",
    "county",
    "status",
    "sheriff_agencies",
    "models",
    *MODELS,
    "pending_agencies",
    "pending_models",
    "other_agencies",
    "other_agreements",
    "effective_year",
    "effective_date",
    "deadline",
    "due",
    "confidence",
    "publication_date",
    "pending_publication_date",
)


def mandate_due(law: pd.Series, on: pd.Timestamp) -> str:
    """A :data:`DUE_CODES` code: whether a mandate's duty was due on day ``on`` (a law-table row, its state
    as a column or as the Series' name), by the one rule of :func:`mapcore.analysis.law_on_day.laws_in_force`:
    before the law was in force (not yet enacted, or enacted with its day still ahead) ``not_in_force``;
    its day of effect not known ``day_unknown``; in force with a deadline still ahead ``not_yet_due``."""
    if on is None or pd.isna(on):
        return "day_unknown"
    row = law.to_frame().T
    if "state" not in row:
        row["state"] = law.name
    timing = laws_in_force(row.reset_index(drop=True), pd.Timestamp(on))["timing"].iloc[0]
    if timing == DAY_UNKNOWN:
        return "day_unknown"
    if timing != IN_FORCE:
        return "not_in_force"
    deadline = law.get("deadline")
    if deadline is not None and not pd.isna(deadline) and pd.Timestamp(on) < pd.Timestamp(deadline):
        return "not_yet_due"
    return "due"


def _per_county(frame: pd.DataFrame) -> pd.DataFrame:
    """Agencies (sorted, unique, "; "-joined) and models per county GEOID."""
    if frame.empty:
        return pd.DataFrame(columns=["agencies", "models", "rows", *MODELS])
    slim = pd.DataFrame(
        {
            "GEOID": _text(frame["county_fips"]).to_numpy(),
            "agency": agency_names(frame).to_numpy(),
            "model": _text(frame["model"]).to_numpy(),
        }
    )
    grouped = slim.groupby("GEOID")
    out = pd.DataFrame(
        {
            "agencies": grouped["agency"].agg(lambda a: "; ".join(sorted({x for x in a if x}))),
            "models": grouped["model"].agg(lambda m: ", ".join(x for x in MODELS if x in set(m))),
            "rows": grouped.size(),
        }
    )
    for model in MODELS:
        out[model] = grouped["model"].agg(lambda m, model=model: model in set(m))
    return out


def mandate_gaps(
    agreements: pd.DataFrame,
    sheets: pd.DataFrame,
    laws: pd.DataFrame,
    counties: pd.DataFrame,
    publication_id: str | None = None,
    states: Iterable[str] | None = None,
) -> pd.DataFrame:
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
    out = pd.DataFrame(
        {
            "state": area["state"].astype(object).to_numpy(),
            "GEOID": area["GEOID"].astype(object).to_numpy(),
            "county": area["name"].astype(object).to_numpy(),
        }
    )
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
    "state",
    "counties",
    "with_sheriff_agreement",
    "without",
    "pending_only",
    "no_agreement_or_application",
    "pct_covered",
    *MODELS,
    "models_chosen",
    "effective_year",
    "effective_date",
    "deadline",
    "due",
    "confidence",
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


DUTY_COLUMNS: tuple[str, ...] = (
    "state",
    "state_name",
    "duty",
    "laws",
    "effective_date",
    "effective_year",
    "state_agreements",
    "state_agencies",
    "confidence",
    "source_url",
)


def state_level_duties(laws: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The mandates that bind a state official or agency, not sheriffs (Oklahoma, South Carolina):
    the duty in words (the law table's summary), and the state agencies ICE's sheet ``rows`` lists
    there. These are never counted as missing sheriffs."""
    chosen = laws[laws["state"].astype(str).isin(state_level_mandate_states(laws))]
    level = agency_level(rows) if len(rows) else pd.Series(dtype=object)
    state_rows = rows[level.eq("state")] if len(rows) else rows
    names = (
        state_rows.groupby(_text(state_rows["state"]))["agency"].agg(lambda a: "; ".join(sorted(set(map(str, a)))))
        if len(state_rows)
        else pd.Series(dtype=object)
    )
    counts = _text(state_rows["state"]).value_counts() if len(state_rows) else pd.Series(dtype=int)
    codes = chosen["state"].astype(str)
    out = pd.DataFrame(
        {
            "state": codes.to_numpy(),
            "state_name": chosen["state_name"].astype(str).to_numpy(),
            "duty": chosen["summary"].astype(str).to_numpy(),
            "laws": _text(chosen["laws"]).to_numpy(),
            "effective_date": _dates(chosen, "effective_date").to_numpy(),
            "effective_year": chosen["effective_year"].astype("Int64").to_numpy(),
            "state_agreements": codes.map(counts).fillna(0).astype(int).to_numpy(),
            "state_agencies": codes.map(names).astype(object).fillna("").to_numpy(),
            "confidence": _text(chosen["confidence"]).to_numpy(),
            "source_url": [u if is_http_url(u) else None for u in _text(chosen["source_url"])],
        }
    )
    return out[list(DUTY_COLUMNS)].reset_index(drop=True)


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
    window["law_end"] = window["deadline"].where(window["deadline"].notna() & (window["deadline"] > window["law_end"]), window["law_end"])
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

# Why an office of the roster counts as a county's sheriff (column ``rule``; worded by mapcore.words.compliance).
ROSTER_SHERIFF_CODES: tuple[str, ...] = ("named", "consolidated")
ROSTER_GAP_COLUMNS: tuple[str, ...] = (
    "state",
    "ori",
    "sheriff",
    "county_fips",
    "county",
    "status",
    "models",
    "pending_models",
    "rule",
    "officers",
)


def roster_mandate_gaps(
    rows: pd.DataFrame, pending_rows: pd.DataFrame, roster: pd.DataFrame, laws: pd.DataFrame, county_names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Every sheriff's office of the FBI roster in a state whose law binds sheriffs, with whether an agreement
    of ``rows`` (one participating publication) or an application of ``pending_rows`` was linked to its ORI
    (rules: :data:`mapcore.words.compliance.ROSTER_GAP_NOTE`). ``roster`` is :func:`mapcore.build.ori_match.roster_table`."""
    states = mandate_states(laws)
    sheriffs = roster[roster["state"].astype(str).isin(states) & roster["sheriff"].fillna("").astype(str).ne("")]
    if sheriffs.empty:
        return pd.DataFrame(columns=list(ROSTER_GAP_COLUMNS))
    now, pend = _models_by_ori(rows), _models_by_ori(pending_rows)
    out = pd.DataFrame(
        {
            "state": sheriffs["state"].astype(str).to_numpy(),
            "ori": sheriffs["ori"].astype(str).to_numpy(),
            "sheriff": sheriffs["name"].astype(str).str.rstrip(": ").to_numpy(),
        }
    )
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
    out["rule"] = sheriffs["sheriff"].astype(str).where(sheriffs["sheriff"].astype(str).isin(ROSTER_SHERIFF_CODES)).to_numpy()
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
    return (
        pd.DataFrame(
            {
                "state": missing["state"].astype(object).to_numpy(),
                "GEOID": missing["GEOID"].astype(str).to_numpy(),
                "county": missing["name"].astype(object).to_numpy(),
            }
        )
        .sort_values(["state", "county"])
        .reset_index(drop=True)
    )
