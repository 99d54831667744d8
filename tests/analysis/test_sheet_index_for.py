"""Which sheet a link's ``pub=YYYY-MM-DD`` opens: that day's, else the newest before it, else the newest."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from mapcore.analysis.query import sheet_index_for

DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)).map(dt.date.isoformat)


def test_the_three_cases() -> None:
    dates = ["2025-07-01", "2025-07-02", "2025-07-02", "2025-08-01"]
    assert sheet_index_for(dates, "2025-07-02") == (2, True)  # the newest sheet of that day
    assert sheet_index_for(dates, "2025-07-15") == (2, False)  # the newest before it
    assert sheet_index_for(dates, "2025-06-01") == (3, False)  # none before it: the newest
    assert sheet_index_for(dates, None) == (3, True)
    assert sheet_index_for([], "2025-07-01") == (-1, True)


@given(dates=st.lists(DAYS, min_size=1, max_size=30).map(sorted), wanted=DAYS)
def test_never_a_sheet_after_the_day_asked_when_one_stood_then(dates: list[str], wanted: str) -> None:
    index, exact = sheet_index_for(dates, wanted)
    assert 0 <= index < len(dates)
    assert exact == (wanted in dates)
    if any(day <= wanted for day in dates):
        assert dates[index] == max(day for day in dates if day <= wanted)
        assert index == max(i for i, day in enumerate(dates) if day == dates[index])
    else:
        assert index == len(dates) - 1
