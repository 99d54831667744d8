"""core.config.today(): the one clock for the data's age and deadlines, pinned by MAPCORE_TODAY."""

from __future__ import annotations

import datetime as dt

import pytest

from mapcore.core.config import today


def test_today_is_the_real_date_when_unset(monkeypatch) -> None:
    monkeypatch.delenv("MAPCORE_TODAY", raising=False)
    before = dt.date.today()
    assert today() in {before, dt.date.today()}  # midnight may pass between the two reads


def test_today_honours_mapcore_today(monkeypatch) -> None:
    monkeypatch.setenv("MAPCORE_TODAY", "2026-12-06")
    assert today() == dt.date(2026, 12, 6)
    monkeypatch.setenv("MAPCORE_TODAY", " ")  # blank: the real date
    assert today() in {dt.date.today(), dt.date.today() - dt.timedelta(days=1)}


@pytest.mark.parametrize("raw", ["2026-13-01", "06/12/2026", "yesterday"])
def test_a_bad_day_is_a_named_error(monkeypatch, raw: str) -> None:
    monkeypatch.setenv("MAPCORE_TODAY", raw)
    with pytest.raises(ValueError, match="MAPCORE_TODAY"):
        today()
