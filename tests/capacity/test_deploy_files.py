"""The files a deployer uses (Dockerfile, compose.yaml, HAProxy's configurations) are
checked by parsing (no Docker daemon here): the services are there, ports and volumes agree, the replicas
never build and read the shared dataset read-only, HAProxy checks /_stcore/health and keeps readers sticky."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy"))

import serve  # noqa: E402  (deploy/serve.py)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text()
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_parses_and_runs_the_app_as_an_unprivileged_user():
    instructions = dockerfile_instructions()
    known = {"FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "CMD", "ARG", "LABEL", "ENTRYPOINT"}
    assert {word for word, _ in instructions} <= known
    assert instructions[0][0] == "FROM" and "python:3.11" in instructions[0][1]
    copied = [args.split()[0] for word, args in instructions if word == "COPY"]
    for path in copied:  # everything copied exists in the repository
        assert (REPO / path).exists(), path
    assert {"src", "data", "geo", "app.py", "pages", ".streamlit"} <= set(copied)
    assert ("USER", "mapcore") in instructions
    assert ("EXPOSE", "8501") in instructions
    cmd = next(args for word, args in instructions if word == "CMD")
    import json

    command = json.loads(cmd)
    assert command[:3] == ["python", "-m", "mapcore.app.ui.server"] and command[command.index("--server.port") + 1] == "8501"
    assert (REPO / "src" / "mapcore" / "app" / "ui" / "server.py").is_file()
    health = next(args for word, args in instructions if word == "HEALTHCHECK")
    assert "/_stcore/health" in health and "8501" in health
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", ".cache", ".git"} <= set(ignored)


def test_compose_has_haproxy_replicas_and_one_refresher_on_a_shared_read_only_dataset():
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"haproxy", "replica", "refresher"}
    refresher, replica, haproxy = services["refresher"], services["replica"], services["haproxy"]

    assert refresher["command"][:2] == ["mapcore", "serve-refresher"]
    assert refresher.get("deploy", {}).get("replicas", 1) == 1  # one refresher per deployment
    volume = "datasets"
    assert volume in compose["volumes"]
    assert f"{volume}:/data" in refresher["volumes"] and refresher["environment"]["MAPCORE_CACHE"] == "/data"
    assert f"{volume}:/data:ro" in replica["volumes"]
    assert replica["environment"]["MAPCORE_REFRESH"] == "external"
    assert replica["environment"]["MAPCORE_PUBLISHED"] == "/data"
    assert replica["environment"]["MAPCORE_CACHE"] != "/data"  # its own scratch, not the read-only volume
    assert replica["environment"]["MAPCORE_SOURCE"] == refresher["environment"]["MAPCORE_SOURCE"]  # the same published file
    assert replica["deploy"]["replicas"] >= 2 and "8501" in [str(p) for p in replica["expose"]]
    assert "build" in replica and "build" in refresher

    mount = next(v for v in haproxy["volumes"] if v.endswith(":ro"))
    config_file = REPO / mount.split(":")[0]
    assert config_file.is_file()
    published = haproxy["ports"][0]
    inner = int(published.rsplit(":", 1)[1])
    config = config_file.read_text()
    assert re.search(rf"^\s*bind :{inner}\s*$", config, re.M), "HAProxy listens on the port compose publishes"
    assert re.search(r"server-template replica \d+ replica:8501 ", config), "HAProxy finds the replicas on their port"


def test_the_committed_compose_haproxy_config_is_the_rendered_one():
    assert (REPO / "deploy" / "haproxy.compose.cfg").read_text() == serve.compose_config(), (
        "deploy/haproxy.cfg changed: run `python deploy/serve.py --print-compose-config > deploy/haproxy.compose.cfg`"
    )


def test_haproxy_config_keeps_readers_sticky_checks_health_and_limits_each_address():
    config = serve.render("127.0.0.1:8000", ["server r1 127.0.0.1:9001 check cookie r1"])
    assert "${" not in config and "@SERVERS@" not in config
    lines = [line.strip() for line in config.splitlines()]
    assert "option httpchk GET /_stcore/health" in lines
    assert any(line.startswith("cookie MAPCORE_REPLICA insert") for line in lines)
    assert "option redispatch" in " ".join(lines)
    assert any(line.startswith("timeout tunnel") for line in lines)  # websockets stay open
    assert any("sc_conn_cur(0) gt" in line for line in lines) and any("sc_http_req_rate(0) gt" in line for line in lines)
    assert "bind 127.0.0.1:8000" in lines and "server r1 127.0.0.1:9001 check cookie r1" in lines
    for line in lines:  # every line parses as words (no broken quoting)
        shlex.split(line, comments=True)
