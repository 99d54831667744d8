"""Every page's frame: the reader's language (URL, session, browser), the page config and the page menu.

Also the source line under a page (:func:`source_caption`), the data's age at its top (:func:`show_data_age`) and
every page's footer (:func:`footer`, :func:`stop`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NoReturn

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from mapcore.app.data import AppData
from mapcore.core import config, i18n
from mapcore.core.i18n import N_, _
from mapcore.core.schema import sheet_file_name
from mapcore.words.citation import footer_html

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
_LANG = "_mapcore_lang"  # the session's language (not a widget key: it outlives page switches)
_LANG_WIDGET = "_mapcore_lang_switch"


_PHONE = re.compile(r"Mobi|Android|iPhone|iPod", re.IGNORECASE)
# On a narrow screen a tab strip wraps onto a second line instead of hiding its last tabs behind an arrow.
NARROW_CSS = """<style>
@media (max-width: 640px) {
  [data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; overflow-x: visible; row-gap: 2px; }
  [data-testid="stTabs"] [data-testid="stTab"] { white-space: normal; }
}
</style>"""


def is_phone() -> bool:
    """A phone's browser (its client hint or user agent says mobile). Streamlit hides the sidebar on a narrow
    screen, so a phone gets on the page itself what a wide screen keeps there: the language switch, Explore's
    filters; and tables start with fewer columns."""
    try:
        headers = st.context.headers
        return headers.get("Sec-CH-UA-Mobile") == "?1" or bool(_PHONE.search(headers.get("User-Agent") or ""))
    except Exception:  # no browser request (a bare script run, a test)
        return False


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


# What a URL may carry into a page: a link is input. Longer values are cut, further parameters dropped,
# before any page reads them (the pages' own parsers then drop what they do not know).
MAX_URL_VALUE_CHARS = 2_000
MAX_URL_PARAMS = 32


def bound_query_params() -> None:
    """Cut every ``?param=`` value to :data:`MAX_URL_VALUE_CHARS` and keep the first :data:`MAX_URL_PARAMS`
    parameters, in the URL itself (so the page, and a copied link, see only the bounded values)."""
    keys = list(st.query_params.keys())
    for key in keys[MAX_URL_PARAMS:]:
        del st.query_params[key]
    for key in keys[:MAX_URL_PARAMS]:
        if len(key) > MAX_URL_VALUE_CHARS:
            del st.query_params[key]
            continue
        values = st.query_params.get_all(key)
        if len(values) > 1 or any(len(v) > MAX_URL_VALUE_CHARS for v in values):
            st.query_params[key] = values[-1][:MAX_URL_VALUE_CHARS] if values else ""


def setup_page(title: str) -> None:
    """Set the reader's language FIRST (everything after speaks it), then the page config, the language
    switch and the page menu; call first on every page. ``title``: the page's English name (a msgid
    marked with ``N_``), translated here. The URL's values are bounded before anything reads them."""
    from mapcore.app.ui import server

    server.install_hooks()  # once per process; see there
    bound_query_params()
    lang = i18n.set_language(reader_language())
    _write_language(lang)
    st.set_page_config(page_title=_("{title} · 287(g) agreements map").format(title=_(title)), page_icon=PAGE_ICON, layout="wide")
    st.html(NARROW_CSS)
    phone = is_phone()
    st.session_state[_LANG_WIDGET] = lang
    with st.container(horizontal_alignment="right") if phone else st.sidebar:  # a phone: on the page, at the top
        st.segmented_control(
            _("Language"),
            list(i18n.LANGUAGES),
            format_func=lambda code: i18n.LANGUAGES[code],
            key=_LANG_WIDGET,
            on_change=_switch_language,
            required=True,
            label_visibility="collapsed",
        )
    with st.sidebar:
        try:
            for script, label, icon in PAGES:
                if (config.PROJECT_ROOT / script).is_file():
                    page_link(script, label=_(label), icon=icon)
        except StreamlitPageNotFoundError:
            pass  # a page run on its own (as in tests) has no app around it to link to
        st.divider()


def footer() -> None:
    """Every page's last line: how to report an error (``MAPCORE_CORRECTIONS``, or how to when unset) and
    where the citation and credits are. Call last on every page, or stop the page with :func:`stop`."""
    st.divider()
    st.markdown(footer_html(config.corrections()), unsafe_allow_html=True)  # our words escaped, a checked link


def stop() -> NoReturn:
    """Stop the page here (``st.stop``), with its footer."""
    footer()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


def source_caption(data: AppData, publication_id: str | None) -> str:
    """'Source: ICE participating agencies sheet published 2026-04-30 (file …)' for a page footer."""
    date = data.publication_date(publication_id)
    if date is None:
        return _("Source: no ICE publication loaded.")
    name = sheet_file_name(publication_id)
    return _("Source: ICE 287(g) sheet published {date} ({file}).").format(date=i18n.format_day(date), file=name)


def show_data_age(data: AppData | None) -> None:
    """Every page that shows ICE's figures says the date of ICE's newest sheet; when it is more than 14 days before
    today (:func:`mapcore.core.config.today`), how old it is, when ICE's page was last checked, and the state-law
    deadlines that have passed since that sheet (a warning, not a footnote)."""
    from mapcore.analysis.data_age import data_age, deadlines_passed_since
    from mapcore.app.ui.cache import last_checked
    from mapcore.words.data_age import data_age_note, deadlines_passed_note

    if data is None:
        return
    sheet = data.publication_date(data.latest_id())
    checked = last_checked()
    age = data_age(sheet, checked=checked if isinstance(checked, dt.datetime) else None)
    text = data_age_note(age)
    if not age.stale:
        st.caption(text)
        return
    # the states whose deadline passed since the sheet: facts of the dataset and the day, worked out once a day
    passed_since = data.remember(("deadlines_passed", sheet, age.today), lambda: deadlines_passed_since(data.laws, sheet, age.today))
    passed = deadlines_passed_note(passed_since, sheet)
    st.warning(text + (" " + passed if passed else ""), icon="🗓️")
