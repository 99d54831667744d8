"""Chart builders (mapcore.render.charts): the data each chart carries, not its pixels."""

from __future__ import annotations

import pandas as pd

from mapcore.render import charts


def _wide() -> pd.DataFrame:
    return pd.DataFrame({"publication_date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "JEM": [1, 2], "WSO": [0, 3], "TFM": [4, 4]})


def _counts_layer(spec: dict) -> dict:
    """The layer drawing the counts (the last; gap bands come first)."""
    return spec["layer"][-1]


def test_model_chart_carries_one_row_per_date_and_model_with_readable_labels():
    spec = charts.model_chart(_wide(), "publication_date", "Publication date", "area").to_dict()
    layer = _counts_layer(spec)
    values = spec["datasets"][layer.get("data", spec.get("data"))["name"]]
    assert len(values) == 6
    assert {v["model"] for v in values} == {charts.model_label(m) for m in ("JEM", "WSO", "TFM")}
    assert layer["mark"]["type"] == "area" and layer["encoding"]["y"]["stack"] == "zero"


def test_line_chart_is_drawn_in_steps_without_stacking():
    spec = charts.model_chart(_wide(), "publication_date", "Publication date", "line").to_dict()
    assert _counts_layer(spec)["mark"] == {"type": "line", "interpolate": "step-after"}
    assert _counts_layer(spec)["encoding"]["y"].get("stack") is None


def test_growth_chart_steps_marks_gaps_keeps_legends_whole_and_separates_thousands():
    """The count holds until the next sheet (steps, also stacked), a gap in the
    publication record is shaded and explained, the legend is never cut, numbers read 1,770."""
    gaps = pd.DataFrame({"start": pd.to_datetime(["2025-04-11"]), "end": pd.to_datetime(["2025-09-10"]), "days": [152]})
    spec = charts.model_chart(_wide(), "publication_date", "Publication date", "area", gaps=gaps).to_dict()
    counts = _counts_layer(spec)
    assert counts["mark"]["interpolate"] == "step-after"
    band = spec["layer"][0]
    assert band["mark"]["type"] == "rect"
    label = spec["datasets"][band["data"]["name"]][0]["label"]
    assert label == "No ICE sheet in our record from 2025-04-11 to 2025-09-10 (152 days)"
    legend = counts["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0 and legend["direction"] == "vertical"
    assert counts["encoding"]["y"]["axis"]["format"] == ",d"
    assert {"format": ",d"}.items() <= next(t for t in counts["encoding"]["tooltip"] if t["field"] == "agreements").items()


def test_law_timeline_has_one_panel_per_state_busiest_first():
    series = pd.DataFrame(
        {
            "state": ["MD", "MD", "NY", "NY"],
            "publication_date": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2),
            "agreements": [9, 2, 14, 14],
            "covered": [9, 2, 14, 14],
        }
    )
    windows = pd.DataFrame(
        {
            "state": ["MD"],
            "law_start": pd.to_datetime(["2025-01-15"]),
            "law_end": pd.to_datetime(["2025-01-15"]),
            "law_date_basis": ["effective date"],
            "shown_start": pd.to_datetime(["2025-01-15"]),
            "shown_end": pd.to_datetime(["2025-01-15"]),
            "where": ["inside"],
        }
    )
    spec = charts.law_timeline_chart(series, windows, {"MD": "Maryland", "NY": "New York"}).to_dict()
    titles = [panel["title"] for panel in spec["concat"]]
    assert titles == ["New York", "Maryland (law of 2025-01-15)"]
    assert len(spec["concat"][1]["layer"]) == 3 and len(spec["concat"][0]["layer"]) == 1


def test_charts_follow_the_readers_language_on_axes_and_numbers():
    from mapcore.core import i18n

    frame = pd.DataFrame({"publication_date": pd.to_datetime(["2025-01-01", "2025-02-01"]), "JEM": [1, 2], "WSO": [0, 1], "TFM": [3, 1200]})
    assert "locale" not in charts.model_chart(frame, "publication_date", "Publication date").to_dict().get("config", {})
    with i18n.using_language("es"):
        spec = charts.model_chart(frame, "publication_date", "Fecha de publicación").to_dict()
    locale = spec["config"]["locale"]
    assert locale["time"]["shortMonths"][0] == "ene" and locale["time"]["months"][3] == "abril"
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "."
