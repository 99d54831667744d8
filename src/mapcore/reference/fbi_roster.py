"""The FBI's roster of law-enforcement agencies and our reviewed ORI fixes: reading, checking, indexing.

The roster (``data/fbi_agencies.csv``: FBI LEE data via 287g-watch) names each agency by its ORI, the
key that joins our table to crime, staffing or detainer data, in the FBI's words ("Lee", type County).
Reading it checks every ORI; :class:`Roster` indexes it per state by name key (:func:`name_keys`) and
its sheriff's offices per county. ``data/ori_fixes.csv`` holds reviewed decisions, checked against the
roster. Matching ICE's agencies to the roster is a build step: :mod:`mapcore.build.ori_match`.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from mapcore.core import config
from mapcore.core.agency_key import agency_identity
from mapcore.reference.gazetteer import CountyIndex

ROSTER_PATH: Path = config.DATA_DIR / "fbi_agencies.csv"
ORI_FIXES_PATH: Path = config.DATA_DIR / "ori_fixes.csv"

# Roster types (the FBI's ``agency_type_name``).
TYPE_COUNTY, TYPE_CITY = "County", "City"
STATE_TYPES: frozenset[str] = frozenset({"State Police", "Other State Agency"})
# The FBI's postal codes that differ from the Census's.
FBI_STATE_CODES: dict[str, str] = {"NB": "NE", "GM": "GU"}
NO_COUNTY: frozenset[str] = frozenset({"", "NOT SPECIFIED", "UNMAPPED COUNTY"})
SHERIFF_WORD = re.compile(r"\bsh[ae]r+i+f+s?\b", re.IGNORECASE)  # Sheriff, Sherif, Sherrif, Sherriffs
POLICE_WORDS = re.compile(r"\b(police|public safety|patrol|marshal|marshals|constable|constables)\b")
JAIL_WORDS = re.compile(r"\b(jail|jails|detention|correction|corrections|correctional|prison|penitentiary)\b")
_ROLE_SUFFIXES: tuple[str, ...] = (
    "police services department",
    "police department",
    "department of police",
    "police services",
    "police division",
    "public safety department",
    "department of public safety",
    "public safety",
    "police",
    "marshals office",
)
_ROLE_TYPO = re.compile(r" (police|polce|plice|poilce|polcie) depart\w*$")  # "Police Departement", "Polce Department"
_KIND_WORDS: tuple[str, ...] = ("township", "village", "borough", "town", "city")
_KIND_PREFIX = re.compile(r"^(city and borough|city|town|village|borough|township) of ")
_COUNTY_WORDS = re.compile(r" (county|parish|borough|census area|city and borough|municipality|city)$")


@dataclass(frozen=True)
class NameKey:
    """An agency name reduced for matching (see :func:`name_keys`)."""

    full: str  # "ogden town", "pinecrest village", "department of public safety"
    bare: str  # the same without its kind of place: "ogden", "pinecrest"
    kind: str  # "town", "village", ... or ""
    office: bool  # the FBI's field-office form: a trailing colon or a ", place" qualifier


@dataclass(frozen=True)
class RosterAgency:
    ori: str
    name: str
    state: str
    type: str
    county: str  # as the FBI prints it (upper case; may list several: "BEAUFORT, HAMPTON")
    county_fips: frozenset[str]  # its 2016 GEOIDs (none for "NOT SPECIFIED" or Connecticut's planning regions)
    officers: int
    sheriff: str  # "" | "named" (after its county or "Sheriff") | "consolidated"
    key: NameKey


# --------------------------------------------------------------------------------------------------
# Name keys


def name_keys(name: str | None, state_name: str = "") -> NameKey:
    """One reduction for ICE's and the FBI's names: identity (case, punctuation, St./Saint, Co./County),
    the FBI's trailing colon and ", qualifier" dropped, a leading state name dropped ("Florida
    Department of ..."), one role suffix dropped ("... Police Department"), "Town of X" -> "X town";
    ``bare`` also drops a trailing kind of place. Empty keys when nothing is left."""
    if not isinstance(name, str):
        return NameKey("", "", "", False)
    text = name.strip()
    office = text.rstrip().endswith(":")
    head = text.rstrip(":,; ").strip()
    if "," in head:
        before, _, after = head.partition(",")
        before = before.strip()
        if before and after.strip():
            office = True
        # "Department of Corrections, Office of ...": keep the department; "Sadsbury Township, Chester
        # County" / "State Police, Somerset": keep the name before the qualifier.
        head = before or after
    text = agency_identity(head)
    state = agency_identity(state_name) if state_name else ""
    if state:
        for prefix in (f"state of {state} ", f"{state} state of ", f"{state} "):
            if text.startswith(prefix) and not text.startswith(f"{state} city") and len(text) > len(prefix):
                text = text[len(prefix) :]
                break
    text = _ROLE_TYPO.sub(" police department", text)
    for suffix in _ROLE_SUFFIXES:
        if text.endswith(" " + suffix):
            rest = text[: -len(suffix) - 1]
            # not "Department of Public Safety" -> "Department of", nor "State Fire Marshal's Office" -> "State Fire"
            if not re.search(r"\b(of|and|department|fire|of state)$", rest):
                text = rest
            break
    if state and text.startswith("state ") and len(text.split()) > 2:
        text = text[len("state ") :]  # "(Missouri) State Highway Patrol" = "(Missouri) Highway Patrol"
    if match := _KIND_PREFIX.match(text):
        text = text[match.end() :] + " " + match.group(1).split()[-1]
    text = re.sub(r"\s+", " ", text).strip()
    bare, kind = text, ""
    for word in _KIND_WORDS:
        if bare.endswith(" " + word):
            bare, kind = bare[: -len(word) - 1], word
            break
    return NameKey(text, bare, kind, office)


def is_sheriff_name(name: object) -> bool:
    return isinstance(name, str) and bool(SHERIFF_WORD.search(name))


# --------------------------------------------------------------------------------------------------
# The roster


class Roster:
    """The FBI's agencies with look-ups per state by name key, and sheriff's offices per county."""

    def __init__(self, frame: pd.DataFrame, counties: CountyIndex | None = None, state_fips: dict[str, str] | None = None) -> None:
        self.state_names = _state_names()
        self.agencies: dict[str, RosterAgency] = {}
        self.identity: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.full: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.bare: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.by_county: dict[str, list[str]] = defaultdict(list)
        self.sheriffs: dict[str, list[str]] = defaultdict(list)  # county GEOID -> ORIs of sheriff's offices
        fips_of = state_fips or {}
        geoids_of: dict[tuple[str, str], frozenset[str]] = {}
        for number, row in enumerate(frame.to_dict("records"), start=2):
            state = str(row["state"]).strip().upper()
            state = FBI_STATE_CODES.get(state, state)
            name, rtype = str(row["name"]).strip(), str(row["type"]).strip()
            county = str(row.get("county") or "").strip().upper()
            if (state, county) not in geoids_of:
                geoids_of[(state, county)] = county_geoids(county, fips_of.get(state), counties)
            geoids = geoids_of[(state, county)]
            key = name_keys(name, self.state_names.get(state, ""))
            agency = RosterAgency(
                str(row["ori"]).strip().upper(),
                name,
                state,
                rtype,
                county,
                geoids,
                _int(row.get("officers")),
                _sheriff_kind(name, rtype, county, geoids, counties),
                key,
            )
            if agency.ori in self.agencies:
                raise ValueError(f"FBI roster, row {number}, column ori: {agency.ori} listed twice")
            self.agencies[agency.ori] = agency
            self.identity[state][agency_identity(name)].append(agency.ori)
            if key.full:
                self.full[state][key.full].append(agency.ori)
            if key.bare:
                self.bare[state][key.bare].append(agency.ori)
            for geoid in geoids:
                self.by_county[geoid].append(agency.ori)
                if agency.sheriff:
                    self.sheriffs[geoid].append(agency.ori)

    def __len__(self) -> int:
        return len(self.agencies)

    def states(self) -> set[str]:
        return {a.state for a in self.agencies.values()}

    def frame(self) -> pd.DataFrame:
        """One row per roster agency: ori, name, state, type, county, county_fips (all, ";"-joined), officers,
        sheriff (named/consolidated/'')."""
        records = [
            {
                "ori": a.ori,
                "name": a.name,
                "state": a.state,
                "type": a.type,
                "county": a.county,
                "county_fips": ";".join(sorted(a.county_fips)) or None,
                "officers": a.officers,
                "sheriff": a.sheriff,
            }
            for a in self.agencies.values()
        ]
        return pd.DataFrame(records, columns=["ori", "name", "state", "type", "county", "county_fips", "officers", "sheriff"])


def _int(value: object) -> int:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError):
        return 0


def county_geoids(county: str, state_fips: str | None, counties: CountyIndex | None) -> frozenset[str]:
    """2016 GEOIDs of the FBI's county field ("BEAUFORT, HAMPTON" -> two); empty when not specified or not
    on the 2016 layer (Connecticut's planning regions)."""
    if counties is None or not state_fips or county in NO_COUNTY:
        return frozenset()
    found = set()
    for part in (p.strip() for p in county.split(",")):
        if not part or part in NO_COUNTY:
            continue
        geoid = counties.lookup(part, state_fips)
        if geoid is None and not part.endswith(("CITY", "COUNTY", "PARISH", "BOROUGH")):
            geoid = counties.lookup(part + " County", state_fips)
        if geoid:
            found.add(geoid)
    return frozenset(found)


def _bare_county(name: str | None) -> str:
    return _COUNTY_WORDS.sub("", agency_identity(name))


def _sheriff_kind(name: str, rtype: str, county: str, geoids: frozenset[str], counties: CountyIndex | None) -> str:
    """ "named" for "... Sheriff ..." or a County-type entry named after its county, "consolidated" for a
    County-type entry naming its county among other words ("Augusta-Richmond"), else ""."""
    if is_sheriff_name(name):
        return "named"
    identity = agency_identity(name)
    if rtype != TYPE_COUNTY or POLICE_WORDS.search(identity) or JAIL_WORDS.search(identity):
        return ""
    bare = _COUNTY_WORDS.sub("", identity)
    own = {_bare_county(county.split(",")[0])} | ({_bare_county(counties.name(g)) for g in geoids} if counties else set())
    own.discard("")
    if bare in own:
        return "named"
    if any(re.search(rf"\b{re.escape(c)}\b", bare) for c in own):
        return "consolidated"
    return ""


@functools.lru_cache(maxsize=1)
def _state_names() -> dict[str, str]:
    import us

    names = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES}
    names["DC"] = "District of Columbia"
    return names


def read_roster(path: Path = ROSTER_PATH) -> pd.DataFrame:
    """The roster CSV as text; an error naming the file, row and column for a missing column or a bad ORI."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"ori", "name", "state", "county", "type", "officers"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: column(s) missing: {', '.join(sorted(missing))}")
    bad = np.flatnonzero(~frame["ori"].str.strip().str.fullmatch(r"[A-Za-z0-9]{9}"))
    if len(bad):
        raise ValueError(f"{path}, row {int(bad[0]) + 2}, column ori: {frame['ori'].iloc[bad[0]]!r} is not a 9-character ORI")
    return frame


# --------------------------------------------------------------------------------------------------
# The reviewed fixes and the context matching runs in


@dataclass(frozen=True)
class Fix:
    ori: str | None  # None: reviewed, no roster agency
    note: str


def read_fixes(path: Path, roster: Roster) -> dict[tuple[str, str], Fix]:
    """(state, agency identity) -> Fix. A row naming an ORI the roster lacks, or one of another state, is an
    error naming the row: a reviewed table must not rot silently."""
    fixes: dict[tuple[str, str], Fix] = {}
    if not path.is_file():
        return fixes
    with path.open(newline="", encoding="utf-8") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            state = (row.get("state") or "").strip().upper()
            agency = agency_identity(row.get("agency"))
            ori = (row.get("ori") or "").strip().upper() or None
            note = (row.get("note") or "").strip()
            if not state or not agency:
                raise ValueError(f"{path}, row {number}: state and agency are required")
            if ori is not None:
                found = roster.agencies.get(ori)
                if found is None:
                    raise ValueError(f"{path}, row {number}, column ori: {ori} is not in the FBI roster")
                if found.state != state:
                    raise ValueError(f"{path}, row {number}, column ori: {ori} is in {found.state}, not {state}")
            elif not note:
                raise ValueError(f"{path}, row {number}, column note: a row without an ORI must say why")
            fixes[(state, agency)] = Fix(ori, note)
    return fixes


@dataclass
class OriContext:
    roster: Roster
    fixes: dict[tuple[str, str], Fix] = field(default_factory=dict)


def inputs_hash(roster_path: Path | None = None, fixes_path: Path | None = None) -> str:
    """A hash of the roster and the fixes table (by default the files in ``data/``): part of the dataset's cache key."""
    digest = hashlib.sha256()
    for path in (roster_path or ROSTER_PATH, fixes_path or ORI_FIXES_PATH):
        digest.update(path.read_bytes() if path.is_file() else b"none")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def load_ori_context(roster_path: Path | None = None, fixes_path: Path | None = None) -> OriContext:
    """The roster and the fixes (by default the files in ``data/``), with the boundary layer's county index;
    built once per process and per content of the two files."""
    roster_path, fixes_path = roster_path or ROSTER_PATH, fixes_path or ORI_FIXES_PATH
    return _context(roster_path, fixes_path, inputs_hash(roster_path, fixes_path))


@functools.lru_cache(maxsize=2)
def _context(roster_path: Path, fixes_path: Path, _content: str) -> OriContext:
    from mapcore.reference.gazetteer import load_place_context, state_fips_by_postal

    roster = Roster(read_roster(roster_path), load_place_context().counties, state_fips_by_postal())
    return OriContext(roster, read_fixes(fixes_path, roster))


ROSTER_COLUMNS: tuple[str, ...] = ("ori", "name", "state", "type", "county", "county_fips", "officers", "sheriff")


def roster_table(cache: Path | None = None) -> pd.DataFrame:
    """The roster as the analysis layer reads it (:meth:`Roster.frame`): kept as Parquet in the cache folder,
    keyed by :func:`inputs_hash`, so the app reads it in milliseconds instead of re-reading the county
    fields (the build writes it; any process recomputes it when missing)."""
    try:
        folder: Path | None = cache or config.cache_dir()
    except OSError:
        folder = None
    path = None if folder is None else folder / f"fbi-roster-{inputs_hash()}.parquet"
    if path is not None and path.is_file():
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError):
            pass
    table = load_ori_context().roster.frame()
    if path is not None:
        from mapcore.core.atomic import write_bytes_atomically

        try:
            buffer = io.BytesIO()
            table.to_parquet(buffer, index=False)
            write_bytes_atomically(path, buffer.getvalue())
        except OSError:
            pass  # a read-only cache only costs the recomputation next time
    return table
