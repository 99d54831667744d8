"""Every page of the interface in Spanish (``?lang=es``): Spanish headings, no English sentence of the catalog,
the language kept in the URL across a filter change; no ``lang`` keeps the app in English."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from mapcore.core import i18n

PAGES = {  # script -> (query parameters beyond lang, its title in Spanish)
    "app.py": ({}, "Mapa de acuerdos 287(g)"),
    "pages/1_Explore.py": ({}, "Explorar los acuerdos 287(g)"),
    "pages/2_State.py": ({"state": "FL"}, "Perfil del estado"),
    "pages/3_Agency.py": ({"agency": "Lee County Sheriff's Office", "state": "FL"}, "Buscar una agencia"),
    "pages/4_Timeline.py": ({}, "Cronología de los acuerdos 287(g)"),
    "pages/5_Law_vs_practice.py": ({}, "La ley frente a la práctica"),
}


def _english_sentences() -> list[str]:
    """The fixed parts (four words or more) of the catalog's English messages whose Spanish differs."""
    with (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "mapcore.po").open("rb") as handle:
        catalog = read_po(handle)
    parts: set[str] = set()
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for english in ids:
            for part in re.split(r"\{[^{}]*\}|\*+|\n", english):
                part = part.strip(" .,:;()")
                if len(part.split()) >= 4 and all(part not in s for s in strings):
                    parts.add(part)
    return sorted(parts)


ENGLISH = _english_sentences()


def _texts(at: AppTest) -> list[str]:
    """What the reader sees: headings, text, notes, metric and widget labels, help texts."""
    texts = [
        e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error") for e in getattr(at, kind)
    ]
    texts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    for kind in ("selectbox", "multiselect", "radio", "text_input", "toggle", "date_input", "number_input"):
        texts += [w.label for w in getattr(at, kind)] + [w.help or "" for w in getattr(at, kind)]
    texts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    return [str(t) for t in texts if t]


def test_the_scan_of_english_sentences_has_something_to_find():
    assert len(ENGLISH) > 100 and "Outline states by their 287(g) law" in ENGLISH


@pytest.mark.parametrize("page", list(PAGES))
def test_each_page_in_spanish_shows_spanish_headings_and_no_english_sentence(app_test, page):
    params, title = PAGES[page]
    at = app_test(page, timeout=180, lang="es", **params)
    assert not at.exception, at.exception
    assert [t.value for t in at.title][:1] == [title]
    shown = _texts(at)
    english = sorted({part for part in ENGLISH for text in shown if part in text})
    assert not english, f"{page} shows English in Spanish: {english[:8]}"
    assert at.query_params["lang"] == "es"
    assert i18n.current_language() == "en"  # the test's own thread is untouched


def test_the_url_keeps_lang_across_a_filter_change_on_explore(app_test):
    at = app_test("pages/1_Explore.py", timeout=180, lang="es")
    at.multiselect(key="models").set_value(["TFM"]).run()
    assert not at.exception
    assert at.query_params["models"] == "TFM" and at.query_params["lang"] == "es"
    assert at.subheader[0].value.endswith("acuerdos") or at.subheader[0].value.endswith("acuerdo")
    at.radio(key="level").set_value("state").run()
    assert at.query_params["lang"] == "es" and at.title[0].value == "Explorar los acuerdos 287(g)"


def test_no_lang_keeps_english_and_adds_nothing_to_the_url(app_test):
    at = app_test("app.py", timeout=180)
    assert not at.exception
    assert at.title[0].value == "287(g) agreements map"
    assert "lang" not in at.query_params
    assert {m.label for m in at.metric} >= {"Active agreements", "JEM · Jail Enforcement"}


def test_the_language_switch_changes_the_page_and_the_url(app_test):
    at = app_test("app.py", timeout=180)
    switch = at.get("button_group")[0]
    switch.set_value("es").run()
    assert at.title[0].value == "Mapa de acuerdos 287(g)" and at.query_params["lang"] == "es"
    at.get("button_group")[0].set_value("en").run()
    assert at.title[0].value == "287(g) agreements map" and "lang" not in at.query_params


def test_an_unknown_lang_falls_back_to_english(app_test):
    at = app_test("app.py", timeout=180, lang="xx")
    assert not at.exception and at.title[0].value == "287(g) agreements map"
