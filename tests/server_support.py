"""A real app server for the capacity and abuse tests and make bench's capacity part: `streamlit run app.py`
as `make run` starts it (the repository's .streamlit/config.toml, MALLOC_ARENA_MAX=2), on 127.0.0.1 and a
free port, stopped afterwards."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
from browser_support import free_port, wait_healthy

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "data" / "ice_snapshot"  # the bundled snapshot of ICE's sheets: real data in every checkout


@contextlib.contextmanager
def app_server(env: dict[str, str], checkout: Path | None = None, log_dir: Path | None = None, timeout: float = 120):
    """Yields (base URL, psutil.Process of the server). ``checkout``: serve another checkout of the app (its
    src/ first on the path; MAPCORE_TEST_CHECKOUT names one for a whole test run, to show a test failing on an
    older version); ``env`` is added to this process's environment."""
    checkout = checkout or Path(os.environ.get("MAPCORE_TEST_CHECKOUT") or REPO)
    port = free_port()
    full_env = {**os.environ, "MALLOC_ARENA_MAX": "2", **env}
    if checkout != REPO:
        full_env["PYTHONPATH"] = os.pathsep.join([str(checkout / "src"), full_env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # as make run starts it: the app's server module (Streamlit with the app's hooks installed first); an
    # older checkout without one: plain `streamlit run app.py`
    launcher = (
        ["-m", "mapcore.app.ui.server"] if (checkout / "src/mapcore/app/ui/server.py").is_file() else ["-m", "streamlit", "run", "app.py"]
    )
    command = [sys.executable, *launcher, "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
    log_dir = Path(log_dir or env.get("MAPCORE_CACHE") or "/tmp")
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"app-server-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=checkout, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, process, timeout, f"; see {log_path}")
            yield base, psutil.Process(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def wait_quiet(process: psutil.Process, share: float = 0.05, timeout: float = 150.0) -> bool:
    """Until the server uses under ``share`` of a core over a second; False if it never did in ``timeout``."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        before = cpu_seconds(process)
        time.sleep(1.0)
        if cpu_seconds(process) - before < share:
            return True
    return False
