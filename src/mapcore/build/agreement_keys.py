"""Agreement identity across ICE's publications, computed once per build and stored with the dataset.

ICE republishes the whole list every time, with corrections; to say what changed between two sheets
we first need to say when two rows are *the same agreement*.

An agreement's identity is its **key** ``(state, agency_norm, model)``. The SIGNED date is kept
apart: the same key with another signed date is the same agreement *renewed* (re-signed, or its
date corrected), never an add plus a remove.

``agency_norm`` is :func:`mapcore.core.agency_key.agency_identity` of the agency name (the rules are
there). Then a **conservative fuzzy step** (:func:`fuzzy_aliases`) catches typos ICE corrected between
sheets ("Sherrif's" -> "Sheriff's"). Two spellings are merged only when all hold:

* one spelling is in a publication and gone from the next publication of the same kind, while the
  other is new in that next publication (so names listed side by side are never merged);
* same state and same model;
* difflib ratio of the normalised names >= 0.93 (:data:`FUZZY_RATIO`);
* not placed in two different counties ("Lee County" vs "Lea County" stay apart) and not signed on
  two different dates (a typo fix keeps the date).

Each new spelling joins at most one old one per step (best ratio first), and a chain of spellings
resolves to the one listed most recently (ICE's latest correction), which is the name in the key.
"""

from __future__ import annotations

import difflib

import numpy as np
import pandas as pd

from mapcore.core.agency_key import agency_identity

FUZZY_RATIO = 0.93
KEY_SEP = "|"
NO_DATE = int(np.iinfo("int64").min)   # NaT as a day number


def publication_order(frame: pd.DataFrame, sheets: pd.DataFrame | None = None) -> pd.Series:
    """Global order of each publication id (from ``sheets.sequence``, else by date then id)."""
    if sheets is not None and "sequence" in sheets:
        return pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    pubs = frame[["publication_date", "publication_id"]].astype({"publication_id": str}).drop_duplicates()
    pubs = pubs.sort_values(["publication_date", "publication_id"])
    return pd.Series(range(len(pubs)), index=pubs["publication_id"].to_numpy())


def fuzzy_aliases(frame: pd.DataFrame, sheets: pd.DataFrame | None = None,
                  threshold: float = FUZZY_RATIO) -> dict[tuple[str, str, str], str]:
    """(state, model, agency_norm) -> the spelling it is the same agency as (the fuzzy step)."""
    parts = _base_parts(frame)
    parts["seq"] = parts["publication_id"].map(publication_order(frame, sheets)).to_numpy()
    ranks = parts[["kind_", "seq"]].drop_duplicates().sort_values("seq")
    ranks["rank"] = ranks.groupby("kind_").cumcount()
    parts = parts.merge(ranks, on=["kind_", "seq"], how="left")
    steps = _name_changes(parts[["kind_", "rank", "state_", "model_", "norm"]].drop_duplicates())
    parent: dict[tuple, tuple] = {}
    for old, new in _matched(steps, parts, threshold):
        _union(parent, old, new)
    last_seen = parts.groupby(["state_", "model_", "norm"])["seq"].max().to_dict()
    members: dict[tuple, list[tuple]] = {}
    for name in parent:
        members.setdefault(_find(parent, name), []).append(name)
    aliases = {}
    for group in members.values():
        canonical = max(group, key=lambda n: (last_seen.get(n, -1), n[2]))
        aliases.update({n: canonical[2] for n in group if n != canonical})
    return aliases


def _name_changes(presence: pd.DataFrame) -> pd.DataFrame:
    """Spellings gone after publication ``rank`` next to spellings new in ``rank + 1`` (same kind,
    state and model): the only pairs the fuzzy step looks at."""
    rows = list(zip(*(presence[c].tolist() for c in ("kind_", "rank", "state_", "model_", "norm"))))
    present = set(rows)
    last: dict[str, int] = {}
    for kind, rank, *_ in rows:
        last[kind] = max(rank, last.get(kind, rank))
    new_names: dict[tuple, list[str]] = {}
    for kind, rank, state, model, norm in rows:
        if rank > 0 and (kind, rank - 1, state, model, norm) not in present:
            new_names.setdefault((kind, rank - 1, state, model), []).append(norm)
    steps = [(kind, rank, state, model, norm, new)
             for kind, rank, state, model, norm in rows
             if rank < last[kind] and (kind, rank + 1, state, model, norm) not in present
             for new in new_names.get((kind, rank, state, model), [])]
    return pd.DataFrame(steps, columns=["kind_", "rank", "state_", "model_", "norm_old", "norm_new"])


def _matched(steps: pd.DataFrame, parts: pd.DataFrame, threshold: float) -> list[tuple[tuple, tuple]]:
    """Close, compatible (old, new) spellings; each spelling matched at most once per step."""
    steps = steps.assign(ratio=[difflib.SequenceMatcher(None, a, b).ratio()
                                for a, b in zip(steps["norm_old"], steps["norm_new"])])
    steps = steps[steps["ratio"] >= threshold].sort_values("ratio", ascending=False)
    pairs, used = [], set()
    for step in steps.itertuples(index=False):
        old = (step.state_, step.model_, step.norm_old)
        new = (step.state_, step.model_, step.norm_new)
        at = (step.kind_, step.rank)
        if (at, "old", old) in used or (at, "new", new) in used:
            continue
        if _compatible(_facts(parts, step.kind_, step.rank, old), _facts(parts, step.kind_, step.rank + 1, new)):
            pairs.append((old, new))
            used |= {(at, "old", old), (at, "new", new)}
    return pairs


def _facts(parts: pd.DataFrame, kind: str, rank: int, name: tuple) -> tuple[set, set]:
    """The counties a spelling is placed in and the dates it is signed on, in one publication."""
    rows = parts[(parts["kind_"] == kind) & (parts["rank"] == rank) & (parts["state_"] == name[0])
                 & (parts["model_"] == name[1]) & (parts["norm"] == name[2])]
    return {c for c in rows["county_"] if c != "?"}, {s for s in rows["signed_"] if s != NO_DATE}


def agreement_key(frame: pd.DataFrame, sheets: pd.DataFrame | None = None, fuzzy: bool = True) -> pd.Series:
    """"STATE|agency_norm|MODEL" per row (missing state or model as "?"); see the module docstring."""
    return with_identity(frame, sheets, fuzzy)["key"]


def with_identity(frame: pd.DataFrame, sheets: pd.DataFrame | None = None, fuzzy: bool = True) -> pd.DataFrame:
    """A copy with ``agency_norm``, ``agency_id`` (state|agency_norm) and ``key`` columns added."""
    parts = _base_parts(frame)
    norm = parts["norm"]
    if fuzzy and len(frame):
        aliases = fuzzy_aliases(frame, sheets)
        if aliases:
            triples = pd.Series(list(zip(parts["state_"], parts["model_"], norm)), index=frame.index)
            norm = pd.Series([aliases.get(t, t[2]) for t in triples], index=frame.index)
    out = frame.copy()
    out["agency_norm"] = norm.to_numpy()
    out["agency_id"] = (parts["state_"] + KEY_SEP + norm).to_numpy()
    out["key"] = (out["agency_id"] + KEY_SEP + parts["model_"]).to_numpy()
    return out


def _base_parts(frame: pd.DataFrame) -> pd.DataFrame:
    """State, model, kind as plain text ('?' when missing) and the rule-normalised agency name."""
    def text(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series("?", index=frame.index, dtype=object)
        values = frame[column].astype(object)
        return values.where(values.notna(), "?").astype(str)

    agencies = frame["agency"].astype(object)
    names = {name: agency_identity(name) for name in agencies.dropna().unique()}
    parts = pd.DataFrame({
        "state_": text("state"), "model_": text("model"), "kind_": text("kind"),
        "norm": agencies.map(names).fillna("").astype(str),
        "publication_id": frame["publication_id"].astype(str),
        "county_": text("county_fips"), "signed_": signed_days(frame),
    }, index=frame.index)
    return parts


def signed_days(frame: pd.DataFrame) -> pd.Series:
    """SIGNED as a day number (:data:`NO_DATE` when missing): a cheap, exact join key."""
    if "signed" not in frame:
        return pd.Series(NO_DATE, index=frame.index, dtype="int64")
    days = pd.to_datetime(frame["signed"]).to_numpy().astype("datetime64[D]").astype("int64")
    return pd.Series(days, index=frame.index)


def _compatible(old: tuple[set, set], new: tuple[set, set]) -> bool:
    """Not placed in different counties and not signed on different dates (when both are known)."""
    return all(not (a and b) or bool(a & b) for a, b in zip(old, new))


def _find(parent: dict, key: tuple) -> tuple:
    while parent.get(key, key) != key:
        key = parent[key]
    return key


def _union(parent: dict, a: tuple, b: tuple) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    parent.setdefault(ra, ra)
    if ra != rb:
        parent[rb] = ra


def ensure_identity(frame: pd.DataFrame, sheets: pd.DataFrame | None = None) -> pd.DataFrame:
    return frame if "key" in frame else with_identity(frame, sheets)
