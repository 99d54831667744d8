"""A display copy never leaves a missing cell for Streamlit to print as "None", whatever dtype pandas gave
the text column (pandas 3 reads text as its "str" dtype; the built dataset keeps some columns as categories)."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.core.frames import blank_missing


@pytest.mark.parametrize("dtype", [object, "str", "string", "category"])
def test_a_missing_text_cell_is_shown_empty_in_every_text_dtype(dtype):
    frame = pd.DataFrame({"addendum_url": pd.Series(["https://www.ice.gov/a.pdf", None], dtype=dtype)})
    shown = blank_missing(frame)
    assert shown["addendum_url"].tolist() == ["https://www.ice.gov/a.pdf", ""]
    assert frame["addendum_url"].isna().tolist() == [False, True]  # the table itself is left as it was


def test_numbers_dates_and_kept_columns_are_left_as_they_are():
    frame = pd.DataFrame(
        {"agreements": [1.0, None], "signed": pd.to_datetime(["2025-03-01", None]), "kept": pd.Series(["x", None], dtype="str")}
    )
    shown = blank_missing(frame, keep=("kept",))
    assert shown["agreements"].isna().tolist() == [False, True]
    assert shown["signed"].isna().tolist() == [False, True]
    assert shown["kept"].isna().tolist() == [False, True]


def test_days_as_text_writes_days_and_leaves_a_missing_day_empty():
    frame = pd.DataFrame({"deadline": pd.to_datetime(["2026-07-01", None])})
    assert blank_missing(frame, days_as_text=True)["deadline"].tolist() == ["2026-07-01", ""]
