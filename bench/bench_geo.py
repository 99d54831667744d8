"""How big is the national county layer once folium embeds it, ours vs the raw Census file?

Run: .venv/bin/python bench/bench_geo.py [runs]. Other scripts import :func:`measure` (by path).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402

from mapcore.core.config import GEO_DIR  # noqa: E402
from mapcore.geo.boundaries import national_view  # noqa: E402


def _html_bytes(gdf: gpd.GeoDataFrame) -> int:
    """Bytes of a folium page holding ``gdf`` as one GeoJson layer (what the browser receives)."""
    m = folium.Map(location=[39, -96], zoom_start=4)
    folium.GeoJson(gdf).add_to(m)
    return len(m.get_root().render().encode())


def _ours() -> int:
    counties = gpd.read_parquet(GEO_DIR / "counties.parquet")
    return _html_bytes(national_view(counties)[["GEOID", "name", "geometry"]])


def _naive() -> int:
    from mapcore.geo.build import COUNTY_FILE, SOURCE_CRS, plotly_geo_dir

    raw = gpd.read_file(plotly_geo_dir() / COUNTY_FILE, encoding="utf-8")
    return _html_bytes(raw.set_crs(SOURCE_CRS))


def _timed(fn, runs: int) -> tuple[int, float]:
    """Payload bytes and median seconds from file to HTML over ``runs`` runs."""
    sizes, times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        sizes.append(fn())
        times.append(time.perf_counter() - start)
    return sizes[-1], statistics.median(times)


def measure(runs: int = 3) -> dict:
    """Median build times (``runs`` naive, ``runs + 2`` ours) and payload bytes."""
    ours, ours_s = _timed(_ours, runs + 2)
    naive, naive_s = _timed(_naive, runs)
    return {"map_payload_bytes": ours, "naive_payload_bytes": naive, "ours_build_s": round(ours_s, 3), "naive_build_s": round(naive_s, 3)}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    result = measure(runs)
    for key, value in result.items():
        print(f"{key:22} {value:>14,}" if isinstance(value, int) else f"{key:22} {value:>14}")
    print(f"{'ratio':22} {result['naive_payload_bytes'] / result['map_payload_bytes']:>14.1f}x")


if __name__ == "__main__":
    main()
