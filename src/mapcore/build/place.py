"""Placing each agreement in its state and county.

ICE lists agencies by name; the map needs 2016-vintage county GEOIDs. The order of evidence is:

1. the COUNTY column when ICE printed one (``county_column``), read with addfips and a small
   normaliser (St./Saint, DeKalb/De Kalb, Doña Ana, parishes, Alaska's areas, Virginia's independent
   cities, ICE's typos by a strict within-state fuzzy match). One exception: a town whose printed
   county merely shares its name ("Cherokee Police Department" -> Cherokee County) while its ZIP
   codes lie in another county is placed by the gazetteer;
2. a county named in the agency name, e.g. "St. Johns County Sheriff's Office" (``agency_name``);
3. the county ICE printed for the same agency in another publication (``county_column``);
4. the town in the agency name, looked up in the ``zipcodes`` gazetteer (``gazetteer``): the county
   covering most of the town's ZIP codes;
5. a small hand-reviewed table, ``data/placement_fixes.csv`` (``fixes_table``).

Regional bodies come before all of these: an agency in the reviewed ``data/regional_agencies.csv``,
or named for a numbered judicial circuit ("Office of the State Attorney, 20th Judicial Circuit") whose
counties ``data/judicial_circuits.csv`` lists, is ``regional``: placed in each of its counties
(``region_fips``), never in one county and never statewide (``regional_table``). A body named like
a regional one (a judicial circuit or district, a regional jail, a multi-county task force) that ICE
typed State but no table covers is ``regional`` with no county, listed with the reason.

ICE's TYPE is corrected where the agency's name says otherwise (:func:`type_by_name`): a sheriff is a
County agency whatever the TYPE ("Washington County Sheriff's Office" typed Municipality, MO), and a town's
police typed County is a Municipality ("Shirley Police Department", IN). A town's printed county is kept only
if the town lies in it: a county none of the town's ZIP codes and none of the FBI roster's counties for its
police lie in (ICE printed Galveston County for Tye, TX) gives way to the town's own county
(:func:`_towns_own_county`).

State agencies are never spread over counties: they are ``statewide``. An agency ICE typed State that
names a county of its state ("Johnson County District Attorney's Office") is placed in that county.
Every GEOID is checked against
the 2016 county table of the boundary layer, handed in with the
:class:`~mapcore.reference.gazetteer.PlaceContext` (placement itself reads no file).
Everything is memoised per distinct (state, agency, type, county_printed), so the whole history
(~300k rows) places in about half a second once the gazetteer is cached. Nothing here imports
streamlit.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mapcore.core.agency_key import agency_identity
from mapcore.core.frames import distinct_keys, require_columns
from mapcore.core.schema import LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_OTHER, LEVEL_REGIONAL, LEVEL_STATEWIDE, PLACE_COLUMNS
from mapcore.reference.gazetteer import (
    CIRCUITS_PATH,
    REGIONAL_PATH,
    PlaceContext,
    Region,
    compact,
    normalise_name,
    state_fips_by_postal,
    strip_geo_suffix,
)

KEY_COLUMNS: tuple[str, ...] = ("state", "agency", "jurisdiction_type", "county_printed")

METHOD_COUNTY_COLUMN = "county_column"
METHOD_AGENCY_NAME = "agency_name"
METHOD_GAZETTEER = "gazetteer"
METHOD_FIXES = "fixes_table"
METHOD_STATEWIDE = "statewide"
METHOD_REGIONAL = "regional_table"

# Words that start the "what kind of agency" part of a name; the place name comes before them.
_ROLE_WORDS: frozenset[str] = frozenset(
    """police polce sheriff sheriffs department dept departments office offices pd marshal marshals
    marshall constable constables constbales jail jails detention corrections correction correctional
    public safety law enforcement division precinct bureau services special metropolitan metro
    regional authority task force drug narcotics investigation investigations criminal unit
    patrol prison penitentiary court courts district attorney attorneys general board trustees
    commission agency school schools isd campus university college airport transit housing dps
    state""".split()
)
_PLACE_PREFIXES: tuple[str, ...] = (
    "the ",
    "city and borough of ",
    "city of ",
    "town of ",
    "village of ",
    "borough of ",
    "township of ",
    "county of ",
    "municipality of ",
)
# Only suffixes whose removal names the same place ("Mahanoy City Borough" -> "Mahanoy City"). Not
# "Township"/"Village": "Manor Township" and "Oak Grove Village" are not the towns "Manor"/"Oak Grove".
_PLACE_SUFFIXES: tuple[str, ...] = (" borough", " boro", " city")
_STATEWIDE_HINTS = re.compile(
    r"\b(state police|state patrol|highway patrol|national guard|department of public safety|"
    r"department of corrections|bureau of investigation|attorney general|state of)\b"
)
_NA_PRINTED = re.compile(r"^\s*(#.*|n/?a|none|null|nan|-+)?\s*$", re.IGNORECASE)
# A body serving several counties, by its name (normalised): never a statewide agency.
_REGIONAL_NAME = re.compile(
    r"\bjudi\w* (circuit|district)s?\b|\bregional\b|\bmulti ?(county|jurisdictional)\b|\btask force\b"
    r"|\bjail authority\b|\bdistrict jail\b"
)
_ORDINALS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth
    fifteenth sixteenth seventeenth eighteenth nineteenth twentieth""".split(),
        start=1,
    )
}
_ORDINALS.update({f"twenty {w}": 20 + n for w, n in list(_ORDINALS.items())[:9]})
_ORDINALS.update({f"thirty {w}": 30 + n for w, n in list(_ORDINALS.items())[:9]})
_ORDINALS["thirtieth"] = 30
_CIRCUIT = re.compile(
    r"\bjudi\w* (?:circuit|district) (?:no )?(?P<number3>\d{1,2})\b"
    r"|\b(?P<number>\d{1,2})(?:st|nd|rd|th)? (?:judi\w* )?circuit\b|\b(?P<number2>\d{1,2})(?:st|nd|rd|th)? judi\w* district\b"
    r"|\b(?P<words>(?:(?:twenty|thirty) )?[a-z]+) (?:judi\w* )?(?P<what>circuit|judi\w* district)\b"
)


# --------------------------------------------------------------------------------------------------
# Name normalisation


def printed_county_missing(value: Any) -> bool:
    """True for None/NaN and the Excel leftovers ICE prints instead of a county (#N/A, #NA, N/A)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return True
    return not isinstance(value, str) or bool(_NA_PRINTED.match(value))


# --------------------------------------------------------------------------------------------------
# Reading place names out of agency names


def county_from_agency_name(agency: str | None, state_fips: str | None, ctx: PlaceContext, *, bare_ok: bool = False) -> str | None:
    """GEOID of a county named in an agency name ("X County Sheriff's Office", "City of Y Sheriff")."""
    normalised = normalise_name(agency)
    if not normalised or not state_fips:
        return None
    counties = ctx.counties
    strong = counties.strong.get(state_fips, {})
    words = normalised.split()
    # "<words> County|Parish|Borough|city ...": longest phrase first ("Red Lake" before "Lake").
    for i, word in enumerate(words):
        if word in ("county", "parish", "borough", "city", "area", "municipality"):
            for n in range(min(i, 5), 0, -1):
                phrase = "".join(words[i - n : i + 1])
                if phrase in strong:
                    return strong[phrase]
            if word == "borough" and i >= 2 and words[i - 2 : i] == ["city", "and"]:
                for n in range(min(i - 2, 4), 0, -1):
                    phrase = "".join(words[i - 2 - n : i + 1])
                    if phrase in strong:
                        return strong[phrase]
    # "City of Y", "County of X", "Parish of X", "Municipality of X" ...
    for i, word in enumerate(words):
        if word != "of" or i == 0:
            continue
        for start in (i - 1, i - 3):  # "city of", "city and borough of"
            if start < 0 or words[start] not in ("city", "county", "parish", "borough", "municipality"):
                continue
            for n in range(min(len(words) - i - 1, 4), 0, -1):
                phrase = "".join(words[start : i + 1 + n])
                if phrase in strong:
                    return strong[phrase]
    if bare_ok:
        # "Alexandria Sheriff's Office", "Hopewell County Sheriff's Office" (VA: independent cities).
        place = place_from_agency_name(agency)
        if place and (geoid := counties.weak.get(state_fips, {}).get(compact(strip_geo_suffix(place)))):
            return geoid
        # Typos ICE made in county agencies' names: "Berrian County", "Okfusfee County".
        for i, word in enumerate(words):
            if word in ("county", "parish"):
                for n in range(min(i, 3), 0, -1):
                    phrase = " ".join(words[i - n : i])
                    if geoid := counties.lookup(phrase + " " + word, state_fips, fuzzy=True):
                        return geoid
    return None


def place_from_agency_name(agency: str | None) -> str | None:
    """The city/town part of a municipal agency name, normalised ("City of St. Cloud PD" -> "saint cloud")."""
    normalised = normalise_name(agency)
    if not normalised:
        return None
    text = normalised
    changed = True
    while changed:
        changed = False
        for prefix in _PLACE_PREFIXES:
            if text.startswith(prefix):
                text, changed = text[len(prefix) :], True
    words: list[str] = []
    split = text.split()
    for i, word in enumerate(split):
        if word in _ROLE_WORDS or (word == "international" and split[i + 1 : i + 2] == ["airport"]):
            break
        words.append(word)
    if words and words[-1] in ("of", "and", "the"):
        words = words[:-1]
    return " ".join(words) or None


def _place_candidates(agency: str) -> list[str]:
    """City spellings to try in the gazetteer, most literal first."""
    out: list[str] = []

    def add(value: str | None) -> None:
        if value and value not in out:
            out.append(value)

    place = place_from_agency_name(agency)
    if place:
        add(place)
        stripped = place
        for _ in range(2):
            for suffix in _PLACE_SUFFIXES:
                if stripped.endswith(suffix) and len(stripped) > len(suffix):
                    stripped = stripped[: -len(suffix)]
                    add(stripped)
                    break
    normalised = normalise_name(agency) or ""
    # "Florida State College at Jacksonville", "University of Texas at Austin"
    match = re.search(r"\bat ([a-z0-9 ]+)", normalised)
    if match:
        tail: list[str] = []
        for word in match.group(1).split():
            if word in _ROLE_WORDS:
                break
            tail.append(word)
        for n in range(min(len(tail), 3), 0, -1):
            add(" ".join(tail[:n]))
    # "Town of Y ..." / "City of Y ..." later in the name ("Pennsylvania State Constable, Cooke Township")
    for m in re.finditer(r"\b(?:city|town|village|borough|township) of ([a-z0-9]+(?: [a-z0-9]+)?)", normalised):
        add(m.group(1))
    return out


def _town_named_like_county(agency: str, printed: str, state: str, printed_geoid: str, ctx: PlaceContext) -> str | None:
    """The gazetteer's county when ICE printed the county that merely shares the town's name.

    ICE's COUNTY column looks filled by a name look-up: "Cherokee Police Department" (AL) got
    Cherokee County though Cherokee lies in Colbert County; likewise Monroe, GA (Walton County).
    Only when the town's own ZIP codes put it in a different county is the printed one overruled.
    """
    town = place_from_agency_name(agency)
    bare = strip_geo_suffix(normalise_name(printed) or "")
    if not town or compact(town) != compact(bare):
        return None
    found = ctx.gazetteer.primary.get((state, compact(town)))
    return found if found and found != printed_geoid else None


def _looks_statewide(agency: str, state: str | None, *, strict: bool = False) -> bool:
    """A state agency by its name: "<State> State Police", "Department of Public Safety", ...

    ``strict`` (for rows ICE typed County/Municipality): the name must also start with the state's
    name, and no town or county word may appear ("Texas City Police Department" stays local).
    """
    normalised = normalise_name(agency) or ""
    if re.search(r"\b(county|parish|city|town|village|township|twp|borough|constable|constables)\b", normalised):
        return False
    if strict and re.search(r"\b(university|college|school|airport)\b", normalised):
        return False  # a state university's police still has one campus
    state_name = ""
    if state:
        import us

        found = us.states.lookup(state)
        state_name = (normalise_name(found.name) or "") if found is not None else ""
    starts_with_state = bool(state_name) and normalised.startswith(state_name + " ")
    if strict:
        return starts_with_state and bool(
            _STATEWIDE_HINTS.search(normalised) or re.search(r"\b(state|alcohol|tobacco|wildlife|highway|commission)\b", normalised)
        )
    return (
        starts_with_state
        or bool(_STATEWIDE_HINTS.search(normalised))
        or bool(re.search(r"\bdepartment of\b", normalised) and not re.search(r"\bpolice\b", normalised))
    )


# --------------------------------------------------------------------------------------------------
# Placing one distinct key


_SHERIFF_NAME = re.compile(r"\bsh[e]r+if+s?\b")
_POLICE_NAME = re.compile(r"\b(police|pd|marshal|marshals|marshall)\b")
# Words that make a police department something other than one town's: a county's, a consolidated
# city-county's, a campus's, a port's, a tribe's, a region's.
_NOT_A_TOWNS = re.compile(
    r"\b(county|parish|borough|metropolitan|metro|university|college|school|schools|isd|state|airport|port|"
    r"transit|tribal|tribe|nation|regional|district|authority|consolidated|unified|government|capitol)\b"
)


def type_by_name(agency: str | None, jurisdiction_type: str | None, state: str | None, ctx: PlaceContext) -> str | None:
    """ICE's TYPE, corrected where the agency's name says otherwise: a sheriff's office is a County agency
    (unless ICE typed it State: see :func:`_named_locality`), and a town's police typed County is a
    Municipality when the town is one the gazetteer or the FBI roster knows in that state."""
    normalised = normalise_name(agency) or ""
    if _SHERIFF_NAME.search(normalised):
        return jurisdiction_type if jurisdiction_type == "State" else "County"
    if (
        jurisdiction_type == "County"
        and state
        and _POLICE_NAME.search(normalised)
        and not _NOT_A_TOWNS.search(normalised)
        and (town := place_from_agency_name(agency))
        and (ctx.gazetteer.lookup(town, state) or (state, compact(town)) in ctx.roster_towns)
    ):
        return "Municipality"
    return jurisdiction_type


def _towns_own_county(agency: str, state: str, printed_geoid: str, ctx: PlaceContext) -> str | None:
    """The town's county when ICE printed one the town does not lie in, else None (the printed one stands).

    The town's counties are every county its ZIP codes lie in and every county the FBI roster gives its
    police; only when the printed county is none of them is it overruled, by the roster's county (one
    only) or the gazetteer's main county (when the roster agrees or is silent). Only for one town's agency:
    a state's, a campus's or a region's name starts with words that are no town ("Arkansas State Police",
    "Florida State University")."""
    if _NOT_A_TOWNS.search(normalise_name(agency) or ""):
        return None
    for town in _place_candidates(agency):
        zips, roster = ctx.gazetteer.counties_of(town, state), ctx.roster_towns.get((state, compact(town)), frozenset())
        if not zips and not roster:
            continue
        if printed_geoid in zips or printed_geoid in roster:
            return None
        main = ctx.gazetteer.lookup(town, state)
        if main and (not roster or main in roster):
            return main
        return next(iter(roster)) if len(roster) == 1 else None
    return None


@dataclass(frozen=True)
class Placement:
    level: str
    county_fips: str | None
    county_name: str | None
    placed_by: str | None
    unplaced_reason: str | None
    region_fips: str | None = None  # a regional body's counties, ";"-joined GEOIDs
    region_counties: str | None = None  # the same by name, "; "-joined
    jurisdiction_type: str | None = None  # ICE's TYPE as corrected by the name (type_by_name)


_LEVELS = {"County": LEVEL_COUNTY, "Municipality": LEVEL_MUNICIPAL, "State": LEVEL_STATEWIDE}


def _clean(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def place_one(
    state: str | None,
    agency: str | None,
    jurisdiction_type: str | None,
    county_printed: str | None,
    state_fips: str | None = None,
    *,
    ctx: PlaceContext,
) -> Placement:
    """Place one agreement; the reason says what was tried when nothing fits."""
    state, agency, jtype = _clean(state), _clean(agency) or "", _clean(jurisdiction_type)
    printed = None if printed_county_missing(county_printed) else _clean(county_printed)
    if state is not None:
        state = state.upper()
    jtype = type_by_name(agency, jtype, state, ctx)
    placement = _place(state, agency, jtype, printed, state_fips, ctx)
    return dataclasses.replace(placement, jurisdiction_type=jtype)


def _place(state: str | None, agency: str, jtype: str | None, printed: str | None, state_fips: str | None, ctx: PlaceContext) -> Placement:
    level = _LEVELS.get(jtype or "", LEVEL_OTHER)
    state_fips = _clean(state_fips) or (state_fips_by_postal().get(state) if state else None)

    if state and (region := region_of(state, agency, ctx)) is not None:
        return _regional(region, ctx)
    if level == LEVEL_STATEWIDE or (level == LEVEL_OTHER and _looks_statewide(agency, state)):
        if state and (number := circuit_number(agency)) is not None:
            return _regional(Region(f"{state} judicial circuit or district {number}", (), CIRCUITS_PATH.name), ctx)
        if _REGIONAL_NAME.search(normalise_name(agency) or ""):
            return Placement(
                LEVEL_REGIONAL, None, None, None, f"regional body (by its name): no county listed for it in data/{REGIONAL_PATH.name}"
            )
        if state and state_fips and (local := _named_locality(agency, state, state_fips, ctx)) is not None:
            return local
        return Placement(LEVEL_STATEWIDE, None, None, METHOD_STATEWIDE, None)
    if not state or not state_fips:
        return Placement(level, None, None, None, f"state unknown for '{agency}'")

    counties = ctx.counties

    def placed(geoid: str, method: str) -> Placement:
        return Placement(level, geoid, counties.name(geoid), method, None)

    reasons: list[str] = []
    if printed:
        geoid = counties.lookup(printed, state_fips, fuzzy=True)
        if geoid:
            if level == LEVEL_MUNICIPAL and (town := _town_named_like_county(agency, printed, state, geoid, ctx)):
                return placed(town, METHOD_GAZETTEER)
            if level == LEVEL_MUNICIPAL and (own := _towns_own_county(agency, state, geoid, ctx)):
                return placed(own, METHOD_GAZETTEER)
            return placed(geoid, METHOD_COUNTY_COLUMN)
        reasons.append(f"county '{printed}' printed by ICE not found in {state}")

    geoid = county_from_agency_name(agency, state_fips, ctx, bare_ok=level == LEVEL_COUNTY)
    if geoid:
        return placed(geoid, METHOD_AGENCY_NAME)

    candidates = _gazetteer_candidates(agency, level)
    if candidates:
        gaz = ctx.gazetteer
        for city in candidates:
            if geoid := gaz.lookup(city, state):
                return placed(geoid, METHOD_GAZETTEER)
        for city in candidates:
            if geoid := gaz.lookup_close(city, state):  # ICE's typos: "Macro Island", "Indiatlantic"
                return placed(geoid, METHOD_GAZETTEER)
        if len(counties.by_state.get(state_fips, ())) == 1:  # DC, Guam: the state is the county
            return placed(counties.by_state[state_fips][0], METHOD_GAZETTEER)

    fix = ctx.fixes.get((state, agency_identity(agency)))
    if fix:
        return placed(fix, METHOD_FIXES)

    # Typed County/Municipality but named like a state agency: "Indiana State Police Department".
    if _looks_statewide(agency, state, strict=True):
        return Placement(LEVEL_STATEWIDE, None, None, METHOD_STATEWIDE, None)

    if level == LEVEL_COUNTY or (level == LEVEL_OTHER and re.search(r"\b(county|parish)\b", agency.lower())):
        reasons.append(f"no county found in agency name '{agency}' ({state})")
    elif candidates:
        shown = "', '".join(candidates[:3])
        reasons.append(f"municipality '{shown}' not found in gazetteer for {state}")
    else:
        reasons.append(f"no place name in agency name '{agency}' ({state})")
    if elsewhere := _states_with_county(printed or agency, state_fips, ctx):
        reasons.append(f"a county of that name exists in {', '.join(elsewhere)}")
    return Placement(level, None, None, None, "; ".join(reasons))


def region_of(state: str, agency: str, ctx: PlaceContext) -> Region | None:
    """The region of a regional body: its row in the reviewed table, else the numbered judicial circuit
    (or judicial district) its name gives, when the circuits table lists that circuit's counties."""
    listed = ctx.regions.get((state, agency_identity(agency)))
    if listed is not None:
        return listed
    number = circuit_number(agency)
    return None if number is None else ctx.circuits.get((state, number))


def circuit_number(agency: str | None) -> int | None:
    """The number of the judicial circuit (or judicial district) an agency name gives: "20th Judicial
    Circuit", "Sixth Judical Circuit", "16th Judicial Distric(t)", "Judicial Circuit 5"; else None."""
    normalised = normalise_name(agency)
    if not normalised:
        return None
    normalised = re.sub(r"\bdistric\b", "district", normalised)
    for match in _CIRCUIT.finditer(normalised):
        digits = match.group("number") or match.group("number2") or match.group("number3")
        if digits:
            return int(digits)
        words = match.group("words") or ""
        for start in range(len(words.split())):
            phrase = " ".join(words.split()[start:])
            if phrase in _ORDINALS:
                return _ORDINALS[phrase]
    return None


def _regional(region: Region, ctx: PlaceContext) -> Placement:
    if not region.geoids:
        return Placement(
            LEVEL_REGIONAL, None, None, None, f"regional body ({region.name}): no county listed for it in data/{region.source}"
        )
    names = "; ".join(ctx.counties.name(g) or g for g in region.geoids)
    return Placement(LEVEL_REGIONAL, None, None, METHOD_REGIONAL, None, ";".join(region.geoids), names)


def _named_locality(agency: str, state: str, state_fips: str, ctx: PlaceContext) -> Placement | None:
    """An agency ICE typed State whose name places it locally: "Johnson County District Attorney's
    Office" (the county it names), "City of Miami Police Department" (the city's county)."""
    normalised = normalise_name(agency) or ""
    geoid = county_from_agency_name(agency, state_fips, ctx)
    if geoid and re.search(r"\b(county|parish|borough)\b", normalised):
        return Placement(LEVEL_COUNTY, geoid, ctx.counties.name(geoid), METHOD_AGENCY_NAME, None)
    town = re.match(r"(?:the )?(?:city|town|village) of ([a-z0-9 ]+?) (?:police|sheriff|public safety)\b", normalised)
    if geoid is None and town and (geoid := ctx.gazetteer.lookup(town.group(1), state)):
        return Placement(LEVEL_MUNICIPAL, geoid, ctx.counties.name(geoid), METHOD_GAZETTEER, None)
    if geoid:
        return Placement(LEVEL_MUNICIPAL, geoid, ctx.counties.name(geoid), METHOD_AGENCY_NAME, None)
    return None


def _gazetteer_candidates(agency: str, level: str) -> list[str]:
    """Town names worth looking up; none for regional bodies or for sheriffs and jails."""
    normalised = normalise_name(agency) or ""
    # "Susquehanna Regional Police", "Albemarle District Jail": a region's name, not a town's.
    if re.search(r"\b(regional|region|metro|metropolitan|district)\b", normalised):
        return []
    if level == LEVEL_COUNTY and (
        not re.search(r"\b(police|marshal|marshals|pd|dps|sheriff|sheriffs)\b", normalised) or re.search(r"\b(county|parish)\b", normalised)
    ):
        return []  # a jail or a county office: its first words need not be a town

    return _place_candidates(agency)


def _states_with_county(name: str | None, state_fips: str, ctx: PlaceContext) -> list[str]:
    """Postal codes of other states that have a county spelled like ``name`` (ICE's wrong-state rows)."""
    normalised = normalise_name(name)
    if not normalised:
        return []
    match = re.search(r"((?:[a-z0-9]+ ){1,3})(county|parish)\b", normalised + " ")
    if not match:
        return []
    words = match.group(1).split()
    counties = ctx.counties
    postal = {v: k for k, v in state_fips_by_postal().items()}
    found: set[str] = set()
    for n in range(len(words), 0, -1):
        key = "".join(words[-n:]) + match.group(2)
        hits = {fips for fips, strong in counties.strong.items() if key in strong and fips != state_fips}
        if hits:
            found = {postal.get(f, f) for f in hits}
            break
    return sorted(found)


# --------------------------------------------------------------------------------------------------
# Whole frames


def place_agreements(df: pd.DataFrame, ctx: PlaceContext) -> pd.DataFrame:
    """A copy of ``df`` with the PLACE_COLUMNS added; one placement per distinct key, same rows out."""
    require_columns(df, KEY_COLUMNS, "place_agreements")
    out = df.copy()
    if out.empty:
        for column in PLACE_COLUMNS:
            out[column] = pd.Series([], dtype="str", index=out.index)
        return out
    key_cols = list(KEY_COLUMNS) + (["state_fips"] if "state_fips" in df.columns else [])
    codes, firsts = distinct_keys(df, key_cols)
    results: list[Placement] = [
        place_one(row["state"], row["agency"], row["jurisdiction_type"], row["county_printed"], row.get("state_fips"), ctx=ctx)
        for row in firsts.to_dict("records")
    ]
    results = _borrow_printed_counties(firsts, results, ctx)
    for column in (*PLACE_COLUMNS, "jurisdiction_type"):
        values = [getattr(r, column) for r in results]
        out[column] = pd.Series(pd.array(values, dtype="str")[codes], index=out.index, dtype="str")
    return out


def _borrow_printed_counties(keys: pd.DataFrame, results: list[Placement], ctx: PlaceContext) -> list[Placement]:
    """Use the county ICE printed for the same agency in another publication.

    Sheets before 2025-03-17 have no COUNTY column, and later ones print #N/A for many towns; when
    every publication that did print a county for (state, agency) agrees on one, that beats a guess
    from the gazetteer and keeps an agency in one county across the history. Reviewed fixes and
    counties named in the agency name still win.
    """
    printed: dict[tuple[str, str], set[str]] = defaultdict(set)
    names: list[tuple[str, str]] = []
    for state, agency, result in zip(keys["state"], keys["agency"], results):
        name = (state or "", agency_identity(agency))
        names.append(name)
        if result.placed_by == METHOD_COUNTY_COLUMN and result.county_fips:
            printed[name].add(result.county_fips)
    if not printed:
        return results
    counties = ctx.counties
    out = list(results)
    for i, (name, result) in enumerate(zip(names, results)):
        if result.placed_by in (METHOD_GAZETTEER, None) and result.level not in (LEVEL_STATEWIDE, LEVEL_REGIONAL):
            found = printed.get(name)
            if found and len(found) == 1:
                geoid = next(iter(found))
                out[i] = Placement(
                    result.level, geoid, counties.name(geoid), METHOD_COUNTY_COLUMN, None, jurisdiction_type=result.jurisdiction_type
                )
    return out


def placed_mask(df: pd.DataFrame) -> pd.Series:
    """Rows placed in a county, or in the counties of their region (a regional body)."""
    placed = df["county_fips"].notna()
    if "region_fips" in df:
        placed |= df["region_fips"].notna()
    return placed


def placement_masks(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(local, unplaced): rows ICE typed County or Municipality (the match rate's base), and rows with
    no county (nor a region's counties) that are not statewide (the ones listed with a reason). One
    definition for every report."""
    local = df["jurisdiction_type"].isin(["County", "Municipality"])
    unplaced = ~placed_mask(df) & (df["level"] != LEVEL_STATEWIDE)
    return local, unplaced


def placement_summary(df: pd.DataFrame) -> dict[str, Any]:
    """Counts for the placing report: how many county/municipal agreements sit in a county, and how."""
    local_mask, unplaced_mask = placement_masks(df)
    local = df[local_mask]
    placed = placed_mask(local)
    unplaced_rows = df[unplaced_mask]
    unplaced: list[dict[str, Any]] = []
    if not unplaced_rows.empty:
        cols = ["state", "agency", "jurisdiction_type", "county_printed", "unplaced_reason"]
        grouped = unplaced_rows[cols].astype(object).where(unplaced_rows[cols].notna(), None).groupby(cols, dropna=False, sort=True).size()
        for key, rows in grouped.items():
            state, agency, jt, printed, reason = (_clean(v) for v in key)
            unplaced.append({"state": state, "agency": agency, "type": jt, "county_printed": printed, "reason": reason, "rows": int(rows)})
    by_method = {str(k): int(v) for k, v in df["placed_by"].fillna("unplaced").value_counts().sort_index().items()}
    return {
        "rows": int(len(df)),
        "county_or_municipal": int(len(local)),
        "in_county": int(placed.sum()),
        "rate": float(placed.mean()) if len(local) else 1.0,
        "statewide": int((df["level"] == LEVEL_STATEWIDE).sum()),
        "regional": int((df["level"] == LEVEL_REGIONAL).sum()),
        # typed County/Municipality by ICE but named as a state agency ("Indiana State Police")
        "local_typed_statewide": int((local["level"] == LEVEL_STATEWIDE).sum()),
        "by_method": by_method,
        "unplaced": unplaced,
    }
