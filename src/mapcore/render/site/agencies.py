"""Each agency ever listed, and the one address its page keeps in every edition.

An agency is what the build's identity says is one agency: rows sharing an ``agency_id`` (state and
normalised name, ICE's typo corrections merged: :mod:`mapcore.build.agreement_keys`). The build resolves a
chain of spellings to the *newest* one, so an ``agency_id`` can change when ICE corrects a name; an
address made from it would move. The address is therefore made from the identity of the agency's
*earliest* spelling (the first sheet listing it), which later sheets never change:

    agency/TX/harris-county-sheriffs-office-3f2a9c0d.html

(``3f2a9c0d``: the start of the sha256 of ``TX|harris county sheriffs office``). Spellings are tied
together through the build's ``agency_id``: a spelling merged into another (a renamed agency) joins
its group and keeps the group's address. The writer's manifest keeps every address ever given, so an
older sheet added later, or two agencies merged, never takes an address away (see :func:`assign_paths`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from mapcore.build.agreement_keys import KEY_SEP
from mapcore.core.agency_key import agency_identity

_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
SLUG_WORDS_MAX = 60  # characters of the name kept in a file name
HASH_CHARS = 8


@dataclass(frozen=True)
class Agency:
    """One agency: its address key (the earliest spelling's identity), the spellings' identities and the
    build's agency ids that belong to it."""

    key: str  # "TX|harris county sheriffs office": its address never changes
    state: str
    members: tuple[str, ...]  # every "STATE|identity of a spelling" ICE used for it
    agency_ids: tuple[str, ...]  # the build's agency_id values of its rows


def spelling_keys(frame: pd.DataFrame) -> pd.Series:
    """Per row: "STATE|identity of the name as printed" (before the build's typo merge)."""
    names = frame["agency"].astype(object)
    norms = names.map({n: agency_identity(n) for n in names.dropna().unique()}).fillna("")
    return frame["state"].astype(object).fillna("?").astype(str) + KEY_SEP + norms.astype(str)


def agencies(agreements: pd.DataFrame, sheets: pd.DataFrame) -> list[Agency]:
    """Every agency of every publication (both kinds), grouped as the module docstring says."""
    if agreements.empty:
        return []
    order = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    slim = pd.DataFrame(
        {
            "spelling": spelling_keys(agreements).to_numpy(),
            "agency_id": agreements["agency_id"].astype(object).astype(str).to_numpy(),
            "seq": agreements["publication_id"].astype(str).map(order).fillna(1 << 30).astype(int).to_numpy(),
        }
    )
    first = slim.groupby("spelling")["seq"].min()
    pairs = slim[["spelling", "agency_id"]].drop_duplicates()
    parent: dict[str, str] = {}
    for spelling, agency_id in zip(pairs["spelling"], pairs["agency_id"]):
        _union(parent, "s:" + spelling, "a:" + agency_id)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(_find(parent, node), []).append(node)
    out = []
    for nodes in groups.values():
        spellings = sorted(n[2:] for n in nodes if n.startswith("s:"))
        ids = tuple(sorted(n[2:] for n in nodes if n.startswith("a:")))
        key = min(spellings, key=lambda s: (int(first[s]), s))
        out.append(Agency(key=key, state=key.split(KEY_SEP, 1)[0], members=tuple(spellings), agency_ids=ids))
    return sorted(out, key=lambda a: a.key)


def _find(parent: dict[str, str], node: str) -> str:
    root = node
    while parent.get(root, root) != root:
        root = parent[root]
    while parent.get(node, node) != root:  # path compression
        parent[node], node = root, parent[node]
    return root


def _union(parent: dict[str, str], a: str, b: str) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def path_for(key: str) -> str:
    """The page's path inside an edition (language folder apart): ``agency/TX/<name>-<hash>.html``."""
    state, _, norm = key.partition(KEY_SEP)
    folder = re.sub(r"[^A-Z0-9]+", "", state.upper()) or "XX"
    slug = _SLUG_UNSAFE.sub("-", norm.lower()).strip("-")[:SLUG_WORDS_MAX].strip("-") or "agency"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"agency/{folder}/{slug}-{digest}.html"


def assign_paths(groups: list[Agency], given: Mapping[str, str] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """(agency key -> its page's path, retired path -> the path of the agency it now belongs to).

    ``given``: spelling key -> path, as earlier editions gave them (the manifest). An agency one of
    whose spellings already had an address keeps the oldest such address (sorted, so the choice is
    the same on every run); an address given to a spelling that now belongs to an agency with
    another address is *retired*: its page says where the agency is now. So is the address the agency
    would have without the manifest (an older sheet added later), which is the one the app links to."""
    given = dict(given or {})
    paths: dict[str, str] = {}
    retired: dict[str, str] = {}
    for agency in groups:
        earlier = sorted({given[m] for m in agency.members if m in given})
        derived = path_for(agency.key)
        path = earlier[0] if earlier else derived
        paths[agency.key] = path
        for old in {*earlier[1:], derived} - {path}:  # the derived address too: the app links to it (page_paths)
            retired[old] = path
    return paths, retired


def spelling_paths(groups: list[Agency], paths: Mapping[str, str]) -> dict[str, str]:
    """spelling key -> path: what the manifest keeps for the next edition."""
    return {member: paths[agency.key] for agency in groups for member in agency.members}


def page_paths(agreements: pd.DataFrame, sheets: pd.DataFrame) -> dict[str, str]:
    """spelling key -> agency page path, as an edition built from the same dataset gives them (the app links
    to the static edition with it; an edition whose manifest kept an older address still serves the old
    address, so a link never breaks)."""
    groups = agencies(agreements, sheets)
    paths, _retired = assign_paths(groups)
    return spelling_paths(groups, paths)


def spelling_key(state: str, name: str) -> str:
    """ "STATE|identity" of one spelling (the key of :func:`page_paths`)."""
    return f"{state}{KEY_SEP}{agency_identity(name)}"
