"""Find an agency by a name typed the way people type it, and tell its whole 287(g) story.

People write "harris cnty sherifs dept", "Saint Lucie" for "St. Lucie", a curly apostrophe, "PD"
for "Police Department". An agency is the one identity the build stores (state + ``agency_norm``, see
:mod:`mapcore.core.identity`); matching runs on that name made looser still (:func:`normalise`: a few
more abbreviations, near-miss spellings of words like "sheriffs" read as the word), after correcting
each unknown query word to the closest word found in any agency name (so "sherifs" becomes
"sheriffs" and the sheriff rules then apply). Candidates are scored with :class:`difflib.SequenceMatcher`, word by word (each query
word against its best word in the name, generic words such as "county" weighing less) and on the
names with spaces removed; the better of the two is the score (0-100). A number in the query must be in
the name: "District 7" never finds "District 1" (names that differ in a number are other agencies).

ICE's spelling variants of one agency are one result, shown under the spelling of its most recent
listing; links carry ICE's spelling and :func:`position_of` finds the agency again by its identity.
"""

from __future__ import annotations

import difflib
import functools
import re

import pandas as pd

from mapcore.analysis.pending import SIGNED_SINCE, signed_since, split_pending
from mapcore.core.i18n import _
from mapcore.core.identity import agency_identity, numbers
from mapcore.core.schema import MODELS

# Words people abbreviate or spell another way, beyond the identity's own rules.
EXTRA_WORDS: dict[str, str] = {
    "sheriff": "sheriffs", "sherrif": "sheriffs", "sherriffs": "sheriffs", "so": "sheriffs office",
    "depart": "department", "departmen": "department", "ofc": "office", "corr": "corrections",
    "doc": "department of corrections", "hwy": "highway", "univ": "university", "pol": "police",
}
# Words that say what kind of agency it is rather than which one: they weigh less in a match.
GENERIC: frozenset[str] = frozenset({
    "county", "department", "office", "sheriffs", "police", "city", "of", "the", "and", "town", "township",
    "village", "borough", "parish", "public", "safety", "jail", "detention", "corrections", "state",
})
STOP: frozenset[str] = frozenset({"of", "the", "and"})
# Words that name the kind of agency: a near miss ("sherifs", "departmnet", "sherrif's") is read as
# the word, in queries and in ICE's names alike, so the sheriff rules and the weights apply.
CANONICAL: tuple[str, ...] = (
    "sheriffs", "county", "department", "office", "police", "corrections", "correctional", "detention",
    "township", "parish", "borough", "village", "highway", "patrol", "constable", "enforcement",
    "regional", "authority", "university", "district", "division", "public", "safety",
)
_SHERIFF = re.compile(r"\bsheriffs? (office|department)\b")
MIN_SCORE = 55.0
# A query is cut to this before any matching (the longest name ICE lists has ~90 characters and 13
# words): matching costs words x names, and a URL or a paste can hold anything.
MAX_QUERY_CHARS = 150
MAX_QUERY_WORDS = 16
RESULT_COLUMNS: tuple[str, ...] = (
    "state", "agency", "score", "agency_norm", "county_name", "region_counties", "jurisdiction_type", "models", "active",
    "pending", "last_seen", "spellings",
)


@functools.lru_cache(maxsize=65536)
def normalise(name: str | None) -> str:
    """An agency name for matching: the identity's rules plus :data:`EXTRA_WORDS` and near-miss words."""
    base = agency_identity(name)
    if not base:
        return ""
    words = " ".join(EXTRA_WORDS.get(w, w) for w in base.split())
    words = " ".join(_canonical_word(w) for w in words.split())
    return _SHERIFF.sub("sheriffs office", words)


@functools.lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    if word in CANONICAL or len(word) < 6:
        return word
    close = difflib.get_close_matches(word, CANONICAL, n=1, cutoff=0.85)
    return close[0] if close else word


def compact(text: str) -> str:
    return text.replace(" ", "")


# ------------------------------------------------------------------------------------------------
# The index of agencies


def agency_index(agreements: pd.DataFrame) -> pd.DataFrame:
    """One row per agency (state + its stored identity ``agency_norm``) ever listed, with what a result
    line shows.

    Columns: state, agency (latest spelling), agency_norm (the identity), match_name (the looser name
    queries are scored against), county_name, region_counties (a regional body's), jurisdiction_type, models
    (ever participating), active (in the newest participating publication), pending (in the newest
    pending publication), last_seen (date), spellings (other spellings, '; '-joined).
    """
    columns = ["state", "agency", "agency_norm", "match_name", "county_name", "region_counties", "jurisdiction_type", "models",
               "active", "pending", "last_seen", "spellings"]
    if agreements.empty:
        return pd.DataFrame(columns=columns)
    slim = pd.DataFrame({
        "state": agreements["state"].astype("object").fillna("?").astype(str).to_numpy(),
        "agency": agreements["agency"].astype("object").to_numpy(),
        "kind": agreements["kind"].astype("object").to_numpy(),
        "model": agreements["model"].astype("object").to_numpy(),
        "publication_id": agreements["publication_id"].astype("object").astype(str).to_numpy(),
        "publication_date": pd.to_datetime(agreements["publication_date"]).to_numpy(),
        "county_name": agreements["county_name"].astype("object").to_numpy() if "county_name" in agreements else None,
        "region_counties": agreements["region_counties"].astype("object").to_numpy() if "region_counties" in agreements else None,
        "jurisdiction_type": agreements["jurisdiction_type"].astype("object").to_numpy(),
        "agency_norm": stored_identity(agreements).to_numpy(),
    })
    slim = slim[slim["agency"].notna() & (slim["agency_norm"] != "")]
    latest = {k: _newest_id(slim[slim["kind"] == k]) for k in ("participating", "pending")}
    slim = slim.sort_values("publication_date", kind="stable")
    key = ["state", "agency_norm"]
    last = slim.drop_duplicates(key, keep="last").set_index(key)
    placed = slim[slim["county_name"].notna()].drop_duplicates(key, keep="last").set_index(key)["county_name"]
    regions = slim[slim["region_counties"].notna()].drop_duplicates(key, keep="last").set_index(key)["region_counties"]
    part = slim[slim["kind"] == "participating"]
    models = part.dropna(subset=["model"]).groupby(key)["model"].agg(lambda s: ", ".join(m for m in MODELS if m in set(s)))
    active = set(map(tuple, part.loc[part["publication_id"] == latest["participating"], key].to_numpy()))
    newest_pending = agreements[agreements["publication_id"].astype("object").astype(str) == str(latest["pending"])]
    still, _signed = split_pending(newest_pending, agreements, _sheets_of(agreements))   # signed since: not pending
    pending = set(zip(still["state"].astype("object").fillna("?").astype(str), stored_identity(still)))
    spellings = slim.groupby(key)["agency"].agg(lambda s: list(dict.fromkeys(s)))
    out = pd.DataFrame({
        "agency": last["agency"],
        "county_name": placed.reindex(last.index),
        "region_counties": regions.reindex(last.index),
        "jurisdiction_type": last["jurisdiction_type"],
        "models": models.reindex(last.index).fillna(""),
        "last_seen": last["publication_date"],
    })
    out["active"] = [k in active for k in out.index]
    out["pending"] = [k in pending for k in out.index]
    out["spellings"] = ["; ".join(s for s in spellings[k] if s != a) for k, a in zip(out.index, out["agency"])]
    out = out.reset_index()
    out["match_name"] = out["agency_norm"].map(normalise)
    return out[columns].sort_values(["state", "agency"]).reset_index(drop=True)


def stored_identity(agreements: pd.DataFrame) -> pd.Series:
    """Each row's agency identity: the ``agency_norm`` the build stored (typo merges included), or
    :func:`mapcore.core.identity.agency_identity` of the name for frames built without it."""
    if "agency_norm" in agreements:
        return agreements["agency_norm"].astype("object").fillna("").astype(str)
    names = agreements["agency"].astype("object")
    return names.map({n: agency_identity(n) for n in names.dropna().unique()}).fillna("").astype(str)


def _sheets_of(agreements: pd.DataFrame) -> pd.DataFrame:
    """The publications of an agreements table (kind and date), for the rules that need only those."""
    out = (agreements[["publication_id", "kind", "publication_date"]].astype({"publication_id": object, "kind": object})
           .drop_duplicates("publication_id").sort_values(["publication_date", "publication_id"]))
    return out.assign(sequence=range(len(out)))


def _newest_id(rows: pd.DataFrame) -> str | None:
    if rows.empty:
        return None
    newest = rows[rows["publication_date"] == rows["publication_date"].max()]
    return str(newest["publication_id"].iloc[-1])


def vocabulary(index: pd.DataFrame) -> frozenset[str]:
    """Every word of every agency's match name (for correcting the query's misspellings)."""
    return frozenset(w for name in index["match_name"] for w in str(name).split())


# ------------------------------------------------------------------------------------------------
# Matching


def bound_query(query: object) -> str:
    """The query cut to :data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_WORDS` words."""
    text = query[:MAX_QUERY_CHARS] if isinstance(query, str) else ""
    return " ".join(text.split()[:MAX_QUERY_WORDS]) if len(text.split()) > MAX_QUERY_WORDS else text


def prepare_query(query: object, vocab: frozenset[str] | set[str] = frozenset()) -> str:
    """The query (bounded, :func:`bound_query`) normalised, each word absent from ``vocab`` replaced by
    its closest vocab word (ratio >= 0.75, words of 4+ letters), then the sheriff rules applied again."""
    text = normalise(bound_query(query))
    if not text or not vocab:
        return text
    words = []
    ordered = sorted(vocab)
    for word in text.split()[:MAX_QUERY_WORDS]:
        if word not in vocab and len(word) >= 4 and not word.isdigit():
            close = difflib.get_close_matches(word, ordered, n=1, cutoff=0.75)
            word = close[0] if close else word
        words.append(word)
    return normalise(" ".join(words))


@functools.lru_cache(maxsize=262144)
def _word_score(q: str, c: str) -> float:
    if q == c:
        return 1.0
    if len(q) >= 3 and c.startswith(q):
        return 0.85
    ratio = difflib.SequenceMatcher(None, q, c).ratio()
    return ratio if ratio >= 0.7 else 0.0


def _weight(word: str) -> float:
    return 0.2 if word in STOP else 0.5 if word in GENERIC else 1.0


def score(query_norm: str, candidate_norm: str) -> float:
    """How well a prepared query matches a normalised name, 0-100 (see the module docstring)."""
    q_words, c_words = query_norm.split(), candidate_norm.split()
    if not q_words or not c_words or not set(numbers(query_norm)) <= set(numbers(candidate_norm)):
        return 0.0
    best = [max(_word_score(q, c) for c in c_words) for q in q_words]
    weights = [_weight(q) for q in q_words]
    q_score = sum(b * w for b, w in zip(best, weights)) / sum(weights)
    covered = [max(_word_score(q, c) for q in q_words) for c in c_words]
    c_weights = [_weight(c) for c in c_words]
    c_score = sum(b * w for b, w in zip(covered, c_weights)) / sum(c_weights)
    words = 0.85 * q_score + 0.15 * c_score
    whole = difflib.SequenceMatcher(None, compact(query_norm), compact(candidate_norm)).ratio()
    return round(100 * max(words, whole), 1)


def search_agencies(agreements: pd.DataFrame, query: object, limit: int = 20, state: str | None = None,
                    index: pd.DataFrame | None = None, min_score: float = MIN_SCORE) -> pd.DataFrame:
    """Agencies ranked by how well their name matches ``query`` (best first, ties: active first,
    then by name); at most ``limit``; only scores >= ``min_score``. Pass a prebuilt
    :func:`agency_index` as ``index`` to skip building it. Columns: :data:`RESULT_COLUMNS`."""
    query = bound_query(query)
    index = agency_index(agreements) if index is None else index
    empty = pd.DataFrame(columns=list(RESULT_COLUMNS))
    if limit <= 0 or index.empty:
        return empty
    if state:
        index = index[index["state"] == state]
    prepared = prepare_query(query, vocabulary(index))
    if not prepared.strip():
        return empty
    scores = [score(prepared, str(name)) for name in index["match_name"]]
    out = index.assign(score=scores)
    out = out[out["score"] >= min_score]
    out = out.sort_values(["score", "active", "state", "agency"], ascending=[False, False, True, True], kind="stable")
    return out.head(limit)[list(RESULT_COLUMNS)].reset_index(drop=True)


def candidate_label(row: pd.Series | dict) -> str:
    """'Harris County Sheriff's Office (TX) · active' for a select box (scores are ours, not the user's)."""
    status = _("active") if row["active"] else (_("pending") if row.get("pending") else _("not in the newest sheet"))
    return f"{row['agency']} ({row['state']}) · {status}"


# ------------------------------------------------------------------------------------------------
# One agency's history


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
    "kind", "model", "signed", "moa_url", "addendum_url", "first_seen", "last_seen", "publications", "active",
    "signed_since", "agency", "county_name", "jurisdiction_type",
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
    rows = agency_rows(agreements, state, agency)
    if rows.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    newest = {str(k): str(g.sort_values("sequence")["publication_id"].iloc[-1]) for k, g in sheets.groupby("kind")}
    seq = pd.Series(sheets["sequence"].to_numpy(), index=sheets["publication_id"].astype(str))
    work = pd.DataFrame({
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
    })
    work["seq"] = work["publication_id"].map(seq).fillna(-1).to_numpy()
    work["signed_key"] = work["signed"].dt.strftime("%Y-%m-%d").fillna("")
    work = work.sort_values("seq", kind="stable")
    key = ["kind", "model", "signed_key"]
    groups = work.groupby(key, sort=False)
    last = groups.tail(1).set_index(key)
    out = pd.DataFrame({
        "first_seen": groups["publication_date"].min(),
        "last_seen": groups["publication_date"].max(),
        "publications": groups["publication_id"].nunique(),
        "ids": groups["publication_id"].agg(set),
    })
    out = out.join(last[["signed", "moa_url", "addendum_url", "agency", "county_name", "jurisdiction_type"]])
    out = out.reset_index()
    out["active"] = [newest.get(k) in ids for k, ids in zip(out["kind"], out["ids"])]
    # An application the newest pending sheet lists, since listed as participating: signed, not still pending.
    listed = rows[rows["publication_id"].astype("object").astype(str) == newest.get("pending")]
    since = signed_since(listed, agreements, sheets)
    by_model = dict(zip(listed["model"].astype("object").fillna("?"), since))
    out[SIGNED_SINCE] = pd.to_datetime([by_model.get(m) if k == "pending" and a else None
                                        for k, m, a in zip(out["kind"], out["model"], out["active"])])
    out["active"] = out["active"] & out[SIGNED_SINCE].isna()
    out["model"] = out["model"].replace("?", None)
    out["_kind_order"] = out["kind"].map({"participating": 0, "pending": 1}).fillna(2)
    out = out.sort_values(["_kind_order", "signed", "first_seen"], ascending=[True, False, False], na_position="last")
    return out[list(HISTORY_COLUMNS)].reset_index(drop=True)


def agency_place(agreements: pd.DataFrame, state: str, agency: str) -> dict[str, object]:
    """The agency's latest name, type, county and level (from its latest listing)."""
    rows = agency_rows(agreements, state, agency)
    if rows.empty:
        return {"agency": agency, "state": state, "county_name": None, "jurisdiction_type": None, "level": None}
    latest = rows.sort_values("publication_date", kind="stable").iloc[-1]
    placed = rows[rows["county_name"].notna()].sort_values("publication_date", kind="stable")
    county = placed["county_name"].iloc[-1] if len(placed) else None

    def value(v):
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    return {"agency": value(latest["agency"]), "state": state, "county_name": value(county),
            "jurisdiction_type": value(latest["jurisdiction_type"]), "level": value(latest["level"])}


__all__ = ["normalise", "agency_index", "bound_query", "prepare_query", "score", "search_agencies", "candidate_label",
           "agency_rows", "agency_history", "agency_place", "HISTORY_COLUMNS", "RESULT_COLUMNS"]


def position_of(results: pd.DataFrame, state: str, agency: str) -> int | None:
    """Row of ``agency`` in ``state`` among ranked results, else None (no such agency in that state:
    the page shows the best match and says so). Compared by the one identity (any of the result's
    spellings counts), so a link to an agency picks that agency, never another one of the same name
    in another state."""
    wanted = agency_identity(agency)
    for position, row in enumerate(results.to_dict("records")):
        if row.get("state") != state:
            continue
        spellings = [row.get("agency"), *str(row.get("spellings") or "").split("; ")]
        if row.get("agency_norm") == wanted or wanted in {agency_identity(s) for s in spellings if isinstance(s, str)}:
            return position
    return None
