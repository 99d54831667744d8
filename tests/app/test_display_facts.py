"""The agreement table shown from a publication's kept facts is the table made from the rows themselves: the same
cells, types and order for any subset of rows, in every language (Explore keeps the facts, not the words)."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.app import page_parts
from mapcore.core import i18n


def _rows() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "state": pd.Categorical(["TX", "FL", "FL", "TX", "GA", None]),
            "agency": [
                "Harris County Sheriff's Office",
                "Florida Highway Patrol",
                "Office of the State Attorney, 20th Circuit",
                "Harris County Sheriff's Office",
                "Cobb County Sheriff's Office",
                "Nowhere PD",
            ],
            "model": pd.Categorical(["WSO", "TFM", "TFM", "JEM", "JEM", None]),
            "jurisdiction_type": pd.Categorical(["County", "State", "State", "County", "County", None]),
            "county_name": ["Harris County", None, None, "Harris County", "Cobb County", None],
            "level": pd.Categorical(["county", "statewide", "regional", "county", "county", "county"]),
            "region_counties": [None, None, "Lee County; Collier County", None, None, None],
            "signed": pd.to_datetime(["2025-01-02", None, "2025-05-06", "2024-03-04", None, None]),
            "ori": pd.Categorical(["TX1010000", None, None, "TX1010000", "GA0330000", None]),
            "moa_url": ["https://www.ice.gov/a.pdf", None, None, None, "https://www.ice.gov/b.pdf", None],
            "addendum_url": [None] * 6,
            "law_status": pd.Categorical(["requires", "requires", "requires", "requires", "requires", None]),
            "law_class": pd.Categorical(["requires", "requires", "requires", "requires", "requires", None]),
            "law_note": pd.Categorical([None] * 6),
        }
    )
    frame.index = [40, 12, 7, 99, 3, 55]  # labels, in no order
    return frame


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_table_from_kept_facts_is_the_table_of_the_rows(lang):
    rows = _rows()
    facts = page_parts.display_facts(rows)
    with i18n.using_language(lang):
        for chosen in ([0, 1, 2, 3, 4, 5], [3, 0], [1], [4, 5], [], [2, 4, 1]):
            subset = rows.iloc[chosen]
            pd.testing.assert_frame_equal(page_parts.display_table(subset, facts=facts), page_parts.display_table(subset), check_exact=True)
        other = rows.iloc[[0]].rename(index={40: 41})  # not rows of that table: made from the rows themselves
        pd.testing.assert_frame_equal(page_parts.display_table(other, facts=facts), page_parts.display_table(other))
