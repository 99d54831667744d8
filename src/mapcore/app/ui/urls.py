"""State in the URL: one way for every page.

A page seeds its widgets from the URL with :func:`seed_from_url` and writes them back with
:func:`set_query_params`; the URL wins only when it changed since the page last wrote it (a pasted or
edited link), otherwise the widget does. The language parameter belongs to :mod:`mapcore.app.ui.page`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from mapcore.app.ui.page import LANG_PARAM
from mapcore.app.urlstate import list_param
from mapcore.core.i18n import _

_WRITTEN = "_mapcore_url_written"
_CHOSEN = "_mapcore_url_chosen"  # per widget key: the stable key last shown (outlives a language switch)


def query_param_list(name: str) -> list[str]:
    """A multi-valued URL parameter (stored comma-separated) as a list, each value once, bounded
    (:func:`mapcore.app.urlstate.list_param`)."""
    return list_param(st.query_params.get(name, ""), None)


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
    URL itself (:func:`url_tabs`), left alone."""
    wanted: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        if value not in (None, "", []):
            wanted[key] = str(value)
    written = st.session_state.get(_WRITTEN, {})
    st.session_state[_WRITTEN] = {**{k: v for k, v in written.items() if k in bound}, **wanted}
    for key in [k for k in st.query_params.keys() if k not in wanted and k not in bound and k != LANG_PARAM]:
        del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def url_tabs(param: str, choices: dict[str, str], key: str, aliases: dict[str, str] | None = None) -> Sequence:
    """``st.tabs`` whose open tab is kept in the URL by a stable key (``?tab=mandate``), the same in every
    language: Streamlit binds tabs to their labels, which change with the language, so a link made in English
    would open the first tab in Spanish. ``choices``: stable key -> label msgid (English), in order. The URL
    also accepts a tab's label in English or in the reader's language, and ``aliases`` (older label msgid ->
    key), for links made before the keys. A click and a language switch keep the open tab; the tabs' ``.open``
    says which one runs."""
    keys = list(choices)
    labels = {k: _(msgid) for k, msgid in choices.items()}
    older = {text: k for msgid, k in (aliases or {}).items() for text in (msgid, _(msgid))}
    by_label = older | {msgid: k for k, msgid in choices.items()} | {label: k for k, label in labels.items()}
    remembered = st.session_state.setdefault(_CHOSEN, {})
    chosen = None
    raw = st.query_params.get(param)
    if raw is not None and url_changed(param):  # a pasted or edited link
        chosen = raw if raw in choices else by_label.get(raw)
    if chosen is None:
        clicked = st.session_state.get(key)  # the open tab's label, maybe in the language before a switch
        chosen = by_label.get(clicked) if isinstance(clicked, str) else None
        chosen = chosen or remembered.get(key) or keys[0]
    remembered[key] = chosen
    st.session_state[key] = labels[chosen]
    st.session_state.setdefault(_WRITTEN, {})[param] = chosen
    if st.query_params.get(param) != chosen:
        st.query_params[param] = chosen
    return st.tabs([labels[k] for k in keys], key=key, on_change="rerun")
