"""A long ``?agency=`` must not tie up a core. The query is bounded at the URL,
at the text box and inside :func:`mapcore.analysis.agency_search.search_agencies` itself. (How fast the page
answers is measured in `make bench`; here we check the bound is applied.)"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import streamlit as st
from pages_fixture import build_dataset, build_folder
from streamlit.testing.v1 import AppTest

from mapcore.analysis import agency_lookup, agency_search

REPO = Path(__file__).resolve().parents[2]
# 10 KB of distinct words: each one unknown to the vocabulary, so unbounded matching would try them all.
LONG_QUERY = " ".join(f"harrisx{i} sheriffz{i}" for i in range(700))[:10_240]


def test_the_bound_cuts_characters_and_words():
    assert len(LONG_QUERY) == 10_240
    bounded = agency_search.bound_query(LONG_QUERY)
    assert len(bounded) <= agency_search.MAX_QUERY_CHARS and len(bounded.split()) <= agency_search.MAX_QUERY_WORDS
    many_short = "a " * 5_000
    assert len(agency_search.bound_query(many_short).split()) == agency_search.MAX_QUERY_WORDS
    assert agency_search.bound_query("Harris County Sheriff's Office") == "Harris County Sheriff's Office"
    assert agency_search.bound_query(None) == ""


def test_search_itself_bounds_the_query(tmp_path, monkeypatch):
    built = build_dataset(tmp_path)
    index = agency_search.agency_index(built.agreements)
    seen: list[str] = []
    real = agency_search.prepare_query
    monkeypatch.setattr(agency_search, "prepare_query", lambda q, vocab=frozenset(): seen.append(q) or real(q, vocab))
    long_name = "Harris County Sheriff's Office " + LONG_QUERY
    results = agency_search.search_agencies(built.agreements, long_name, index=index)
    assert seen and all(len(q) <= agency_search.MAX_QUERY_CHARS for q in seen)
    assert results["agency"].iloc[0] == "Harris County Sheriff's Office"  # the first words still count


def test_agency_page_with_a_10_kb_agency_parameter_is_bounded(tmp_path, monkeypatch):
    sheets = build_folder(tmp_path / "sheets")
    monkeypatch.setenv("MAPCORE_SOURCE", str(sheets))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "pages" / "3_Agency.py"), default_timeout=60)
    at.run()  # builds the data once, so the timing below is the page alone
    queries: list[str] = []
    real_lookup, real_search = agency_lookup.lookup, agency_lookup.search_agencies

    def spy_lookup(index, query, *args, **kwargs):
        queries.append(query)
        return real_lookup(index, query, *args, **kwargs)

    def spy_search(agreements, query, *args, **kwargs):
        queries.append(query)
        return real_search(agreements, query, *args, **kwargs)

    monkeypatch.setattr(agency_lookup, "lookup", spy_lookup)
    monkeypatch.setattr(agency_lookup, "search_agencies", spy_search)
    at.query_params["agency"] = LONG_QUERY
    started = time.perf_counter()
    at.run(timeout=30)
    elapsed = time.perf_counter() - started
    print(f"\nAgency page with a 10 KB agency parameter: {elapsed:.2f}s")
    assert not at.exception
    box = at.text_input(key="ag_q")
    assert box.value == agency_search.bound_query(LONG_QUERY) and len(box.value) <= agency_search.MAX_QUERY_CHARS
    assert len(queries) >= 2 and all(len(q) <= agency_search.MAX_QUERY_CHARS for q in queries)  # the lookup and its name search
    st.cache_resource.clear()


def test_the_lookup_bounds_the_query_itself(tmp_path):
    built = build_dataset(tmp_path)
    index = agency_search.agency_index(built.agreements)
    found = agency_lookup.lookup(index, "Harris County Sheriff's Office " + LONG_QUERY)
    assert found.candidates["agency"].iloc[0] == "Harris County Sheriff's Office"


@pytest.mark.parametrize("length", [agency_search.MAX_QUERY_CHARS + 1, 2_000])
def test_a_long_query_still_finds_by_its_first_words(tmp_path, length):
    built = build_dataset(tmp_path)
    query = ("St. Lucie County Sheriff's Office " + "x" * length)[:length]
    assert agency_search.search_agencies(built.agreements, query)["agency"].iloc[0] == "St. Lucie County Sheriff's Office"
