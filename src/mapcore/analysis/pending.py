"""Pending applications signed since ICE's pending list was published.

ICE updates its pending list less often than its participating list, so the newest pending sheet can be
weeks older than the newest participating sheet, and some of its applications have been signed meanwhile.
An application (state, agency identity, model: the agreement's key) that a participating sheet published on
or after its pending sheet lists is **signed since**: shown apart, never counted as pending. Facts only (the
date it was first listed as participating); pages and the CLI word them.
"""

from __future__ import annotations

import pandas as pd

from mapcore.analysis.query import agency_ids, latest_publication_id, publication_date_of
from mapcore.build.agreement_keys import KEY_SEP

SIGNED_SINCE = "signed_since"


def agreement_keys(frame: pd.DataFrame) -> pd.Series:
    """Each row's agreement key (state|agency identity|model): the stored ``key``, else made the same way."""
    if "key" in frame:
        return frame["key"].astype("object")
    model = frame["model"].astype("object").where(frame["model"].notna(), "?").astype(str)
    return agency_ids(frame).astype(str) + KEY_SEP + model


def signed_since(rows: pd.DataFrame, agreements: pd.DataFrame, sheets: pd.DataFrame, until_id: str | None = None) -> pd.Series:
    """Per pending row: the date of the first participating sheet published on or after the row's own
    (pending) sheet, and no later than the participating sheet ``until_id`` (the newest by default), that
    lists the same agreement; NaT while it is still pending."""
    out = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]")
    until = publication_date_of(sheets, until_id or latest_publication_id(sheets, "participating"))
    if rows.empty or until is None:
        return out
    keys = agreement_keys(rows)
    wanted = set(keys.dropna())
    # the stored key first (a categorical: cheap on the whole history), then kind and date on what is left
    candidates = agreements[agreements["key"].isin(wanted)] if "key" in agreements else agreements
    part = candidates[(candidates["kind"].astype("object") == "participating") & (pd.to_datetime(candidates["publication_date"]) <= until)]
    part_keys = agreement_keys(part)
    same = part_keys.isin(wanted).to_numpy()
    listed = pd.DataFrame({"key": part_keys[same].to_numpy(), "listed": pd.to_datetime(part.loc[same, "publication_date"]).to_numpy()})
    if listed.empty:
        return out
    asked = pd.DataFrame({"row": range(len(rows)), "key": keys.to_numpy(), "pending": pd.to_datetime(rows["publication_date"]).to_numpy()})
    pairs = asked.merge(listed.drop_duplicates(), on="key")
    pairs = pairs[pairs["listed"] >= pairs["pending"]]
    first = pairs.groupby("row")["listed"].min()
    out.iloc[first.index.to_numpy()] = first.to_numpy()
    return out


def split_pending(
    rows: pd.DataFrame, agreements: pd.DataFrame, sheets: pd.DataFrame, until_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(still pending, signed since) rows of a pending list as of the participating sheet ``until_id`` (the
    newest by default); the signed-since rows carry :data:`SIGNED_SINCE`, the date first listed as participating."""
    since = signed_since(rows, agreements, sheets, until_id)
    signed = since.notna().to_numpy()
    return rows[~signed], rows[signed].assign(**{SIGNED_SINCE: since[signed]})
