"""No English left on a Spanish page: New York's State profile in Spanish, on the bundled snapshot of ICE's real
sheets, is scanned as a reader sees it (titles, text, captions, metrics and their help, widget labels and options,
table headers and cells). Agency names, county names and the other values of ICE's own cells are excepted, and so
are law and case names inside citations; everything else must hold no English sentence, no English state name and
no "None"."""

from __future__ import annotations

import html
import re

import pytest
import streamlit as st
from appfixtures import script
from streamlit.testing.v1 import AppTest

from mapcore.core import config, i18n
from mapcore.words.places import STATE_NAMES, state_name

# English words that Spanish never uses: two of them in one sentence make it English.
ENGLISH = re.compile(
    r"\b(the|and|of|in|on|with|is|are|was|were|by|for|from|to|that|this|which|has|have|not|its|their|"
    r"per|each|every|agreements?|sheets?|counties|pending|none)\b",
    re.IGNORECASE,
)
ICE_COLUMNS = ("Agencia", "ORI del FBI", "Condado", "Modelo", "Firmado", "MOA", "Anexo")  # ICE's values, as listed
TAGS = re.compile(r"<[^>]+>|https?://\S+")


def english_sentences(texts: list[str], excepted: set[str]) -> list[str]:
    """The sentences of ``texts`` with two or more English words, once ICE's values (``excepted``) are removed."""
    found = []
    for text in texts:
        plain = TAGS.sub(" ", html.unescape(text.replace("\\", "")))
        for value in sorted(excepted, key=len, reverse=True):
            plain = plain.replace(value, " ")
        for sentence in re.split(r"(?<=[.;:!?])\s+|\n+", plain):
            if len(set(w.lower() for w in ENGLISH.findall(sentence))) >= 2:
                found.append(sentence.strip())
    return found


def test_the_scan_finds_english_and_spares_ice_names():
    assert english_sentences(["The Assembly passed the bill on 2026-05-21."], set()) == ["The Assembly passed the bill on 2026-05-21."]
    assert english_sentences(["Condado · Harris County Sheriff's Office of the Year"], {"Harris County Sheriff's Office of the Year"}) == []
    assert english_sentences(["La Asamblea aprobó el proyecto el 2026-05-21 (cpo.soar.com)."], set()) == []


@pytest.fixture(scope="module")
def new_york():
    patch = pytest.MonkeyPatch()
    patch.setenv("MAPCORE_SOURCE", str(config.SNAPSHOT_DIR))
    patch.setenv("MAPCORE_CACHE", str(config.cache_dir() / "test-no-english"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(script("pages/2_State.py"), default_timeout=300)
    at.query_params["state"] = "NY"
    at.query_params["lang"] = "es"
    at.run()
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()
    patch.undo()
    i18n.set_language(None)


def _shown(at: AppTest) -> tuple[list[str], set[str], list[str]]:
    """(texts a reader reads, ICE's values shown, every table cell of our own words)."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [str(e.value) for e in getattr(at, kind)]
    for metric in at.metric:
        texts += [metric.label, str(metric.help or "")]
    texts += [e.label for e in at.expander]
    for widget in [*at.selectbox, *at.radio, *at.multiselect]:
        texts += [widget.label, str(widget.help or ""), *(str(o) for o in widget.options)]
    excepted: set[str] = set()
    cells: list[str] = []
    for frame in at.dataframe:
        table = frame.value
        texts.append(" | ".join(map(str, table.columns)))
        for column in table.columns:
            values = {str(v) for v in table[column].tolist()}
            if column in ICE_COLUMNS:
                excepted |= values
            else:
                cells += sorted(values)
    return texts, excepted, cells


def test_new_yorks_state_profile_in_spanish_has_no_english_sentence(new_york):
    at = new_york
    assert not at.exception, at.exception
    texts, excepted, cells = _shown(at)
    assert "Nueva York" in at.header[0].value
    assert any("Pruebas:" in t and "La Asamblea aprobó el proyecto" in t for t in texts), "the research notes in Spanish"
    assert any("Pendiente:" in t for t in texts) and any("Leyes:" in t for t in texts)
    assert not english_sentences(texts + cells, excepted), english_sentences(texts + cells, excepted)


def test_new_yorks_state_profile_in_spanish_names_states_in_spanish_and_no_none(new_york):
    texts, excepted, cells = _shown(new_york)
    with i18n.using_language("es"):
        differ = {STATE_NAMES[c] for c in STATE_NAMES if state_name(c) != STATE_NAMES[c]}
    plain = " ".join(TAGS.sub(" ", t) for t in texts + cells)
    for value in excepted:
        plain = plain.replace(value, " ")
    assert not [name for name in differ if re.search(rf"\b{re.escape(name)}\b", plain)]
    assert not re.search(r"\bNone\b", plain)
    types = set(new_york.dataframe[0].value["Tipo"]) if "Tipo" in new_york.dataframe[0].value else set()
    assert types and types <= {"Condado", "Municipio", "Estado", "Desconocido", ""}
