"""N readers on Explore at once, driven by Locust: each a real Streamlit websocket session
(tests/streamlit_ws.py) that loads Explore, then changes the model and state filters every 1–3 s.

Run by bench/capacity.py in a process of its own (Locust patches the standard library with gevent):

    python bench/capacity_load.py --base http://127.0.0.1:PORT --users 16 --pid SERVER_PID

Prints one JSON line: the change -> script finished times (p50, p95, max; changes still waiting when
the window closes count with the time they had waited), server CPU per change over the window, the
initial loads, errors. Bounded: loads wait at most --load-timeout s, the window lasts at most --max-window s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import gevent
import psutil
from locust import User, between, events, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from streamlit_ws import StreamlitSession  # noqa: E402

STATE = {"loaded": 0, "load_s": [], "changes": [], "errors": [], "inflight": {}}


class ExploreReader(User):
    """One reader: loads Explore, then keeps changing the model and state filters (think time 1–3 s)."""

    wait_time = between(1, 3)
    timeout = 60.0  # a change not finished by then counts as an error
    load_timeout = 240.0  # the first load of many readers at once may queue long on a slow server

    def on_start(self) -> None:
        start = time.perf_counter()
        try:
            self.session = StreamlitSession(self.host, timeout=self.load_timeout)
            run = self.session.open("Explore")
            self.session.ws.settimeout(self.timeout)
        except Exception as exc:  # counted, the user stops
            STATE["errors"].append(f"load: {exc!r}")
            self.stop()
            return
        STATE["load_s"].append(time.perf_counter() - start)
        STATE["loaded"] += 1
        if run.exceptions:
            STATE["errors"].extend(run.exceptions)
        gevent.sleep(random.uniform(0, 3))  # readers do not change their filters in step

    @task
    def change_filters(self) -> None:
        widgets = self.session.widgets
        models = random.sample(widgets["models"].options, random.randint(1, 2))
        states = random.sample(widgets["states"].options, random.randint(1, 3))
        start = time.perf_counter()
        STATE["inflight"][id(self)] = start
        try:
            run = self.session.change(models=models, states=states)
        except Exception as exc:
            STATE["inflight"].pop(id(self), None)
            STATE["errors"].append(f"change: {exc!r}")
            events.request.fire(
                request_type="WS",
                name="explore change",
                response_time=(time.perf_counter() - start) * 1000,
                response_length=0,
                exception=exc,
                context={},
            )
            self.stop()
            return
        STATE["inflight"].pop(id(self), None)
        STATE["changes"].append(run.seconds)
        STATE["errors"].extend(run.exceptions)
        events.request.fire(
            request_type="WS",
            name="explore change",
            response_time=run.seconds * 1000,
            response_length=run.bytes,
            exception=None,
            context={},
        )

    def on_stop(self) -> None:
        session = getattr(self, "session", None)
        if session is not None:
            session.close()


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(base: str, users: int, pid: int, min_window: float, max_window: float, min_changes: int, load_timeout: float) -> dict:
    server = psutil.Process(pid)
    ExploreReader.host = base
    env = Environment(user_classes=[ExploreReader], host=base, events=events)
    runner = env.create_local_runner()
    started = time.perf_counter()
    runner.start(users, spawn_rate=max(4.0, users / 4))
    while STATE["loaded"] + len(STATE["errors"]) < users and time.perf_counter() - started < load_timeout:
        gevent.sleep(0.25)
    loads = list(STATE["load_s"])
    STATE["changes"].clear()
    env.stats.reset_all()
    cpu0, window_start = cpu_seconds(server), time.perf_counter()
    while True:
        gevent.sleep(0.5)
        elapsed = time.perf_counter() - window_start
        if (elapsed >= min_window and len(STATE["changes"]) >= min_changes) or elapsed >= max_window:
            break
    now = time.perf_counter()
    cpu = cpu_seconds(server) - cpu0
    completed = list(STATE["changes"])
    waiting = [now - start for start in STATE["inflight"].values()]  # still waiting: at least this long
    runner.quit()
    times = completed + waiting
    return {
        "users": users,
        "loaded": STATE["loaded"],
        "changes": len(completed),
        "still_waiting": len(waiting),
        "p50_s": _r(percentile(times, 0.5)),
        "p95_s": _r(percentile(times, 0.95)),
        "max_s": _r(max(times) if times else None),
        "cpu_ms_per_change": _r(1000 * cpu / len(completed)) if completed else None,
        "server_cpu_share": _r(cpu / (now - window_start)),
        "window_s": _r(now - window_start),
        "load_p50_s": _r(statistics.median(loads)) if loads else None,
        "load_max_s": _r(max(loads)) if loads else None,
        "locust_p95_ms": env.stats.get("explore change", "WS").get_response_time_percentile(0.95),
        "errors": len(STATE["errors"]),
        "first_errors": STATE["errors"][:3],
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True, help="the server's process id (its CPU time is read)")
    parser.add_argument("--min-window", type=float, default=30.0)
    parser.add_argument("--max-window", type=float, default=90.0)
    parser.add_argument("--min-changes", type=int, default=40)
    parser.add_argument("--load-timeout", type=float, default=240.0)
    args = parser.parse_args()
    if not args.base.startswith(("http://127.0.0.1:", "http://localhost:")):
        sys.exit("capacity_load: loopback servers only")
    print(json.dumps(run(args.base, args.users, args.pid, args.min_window, args.max_window, args.min_changes, args.load_timeout)))


if __name__ == "__main__":
    main()
