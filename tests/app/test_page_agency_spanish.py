"""Agency lookup in Spanish, on the bundled snapshot of ICE's real sheets: a Spanish agency name opens the agency
its English name opens (before, "Departamento de Policía de Houston" opened Des Arc Police Department, AR)."""

from __future__ import annotations

import pytest
import streamlit as st
from appfixtures import script
from streamlit.testing.v1 import AppTest

from mapcore.core import config


@pytest.fixture(scope="module")
def agency_page(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setenv("MAPCORE_SOURCE", str(config.SNAPSHOT_DIR))
    patch.setenv("MAPCORE_CACHE", str(tmp_path_factory.mktemp("cache")))
    st.cache_resource.clear()
    st.cache_data.clear()

    def opened(agency: str, lang: str | None = None) -> tuple[str, str]:
        at = AppTest.from_file(script("pages/3_Agency.py"), default_timeout=180)
        at.query_params["agency"] = agency
        if lang:
            at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        heading = [m.value for m in at.markdown if m.value.startswith("<h2>")]
        assert heading, f"{agency!r} opened no agency"
        where = at.markdown[[m.value for m in at.markdown].index(heading[0]) + 1].value
        return heading[0], where

    yield opened
    st.cache_resource.clear()
    st.cache_data.clear()
    patch.undo()


@pytest.mark.parametrize(
    ("spanish", "english", "state"),
    [
        ("Departamento de Policía de Houston", "Houston Police Department", ("Missouri", "Misuri")),
        ("Oficina del Sheriff de Harris", "Harris Sheriff's Office", ("Georgia", "Georgia")),
        ("Oficina del Sheriff del Condado de Harris", "Harris County Sheriff's Office", ("Georgia", "Georgia")),
    ],
)
def test_a_spanish_link_opens_the_agency_the_english_link_opens(agency_page, spanish, english, state):
    english_heading, english_where = agency_page(english)
    spanish_heading, spanish_where = agency_page(spanish, lang="es")
    assert spanish_heading == english_heading
    assert english_heading in ("<h2>Houston Police Department</h2>", "<h2>Harris County Sheriff&#x27;s Office</h2>")
    assert english_where.endswith(state[0]) and spanish_where.endswith(state[1])  # the same state, named in each language
