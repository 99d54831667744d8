"""`make bench` part capacity: how many readers one server process holds.

Every figure comes from protocol-level readers (tests/streamlit_ws.py: real Streamlit websocket sessions,
Streamlit's own protobuf messages) against one server started as `make run` starts it, on 127.0.0.1:

- explore_rerun_cpu_ms: server CPU per Explore filter change (model and state), one reader, median
  (the server process's CPU time read with psutil around batches of 10 changes, 50 different changes in all);
- home_rerun_cpu_ms: server CPU per Home view (a new session opening Home), median;
- readers_at_p95_1s: the largest N of 1, 2, 4, ... 64 readers (Locust, bench/capacity_load.py: each loads
  Explore, then changes the model and state filters every 1–3 s) whose p95 change -> script finished is <= 1 s;
  the whole table (p50, p95, CPU per change at each N) is kept in capacity_readers;
- rss_150_idle_mb: the resident memory of a fresh server holding 150 idle sessions, each of which loaded
  Home or Explore.

Each figure notes the load average it was taken under (the machine is shared). Run alone with
`.venv/bin/python bench/run.py capacity`; CAPACITY_LEVELS=1,2,4 limits the sweep, and
MAPCORE_BENCH_CHECKOUT=/path/to/checkout serves another checkout of the app (its src/ first on the path),
which is how the "before" table of an older version is measured with today's tool.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from server_support import app_server, cpu_seconds, wait_quiet  # noqa: E402
from streamlit_ws import StreamlitSession  # noqa: E402

LEVELS = (1, 2, 4, 8, 16, 32, 64)
TARGETS = {"readers_at_p95_1s": 32, "rss_150_idle_mb": 800.0, "explore_rerun_cpu_ms": 50.0, "home_rerun_cpu_ms": 50.0}
IDLE_SESSIONS = 150
EXPLORE_CHANGES = 50
HOME_VIEWS = 50
BATCH = 10  # changes (or views) per CPU reading


def distinct_changes(models: list[str], states: list[str], count: int, seed: int = 28) -> list[tuple[list[str], list[str]]]:
    """``count`` different (models, states) choices, as readers make them (1-2 models, 1-3 states), none
    repeated: nothing a server keeps per choice is reused within the measure."""
    rnd, seen, out = random.Random(seed), set(), []
    while len(out) < count:
        choice = (tuple(sorted(rnd.sample(models, rnd.randint(1, 2)))), tuple(sorted(rnd.sample(states, rnd.randint(1, 3)))))
        if choice not in seen:
            seen.add(choice)
            out.append((list(choice[0]), list(choice[1])))
    return out


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def server(folder: Path, cache: Path, checkout: Path | None = None, extra_env: dict[str, str] | None = None):
    """The app served as `make run` serves it, on 127.0.0.1: yields (base URL, psutil.Process)."""
    return app_server({"MAPCORE_SOURCE": str(folder), "MAPCORE_CACHE": str(cache), **(extra_env or {})}, checkout, cache)


def warm(base: str) -> None:
    """Load every page the bench uses once (the dataset is loaded, caches filled)."""
    for page in ("", "Explore"):
        session = StreamlitSession(base, timeout=300)
        try:
            run = session.open(page)
            if run.exceptions:
                raise RuntimeError(f"page {page or 'Home'} failed: {run.exceptions[0]}")
        finally:
            session.close()


def explore_cpu(base: str, process: psutil.Process, changes: int = EXPLORE_CHANGES, batch: int = BATCH) -> dict:
    """Server CPU per Explore filter change, one reader changing the model and state filters: the server's
    CPU time read around each batch of ``batch`` changes (the clock counts in 10 ms ticks: one change alone
    is too short to read), divided by the batch; the median of the batches."""
    session = StreamlitSession(base)
    per_change, wall = [], []
    try:
        session.open("Explore")
        combos = distinct_changes(session.widgets["models"].options, session.widgets["states"].options, changes)
        for first in range(0, len(combos), batch):
            chunk = combos[first : first + batch]
            time.sleep(0.3)
            before = cpu_seconds(process)
            for models, states in chunk:
                run = session.change(models=models, states=states)
                wall.append(run.seconds)
                if run.exceptions:
                    raise RuntimeError(f"Explore failed: {run.exceptions[0]}")
            per_change.append((cpu_seconds(process) - before) / len(chunk))
    finally:
        session.close()
    return {
        "explore_rerun_cpu_ms": round(1000 * statistics.median(per_change), 1),
        "explore_rerun_s": round(statistics.median(wall), 3),
        "explore_rerun_cpu_ms_batches": [round(1000 * v, 1) for v in per_change],
        "explore_load": load_average(),
    }


def home_cpu(base: str, process: psutil.Process, views: int = HOME_VIEWS, batch: int = BATCH) -> dict:
    """Server CPU per Home view (a new session opening Home, to its script's end; then closed), read around
    batches of ``batch`` views as :func:`explore_cpu`; the median of the batches."""
    per_view, wall = [], []
    for first in range(0, views, batch):
        time.sleep(0.3)
        before = cpu_seconds(process)
        for _ in range(min(batch, views - first)):
            session = StreamlitSession(base)
            try:
                run = session.open("")
                wall.append(run.seconds)
                if run.exceptions:
                    raise RuntimeError(f"Home failed: {run.exceptions[0]}")
            finally:
                session.close()
        per_view.append((cpu_seconds(process) - before) / min(batch, views - first))
    return {
        "home_rerun_cpu_ms": round(1000 * statistics.median(per_view), 1),
        "home_view_s": round(statistics.median(wall), 3),
        "home_rerun_cpu_ms_batches": [round(1000 * v, 1) for v in per_view],
        "home_load": load_average(),
    }


def readers(base: str, process: psutil.Process, levels: tuple[int, ...] = LEVELS) -> dict:
    """The sweep: Locust (bench/capacity_load.py, a process of its own) at each number of readers."""
    table = []
    for users in levels:
        wait_quiet(process)
        load = load_average()
        command = [
            sys.executable,
            str(REPO / "bench" / "capacity_load.py"),
            "--base",
            base,
            "--users",
            str(users),
            "--pid",
            str(process.pid),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            raise RuntimeError(f"capacity_load failed ({done.returncode}): {done.stderr[-2000:]}")
        row = {**json.loads(lines[-1]), "load_average": load}
        table.append(row)
        print(
            f"capacity: {users:>3} readers: p50 {row['p50_s']} s, p95 {row['p95_s']} s, CPU/change {row['cpu_ms_per_change']} ms, "
            f"{row['changes']} changes, {row['errors']} errors (load {load})",
            file=sys.stderr,
            flush=True,
        )
    ok = [row["users"] for row in table if row["p95_s"] is not None and row["p95_s"] <= 1.0 and row["changes"] > 0]
    # the largest N such that every N up to it held (a lucky high level after a failed one does not count)
    held = 0
    for row in table:
        if row["users"] in ok:
            held = row["users"]
        else:
            break
    return {"readers_at_p95_1s": held, "capacity_readers": table}


def idle_rss(folder: Path, cache: Path, checkout: Path | None, sessions: int = IDLE_SESSIONS) -> dict:
    """Resident memory of a fresh server holding ``sessions`` idle sessions (each loaded Home or Explore)."""
    with server(folder, cache, checkout) as (base, process):
        warm(base)
        wait_quiet(process)
        start_mb = process.memory_info().rss / 2**20
        pages = ["" if number % 2 == 0 else "Explore" for number in range(sessions)]

        def open_one(page: str) -> StreamlitSession:
            session = StreamlitSession(base, timeout=300)
            session.open(page)
            return session

        with ThreadPoolExecutor(4) as pool:
            held = list(pool.map(open_one, pages))
        try:
            wait_quiet(process)
            time.sleep(3)
            rss_mb = process.memory_info().rss / 2**20
        finally:
            for session in held:
                session.close()
    return {"rss_150_idle_mb": round(rss_mb, 1), "rss_warm_mb": round(start_mb, 1), "idle_sessions": len(held), "rss_load": load_average()}


def bench_capacity(folder: Path, cache: Path) -> dict:
    checkout = Path(os.environ["MAPCORE_BENCH_CHECKOUT"]).resolve() if os.environ.get("MAPCORE_BENCH_CHECKOUT") else None
    levels = tuple(int(v) for v in os.environ.get("CAPACITY_LEVELS", "").split(",") if v.strip()) or LEVELS
    out: dict = {"capacity_checkout": str(checkout or REPO), "capacity_load_start": load_average()}
    with server(folder, cache, checkout) as (base, process):
        warm(base)
        wait_quiet(process)
        out.update(explore_cpu(base, process))
        out.update(home_cpu(base, process))
        out.update(readers(base, process, levels))
    out.update(idle_rss(folder, cache, checkout))
    out["capacity_load_end"] = load_average()
    return out
