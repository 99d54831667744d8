"""Agency names made comparable and scored: the index of every agency ever listed, and ranked name matches.

People write "harris cnty sherifs dept", "Saint Lucie" for "St. Lucie", a curly apostrophe, "PD"
for "Police Department". An agency is the one identity the build stores (state + ``agency_norm``, see
:mod:`mapcore.core.agency_key`); matching runs on that name made looser still (:func:`normalise`: a few
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

from mapcore.analysis.agency_spanish import english_query
from mapcore.analysis.pending import split_pending
from mapcore.core.agency_key import agency_identity, numbers
from mapcore.core.schema import MODELS

# Words people abbreviate or spell another way, beyond the identity's own rules.
EXTRA_WORDS: dict[str, str] = {
    "sheriff": "sheriffs",
    "sherrif": "sheriffs",
    "sherriffs": "sheriffs",
    "so": "sheriffs office",
    "depart": "department",
    "departmen": "department",
    "ofc": "office",
    "corr": "corrections",
    "doc": "department of corrections",
    "hwy": "highway",
    "univ": "university",
    "pol": "police",
}
# Words that say what kind of agency it is rather than which one: they weigh less in a match.
GENERIC: frozenset[str] = frozenset(
    {
        "county",
        "department",
        "office",
        "sheriffs",
        "police",
        "city",
        "of",
        "the",
        "and",
        "town",
        "township",
        "village",
        "borough",
        "parish",
        "public",
        "safety",
        "jail",
        "detention",
        "corrections",
        "state",
    }
)
STOP: frozenset[str] = frozenset({"of", "the", "and"})
# Words that name the kind of agency: a near miss ("sherifs", "departmnet", "sherrif's") is read as
# the word, in queries and in ICE's names alike, so the sheriff rules and the weights apply.
CANONICAL: tuple[str, ...] = (
    "sheriffs",
    "county",
    "department",
    "office",
    "police",
    "corrections",
    "correctional",
    "detention",
    "township",
    "parish",
    "borough",
    "village",
    "highway",
    "patrol",
    "constable",
    "enforcement",
    "regional",
    "authority",
    "university",
    "district",
    "division",
    "public",
    "safety",
)
# Words that say what kind of agency it is, in any name: a query's other words (the place, the name) must
# be found in a name for it to match at all (see :func:`score`).
KIND_WORDS: frozenset[str] = (
    GENERIC
    | frozenset(CANONICAL)
    | frozenset(
        {  # i18n: data
            "attorneys",
            "attorney",
            "generals",
            "constables",
            "marshals",
            "bureau",
            "investigation",
            "task",
            "force",
            "board",
            "trustees",
            "college",
            "school",
            "schools",
            "facility",
            "center",
            "national",
            "guard",
            "airport",
            "port",
            "international",
            "criminal",
            "drug",
            "fire",
            "marshal",
        }
    )
)
_SHERIFF = re.compile(r"\bsheriffs? (office|department)\b")
MIN_SCORE = 55.0
# A query is cut to this before any matching (the longest name ICE lists has ~90 characters and 13
# words): matching costs words x names, and a URL or a paste can hold anything.
MAX_QUERY_CHARS = 150
MAX_QUERY_WORDS = 16
RESULT_COLUMNS: tuple[str, ...] = (
    "state",
    "agency",
    "score",
    "agency_norm",
    "county_name",
    "region_counties",
    "jurisdiction_type",
    "models",
    "active",
    "pending",
    "last_seen",
    "spellings",
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
    columns = [
        "state",
        "agency",
        "agency_norm",
        "match_name",
        "county_name",
        "region_counties",
        "jurisdiction_type",
        "models",
        "active",
        "pending",
        "last_seen",
        "spellings",
    ]
    if agreements.empty:
        return pd.DataFrame(columns=columns)
    slim = pd.DataFrame(
        {
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
        }
    )
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
    newest_pending = agreements[agreements["publication_id"] == latest["pending"]]
    still, _signed = split_pending(newest_pending, agreements, _sheets_of(agreements))  # signed since: not pending
    pending = set(zip(still["state"].astype("object").fillna("?").astype(str), stored_identity(still)))
    spellings = slim.groupby(key)["agency"].agg(lambda s: list(dict.fromkeys(s)))
    out = pd.DataFrame(
        {
            "agency": last["agency"],
            "county_name": placed.reindex(last.index),
            "region_counties": regions.reindex(last.index),
            "jurisdiction_type": last["jurisdiction_type"],
            "models": models.reindex(last.index).fillna(""),
            "last_seen": last["publication_date"],
        }
    )
    out["active"] = [k in active for k in out.index]
    out["pending"] = [k in pending for k in out.index]
    out["spellings"] = ["; ".join(s for s in spellings[k] if s != a) for k, a in zip(out.index, out["agency"])]
    out = out.reset_index()
    out["match_name"] = out["agency_norm"].map(normalise)
    return out[columns].sort_values(["state", "agency"]).reset_index(drop=True)


def stored_identity(agreements: pd.DataFrame) -> pd.Series:
    """Each row's agency identity: the ``agency_norm`` the build stored (typo merges included), or
    :func:`mapcore.core.agency_key.agency_identity` of the name for frames built without it."""
    if "agency_norm" in agreements:
        return agreements["agency_norm"].astype("object").fillna("").astype(str)
    names = agreements["agency"].astype("object")
    return names.map({n: agency_identity(n) for n in names.dropna().unique()}).fillna("").astype(str)


def _sheets_of(agreements: pd.DataFrame) -> pd.DataFrame:
    """The publications of an agreements table (kind and date), for the rules that need only those."""
    out = (
        agreements[["publication_id", "kind", "publication_date"]]
        .astype({"publication_id": object, "kind": object})
        .drop_duplicates("publication_id")
        .sort_values(["publication_date", "publication_id"])
    )
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
    """The query (bounded, :func:`bound_query`; a Spanish one in ICE's English words,
    :func:`mapcore.analysis.agency_spanish.english_query`) normalised, each word absent from ``vocab``
    replaced by its closest vocab word (ratio >= 0.75, words of 4+ letters), then the sheriff rules applied again."""
    text = normalise(english_query(bound_query(query)))
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
    """How well a prepared query matches a normalised name, 0-100 (see the module docstring). Generic
    words never decide a match on their own: when the query has a distinctive word (not in
    :data:`GENERIC`) and none of them is found in the name, the score stays below :data:`MIN_SCORE`."""
    q_words, c_words = query_norm.split(), candidate_norm.split()
    if not q_words or not c_words or not set(numbers(query_norm)) <= set(numbers(candidate_norm)):
        return 0.0
    best = [max(_word_score(q, c) for c in c_words) for q in q_words]
    distinctive = [(q, b) for q, b in zip(q_words, best) if q not in KIND_WORDS]
    if distinctive and not any(b > 0 or _inside(q, candidate_norm) for q, b in distinctive):
        return min(_score(q_words, c_words, best, query_norm, candidate_norm), MIN_SCORE - 1)
    return _score(q_words, c_words, best, query_norm, candidate_norm)


def _inside(word: str, candidate_norm: str) -> bool:
    """A query word found in the name written without spaces ("harriscounty"), or holding one of its
    distinctive words: typed run together, it still names the agency."""
    whole = compact(candidate_norm)
    return (len(word) >= 4 and word in whole) or any(len(c) >= 4 and c not in KIND_WORDS and c in word for c in candidate_norm.split())


def _score(q_words: list[str], c_words: list[str], best: list[float], query_norm: str, candidate_norm: str) -> float:
    weights = [_weight(q) for q in q_words]
    q_score = sum(b * w for b, w in zip(best, weights)) / sum(weights)
    covered = [max(_word_score(q, c) for q in q_words) for c in c_words]
    c_weights = [_weight(c) for c in c_words]
    c_score = sum(b * w for b, w in zip(covered, c_weights)) / sum(c_weights)
    words = 0.85 * q_score + 0.15 * c_score
    whole = difflib.SequenceMatcher(None, compact(query_norm), compact(candidate_norm)).ratio()
    return round(100 * max(words, whole), 1)


def search_agencies(
    agreements: pd.DataFrame,
    query: object,
    limit: int = 20,
    state: str | None = None,
    index: pd.DataFrame | None = None,
    min_score: float = MIN_SCORE,
) -> pd.DataFrame:
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


__all__ = ["normalise", "agency_index", "bound_query", "prepare_query", "score", "search_agencies", "position_of", "RESULT_COLUMNS"]


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
