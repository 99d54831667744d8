"""Linking each agency of each agreement to its FBI agency record (ORI), at build time.

The FBI's roster of law-enforcement agencies (read and indexed by :mod:`mapcore.reference.fbi_roster`)
names each agency by its ORI, the key that joins our table to crime, staffing or
detainer data. ICE names agencies in its own words ("Lee County Sheriff's Office"), the roster in
the FBI's ("Lee", type County). Each distinct (state, agency, type, county, level) of the dataset is
matched to **at most one** roster agency of its state; the method and a confidence are recorded,
and an agency that fits none, or several, gets no ORI and the reason. Rules, in order:

``fixed``           a row of the reviewed table ``data/ori_fixes.csv`` (an empty ORI there means
                    "reviewed: no roster agency", with the reason).
``county_sheriff``  ICE names a sheriff (also misspelt: "Sherif", "Sherrif") and the roster has exactly
                    one sheriff's office in the county the agreement is placed in. A roster agency is a
                    sheriff's office when it is named "... Sheriff ...", or when it is County-type, not a
                    police or jail agency, and named after its county ("Lee", "St. Tammany", "Matanuska-
                    Susitna Borough"); a County-type entry of a consolidated city-county that names the
                    county among other words ("Augusta-Richmond", "Hartsville/Trousdale") counts too, with
                    medium confidence.
``exact``           the same name under the one agency identity (:func:`mapcore.core.agency_key.agency_identity`).
``normalised``      the same name once both sides are reduced by :func:`name_keys` (the state's name, role
                    words such as "Police Department" or "Marshal's Office", the FBI's trailing colons and
                    ", X County" qualifiers dropped; "Town of X" read as "X Town"). A match made only by
                    dropping the kind of place (town, village, township, borough, city) has medium
                    confidence, and a kind on both sides must agree ("Manheim Borough" is not "Manheim
                    Township"). A state agency may match the department it is a division of ("Texas
                    Department of Public Safety - Texas Highway Patrol" -> "Department of Public Safety"),
                    with medium confidence.
``fuzzy``           a one- or two-letter misspelling ("Pittsburgh" for Pittsburg, NH): only within the
                    agreement's county, only when exactly one roster name of the county is that close, and
                    never between names that differ in a number ("Highway 59" is not "Highway 69").

A candidate must be of a compatible roster type (a police department is never matched to a state
agency; a sheriff only by the sheriff rule) and, when both sides have a county, lie in the
agreement's county (the roster may list several for a city in two counties). Of two roster agencies
of one name, the one in the agreement's county wins; when the county cannot decide, the agency is
``ambiguous`` and listed with the candidates' ORIs. A statewide agreement whose name the roster
lists once per field office ("Highway Patrol:" in every county) goes to the agency-level record
when the roster has exactly one (a name with no colon and no ", place" qualifier), else it is
ambiguous. ``unmatched`` says what was looked for.

Confidence is ``high`` when name (or the sheriff rule), type and county all agree, ``medium`` when the
county could not be checked or the rule is looser (bare name, division, consolidated sheriff,
agency-level record, fuzzy).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mapcore.core.agency_key import agency_identity, numbers
from mapcore.core.frames import distinct_keys, require_columns
from mapcore.core.schema import ORI_COLUMNS
from mapcore.reference.fbi_roster import (
    JAIL_WORDS,
    POLICE_WORDS,
    STATE_TYPES,
    NameKey,
    OriContext,
    Roster,
    RosterAgency,
    is_sheriff_name,
    name_keys,
)

METHOD_FIXED = "fixed"
METHOD_COUNTY_SHERIFF = "county_sheriff"
METHOD_EXACT = "exact"
METHOD_NORMALISED = "normalised"
METHOD_FUZZY = "fuzzy"
METHOD_AMBIGUOUS = "ambiguous"
METHOD_UNMATCHED = "unmatched"
MATCHED_METHODS: tuple[str, ...] = (METHOD_FIXED, METHOD_COUNTY_SHERIFF, METHOD_EXACT, METHOD_NORMALISED, METHOD_FUZZY)
METHODS: tuple[str, ...] = MATCHED_METHODS + (METHOD_AMBIGUOUS, METHOD_UNMATCHED)
HIGH, MEDIUM = "high", "medium"

_PRECINCT = re.compile(r"\b(precinct|pct|district|ward)( no)? ?\d+\b|\b\d+(st|nd|rd|th) ward\b")
FUZZY_RATIO = 0.9


@dataclass(frozen=True)
class Match:
    """The outcome for one agency: an ORI (or None), how it was found, how sure, a note (the reason
    and the candidates when there is no ORI; a caveat of a looser match) and the roster's name."""

    ori: str | None
    method: str
    confidence: str | None
    note: str | None
    name: str | None = None


# --------------------------------------------------------------------------------------------------
# Matching one agency

_POLICE_TYPES = frozenset({"City", "County", "Other", "University or College", "Tribal"})
_STATE_MATCH_TYPES = frozenset({"State Police", "Other State Agency", "University or College", "Other"})
_LOCAL_TYPES = frozenset({"City", "County", "Other", "University or College", "Tribal", "Other State Agency", "State Police"})


def match_agency(
    state: str | None, agency: str | None, jurisdiction_type: str | None, county_fips: str | None, level: str | None, ctx: OriContext
) -> Match:
    """Match one agency of an agreement to at most one roster agency (rules in the module docstring)."""
    if not state or not agency:
        return Match(None, METHOD_UNMATCHED, None, "no state or no agency name")
    roster = ctx.roster
    fix = ctx.fixes.get((state, agency_identity(agency)))
    if fix is not None:
        if fix.ori is None:
            return Match(None, METHOD_UNMATCHED, None, f"reviewed: {fix.note}")
        found = roster.agencies[fix.ori]
        return Match(found.ori, METHOD_FIXED, HIGH, f"reviewed: {fix.note}" if fix.note else None, found.name)
    if state not in roster.identity:
        return Match(None, METHOD_UNMATCHED, None, f"the FBI roster has no agency in {state}")
    statewide = jurisdiction_type == "State" or level == "statewide"
    if is_sheriff_name(agency) and not statewide:
        return _match_sheriff(state, agency, county_fips, roster)
    identity = agency_identity(agency)
    allowed = _STATE_MATCH_TYPES if statewide else _POLICE_TYPES if POLICE_WORDS.search(identity) else _LOCAL_TYPES
    key = name_keys(agency, roster.state_names.get(state, ""))
    steps = (
        (METHOD_EXACT, roster.identity[state].get(identity, []), HIGH),
        (METHOD_NORMALISED, roster.full[state].get(key.full, []), HIGH),
        (
            METHOD_NORMALISED,
            roster.full[state].get(key.bare, [])
            + [o for o in roster.bare[state].get(key.bare, []) if _kinds_agree(key.kind, roster.agencies[o].key.kind)],
            MEDIUM,
        ),
    )
    for method, oris, confidence in steps:
        candidates = _candidates(roster, oris, allowed)
        if candidates:
            return _decide(candidates, county_fips, method, confidence, statewide)
    if _PRECINCT.search(key.full):
        return _precinct(state, key, county_fips, roster)
    if statewide and (division := _division(state, key, roster, allowed)) is not None:
        return division
    if county_fips and not statewide and (fuzzy := _fuzzy(key, county_fips, roster, allowed)) is not None:
        return fuzzy
    if jurisdiction_type == "County" and JAIL_WORDS.search(identity) and not POLICE_WORDS.search(identity):
        return Match(None, METHOD_UNMATCHED, None, "a jail or corrections agency: the roster lists none of that name")
    return Match(None, METHOD_UNMATCHED, None, f"no roster agency of {state} named like '{key.full or identity}'")


def _kinds_agree(a: str, b: str) -> bool:
    return not a or not b or a == b


def _candidates(roster: Roster, oris: list[str], allowed: frozenset[str]) -> list[RosterAgency]:
    """Distinct roster agencies of an allowed type that are not sheriff's offices (those only by the sheriff rule)."""
    found = (roster.agencies[o] for o in dict.fromkeys(oris))
    return [a for a in found if a.type in allowed and not a.sheriff]


def _decide(candidates: list[RosterAgency], county_fips: str | None, method: str, confidence: str, statewide: bool) -> Match:
    """One candidate after the county check, or the reason there is not exactly one."""
    if county_fips and not statewide:
        here = [c for c in candidates if county_fips in c.county_fips]
        if len(here) == 1:
            return _hit(here[0], method, confidence)
        if len(here) > 1:
            return _ambiguous(here, f"{len(here)} roster agencies of this name in the agreement's county")
        unknown = [c for c in candidates if not c.county_fips]
        if len(unknown) == 1 and len(candidates) == 1:
            return _hit(unknown[0], method, MEDIUM, "the roster gives no county to check")
        if unknown:
            return _ambiguous(unknown, "roster agencies of this name without a county")
        elsewhere = ", ".join(sorted(f"{c.ori} ({c.county.title()})" for c in candidates)[:6])
        return Match(None, METHOD_UNMATCHED, None, f"the roster's agency of this name lies in another county: {elsewhere}")
    if len(candidates) == 1:
        return _hit(candidates[0], method, confidence if method == METHOD_EXACT else MEDIUM, None if statewide else "no county to check")
    main = [c for c in candidates if not c.key.office]
    if statewide and len(main) == 1:
        return _hit(main[0], method, MEDIUM, f"the agency-level record among {len(candidates)} roster entries of this name")
    why = "the roster lists this agency once per field office" if statewide else "no county to choose by"
    return _ambiguous(candidates, f"{len(candidates)} roster agencies of this name; {why}")


def _hit(found: RosterAgency, method: str, confidence: str, note: str | None = None) -> Match:
    """A match; one to a roster entry qualified by a unit ("Department of Corrections, Office of the
    Inspector General") is medium and says so."""
    qualifier = found.name.partition(",")[2].strip(" :,")
    if qualifier and not re.search(r"\b(county|parish)$", qualifier, re.IGNORECASE):
        confidence = MEDIUM
        note = "; ".join(filter(None, [note, f"the roster's entry is a unit or office: '{found.name.strip(' :,')}'"]))
    return Match(found.ori, method, confidence, note, found.name)


def _ambiguous(candidates: list[RosterAgency], why: str) -> Match:
    oris = sorted(c.ori for c in candidates)
    more = f" and {len(oris) - 6} more" if len(oris) > 6 else ""
    return Match(None, METHOD_AMBIGUOUS, None, f"{why}: {', '.join(oris[:6])}{more}")


def _match_sheriff(state: str, agency: str, county_fips: str | None, roster: Roster) -> Match:
    """A sheriff: the one sheriff's office of the roster in the agreement's county."""
    if not county_fips:
        return Match(None, METHOD_UNMATCHED, None, "a sheriff not placed in a county")
    here = [roster.agencies[o] for o in dict.fromkeys(roster.sheriffs.get(county_fips, []))]
    here = [a for a in here if a.state == state]
    if not here:
        return Match(None, METHOD_UNMATCHED, None, "the roster lists no sheriff's office in the agreement's county")
    identity = agency_identity(agency)
    same = [c for c in here if agency_identity(c.name) == identity]
    if len(same) == 1:
        return Match(same[0].ori, METHOD_EXACT, HIGH, None, same[0].name)
    named = [c for c in here if c.sheriff == "named"]
    if len(named) == 1:
        return Match(named[0].ori, METHOD_COUNTY_SHERIFF, HIGH, None, named[0].name)
    if not named and len(here) == 1:
        return Match(
            here[0].ori,
            METHOD_COUNTY_SHERIFF,
            MEDIUM,
            "a consolidated city-county's agency that the roster names after the county",
            here[0].name,
        )
    return _ambiguous(here, f"{len(here)} sheriff's offices in the agreement's county")


def _precinct(state: str, key: NameKey, county_fips: str | None, roster: Roster) -> Match:
    """A constable's precinct or a ward: the roster does not number them, so no single ORI."""
    stem = _PRECINCT.sub("", key.full).strip()
    stem = agency_identity(stem)  # "... constable" -> "... constables office", as the roster's
    same = [roster.agencies[o] for o in roster.full[state].get(stem, [])]
    if county_fips:
        same = [a for a in same if county_fips in a.county_fips] or same
    if same:
        entries = "1 roster entry" if len(same) == 1 else f"{len(same)} roster entries"
        return _ambiguous(same, f"{entries} named '{same[0].name.rstrip(': ')}', without a precinct number to tell which")
    if not stem:
        return Match(None, METHOD_UNMATCHED, None, "a numbered ward or precinct with no place name")
    return Match(None, METHOD_UNMATCHED, None, f"a numbered precinct or ward; no roster agency named like '{stem}'")


def _division(state: str, key: NameKey, roster: Roster, allowed: frozenset[str]) -> Match | None:
    """A state agency named as a division of a roster department ("Department of Public Safety - Texas
    Highway Patrol"): the longest roster name of two words or more that starts ICE's name, when unique."""
    words = key.full.split()
    for n in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:n])
        candidates = [a for a in _candidates(roster, roster.full[state].get(prefix, []), allowed) if a.type in STATE_TYPES]
        if len(candidates) == 1 and words[n] not in ("and", "of"):
            return Match(
                candidates[0].ori,
                METHOD_NORMALISED,
                MEDIUM,
                f"a division of the roster's '{candidates[0].name.rstrip(': ')}'",
                candidates[0].name,
            )
        if candidates:
            return None
    return None


def _fuzzy(key: NameKey, county_fips: str, roster: Roster, allowed: frozenset[str]) -> Match | None:
    """A misspelt name: exactly one roster agency of the county within :data:`FUZZY_RATIO` (names of 6+ letters)."""
    if len(key.bare) < 6:
        return None
    pool = [
        a
        for a in _candidates(roster, roster.by_county.get(county_fips, []), allowed)
        if len(a.key.bare) >= 6 and _kinds_agree(key.kind, a.key.kind) and numbers(a.key.bare) == numbers(key.bare)
    ]
    close = []
    for agency in pool:
        matcher = difflib.SequenceMatcher(None, key.bare, agency.key.bare)
        if matcher.real_quick_ratio() >= FUZZY_RATIO and matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO:
            close.append(agency.ori)
    if len(close) == 1:
        found = roster.agencies[close[0]]
        return Match(found.ori, METHOD_FUZZY, MEDIUM, f"spelt '{found.name}' in the roster", found.name)
    return None


# --------------------------------------------------------------------------------------------------
# Whole frames

KEY_COLUMNS: tuple[str, ...] = ("state", "agency", "jurisdiction_type", "county_fips", "level")


def link_ori(frame: pd.DataFrame, ctx: OriContext) -> pd.DataFrame:
    """A copy with the ORI_COLUMNS added (categoricals): one match per distinct (state, agency, type, county,
    level), the same rows out."""
    require_columns(frame, KEY_COLUMNS, "link_ori")
    out = frame.copy()
    if out.empty:
        for column in ORI_COLUMNS:
            out[column] = pd.Categorical([])
        return out
    codes, firsts = distinct_keys(frame, list(KEY_COLUMNS))
    results = [
        match_agency(row["state"], row["agency"], row["jurisdiction_type"], row["county_fips"], row["level"], ctx)
        for row in firsts.to_dict("records")
    ]
    fields = {"ori": "ori", "ori_method": "method", "ori_confidence": "confidence", "ori_name": "name", "ori_note": "note"}
    for column in ORI_COLUMNS:
        per_key = [getattr(r, fields[column]) for r in results]
        categories = sorted({v for v in per_key if v is not None})
        index = {v: i for i, v in enumerate(categories)}
        key_codes = np.array([index.get(v, -1) if v is not None else -1 for v in per_key], dtype=np.int64)
        out[column] = pd.Categorical.from_codes(key_codes[codes], categories=categories)
    return out
