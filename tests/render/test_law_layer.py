"""The state-law layer as the map view gets it: band colours, the two marks, tooltips, legend.

The Home law outlines showed Tennessee, Maine and Virginia with their new status on the 2026-05-18
sheet, and the legend counted them as "unconfirmed, low-confidence research" (the wrong reason); Oklahoma's
and South Carolina's state-official duty was drawn and counted as a mandate on sheriffs.
"""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis.law_on_day import LAW_CLASSES, MANDATES_STATE_OFFICIAL, laws_in_force
from mapcore.reference.laws import load_laws, low_confidence
from mapcore.render.law_layer import BAND_COLORS, LAYER_NAME, STATUS_COLORS, law_legend, law_spec, pending, unconfirmed
from mapcore.words.law import class_label


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return load_laws()


def test_palette_covers_the_classes() -> None:
    assert tuple(STATUS_COLORS) == LAW_CLASSES
    assert len(set(STATUS_COLORS.values())) == len(LAW_CLASSES)
    assert BAND_COLORS["none"] is None  # only a law gets a band


def test_newest_table_every_state_has_its_class_and_lines(laws: pd.DataFrame) -> None:
    spec = law_spec(laws)
    assert set(spec["states"]) == set(laws["state"])
    for _, row in laws.iterrows():
        entry = spec["states"][row["state"]]
        expected = MANDATES_STATE_OFFICIAL if (row["status"], row["scope"]) == ("mandates", "state") else str(row["status"])
        assert entry["s"] == expected
        assert entry["t"][0].startswith(class_label(expected, short=True))
    assert spec["name"] == LAYER_NAME and set(spec["colors"]) == {c for c in LAW_CLASSES if c != "none"}


def test_2026_05_18_new_laws_are_striped_not_counted(laws: pd.DataFrame) -> None:
    day = laws_in_force(laws, "2026-05-18")
    spec = law_spec(day)["states"]
    assert spec["TN"]["s"] == "requires_cooperation"  # before it became law: the status before it, striped
    for code, new in (("TN", "mandates"), ("ME", "prohibits"), ("VA", "restricts"), ("MS", "mandates"), ("NM", "prohibits")):
        assert spec[code]["p"] == 1 and spec[code]["nc"] == new and spec[code]["s"] != new, code
        assert spec[code]["u"] == 0 and "new law, not yet in force" in spec[code]["t"][0]
        assert any(line.startswith("New law: new law of") for line in spec[code]["t"])
    assert spec["OK"]["s"] == spec["SC"]["s"] == MANDATES_STATE_OFFICIAL
    legend = law_legend(day)
    labels = [item["label"] for item in legend["items"]]
    assert f"{class_label('prohibits')} (7)" in labels  # NY, NM, ME and HI's bans are not counted
    assert f"{class_label('mandates')} (4)" in labels  # AR, FL, GA, TX: not yet MS, TN
    assert "Status before a new law not in our table (3)" in labels  # HI, ME, VA
    assert f"{class_label(MANDATES_STATE_OFFICIAL)} (2)" in labels
    dashed = [item for item in legend["items"] if item.get("dash")]
    assert dashed[0]["label"] == "Dashed: unconfirmed, low-confidence research (3)"  # CT, KY, RI: not MS, HI
    striped = [item["label"] for item in legend["items"] if item.get("stripe")]
    assert striped == ["New law, not yet in force (6)", "New law, day of effect not known (1)"]  # ME VA MS NM NY TN; HI
    assert legend["notes"][0].startswith("Striped with the new law's colour")


def test_tennessee_from_the_day_it_became_law(laws: pd.DataFrame) -> None:
    entry = law_spec(laws_in_force(laws, "2026-06-01"))["states"]["TN"]
    assert (entry["s"], entry["p"], entry["nc"]) == ("requires_cooperation", 1, "mandates")
    assert entry["t"][0] == "Requires cooperation, new law, day of effect not known"


def test_unconfirmed_rows_are_marked_in_data_and_tooltips(laws: pd.DataFrame) -> None:
    """Low-confidence states whose law is in force are dashed and say "unconfirmed"."""
    day = laws_in_force(laws, "2026-12-06")
    spec = law_spec(day)
    low = set(day.loc[day["unconfirmed"], "state"])
    assert low == {"CT", "KY", "MS", "RI"}
    for code, entry in spec["states"].items():
        assert entry["u"] == (code in low), code
        assert ("unconfirmed" in entry["t"][0]) == (code in low), code
    assert set(laws.loc[low_confidence(laws), "state"]) == low | {"HI"}
    assert list(laws.loc[unconfirmed(laws), "state"]) == sorted(low | {"HI"})  # the newest table: all in force
    assert not pending(laws).any()


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
