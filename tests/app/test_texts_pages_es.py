"""About and Methodology in Spanish (domain ``texts``): run with ``?lang=es`` they show Spanish
headings, labels and numbers and no English sentence of the catalog; without ``lang`` they stay English."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from mapcore.app import about_text
from mapcore.cli import texts_catalog as tc
from mapcore.core import i18n

REPO = Path(__file__).resolve().parents[2]
_MARKER = re.compile(r"\[\[[a-z0-9_]+\|([^\]]+)\]\]")


@pytest.fixture
def app(run_page):
    """A factory of AppTests for a page of pages/ (conftest.run_page)."""
    return lambda page, **params: run_page(f"pages/{page}", **params)


def plain(text: str) -> str:
    """What a reader sees of a text: markers as their shown text, no HTML tags, no bold marks, entities decoded."""
    text = _MARKER.sub(r"\1", text)
    text = re.sub(r"<[^>]+>", "", html.unescape(text))
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def shown(at: AppTest) -> str:
    """Every text of the page: title, headings, markdown, captions, notes, metrics, expanders and table cells."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric] + [e.label for e in at.expander]
    for table in [*at.table, *at.dataframe]:
        frame = table.value
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return plain("\n".join(str(p) for p in parts))


def english_sentences() -> list[str]:
    """The catalog's English sentences (4 words or more), as a reader would see them, split at placeholders."""
    found = []
    for message in tc.read_catalog(i18n.LOCALE_DIR / "texts.pot"):
        if not message.id:
            continue
        for literal, *_ in string.Formatter().parse(plain(str(message.id))):
            piece = literal.strip(" .;:,()")
            if len(piece.split()) >= 4:
                found.append(piece)
    return found


def test_about_in_spanish(app):
    at = app("6_About.py", lang="es")
    assert not at.exception
    assert at.title[0].value == "Acerca del programa 287(g)"
    headers = [h.value for h in at.header]
    assert headers == [
        "Qué es el 287(g)",
        "Los tres modelos",
        "Cómo funciona un acuerdo",
        "Leyes estatales sobre el programa 287(g)",
        "El debate sobre la seguridad pública",
        "Fuentes",
        "Cómo citar este mapa",
        "Créditos",
        "Correcciones",
    ]
    text = shown(at)
    assert "Modelo de cárcel (Jail Enforcement Model, JEM)" in text
    assert "Modelo de fuerza de tarea (Task Force Model, TFM)" in text
    assert "De los 50 estados y DC" in text and "Acuerdos vigentes por modelo" in text
    # the links still work: same sources, Spanish shown text, new tab
    markdown = "\n".join(m.value for m in at.markdown)
    assert 'href="https://www.law.cornell.edu/uscode/text/8/1357"' in markdown and ">ACLU de Arizona</a>" in markdown
    assert markdown.count("<a ") == markdown.count('target="_blank"') >= 20
    counts = at.dataframe[0].value
    assert list(counts.columns) == ["Situación", "Estados", "Cuáles"] and counts["Estados"].sum() == 51
    leaked = [s for s in english_sentences() if s in text]
    assert not leaked, leaked[:5]


def test_about_without_lang_stays_english(app):
    at = app("6_About.py")
    assert not at.exception
    assert at.title[0].value == "About 287(g)"
    assert [h.value for h in at.header][:3] == ["What 287(g) is", "The three models", "How an agreement works"]
    text = shown(at)
    english = [s for s in english_sentences() if s in text]
    assert len(english) >= 12  # the About paragraphs, read in English
    assert "Los tres modelos" not in text and "acuerdos 287(g)" not in text


def test_methodology_in_spanish(app):
    at = app("7_Methodology.py", lang="es")
    assert not at.exception
    assert at.title[0].value == "Metodología y calidad de los datos"
    headers = [h.value for h in at.header]
    assert headers[:2] == ["Fuentes", "Cómo se ubican los acuerdos en el mapa"]
    assert "Vinculación de los acuerdos con los registros de agencias del FBI (ORI)" in headers
    figures = {m.label: m.value for m in at.metric}
    assert figures["Hojas de agencias participantes"] == "3" and figures["Hojas de solicitudes pendientes"] == "1"
    assert figures["Tasa de ubicación"] == "100,0 %"  # Babel: the Spanish decimal comma
    assert any("1 ago 2025" in i.value for i in at.info)  # Babel: the Spanish date
    methods = at.table[0].value
    assert list(methods.columns) == ["Método", "Regla", "Acuerdos", "Proporción"]
    assert "Condado indicado por ICE" in set(methods["Método"])
    assert list(at.table[1].value["Método"]) == ["Fecha en el nombre del archivo"]
    quirks = at.dataframe[0].value.set_index("quirk")
    assert quirks.loc["Nombres de modelo mal escritos o variados", "occurrences"] == 1
    text = shown(at)
    assert "Alaska: las áreas censales de Chugach y Copper River" in text
    leaked = [s for s in english_sentences() if s in text]
    assert not leaked, leaked[:5]


def test_methodology_without_lang_stays_english(app):
    at = app("7_Methodology.py")
    assert not at.exception
    assert at.title[0].value == "Methodology & data quality"
    assert {m.label: m.value for m in at.metric}["Match rate"] == "100.0 %"
    text = shown(at)
    assert len([s for s in english_sentences() if s in text]) >= 15
    assert "Metodología" not in text


def test_an_unsupported_language_falls_back_to_english(app):
    at = app("6_About.py", lang="fr")
    assert not at.exception and at.title[0].value == "About 287(g)"


def test_the_sentence_check_would_catch_an_untranslated_paragraph():
    """``english_sentences`` finds a catalog paragraph inside a page's text as the reader sees it (HTML-escaped,
    links rendered), and none in its Spanish rendering."""
    paragraph = about_text.SECTIONS[2][1][0]
    assert any(s in plain(about_text.render(paragraph)) for s in english_sentences())
    with i18n.using_language("es"):
        spanish = plain(about_text.render(i18n.curated(paragraph)))
    assert spanish.startswith("Cada acuerdo es un memorando de acuerdo (MOA)")
    assert not any(s in spanish for s in english_sentences())


def test_the_no_ori_table_shows_the_outcome_in_words_in_either_language(app):
    english = app("7_Methodology.py")
    outcomes = set(english.dataframe[-1].value["Outcome"])
    assert outcomes and outcomes <= {"Several fit: no ORI", "None fits: no ORI"}
    spanish = app("7_Methodology.py", lang="es")
    assert set(spanish.dataframe[-1].value["Resultado"]) <= {"Varias encajan: sin ORI", "Ninguna encaja: sin ORI"}


@pytest.fixture
def no_sheets(tmp_path, monkeypatch):
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("page", ["6_About.py", "7_Methodology.py"])
def test_the_pages_read_in_spanish_with_no_sheet_loaded(no_sheets, page):
    at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=60)
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    text = shown(at)
    assert not [s for s in english_sentences() if s in text]
    if page == "7_Methodology.py":
        assert "Todavía no hay ninguna hoja cargada" in text
        assert list(at.table[0].value.columns) == ["Método", "Regla"]
        assert "Los recuentos de cada peculiaridad aparecen cuando se cargan las hojas de ICE." in text
    else:
        assert "Los tres modelos" in [h.value for h in at.header]
