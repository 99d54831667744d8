"""Law versus practice: agreements in states whose law restricts 287(g), and county sheriffs missing
where state law mandates 287(g). Pure pandas, no I/O, no Streamlit.

What is compared
----------------
*Restrictive states* are those whose law status is ``prohibits`` or ``restricts``. For each
participating agreement ever listed there, :func:`restricted_presence` gives when ICE's sheets first
and last list it, and how that sits against the law's date:

* the **law date** is the law's ``deadline`` when the table gives one (e.g. Delaware's 2025-08-13
  termination deadline); otherwise only the ``effective_year`` is known, so the law's window runs
  from Jan. 1 to Dec. 31 of that year;
* ``listed_after_law`` is True when the agreement is listed after the window (after the deadline),
  False when its last listing is before the window, and missing (unknown) when its listings end
  inside a year-only window: the table does not say on which day the law took effect;
* ``law_covers`` says whether the law's scope reaches the agency: scope ``both`` covers every
  agency, ``state`` only state agencies, ``local`` only county and city agencies (Virginia's 2026
  directive covers state agencies only, so its sheriffs' agreements stay outside it).

*Mandate states* are those whose status is ``mandates`` with scope ``local`` or ``both`` (the law
binds county sheriffs). For each county of the boundary layer in those states,
:func:`mandate_gaps` says whether a **sheriff or county jail agreement** is listed:

    an agreement counts when its type is County, it is placed in that county, and its name names a
    sheriff (``Sheriff``, or ICE's misspellings such as ``Sherrif``) or a county jail, corrections
    or detention agency ("Orange County Corrections Department", "Pasco County Jail"). Police
    departments, constables, district attorneys, port police and state agencies do not count.

A county without such an agreement but with one (same rule) in the newest pending sheet is marked
``pending``; for an older participating publication, the newest pending sheet on or before it is
used. Nothing here infers compliance or non-compliance: see
:data:`INFERENCE_NOTE`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from mapcore.analysis.query import agency_names, latest_publication_id, publications
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
    COVERED: "Sheriff or county jail agreement listed",
    PENDING: "No agreement; application pending",
    NONE: "No agreement or application listed",
}

# Relation of an agreement's listings to the law's date.
RELATIONS: dict[str, str] = {
    "after": "Listed after the law's date",
    "during": "Listed in the law's year (exact date not known)",
    "before": "Gone before the law's date",
    "not_yet": "The law's date had not come by the newest sheet",
    "outside_scope": "Outside the law's scope",
}

MANDATE_NOTE = (
    "A missing agreement is not proof of non-compliance: ICE's sheet may lag, an application may be "
    "pending, a county may have no jail, or a consolidated city-county may run the jail."
)
RESTRICT_NOTE = (
    "An agreement still listed after a state's ban is not proof that it is used: ICE may be slow to "
    "remove terminated agreements, and the law table gives only the year for most laws."
)
INFERENCE_NOTE = f"{MANDATE_NOTE} {RESTRICT_NOTE}"


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


def law_window(laws: pd.DataFrame) -> pd.DataFrame:
    """Per state: ``law_start`` / ``law_end`` (the deadline, else Jan. 1 / Dec. 31 of the effective
    year) and ``law_date_basis`` ("deadline", "effective year" or None when neither is known)."""
    out = laws[["state"]].astype({"state": object}).copy()
    deadline = pd.to_datetime(laws["deadline"]) if "deadline" in laws else pd.Series(pd.NaT, index=laws.index)
    year = pd.to_numeric(laws["effective_year"], errors="coerce")
    jan1 = pd.to_datetime(year.astype("Int64").astype(str) + "-01-01", errors="coerce")
    dec31 = pd.to_datetime(year.astype("Int64").astype(str) + "-12-31", errors="coerce")
    out["law_start"] = deadline.where(deadline.notna(), jan1).astype("datetime64[ns]")
    out["law_end"] = deadline.where(deadline.notna(), dec31).astype("datetime64[ns]")
    basis = pd.Series(None, index=laws.index, dtype=object)
    basis[year.notna()] = "effective year"
    basis[deadline.notna()] = "deadline"
    out["law_date_basis"] = basis
    return out.reset_index(drop=True)


def _identity(frame: pd.DataFrame, sheets: pd.DataFrame) -> pd.Series:
    """Identity key per row: the one the build stores, else :func:`mapcore.ingest.identity.with_identity`."""
    if "key" in frame:
        return frame["key"].astype(object)
    from mapcore.ingest.identity import with_identity

    return with_identity(frame, sheets)["key"].astype(object)


# ------------------------------------------------------------------------------------------------
# Restrictive states: presence of agreements against the law's date

PRESENCE_COLUMNS: tuple[str, ...] = (
    "state", "agency", "model", "agency_level", "county_name", "law_status", "law_scope", "law_covers",
    "effective_year", "deadline", "law_date_basis", "law_start", "law_end", "first_seen", "last_seen",
    "publications", "since_first_sheet", "active", "listed_after_law", "first_seen_after_law", "relation",
    "signed", "first_publication_id", "last_publication_id", "key",
)


def _after(dates: pd.Series, start: pd.Series, end: pd.Series) -> pd.Series:
    """True after the window, False before it, missing inside it (or when no window is known)."""
    out = pd.Series(pd.NA, index=dates.index, dtype="boolean")
    out[dates > end] = True
    out[dates < start] = False
    return out


def restricted_presence(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """One row per agreement ever listed as participating in a prohibiting or restricting state:
    first/last publication seen, still active in the newest, and its relation to the law's date."""
    states = restrictive_states(laws)
    part = agreements[(_text(agreements["kind"]) == "participating") & _text(agreements["state"]).isin(states)]
    if part.empty:
        return pd.DataFrame(columns=list(PRESENCE_COLUMNS))
    order = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    rows = pd.DataFrame({
        "key": _identity(part, sheets).to_numpy(),
        "state": _text(part["state"]).to_numpy(), "agency": _text(part["agency"]).to_numpy(),
        "model": _text(part["model"]).to_numpy(), "agency_level": agency_level(part).to_numpy(),
        "county_name": _text(part["county_name"]).to_numpy() if "county_name" in part else None,
        "publication_id": part["publication_id"].astype(str).to_numpy(),
        "publication_date": pd.to_datetime(part["publication_date"]).astype("datetime64[ns]").to_numpy(),
        "signed": pd.to_datetime(part["signed"]).astype("datetime64[ns]").to_numpy() if "signed" in part else pd.NaT,
    })
    rows["seq"] = rows["publication_id"].map(order)
    rows = rows.sort_values(["seq", "agency"], kind="stable")
    first = rows.drop_duplicates("key", keep="first").set_index("key")
    last = rows.drop_duplicates("key", keep="last").set_index("key")
    out = last[["state", "agency", "model", "agency_level", "county_name", "signed"]].copy()
    out["first_seen"] = first["publication_date"]
    out["first_publication_id"] = first["publication_id"]
    out["last_seen"] = last["publication_date"]
    out["last_publication_id"] = last["publication_id"]
    out["publications"] = rows.groupby("key")["publication_id"].nunique()
    pubs = publications(sheets, "participating")
    newest = latest_publication_id(sheets, "participating")
    newest_date = pd.Timestamp(pubs["publication_date"].iloc[-1]) if len(pubs) else pd.NaT
    first_date = pd.Timestamp(pubs["publication_date"].iloc[0]) if len(pubs) else pd.NaT
    out["active"] = (out["last_publication_id"] == newest).astype(bool)
    out["since_first_sheet"] = (out["first_seen"] == first_date).astype(bool)
    out = out.rename_axis("key").reset_index()

    law = laws.assign(state=laws["state"].astype(object)).set_index("state")
    window = law_window(laws).set_index("state")
    out["law_status"] = out["state"].map(_text(law["status"]))
    out["law_scope"] = out["state"].map(_text(law["scope"]))
    out["effective_year"] = out["state"].map(law["effective_year"]).astype("Int64")
    out["deadline"] = out["state"].map(law["deadline"]).astype("datetime64[ns]")
    for column in ("law_start", "law_end", "law_date_basis"):
        out[column] = out["state"].map(window[column])
    out["law_start"] = out["law_start"].astype("datetime64[ns]")
    out["law_end"] = out["law_end"].astype("datetime64[ns]")
    covers = pd.Series(pd.NA, index=out.index, dtype="boolean")
    covers[out["law_scope"].eq("both")] = True
    known = out["agency_level"].isin(["state", "local"])
    covers[known & out["law_scope"].isin(["state", "local"])] = out["law_scope"] == out["agency_level"]
    out["law_covers"] = covers
    out["listed_after_law"] = _after(out["last_seen"], out["law_start"], out["law_end"])
    out["first_seen_after_law"] = _after(out["first_seen"], out["law_start"], out["law_end"])
    out["relation"] = _relations(out, newest_date)
    return out[list(PRESENCE_COLUMNS)].sort_values(["state", "agency", "model"]).reset_index(drop=True)


def _relations(out: pd.DataFrame, newest_date: pd.Timestamp) -> pd.Series:
    """A RELATIONS code per agreement (see :data:`RELATIONS`)."""
    relation = pd.Series("during", index=out.index, dtype=object)
    after = out["listed_after_law"]
    relation[after.eq(True).fillna(False).astype(bool)] = "after"
    before = after.eq(False).fillna(False).astype(bool)
    relation[before] = "before"
    relation[before & out["active"] & (out["law_start"] > newest_date)] = "not_yet"
    relation[out["law_covers"].eq(False).fillna(False).astype(bool)] = "outside_scope"
    return relation


def restricted_series(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per restrictive state that ever had an agreement and per participating publication: how many
    agreements the sheet lists (``agreements``) and how many the law's scope reaches (``covered``),
    zeros included, oldest publication first (long format, for a chart)."""
    states = restrictive_states(laws)
    part = agreements[(_text(agreements["kind"]) == "participating") & _text(agreements["state"]).isin(states)]
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


def restricted_states_table(presence: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per prohibiting or restricting state (all of them, zeros included): the law, and how many
    agreements were ever listed, are listed in the newest sheet, and were listed after the law."""
    chosen = laws[_text(laws["status"]).isin(RESTRICTIVE)]
    out = pd.DataFrame({
        "state": chosen["state"].astype(object).to_numpy(), "state_name": chosen["state_name"].astype(object).to_numpy(),
        "law_status": _text(chosen["status"]).to_numpy(), "law_scope": _text(chosen["scope"]).to_numpy(),
        "effective_year": chosen["effective_year"].astype("Int64").to_numpy(),
        "deadline": pd.to_datetime(chosen["deadline"]).astype("datetime64[ns]").to_numpy(),
        "confidence": _text(chosen["confidence"]).to_numpy(),
        "source_url": [u if is_http_url(u) else None for u in _text(chosen["source_url"])],
    })
    p = presence
    groups = {
        "ever_listed": p,
        "in_newest": p[p["active"]],
        "listed_after_law": p[p["relation"].eq("after")],
        "in_law_year": p[p["relation"].eq("during")],
        "gone_before_law": p[p["relation"].eq("before")],
        "outside_scope": p[p["relation"].eq("outside_scope")],
    }
    for column, part in groups.items():
        out[column] = out["state"].map(part.groupby("state").size()).fillna(0).astype(int)
    return out.sort_values(["ever_listed", "state"], ascending=[False, True]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Mandate states: counties whose sheriff has (or has not) an agreement

GAP_COLUMNS: tuple[str, ...] = (
    "state", "GEOID", "county", "status", "sheriff_agencies", "models", *MODELS, "pending_agencies",
    "pending_models", "other_agencies", "other_agreements", "effective_year", "deadline",
    "publication_date", "pending_publication_date",
)


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
    pid = agreements["publication_id"].astype(str)
    in_state = _text(agreements["state"]).isin(chosen) & agreements["county_fips"].notna()
    current = agreements[in_state & (pid == str(publication_id))]
    pending = agreements[in_state & (pid == str(pending_id))] if pending_id else agreements.iloc[0:0]
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
    out["deadline"] = out["state"].map(law["deadline"]).astype("datetime64[ns]")
    out["publication_date"] = pub_date
    out["pending_publication_date"] = pending_date
    out["publication_date"] = out["publication_date"].astype("datetime64[ns]")
    out["pending_publication_date"] = out["pending_publication_date"].astype("datetime64[ns]")
    return out[list(GAP_COLUMNS)].sort_values(["state", "county"]).reset_index(drop=True)


SUMMARY_COLUMNS: tuple[str, ...] = (
    "state", "counties", "with_sheriff_agreement", "without", "pending_only", "no_agreement_or_application",
    "pct_covered", *MODELS, "models_chosen", "effective_year", "deadline",
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
    out["deadline"] = grouped["deadline"].first()
    return out.rename_axis("state").reset_index()[list(SUMMARY_COLUMNS)]


# ------------------------------------------------------------------------------------------------
# Plain-language text: what is and is not inferred


def mandate_caveats() -> list[str]:
    """Why a county without a listed sheriff agreement is not thereby out of compliance."""
    return [
        "ICE's sheet may lag behind signings, so a new agreement can be missing for weeks.",
        "An application may be pending: counties with a pending sheriff or jail application are shown apart.",
        "A county may have no jail of its own (it boards prisoners elsewhere), and some laws bind only sheriffs who run a jail.",
        "A consolidated city-county, a regional jail or a county corrections department may run the jail; "
        "regional jails are counted only in the one county ICE's sheet places them in.",
        "Where the law's deadline is still ahead, counties may yet sign before it.",
        "Only the agency's name and type are read: a sheriff listed under an unusual name or type can be missed.",
    ]


def restricted_caveats() -> list[str]:
    """Why an agreement listed after a state's ban is not thereby in use or unlawful."""
    return [
        "ICE may keep a terminated agreement on its sheet for a while; being listed is not proof of activity.",
        "Most laws are dated by year only, so an agreement last listed during that year cannot be placed before or after the law.",
        "A law's scope matters: a ban on state agencies leaves county agreements lawful (Virginia's 2026 directive), and "
        "ICE sometimes lists an agency under the wrong state.",
        "Our sheets start on the first archived publication; 'first seen' then means 'listed since at least that date'.",
    ]


def mandate_sentence(row: pd.Series, state_name: str | None = None) -> str:
    """One plain sentence on a state's coverage from a :func:`mandate_summary` row."""
    name = state_name or str(row["state"])
    text = (f"In {name}, {int(row['with_sheriff_agreement'])} of {int(row['counties'])} counties "
            f"({float(row['pct_covered']):.0f}%) have a sheriff or county jail agreement listed by ICE; "
            f"{int(row['without'])} do not")
    if int(row["pending_only"]):
        text += f", of which {int(row['pending_only'])} have a pending application"
    text += "."
    deadline = row.get("deadline")
    if deadline is not None and not pd.isna(deadline):
        text += f" The law's deadline is {pd.Timestamp(deadline):%Y-%m-%d}."
    return text


def presence_sentence(row: pd.Series) -> str:
    """One plain sentence on an agreement's listings against its state's law (a presence row)."""
    first = f"{pd.Timestamp(row['first_seen']):%Y-%m-%d}"
    if row["since_first_sheet"]:
        first += " (our first sheet: maybe earlier)"
    seen = f"listed from {first} to {pd.Timestamp(row['last_seen']):%Y-%m-%d}"
    state = "still listed in the newest sheet" if row["active"] else "no longer listed"
    return f"{row['agency']} ({row['model']}): {seen}, {state}; {RELATIONS[row['relation']].lower()}."


# ------------------------------------------------------------------------------------------------
# User-facing tables (display and download share them, so a download holds what the page shows)

LEVEL_LABELS: dict[str, str] = {"state": "State agency", "local": "Local (county or city)", "unknown": "Unknown"}


def presence_table(presence: pd.DataFrame) -> pd.DataFrame:
    """The per-agreement list with readable headers and the relation spelled out."""
    out = pd.DataFrame({
        "State": presence["state"], "Agency": presence["agency"], "Model": presence["model"],
        "Level": presence["agency_level"].map(LEVEL_LABELS),
        "Law": presence["law_status"].map(lambda s: s.capitalize() if isinstance(s, str) else s),
        "Law scope": presence["law_scope"], "Effective year": presence["effective_year"],
        "Deadline": presence["deadline"], "First seen": presence["first_seen"], "Last seen": presence["last_seen"],
        "Listed since first sheet": presence["since_first_sheet"], "Publications": presence["publications"],
        "In newest sheet": presence["active"], "Law covers agency": presence["law_covers"],
        "Relation to the law": presence["relation"].map(RELATIONS),
    })
    return out.reset_index(drop=True)


def gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """The per-county list with readable headers and the status spelled out."""
    out = pd.DataFrame({
        "State": gaps["state"], "County": gaps["county"], "GEOID": gaps["GEOID"],
        "Status": gaps["status"].map(COUNTY_STATUS_LABELS), "Sheriff or jail agencies": gaps["sheriff_agencies"],
        "Models": gaps["models"], "Pending applications": gaps["pending_agencies"],
        "Other local agreements (not counted)": gaps["other_agencies"], "Deadline": gaps["deadline"],
        "ICE sheet": gaps["publication_date"], "Pending sheet": gaps["pending_publication_date"],
    })
    return out.reset_index(drop=True)


def law_windows(series: pd.DataFrame, laws: pd.DataFrame) -> pd.DataFrame:
    """Per state in ``series``: the law's window clipped to the publications' date range (for shading
    a chart), and whether it falls before, inside or after that range."""
    columns = ["state", "law_start", "law_end", "law_date_basis", "shown_start", "shown_end", "where"]
    if series.empty:
        return pd.DataFrame(columns=columns)
    low, high = series["publication_date"].min(), series["publication_date"].max()
    window = law_window(laws)
    window = window[window["state"].isin(set(series["state"]))].copy()
    window["shown_start"] = window["law_start"].clip(lower=low, upper=high)
    window["shown_end"] = window["law_end"].clip(lower=low, upper=high)
    where = pd.Series("inside", index=window.index, dtype=object)
    where[window["law_end"] < low] = "before"
    where[window["law_start"] > high] = "after"
    where[window["law_start"].isna()] = "unknown"
    window["where"] = where
    return window[columns].reset_index(drop=True)
