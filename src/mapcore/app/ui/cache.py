"""The data a page shows, loaded and computed once per process (``st.cache_resource``) and shared read-only.

Pages call :func:`app_data` once per run: the dataset the refresher published (:mod:`mapcore.app.current`;
never a fetch or a build in a reader's run), with what the refresher said about it (the last good dataset
kept after a failed rebuild, and why). What is cached holds facts; words are made when shown (:func:`warning_text`).
Spinners are in the reader's language (``st.spinner``, shown after half a second: a cache hit shows none),
never a decorator's fixed English ``show_spinner``.
"""

from __future__ import annotations

from typing import Literal, overload

import streamlit as st

from mapcore.app import current, page_parts
from mapcore.app.data import AppData
from mapcore.app.ui.maps import OFFLINE
from mapcore.app.ui.page import stop
from mapcore.app.ui.tables import _DEFAULT_ABOUT, download_about
from mapcore.build.refresh import stored_warning
from mapcore.core import config, text
from mapcore.core.i18n import _
from mapcore.words import refresh as refresh_words
from mapcore.words.sheets import fallback_text


@st.cache_resource(show_spinner=False, max_entries=4)
def _current(source: str, published: str) -> current.Current:
    """The dataset this process shows for a source (one object per process): loaded from what the refresher
    published, switched in the background (:mod:`mapcore.app.current`). In single-process mode (the
    default) the object runs the refresher itself, in a thread; replicas (``MAPCORE_REFRESH=external``) only read."""
    from pathlib import Path

    return current.Current(source, Path(published), refresh_here=current.refresh_mode() == "thread", every=current.refresh_every())


_warning = stored_warning  # a warning kept language-free (msgid and values), worded by warning_text


def warning_text(stored: str) -> str:
    """A stored warning (:func:`mapcore.build.refresh.stored_warning`) in the reader's language
    (:func:`mapcore.words.refresh.warning_text`)."""
    return refresh_words.warning_text(stored)


@overload
def app_data() -> AppData: ...


@overload
def app_data(required: Literal[True]) -> AppData: ...


@overload
def app_data(required: bool) -> AppData | None: ...


def app_data(required: bool = True) -> AppData | None:
    """The loaded data for this process. When there is none, say so in words a user can act on (what
    happened, where ICE's sheets come from, the command to run, that a reload picks them up), then stop
    the page, or return None (``required=False``) so a page that reads well without data goes on."""
    try:
        holder = _current(config.source(), str(config.published_dir()))
        if holder.ready:
            shown = holder.get()  # never waits for ICE or a build
        else:  # this process's first run: the published dataset read from disk (or, with none, the first refresh)
            with st.spinner(_("Loading the 287(g) dataset…")):
                shown = holder.get()
    except Exception as exc:  # no dataset at all: never a traceback
        level, message = page_parts.no_data_message(config.source(), exc)
        (st.error if level == "error" else st.info)(message, icon="📭")
        if required:
            stop()
        return None
    data, published = shown.data, shown.published
    for warning in published.warnings:  # they name files and errors: text we do not control, escaped
        st.warning(text.md_text(warning_text(warning)))
    if published.fallback is not None:  # where the data comes from when not fresh from ICE's site: one line, not an alarm
        st.info(text.md_text(f"{fallback_text(published.fallback)}."), icon="ℹ️")
    st.session_state[_DEFAULT_ABOUT] = download_about(data, data.latest_id())
    st.session_state[OFFLINE] = published.fallback is not None  # the maps then start without background tiles
    return data


@st.cache_resource(max_entries=2)
def laws():
    """The state-law table (data/state_laws.csv), readable with or without ICE's sheets loaded."""
    from mapcore.reference.laws import load_laws

    return load_laws()


@st.cache_resource(max_entries=2, show_spinner=False)
def _keyed(
    dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
    _data: AppData,
):
    from mapcore.build.agreement_keys import with_identity

    return with_identity(_data.agreements, _data.sheets)


def keyed_agreements(data: AppData):
    """Agreements with their identity key across publications (stored by the build; computed here
    only for a dataset built before keys were stored), read-only."""
    if "key" in data.agreements:
        return data.agreements
    with st.spinner(_("Matching agreements across publications…")):
        return _keyed_facts(data)


def _keyed_facts(data: AppData):
    """:func:`keyed_agreements` without its spinner, for the cached functions (they hold facts, no words)."""
    return data.agreements if "key" in data.agreements else _keyed(data.dataset.key, data)


@st.cache_resource(max_entries=2, show_spinner=False)
def _timeline(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis.history import timeline_summary

    return timeline_summary(_keyed_facts(_data), _data.sheets)


def timeline(data: AppData):
    """The Timeline's growth charts' tables (growth, signings, gaps), computed once per dataset and
    shared by every visit (read-only)."""
    with st.spinner(_("Counting every publication (once per dataset)…")):
        return _timeline(data.dataset.key, data)


@st.cache_resource(max_entries=4, show_spinner=False)
def _presence(
    dataset_key: str,  # noqa: ARG001 - the cache key
    kind: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis.history import presence_table

    return presence_table(_keyed_facts(_data), _data.sheets, kind)


def timeline_presence(data: AppData, kind: str = "participating"):
    """Each agreement's listings of a kind (for the diff's 'back later' flags), once per dataset (read-only)."""
    with st.spinner(_("Following every agreement across the sheets (once per dataset)…")):
        return _presence(data.dataset.key, kind, data)


@st.cache_resource(max_entries=2, show_spinner=False)
def _pending_history(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis.history import pending_history

    return pending_history(_keyed_facts(_data), _data.sheets)


def timeline_pending(data: AppData):
    """Every pending application's history (:func:`mapcore.analysis.history.pending_history`), once per
    dataset (read-only)."""
    with st.spinner(_("Following every pending application (once per dataset)…")):
        return _pending_history(data.dataset.key, data)


@st.cache_resource(max_entries=2, show_spinner=False)
def _agency_index(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis.agency_search import agency_index as build_index

    return build_index(_data.agreements)


@st.cache_resource(show_spinner=False)
def _place_context():
    from mapcore.reference.gazetteer import load_place_context

    return load_place_context()


def town_county(town: str, state: str) -> str | None:
    """The county (Census name) a town lies in, by the ZIP-code gazetteer placement uses; None if unknown."""
    with st.spinner(_("Loading the places gazetteer…")):
        ctx = _place_context()
    geoid = ctx.gazetteer.lookup(town, state)
    return ctx.counties.name(geoid) if geoid else None


def agency_index(data: AppData):
    """One row per agency ever listed, built once per dataset (read-only)."""
    with st.spinner(_("Indexing agency names…")):
        return _agency_index(data.dataset.key, data)


@st.cache_resource(max_entries=2, show_spinner=False)
def _static_paths(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
) -> dict[str, str]:
    from mapcore.render.site.agencies import page_paths

    return page_paths(_data.agreements, _data.sheets)


def static_agency_link(data: AppData, state: str, agency: str) -> tuple[str, str] | None:
    """(label, address) of the agency's page in the static edition when ``MAPCORE_SITE_URL`` is set (the
    addresses are worked out once per dataset, and only then)."""
    from mapcore.app.static_links import agency_link

    if config.site_url() is None:
        return None
    with st.spinner(_("Finding each agency's permanent address…")):
        paths = _static_paths(data.dataset.key, data)
    return agency_link(paths, state, agency)


@st.cache_resource(max_entries=8, show_spinner=False)
def _spread_steps(
    dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
    states: tuple[str, ...],
    every: str,
    _data: AppData,
):
    from mapcore.analysis.spread import spread

    return spread(_data.agreements, _data.sheets, states, every)


def spread_steps(data: AppData, states: tuple[str, ...] = (), every: str = "month"):
    """Agreements per county on each step of the spread over time (:func:`mapcore.analysis.spread.spread`),
    computed once per dataset, area and step (read-only)."""
    with st.spinner(_("Counting agreements per county on each sheet…")):
        return _spread_steps(data.dataset.key, tuple(states), every, data)


@st.cache_resource(max_entries=2, show_spinner=False)
def _restricted(
    dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
    _data: AppData,
):
    from mapcore.analysis import compliance

    presence = compliance.restricted_presence(_data.agreements, _data.sheets, _data.laws)
    return presence, compliance.restricted_states_table(presence, _data.laws)


def law_restricted(data: AppData):
    """Law vs practice, states whose law bans or restricts 287(g): (every agreement listed there against the law,
    the per-state counts), codes and dates only, once per dataset (read-only; worded by :mod:`mapcore.words.compliance`)."""
    with st.spinner(_("Comparing ICE's sheets with state law…")):
        return _restricted(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _restricted_chart(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis import compliance

    series = compliance.restricted_series(_data.agreements, _data.sheets, _data.laws)
    return series, compliance.law_windows(series, _data.laws)


def law_restricted_chart(data: AppData):
    """The Law vs practice chart's count series and law windows, once per dataset, only when the chart is opened."""
    return _restricted_chart(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _mandate_gaps(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis import compliance

    return compliance.mandate_gaps(_data.agreements, _data.sheets, _data.laws, _data.counties)


def law_mandate_gaps(data: AppData):
    """Every county of every state whose law mandates 287(g) of sheriffs, in the newest sheet, once per dataset."""
    return _mandate_gaps(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _roster_gaps(
    dataset_key: str,  # noqa: ARG001 - the cache key
    _data: AppData,
):
    from mapcore.analysis import compliance

    county_names = dict(zip(_data.counties["GEOID"].astype(str), _data.counties["name"].astype(str)))
    gaps = compliance.roster_mandate_gaps(
        _data.publication(_data.latest_id()), _data.publication(_data.latest_id("pending")), _data.roster, _data.laws, county_names
    )
    return gaps, compliance.counties_without_roster_sheriff(_data.roster, _data.counties, _data.laws)


def law_roster_gaps(data: AppData):
    """Every sheriff's office of the FBI roster in a state whose law mandates 287(g) of sheriffs, with whether the newest
    sheets link an agreement or an application to its ORI, and the counties with no sheriff's office in the roster:
    once per dataset (read-only; None without the roster)."""
    return None if data.roster is None else _roster_gaps(data.dataset.key, data)


@st.cache_data(ttl=300, show_spinner=False)
def _last_checked() -> object:
    """When a fetch last read ICE's page in full (a datetime, or None: a fact): the archive is read at most every
    five minutes."""
    from mapcore.analysis.data_age import last_checked as read

    return read()


def last_checked() -> object:
    """When ICE's page was last checked in full (:func:`mapcore.analysis.data_age.last_checked`), cached briefly."""
    return _last_checked()
