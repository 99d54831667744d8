"""agency_names is worked out with array operations (a map and its notes call it on every filter change):
it must name every row exactly as the frame-sorting version it replaced did, whatever the rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mapcore.analysis.query import agency_ids, agency_names


def reference_names(frame: pd.DataFrame) -> pd.Series:
    """The version before: sort a frame by (date, position), keep each identity's last named row."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype=object)
    ids = agency_ids(frame).to_numpy()
    dates = (
        pd.to_datetime(frame["publication_date"]).to_numpy()
        if "publication_date" in frame
        else np.zeros(len(frame), dtype="datetime64[ns]")
    )
    slim = pd.DataFrame({"id": ids, "agency": frame["agency"].astype("object").to_numpy(), "date": dates, "order": np.arange(len(frame))})
    latest = slim.dropna(subset=["agency"]).sort_values(["date", "order"], kind="stable").drop_duplicates("id", keep="last")
    names = pd.Series(latest["agency"].to_numpy(), index=latest["id"].to_numpy())
    return pd.Series(names.reindex(ids).to_numpy(), index=frame.index, dtype=object)


rows = st.lists(
    st.tuples(
        st.sampled_from(["TX|harris", "TX|dallas", "FL|lee", None]),
        st.sampled_from(["Harris County Sheriff's Office", "Harris County Sheriff’s Office", "Dallas PD", None]),
        st.sampled_from([None, "2025-01-01", "2025-02-01", "2025-03-01"]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(rows, st.booleans(), st.booleans())
def test_the_same_names_as_the_frame_sorting_version(data, with_dates, shuffled_index):
    frame = pd.DataFrame(data, columns=["agency_id", "agency", "publication_date"])
    frame["publication_date"] = pd.to_datetime(frame["publication_date"])
    if not with_dates:
        frame = frame.drop(columns="publication_date")
    if shuffled_index:
        frame.index = np.arange(len(frame))[::-1] * 7
    fast, slow = agency_names(frame), reference_names(frame)
    assert list(fast.index) == list(slow.index)
    assert [None if pd.isna(v) else v for v in fast] == [None if pd.isna(v) else v for v in slow]
