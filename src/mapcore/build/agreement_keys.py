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
  two different dates (a typo fix keeps the date);
* the same numbers in both names (:func:`mapcore.core.agency_key.numbers`): "Constable District 1" and
  "Constable District 7" differ by one character and are two agencies.

Each new spelling joins at most one old one per step (best ratio first), and a chain of spellings
resolves to the one listed most recently (ICE's latest correction), which is the name in the key.

Before that, a **place-kind step** (:func:`place_kind_aliases`): ICE lists "City of St. Cloud Police
Department" beside (and later instead of) "St. Cloud Police Department". A leading "city of", "town of" or
"village of" is dropped from the identity when the rest is a name of the same state, and only when nothing
says they are two places: one kind of place only among the state's names ("Town of Elmira" and "Village of
Elmira" stay apart, and both apart from "Elmira"), not placed in different counties, not typed differently by
ICE, and the FBI roster does not list two police agencies of that place name in the state (New York's
"Southampton Town" and "Southampton Village": :func:`places_named_twice`), unless the name says "city of" and
the roster's one agency named without a kind is that city ("Elmira" and "Elmira Town": "City of Elmira" is
"Elmira", "Town of Elmira" is not).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from mapcore.core.agency_key import agency_identity, numbers, place_kind

FUZZY_RATIO = 0.93
# (state, place name) -> kinds of place of the FBI roster's city agencies of that name (places_named_twice)
PlacesNamedTwice = Mapping[tuple[str, str], tuple[str, ...]]
KEY_SEP = "|"
NO_DATE = int(np.iinfo("int64").min)  # NaT as a day number


def publication_order(frame: pd.DataFrame, sheets: pd.DataFrame | None = None) -> pd.Series:
    """Global order of each publication id (from ``sheets.sequence``, else by date then id)."""
    if sheets is not None and "sequence" in sheets:
        return pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    pubs = frame[["publication_date", "publication_id"]].astype({"publication_id": str}).drop_duplicates()
    pubs = pubs.sort_values(["publication_date", "publication_id"])
    return pd.Series(range(len(pubs)), index=pubs["publication_id"].to_numpy())


def fuzzy_aliases(
    frame: pd.DataFrame,
    sheets: pd.DataFrame | None = None,
    threshold: float = FUZZY_RATIO,
    places_named_twice: PlacesNamedTwice | None = None,
) -> dict[tuple[str, str, str], str]:
    """(state, model, agency_norm) -> the spelling it is the same agency as (the fuzzy step)."""
    parts = _base_parts(frame, places_named_twice)
    return _fuzzy_aliases(frame, parts, sheets, threshold)


def _fuzzy_aliases(
    frame: pd.DataFrame, parts: pd.DataFrame, sheets: pd.DataFrame | None, threshold: float
) -> dict[tuple[str, str, str], str]:
    parts = parts.copy()
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
    steps = [
        (kind, rank, state, model, norm, new)
        for kind, rank, state, model, norm in rows
        if rank < last[kind] and (kind, rank + 1, state, model, norm) not in present
        for new in new_names.get((kind, rank, state, model), [])
    ]
    return pd.DataFrame(steps, columns=["kind_", "rank", "state_", "model_", "norm_old", "norm_new"])


def _matched(steps: pd.DataFrame, parts: pd.DataFrame, threshold: float) -> list[tuple[tuple, tuple]]:
    """Close, compatible (old, new) spellings; each spelling matched at most once per step."""
    steps = steps.assign(ratio=[difflib.SequenceMatcher(None, a, b).ratio() for a, b in zip(steps["norm_old"], steps["norm_new"])])
    steps = steps[steps["ratio"] >= threshold].sort_values("ratio", ascending=False)
    pairs, used = [], set()
    for step in steps.itertuples(index=False):
        if numbers(step.norm_old) != numbers(step.norm_new):
            continue  # "district 1" / "district 7": never one agency
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
    rows = parts[
        (parts["kind_"] == kind)
        & (parts["rank"] == rank)
        & (parts["state_"] == name[0])
        & (parts["model_"] == name[1])
        & (parts["norm"] == name[2])
    ]
    return {c for c in rows["county_"] if c != "?"}, {s for s in rows["signed_"] if s != NO_DATE}


def agreement_key(
    frame: pd.DataFrame, sheets: pd.DataFrame | None = None, fuzzy: bool = True, places_named_twice: PlacesNamedTwice | None = None
) -> pd.Series:
    """ "STATE|agency_norm|MODEL" per row (missing state or model as "?"); see the module docstring."""
    return with_identity(frame, sheets, fuzzy, places_named_twice)["key"]


def with_identity(
    frame: pd.DataFrame, sheets: pd.DataFrame | None = None, fuzzy: bool = True, places_named_twice: PlacesNamedTwice | None = None
) -> pd.DataFrame:
    """A copy with ``agency_norm``, ``agency_id`` (state|agency_norm) and ``key`` columns added.
    ``places_named_twice``: the places the FBI roster lists two police agencies of (:func:`places_named_twice`),
    where a leading "town of" / "village of" is kept."""
    parts = _base_parts(frame, places_named_twice)
    norm = parts["norm"]
    if fuzzy and len(frame):
        aliases = _fuzzy_aliases(frame, parts, sheets, FUZZY_RATIO)
        if aliases:
            triples = pd.Series(list(zip(parts["state_"], parts["model_"], norm)), index=frame.index)
            norm = pd.Series([aliases.get(t, t[2]) for t in triples], index=frame.index)
    out = frame.copy()
    out["agency_norm"] = norm.to_numpy()
    out["agency_id"] = (parts["state_"] + KEY_SEP + norm).to_numpy()
    out["key"] = (out["agency_id"] + KEY_SEP + parts["model_"]).to_numpy()
    return out


def _base_parts(frame: pd.DataFrame, places_named_twice: PlacesNamedTwice | None = None) -> pd.DataFrame:
    """State, model, kind as plain text ('?' when missing) and the rule-normalised agency name (with the
    place-kind step applied)."""

    def text(column: str) -> pd.Series:
        if column not in frame:
            return pd.Series("?", index=frame.index, dtype=object)
        values = frame[column].astype(object)
        return values.where(values.notna(), "?").astype(str)

    agencies = frame["agency"].astype(object)
    names = {name: agency_identity(name) for name in agencies.dropna().unique()}
    parts = pd.DataFrame(
        {
            "state_": text("state"),
            "model_": text("model"),
            "kind_": text("kind"),
            "norm": agencies.map(names).fillna("").astype(str),
            "publication_id": frame["publication_id"].astype(str),
            "county_": text("county_fips"),
            "signed_": signed_days(frame),
            "type_": text("jurisdiction_type"),
        },
        index=frame.index,
    )
    aliases = place_kind_aliases(parts, places_named_twice)
    if aliases:
        pairs = pd.Series(list(zip(parts["state_"], parts["norm"])), index=frame.index)
        parts["norm"] = [aliases.get(p, p[1]) for p in pairs]
    return parts


def place_kind_aliases(parts: pd.DataFrame, places_named_twice: PlacesNamedTwice | None = None) -> dict[tuple[str, str], str]:
    """(state, "city of x ...") -> "x ..." where the leading kind of place is not part of the identity (the
    rules and guards in the module docstring). ``parts``: state_, norm, county_ and type_ per row."""
    names = parts[["state_", "norm", "county_", "type_"]].drop_duplicates()
    listed = set(zip(names["state_"], names["norm"]))
    kinds: dict[tuple[str, str], set[str]] = {}
    for state, norm in listed:
        kind, rest = place_kind(norm)
        if kind is not None and rest:
            kinds.setdefault((state, rest), set()).add(kind)
    facts: dict[tuple[str, str], tuple[set, set]] = {}
    for state, norm, county, jtype in names.itertuples(index=False):
        counties, types = facts.setdefault((state, norm), (set(), set()))
        if county != "?":
            counties.add(county)
        if jtype != "?":
            types.add(jtype)
    twice: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for (state, place), roster_kinds in (places_named_twice or {}).items():
        twice.setdefault(state, []).append((place, roster_kinds))
    aliases = {}
    for (state, rest), found in kinds.items():
        if len(found) != 1 or (state, rest) not in listed:
            continue  # no bare name to join, or "town of x" and "village of x" both listed: two places
        kind = next(iter(found))
        if any(
            not _bare_is(kind, roster_kinds)
            for place, roster_kinds in twice.get(state, ())
            if rest == place or rest.startswith(place + " ")
        ):
            continue
        prefixed = (state, f"{kind} of {rest}")
        if _compatible(facts[prefixed], facts[(state, rest)]):
            aliases[prefixed] = rest
    return aliases


def _bare_is(kind: str, roster_kinds: tuple[str, ...]) -> bool:
    """Whether ICE's bare name can only mean the ``kind`` of place, where the roster lists several places of
    the name: only a city, and only when one roster agency names it without a kind or as a city
    ("Elmira" and "Elmira Town", NY: "Elmira Police Department" is the city's, never the town's)."""
    return kind == "city" and sum(k in ("", "city") for k in roster_kinds) == 1


_ROSTER_KIND = re.compile(r" (city|town|village|township|borough)$")


def places_named_twice(roster: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    """(state, place name) -> the kinds of place ("" when the name gives none) of each city police agency
    the FBI roster lists under that place name, for the places it lists two or more of ("Southampton Town"
    and "Southampton Village", NY -> ("NY", "southampton"): ("town", "village")). There a town and a village
    of one name are two places, and a leading "town of" / "village of" stays part of the identity."""
    if roster is None or roster.empty:
        return {}
    city = roster[roster["type"].astype(str) == "City"]
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for state, name, ori in zip(city["state"].astype(str), city["name"].astype(str), city["ori"].astype(str)):
        lead, place = place_kind(agency_identity(name))
        trail = _ROSTER_KIND.search(place)
        place = place[: trail.start()] if trail else place
        if place:
            seen.setdefault((state, place), {})[ori] = lead or (trail.group(1) if trail else "")
    return {key: tuple(sorted(by_ori.values())) for key, by_ori in seen.items() if len(by_ori) > 1}


def signed_days(frame: pd.DataFrame) -> pd.Series:
    """SIGNED as a day number (:data:`NO_DATE` when missing): a cheap, exact join key."""
    if "signed" not in frame:
        return pd.Series(NO_DATE, index=frame.index, dtype="int64")
    days = pd.to_datetime(frame["signed"]).to_numpy().astype("datetime64[D]").astype("int64")
    return pd.Series(days, index=frame.index)


def _compatible(old: tuple[set, set], new: tuple[set, set]) -> bool:
    """Not placed in different counties and not signed on different dates, or typed differently (when
    both are known)."""
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
    """The frame as it is when it has keys already, else with :func:`with_identity`."""
    return frame if "key" in frame else with_identity(frame, sheets)
