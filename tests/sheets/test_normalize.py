"""Normalisers: known spellings, and any input gives a value or None, never an exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapcore.core.text import safe_url
from mapcore.sheets import normalize as nz

ANY_CELL = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(),
    st.floats(allow_nan=True),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.booleans(),
)


@given(ANY_CELL)
def test_normalisers_never_raise(value):
    assert nz.normalize_model(value) in {None, "JEM", "WSO", "TFM"}
    assert nz.normalize_jurisdiction_type(value) in {None, "County", "Municipality", "State"}
    state = nz.normalize_state(value)
    assert state is None or (len(state[0]) == 2 and len(state[1]) == 2)
    signed = nz.parse_signed(value)
    assert signed is None or isinstance(signed, dt.date)
    url = safe_url(nz.repair_url(value))
    assert url is None or url.lower().startswith(("http://", "https://"))
    text = nz.clean_text(value)
    assert text is None or (text == text.strip() and text)


@given(st.text(max_size=80))
def test_safe_url_only_ever_returns_http_links_without_markup(text):
    url = safe_url(text)
    if url is not None:
        assert url.lower().startswith(("http://", "https://"))
        assert not any(ch in url for ch in "<>\"' ")


@pytest.mark.parametrize("value", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd", "vbscript:x"])
def test_unsafe_schemes_are_dropped(value):
    assert safe_url(value) is None


def test_missing_markers():
    for marker in ["#N/A", "#NA", "N/A", "", None, "  ", "null"]:
        assert nz.is_missing_marker(marker)
    assert not nz.is_missing_marker("Harris County")
