"""Against a real server on 127.0.0.1 driven by protocol-level clients
(tests/streamlit_ws.py: Streamlit's own websocket messages, no browser):

- clients that never read must not starve the others: after fifty of them, each sending twenty reruns
  and reading nothing, stop, a fresh visitor's page loads within 2 s, and does so within 30 s;
- a 20 MB text value (Explore's "Agency name contains") leaves the server's memory within 200 MB of where it
  started, and what is kept of a long value is cut (the text input's maximum length, the URL's ?q=).
"""

from __future__ import annotations

import socket
import time
from urllib.parse import parse_qs

import pytest
import websocket
from server_support import SNAPSHOT, app_server, wait_quiet
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit_ws import StreamlitSession

pytestmark = pytest.mark.server

ATTACKERS, RERUNS_EACH = 50, 20
RECOVER_WITHIN_S, PAGE_WITHIN_S = 30.0, 2.0
STATES = ["TX", "FL", "GA", "NC", "AZ", "OK", "LA", "AL", "SC", "TN"]


@pytest.fixture
def server(snapshot_cache, tmp_path):
    with app_server({"MAPCORE_SOURCE": str(SNAPSHOT), "MAPCORE_CACHE": str(snapshot_cache)}, log_dir=tmp_path) as running:
        base, _process = running
        for page in ("", "Explore"):  # the dataset loaded, the pages' caches warm
            session = StreamlitSession(base, timeout=120)
            assert not session.open(page).exceptions
            session.close()
        yield running


def _non_reader(base: str, number: int) -> websocket.WebSocket:
    """A client that asks for RERUNS_EACH reruns of Explore (each with other filters) and never reads."""
    ws = websocket.create_connection(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"], timeout=10)
    ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # and lets little pile up on its side
    for rerun in range(RERUNS_EACH):
        message = BackMsg()
        message.rerun_script.page_name = "Explore"
        message.rerun_script.query_string = f"states={STATES[(number + rerun) % len(STATES)]}&models={'JEM' if rerun % 2 else 'TFM'}"
        ws.send_binary(message.SerializeToString())
    return ws


def test_fifty_clients_that_never_read_do_not_keep_new_visitors_waiting(server):
    base, process = server
    attackers = [_non_reader(base, number) for number in range(ATTACKERS)]
    time.sleep(10)  # the attack goes on for a while
    for ws in attackers:
        ws.sock.close()  # gone, without a goodbye
    stopped = time.monotonic()
    tries = []
    while time.monotonic() - stopped < RECOVER_WITHIN_S:
        visitor = None
        try:
            visitor = StreamlitSession(base, timeout=RECOVER_WITHIN_S)
            run = visitor.open("Explore")
        except (websocket.WebSocketException, OSError):
            tries.append(None)
            continue
        finally:
            if visitor is not None:
                visitor.close()
        tries.append(round(run.seconds, 2))
        assert not run.exceptions, run.exceptions
        if run.seconds <= PAGE_WITHIN_S:
            break
        time.sleep(0.5)
    recovered = time.monotonic() - stopped
    assert tries and tries[-1] is not None and tries[-1] <= PAGE_WITHIN_S and recovered <= RECOVER_WITHIN_S, (
        f"fresh visits after the attack: {tries} (seconds; None = no answer), {recovered:.0f} s after it stopped"
    )
    assert wait_quiet(process, timeout=60), "the server kept working for clients that had gone"


def test_a_20_mb_text_value_leaves_memory_within_200_mb_and_long_values_are_cut(server):
    base, process = server
    start_mb = process.memory_info().rss / 2**20
    for _ in range(3):  # three readers, each pasting 20 MB into "Agency name contains" twice
        session = StreamlitSession(base, timeout=60)
        session.open("Explore")
        for _ in range(2):
            try:
                session.change(q="Harris " * (20 * 2**20 // 7))
            except (websocket.WebSocketException, OSError):
                break  # the server closed the connection: refused, as it should be
        session.close()
    wait_quiet(process, timeout=60)
    grown_mb = process.memory_info().rss / 2**20 - start_mb
    assert grown_mb <= 200, f"the server's memory grew {grown_mb:.0f} MB"

    session = StreamlitSession(base, timeout=60)  # a long value that gets through is cut to the input's length
    session.open("Explore")
    run = session.change(q="harris " * 20_000)
    session.close()
    assert not run.exceptions
    kept = parse_qs(session.query).get("q", [""])[0]
    assert 0 < len(kept) <= 100, f"?q= kept {len(kept)} characters"
    assert wait_quiet(process, timeout=60)
