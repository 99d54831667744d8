"""The only module of mapcore that imports streamlit: cached loading and small page helpers.

Pages call :func:`app_data` once per run; the dataset is built (or reused from the disk cache) once
per source version and kept in the process with ``st.cache_resource``. When a rebuild fails, the last
good dataset stays in use and the page shows why.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal, overload

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
from streamlit.errors import StreamlitPageNotFoundError

from mapcore.analysis.query import Filters
from mapcore.app import views
from mapcore.app.data import AppData, assemble
from mapcore.core import config, i18n, tables, text
from mapcore.core.i18n import N_, _
from mapcore.ingest import dataset as ds
from mapcore.ingest.snapshot import read_info as snapshot_info
from mapcore.ingest.sources import Fallback, bundled_snapshot, resolve
from mapcore.render import maps, webmap
from mapcore.render.caption import Caption, caption_for
from mapcore.render.maps import MapSpec

PAGE_ICON = "🗺️"
# The menu, in order: (script, title, icon). Streamlit's own menu (file names) is switched off in
# .streamlit/config.toml; setup_page draws this one on every page. URL paths follow the file names
# (pages/1_Explore.py -> /Explore).
PAGES = (
    ("app.py", N_("Home"), "🗺️"),
    ("pages/1_Explore.py", N_("Explore"), "🔎"),
    ("pages/2_State.py", N_("State profile"), "🏛️"),
    ("pages/3_Agency.py", N_("Agency lookup"), "🔍"),
    ("pages/4_Timeline.py", N_("Timeline"), "📈"),
    ("pages/5_Law_vs_practice.py", N_("Law vs practice"), "⚖️"),
    ("pages/6_About.py", N_("About 287(g)"), "📖"),
    ("pages/7_Methodology.py", N_("Methodology & data quality"), "🧪"),
)

# The reader's language: ``?lang=es`` in the URL (a shared link opens in its language), else the choice made
# in this session, else the browser's Accept-Language, else English. English URLs carry no ``lang``.
LANG_PARAM = "lang"
_LANG = "_mapcore_lang"          # the session's language (not a widget key: it outlives page switches)
_LANG_WIDGET = "_mapcore_lang_switch"


def reader_language() -> str:
    """The language of this run (see above); remembers it in the session."""
    chosen = i18n.normalize_language(st.query_params.get(LANG_PARAM))
    if chosen is None:
        chosen = st.session_state.get(_LANG)
    if chosen is None:
        try:
            header = st.context.headers.get("Accept-Language")
        except Exception:  # no browser request (a bare script run)
            header = None
        chosen = i18n.language_from_header(header) or i18n.DEFAULT_LANGUAGE
    st.session_state[_LANG] = chosen
    return chosen


def _write_language(lang: str) -> None:
    """Keep the language in the URL: ``?lang=es``; nothing for English (English URLs stay as they were)."""
    if lang == i18n.DEFAULT_LANGUAGE:
        if LANG_PARAM in st.query_params:
            del st.query_params[LANG_PARAM]
    elif st.query_params.get(LANG_PARAM) != lang:
        st.query_params[LANG_PARAM] = lang


def _switch_language() -> None:
    lang = i18n.normalize_language(st.session_state.get(_LANG_WIDGET)) or st.session_state.get(_LANG, "en")
    st.session_state[_LANG] = lang
    _write_language(lang)


def page_query(lang: str | None = None) -> dict[str, str]:
    """The query parameters a link to another page carries: the language, when it is not English."""
    lang = lang or i18n.current_language()
    return {} if lang == i18n.DEFAULT_LANGUAGE else {LANG_PARAM: lang}


def page_link(script: str, label: str, icon: str | None = None) -> None:
    """A link to another page of the app that keeps the reader's language."""
    st.page_link(script, label=label, icon=icon, query_params=page_query())


def setup_page(title: str) -> None:
    """Set the reader's language FIRST (everything after speaks it), then the page config, the language
    switch and the page menu; call first on every page. ``title``: the page's English name (a msgid
    marked with ``N_``), translated here."""
    lang = i18n.set_language(reader_language())
    _write_language(lang)
    st.set_page_config(page_title=_("{title} · 287(g) agreements map").format(title=_(title)), page_icon=PAGE_ICON,
                       layout="wide")
    with st.sidebar:
        st.session_state[_LANG_WIDGET] = lang
        st.segmented_control(_("Language"), list(i18n.LANGUAGES), format_func=lambda code: i18n.LANGUAGES[code], key=_LANG_WIDGET,
                             on_change=_switch_language, required=True, label_visibility="collapsed")
        try:
            for script, label, icon in PAGES:
                if (config.PROJECT_ROOT / script).is_file():
                    page_link(script, label=_(label), icon=icon)
        except StreamlitPageNotFoundError:
            pass  # a page run on its own (as in tests) has no app around it to link to
        st.divider()


@st.cache_resource(show_spinner="Loading the 287(g) dataset…", max_entries=2)
def _assembled(dataset_path: str, warnings: tuple[str, ...]) -> AppData:
    from pathlib import Path

    # pinned: no build removes the folder it shows
    return assemble(ds.load(Path(dataset_path), pin=True), warnings)


@st.cache_resource(show_spinner="Reading ICE's sheets (first run only)…", ttl=3600)
def _build_current(source: str) -> tuple[str, tuple[str, ...], Fallback | None]:
    """Build (or reuse) the dataset for the configured source: (its folder, warnings, fallback). A URL
    source is tried briefly, then the sheets fetched before and the bundled snapshot are used, and the
    fallback says so (:mod:`mapcore.ingest.sources`; kept as facts, worded for each reader when shown).
    On failure, the last good dataset; for a URL source with none, the bundled snapshot alone."""
    try:
        resolved = resolve(source)
        dataset, _built = ds.build(resolved.folder, snapshot=resolved.snapshot)
        return str(dataset.path), (), resolved.fallback
    except Exception as exc:  # any failure: keep the last good dataset if there is one
        try:
            fallback = ds.load()
        except ds.BuildError:
            bundled = bundled_snapshot() if config.is_url(source) else None
            if bundled is None:
                raise exc from None
            dataset, _built = ds.build(None, snapshot=bundled)
            # stored language-free (cached for every reader), translated when shown (warning_text)
            return str(dataset.path), (_warning(N_("The data could not be built ({error}); showing the bundled snapshot of "
                                                   "ICE's sheets up to {date}."), error=exc,
                                                date=snapshot_info(bundled).get("newest_publication", "?")),), None
        return str(fallback.path), (_warning(N_("The data could not be rebuilt ({error}); showing the last good dataset, "
                                                "built {built}."), error=exc,
                                             built=fallback.meta.get("built_at", "earlier")),), None


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
        level, message = views.no_data_message(config.source(), exc)
        (st.error if level == "error" else st.info)(message, icon="📭")
        if required:
            st.stop()
        return None
    for warning in data.warnings:  # they name files and errors: text we do not control, escaped
        st.warning(text.md_text(warning_text(warning)))
    if source_fallback is not None:  # where the data comes from when not fresh from ICE's site: one line, not an alarm
        st.info(text.md_text(source_fallback.text() + "."), icon="ℹ️")
    st.session_state[_DEFAULT_ABOUT] = download_about(data, data.latest_id())
    st.session_state[_OFFLINE] = source_fallback is not None   # the maps then start without background tiles
    return data


_DEFAULT_ABOUT = "_mapcore_default_about"
_OFFLINE = "_mapcore_offline"


def download_about(data: AppData, publication_id: str | None, filters: str | None = None, **more: object) -> dict:
    """The About sheet of a download from one ICE sheet: its file, its publication date, the filters
    and anything else the page adds (see :func:`mapcore.core.tables.about_fields`)."""
    name = str(publication_id).split("/", 1)[-1].split("@")[0] if publication_id else None
    published = data.publication_date(publication_id)
    return tables.about_fields(source=f"ICE 287(g) sheet {name}" if name else "no ICE sheet loaded",  # file: English
                               published=published.date() if published is not None else None, filters=filters, **more)


@st.cache_resource(max_entries=2)
def laws():
    """The state-law table (data/state_laws.csv), readable with or without ICE's sheets loaded."""
    from mapcore.ingest.laws import load_laws

    return load_laws()


@st.cache_resource(max_entries=2, show_spinner="Matching agreements across publications…")
def _keyed(dataset_key: str,  # noqa: ARG001 - the cache key; _data is not hashed
            _data: AppData):
    from mapcore.ingest.identity import with_identity

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
    from mapcore.analysis.search import agency_index as build_index

    return build_index(_data.agreements)


@st.cache_resource(show_spinner="Loading the places gazetteer…")
def _place_context():
    from mapcore.ingest.counties import load_place_context

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


def show_context(figures: Any, title: str, by_type: bool = False) -> None:
    """The shares of agencies, officers and residents covered (:mod:`mapcore.analysis.context`), with their
    sources; with ``by_type`` also the small table per type of agency."""
    from mapcore.analysis.context import SOURCE_NOTE, by_type_table

    if figures is None:
        return
    st.markdown(f"**{title}**")  # title: translated by the page
    for col, (label, value, help_text) in zip(st.columns(3), views.context_metrics(figures)):
        col.metric(label, value, help=help_text)
    if by_type:
        table = by_type_table(figures)
        st.dataframe(table, hide_index=True, width="stretch",
                     column_config={_("Share"): st.column_config.NumberColumn(_("Share"), format="%.1f %%")})
    notes = " ".join(i18n.curated(note) for note in figures.notes)   # the population rules: domain texts
    st.caption(f"{_(SOURCE_NOTE)} {notes}".strip())


def source_caption(data: AppData, publication_id: str | None) -> str:
    """'Source: ICE participating agencies sheet published 2026-04-30 (file …)' for a page footer."""
    date = data.publication_date(publication_id)
    if date is None:
        return _("Source: no ICE publication loaded.")
    name = str(publication_id).split("/", 1)[-1].split("@")[0]
    return _("Source: ICE 287(g) sheet published {date} ({file}).").format(date=i18n.format_day(date), file=name)


# ------------------------------------------------------------------------------------------------
# State in the URL: one way for every page. A page seeds its widgets from the URL with
# :func:`seed_from_url` and writes them back with :func:`set_query_params`; the URL wins only when
# it changed since the page last wrote it (a pasted or edited link), otherwise the widget does.

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


# ------------------------------------------------------------------------------------------------
# Maps and downloads, the same on every page

MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "geojson": "application/geo+json"}
LABELS = {"csv": N_("Download CSV"), "xlsx": N_("Download Excel"), "geojson": N_("Download GeoJSON")}


@st.cache_resource(show_spinner=False)
def _map_component() -> tuple[Any, Any]:
    """The map view as a Streamlit component, served from its site folder in the cache (see
    :mod:`mapcore.render.webmap`): declared once per process."""
    site = webmap.build_site(config.cache_dir() / "web")
    return components.declare_component("mapview", path=str(site)), site


def show_map(spec: MapSpec, key: str, height: int | None = None, rows: pd.DataFrame | None = None,
             noun: str = "agreement", *, sheet_date: Any = None, filters: Filters | None = None,
             kind: str = "participating", law: bool = False, caption: Caption | None = None) -> None:
    """A map, under it a "Download this map" button (PNG, SVG, HTML to embed; GIF and MP4 for a map with
    frames), and the sentences (with the names) on statewide agencies and regional bodies among ``rows``
    (``noun``: "pending application" for pending rows).

    The map is one component per ``key``: keep the key the same across reruns and the browser keeps
    its map (and the user's zoom) and receives only the new values; geometry files are written to the
    site folder once and fetched once by the browser. The downloads are drawn from the same spec, with
    ``caption`` (default: the spec's name, ``filters`` in words, the sheet of ``sheet_date``, the law
    named when the map draws it, the filters use it or ``law`` says the map rests on it); they are made
    when clicked, never on a rerun."""
    component, site = _map_component()
    webmap.publish(spec, site)
    args = maps.offline(spec) if st.session_state.get(_OFFLINE) else spec.args   # no tile server asked offline
    args = args if height is None else {**args, "height": int(height)}
    component(spec=args, key=key, default=None, height=int(args["height"]) + 4)
    if caption is None:
        caption = caption_for(str(spec.args.get("name", "287(g) agreements")), filters, sheet_date, kind,
                              law_shown=law or "law" in spec.args)
    map_downloads(spec, caption, key)
    if rows is not None:
        for note, names in (views.statewide_note(rows, noun), views.regional_note(rows, noun)):
            if note:
                with st.expander(note):
                    st.text("; ".join(names))


def map_downloads(spec: MapSpec, caption: Caption, key: str) -> None:
    """The "Download this map" button: a small menu of files, each made by a callable when clicked (the
    pictures take about a second, a clip a few), kept for repeated clicks."""
    from mapcore.render import animation  # light: matplotlib is imported only when a file is made

    stem = caption.file_stem(str(spec.args.get("name", "")))
    signature = _Signature(spec, caption)
    frames = bool(spec.args.get("frames"))
    png, svg = ((_("Picture of the newest sheet (PNG, 2400 px wide)"), _("Picture of the newest sheet (SVG, for print and editing)"))
                if frames else (_("Picture (PNG, 2400 px wide)"), _("Picture (SVG, for print and editing)")))
    with st.popover(_("Download this map"), icon=":material/download:"):
        st.download_button(png, _made(signature, "png", lambda: _picture(spec, caption, "png")),
                           f"{stem}.png", "image/png", key=f"{key}-png", on_click="ignore", width="stretch")
        st.download_button(svg,
                           _made(signature, "svg", lambda: _picture(spec, caption, "svg")),
                           f"{stem}.svg", "image/svg+xml", key=f"{key}-svg", on_click="ignore", width="stretch")
        st.download_button(_("Map to embed (one HTML file)"),
                           _made(signature, "html", lambda: webmap.embed_html(spec, caption).encode("utf-8")),
                           f"{stem}.html", "text/html", key=f"{key}-html", on_click="ignore", width="stretch")
        if frames:
            st.download_button(_("Animation (GIF)"), _made(signature, "gif", lambda: animation.animate(spec, caption, "gif")),
                               f"{stem}.gif", animation.MIME["gif"], key=f"{key}-gif", on_click="ignore", width="stretch")
            if animation.video_available():
                st.download_button(_("Animation (MP4 video)"), _made(signature, "mp4", lambda: animation.animate(spec, caption, "mp4")),
                                   f"{stem}.mp4", animation.MIME["mp4"], key=f"{key}-mp4", on_click="ignore", width="stretch")
        st.caption(_("The whole view, with its title, legend and source line.") + " " + caption.source_line() + ".")


def _picture(spec: MapSpec, caption: Caption, fmt: str) -> bytes:
    from mapcore.render.picture import render_map

    return render_map(spec, caption, fmt)


class _Signature:
    """What a download is made from; its digest (computed on click only) keys the made files."""

    def __init__(self, spec: MapSpec, caption: Caption):
        self.spec, self.caption = spec, caption
        self.lang = i18n.current_language()   # the file speaks the language of the page it was asked from

    def digest(self, fmt: str) -> str:
        import hashlib

        text = "|".join([fmt, self.lang, self.spec.to_json(), *(f.name for f in self.spec.files), repr(self.caption)])
        return hashlib.sha256(text.encode()).hexdigest()


_MADE: OrderedDict[str, bytes] = OrderedDict()
_MADE_LOCK = threading.Lock()
_MADE_LIMIT = 12


def _made(signature: _Signature, fmt: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A download callable that makes its file once per process (the last few kept): a second click,
    by this user or another, on the same map gets the same bytes at once."""
    def download() -> bytes:
        digest = signature.digest(fmt)
        with _MADE_LOCK:
            if digest in _MADE:
                _MADE.move_to_end(digest)
                return _MADE[digest]
        with i18n.using_language(signature.lang):   # a download runs outside the page's script thread
            data = make()
        with _MADE_LOCK:
            _MADE[digest] = data
            while len(_MADE) > _MADE_LIMIT:
                _MADE.popitem(last=False)
        return data
    return download


PAGE_ROWS = 50


def paged_dataframe(table: pd.DataFrame, key: str, page_rows: int = PAGE_ROWS, **kwargs: Any) -> None:
    """A table shown one page of rows at a time, so a filter change sends the rows a reader sees,
    not every row (the downloads hold them all). Back to page 1 whenever the table changes."""
    pages = max(1, math.ceil(len(table) / page_rows))
    page_key, seen_key = f"{key}-page", f"{key}-seen"
    signature = (len(table), tuple(map(str, table.iloc[[0, -1]].to_numpy().ravel().tolist())) if len(table) else ())
    if st.session_state.get(seen_key) != signature or st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = 1
    st.session_state[seen_key] = signature
    page = 1
    if pages > 1:
        page = int(st.number_input(_("Page (of {pages})").format(pages=i18n.format_number(pages)),
                                   min_value=1, max_value=pages, step=1, key=page_key))
    start = (page - 1) * page_rows
    shown = table.iloc[start:start + page_rows]
    kwargs.setdefault("height", views.table_height(len(shown)))
    st.dataframe(shown, hide_index=True, width="stretch", **kwargs)
    if pages > 1:
        st.caption(_("Rows {first}–{last} of {total}, in the order above; the downloads hold every row.").format(
            first=i18n.format_number(start + 1), last=i18n.format_number(start + len(shown)),
            total=i18n.format_number(len(table))))


def download_buttons(stem: str, key: str, files: dict[str, bytes | Callable[[], bytes]]) -> None:
    """One row of buttons, one per format (csv, xlsx, geojson). A callable is run only when its
    button is clicked, so a page never builds a workbook it may not need."""
    for column, (fmt, data) in zip(st.columns(len(files)), files.items()):
        column.download_button(_(LABELS[fmt]), data, f"{stem}.{fmt}", MIME[fmt], key=f"{key}-{fmt}", on_click="ignore")


def table_downloads(table: pd.DataFrame, stem: str, key: str, sheet_name: str = "287(g) agreements",
                    about: dict | None = None) -> None:
    """CSV and Excel buttons for any table, through the one writer (:mod:`mapcore.core.tables`). The
    workbook's About sheet holds ``about`` (:func:`download_about`), by default the newest ICE sheet
    the page was loaded with."""
    about = about if about is not None else st.session_state.get(_DEFAULT_ABOUT, {})
    download_buttons(stem, key, {"csv": tables.table_bytes(table, "csv"),
                                 "xlsx": lambda: tables.table_bytes(table, "xlsx", sheet_name, about)})

