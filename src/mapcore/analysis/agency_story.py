"""One agency's 287(g) story: its rows in every publication, its agreements over time, and where it is.

An agency is one state plus one identity (:func:`mapcore.core.agency_key.agency_identity`), whatever
spelling ICE used; finding it from a typed query is :mod:`mapcore.analysis.agency_lookup`.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis.agency_search import stored_identity
from mapcore.analysis.pending import SIGNED_SINCE, signed_since
from mapcore.core.agency_key import agency_identity


def agency_rows(agreements: pd.DataFrame, state: str, agency: str) -> pd.DataFrame:
    """Every row (all publications, both kinds) of the agency: same state, same identity. ``agency`` is
    any spelling ICE used; the stored identity of the rows so spelled brings in the other spellings."""
    target = agency_identity(agency)
    if not target:
        return agreements.iloc[0:0]
    rows = agreements[agreements["state"].astype("object") == state]
    stored = stored_identity(rows)
    names = rows["agency"].astype("object")
    spelled = names.map({n: agency_identity(n) for n in names.dropna().unique()}) == target
    return rows[stored.isin({target, *stored[spelled]})]


HISTORY_COLUMNS: tuple[str, ...] = (
    "kind",
    "model",
    "signed",
    "moa_url",
    "addendum_url",
    "first_seen",
    "last_seen",
    "publications",
    "active",
    "signed_since",
    "agency",
    "county_name",
    "jurisdiction_type",
)


def agency_history(agreements: pd.DataFrame, sheets: pd.DataFrame, state: str, agency: str) -> pd.DataFrame:
    """Every agreement and pending application of one agency across all publications.

    One row per (kind, model, SIGNED date): a re-signed agreement is a new row. first_seen and
    last_seen are the dates of the first and last publication of that kind listing it;
    ``publications`` how many did; ``active`` whether the newest publication of the kind lists it
    (for pending rows: still pending, and not listed as participating since: then ``signed_since`` is the date
    it first was, :mod:`mapcore.analysis.pending`). Links and names come from its latest listing. Participating
    rows first, newest signing first.
    """
    return rows_history(agency_rows(agreements, state, agency), sheets)


def rows_history(rows: pd.DataFrame, sheets: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """:func:`agency_history` of the given rows; with ``by`` (a column of ``rows``), of each of its
    values at once (the column is kept first): the static edition's every agency in one pass."""
    columns = [*([by] if by else []), *HISTORY_COLUMNS]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    newest = {str(k): str(g.sort_values("sequence")["publication_id"].iloc[-1]) for k, g in sheets.groupby("kind")}
    seq = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    work = pd.DataFrame(
        {
            **({by: rows[by].astype("object").to_numpy()} if by else {}),
            "kind": rows["kind"].astype("object").to_numpy(),
            "model": rows["model"].astype("object").fillna("?").to_numpy(),
            "signed": pd.to_datetime(rows["signed"]).to_numpy(),
            "moa_url": rows["moa_url"].astype("object").to_numpy(),
            "addendum_url": rows["addendum_url"].astype("object").to_numpy(),
            "agency": rows["agency"].astype("object").to_numpy(),
            "county_name": rows["county_name"].astype("object").to_numpy(),
            "jurisdiction_type": rows["jurisdiction_type"].astype("object").to_numpy(),
            "publication_id": rows["publication_id"].astype("object").astype(str).to_numpy(),
            "publication_date": pd.to_datetime(rows["publication_date"]).to_numpy(),
        }
    )
    work["seq"] = work["publication_id"].map(seq).fillna(-1).to_numpy()
    work["signed_key"] = work["signed"].dt.strftime("%Y-%m-%d").fillna("")
    work = work.sort_values("seq", kind="stable")
    key = [*([by] if by else []), "kind", "model", "signed_key"]
    groups = work.groupby(key, sort=False)
    last = groups.tail(1).set_index(key)
    out = pd.DataFrame(
        {
            "first_seen": groups["publication_date"].min(),
            "last_seen": groups["publication_date"].max(),
            "publications": groups["publication_id"].nunique(),
            "last_id": groups["publication_id"].last(),
        }
    )
    out = out.join(last[["signed", "moa_url", "addendum_url", "agency", "county_name", "jurisdiction_type"]])
    out = out.reset_index()
    out["active"] = [newest.get(k) == i for k, i in zip(out["kind"], out["last_id"])]
    # An application the newest pending sheet lists, since listed as participating (its own participating rows are
    # among ``rows``): signed, not still pending.
    listed = rows[rows["publication_id"].astype("object").astype(str) == newest.get("pending")]
    since = signed_since(listed, rows, sheets)
    owners = [listed[by].astype("object").tolist()] if by else []
    signed = dict(zip(zip(*owners, listed["model"].astype("object").fillna("?").tolist()), since))
    mine = zip(*([out[by].tolist()] if by else []), out["model"].tolist())
    out[SIGNED_SINCE] = pd.to_datetime(
        [signed.get(k) if kind == "pending" and a else None for k, kind, a in zip(mine, out["kind"], out["active"])]
    )
    out["active"] = out["active"] & out[SIGNED_SINCE].isna()
    out["model"] = out["model"].replace("?", None)
    out["_kind_order"] = out["kind"].map({"participating": 0, "pending": 1}).fillna(2)
    order = [*([by] if by else []), "_kind_order", "signed", "first_seen"]
    out = out.sort_values(order, ascending=[*([True] if by else []), True, False, False], na_position="last")
    return out[columns].reset_index(drop=True)


def agency_place(agreements: pd.DataFrame, state: str, agency: str) -> dict[str, object]:
    """The agency's latest name, type, county and level (from its latest listing), and ``fbi_county``: the
    FBI roster's county where it is not the placed one (:mod:`mapcore.build.county_check`), else None."""
    rows = agency_rows(agreements, state, agency)
    if rows.empty:
        return {"agency": agency, "state": state, "county_name": None, "jurisdiction_type": None, "level": None, "fbi_county": None}
    latest = rows.sort_values("publication_date", kind="stable").iloc[-1]
    placed = rows[rows["county_name"].notna()].sort_values("publication_date", kind="stable")
    county = placed["county_name"].iloc[-1] if len(placed) else None
    fbi_county = placed["fbi_county"].iloc[-1] if len(placed) and "fbi_county" in placed else None

    def value(v):
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    return {
        "agency": value(latest["agency"]),
        "state": state,
        "county_name": value(county),
        "jurisdiction_type": value(latest["jurisdiction_type"]),
        "level": value(latest["level"]),
        "fbi_county": value(fbi_county),
    }
