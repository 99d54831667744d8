"""A reader at the protocol level: one Streamlit websocket session, built on Streamlit's own protobuf
messages, for load tests (bench/capacity.py) and the abuse tests (tests/capacity).

It does what the browser does on the wire, no more: open ``/_stcore/stream``, send a ``rerun_script``
BackMsg (the page, the URL's query string, the widgets' states, the hashes of the messages it already
holds), read ForwardMsgs until ``script_finished``. The widgets a run draws are remembered by their key
(``$$ID-<hash>-<key>``), so a caller changes a filter by its key and the option's label, as a reader does.
No browser, no JavaScript: a few hundred sessions fit in one process. Loopback only.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
# how each kind of widget's value travels (streamlit's serdes; WidgetStates.proto)
VALUE_FIELD = {
    "multiselect": "string_array_value",
    "radio": "int_value",
    "selectbox": "int_value",
    "text_input": "string_value",
    "checkbox": "bool_value",
    "toggle": "bool_value",
    "number_input": "double_value",
    "button_group": "int_array_value",
}


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One script run as the client saw it: seconds from sending to ``script_finished``, bytes and
    messages received, exceptions the page showed."""

    seconds: float
    bytes: int
    messages: int
    exceptions: list[str]
    status: int
    texts: list[str] = field(default_factory=list)  # markdown and alert bodies the run drew
    kinds: dict[str, int] = field(default_factory=dict)  # elements drawn, by kind (metric, dataframe, ...)


class StreamlitSession:
    """One reader's session on a Streamlit server (``base``: ``http://127.0.0.1:PORT``)."""

    def __init__(self, base: str, timeout: float = 120.0, headers: dict[str, str] | None = None):
        url = base.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        extra = [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.ws = websocket.create_connection(url, subprotocols=["streamlit"], timeout=timeout, header=extra)
        self.page = ""
        self.query = ""
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, object] = {}  # widget key -> the value this client last sent
        self.cached: set[str] = set()  # hashes of cacheable messages received (the browser's cache)

    def close(self) -> None:
        try:
            self.ws.close(timeout=1)
        except Exception:
            pass

    # ------------------------------------------------------------------ sending

    def open(self, page: str = "", query: str = "") -> Run:
        """Load a page (``""``: the main page; else its URL path, e.g. ``"Explore"``) with a query string."""
        self.page, self.query, self.values = page, query.lstrip("?"), {}
        return self.rerun()

    def change(self, **values: object) -> Run:
        """Set widgets by key (a multiselect takes option labels; a radio or selectbox an option label or
        index; a text input a string) and rerun, as a reader's change does."""
        for key, value in values.items():
            widget = self.widgets[key]
            if widget.kind in ("radio", "selectbox") and isinstance(value, str):
                value = widget.options.index(value)
            self.values[key] = value
        return self.rerun()

    def send_rerun(self) -> None:
        """Send the rerun request only (see :meth:`read_run`)."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.cached_message_hashes.extend(sorted(self.cached))
        for key, value in self.values.items():
            widget = self.widgets.get(key)
            if widget is None:
                continue
            proto = state.widget_states.widgets.add()
            proto.id = widget.id
            kind = VALUE_FIELD[widget.kind]
            if kind == "string_array_value":
                proto.string_array_value.data.extend([str(v) for v in value])  # type: ignore[attr-defined]
            elif kind == "int_array_value":
                proto.int_array_value.data.extend([int(v) for v in value])  # type: ignore[attr-defined]
            else:
                setattr(proto, kind, value)
        self.ws.send_binary(message.SerializeToString())

    def rerun(self) -> Run:
        start = time.perf_counter()
        self.send_rerun()
        return self.read_run(start)

    # ------------------------------------------------------------------ receiving

    def read_run(self, start: float | None = None) -> Run:
        """Read ForwardMsgs until a run finishes (not one cut short by a newer rerun)."""
        start = time.perf_counter() if start is None else start
        size = count = 0
        exceptions: list[str] = []
        self._texts: list[str] = []
        self._kinds: dict[str, int] = {}
        while True:
            data = self.ws.recv()
            if not isinstance(data, bytes):  # "" when the server closed the connection
                raise ConnectionError(f"the server closed the connection ({self.ws.status or 'no status'})")
            size += len(data)
            count += 1
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if msg.metadata.cacheable and msg.hash:
                self.cached.add(msg.hash)
            if kind == "delta":
                self._element(msg, exceptions)
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished" and msg.script_finished != FINISHED_EARLY:
                return Run(time.perf_counter() - start, size, count, exceptions, msg.script_finished, self._texts, self._kinds)

    def _element(self, msg: ForwardMsg, exceptions: list[str]) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        self._kinds[kind] = self._kinds.get(kind, 0) + 1
        if kind in ("markdown", "alert"):
            self._texts.append(getattr(element, kind).body)
        if kind == "exception":
            exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        inner = getattr(element, kind)
        widget_id = getattr(inner, "id", "") if kind in VALUE_FIELD else ""
        if widget_id.startswith("$$ID-") and widget_id.count("-") >= 2:
            key = widget_id.split("-", 2)[2]
            options = [str(getattr(o, "content", o)) for o in getattr(inner, "options", [])]
            self.widgets[key] = Widget(widget_id, kind, getattr(inner, "label", ""), options)


def open_sessions(base: str, pages: Iterable[tuple[str, str]], timeout: float = 120.0) -> list[StreamlitSession]:
    """Sessions that each loaded one page ((page, query) pairs), one after another."""
    sessions = []
    for page, query in pages:
        session = StreamlitSession(base, timeout=timeout)
        session.open(page, query)
        sessions.append(session)
    return sessions
