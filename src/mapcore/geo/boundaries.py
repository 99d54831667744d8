"""County and state boundaries at run time: cached loaders, FIPS joins, and a national inset view.

The polygons come prebuilt in ``geo/`` (see :mod:`mapcore.geo.build`), in WGS84, one row per
county (GEOID, name, state, state_fips) or state (GEOID, state_fips, state, name).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from mapcore.core.config import GEO_DIR

GRID_DECIMALS = 3  # 0.001 deg ~ 100 m: invisible at state zoom, short numbers for the browser
# Fit a map to the contiguous states: ((south, west), (north, east)), as folium's fit_bounds wants.
LOWER48_BOUNDS = ((24.4, -124.8), (49.4, -66.9))


# --------------------------------------------------------------------------- loaders


@functools.cache
def _read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(GEO_DIR / f"{name}.parquet")


def load_counties() -> gpd.GeoDataFrame:
    """All counties (50 states, DC, PR), sorted by GEOID. A fresh copy: callers may mutate it."""
    return _read("counties").copy()


def load_states() -> gpd.GeoDataFrame:
    """States, DC and PR, sorted by FIPS. A fresh copy: callers may mutate it."""
    return _read("states").copy()


@functools.cache
def county_table() -> pd.DataFrame:
    """GEOID, name and state of every county, without geometry (for look-ups such as placement)."""
    return pd.read_parquet(GEO_DIR / "counties.parquet", columns=["GEOID", "name", "state", "state_fips"])


@functools.cache
def _county_names() -> tuple[tuple[str, str], ...]:
    frame = _read("counties")
    return tuple(zip(frame["GEOID"], frame["name"]))


def county_names() -> dict[str, str]:
    """GEOID -> Census name ("Harris County", "Orleans Parish", "Richmond city")."""
    return dict(_county_names())


@functools.cache
def county_ids() -> frozenset[str]:
    """Every county GEOID the map can draw (immutable, so cached as is)."""
    return frozenset(_read("counties")["GEOID"])


# --------------------------------------------------------------------------- joins


def _fill(joined: pd.DataFrame, columns: list[str], fill_value: object) -> None:
    """Fill missing numbers (places with no agreements) and keep integer columns integer."""
    for col in columns:
        if not pd.api.types.is_numeric_dtype(joined[col]):
            continue
        joined[col] = joined[col].fillna(fill_value)
        if pd.api.types.is_numeric_dtype(joined[col]) and (joined[col] % 1 == 0).all():
            joined[col] = joined[col].astype("int64")


def _as_frame(values: pd.DataFrame | pd.Series, on: str) -> pd.DataFrame:
    if isinstance(values, pd.Series):
        frame = values.rename(values.name or "count").rename_axis(on).reset_index()
    else:
        frame = values.reset_index() if on not in values.columns else values.copy()
    frame[on] = frame[on].astype(str)
    return frame


def _left_join(geo: gpd.GeoDataFrame, key: str, values: pd.DataFrame | pd.Series, on: str, fill_value: object) -> gpd.GeoDataFrame:
    frame = _as_frame(values, on)
    columns = [c for c in frame.columns if c != on and c not in geo.columns]
    right = frame[[on, *columns]].rename(columns={on: "__key"}).drop_duplicates("__key")
    joined = geo.merge(right, how="left", left_on=key, right_on="__key").drop(columns="__key")
    _fill(joined, columns, fill_value)
    return gpd.GeoDataFrame(joined, geometry=geo.geometry.name, crs=geo.crs)


def join_counties(
    geo: gpd.GeoDataFrame | None, counts: pd.DataFrame | pd.Series, on: str = "county_fips", fill_value: object = 0
) -> gpd.GeoDataFrame:
    """Every county of ``geo`` (default: all) with ``counts`` joined by 5-digit FIPS.

    ``counts`` is a frame with an ``on`` column (or index) or a Series indexed by FIPS. Left join
    from the geometry, so counties without agreements stay on the map with ``fill_value``.
    """
    geo = load_counties() if geo is None else geo
    values = _as_frame(counts, on)
    values[on] = values[on].str.zfill(5)
    return _left_join(geo, "GEOID", values, on, fill_value)


def join_states(
    geo: gpd.GeoDataFrame | None, counts: pd.DataFrame | pd.Series, on: str = "state", fill_value: object = 0
) -> gpd.GeoDataFrame:
    """Every state of ``geo`` (default: all) with ``counts`` joined by postal code or 2-digit FIPS."""
    geo = load_states() if geo is None else geo
    values = _as_frame(counts, on)
    by_fips = values[on].str.fullmatch(r"\d{1,2}").all() and len(values) > 0
    if by_fips:
        values[on] = values[on].str.zfill(2)
    else:
        values[on] = values[on].str.upper()
    return _left_join(geo, "state_fips" if by_fips else "state", values, on, fill_value)


# --------------------------------------------------------------------------- coordinates


def _round_ring(coords: np.ndarray, decimals: int) -> np.ndarray | None:
    ring = np.round(np.asarray(coords)[:, :2], decimals)
    ring = ring[np.r_[True, np.any(ring[1:] != ring[:-1], axis=1)]]
    return ring if len(ring) >= 4 else None


def _round_polygon(poly: Polygon, decimals: int) -> Polygon | None:
    shell = _round_ring(poly.exterior.coords, decimals)
    if shell is None:
        return None
    holes = [h for h in (_round_ring(r.coords, decimals) for r in poly.interiors) if h is not None]
    return Polygon(shell, holes)


def round_geometry(geom: shapely.Geometry, decimals: int = GRID_DECIMALS) -> shapely.Geometry:
    """Snap vertices to a decimal grid without noding, so shared borders round identically.

    Rings that collapse are dropped; if everything collapses the geometry is returned unrounded.
    """
    parts = [p for p in (_round_polygon(p, decimals) for p in shapely.get_parts(geom)) if p]
    if not parts:
        return geom
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def round_geometries(geoms: np.ndarray, decimals: int = GRID_DECIMALS) -> np.ndarray:
    """:func:`round_geometry` over an array."""
    return np.asarray([round_geometry(g, decimals) for g in geoms], dtype=object)


# --------------------------------------------------------------------------- national view


def _merc(xy: np.ndarray) -> np.ndarray:
    """lon/lat degrees -> Web Mercator in degree units (x unchanged)."""
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(xy[:, 1]) / 2)))
    return np.column_stack([xy[:, 0], y])


def _unmerc(xy: np.ndarray) -> np.ndarray:
    lat = np.degrees(2 * np.arctan(np.exp(np.radians(xy[:, 1]))) - np.pi / 2)
    return np.column_stack([xy[:, 0], lat])


@dataclass(frozen=True)
class Inset:
    """Move a state so its true ``origin`` lands at ``target``, scaled by ``scale`` in Mercator."""

    origin: tuple[float, float]  # lon, lat in true position
    target: tuple[float, float]  # lon, lat on the national map
    scale: float

    def apply(self, xy: np.ndarray) -> np.ndarray:
        src, dst = _merc(np.array([self.origin])), _merc(np.array([self.target]))
        return _unmerc((_merc(xy) - src) * self.scale + dst)


# Fixed constants (not data-derived) so any subset of rows moves exactly like the full layer.
# Alaska sits in the Pacific off California, Hawaii below it, off Baja, Puerto Rico (enlarged)
# in the Atlantic north of its true position: all over water, none over another country's land.
INSETS = {
    "AK": Inset(origin=(-152.0, 62.0), target=(-124.5, 26.0), scale=0.35),
    "HI": Inset(origin=(-157.5, 20.5), target=(-111.5, 19.5), scale=1.0),
    "PR": Inset(origin=(-66.5, 18.2), target=(-68.5, 22.2), scale=2.0),
}


@dataclass(frozen=True)
class TerritoryPoint:
    """A territory the boundary layer has no outline for, drawn as markers only: its true position and the
    inset that puts it on the national map (``follows``: the inset state it is moved with, if any)."""

    true: tuple[float, float]  # lon, lat
    inset: Inset
    follows: str | None = None

    def position(self, only_states: tuple[str, ...] = ()) -> tuple[float, float]:
        """(lon, lat) where the map draws it: at its true position beside the state it follows when that
        state is shown at its true position, else at its place on the national map."""
        if self.follows is not None and self.follows in only_states:
            return self.true
        lon, lat = self.inset.apply(np.array([self.true]))[0]
        return float(lon), float(lat)


# ICE lists agencies of territories the 2016 boundary layer does not hold: their agreements are drawn as
# markers at fixed points. Guam, the Northern Mariana Islands and American Samoa sit in the Pacific west of
# the Hawaii inset (off Baja, over water); the Virgin Islands move with Puerto Rico's inset, as they lie.
_PACIFIC = Inset(origin=(145.0, 14.5), target=(-121.0, 19.5), scale=1.0)
TERRITORY_POINTS: dict[str, TerritoryPoint] = {
    "GU": TerritoryPoint((144.79, 13.44), _PACIFIC),
    "MP": TerritoryPoint((145.75, 15.19), _PACIFIC),
    "AS": TerritoryPoint((-170.70, -14.28), Inset(origin=(-170.7, -14.3), target=(-117.0, 18.6), scale=1.0)),
    "VI": TerritoryPoint((-64.80, 18.34), INSETS["PR"], follows="PR"),
}


def unwrap_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Shift positive longitudes by -360 (for Alaska: the Aleutians west of 180 join the rest)."""
    return shapely.transform(geom, lambda xy: np.where(xy[:, :1] > 0, xy - [360.0, 0.0], xy))


def _move(geom: shapely.Geometry, inset: Inset, state: str) -> shapely.Geometry:
    if state == "AK":
        geom = unwrap_antimeridian(geom)
    moved = shapely.transform(geom, inset.apply)
    for decimals in (GRID_DECIMALS, GRID_DECIMALS + 1):  # shrunk shapes may need a finer grid
        rounded = round_geometry(moved, decimals)
        if rounded.is_valid:
            return rounded
    return moved if moved.is_valid else shapely.make_valid(moved)


def national_view(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with AK, HI and PR moved into insets below the lower 48, for one national map.

    Leaflet draws in Web Mercator, so each inset is a scale-and-shift in Mercator space: the
    moved state looks exactly like a smaller copy of what Leaflet would draw in place (no extra
    squashing). Alaska (x0.35) is unwrapped across the antimeridian first; Hawaii keeps its
    scale; Puerto Rico is doubled so it stays visible. Deterministic (fixed constants), works on
    counties and states alike (needs a ``state`` postal column). Use the untouched geometries
    for state-level or zoomed maps, where true positions matter.
    """
    out = gdf.copy()
    states = out["state"].to_numpy()
    geoms = out.geometry.to_numpy().copy()
    for i in np.flatnonzero(np.isin(states, list(INSETS))):
        geoms[i] = _move(geoms[i], INSETS[states[i]], states[i])
    return out.set_geometry(geoms)


@functools.cache
def national_bounds() -> tuple[tuple[float, float], tuple[float, float]]:
    """((south, west), (north, east)) covering the lower 48 and the insets of :func:`national_view`."""
    return national_bounds_of(national_view(_read("states")))


def national_bounds_of(view: gpd.GeoDataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """Bounds of states already in the national view, rounded outwards to 0.1 degree."""
    minx, miny, maxx, maxy = view.total_bounds
    return (math.floor(miny * 10) / 10, math.floor(minx * 10) / 10), (math.ceil(maxy * 10) / 10, math.ceil(maxx * 10) / 10)
