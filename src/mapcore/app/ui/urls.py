"""State in the URL: one way for every page.

A page seeds its widgets from the URL with :func:`seed_from_url` and writes them back with
:func:`set_query_params`; the URL wins only when it changed since the page last wrote it (a pasted or
edited link), otherwise the widget does. The language parameter belongs to :mod:`mapcore.app.ui.page`.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from mapcore.app.ui.page import LANG_PARAM

_WRITTEN = "_mapcore_url_written"


def query_param_list(name: str) -> list[str]:
    """A multi-valued URL parameter (stored comma-separated) as a list."""
    raw = st.query_params.get(name, "")
    return [part for part in raw.split(",") if part]


def url_changed(param: str) -> bool:
    """Whether ``?param=`` differs from what this page last wrote (a pasted or edited link)."""
    return st.query_params.get(param) != st.session_state.get(_WRITTEN, {}).get(param)


def seed_from_url(widget_key: str, param: str, parse: Callable[[str], object | None], default: object) -> bool:
    """Set a widget's value from ``?param=`` when the URL holds a value the page did not write itself
    and ``parse`` accepts it (returns not None); give the widget ``default`` when it has no value yet.
    Returns True when the URL's value was taken."""
    raw = st.query_params.get(param)
    if raw is not None and url_changed(param):
        parsed = parse(raw)
        if parsed is not None:
            st.session_state[widget_key] = parsed
            return True
    if widget_key not in st.session_state:
        st.session_state[widget_key] = default
    return False


def set_query_params(values: dict[str, object], bound: tuple[str, ...] = ()) -> None:
    """Write the view's state into the URL so a copied link reopens the same view. Empty values and
    parameters the page no longer uses are removed; ``bound`` names parameters a widget keeps in the
    URL itself (``bind="query-params"``), left alone."""
    wanted: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value not in (None, "", []):
            wanted[key] = str(value)
    st.session_state[_WRITTEN] = dict(wanted)
    for key in [k for k in st.query_params.keys() if k not in wanted and k not in bound and k != LANG_PARAM]:
        del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
