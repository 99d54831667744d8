"""The state-law layer as the map view gets it: band colours, unconfirmed rows, tooltips, legend."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.reference.laws import STATUS_LABELS, STATUS_ORDER, load_laws, low_confidence
from mapcore.render.law_layer import (
    BAND_COLORS,
    LAYER_NAME,
    STATUS_COLORS,
    UNCONFIRMED,
    law_legend,
    law_spec,
    unconfirmed,
)


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return load_laws()


def test_palette_covers_scale() -> None:
    assert tuple(STATUS_COLORS) == STATUS_ORDER
    assert len(set(STATUS_COLORS.values())) == 5
    assert BAND_COLORS["none"] is None  # only a law gets a band


def test_every_state_has_its_status_and_lines(laws: pd.DataFrame) -> None:
    spec = law_spec(laws)
    assert set(spec["states"]) == set(laws["state"])
    for _, row in laws.iterrows():
        entry = spec["states"][row["state"]]
        assert entry["s"] == str(row["status"])
        assert entry["t"][0].startswith(STATUS_LABELS[str(row["status"])])
    assert spec["name"] == LAYER_NAME and set(spec["colors"]) == {s for s in STATUS_ORDER if s != "none"}


def test_unconfirmed_rows_are_marked_in_data_and_tooltips(laws: pd.DataFrame) -> None:
    """Low-confidence states are drawn differently and say "unconfirmed"."""
    spec = law_spec(laws)
    low = set(laws.loc[low_confidence(laws), "state"])
    assert low  # the table has some (HI among them)
    for code, entry in spec["states"].items():
        assert entry["u"] == (code in low), code
        assert (UNCONFIRMED in entry["t"][0]) == (code in low), code
    assert "HI" in low and spec["states"]["HI"]["t"][0].endswith(", unconfirmed")


def test_unconfirmed_column_wins_when_the_table_has_one(laws: pd.DataFrame) -> None:
    """The law-in-force table (another branch) carries a boolean ``unconfirmed``: it is used as is."""
    table = laws.assign(unconfirmed=laws["state"].eq("TX"))
    assert list(table.loc[unconfirmed(table), "state"]) == ["TX"]
    spec = law_spec(table)
    assert spec["states"]["TX"]["u"] == 1 and spec["states"]["HI"]["u"] == 0


def test_text_is_plain_and_links_are_http_only(laws: pd.DataFrame) -> None:
    table = laws.copy()
    for column in ("laws", "source_url"):
        table[column] = table[column].astype(object)
    table.loc[table["state"] == "TX", "laws"] = "<script>alert(1)</script>"
    table.loc[table["state"] == "CA", "source_url"] = "javascript:alert(1)"
    table.loc[table["state"] == "FL", "source_url"] = " JavaScript:alert(3)"
    spec = law_spec(table)
    assert "Laws: <script>alert(1)</script>" in spec["states"]["TX"]["t"]  # as text: the browser shows it with textContent
    assert "src" not in spec["states"]["CA"] and "src" not in spec["states"]["FL"]
    assert spec["states"]["GA"]["src"].startswith("https://")


def test_legend_lists_statuses_counts_and_the_dashed_key(laws: pd.DataFrame) -> None:
    legend = law_legend(laws)
    counts = laws["status"].astype(str).value_counts()
    labels = [item["label"] for item in legend["items"]]
    for status in STATUS_ORDER:
        assert any(label.startswith(f"{STATUS_LABELS[status]} ({counts[status]})") for label in labels), status
    dashed = [item for item in legend["items"] if item.get("dash")]
    assert len(dashed) == 1 and UNCONFIRMED in dashed[0]["label"]
    assert f"({int(low_confidence(laws).sum())})" in dashed[0]["label"]
