"""Agreement history across ICE's publications: identity, diffs, growth and pending applications.

Pure pandas, no I/O. ICE republishes the whole list every time, with corrections; to say what
changed between two sheets we first need to say when two rows are *the same agreement*.

Identity
--------
An agreement's identity (its ``key``) is computed once by the build: see :mod:`mapcore.build.agreement_keys`.

Diffs
-----
:func:`diff_publications` is exact multiset arithmetic per key, so for any two publications
``count(later) == count(earlier) + len(added) - len(removed)`` holds exactly, duplicates included:

* rows with the same key *and* signed date are unchanged (matched one to one);
* the remaining rows of a key are paired oldest date to oldest date: each pair is **renewed**;
* what is left over is **added** (later side) or **removed** (earlier side).

**Switched** is a view, not a fourth bucket: an agency (state + agency_norm) listed in both
publications whose *set of models* differs (e.g. TFM dropped and WSO gained, or TFM gained next to
JEM). Its rows stay in added/removed (flagged ``switched``), so the count identity is untouched.

An agreement missing from one sheet and back later is not "removed for good": :func:`diff_between`
keeps the exact pair arithmetic but marks removed rows with ``returns_later`` (and ``back_in``, the
date it is next listed) and added rows with ``seen_before`` (it had been listed before, then left).
A missing SIGNED date is a value like any other: a date filled in later is "renewed" (note "date
added"), and a re-dated signature with an earlier date is noted as a likely correction.

Timelines
---------
Publications of one kind are ordered by ``sheets.sequence``. :func:`first_last_seen` gives each key
its first and last listing, the number of listings, its *gaps* (runs of publications without it
between first and last) and whether the latest publication lists it. :func:`pending_history` does
the same for pending applications and looks the agency (state + agency_norm, any model) up on the
participating sheets: ``later_participating`` when listed there on or after its first pending date.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mapcore.build.agreement_keys import KEY_SEP, ensure_identity, publication_order, signed_days, with_identity
from mapcore.core.schema import MODELS
from mapcore.core.tables import download_frame, export_frame

# ------------------------------------------------------------------------------------------------
# Diffs


@dataclass(frozen=True)
class Diff:
    """What changed from one publication to another (see the module docstring for the rules)."""

    added: pd.DataFrame  # later rows with no earlier counterpart (flag: switched)
    removed: pd.DataFrame  # earlier rows with no later counterpart (flag: switched)
    renewed: pd.DataFrame  # later rows whose key was listed with another date (signed_before)
    switched: pd.DataFrame  # one row per agency whose set of models changed
    count_before: int = 0
    count_after: int = 0

    def counts(self) -> pd.DataFrame:
        """Rows added/removed/renewed per model; 'switched' counts agencies whose gained or lost
        models include that model (total: agencies), and those rows are also in added/removed."""
        out = {change: _by_model(getattr(self, change)) for change in ("added", "removed", "renewed")}
        switched = {m: int(self.switched["models_changed"].str.contains(m).sum()) for m in MODELS}
        out["switched"] = {**switched, "total": len(self.switched)}
        return pd.DataFrame.from_dict(out, orient="index")[[*MODELS, "total"]]

    def all_changes(self) -> pd.DataFrame:
        """Added, removed and renewed rows in one table with a ``change`` column (for export)."""
        frames = [getattr(self, c).assign(change=c) for c in ("added", "removed", "renewed")]
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else self.added.assign(change=pd.Series(dtype=str))


def _by_model(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["model"].astype(object).value_counts()
    return {**{m: int(counts.get(m, 0)) for m in MODELS}, "total": len(frame)}


def diff_publications(earlier: pd.DataFrame, later: pd.DataFrame) -> Diff:
    """Exact multiset diff of two publications' rows (identity as in the module docstring)."""
    if "key" not in earlier or "key" not in later:
        both = with_identity(pd.concat([earlier.assign(_side=0), later.assign(_side=1)], ignore_index=True))
        earlier = both[both["_side"] == 0].drop(columns="_side")
        later = both[both["_side"] == 1].drop(columns="_side")
    removed_at, added_at, renewed_at = _match(earlier, later)
    switched = _switched(earlier, later)
    flagged = set(switched["agency_id"])
    added = later.iloc[added_at].reset_index(drop=True)
    removed = earlier.iloc[removed_at].reset_index(drop=True)
    renewed = later.iloc[[j for _, j in renewed_at]].reset_index(drop=True)
    renewed["signed_before"] = earlier["signed"].iloc[[i for i, _ in renewed_at]].to_numpy()
    renewed["note"] = [_renewal_note(b, a) for b, a in zip(renewed["signed_before"], renewed["signed"])]
    return Diff(
        added=added.assign(switched=added["agency_id"].isin(flagged)),
        removed=removed.assign(switched=removed["agency_id"].isin(flagged)),
        renewed=renewed,
        switched=switched,
        count_before=len(earlier),
        count_after=len(later),
    )


def _match(earlier: pd.DataFrame, later: pd.DataFrame) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    """Row positions: removed (earlier), added (later) and renewed (earlier, later) pairs.

    Same key and date match one to one; the rest of a key pair up in date order (renewed); the
    remainder is added or removed. Duplicates are kept, so the counts balance exactly."""
    pool: dict[tuple, list[int]] = {}
    e_days, l_days = signed_days(earlier).tolist(), signed_days(later).tolist()
    for i, item in enumerate(zip(earlier["key"].tolist(), e_days)):
        pool.setdefault(item, []).append(i)
    later_rest: dict[str, list[int]] = {}
    for j, item in enumerate(zip(later["key"].tolist(), l_days)):
        if pool.get(item):
            pool[item].pop(0)
        else:
            later_rest.setdefault(item[0], []).append(j)
    earlier_rest: dict[str, list[int]] = {}
    for (key, _), positions in sorted(item for item in pool.items() if item[1]):
        earlier_rest.setdefault(key, []).extend(positions)
    removed, added, renewed = [], [], []
    for key in earlier_rest.keys() | later_rest.keys():
        olds = earlier_rest.get(key, [])
        news = sorted(later_rest.get(key, []), key=lambda j: l_days[j])
        renewed += list(zip(olds, news))
        removed += olds[len(news) :]
        added += news[len(olds) :]
    return sorted(removed), sorted(added), sorted(renewed, key=lambda p: p[1])


RENEWALS: tuple[str, ...] = ("date_added", "date_removed", "re_signed", "re_dated")  # worded by mapcore.words.history


def _renewal_note(before, after) -> str:
    """How a renewed agreement's SIGNED date changed: a code of :data:`RENEWALS`."""
    if pd.isna(before):
        return "date_added"
    if pd.isna(after):
        return "date_removed"
    return "re_signed" if after > before else "re_dated"


def _switched(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Agencies listed in both publications whose set of models differs."""
    columns = ["state", "agency", "agency_id", "models_before", "models_after", "gained", "lost", "models_changed"]
    before, after = _model_sets(earlier), _model_sets(later)
    changed = sorted(a for a in before.keys() & after.keys() if before[a] != after[a])
    names = later[later["agency_id"].isin(changed)].drop_duplicates("agency_id").set_index("agency_id")
    rows = []
    for agency_id in changed:
        gained, lost = after[agency_id] - before[agency_id], before[agency_id] - after[agency_id]
        rows.append(
            {
                "state": names.at[agency_id, "state"],
                "agency": names.at[agency_id, "agency"],
                "agency_id": agency_id,
                "models_before": _joined(before[agency_id]),
                "models_after": _joined(after[agency_id]),
                "gained": _joined(gained),
                "lost": _joined(lost),
                "models_changed": _joined(gained | lost),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _model_sets(frame: pd.DataFrame) -> dict[str, set[str]]:
    sets: dict[str, set[str]] = {}
    for agency_id, model in zip(frame["agency_id"].tolist(), frame["model"].astype(object).tolist()):
        entry = sets.setdefault(agency_id, set())
        if isinstance(model, str):
            entry.add(model)
    return sets


def _joined(models) -> str:
    order = {m: i for i, m in enumerate(MODELS)}
    return ", ".join(sorted(models, key=lambda m: (order.get(m, 99), m)))


def diff_between(
    agreements: pd.DataFrame,
    sheets: pd.DataFrame,
    id_a: str,
    id_b: str,
    states: tuple[str, ...] | list[str] = (),
    presence: pd.DataFrame | None = None,
) -> Diff:
    """Diff of any two publications (A then B), optionally for some states, with flicker flags:
    removed rows get ``returns_later``/``back_in`` and added rows ``seen_before``. ``presence`` is
    :func:`presence_table` of B's kind when the caller keeps it (computed once per dataset)."""
    keyed = ensure_identity(agreements, sheets)
    rows = keyed[keyed["publication_id"].isin([id_a, id_b])]
    if states:
        rows = rows[rows["state"].isin(list(states))]
    diff = diff_publications(rows[rows["publication_id"] == id_a], rows[rows["publication_id"] == id_b])
    order = publication_order(keyed, sheets)
    seen = presence if presence is not None else presence_table(keyed, sheets, _kind_of(sheets, id_b))
    return Diff(
        added=_flag_seen_before(diff.added, seen, order.get(id_a, -1)),
        removed=_flag_returns(diff.removed, seen, order.get(id_b, -1)),
        renewed=diff.renewed,
        switched=diff.switched,
        count_before=diff.count_before,
        count_after=diff.count_after,
    )


def _kind_of(sheets: pd.DataFrame, publication_id: str) -> str:
    row = sheets[sheets["publication_id"] == publication_id]
    return "participating" if row.empty else str(row["kind"].iloc[0])


def presence_table(keyed: pd.DataFrame, sheets: pd.DataFrame, kind: str) -> pd.DataFrame:
    """One row per (key, publication) of a kind, with the publication's order and date."""
    rows = keyed[keyed["kind"] == kind] if "kind" in keyed else keyed
    seen = rows[["key", "publication_id", "publication_date"]].astype({"publication_id": str}).drop_duplicates()
    return seen.assign(seq=seen["publication_id"].map(publication_order(keyed, sheets)))


def _flag_returns(removed: pd.DataFrame, seen: pd.DataFrame, seq_b: int) -> pd.DataFrame:
    after = seen[(seen["seq"] > seq_b) & seen["key"].isin(removed["key"])]
    back = after.sort_values("seq").drop_duplicates("key").set_index("key")["publication_date"]
    out = removed.assign(back_in=_lookup(removed["key"], back))
    return out.assign(returns_later=out["back_in"].notna())


def _flag_seen_before(added: pd.DataFrame, seen: pd.DataFrame, seq_a: int) -> pd.DataFrame:
    before = set(seen.loc[(seen["seq"] < seq_a) & seen["key"].isin(added["key"]), "key"])
    return added.assign(seen_before=added["key"].isin(before))


def consecutive_diffs(agreements: pd.DataFrame, sheets: pd.DataFrame, kind: str = "participating"):
    """(earlier id, later id, Diff) for every pair of consecutive publications of a kind."""
    keyed = ensure_identity(agreements, sheets)
    ids = [str(p) for p in sheets[sheets["kind"] == kind].sort_values("sequence")["publication_id"]]
    groups = {str(k): g for k, g in keyed[keyed["kind"] == kind].groupby("publication_id", observed=True)}
    empty = keyed.iloc[0:0]
    for a, b in zip(ids, ids[1:]):
        yield a, b, diff_publications(groups.get(a, empty), groups.get(b, empty))


# ------------------------------------------------------------------------------------------------
# Timelines


SEEN_COLUMNS: tuple[str, ...] = (
    "key",
    "state",
    "agency",
    "model",
    "first_seen",
    "first_publication_id",
    "last_seen",
    "last_publication_id",
    "publications",
    "gaps",
    "active",
    "first_signed",
    "signed",
)


def first_last_seen(agreements: pd.DataFrame, sheets: pd.DataFrame, kind: str = "participating") -> pd.DataFrame:
    """Per identity key: first and last publication listing it, how many listed it, the gaps
    (runs of publications without it between first and last) and whether the latest lists it."""
    keyed = ensure_identity(agreements, sheets)
    ids = [str(p) for p in sheets[sheets["kind"] == kind].sort_values("sequence")["publication_id"]]
    rank = pd.Series(range(len(ids)), index=ids)
    rows = keyed[keyed["kind"] == kind]
    if rows.empty:
        return pd.DataFrame(columns=SEEN_COLUMNS)
    rows = rows.assign(rank=rows["publication_id"].astype(str).map(rank).astype(int))
    rows = rows.sort_values(["rank", "row"] if "row" in rows else ["rank"])
    ranks = rows[["key", "rank"]].drop_duplicates().sort_values(["key", "rank"])
    runs = (ranks.groupby("key")["rank"].diff() > 1).groupby(ranks["key"]).sum().astype(int)
    last = rows.drop_duplicates("key", keep="last").set_index("key")
    first = rows.drop_duplicates("key", keep="first").set_index("key")
    out = pd.DataFrame(
        {
            "state": last["state"].astype(object),
            "agency": last["agency"],
            "model": last["model"].astype(object),
            "first_seen": first["publication_date"],
            "first_publication_id": first["publication_id"].astype(str),
            "last_seen": last["publication_date"],
            "last_publication_id": last["publication_id"].astype(str),
            "publications": ranks.groupby("key").size(),
            "gaps": runs,
            "active": last["rank"] == len(ids) - 1,
            "first_signed": rows.groupby("key")["signed"].min() if "signed" in rows else pd.NaT,
            "signed": last["signed"] if "signed" in last else pd.NaT,
        }
    )
    out = out.rename_axis("key").reset_index()[list(SEEN_COLUMNS)]
    return out.sort_values(["state", "agency", "model"]).reset_index(drop=True)


def active_by_publication(agreements: pd.DataFrame, sheets: pd.DataFrame, kind: str = "participating") -> pd.DataFrame:
    """Agreements listed per publication of a kind, per model and in total (rows without a model
    count in the total only), oldest publication first, for a growth chart."""
    pubs = sheets[sheets["kind"] == kind].sort_values("sequence")
    ids = pubs["publication_id"].astype(str)
    rows = agreements[agreements["kind"] == kind]
    # Counted on the columns' codes (a group-by of two small keys), not a crosstab of 300k strings.
    slim = pd.DataFrame(
        {"id": rows["publication_id"].astype("category").to_numpy(), "model": rows["model"].astype("object").fillna("?").to_numpy()}
    )
    table = slim.groupby(["id", "model"], observed=True).size().unstack(fill_value=0)
    table.index = table.index.astype(str)
    out = pd.DataFrame({"publication_date": pubs["publication_date"].to_numpy(), "publication_id": ids.to_numpy()})
    for model in MODELS:
        counts = table[model] if model in table else pd.Series(dtype=int)
        out[model] = ids.map(counts).fillna(0).astype(int).to_numpy()
    out["total"] = ids.map(table.sum(axis=1)).fillna(0).astype(int).to_numpy()
    return out


GAP_DAYS = 14  # ICE posts a sheet every few days: two weeks or more without one is a gap in our record


def publication_gaps(sheets: pd.DataFrame, kind: str = "participating", min_days: int = GAP_DAYS) -> pd.DataFrame:
    """Gaps in the publication record: consecutive sheets of a kind ``min_days`` or more apart (what
    happened between them is unknown; a chart must not draw a trend across them). Columns: start
    (last sheet before), end (first sheet after), days."""
    dates = pd.Series(sorted(pd.to_datetime(sheets.loc[sheets["kind"] == kind, "publication_date"]).unique()))
    if len(dates) < 2:
        return pd.DataFrame(
            {"start": pd.Series(dtype="datetime64[ns]"), "end": pd.Series(dtype="datetime64[ns]"), "days": pd.Series(dtype=int)}
        )
    frame = pd.DataFrame({"start": dates.iloc[:-1].to_numpy(), "end": dates.iloc[1:].to_numpy()})
    frame["days"] = (frame["end"] - frame["start"]).dt.days.astype(int)
    return frame[frame["days"] >= min_days].reset_index(drop=True)


@dataclass(frozen=True)
class TimelineSummary:
    """The Timeline's growth charts, which depend only on the dataset: computed once per dataset, and
    first, so the page draws them before anything slower (pending history and presence are cached
    apart, further down the page)."""

    growth: pd.DataFrame  # active_by_publication, the last sheet of each day
    signings: pd.DataFrame  # cumulative_signings
    gaps: pd.DataFrame  # publication_gaps of the participating sheets


def timeline_summary(agreements: pd.DataFrame, sheets: pd.DataFrame) -> TimelineSummary:
    keyed = ensure_identity(agreements, sheets)
    growth = active_by_publication(keyed, sheets).drop_duplicates("publication_date", keep="last").reset_index(drop=True)
    return TimelineSummary(growth=growth, signings=cumulative_signings(keyed, sheets), gaps=publication_gaps(sheets))


def cumulative_signings(agreements: pd.DataFrame, sheets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Running count of distinct agreements by SIGNED date per model: every key ever listed as
    participating (later dropped ones too), at its earliest signed date; undated keys left out
    (their number is in ``.attrs["undated"]``)."""
    keyed = ensure_identity(agreements, sheets)
    if "kind" in keyed:
        keyed = keyed[keyed["kind"] == "participating"]
    firsts = keyed.groupby("key").agg(signed=("signed", "min"), model=("model", "first"))
    dated = firsts[firsts["signed"].notna()]
    table = pd.crosstab(dated["signed"], dated["model"].astype(object))
    out = pd.DataFrame(index=table.index)
    for model in MODELS:
        out[model] = table[model].cumsum() if model in table else 0
    out["total"] = table.sum(axis=1).cumsum()
    out = out.rename_axis("signed").reset_index()
    out.attrs["undated"] = int(firsts["signed"].isna().sum())
    return out


def signings_since(signings: pd.DataFrame, day: str) -> pd.DataFrame:
    """The rows of :func:`cumulative_signings` on or after ``day`` (ISO); the running counts are kept."""
    return signings[signings["signed"] >= pd.Timestamp(day)]


def pending_history(agreements: pd.DataFrame, sheets: pd.DataFrame) -> pd.DataFrame:
    """Each pending application (state + agency_norm + model): first and last pending sheet listing
    it, whether the latest pending sheet still does, and whether the agency is listed as
    participating on or after its first pending date (any model; same model apart). An application the
    latest pending sheet lists that a participating sheet on or after it lists too (same model) is not
    ``still_pending``: ``signed_since`` holds the date it was first listed as participating
    (:mod:`mapcore.analysis.pending`)."""
    keyed = ensure_identity(agreements, sheets)
    pending = first_last_seen(keyed, sheets, "pending").rename(
        columns={
            "first_seen": "first_pending",
            "last_seen": "last_pending",
            "active": "still_pending",
            "publications": "pending_publications",
        }
    )
    pending = pending.merge(_placement(keyed, "pending"), on="key", how="left")
    pending["agency_id"] = pending["key"].str.rsplit(KEY_SEP, n=1).str[0]
    part = keyed[keyed["kind"] == "participating"][["agency_id", "key", "publication_date"]]
    since = part.groupby("agency_id")["publication_date"].min()
    pending["participating_since"] = _lookup(pending["agency_id"], since)
    later = pending[["key", "agency_id", "first_pending"]].merge(part, on="agency_id", suffixes=("", "_part"))
    later = later[later["publication_date"] >= later["first_pending"]]
    pending["later_participating"] = pending["key"].isin(set(later["key"]))
    same = later[later["key"] == later["key_part"]]
    pending["model_participating_since"] = _lookup(pending["key"], same.groupby("key")["publication_date"].min())
    # Listed in the newest pending sheet but as participating in a sheet on or after it: signed since, not pending.
    pending_sheets = sheets[sheets["kind"] == "pending"]
    newest = pd.Timestamp(pending_sheets["publication_date"].max()) if len(pending_sheets) else pd.NaT
    since = same[same["publication_date"] >= newest].groupby("key")["publication_date"].min()
    pending["signed_since"] = _lookup(pending["key"], since).where(pending["still_pending"].astype(bool))
    pending["still_pending"] = pending["still_pending"].astype(bool) & pending["signed_since"].isna()
    return pending.reindex(columns=["state", "agency", "model", "county_name", "county_fips", *PENDING_EXTRA, "key"])


def _lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``keys.map(values)`` keeping the values' dtype (pandas cannot map through an empty datetime
    Series)."""
    return pd.Series(values.reindex(keys.to_numpy()).to_numpy(), index=keys.index, dtype=values.dtype)


def _placement(keyed: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The latest county placement of each key of a kind."""
    rows = keyed[keyed["kind"] == kind].sort_values("publication_date")
    cols = [c for c in ("county_fips", "county_name") if c in rows]
    return rows.drop_duplicates("key", keep="last")[["key", *cols]]


# ------------------------------------------------------------------------------------------------
# Export-ready tables (mapcore.render.export keeps only its agreement columns; these add the history ones)

DIFF_EXTRA: tuple[str, ...] = ("change", "signed_before", "note", "switched", "returns_later", "back_in", "seen_before")
PENDING_EXTRA: tuple[str, ...] = (
    "first_pending",
    "last_pending",
    "pending_publications",
    "still_pending",
    "signed_since",
    "later_participating",
    "participating_since",
    "model_participating_since",
)


def export_table(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """:func:`mapcore.core.tables.export_frame` plus history columns, ready to write (dates kept as
    dates: the writer makes them text in a CSV and Excel dates in a workbook)."""
    out = export_frame(frame, dates_as_text=False)
    extras = download_frame(frame[[c for c in extra if c in frame]], dates_as_text=False)
    return pd.concat([out, extras], axis=1)


def diff_table(diff: Diff) -> pd.DataFrame:
    """Every added, removed and renewed row of a diff, export-ready, with its ``change`` (a renewal's ``note`` as
    its code: :func:`mapcore.words.history.diff_table` words it for the download)."""
    return export_table(diff.all_changes(), DIFF_EXTRA)
