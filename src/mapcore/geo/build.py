"""Regenerate ``geo/``: simplified county and state polygons from the Census 2016 1:500k files.

The source ships in the PyPI package ``plotly-geo`` (an optional extra, imported lazily), so the
build needs no network. The 2016 vintage still has Connecticut's 8 legacy counties, which ICE's
sheets name. Counties are simplified as one coverage so neighbouring counties keep identical
borders; states are dissolved from the simplified counties so state and county lines coincide.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from mapcore.core.config import GEO_DIR
from mapcore.geo.boundaries import GRID_DECIMALS, round_geometries
from mapcore.geo.web_layers import WEB_LAYERS_FILE, build_web_layers

SOURCE_CRS = "EPSG:4269"  # NAD83: the shapefiles ship without a .prj
OUTPUT_CRS = "EPSG:4326"
AREA_CRS = "EPSG:6933"  # equal-area, world-wide (covers AK, HI and PR)
COUNTY_FILE = "cb_2016_us_county_500k.shp"
STATE_FILE = "cb_2016_us_state_500k.shp"

TOLERANCE = 0.05  # degrees; Visvalingam-Whyatt, about the side of the largest removed triangle
MIN_PART_AREA = 2e-4  # deg^2 (~2 km^2): islands smaller than this are dropped (never a whole county)
MAX_AREA_DEVIATION = 0.004  # per state; states beyond this get a finer tolerance
REFINE_STEPS = 4  # a state may be refined to TOLERANCE / 2**REFINE_STEPS at most

# Territories outside the app: American Samoa, Guam, Northern Mariana Islands, Virgin Islands.
DROPPED_STATE_FIPS = frozenset({"60", "66", "69", "78"})

# Census LSAD code -> the suffix Census uses in NAMELSAD ("Harris County", "Richmond city").
LSAD_SUFFIX = {
    "00": "",
    "03": "City and Borough",
    "04": "Borough",
    "05": "Census Area",
    "06": "County",
    "07": "District",
    "10": "Island",
    "12": "Municipality",
    "13": "Municipio",
    "15": "Parish",
    "25": "city",
}


def plotly_geo_dir() -> Path:
    """Folder of the Census shapefiles inside plotly-geo (imported only when building)."""
    from importlib.resources import files

    try:
        return Path(str(files("_plotly_geo") / "package_data"))
    except ModuleNotFoundError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("building geo/ needs plotly-geo: pip install 'mapcore[geo-build]'") from exc


def county_name(name: str, lsad: str) -> str:
    """Census NAMELSAD style: NAME plus the LSAD suffix, unless NAME already ends with it."""
    suffix = LSAD_SUFFIX.get(lsad, "")
    if not suffix or name.lower().endswith(suffix.lower()):
        return name
    return f"{name} {suffix}"


def read_source(source_dir: Path | None = None, states: Iterable[str] | None = None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Counties (GEOID, name, state, state_fips, geometry in WGS84) and the state attribute table."""
    folder = Path(source_dir) if source_dir else plotly_geo_dir()
    state_tab = gpd.read_file(folder / STATE_FILE, encoding="utf-8", ignore_geometry=True)
    state_tab = pd.DataFrame(
        {
            "GEOID": state_tab["STATEFP"].astype(str),
            "state_fips": state_tab["STATEFP"].astype(str),
            "state": state_tab["STUSPS"].astype(str),
            "name": state_tab["NAME"].astype(str),
        }
    )
    state_tab = state_tab[~state_tab["state_fips"].isin(DROPPED_STATE_FIPS)]
    if states is not None:
        wanted = {s.upper() for s in states}
        state_tab = state_tab[state_tab["state"].isin(wanted)]
    raw = gpd.read_file(folder / COUNTY_FILE, encoding="utf-8")
    raw = raw[raw["STATEFP"].isin(set(state_tab["state_fips"]))]
    raw = raw.set_crs(SOURCE_CRS, allow_override=True).to_crs(OUTPUT_CRS)
    postal = dict(zip(state_tab["state_fips"], state_tab["state"]))
    counties = gpd.GeoDataFrame(
        {
            "GEOID": raw["GEOID"].astype(str).to_numpy(),
            "name": [county_name(n, lsad) for n, lsad in zip(raw["NAME"], raw["LSAD"])],
            "state": raw["STATEFP"].map(postal).astype(str).to_numpy(),
            "state_fips": raw["STATEFP"].astype(str).to_numpy(),
        },
        geometry=raw.geometry.to_numpy(),
        crs=OUTPUT_CRS,
    )
    counties = counties.sort_values("GEOID").reset_index(drop=True)
    return counties, state_tab.sort_values("state_fips").reset_index(drop=True)


def drop_small_parts(geoms: np.ndarray, min_area: float) -> np.ndarray:
    """Drop tiny islands (they cost vertices, not meaning); a county keeps at least its largest part."""
    out = []
    for geom in geoms:
        parts = shapely.get_parts(geom)
        if len(parts) <= 1:
            out.append(geom)
            continue
        areas = shapely.area(parts)
        keep = parts[(areas >= min_area) | (areas == areas.max())]
        out.append(keep[0] if len(keep) == 1 else shapely.multipolygons(keep))
    return np.asarray(out, dtype=object)


def _simplify_pinned(geoms: np.ndarray, pinned: np.ndarray, tolerance: float) -> np.ndarray:
    """Coverage-simplify, leaving the vertices of ``pinned`` geometries untouched.

    A pinned polygon is cut into constrained-Delaunay triangles built only from its own vertices,
    so each of them becomes a coverage node that the simplifier must keep; its neighbours see the
    same nodes, so shared borders stay shared. The triangles are dissolved back afterwards.
    """
    pieces: list[shapely.Geometry] = []
    owner: list[int] = []
    for i, (geom, pin) in enumerate(zip(geoms, pinned)):
        parts = shapely.get_parts(shapely.constrained_delaunay_triangles(geom)) if pin else [geom]
        pieces.extend(parts)
        owner.extend([i] * len(parts))
    owner_arr = np.asarray(owner)
    simple = shapely.coverage_simplify(np.array(pieces, dtype=object), tolerance)
    out = np.empty(len(geoms), dtype=object)
    for i in range(len(geoms)):
        mine = simple[owner_arr == i]
        out[i] = mine[0] if len(mine) == 1 else shapely.coverage_union_all(mine)
    return out


def simplify_levels(geoms: np.ndarray, levels: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify county ``i`` at ``tolerance / 2**levels[i]``, as one coverage.

    Runs from the finest tolerance to the coarsest, pinning at each pass the counties that must
    stay finer, so every pass starts from (and ends in) a valid coverage.
    """
    for level in range(int(levels.max()), -1, -1):
        geoms = _simplify_pinned(geoms, levels > level, tolerance / 2**level)
    return geoms


def equal_areas(geoms: np.ndarray, crs: str = OUTPUT_CRS) -> np.ndarray:
    """Areas in km^2 in an equal-area projection."""
    return gpd.GeoSeries(geoms, crs=crs).to_crs(AREA_CRS).area.to_numpy() / 1e6


def area_deviation(geoms: np.ndarray, source_km2: pd.Series, state_fips: np.ndarray) -> pd.Series:
    """Relative area change per state (simplified vs source)."""
    simple = pd.Series(equal_areas(geoms)).groupby(state_fips).sum()
    return (simple - source_km2) / source_km2


def simplify_counties(
    counties: gpd.GeoDataFrame, tolerance: float | None = None, max_deviation: float = MAX_AREA_DEVIATION
) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Simplify the county coverage, refining states whose area drifts more than ``max_deviation``.

    One tolerance suits the big states but distorts DC or Rhode Island, so those states are
    refined (tolerance halved) until their area is faithful. Deterministic: same input, same output.
    """
    tolerance = TOLERANCE if tolerance is None else tolerance
    fips = counties["state_fips"].to_numpy()
    source = pd.Series(equal_areas(counties.geometry.to_numpy())).groupby(fips).sum()
    base = drop_small_parts(counties.geometry.to_numpy(), MIN_PART_AREA)
    state_level = pd.Series(0, index=source.index)
    while True:
        levels = state_level.reindex(fips).to_numpy()
        geoms = round_geometries(simplify_levels(base, levels, tolerance), GRID_DECIMALS)
        geoms = repair_coverage(geoms)
        deviation = area_deviation(geoms, source, fips)
        bad = deviation.index[(deviation.abs() > max_deviation) & (state_level < REFINE_STEPS)]
        if len(bad) == 0:
            return geoms, deviation, state_level
        state_level[bad] += 1


def repair_coverage(geoms: np.ndarray) -> np.ndarray:
    """Fix what rounding to the grid may break (rare self-touches, a sliver overlap)."""
    bad = ~shapely.is_valid(geoms)
    if bad.any():
        fixed = shapely.make_valid(geoms[bad], method="structure", keep_collapsed=False)
        geoms = geoms.copy()
        geoms[bad] = [_polygonal(g) for g in fixed]
    if not shapely.coverage_is_valid(geoms):
        geoms = shapely.coverage_clean(geoms, snapping_distance=0.0)
        geoms = round_geometries(geoms, GRID_DECIMALS)
    return geoms


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a repaired geometry."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return parts[0] if len(parts) == 1 else shapely.multipolygons(parts)


def dissolve_states(counties: gpd.GeoDataFrame, state_tab: pd.DataFrame) -> gpd.GeoDataFrame:
    """State polygons as the union of their (already simplified) counties: borders coincide."""
    geoms = [shapely.coverage_union_all(g.to_numpy()) for _, g in counties.groupby("state_fips").geometry]
    fips = sorted(counties["state_fips"].unique())
    table = state_tab.set_index("state_fips").loc[fips].reset_index()
    return gpd.GeoDataFrame(table[["GEOID", "state_fips", "state", "name"]], geometry=geoms, crs=counties.crs)


def write_parquet_atomic(gdf: gpd.GeoDataFrame, path: Path) -> int:
    """Write GeoParquet to a temp file beside ``path`` then rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        gdf.to_parquet(tmp, index=False, compression="zstd")
        os.chmod(tmp, 0o644)  # mkstemp makes it private; these files are shared and committed
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def build_geo(out_dir: Path = GEO_DIR, source_dir: Path | None = None, states: list[str] | None = None) -> dict:
    """Regenerate ``counties.parquet`` and ``states.parquet`` in ``out_dir``; return a summary."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    counties, state_tab = read_source(source_dir, states)
    source_vertices = int(shapely.get_num_coordinates(counties.geometry.to_numpy()).sum())
    geoms, deviation, levels = simplify_counties(counties)
    postal = state_tab.set_index("state_fips")["state"]
    counties = counties.set_geometry(geoms)
    state_gdf = dissolve_states(counties, state_tab)
    sizes = {
        "counties.parquet": write_parquet_atomic(counties, out_dir / "counties.parquet"),
        "states.parquet": write_parquet_atomic(state_gdf, out_dir / "states.parquet"),
    }
    sizes[WEB_LAYERS_FILE] = build_web_layers(out_dir)
    return {
        "counties": len(counties),
        "states": len(state_gdf),
        "source_vertices": source_vertices,
        "vertices": int(shapely.get_num_coordinates(geoms).sum()),
        "tolerance_deg": TOLERANCE,
        "grid_deg": 10.0**-GRID_DECIMALS,
        "bytes": sizes,
        "max_area_deviation": float(deviation.abs().max()),
        "worst_state": str(postal.get(deviation.abs().idxmax())),
        "refined_states": {str(postal[f]): int(n) for f, n in levels.items() if n},
        "coverage_valid": bool(shapely.coverage_is_valid(geoms)),
        "seconds": round(time.perf_counter() - started, 2),
    }
