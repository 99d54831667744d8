"""The data a page shows, loaded and computed once per process (``st.cache_resource``) and shared read-only.

Pages call :func:`app_data` once per run; the dataset is built (or reused from the disk cache) once
per source version and kept in the process. When a rebuild fails, the last good dataset stays in use
and the page shows why. What is cached holds facts; words are made when shown (:func:`warning_text`).
"""

from __future__ import annotations

from typing import Literal, overload

import streamlit as st

from mapcore.app import page_parts
from mapcore.app.data import AppData, assemble
from mapcore.app.ui.tables import _DEFAULT_ABOUT, download_about
from mapcore.build import pipeline, store
from mapcore.core import config, text
from mapcore.core.i18n import N_, _
from mapcore.sheets.fetch import quarantined_sheets
from mapcore.sheets.snapshot import read_info as snapshot_info
from mapcore.sheets.sources import Fallback, ResolvedSource, bundled_snapshot, resolve
from mapcore.words.sheets import fallback_text


@st.cache_resource(show_spinner="Loading the 287(g) dataset…", max_entries=2)
def _assembled(dataset_path: str, warnings: tuple[str, ...]) -> AppData:
    from pathlib import Path

    # pinned: no build removes the folder it shows
    return assemble(store.load(Path(dataset_path), pin=True), warnings)


@st.cache_resource(show_spinner="Reading ICE's sheets (first run only)…", ttl=3600)
def _build_current(source: str) -> tuple[str, tuple[str, ...], Fallback | None]:
    """Build (or reuse) the dataset for the configured source: (its folder, warnings, fallback). A URL
    source is tried briefly, then the sheets fetched before and the bundled snapshot are used, and the
    fallback says so (:mod:`mapcore.sheets.sources`; kept as facts, worded for each reader when shown).
    On failure, the last good dataset; for a URL source with none, the bundled snapshot alone."""
    try:
        resolved = resolve(source)
        dataset, _built = pipeline.build(resolved.folder, snapshot=resolved.snapshot, quarantine=resolved.fetched,
                                         source_name=source)
        return str(dataset.path), _moved_aside(resolved), resolved.fallback
    except Exception as exc:  # any failure: keep the last good dataset if there is one
        try:
            fallback = store.load(source_name=source)   # this source's last good dataset, never another's
        except store.BuildError:
            bundled = bundled_snapshot() if config.is_url(source) else None
            if bundled is None:
                raise exc from None
            dataset, _built = pipeline.build(None, snapshot=bundled, source_name=source)
            # stored language-free (cached for every reader), translated when shown (warning_text)
            return str(dataset.path), (_warning(N_("The data could not be built ({error}); showing the bundled snapshot of "
                                                   "ICE's sheets up to {date}."), error=exc,
                                                date=snapshot_info(bundled).get("newest_publication", "?")),), None
        return str(fallback.path), (_warning(N_("The data could not be rebuilt ({error}); showing the last good dataset, "
                                                "built {built}."), error=exc,
                                             built=fallback.meta.get("built_at", "earlier")),), None


def _moved_aside(resolved: ResolvedSource) -> tuple[str, ...]:
    """A warning for each fetched sheet that could not be read and was moved aside (the data lacks it)."""
    if not resolved.fetched or resolved.folder is None:
        return ()
    return tuple(_warning(N_("A fetched sheet could not be read and was moved aside on {day}: {file} ({reason})."),
                          day=entry["moved_at"][:10], file=entry["path"], reason=entry["reason"])
                 for entry in quarantined_sheets(resolved.folder))


_SEP = "\x1f"


def _warning(msgid: str, **values: object) -> str:
    """A warning kept in a language-free form (msgid and values), so a cached warning is shown to each
    reader in their language by :func:`warning_text`."""
    return _SEP.join([msgid, *(f"{k}={v}" for k, v in values.items())])


def warning_text(stored: str) -> str:
    """A warning made by :func:`_warning` in the reader's language (any other text unchanged)."""
    msgid, *pairs = stored.split(_SEP)
    values = dict(pair.split("=", 1) for pair in pairs)
    return _(msgid).format(**values) if values else _(msgid)


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
        path, warnings, source_fallback = _build_current(config.source())
        data = _assembled(path, warnings)
    except Exception as exc:  # no dataset at all: never a traceback
        level, message = page_parts.no_data_message(config.source(), exc)
        (st.error if level == "error" else st.info)(message, icon="📭")
        if required:
            st.stop()
        return None
    for warning in data.warnings:  # they name files and errors: text we do not control, escaped
        st.warning(text.md_text(warning_text(warning)))
    if source_fallback is not None:  # where the data comes from when not fresh from ICE's site: one line, not an alarm
        st.info(text.md_text(f"{fallback_text(source_fallback)}."), icon="ℹ️")
    st.session_state[_DEFAULT_ABOUT] = download_about(data, data.latest_id())
    return data


@st.cache_resource(max_entries=2)
def laws():
    """The state-law table (data/state_laws.csv), readable with or without ICE's sheets loaded."""
    from mapcore.reference.laws import load_laws

    return load_laws()


@st.cache_resource(max_entries=2, show_spinner="Matching agreements across publications…")
def _keyed(dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
            _data: AppData):
    from mapcore.build.agreement_keys import with_identity

    return with_identity(_data.agreements, _data.sheets)


def keyed_agreements(data: AppData):
    """Agreements with their identity key across publications (stored by the build; computed here
    only for a dataset built before keys were stored), read-only."""
    return data.agreements if "key" in data.agreements else _keyed(data.dataset.key, data)


@st.cache_resource(max_entries=2, show_spinner="Counting every publication (once per dataset)…")
def _timeline(dataset_key: str,  # noqa: ARG001 - the cache key
              _data: AppData):
    from mapcore.analysis.history import timeline_summary

    return timeline_summary(keyed_agreements(_data), _data.sheets)


def timeline(data: AppData):
    """The Timeline's growth charts' tables (growth, signings, gaps), computed once per dataset and
    shared by every visit (read-only)."""
    return _timeline(data.dataset.key, data)


@st.cache_resource(max_entries=4, show_spinner="Following every agreement across the sheets (once per dataset)…")
def _presence(dataset_key: str, kind: str,  # noqa: ARG001 - the cache key
              _data: AppData):
    from mapcore.analysis.history import presence_table

    return presence_table(keyed_agreements(_data), _data.sheets, kind)


def timeline_presence(data: AppData, kind: str = "participating"):
    """Each agreement's listings of a kind (for the diff's 'back later' flags), once per dataset (read-only)."""
    return _presence(data.dataset.key, kind, data)


@st.cache_resource(max_entries=2, show_spinner="Following every pending application (once per dataset)…")
def _pending_history(dataset_key: str,  # noqa: ARG001 - the cache key
                     _data: AppData):
    from mapcore.analysis.history import pending_history

    return pending_history(keyed_agreements(_data), _data.sheets)


def timeline_pending(data: AppData):
    """Every pending application's history (:func:`mapcore.analysis.history.pending_history`), once per
    dataset (read-only)."""
    return _pending_history(data.dataset.key, data)


@st.cache_resource(max_entries=2, show_spinner="Indexing agency names…")
def _agency_index(dataset_key: str,  # noqa: ARG001 - the cache key
                   _data: AppData):
    from mapcore.analysis.agency_search import agency_index as build_index

    return build_index(_data.agreements)


@st.cache_resource(show_spinner="Loading the places gazetteer…")
def _place_context():
    from mapcore.reference.gazetteer import load_place_context

    return load_place_context()


def town_county(town: str, state: str) -> str | None:
    """The county (Census name) a town lies in, by the ZIP-code gazetteer placement uses; None if unknown."""
    ctx = _place_context()
    geoid = ctx.gazetteer.lookup(town, state)
    return ctx.counties.name(geoid) if geoid else None


def agency_index(data: AppData):
    """One row per agency ever listed, built once per dataset (read-only)."""
    return _agency_index(data.dataset.key, data)


@st.cache_resource(max_entries=8, show_spinner="Counting agreements per county on each sheet…")
def _spread_steps(dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
                  states: tuple[str, ...], every: str, _data: AppData):
    from mapcore.analysis.spread import spread

    return spread(_data.agreements, _data.sheets, states, every)


def spread_steps(data: AppData, states: tuple[str, ...] = (), every: str = "month"):
    """Agreements per county on each step of the spread over time (:func:`mapcore.analysis.spread.spread`),
    computed once per dataset, area and step (read-only)."""
    return _spread_steps(data.dataset.key, tuple(states), every, data)


@st.cache_resource(max_entries=2, show_spinner="Comparing ICE's sheets with state law…")
def _restricted(dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
                _data: AppData):
    from mapcore.analysis import compliance

    presence = compliance.restricted_presence(_data.agreements, _data.sheets, _data.laws)
    return presence, compliance.restricted_states_table(presence, _data.laws)


def law_restricted(data: AppData):
    """Law vs practice, states whose law bans or restricts 287(g): (every agreement listed there against the law,
    the per-state counts), codes and dates only, once per dataset (read-only; worded by :mod:`mapcore.words.compliance`)."""
    return _restricted(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _restricted_chart(dataset_key: str,  # noqa: ARG001 - the cache key
                      _data: AppData):
    from mapcore.analysis import compliance

    series = compliance.restricted_series(_data.agreements, _data.sheets, _data.laws)
    return series, compliance.law_windows(series, _data.laws)


def law_restricted_chart(data: AppData):
    """The Law vs practice chart's count series and law windows, once per dataset, only when the chart is opened."""
    return _restricted_chart(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _mandate_gaps(dataset_key: str,  # noqa: ARG001 - the cache key
                  _data: AppData):
    from mapcore.analysis import compliance

    return compliance.mandate_gaps(_data.agreements, _data.sheets, _data.laws, _data.counties)


def law_mandate_gaps(data: AppData):
    """Every county of every state whose law mandates 287(g) of sheriffs, in the newest sheet, once per dataset."""
    return _mandate_gaps(data.dataset.key, data)


@st.cache_resource(max_entries=2)
def _roster_gaps(dataset_key: str,  # noqa: ARG001 - the cache key
                 _data: AppData):
    from mapcore.analysis import compliance

    county_names = dict(zip(_data.counties["GEOID"].astype(str), _data.counties["name"].astype(str)))
    gaps = compliance.roster_mandate_gaps(_data.publication(_data.latest_id()), _data.publication(_data.latest_id("pending")),
                                          _data.roster, _data.laws, county_names)
    return gaps, compliance.counties_without_roster_sheriff(_data.roster, _data.counties, _data.laws)


def law_roster_gaps(data: AppData):
    """Every sheriff's office of the FBI roster in a state whose law mandates 287(g) of sheriffs, with whether the newest
    sheets link an agreement or an application to its ORI, and the counties with no sheriff's office in the roster:
    once per dataset (read-only; None without the roster)."""
    return None if data.roster is None else _roster_gaps(data.dataset.key, data)
