"""`make serve REPLICAS=n`: HAProxy in front of n Streamlit replicas, and the one refresher.

    python deploy/serve.py --replicas 2 --port 8501 [--host 127.0.0.1] [--every 3600] [--state FILE]

- the refresher (``mapcore serve-refresher``) fetches, builds and publishes the dataset every --every seconds;
- each replica is the app's server (``python -m mapcore.app.ui.server``: ``streamlit run app.py`` with the app's
  hooks) on a port of its own (127.0.0.1), with ``MAPCORE_REFRESH=external``:
  it shows what the refresher published and never fetches or builds;
- HAProxy (Debian's package; ``make serve-deps`` installs it) listens on --host:--port, sends each reader to
  one replica and keeps them there (a cookie), checks every replica's /_stcore/health each second, sends the
  readers of a replica that died to a live one, and limits what one client address may open (deploy/haproxy.cfg).

A replica that exits is started again after a few seconds. SIGINT or SIGTERM stops everything. With
--state, a JSON file names the URL and every process (tests kill a replica by its pid).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "deploy" / "haproxy.cfg"
COMPOSE_CONFIG = REPO / "deploy" / "haproxy.compose.cfg"
LIMITS = {  # per client address; see docs/deploy.md
    "MAPCORE_MAX_CONN_PER_ADDR": "200",        # connections open at once (each reader holds one websocket)
    "MAPCORE_MAX_CONN_RATE_PER_ADDR": "300",   # new connections per 10 s
    "MAPCORE_MAX_REQ_RATE_PER_ADDR": "600",    # HTTP requests per 10 s (page loads, scripts, map files, health)
}
RESTART_AFTER_S = 3.0


def render(bind: str, servers: list[str], limits: dict[str, str] | None = None, extra: str = "") -> str:
    """deploy/haproxy.cfg with its bind address, limits and server lines filled in."""
    text = TEMPLATE.read_text()
    values = {**LIMITS, **(limits or {}), "MAPCORE_BIND": bind}
    for name, value in values.items():
        text = text.replace("${" + name + "}", str(value))
    lines = "\n".join(f"    {line}" for line in servers)
    return text.replace("    # @SERVERS@", (extra + "\n" if extra else "") + lines)


def compose_config() -> str:
    """The configuration compose.yaml's HAProxy reads: the replicas found by Docker's DNS (service name
    ``replica``, up to 16), their cookies derived from their addresses."""
    resolvers = "resolvers docker\n    nameserver dns 127.0.0.11:53\n    hold valid 5s\n"
    text = render(":8080", ["server-template replica 16 replica:8501 check resolvers docker init-addr none"])
    text = text.replace("cookie MAPCORE_REPLICA insert indirect nocache httponly",
                        "cookie MAPCORE_REPLICA insert indirect nocache httponly dynamic\n    dynamic-cookie-key mapcore-replicas")
    return text.replace("\nfrontend readers", f"\n{resolvers}\nfrontend readers", 1)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    port: int | None = None
    process: subprocess.Popen | None = None
    died_at: float | None = None
    restarts: int = 0
    extra: dict = field(default_factory=dict)

    def start(self) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(self.command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        self.died_at = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").is_file() else None)
    if found is None:
        sys.exit("serve: HAProxy is not installed (make serve-deps installs Debian's package)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--host", default="127.0.0.1", help="address HAProxy listens on (0.0.0.0: every interface)")
    parser.add_argument("--every", type=float, default=3600.0, help="seconds between refreshes")
    parser.add_argument("--state", type=Path, help="write the URL and the processes' ids to this JSON file")
    parser.add_argument("--no-refresher", action="store_true", help="another process publishes the dataset")
    parser.add_argument("--print-compose-config", action="store_true", help="print deploy/haproxy.compose.cfg and exit")
    args = parser.parse_args(argv)
    if args.print_compose_config:
        sys.stdout.write(compose_config())
        return 0
    if not 1 <= args.replicas <= 64:
        sys.exit("serve: --replicas is between 1 and 64")
    haproxy = haproxy_binary()
    cache = Path(os.environ.get("MAPCORE_CACHE") or REPO / ".cache").resolve()
    logs = cache / "serve"
    logs.mkdir(parents=True, exist_ok=True)
    base_env = {**os.environ, "MAPCORE_CACHE": str(cache), "MALLOC_ARENA_MAX": "2"}

    children: list[Child] = []
    if not args.no_refresher:
        children.append(Child("refresher", [sys.executable, "-m", "mapcore", "serve-refresher", "--every", str(args.every)],
                              base_env, logs / "refresher.log"))
    replicas = []
    for number in range(1, args.replicas + 1):
        port = free_port()
        replicas.append(Child(f"r{number}", [sys.executable, "-m", "mapcore.app.ui.server", "--server.port", str(port),
                                             "--server.address", "127.0.0.1", "--server.headless", "true"],
                              {**base_env, "MAPCORE_REFRESH": "external"}, logs / f"replica-{number}.log", port))
    children += replicas
    config = logs / f"haproxy-{args.port}.cfg"
    config.write_text(render(f"{args.host}:{args.port}", [f"server {r.name} 127.0.0.1:{r.port} check cookie {r.name}"
                                                          for r in replicas]))
    subprocess.run([haproxy, "-c", "-q", "-f", str(config)], check=True)
    children.append(Child("haproxy", [haproxy, "-db", "-f", str(config)], base_env, logs / "haproxy.log"))

    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.start()
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"
    print(f"serve: {len(replicas)} replica(s) behind HAProxy at {url}; logs in {logs}", flush=True)
    try:
        while not stopping:
            for child in children:
                if child.process is not None and child.process.poll() is not None:
                    if child.died_at is None:
                        child.died_at = time.monotonic()
                        print(f"serve: {child.name} exited ({child.process.returncode}); starting it again", flush=True)
                    elif time.monotonic() - child.died_at >= RESTART_AFTER_S:
                        child.restarts += 1
                        child.start()
            if args.state:
                _write_state(args.state, url, children)
            time.sleep(0.5)
    finally:
        for child in reversed(children):
            child.stop()
    return 0


def _write_state(path: Path, url: str, children: list[Child]) -> None:
    state = {"url": url, "processes": [{"name": c.name, "pid": c.process.pid if c.process else None, "port": c.port,
                                        "alive": c.process is not None and c.process.poll() is None, "restarts": c.restarts}
                                       for c in children]}
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(state))
    os.replace(temp, path)


def wait_ready(url: str, timeout: float = 180.0) -> None:
    """Until HAProxy answers the app's health check (a replica is up)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout}s")


if __name__ == "__main__":
    sys.exit(main())
