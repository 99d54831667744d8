"""The look-up tables placement needs, built from data handed to them: the 2016 county index (from
the boundary layer), the ZIP-code gazetteer (from the ``zipcodes`` package), the counties the FBI roster
gives each town's police, and the reviewed fixes.

:func:`load_place_context` is the one place that reads them (the boundary layer's county table, the
fixes CSV, the gazetteer's compiled cache); :mod:`mapcore.build.place` receives a
:class:`PlaceContext` and reads no file itself.
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from mapcore.core import config
from mapcore.core.agency_key import agency_identity

FIXES_PATH: Path = config.DATA_DIR / "placement_fixes.csv"
# Regional bodies (a judicial circuit's state attorney, a regional jail, a multi-county task force):
# reviewed tables naming their counties (sources in data/README.md).
REGIONAL_PATH: Path = config.DATA_DIR / "regional_agencies.csv"
CIRCUITS_PATH: Path = config.DATA_DIR / "judicial_circuits.csv"
# Every reviewed table placement reads: a change to any of them rebuilds the dataset.
REVIEWED_TABLES: tuple[Path, ...] = (FIXES_PATH, REGIONAL_PATH, CIRCUITS_PATH)

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

_ABBREVIATIONS: dict[str, str] = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_GEO_SUFFIXES: tuple[str, ...] = (
    "city and borough",
    "census area",
    "county",
    "parish",
    "borough",
    "municipality",
    "municipio",
    "city",
    "district",
    "island",
)


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


def compact(normalised: str) -> str:
    """Spaces dropped, so "De Kalb"/"DeKalb" and "La Grange"/"LaGrange" meet."""
    return normalised.replace(" ", "")


def strip_geo_suffix(normalised: str) -> str:
    for suffix in _GEO_SUFFIXES:
        if normalised.endswith(" " + suffix):
            return normalised[: -len(suffix) - 1]
    return normalised


# --------------------------------------------------------------------------------------------------
# The 2016 county table


@dataclass(frozen=True)
class _County:
    geoid: str
    state_fips: str
    name: str  # Census name with its type word, e.g. "Harris County", "Richmond city"
    bare: str  # normalised name without the type word
    lsad: str  # "06" county, "25" independent city, ... ("" when unknown)


def _addfips_names() -> dict[str, str]:
    """GEOID -> Census name with type word ("Harris County"), from addfips' 2015 table (≈ 2016 set)."""
    from importlib.resources import files

    names: dict[str, str] = {}
    with files("addfips").joinpath("data/counties_2015.csv").open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.setdefault(row["statefp"] + row["countyfp"], row["name"])
    return names


class CountyIndex:
    """Per-state dict look-ups from many spellings of a county name to its 2016 GEOID."""

    def __init__(self, frame: pd.DataFrame) -> None:
        census_names = _addfips_names()
        self.counties: dict[str, _County] = {}
        self.strong: dict[str, dict[str, str]] = defaultdict(dict)  # full spellings
        self.weak: dict[str, dict[str, str]] = defaultdict(dict)  # bare names (no type word)
        self.by_state: dict[str, list[str]] = defaultdict(list)
        bare_owner: dict[tuple[str, str], str] = {}
        lsads = frame["LSAD"] if "LSAD" in frame else pd.Series("", index=frame.index)
        for geoid, raw_name, lsad, state_fips in zip(frame["GEOID"], frame["NAME"], lsads, frame["STATEFP"]):
            name = census_names.get(geoid) or raw_name
            full = normalise_name(name) or ""
            bare = strip_geo_suffix(full)
            county = _County(geoid, state_fips, name, bare, lsad)
            self.counties[geoid] = county
            self.by_state[state_fips].append(geoid)
            strong = self.strong[state_fips]
            spellings = {full, bare + " county"} if lsad != "25" and not full.endswith(" city") else {full}
            kind = full[len(bare) :].strip()
            if kind:
                spellings.add(f"{kind} of {bare}")  # "city of richmond", "municipality of anchorage"
            if state_fips == "22":
                spellings.add(bare + " parish")
            for spelling in spellings:
                strong.setdefault(compact(spelling), geoid)
            # Bare names: a county beats an independent city of the same name (Richmond, Baltimore, ...).
            key = compact(bare)
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

    def lookup(self, name: str | None, state_fips: str | None, *, fuzzy: bool = False, bare_ok: bool = True) -> str | None:
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
        has_type = normalised != strip_geo_suffix(normalised)
        if has_type:
            # addfips first (its own spellings), then our normaliser around it.
            for fips in (_addfips_lookup(name, state_fips, 2015), _addfips_lookup(name, state_fips, 2020)):
                if (geoid := self.valid(fips, state_fips)) is not None:
                    return geoid
        strong, weak = self.strong.get(state_fips, {}), self.weak.get(state_fips, {})
        key = compact(normalised)
        if key in strong:
            return strong[key]
        if (state_fips, key) in VINTAGE_NAMES:
            return self.valid(VINTAGE_NAMES[(state_fips, key)], state_fips)
        bare = compact(strip_geo_suffix(normalised))
        if bare_ok and bare in weak:
            return weak[bare]
        if fuzzy and len(bare) >= 5:
            close = difflib.get_close_matches(bare, self._fuzzy_keys.get(state_fips, []), n=2, cutoff=0.85)
            if len(close) == 1 or (len(close) == 2 and _ratio(bare, close[0]) - _ratio(bare, close[1]) > 0.05):
                return weak[close[0]]
        return None


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@functools.cache
def _addfips(vintage: int) -> Any:
    import addfips

    return addfips.AddFIPS(vintage=vintage)


def _addfips_lookup(name: str, state_fips: str, vintage: int) -> str | None:
    try:
        return _addfips(vintage).get_county_fips(name.strip(), state_fips)
    except Exception:  # addfips raises on odd input; a miss is all we need
        return None


# --------------------------------------------------------------------------------------------------
# The place-to-county gazetteer (zipcodes)


_GAZETTEER_FORMAT = 2  # 2: every county a town's ZIP codes lie in ("counties")


class Gazetteer:
    """(state, city) -> county GEOID, the county covering most of the city's ZIP codes.

    Building it means materialising all ~42k zipcodes records (1-2 s), so the compiled look-up is
    kept as JSON in the cache folder, keyed by the zipcodes version.
    """

    def __init__(self, counties: CountyIndex, cache: Path | None = None) -> None:
        tables = _read_json(cache) if cache is not None else None
        if tables is None:
            tables = self._build(counties)
            if cache is not None:
                _write_json(cache, tables)
        self.primary = {tuple(k.split("|", 1)): v for k, v in tables["primary"].items()}
        self.alternate = {tuple(k.split("|", 1)): v for k, v in tables["alternate"].items()}
        self.all_counties = {tuple(k.split("|", 1)): frozenset(v) for k, v in tables.get("counties", {}).items()}
        self.by_initial: dict[tuple[str, str], list[str]] = defaultdict(list)
        for state, city in self.primary:
            self.by_initial[(state, city[:1])].append(city)

    @staticmethod
    def _build(counties: CountyIndex) -> dict[str, dict[str, Any]]:
        import zipcodes

        primary: dict[str, dict[str, int]] = defaultdict(dict)
        alternate: dict[str, dict[str, int]] = defaultdict(dict)
        county_cache: dict[tuple[str, str], str | None] = {}
        state_fips_of = state_fips_by_postal()
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
                    county_cache[key] = counties.by_state[state_fips][0]  # DC, Guam: one county
            geoid = county_cache[key]
            if geoid is None:
                continue
            weight = 2 if record.get("zip_code_type") == "STANDARD" else 1
            city = normalise_name(record.get("city"))
            if city:
                counts = primary[f"{state}|{compact(city)}"]
                counts[geoid] = counts.get(geoid, 0) + weight
            for other in record.get("acceptable_cities") or ():
                if other_norm := normalise_name(other):
                    counts = alternate[f"{state}|{compact(other_norm)}"]
                    counts[geoid] = counts.get(geoid, 0) + weight
        every: dict[str, set[str]] = defaultdict(set)
        for table in (primary, alternate):
            for k, v in table.items():
                every[k] |= set(v)
        return {
            "primary": {k: _best(v) for k, v in primary.items()},
            "alternate": {k: _best(v) for k, v in alternate.items()},
            "counties": {k: sorted(v) for k, v in every.items()},
        }

    def lookup(self, city_normalised: str, state: str) -> str | None:
        key = (state, compact(city_normalised))
        return self.primary.get(key) or self.alternate.get(key)

    def counties_of(self, city_normalised: str, state: str) -> frozenset[str]:
        """Every county any ZIP code of the town lies in (by its name or an accepted one); empty if unknown."""
        return self.all_counties.get((state, compact(city_normalised)), frozenset())

    def lookup_close(self, city_normalised: str, state: str) -> str | None:
        """A one-or-two-letter misspelling of a long town name, when only one town is that close."""
        key = compact(city_normalised)
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
def state_fips_by_postal() -> dict[str, str]:
    import us

    table = {s.abbr: s.fips for s in us.states.STATES_AND_TERRITORIES if s.fips}
    table.update({"DC": "11"})
    for extra in ("AS", "GU", "MP", "PR", "VI"):
        state = us.states.lookup(extra)
        if state is not None and state.fips:
            table[extra] = state.fips
    return table


# --------------------------------------------------------------------------------------------------
# The context placement runs in


# (state, compact town name) -> 2016 GEOIDs of the counties the FBI roster gives that town's police.
TownCounties = dict[tuple[str, str], frozenset[str]]
_TOWN_KIND = re.compile(r" (city|town|village|borough|township)$")


def roster_town_counties(roster: pd.DataFrame) -> TownCounties:
    """The counties of each town's police in the FBI roster (City-type agencies; the roster's table with
    ``state``, ``name``, ``type`` and ``county_fips`` ";"-joined), keyed like the gazetteer ("Elmira Town" ->
    "elmira"). Two agencies of one town name in a state pool their counties."""
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    if roster is None or roster.empty:
        return {}
    city = roster[roster["type"].astype(str) == "City"]
    for state, name, fips in zip(city["state"].astype(str), city["name"].astype(str), city["county_fips"]):
        town = _TOWN_KIND.sub("", normalise_name(name) or "")
        if town and isinstance(fips, str) and fips:
            out[(state, compact(town))] |= set(fips.split(";"))
    return {k: frozenset(v) for k, v in out.items()}


def _roster_towns() -> TownCounties:
    from mapcore.reference.fbi_roster import roster_table

    return roster_town_counties(roster_table())


@dataclass(frozen=True)
class Region:
    """The counties a regional body serves (2016 GEOIDs, empty when no reviewed source names them)."""

    name: str  # e.g. "Florida's 6th judicial circuit", or the agency as listed in the table
    geoids: tuple[str, ...]
    source: str  # the table it comes from, for the reason shown when no county is known


@dataclass
class PlaceContext:
    """Everything placement looks things up in. The gazetteer is built on first use only (most
    agreements are placed before a town name is needed). ``regions``: (state, agency identity) ->
    :class:`Region` from ``data/regional_agencies.csv``; ``circuits``: (state, number) -> the
    counties of a numbered judicial circuit or district, from ``data/judicial_circuits.csv``."""

    counties: CountyIndex
    fixes: dict[tuple[str, str], str] = field(default_factory=dict)
    gazetteer_loader: Callable[[CountyIndex], Gazetteer] | None = None
    regions: dict[tuple[str, str], Region] = field(default_factory=dict)
    circuits: dict[tuple[str, int], Region] = field(default_factory=dict)
    towns_loader: Callable[[], TownCounties] | None = None
    _gazetteer: Gazetteer | None = field(default=None, init=False, repr=False)
    _towns: TownCounties | None = field(default=None, init=False, repr=False)

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = (self.gazetteer_loader or Gazetteer)(self.counties)
        return self._gazetteer

    @property
    def roster_towns(self) -> TownCounties:
        """(state, compact town name) -> the counties the FBI roster gives its city police (loaded on first
        use; empty without a loader)."""
        if self._towns is None:
            self._towns = self.towns_loader() if self.towns_loader is not None else {}
        return self._towns

    @property
    def geoids(self) -> frozenset[str]:
        """All 2016 county GEOIDs; every county_fips placed must be one of them."""
        return frozenset(self.counties.counties)


def county_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The boundary layer's county table (GEOID, name) in the shape :class:`CountyIndex` reads."""
    out = pd.DataFrame({"GEOID": table["GEOID"].astype(str), "NAME": table["name"].astype(str)})
    out["STATEFP"] = out["GEOID"].str[:2]
    return out


def read_fixes(path: Path, counties: CountyIndex) -> dict[tuple[str, str], str]:
    """(state, agency identity) -> county GEOID from the reviewed table; invalid rows are skipped."""
    fixes: dict[tuple[str, str], str] = {}
    if not path.is_file():
        return fixes
    states = state_fips_by_postal()
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            state = (row.get("state") or "").strip().upper()
            agency = agency_identity(row.get("agency"))
            geoid = counties.valid((row.get("county_fips") or "").strip().zfill(5), states.get(state))
            if state and agency and geoid:
                fixes[(state, agency)] = geoid
    return fixes


class ReviewedTableError(ValueError):
    """A reviewed table in data/ that does not hold what placement needs (names file, row, column)."""


def _region_geoids(raw: str, state: str, counties: CountyIndex, where: str) -> tuple[str, ...]:
    """GEOIDs of a '; '-separated list of county names of one state; every name must be a county."""
    state_fips = state_fips_by_postal().get(state)
    if not state_fips:
        raise ReviewedTableError(f"{where}, column state: '{state}' is not a state's postal code")
    geoids = []
    for name in (part.strip() for part in raw.split(";")):
        if not name:
            continue
        geoid = counties.lookup(name, state_fips) or counties.lookup(f"{name} County", state_fips)
        if geoid is None:
            raise ReviewedTableError(f"{where}, column counties: '{name}' is not a county of {state}")
        geoids.append(geoid)
    return tuple(dict.fromkeys(geoids))


def _reviewed_rows(path: Path, counties: CountyIndex) -> Iterator[tuple[str, str, dict[str, str], tuple[str, ...]]]:
    """(where, state, row, county GEOIDs) of each row of a reviewed table with state and counties
    columns; ``where`` is "file, row N" for messages. Nothing when the file is absent."""
    if not path.is_file():
        return
    with path.open(newline="", encoding="utf-8") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name}, row {number}"
            state = (row.get("state") or "").strip().upper()
            yield where, state, row, _region_geoids(row.get("counties") or "", state, counties, where)


def read_regions(path: Path, counties: CountyIndex) -> dict[tuple[str, str], Region]:
    """(state, agency identity) -> :class:`Region` from the reviewed regional-bodies table. A row may
    name no county (membership not confirmed): the body is then regional with no county claimed."""
    regions: dict[tuple[str, str], Region] = {}
    for where, state, row, geoids in _reviewed_rows(path, counties):
        agency = (row.get("agency") or "").strip()
        if not agency_identity(agency):
            raise ReviewedTableError(f"{where}, column agency: blank")
        regions[(state, agency_identity(agency))] = Region(agency, geoids, path.name)
    return regions


def read_circuits(path: Path, counties: CountyIndex) -> dict[tuple[str, int], Region]:
    """(state, number) -> :class:`Region` of each numbered judicial circuit (or district) in the table."""
    circuits: dict[tuple[str, int], Region] = {}
    for where, state, row, geoids in _reviewed_rows(path, counties):
        try:
            circuit = int((row.get("number") or "").strip())
        except ValueError:
            raise ReviewedTableError(f"{where}, column number: '{row.get('number')}' is not a number") from None
        kind = (row.get("kind") or "judicial circuit").strip()
        if not geoids:
            raise ReviewedTableError(f"{where}, column counties: no county")
        circuits[(state, circuit)] = Region(f"{state} {_ordinal(circuit)} {kind}", geoids, path.name)
    return circuits


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def cached_gazetteer(cache: Path | None) -> Callable[[CountyIndex], Gazetteer]:
    """A gazetteer loader keeping the compiled look-up as JSON in ``cache`` (keyed by the zipcodes
    version and the county table), so only the first build pays the 1-2 s of compiling it."""

    def load(counties: CountyIndex) -> Gazetteer:
        import zipcodes

        path = (
            None
            if cache is None
            else cache / (f"gazetteer-zipcodes{zipcodes.__version__}-c{len(counties.counties)}-v{_GAZETTEER_FORMAT}.json")
        )
        return Gazetteer(counties, path)

    return load


@functools.lru_cache(maxsize=2)
def load_place_context(fixes_path: Path = FIXES_PATH) -> PlaceContext:
    """The context for the boundary layer in ``geo/`` and the reviewed fixes (built once per process)."""
    from mapcore.geo.boundaries import county_table

    counties = CountyIndex(county_frame(county_table()))
    try:
        cache: Path | None = config.cache_dir()
    except OSError:
        cache = None
    return PlaceContext(
        counties,
        read_fixes(fixes_path, counties),
        cached_gazetteer(cache),
        regions=read_regions(REGIONAL_PATH, counties),
        circuits=read_circuits(CIRCUITS_PATH, counties),
        towns_loader=_roster_towns,
    )
