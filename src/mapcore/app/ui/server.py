"""The app's server: Streamlit as ``streamlit run app.py`` starts it, with the app's hooks into Streamlit's
server installed before the first connection, so they hold from a process's first reader on.

    python -m mapcore.app.ui.server [streamlit run options]     # what make run, make serve and the image start

The hooks (each replaces one method of one Streamlit 1.67 class with the same code plus one rule, and does
nothing when that class is not there): the bytes waiting for a client that does not read are bounded, and
a browser reconnected to a server that does not know its session reloads its page. Pages install them too
(:func:`install_hooks` from ``setup_page``), for a server started some other way.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import streamlit as st

# ------------------------------------------------------------------------------------------------
# Per-session limits.
#
# Streamlit queues each session's outgoing messages for its websocket; a client that does not read lets
# them pile up (Streamlit bounds the queue at 500 messages, but not their size: a page of a big table or
# map is megabytes). install_output_bound wraps Streamlit's websocket client once per process so that the
# bytes waiting for one client are bounded: past MAX_QUEUED_BYTES the session is disconnected (its
# script stopped) and the connection closed. The other per-session limits are Streamlit settings
# (.streamlit/config.toml): runner.fastReruns = false (a rerun queued behind a running one replaces it:
# one script thread per session) and server.maxWidgetStateSize (what one message may carry).
#
# The hook replaces one method of one Streamlit class (StarletteSessionClient.write_forward_msg in
# streamlit.web.server.starlette.starlette_websocket, Streamlit 1.67) with the same code plus the bound;
# if that class is not there (another Streamlit version or server), nothing is installed and
# install_output_bound returns False (tests/capacity/test_abuse.py shows the bound holding).

MAX_QUEUED_BYTES = 8 * 2**20  # one client's unsent output; a page's largest first load is well under 1 MB
_bound_lock = threading.Lock()


def install_output_bound(limit: int = MAX_QUEUED_BYTES) -> bool:
    """Bound the bytes queued for each websocket client (once per process). True when the hook is in place."""
    import asyncio

    try:
        from streamlit.runtime.runtime_util import serialize_forward_msg
        from streamlit.runtime.session_manager import SessionClientDisconnectedError
        from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient
    except ImportError:
        return False
    with _bound_lock:
        if getattr(StarletteSessionClient, "_mapcore_output_bound", None) is not None:
            return True

        def write_forward_msg(self, msg) -> None:
            if self._closed.is_set():
                raise SessionClientDisconnectedError
            payload = serialize_forward_msg(msg)
            waiting = len(payload) + sum(len(item) for item in self._send_queue._queue)
            if waiting > limit:
                _drop_client(self)
                raise SessionClientDisconnectedError
            try:
                self._send_queue.put_nowait(payload)
            except asyncio.QueueFull as exc:
                _drop_client(self)
                raise SessionClientDisconnectedError from exc

        StarletteSessionClient.write_forward_msg = write_forward_msg  # type: ignore[method-assign]
        StarletteSessionClient._mapcore_output_bound = limit  # type: ignore[attr-defined]
        return True


def _drop_client(client: Any) -> None:
    """Stop sending to a client, free what waits for it, and close its connection (on the event loop)."""
    import asyncio

    client._closed.set()
    queue = client._send_queue
    while not queue.empty():
        queue.get_nowait()
    client._sender_task.cancel()
    try:
        asyncio.get_running_loop().create_task(_close_websocket(client._websocket))
    except RuntimeError:  # not on the event loop: the connection ends when its reader goes
        pass


async def _close_websocket(websocket: Any) -> None:
    import asyncio

    try:
        await asyncio.wait_for(websocket.close(code=1008), timeout=5)
    except Exception:  # already gone, or the close itself cannot be sent
        pass


# A reader whose server went away (a replica killed or restarted, or their session expired while they were
# offline) is reconnected by the browser to a server that does not know their session. Streamlit's page
# then keeps showing what it had, with no script run behind it: its download buttons point at files the
# old server made. install_reload_on_unknown_session makes such a browser reload its page instead (by the
# only signal Streamlit's page obeys for that: a new-session message naming another Streamlit build); the
# URL holds the page's view, so the reader is back where they were, served by this server.


def install_reload_on_unknown_session() -> bool:
    """Wrap Streamlit's Runtime.connect_session (once per process). True when the hook is in place."""
    try:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.runtime.runtime import Runtime
    except ImportError:
        return False
    with _bound_lock:
        if getattr(Runtime, "_mapcore_reload_hook", False):
            return True
        connect = Runtime.connect_session

        def connect_session(self, client, user_info, existing_session_id=None, session_id_override=None):
            session_id = connect(self, client, user_info, existing_session_id=existing_session_id, session_id_override=session_id_override)
            if existing_session_id and session_id != existing_session_id:
                reload = ForwardMsg()
                reload.new_session.initialize.environment_info.streamlit_version = f"{st.__version__} (another server)"
                try:
                    client.write_forward_msg(reload)
                except Exception:  # the client is already gone
                    pass
            return session_id

        Runtime.connect_session = connect_session  # type: ignore[method-assign]
        Runtime._mapcore_reload_hook = True  # type: ignore[attr-defined]
        return True


def install_hooks() -> None:
    """Both hooks, once per process (cheap to call again)."""
    install_output_bound()
    install_reload_on_unknown_session()


def main(argv: list[str] | None = None) -> None:
    """``streamlit run app.py`` with the hooks installed first; extra arguments go to ``streamlit run``."""
    from pathlib import Path

    from streamlit.web import cli

    from mapcore.core import config

    install_hooks()
    app = str(Path(config.PROJECT_ROOT) / "app.py")
    sys.argv = ["streamlit", "run", app, *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
