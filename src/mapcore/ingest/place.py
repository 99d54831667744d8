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

State agencies are never spread over counties: they are ``statewide``. Every GEOID is checked against
the 2016 county table (geo/counties.parquet, or plotly-geo's boundary file before it is built).
Everything is memoised per distinct (state, agency, type, county_printed), so the whole history
(~300k rows) places in about half a second once the gazetteer is cached. Nothing here imports
streamlit.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mapcore.core import config
from mapcore.core.schema import (
    LEVEL_COUNTY,
    LEVEL_MUNICIPAL,
    LEVEL_OTHER,
    LEVEL_STATEWIDE,
    PLACE_COLUMNS,
)

KEY_COLUMNS: tuple[str, ...] = ("state", "agency", "jurisdiction_type", "county_printed")
FIXES_PATH: Path = config.DATA_DIR / "placement_fixes.csv"
COUNTIES_PARQUET: Path = config.GEO_DIR / "counties.parquet"

METHOD_COUNTY_COLUMN = "county_column"
METHOD_AGENCY_NAME = "agency_name"
METHOD_GAZETTEER = "gazetteer"
METHOD_FIXES = "fixes_table"
METHOD_STATEWIDE = "statewide"

# Codes newer/older than the 2016 boundary file, mapped onto it (addfips and zipcodes are other vintages).
VINTAGE_REMAP: dict[str, str] = {
    "02063": "02261",  # Chugach Census Area (2019 split of Valdez-Cordova)
    "02066": "02261",  # Copper River Census Area (2019 split of Valdez-Cordova)
    "02270": "02158",  # Wade Hampton Census Area -> Kusilvak (2015)
    "46113": "46102",  # Shannon County -> Oglala Lakota (2015)
    "51515": "51019",  # Bedford city folded into Bedford County (2013)
}
# Names of post-2016 areas that neither addfips nor the 2016 table know, mapped by name.
VINTAGE_NAMES: dict[tuple[str, str], str] = {
    ("02", "chugachcensusarea"): "02261",
    ("02", "copperrivercensusarea"): "02261",
    ("02", "wadehamptoncensusarea"): "02158",
    ("46", "shannoncounty"): "46102",
}

# Census LSAD codes of the 2016 cartographic boundary file -> the word Census appends to NAME.
_LSAD_SUFFIX: dict[str, str] = {
    "03": "City and Borough", "04": "Borough", "05": "Census Area", "06": "County",
    "07": "District", "10": "Island", "12": "Municipality", "13": "Municipio", "15": "Parish",
    "25": "city",
}

_ABBREVIATIONS: dict[str, str] = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_GEO_SUFFIXES: tuple[str, ...] = (
    "city and borough", "census area", "county", "parish", "borough", "municipality",
    "municipio", "city", "district", "island",
)

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
# Words that say what kind of office it is, not which one (agency_key drops them).
_KIND_WORDS: frozenset[str] = frozenset(
    """police polce department dept pd office offices sheriff sheriffs constable constables constabless
    constbales marshal marshals marshall board trustees of the and s""".split()
)
_PLACE_PREFIXES: tuple[str, ...] = (
    "the ", "city and borough of ", "city of ", "town of ", "village of ", "borough of ", "township of ", "county of ",
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


# --------------------------------------------------------------------------------------------------
# Name normalisation


def normalise_name(value: Any) -> str | None:
    """Lower-case ASCII words with St./Ste./Ft./Mt. spelled out; None when nothing is left.

    One spelling for "St. Johns"/"Saint Johns", "Doña Ana"/"Dona Ana", "O'Brien"/"OBrien" so the
    county and gazetteer indexes can be plain dict look-ups.
    """
    if not isinstance(value, str):
        return None
    return _normalise(value)


@functools.lru_cache(maxsize=65536)
def _normalise(value: str) -> str | None:
    if value.isascii():
        text = value.lower()
    else:
        text = unicodedata.normalize("NFKD", value)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"['\u2018\u2019`\u00b4]", "", text)
    words = re.findall(r"[a-z0-9]+", text)
    words = [_ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(words) or None


def _compact(normalised: str) -> str:
    """Spaces dropped, so "De Kalb"/"DeKalb" and "La Grange"/"LaGrange" meet."""
    return normalised.replace(" ", "")


def _strip_geo_suffix(normalised: str) -> str:
    for suffix in _GEO_SUFFIXES:
        if normalised.endswith(" " + suffix):
            return normalised[: -len(suffix) - 1]
    return normalised


def printed_county_missing(value: Any) -> bool:
    """True for None/NaN and the Excel leftovers ICE prints instead of a county (#N/A, #NA, N/A)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return True
    return not isinstance(value, str) or bool(_NA_PRINTED.match(value))


# --------------------------------------------------------------------------------------------------
# The 2016 county table


@dataclass(frozen=True)
class _County:
    geoid: str
    state_fips: str
    name: str       # Census name with its type word, e.g. "Harris County", "Richmond city"
    bare: str       # normalised name without the type word
    lsad: str       # "06" county, "25" independent city, ... ("" when unknown)


def _addfips_names() -> dict[str, str]:
    """GEOID -> Census name with type word ("Harris County"), from addfips' 2015 table (≈ 2016 set)."""
    from importlib.resources import files

    names: dict[str, str] = {}
    with files("addfips").joinpath("data/counties_2015.csv").open("rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.setdefault(row["statefp"] + row["countyfp"], row["name"])
    return names


def _read_county_frame() -> pd.DataFrame:
    """GEOID/name/state_fips(/LSAD) of 2016 counties: geo/counties.parquet, else plotly-geo's dbf."""
    if COUNTIES_PARQUET.is_file():
        frame = pd.read_parquet(COUNTIES_PARQUET, columns=["GEOID", "name"])   # no geometry
        out = pd.DataFrame({"GEOID": frame["GEOID"].astype(str), "NAME": frame["name"].astype(str)})
        out["STATEFP"] = out["GEOID"].str[:2]
        out["LSAD"] = ""   # the parquet's names already carry their type word ("Richmond city")
        return out
    import importlib.util

    spec = importlib.util.find_spec("_plotly_geo")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"no county table: build {COUNTIES_PARQUET} (make geo) or install the geo-build extra"
        )
    dbf = Path(list(spec.submodule_search_locations)[0]) / "package_data" / "cb_2016_us_county_500k.dbf"
    import pyogrio

    frame = pyogrio.read_dataframe(dbf, read_geometry=False, columns=["GEOID", "NAME", "LSAD", "STATEFP"])
    return frame.astype({c: str for c in ("GEOID", "NAME", "LSAD", "STATEFP")})


class _CountyIndex:
    """Per-state dict look-ups from many spellings of a county name to its 2016 GEOID."""

    def __init__(self, frame: pd.DataFrame) -> None:
        census_names = _addfips_names()
        self.counties: dict[str, _County] = {}
        self.strong: dict[str, dict[str, str]] = defaultdict(dict)   # full spellings
        self.weak: dict[str, dict[str, str]] = defaultdict(dict)     # bare names (no type word)
        self.by_state: dict[str, list[str]] = defaultdict(list)
        bare_owner: dict[tuple[str, str], str] = {}
        for geoid, raw_name, lsad, state_fips in frame[["GEOID", "NAME", "LSAD", "STATEFP"]].itertuples(
            index=False
        ):
            name = census_names.get(geoid)
            if name is None:
                suffix = _LSAD_SUFFIX.get(lsad, "")
                name = raw_name if not suffix or raw_name.lower().endswith(suffix.lower()) else f"{raw_name} {suffix}"
            full = normalise_name(name) or ""
            bare = _strip_geo_suffix(full)
            county = _County(geoid, state_fips, name, bare, lsad)
            self.counties[geoid] = county
            self.by_state[state_fips].append(geoid)
            strong = self.strong[state_fips]
            spellings = {full, bare + " county"} if lsad != "25" and not full.endswith(" city") else {full}
            kind = full[len(bare):].strip()
            if kind:
                spellings.add(f"{kind} of {bare}")       # "city of richmond", "municipality of anchorage"
            if state_fips == "22":
                spellings.add(bare + " parish")
            for spelling in spellings:
                strong.setdefault(_compact(spelling), geoid)
            # Bare names: a county beats an independent city of the same name (Richmond, Baltimore, ...).
            key = _compact(bare)
            owner = bare_owner.get((state_fips, key))
            is_city = full.endswith(" city") and not full.endswith(" county")
            if owner is None or (self.counties[owner].name.endswith(" city") and not is_city):
                bare_owner[(state_fips, key)] = geoid
                self.weak[state_fips][key] = geoid
        self._fuzzy_keys = {st: sorted(keys) for st, keys in self.weak.items()}

    def name(self, geoid: str | None) -> str | None:
        county = self.counties.get(geoid or "")
        return county.name if county else None

    def valid(self, geoid: str | None, state_fips: str | None = None) -> str | None:
        """The 2016 GEOID for a code of any vintage, or None (wrong state or unknown)."""
        if not geoid:
            return None
        geoid = VINTAGE_REMAP.get(geoid, geoid)
        if geoid not in self.counties or (state_fips and not geoid.startswith(state_fips)):
            return None
        return geoid

    def lookup(self, name: str | None, state_fips: str | None, *, fuzzy: bool = False,
               bare_ok: bool = True) -> str | None:
        """GEOID for a county name as people write it, or None."""
        if not name or not state_fips:
            return None
        normalised = normalise_name(name)
        if not normalised:
            return None
        # "Lake Conty", "Baldwin Couny": a misspelt last word that is plainly "county".
        head, _, last = normalised.rpartition(" ")
        if head and last != "county" and last[:2] == "co" and _ratio(last, "county") >= 0.8:
            normalised = head + " county"
        has_type = normalised != _strip_geo_suffix(normalised)
        if has_type:
            # addfips first (its own spellings), then our normaliser around it.
            for fips in (_addfips_lookup(name, state_fips, 2015), _addfips_lookup(name, state_fips, 2020)):
                if (geoid := self.valid(fips, state_fips)) is not None:
                    return geoid
        strong, weak = self.strong.get(state_fips, {}), self.weak.get(state_fips, {})
        key = _compact(normalised)
        if key in strong:
            return strong[key]
        if (state_fips, key) in VINTAGE_NAMES:
            return self.valid(VINTAGE_NAMES[(state_fips, key)], state_fips)
        bare = _compact(_strip_geo_suffix(normalised))
        if bare_ok and bare in weak:
            return weak[bare]
        if fuzzy and len(bare) >= 5:
            close = difflib.get_close_matches(bare, self._fuzzy_keys.get(state_fips, []), n=2, cutoff=0.85)
            if len(close) == 1 or (len(close) == 2 and _ratio(bare, close[0]) - _ratio(bare, close[1]) > 0.05):
                return weak[close[0]]
        return None


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@functools.lru_cache(maxsize=None)
def _addfips(vintage: int) -> Any:
    import addfips

    return addfips.AddFIPS(vintage=vintage)


def _addfips_lookup(name: str, state_fips: str, vintage: int) -> str | None:
    try:
        return _addfips(vintage).get_county_fips(name.strip(), state_fips)
    except Exception:  # addfips raises on odd input; a miss is all we need
        return None


@functools.lru_cache(maxsize=1)
def county_index() -> _CountyIndex:
    """The 2016 county look-up (built once per process)."""
    return _CountyIndex(_read_county_frame())


@functools.lru_cache(maxsize=1)
def valid_county_fips() -> frozenset[str]:
    """All 2016 county GEOIDs; every county_fips placed must be one of them."""
    return frozenset(county_index().counties)


# --------------------------------------------------------------------------------------------------
# The place-to-county gazetteer (zipcodes)


_GAZETTEER_FORMAT = 1


class _Gazetteer:
    """(state, city) -> county GEOID, the county covering most of the city's ZIP codes.

    Building it means materialising all ~42k zipcodes records (1-2 s), so the compiled look-up is
    kept as JSON in the cache folder, keyed by the zipcodes version.
    """

    def __init__(self, counties: _CountyIndex, cache: Path | None = None) -> None:
        tables = _read_json(cache) if cache is not None else None
        if tables is None:
            tables = self._build(counties)
            if cache is not None:
                _write_json(cache, tables)
        self.primary = {tuple(k.split("|", 1)): v for k, v in tables["primary"].items()}
        self.alternate = {tuple(k.split("|", 1)): v for k, v in tables["alternate"].items()}
        self.by_initial: dict[tuple[str, str], list[str]] = defaultdict(list)
        for state, city in self.primary:
            self.by_initial[(state, city[:1])].append(city)

    @staticmethod
    def _build(counties: _CountyIndex) -> dict[str, dict[str, str]]:
        import zipcodes

        primary: dict[str, dict[str, int]] = defaultdict(dict)
        alternate: dict[str, dict[str, int]] = defaultdict(dict)
        county_cache: dict[tuple[str, str], str | None] = {}
        state_fips_of = _state_fips_by_postal()
        for record in zipcodes.list_all():
            state = record.get("state") or ""
            state_fips = state_fips_of.get(state)
            if not state_fips:
                continue
            county_name = record.get("county") or ""
            key = (state_fips, county_name)
            if key not in county_cache:
                county_cache[key] = counties.lookup(county_name, state_fips) if county_name else None
                if county_cache[key] is None and len(counties.by_state.get(state_fips, ())) == 1:
                    county_cache[key] = counties.by_state[state_fips][0]   # DC, Guam: one county
            geoid = county_cache[key]
            if geoid is None:
                continue
            weight = 2 if record.get("zip_code_type") == "STANDARD" else 1
            city = normalise_name(record.get("city"))
            if city:
                counts = primary[f"{state}|{_compact(city)}"]
                counts[geoid] = counts.get(geoid, 0) + weight
            for other in record.get("acceptable_cities") or ():
                if other_norm := normalise_name(other):
                    counts = alternate[f"{state}|{_compact(other_norm)}"]
                    counts[geoid] = counts.get(geoid, 0) + weight
        return {
            "primary": {k: _best(v) for k, v in primary.items()},
            "alternate": {k: _best(v) for k, v in alternate.items()},
        }

    def lookup(self, city_normalised: str, state: str) -> str | None:
        key = (state, _compact(city_normalised))
        return self.primary.get(key) or self.alternate.get(key)

    def lookup_close(self, city_normalised: str, state: str) -> str | None:
        """A one-or-two-letter misspelling of a long town name, when only one town is that close."""
        key = _compact(city_normalised)
        if len(key) < 8:
            return None
        pool = [c for c in self.by_initial.get((state, key[:1]), ()) if abs(len(c) - len(key)) <= 2]
        close = difflib.get_close_matches(key, pool, n=2, cutoff=0.9)
        if len(close) == 1:
            return self.primary[(state, close[0])]
        return None


def _read_json(path: Path) -> Any:
    import json

    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def _write_json(path: Path, data: Any) -> None:
    """Best effort: a read-only cache folder only costs the rebuild next time."""
    import json
    import os

    try:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def _best(counts: dict[str, int]) -> str:
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]


@functools.lru_cache(maxsize=1)
def _state_fips_by_postal() -> dict[str, str]:
    import us

    table = {s.abbr: s.fips for s in us.states.STATES_AND_TERRITORIES}
    table.update({"DC": "11"})
    for extra in ("AS", "GU", "MP", "PR", "VI"):
        state = us.states.lookup(extra)
        if state is not None:
            table[extra] = state.fips
    return table


@functools.lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """The zipcodes gazetteer (built lazily, only when a place name is needed; cached on disk)."""
    import zipcodes

    counties = county_index()
    try:
        cache: Path | None = config.cache_dir() / (
            f"gazetteer-zipcodes{zipcodes.__version__}-c{len(counties.counties)}-v{_GAZETTEER_FORMAT}.json"
        )
    except OSError:
        cache = None
    return _Gazetteer(counties, cache)


# --------------------------------------------------------------------------------------------------
# Reviewed fixes


@functools.lru_cache(maxsize=4)
def load_fixes(path: Path = FIXES_PATH) -> dict[tuple[str, str], str]:
    """(state, agency_key) -> county GEOID from the reviewed table; invalid rows are skipped."""
    fixes: dict[tuple[str, str], str] = {}
    if not path.is_file():
        return fixes
    counties = county_index()
    states = _state_fips_by_postal()
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            state = (row.get("state") or "").strip().upper()
            agency = agency_key(row.get("agency"), state) if (row.get("agency") or "").strip() else ""
            geoid = counties.valid((row.get("county_fips") or "").strip().zfill(5), states.get(state))
            if state and agency and geoid:
                fixes[(state, agency)] = geoid
    return fixes


# --------------------------------------------------------------------------------------------------
# Reading place names out of agency names


def county_from_agency_name(agency: str | None, state_fips: str | None, *, bare_ok: bool = False) -> str | None:
    """GEOID of a county named in an agency name ("X County Sheriff's Office", "City of Y Sheriff")."""
    normalised = normalise_name(agency)
    if not normalised or not state_fips:
        return None
    counties = county_index()
    strong = counties.strong.get(state_fips, {})
    words = normalised.split()
    # "<words> County|Parish|Borough|city ...": longest phrase first ("Red Lake" before "Lake").
    for i, word in enumerate(words):
        if word in ("county", "parish", "borough", "city", "area", "municipality"):
            for n in range(min(i, 5), 0, -1):
                phrase = "".join(words[i - n: i + 1])
                if phrase in strong:
                    return strong[phrase]
            if word == "borough" and i >= 2 and words[i - 2: i] == ["city", "and"]:
                for n in range(min(i - 2, 4), 0, -1):
                    phrase = "".join(words[i - 2 - n: i + 1])
                    if phrase in strong:
                        return strong[phrase]
    # "City of Y", "County of X", "Parish of X", "Municipality of X" ...
    for i, word in enumerate(words):
        if word != "of" or i == 0:
            continue
        for start in (i - 1, i - 3):   # "city of", "city and borough of"
            if start < 0 or words[start] not in ("city", "county", "parish", "borough", "municipality"):
                continue
            for n in range(min(len(words) - i - 1, 4), 0, -1):
                phrase = "".join(words[start: i + 1 + n])
                if phrase in strong:
                    return strong[phrase]
    if bare_ok:
        # "Alexandria Sheriff's Office", "Hopewell County Sheriff's Office" (VA: independent cities).
        place = place_from_agency_name(agency)
        if place and (geoid := counties.weak.get(state_fips, {}).get(_compact(_strip_geo_suffix(place)))):
            return geoid
        # Typos ICE made in county agencies' names: "Berrian County", "Okfusfee County".
        for i, word in enumerate(words):
            if word in ("county", "parish"):
                for n in range(min(i, 3), 0, -1):
                    phrase = " ".join(words[i - n: i])
                    if geoid := counties.lookup(phrase + " " + word, state_fips, fuzzy=True):
                        return geoid
    return None


def agency_key(agency: Any, state: str | None = None) -> str:
    """The agency's name without its kind, for matching spellings of one agency across sheets.

    "East Donegal Township Constables Office" and "East Donegal Township Constable" -> same key.
    """
    normalised = normalise_name(agency) or ""
    words = [w for w in normalised.split() if w not in _KIND_WORDS]
    if words and state and words[-1] == state.lower():
        words = words[:-1]   # "Unity Township Constable, PA"
    return "".join(words) or _compact(normalised)


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
                text, changed = text[len(prefix):], True
    words: list[str] = []
    split = text.split()
    for i, word in enumerate(split):
        if word in _ROLE_WORDS or (word == "international" and split[i + 1: i + 2] == ["airport"]):
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


def _town_named_like_county(agency: str, printed: str, state: str, printed_geoid: str) -> str | None:
    """The gazetteer's county when ICE printed the county that merely shares the town's name.

    ICE's COUNTY column looks filled by a name look-up: "Cherokee Police Department" (AL) got
    Cherokee County though Cherokee lies in Colbert County; likewise Monroe, GA (Walton County).
    Only when the town's own ZIP codes put it in a different county is the printed one overruled.
    """
    town = place_from_agency_name(agency)
    bare = _strip_geo_suffix(normalise_name(printed) or "")
    if not town or _compact(town) != _compact(bare):
        return None
    found = gazetteer().primary.get((state, _compact(town)))
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
        return False   # a state university's police still has one campus
    state_name = ""
    if state:
        import us

        found = us.states.lookup(state)
        state_name = (normalise_name(found.name) or "") if found is not None else ""
    starts_with_state = bool(state_name) and normalised.startswith(state_name + " ")
    if strict:
        return starts_with_state and bool(
            _STATEWIDE_HINTS.search(normalised)
            or re.search(r"\b(state|alcohol|tobacco|wildlife|highway|commission)\b", normalised)
        )
    return (
        starts_with_state
        or bool(_STATEWIDE_HINTS.search(normalised))
        or bool(re.search(r"\bdepartment of\b", normalised) and not re.search(r"\bpolice\b", normalised))
    )


# --------------------------------------------------------------------------------------------------
# Placing one distinct key


@dataclass(frozen=True)
class Placement:
    level: str
    county_fips: str | None
    county_name: str | None
    placed_by: str | None
    unplaced_reason: str | None


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
) -> Placement:
    """Place one agreement; the reason says what was tried when nothing fits."""
    state, agency, jtype = _clean(state), _clean(agency) or "", _clean(jurisdiction_type)
    printed = None if printed_county_missing(county_printed) else _clean(county_printed)
    level = _LEVELS.get(jtype or "", LEVEL_OTHER)
    if state is not None:
        state = state.upper()
    state_fips = _clean(state_fips) or (_state_fips_by_postal().get(state) if state else None)

    if level == LEVEL_STATEWIDE or (level == LEVEL_OTHER and _looks_statewide(agency, state)):
        return Placement(LEVEL_STATEWIDE, None, None, METHOD_STATEWIDE, None)
    if not state or not state_fips:
        return Placement(level, None, None, None, f"state unknown for '{agency}'")

    counties = county_index()

    def placed(geoid: str, method: str) -> Placement:
        return Placement(level, geoid, counties.name(geoid), method, None)

    reasons: list[str] = []
    if printed:
        geoid = counties.lookup(printed, state_fips, fuzzy=True)
        if geoid:
            if level == LEVEL_MUNICIPAL and (town := _town_named_like_county(agency, printed, state, geoid)):
                return placed(town, METHOD_GAZETTEER)
            return placed(geoid, METHOD_COUNTY_COLUMN)
        reasons.append(f"county '{printed}' printed by ICE not found in {state}")

    geoid = county_from_agency_name(agency, state_fips, bare_ok=level == LEVEL_COUNTY)
    if geoid:
        return placed(geoid, METHOD_AGENCY_NAME)

    candidates = _gazetteer_candidates(agency, level)
    if candidates:
        gaz = gazetteer()
        for city in candidates:
            if geoid := gaz.lookup(city, state):
                return placed(geoid, METHOD_GAZETTEER)
        for city in candidates:
            if geoid := gaz.lookup_close(city, state):   # ICE's typos: "Macro Island", "Indiatlantic"
                return placed(geoid, METHOD_GAZETTEER)
        if len(counties.by_state.get(state_fips, ())) == 1:   # DC, Guam: the state is the county
            return placed(counties.by_state[state_fips][0], METHOD_GAZETTEER)

    fix = load_fixes().get((state, agency_key(agency, state)))
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
    if elsewhere := _states_with_county(printed or agency, state_fips):
        reasons.append(f"a county of that name exists in {', '.join(elsewhere)}")
    return Placement(level, None, None, None, "; ".join(reasons))


def _gazetteer_candidates(agency: str, level: str) -> list[str]:
    """Town names worth looking up; none for regional bodies or for sheriffs and jails."""
    normalised = normalise_name(agency) or ""
    # "Susquehanna Regional Police", "Albemarle District Jail": a region's name, not a town's.
    if re.search(r"\b(regional|region|metro|metropolitan|district)\b", normalised):
        return []
    if level == LEVEL_COUNTY and (
        not re.search(r"\b(police|marshal|marshals|pd|dps|sheriff|sheriffs)\b", normalised)
        or re.search(r"\b(county|parish)\b", normalised)
    ):
        return []   # a jail or a county office: its first words need not be a town

    return _place_candidates(agency)


def _states_with_county(name: str | None, state_fips: str) -> list[str]:
    """Postal codes of other states that have a county spelled like ``name`` (ICE's wrong-state rows)."""
    normalised = normalise_name(name)
    if not normalised:
        return []
    match = re.search(r"((?:[a-z0-9]+ ){1,3})(county|parish)\b", normalised + " ")
    if not match:
        return []
    words = match.group(1).split()
    counties = county_index()
    postal = {v: k for k, v in _state_fips_by_postal().items()}
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


def place_agreements(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with the PLACE_COLUMNS added; one placement per distinct key, same rows out."""
    missing = [c for c in KEY_COLUMNS if c not in df.columns]
    if missing:
        raise KeyError(f"place_agreements needs columns {missing}")
    out = df.copy()
    if out.empty:
        for column in PLACE_COLUMNS:
            out[column] = pd.Series([], dtype="str", index=out.index)
        return out
    key_cols = list(KEY_COLUMNS) + (["state_fips"] if "state_fips" in df.columns else [])
    # One integer per distinct key: factorize each column (fast on Arrow strings), then combine.
    combined = np.zeros(len(df), dtype=np.int64)
    for column in key_cols:
        col_codes, uniques = pd.factorize(df[column], use_na_sentinel=True)
        combined = combined * (len(uniques) + 1) + (col_codes + 1)
        combined, _ = pd.factorize(combined)   # keep the numbers small
    codes, _ = pd.factorize(combined)
    _, first_rows = np.unique(codes, return_index=True)   # first row of group 0, 1, 2, ...
    firsts = df[key_cols].iloc[first_rows].astype(object)
    firsts = firsts.where(firsts.notna(), None)
    results: list[Placement] = [
        place_one(
            row["state"], row["agency"], row["jurisdiction_type"], row["county_printed"],
            row.get("state_fips"),
        )
        for row in firsts.to_dict("records")
    ]
    results = _borrow_printed_counties(firsts, results)
    for column in PLACE_COLUMNS:
        values = [getattr(r, column) for r in results]
        out[column] = pd.Series(
            pd.array(values, dtype="str")[codes], index=out.index, dtype="str"
        )
    return out


def _borrow_printed_counties(keys: pd.DataFrame, results: list[Placement]) -> list[Placement]:
    """Use the county ICE printed for the same agency in another publication.

    Sheets before 2025-03-17 have no COUNTY column, and later ones print #N/A for many towns; when
    every publication that did print a county for (state, agency) agrees on one, that beats a guess
    from the gazetteer and keeps an agency in one county across the history. Reviewed fixes and
    counties named in the agency name still win.
    """
    printed: dict[tuple[str, str], set[str]] = defaultdict(set)
    names: list[tuple[str, str]] = []
    for state, agency, result in zip(keys["state"], keys["agency"], results):
        name = (state or "", agency_key(agency, state))
        names.append(name)
        if result.placed_by == METHOD_COUNTY_COLUMN and result.county_fips:
            printed[name].add(result.county_fips)
    if not printed:
        return results
    counties = county_index()
    out = list(results)
    for i, (name, result) in enumerate(zip(names, results)):
        if result.placed_by in (METHOD_GAZETTEER, None) and result.level != LEVEL_STATEWIDE:
            found = printed.get(name)
            if found and len(found) == 1:
                geoid = next(iter(found))
                out[i] = Placement(result.level, geoid, counties.name(geoid), METHOD_COUNTY_COLUMN, None)
    return out


def placement_masks(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(local, unplaced): rows ICE typed County or Municipality (the match rate's base), and rows with
    no county that are not statewide (the ones listed with a reason). One definition for every report."""
    local = df["jurisdiction_type"].isin(["County", "Municipality"])
    unplaced = df["county_fips"].isna() & (df["level"] != LEVEL_STATEWIDE)
    return local, unplaced


def placement_summary(df: pd.DataFrame) -> dict[str, Any]:
    """Counts for the placing report: how many county/municipal agreements sit in a county, and how."""
    local_mask, unplaced_mask = placement_masks(df)
    local = df[local_mask]
    placed = local["county_fips"].notna()
    unplaced_rows = df[unplaced_mask]
    unplaced: list[dict[str, Any]] = []
    if not unplaced_rows.empty:
        cols = ["state", "agency", "jurisdiction_type", "county_printed", "unplaced_reason"]
        grouped = (
            unplaced_rows[cols].astype(object).where(unplaced_rows[cols].notna(), None)
            .groupby(cols, dropna=False, sort=True).size()
        )
        for key, rows in grouped.items():
            state, agency, jt, printed, reason = (_clean(v) for v in key)
            unplaced.append({
                "state": state, "agency": agency, "type": jt, "county_printed": printed,
                "reason": reason, "rows": int(rows),
            })
    by_method = {
        str(k): int(v) for k, v in df["placed_by"].fillna("unplaced").value_counts().sort_index().items()
    }
    return {
        "rows": int(len(df)),
        "county_or_municipal": int(len(local)),
        "in_county": int(placed.sum()),
        "rate": float(placed.mean()) if len(local) else 1.0,
        "statewide": int((df["level"] == LEVEL_STATEWIDE).sum()),
        # typed County/Municipality by ICE but named as a state agency ("Indiana State Police")
        "local_typed_statewide": int((local["level"] == LEVEL_STATEWIDE).sum()),
        "by_method": by_method,
        "unplaced": unplaced,
    }
