"""The spread over time: which sheets it steps through, and the per-county counts on each."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis.spread import DAILY, MONTHLY, spread, steps_publications


def sheets() -> pd.DataFrame:
    rows = [
        ("2025-03-03/a", "2025-03-03", "participating"),
        ("2025-03-20/a", "2025-03-20", "participating"),
        ("2025-03-20/b", "2025-03-20", "participating"),
        ("2025-03-21/p", "2025-03-21", "pending"),
        ("2025-04-02/a", "2025-04-02", "participating"),
    ]
    return pd.DataFrame(
        {
            "publication_id": [r[0] for r in rows],
            "publication_date": pd.to_datetime([r[1] for r in rows]),
            "kind": [r[2] for r in rows],
            "sequence": range(len(rows)),
        }
    )


def agreement(pub: str, state: str, fips: str | None, model: str, level: str = "county", kind: str = "participating") -> dict:
    return dict(publication_id=pub, state=state, county_fips=fips, model=model, level=level, kind=kind, agency="A")


def agreements() -> pd.DataFrame:
    return pd.DataFrame(
        [
            agreement("2025-03-03/a", "TX", "48201", "JEM"),
            agreement("2025-03-20/b", "TX", "48201", "JEM"),
            agreement("2025-03-20/b", "TX", "48201", "TFM", level="municipal"),
            agreement("2025-03-20/b", "TX", None, "TFM", level="statewide"),
            agreement("2025-03-20/b", "FL", "12031", "WSO"),
            agreement("2025-03-20/a", "FL", "12031", "WSO"),  # an earlier sheet of the same day: not a step
            agreement("2025-03-21/p", "TX", "48113", "TFM", kind="pending"),
            agreement("2025-04-02/a", "TX", "48201", "JEM"),
            agreement("2025-04-02/a", "TX", "48113", "WSO"),
        ]
    )


def test_steps_are_the_last_sheet_of_each_month_or_day():
    assert list(steps_publications(sheets(), MONTHLY)["publication_id"]) == ["2025-03-20/b", "2025-04-02/a"]
    assert list(steps_publications(sheets(), DAILY)["publication_id"]) == ["2025-03-03/a", "2025-03-20/b", "2025-04-02/a"]
    with pytest.raises(ValueError, match="unknown step"):
        steps_publications(sheets(), "week")


def test_counties_count_local_agreements_and_the_total_counts_every_agreement():
    march, april = spread(agreements(), sheets())
    assert (march.label, march.agreements, march.county_count) == ("2025-03-20", 4, 2)
    harris = march.counties.set_index("county_fips").loc["48201"]
    assert (int(harris["agreements"]), harris["models"]) == (2, "JEM, TFM")  # the statewide one is not on a county
    assert (april.agreements, april.county_count) == (2, 2)


def test_states_and_models_narrow_the_spread():
    texas = spread(agreements(), sheets(), ("TX",), DAILY)
    assert [s.label for s in texas] == ["2025-03-03", "2025-03-20", "2025-04-02"]
    assert [s.agreements for s in texas] == [1, 3, 2]
    jem = spread(agreements(), sheets(), (), MONTHLY, models=("JEM",))
    assert [(s.agreements, s.county_count) for s in jem] == [(1, 1), (1, 1)]


def test_no_participating_sheet_means_no_step():
    only_pending = sheets()[sheets()["kind"] == "pending"]
    assert spread(agreements(), only_pending) == []
