"""At the load balancer: HAProxy (deploy/haproxy.cfg, as `make serve` renders it) limits what
one client address may open and send, with stick tables: past the connection limit a new connection is
refused, past the request rate a request is answered 429. Low limits here, a tiny backend on 127.0.0.1."""

from __future__ import annotations

import http.client
import http.server
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser_support import free_port

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "deploy"))

import serve  # noqa: E402  (deploy/serve.py)

pytestmark = pytest.mark.server


class _Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy(tmp_path):
    haproxy = serve.haproxy_binary()
    backend = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=backend.serve_forever, daemon=True).start()
    port = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        serve.render(
            f"127.0.0.1:{port}",
            [f"server r1 127.0.0.1:{backend.server_port} check cookie r1"],
            {"MAPCORE_MAX_CONN_PER_ADDR": "5", "MAPCORE_MAX_CONN_RATE_PER_ADDR": "1000", "MAPCORE_MAX_REQ_RATE_PER_ADDR": "20"},
        )
    )
    process = subprocess.Popen([haproxy, "-db", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.5)  # the first health check marks the backend up
        yield port
    finally:
        process.terminate()
        process.wait(10)
        backend.shutdown()


def _closed_at_once(sock: socket.socket) -> bool:
    sock.settimeout(2)
    try:
        sock.sendall(b"GET /_stcore/health HTTP/1.1\r\nHost: x\r\n\r\n")
        return sock.recv(100) == b""
    except OSError:
        return True


def test_one_address_cannot_hold_more_connections_than_the_limit(proxy):
    held = [socket.create_connection(("127.0.0.1", proxy), timeout=5) for _ in range(5)]
    time.sleep(0.3)
    try:
        try:
            extra = socket.create_connection(("127.0.0.1", proxy), timeout=5)
        except ConnectionResetError:  # refused while connecting
            return
        held.append(extra)
        assert _closed_at_once(extra), "a sixth connection from one address was let through"
    finally:
        for sock in held:
            sock.close()


def test_one_address_cannot_send_more_requests_than_the_rate_limit(proxy):
    statuses = []
    connection = http.client.HTTPConnection("127.0.0.1", proxy, timeout=5)  # one kept-alive connection: requests count
    for _ in range(30):
        connection.request("GET", "/_stcore/health")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
        if response.status == 429:  # HAProxy closes after a deny
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", proxy, timeout=5)
    connection.close()
    assert statuses[:15] == [200] * 15 and set(statuses[22:]) == {429}, statuses  # about 20 per 10 s
