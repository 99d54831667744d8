"""`make bench`: speed and size against targets and a naive baseline, medians of several runs, in one run.

Prints a table (measure, before, ours, naive or target, ratio, verdict) and, last, one JSON line with
map_payload_bytes, naive_payload_bytes, filter_to_map_s, cold_start_s, build_cold_s, build_unchanged_s,
peak_rss_mb, the read/place timings, law_practice_first_content_s and law_practice_compute_s
(bench/law_practice.py), and what a browser receives (bench/browser.py): first_load_bytes,
repeat_visit_bytes, filter_change_bytes, filter_to_visible_s; timeline_first_content_s, timeline_first_visit_s and
timeline_in_app_s (bench_timeline: the Timeline page in a real browser on a warm server); and the pictures (bench/pictures.py)
(bench/pictures.py): render_png_s, render_svg_s, their bytes and the PNG's width, render_cli_png_s / render_cli_svg_s
(the whole `mapcore render` command; _cpu_s its CPU time), the national spread's GIF (spread_gif_s, _frames, _bytes;
MP4 likewise) and the Timeline slider map's payload (spread_payload_bytes, spread_values_bytes,
spread_state_payload_bytes). "Before" is bench/baseline.json: the same measures taken once on the version before the
map component. Reads MAPCORE_SOURCE (a folder of ICE sheets), else ../shared/data/ice, else the bundled snapshot.

Reliability: agency_10kb_s, and rss_growth_mb with the soak figures (bench_soak).

Capacity (bench/capacity.py): explore_rerun_cpu_ms, home_rerun_cpu_ms, readers_at_p95_1s and rss_150_idle_mb,
from protocol-level readers (Locust) against one server as `make run` starts it; capacity_readers holds the whole table.

First run: snapshot_bytes (data/ice_snapshot) and first_run_stats_s / second_run_stats_s (`mapcore stats --json`
offline from an empty, then a filled cache). With no folder of sheets (MAPCORE_SOURCE unset and no ../shared), every part
runs on the bundled snapshot except build, which reads sheets: the summary's "left_out" says so.

Run a part alone: .venv/bin/python bench/run.py [map|filter|cold|build|read|firstrun|memory|law|browser|timeline|agency|soak|pictures|
capacity]...
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from timing import median_seconds  # noqa: E402

TARGETS = {
    "map_payload_bytes": 1_500_000,
    "filter_to_map_s": 0.3,
    "cold_start_s": 2.0,
    "build_cold_s": 25.0,
    "build_unchanged_s": 1.0,
    "peak_rss_mb": 1024.0,
    # formerly asserted inside unit tests (tests/test_hardening.py, tests/test_place.py)
    "read_100k_rows_s": 90.0,
    "refuse_last_row_sheet_s": 5.0,
    "place_200k_rows_s": 3.0,
    # what the browser receives on Explore
    "first_load_bytes": 1_600_000,
    "repeat_visit_bytes": 300_000,
    "filter_change_bytes": 100_000,
    "filter_to_visible_s": 1.0,
    "law_practice_first_content_s": 3.0,  # first content within 3 s of a warm server (bench/law_practice.py)
    "timeline_first_content_s": 3.0,
    # reliability
    "agency_10kb_s": 2.0,
    "rss_growth_mb": 100.0,
    # first run anywhere
    "snapshot_bytes": 8_000_000,
    "first_run_stats_s": 10.0,
    # pictures (bench/pictures.py): a national county map picture, and the Timeline's slider map
    "render_png_s": 3.0,
    "render_svg_s": 3.0,
    "render_cli_png_cpu_s": 3.0,
    "render_cli_svg_cpu_s": 3.0,
    "spread_payload_bytes": 2_500_000,
    "spread_state_payload_bytes": 2_500_000,
    # bench/capacity.py: one server process on this 2-core machine
    "explore_rerun_cpu_ms": 50.0,
    "home_rerun_cpu_ms": 50.0,
    "rss_150_idle_mb": 800.0,
}
AT_LEAST = {"readers_at_p95_1s": 32}  # targets that are floors, not ceilings
BASELINE = REPO / "bench" / "baseline.json"
SOAK_ROUNDS, SOAK_SESSIONS = 5, 6
SOAK_TTL_S = 5  # server.disconnectedSessionTTL for the soak: closed sessions are dropped after this


def source() -> Path:
    """MAPCORE_SOURCE (a folder of ICE sheets, or a snapshot folder); else the team's sheets
    (MAPCORE_SHARED_ICE, ../shared/data/ice); else the bundled snapshot (data/ice_snapshot), saying so."""
    raw = os.environ.get("MAPCORE_SOURCE", "").strip()
    if raw:
        path = Path(raw).expanduser()
        if not path.is_dir():
            sys.exit(f"bench: MAPCORE_SOURCE={raw} is not a folder of ICE sheets (nor a snapshot folder)")
        return path
    for candidate in (os.environ.get("MAPCORE_SHARED_ICE", "").strip(), str(REPO.parent / "shared" / "data" / "ice")):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).rglob("*.xlsx")):
            return Path(candidate)
    from mapcore.core.config import SNAPSHOT_DIR

    print(
        f"bench: no folder of ICE sheets (MAPCORE_SOURCE unset, no ../shared/data/ice): measuring the bundled snapshot "
        f"{SNAPSHOT_DIR}. The build part reads sheets and is left out; give it sheets with MAPCORE_SOURCE=/path/to/sheets "
        "(mapcore fetch --into DIR downloads ICE's current ones).",
        file=sys.stderr,
        flush=True,
    )
    return SNAPSHOT_DIR


def is_snapshot(folder: Path) -> bool:
    from mapcore.sheets.snapshot import is_snapshot as check

    return check(folder)


def cache_with_dataset(folder: Path) -> Path:
    """A cache holding the built dataset (built once here if needed, not timed)."""
    from mapcore.build import pipeline

    cache = Path(os.environ.get("MAPCORE_CACHE") or REPO / ".cache")
    pipeline.build(folder, cache=cache)
    return cache


# --------------------------------------------------------------------------- 1. national map


def bench_map(cache: Path, runs: int = 5) -> dict:
    """The app's national county map (all layers, newest publication) against folium.GeoJson of the
    raw 500k county file: bytes a first view needs (the map's values plus its geometry files; a
    later view needs only the values) and time to build it."""
    from bench_geo import measure as measure_naive  # the raw Census file, as folium embeds it

    data = _app_data(cache)
    rows = data.publication(data.latest_id())
    holder = {}

    def ours():
        holder["spec"] = _county_map_spec(data, rows)

    ours_s = median_seconds(ours, runs)
    spec = holder["spec"]
    values = len(spec.to_json().encode())
    naive = measure_naive(runs=3)
    return {
        "map_payload_bytes": values + sum(len(f.text.encode()) for f in spec.files),
        "map_values_bytes": values,
        "map_build_s": ours_s,
        "naive_payload_bytes": naive["naive_payload_bytes"],
        "naive_build_s": naive["naive_build_s"],
    }


def _app_data(cache: Path):
    from mapcore.app.data import assemble
    from mapcore.build import store

    return assemble(store.load(cache=cache))


def _county_map_spec(data, rows):
    from mapcore.analysis import query
    from mapcore.render import maps

    statewide = rows[rows["level"].astype("object") == "statewide"]
    return maps.county_map(query.county_summary(rows), laws=data.laws, statewide=statewide)


# --------------------------------------------------------------------------- 2. cold start

COLD_SCRIPT = """
import time, sys, tempfile
start = time.perf_counter()
from pathlib import Path
from mapcore.build import pipeline, store
from mapcore.render import maps, webmap
from mapcore.analysis import query
from mapcore.app.data import assemble
data = assemble(store.load(cache=Path(sys.argv[1])))
rows = data.publication(data.latest_id())
spec = maps.county_map(query.county_summary(rows), laws=data.laws,
                       statewide=rows[rows["level"].astype("object") == "statewide"])
with tempfile.TemporaryDirectory() as tmp:  # a fresh site: the geometry files written too
    webmap.publish(spec, webmap.build_site(Path(tmp)))
    text = spec.to_json()
print(time.perf_counter() - start)
"""


def bench_cold(cache: Path, runs: int = 5) -> dict:
    """A fresh Python process: import the app's code, load the cached dataset, build the first map
    (its values, and its site with the geometry files written).
    Timed from outside (interpreter start included) and inside (after start-up)."""
    outside, inside = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD_SCRIPT, str(cache)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        )
        outside.append(time.perf_counter() - start)
        inside.append(float(out.stdout.strip().splitlines()[-1]))
    return {"cold_start_s": statistics.median(outside), "cold_start_inside_s": statistics.median(inside)}


# --------------------------------------------------------------------------- 3. warm filter -> map


def filter_combinations(data, count: int = 24) -> list:
    """Varied filters a user might click through: models, states, types, law statuses, dates."""
    from mapcore.analysis.query import Filters

    rows = data.publication(data.latest_id())
    states = list(rows["state"].astype("object").value_counts().index[:8])
    models = [(), ("JEM",), ("WSO",), ("TFM",), ("JEM", "WSO")]
    combos = []
    for i, (model, state) in enumerate(itertools.product(models, [(), (states[0],), tuple(states[1:3]), (states[3],)])):
        types = ("County",) if i % 3 == 0 else (("Municipality",) if i % 3 == 1 else ())
        law = ("mandates",) if i % 4 == 0 else ()
        combos.append(Filters(models=model, states=state, types=types, law_statuses=law))
    return combos[:count]


def bench_filter(cache: Path) -> dict:
    """Warm: dataset and geometry already loaded; each filter change builds the map's new values as
    JSON (what the page sends to the browser). Median over the combinations."""
    from mapcore.analysis import query
    from mapcore.render import maps

    data = _app_data(cache)
    rows = data.publication(data.latest_id())
    _county_map_spec(data, rows)  # warm the geometry caches, as the first page view does
    times = []
    for filters in filter_combinations(data):
        start = time.perf_counter()
        chosen = query.apply_filters(rows, filters)
        statewide = chosen[chosen["level"].astype("object") == "statewide"]
        only = filters.states if 0 < len(filters.states) <= 6 else ()
        maps.county_map(query.county_summary(chosen), laws=data.laws, statewide=statewide, only_states=only).to_json()
        times.append(time.perf_counter() - start)
    return {"filter_to_map_s": statistics.median(times), "filter_to_map_max_s": max(times), "filter_combinations": len(times)}


# --------------------------------------------------------------------------- 4. build


def bench_build(folder: Path, cold_runs: int = 3, unchanged_runs: int = 5) -> dict:
    """Dataset build from all sheets: cold (empty cache, sheets read in parallel) and unchanged
    (content hashes equal: the cached dataset is reused)."""
    from mapcore.build import pipeline

    cold = []
    for _ in range(cold_runs):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            pipeline.build(folder, cache=Path(tmp))
            cold.append(time.perf_counter() - start)
            unchanged_s = median_seconds(lambda: pipeline.build(folder, cache=Path(tmp)), unchanged_runs)
    return {"build_cold_s": statistics.median(cold), "build_unchanged_s": unchanged_s, "build_cold_runs": cold}


# --------------------------------------------------------------------------- 4b. first run

FIRST_RUN_SOURCE = "http://127.0.0.1:9/"  # nothing listens there: ICE's site unreachable


def bench_first_run(runs: int = 3) -> dict:
    """A first run with no network: the bundled snapshot's size, and `mapcore stats --json` in a fresh
    process with an empty cache and an unreachable source (the snapshot turned into a dataset, then the
    figures), timed from outside; and the same with the cache then filled (a second run)."""
    from mapcore.core.config import SNAPSHOT_DIR
    from mapcore.sheets.snapshot import size_bytes

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MAPCORE_")},
        "PYTHONPATH": str(REPO / "src"),
        "MAPCORE_SOURCE": FIRST_RUN_SOURCE,
    }
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            for times in (cold, warm):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "mapcore", "stats", "--json"],
                    cwd=tmp,
                    env={**env, "MAPCORE_CACHE": tmp},
                    capture_output=True,
                    check=True,
                )
                times.append(time.perf_counter() - start)
    return {
        "snapshot_bytes": size_bytes(SNAPSHOT_DIR),
        "first_run_stats_s": statistics.median(cold),
        "second_run_stats_s": statistics.median(warm),
    }


# --------------------------------------------------------------------------- 5. memory


def bench_memory(folder: Path, cache: Path) -> dict:
    """Peak resident memory (VmHWM) of the Streamlit server after a browser loaded every page once."""
    from browser_support import browser_page, chromium_path, streamlit_app

    from mapcore.app.ui import PAGES

    if chromium_path() is None:
        return {"peak_rss_mb": None, "memory_note": "chromium not installed"}
    env = {"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache)}
    with streamlit_app(env) as base, browser_page() as page:
        pid = _server_pid(base)
        for script, _, _ in PAGES:
            if not (REPO / script).is_file():
                continue
            url = "" if script == "app.py" else Path(script).stem.split("_", 1)[1]
            page.goto(f"{base}/{url}")
            page.wait_for_timeout(1500)
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
        peak_kb = _vm_hwm(pid)
    return {"peak_rss_mb": round(peak_kb / 1024, 1), "pages_loaded": sum(1 for s, _, _ in PAGES if (REPO / s).is_file())}


# --------------------------------------------------------------------------- 6. timeline page


TIMELINE_CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"


def bench_timeline(folder: Path, cache: Path, runs: int = 3) -> dict:
    """The Timeline page's first content on a warm server, in a real browser. The server has loaded the
    dataset (a visit to Home) and computed the Timeline's per-dataset tables once (the first visit,
    reported as ``timeline_first_visit_s``); then, ``runs`` times, the Timeline is opened by URL (a full
    page load: Streamlit's frontend starts again) and timed from navigation to its first chart drawn
    (the growth chart, a canvas or svg inside it): ``timeline_first_content_s``, the median. The same
    through the sidebar link from Home (no page reload): ``timeline_in_app_s``. ``about_h1_s``: a full
    load of the About page to its title, the floor any page pays on this machine; ``timeline_complete_s``:
    the full load until the page has finished running (every table, the map)."""
    from browser_support import browser_page, chromium_path, streamlit_app

    if chromium_path() is None:
        return {"timeline_first_content_s": None, "timeline_note": "chromium not installed"}
    env = {"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache)}
    idle = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    loads, in_app, floor, complete = [], [], [], []
    with streamlit_app(env) as base, browser_page() as page:
        page.goto(base)
        page.wait_for_selector("[data-testid='stMetric']", timeout=180_000)  # the dataset is loaded: a warm server
        start = time.perf_counter()
        page.goto(f"{base}/Timeline")
        page.wait_for_selector(TIMELINE_CHART, timeout=180_000)
        first_visit = time.perf_counter() - start
        page.wait_for_function(idle, timeout=180_000)
        for _ in range(runs):
            start = time.perf_counter()
            page.goto(f"{base}/About")
            page.wait_for_selector("h1", timeout=180_000)
            floor.append(time.perf_counter() - start)
            page.wait_for_function(idle, timeout=180_000)
            start = time.perf_counter()
            page.goto(f"{base}/Timeline")
            page.wait_for_selector(TIMELINE_CHART, timeout=180_000)
            loads.append(time.perf_counter() - start)
            page.wait_for_timeout(300)
            page.wait_for_function(idle, timeout=180_000)
            complete.append(time.perf_counter() - start)
            page.goto(base)
            page.wait_for_selector("[data-testid='stMetric']", timeout=180_000)
            page.wait_for_timeout(300)
            page.wait_for_function(idle, timeout=180_000)
            start = time.perf_counter()
            page.get_by_role("link", name="Timeline").first.click()
            page.wait_for_selector(TIMELINE_CHART, timeout=180_000)
            in_app.append(time.perf_counter() - start)
            page.wait_for_timeout(300)
            page.wait_for_function(idle, timeout=180_000)
    return {
        "timeline_first_content_s": statistics.median(loads),
        "timeline_first_visit_s": first_visit,
        "timeline_in_app_s": statistics.median(in_app),
        "about_h1_s": statistics.median(floor),
        "timeline_complete_s": statistics.median(complete),
    }


def _server_pid(base: str) -> int:
    import psutil

    port = int(base.rsplit(":", 1)[1])
    for conn in psutil.net_connections(kind="tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            return conn.pid
    raise RuntimeError(f"no process listens on {port}")


def _vm_hwm(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("VmHWM not found")


# --------------------------------------------------------------------------- report


ROWS = [
    # (label, key, compared with: "naive" key or "target")
    ("national county map, first view (bytes)", "map_payload_bytes", "naive_payload_bytes"),
    ("national county map build (s)", "map_build_s", "naive_build_s"),
    ("warm filter change -> new map values (s, median)", "filter_to_map_s", "target"),
    ("cold start to first map (s, median)", "cold_start_s", "target"),
    ("dataset build, cold (s, median)", "build_cold_s", "target"),
    ("dataset build, unchanged (s, median)", "build_unchanged_s", "target"),
    ("peak memory after every page (MB)", "peak_rss_mb", "target"),
    ("read a 100,000-row sheet (s, median)", "read_100k_rows_s", "target"),
    ("refuse a sheet with a cell on row 1,048,576 (s)", "refuse_last_row_sheet_s", "target"),
    ("place 200,000 rows (s, median)", "place_200k_rows_s", "target"),
    ("Law vs practice first content, warm (s, median)", "law_practice_first_content_s", "target"),
    ("browser: Explore, first load (bytes)", "first_load_bytes", "target"),
    ("browser: Explore, repeat visit (bytes)", "repeat_visit_bytes", "target"),
    ("browser: filter change (bytes, median of 10)", "filter_change_bytes", "target"),
    ("browser: filter change -> fill shown (s, median)", "filter_to_visible_s", "target"),
    ("Timeline: first chart, warm server (s, median)", "timeline_first_content_s", "target"),
    ("Agency page, 10 KB ?agency= (s, median)", "agency_10kb_s", "target"),
    (f"server RSS growth, {SOAK_ROUNDS} rounds x {SOAK_SESSIONS} sessions (MB)", "rss_growth_mb", "target"),
    ("bundled snapshot of ICE's sheets (bytes)", "snapshot_bytes", "target"),
    ("first run offline: mapcore stats, empty cache (s, median)", "first_run_stats_s", "target"),
    ("picture: national county map PNG (s, median)", "render_png_s", "target"),
    ("picture: national county map SVG (s, median)", "render_svg_s", "target"),
    ("mapcore render --format png, whole command (CPU s)", "render_cli_png_cpu_s", "target"),
    ("mapcore render --format svg, whole command (CPU s)", "render_cli_svg_cpu_s", "target"),
    ("Timeline slider map, national monthly (bytes)", "spread_payload_bytes", "target"),
    ("Timeline slider map, busiest state daily (bytes)", "spread_state_payload_bytes", "target"),
    ("server CPU per Explore filter change (ms, median)", "explore_rerun_cpu_ms", "target"),
    ("server CPU per Home view (ms, median)", "home_rerun_cpu_ms", "target"),
    ("readers per process with p95 change <= 1 s (N)", "readers_at_p95_1s", "target"),
    ("one server, 150 idle sessions (RSS MB)", "rss_150_idle_mb", "target"),
]


def baseline() -> dict:
    """The figures measured once on the version before the map component (bench/baseline.json)."""
    if not BASELINE.is_file():
        return {}
    return json.loads(BASELINE.read_text()).get("results", {})


def report(results: dict) -> None:
    before = baseline()
    print(f"{'measure':50} {'before':>12} {'ours':>12} {'vs':>12} {'':7} {'ratio':>8}  verdict")
    for label, key, against in ROWS:
        ours = results.get(key)
        if ours is None:
            continue
        kind = "naive" if against != "target" else "target"
        other = results.get(against) if kind == "naive" else TARGETS.get(key, AT_LEAST.get(key))
        ratio = other / ours if ours and other is not None else float("inf")
        verdict = ""
        if key == "map_payload_bytes":
            verdict = "ok" if ours <= TARGETS[key] and ratio >= 20 else "MISSED (<=1.5 MB and >=20x smaller)"
        elif key in AT_LEAST:
            ratio = ours / other if other else float("inf")
            verdict = "ok" if ours >= AT_LEAST[key] else "MISSED"
        elif kind == "target":
            verdict = "ok" if ours <= TARGETS[key] else "MISSED"
        print(f"{label:50} {_fmt(before.get(key)):>12} {_fmt(ours):>12} {_fmt(other):>12} {kind:7} {ratio:>7.1f}x  {verdict}")
    for extra in (
        "map_values_bytes",
        "cold_start_inside_s",
        "filter_to_map_max_s",
        "filter_combinations",
        "build_cold_runs",
        "pages_loaded",
        "law_practice_first_content_cold_s",
        "law_practice_runs",
        "law_practice_compute_s",
        "law_practice_compute_all_s",
        "about_first_content_s",
        "first_load_ws_bytes",
        "framework_first_load_bytes",
        "framework_repeat_bytes",
        "geometry_fetches",
        "filter_changes",
        "timeline_first_visit_s",
        "timeline_in_app_s",
        "about_h1_s",
        "timeline_complete_s",
        "rss_after_first_use_mb",
        "rss_after_rounds_mb",
        "soak_page_views",
        "soak_errors",
        "soak_round_s",
        "render_png_bytes",
        "render_svg_bytes",
        "render_png_width",
        "render_cli_png_s",
        "render_cli_svg_s",
        "spread_gif_s",
        "spread_gif_frames",
        "spread_gif_bytes",
        "spread_mp4_s",
        "spread_mp4_bytes",
        "spread_values_bytes",
        "spread_state",
        "spread_state_frames",
        "second_run_stats_s",
        "source",
        "left_out",
        "explore_rerun_s",
        "explore_rerun_cpu_ms_batches",
        "explore_load",
        "home_view_s",
        "home_rerun_cpu_ms_batches",
        "home_load",
        "rss_warm_mb",
        "idle_sessions",
        "rss_load",
        "capacity_checkout",
        "capacity_load_start",
        "capacity_load_end",
    ):
        if extra in results:
            print(f"  {extra}: {results[extra]}")
    if before:
        print(f"  before: {json.loads(BASELINE.read_text()).get('measured', '')}")
    for row in results.get("capacity_readers", []):
        print(
            f"  capacity, {row['users']:>2} readers: p50 {row['p50_s']} s, p95 {row['p95_s']} s, CPU per change "
            f"{row['cpu_ms_per_change']} ms, {row['changes']} changes, {row['errors']} errors, load {row['load_average']}"
        )


GOOD_NAME = "participatingAgencies07012025am.xlsx"


def bench_read(runs: int = 3) -> dict:
    """Timings that used to be wall-clock asserts in unit tests: reading a 100,000-row sheet, refusing a
    sheet whose one cell sits on Excel's last row, and placing 200,000 rows of 4 distinct agencies."""
    import pandas as pd
    import us
    from sheetfactory import write_big_sheet

    from mapcore.build.place import place_agreements
    from mapcore.reference.gazetteer import load_place_context
    from mapcore.sheets.sheet import SheetError, read_sheet

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big" / GOOD_NAME
        big.parent.mkdir()
        write_big_sheet(big, 100_000)
        out["read_100k_rows_s"] = median_seconds(lambda: read_sheet(big), runs)

        import openpyxl
        from sheetfactory import PARTICIPATING_8

        book = openpyxl.Workbook()
        book.active.append(PARTICIPATING_8)
        book.active.cell(row=1_048_576, column=1, value="TEXAS")
        last = Path(tmp) / "last" / GOOD_NAME
        last.parent.mkdir()
        book.save(last)

        def refuse() -> None:
            try:
                read_sheet(last)
            except SheetError:
                return
            raise AssertionError("the last-row sheet was accepted")

        out["refuse_last_row_sheet_s"] = median_seconds(refuse, runs)

    keys = [
        ("TX", "Houston Police Department", "Municipality", None),
        ("FL", "St. Johns County Sheriff's Office", "County", "St. Johns County"),
        ("TX", "Texas Highway Patrol", "State", None),
        ("TX", "Nowhereville Police Department", "Municipality", None),
    ]
    frame = pd.DataFrame(
        [
            {"state": s, "state_fips": us.states.lookup(s).fips, "agency": a, "jurisdiction_type": t, "county_printed": c}
            for s, a, t, c in keys
        ]
        * 50_000
    )
    ctx = load_place_context()
    place_agreements(frame.head(4), ctx)  # warm the look-ups
    out["place_200k_rows_s"] = median_seconds(lambda: place_agreements(frame, ctx), runs)
    return out


def _fmt(value) -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else f"{value:.3f}"


# --------------------------------------------------------------------------- reliability

LONG_AGENCY = " ".join(f"harrisx{i} sheriffz{i}" for i in range(700))[:10_240]


def bench_agency(folder: Path, cache: Path, runs: int = 3) -> dict:
    """The Agency page (AppTest, real dataset) answering a link whose ?agency= holds 10 KB of words."""
    from streamlit.testing.v1 import AppTest

    os.environ.update(MAPCORE_SOURCE=str(folder), MAPCORE_CACHE=str(cache))
    times = []
    for _ in range(runs):
        at = AppTest.from_file(str(REPO / "pages" / "3_Agency.py"), default_timeout=120)
        at.run()  # data loaded and indexed: the timing below is the query alone
        at.query_params["agency"] = LONG_AGENCY
        start = time.perf_counter()
        at.run(timeout=120)
        times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"Agency page failed: {at.exception}")
    return {"agency_10kb_s": statistics.median(times)}


SOAK_URLS = ("", "Explore?models=JEM", "Agency?agency=harris%20county%20sheriff", "State?state=TX", "Timeline", "Law_vs_practice")


def bench_soak(folder: Path, cache: Path) -> dict:
    """Server memory after sessions close: first use (one session over every soak page), then
    SOAK_ROUNDS rounds of SOAK_SESSIONS concurrent browser sessions; after each round the sessions
    close and the server drops them (disconnectedSessionTTL = SOAK_TTL_S). rss_growth_mb is the
    resident memory after the last round minus after first use. The server runs as `make run` starts
    it (MALLOC_ARENA_MAX=2)."""
    from browser_support import CHROMIUM_FLAGS, _router, chromium_path, streamlit_app
    from playwright.sync_api import sync_playwright

    if chromium_path() is None:
        return {"rss_growth_mb": None, "soak_note": "chromium not installed"}
    env = {
        "MAPCORE_SOURCE": str(folder),
        "MAPCORE_CACHE": str(cache),
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SOAK_TTL_S),
        "MALLOC_ARENA_MAX": "2",
    }  # as `make run` starts the server
    views = errors = 0
    rounds, durations = [], []
    with streamlit_app(env) as base, sync_playwright() as playwright:
        pid = _server_pid(base)
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS)
        try:
            for number in range(SOAK_ROUNDS + 1):
                sessions = 1 if number == 0 else SOAK_SESSIONS
                start = time.perf_counter()
                contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(sessions)]
                pages = []
                for context in contexts:
                    context.route("**/*", _router([]))  # offline, as the browser tests
                    pages.append(context.new_page())
                for url in SOAK_URLS:
                    for page in pages:  # every session asks at once; then all are awaited
                        page.goto(f"{base}/{url}", wait_until="commit")
                    for page in pages:
                        _wait_quiet(page)
                        errors += page.locator("[data-testid='stException']").count()
                        views += 1
                for context in contexts:
                    context.close()
                time.sleep(SOAK_TTL_S + 3)  # the server drops the closed sessions
                rss = _vm_rss(pid) / 1024
                rounds.append(round(rss, 1))
                durations.append(round(time.perf_counter() - start, 1))
                print(
                    f"soak round {number}/{SOAK_ROUNDS}: {sessions} session(s), {durations[-1]}s, server RSS {rss:.0f} MB",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            browser.close()
    first, after = rounds[0], rounds[1:]
    return {
        "rss_growth_mb": round(after[-1] - first, 1),
        "rss_after_first_use_mb": first,
        "rss_after_rounds_mb": after,
        "soak_page_views": views,
        "soak_errors": errors,
        "soak_round_s": durations,
    }


def _wait_quiet(page, timeout_ms: int = 180_000) -> None:
    page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
    page.wait_for_timeout(1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def _vm_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("VmRSS not found")


def main(parts: list[str]) -> None:
    parts = parts or [
        "map",
        "filter",
        "cold",
        "build",
        "read",
        "firstrun",
        "memory",
        "law",
        "browser",
        "timeline",
        "agency",
        "soak",
        "pictures",
        "capacity",
    ]
    folder = source()
    cache = cache_with_dataset(folder)
    results: dict = {"source": f"the snapshot {folder}" if is_snapshot(folder) else f"the sheets in {folder}"}
    if is_snapshot(folder) and "build" in parts:  # reading sheets needs sheets
        parts = [p for p in parts if p != "build"]
        results["left_out"] = "build (build_cold_s, build_unchanged_s): it reads ICE's sheets; set MAPCORE_SOURCE to a folder of them"
    if "map" in parts:
        results.update(bench_map(cache))
    if "filter" in parts:
        results.update(bench_filter(cache))
    if "cold" in parts:
        results.update(bench_cold(cache))
    if "build" in parts:
        results.update(bench_build(folder))
    if "read" in parts:
        results.update(bench_read())
    if "firstrun" in parts:
        results.update(bench_first_run())
    if "memory" in parts:
        results.update(bench_memory(folder, cache))
    if "law" in parts:
        from law_practice import bench_law_practice

        results.update(bench_law_practice(folder, cache))
    if "browser" in parts:
        from browser import bench_browser

        results.update(bench_browser(folder, cache))
    if "timeline" in parts:
        results.update(bench_timeline(folder, cache))
    if "agency" in parts:
        results.update(bench_agency(folder, cache))
    if "soak" in parts:
        results.update(bench_soak(folder, cache))
    if "pictures" in parts:
        from pictures import bench_pictures

        results.update(bench_pictures(folder, cache))
    if "capacity" in parts:
        from capacity import bench_capacity

        results.update(bench_capacity(folder, cache))
    report(results)
    summary = {
        key: _round(results.get(key))
        for key in (
            "map_payload_bytes",
            "naive_payload_bytes",
            "filter_to_map_s",
            "cold_start_s",
            "build_cold_s",
            "build_unchanged_s",
            "peak_rss_mb",
            "read_100k_rows_s",
            "refuse_last_row_sheet_s",
            "place_200k_rows_s",
            "law_practice_first_content_s",
            "law_practice_compute_s",
            "first_load_bytes",
            "repeat_visit_bytes",
            "filter_change_bytes",
            "filter_to_visible_s",
            "timeline_first_content_s",
            "timeline_first_visit_s",
            "timeline_in_app_s",
            "agency_10kb_s",
            "rss_growth_mb",
            "rss_after_first_use_mb",
            "rss_after_rounds_mb",
            "soak_page_views",
            "soak_errors",
            "render_png_s",
            "render_svg_s",
            "render_png_bytes",
            "render_svg_bytes",
            "render_png_width",
            "render_cli_png_s",
            "render_cli_svg_s",
            "render_cli_png_cpu_s",
            "render_cli_svg_cpu_s",
            "spread_gif_s",
            "spread_gif_frames",
            "spread_gif_bytes",
            "spread_mp4_s",
            "spread_mp4_bytes",
            "spread_payload_bytes",
            "spread_values_bytes",
            "spread_state_payload_bytes",
            "snapshot_bytes",
            "first_run_stats_s",
            "second_run_stats_s",
            "explore_rerun_cpu_ms",
            "home_rerun_cpu_ms",
            "readers_at_p95_1s",
            "rss_150_idle_mb",
            "capacity_readers",
            "capacity_load_start",
            "capacity_load_end",
            "source",
            "left_out",
        )
    }
    print(json.dumps(summary))


def _round(value):
    return round(value, 3) if isinstance(value, float) else value


if __name__ == "__main__":
    main(sys.argv[1:])
