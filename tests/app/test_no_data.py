"""With no sheets loaded the app speaks to a user (what happened, where sheets come
from, the exact command, that a reload picks them up); About and Methodology stay readable.
About's sentence on state laws agrees with the table under it; Methodology shows words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_source(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "no sheets here"
    folder.mkdir()
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield folder
    st.cache_resource.clear()


def run(page: str) -> AppTest:
    return AppTest.from_file(str(REPO / page), default_timeout=60).run()


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [i.value for i in at.info] + [e.value for e in at.error])


def test_home_says_what_happened_and_what_to_run(empty_source):
    at = run("app.py")
    assert not at.exception
    message = "\n".join(i.value for i in at.info)
    assert "No 287(g) data yet" in message
    assert str(empty_source) in message and "holds no ICE sheet" in message
    assert f".venv/bin/mapcore fetch --into {empty_source}" in message
    assert "https://www.ice.gov/identify-and-arrest/287g" in message
    assert "reload this page" in message
    assert not at.error, "no error box, no traceback"


def test_about_reads_without_data_and_its_law_sentence_matches_the_table(empty_source):
    at = run("pages/6_About.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert {"What 287(g) is", "The three models", "State laws on 287(g)", "Sources"} <= set(headers)
    table = at.dataframe[0].value
    no_law = int(table.loc[table["Status"] == "No state law", "States"].iloc[0])
    sentence = next(m.value for m in at.markdown if "law either way" in m.value)
    assert re.search(rf"\b{no_law} ha(s|ve) no (state )?law either way", sentence), sentence
    if no_law * 2 <= table["States"].sum():
        assert "most" not in sentence.split(";")[-1]


def test_methodology_reads_without_data_in_words(empty_source):
    at = run("pages/7_Methodology.py")
    assert not at.exception
    assert "How agreements are placed on the map" in [h.value for h in at.header]
    rules = at.table[0].value
    assert "County printed by ICE" in set(rules["Method"])
    assert not {"county_column", "agency_name", "fixes_table"} & set(rules["Method"])
