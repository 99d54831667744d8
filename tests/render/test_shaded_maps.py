"""The per-capita, sheriff-by-model and agency-share maps: classes coloured, tooltips plain text, legends named."""

from __future__ import annotations

import json

from mapcore.render import maps
from mapcore.words.context import Shading


def test_shaded_county_map_colours_classes_and_keeps_tooltips_as_text():
    shading = Shading(
        "287(g) agreements per 100,000 residents",
        ("under 2", "2 to under 5", "5 or more"),
        {"48201": [2, "12.0 agreements per 100,000 residents", "<script>alert(1)</script> Police"], "06037": [1, "outside the view"]},
    )
    spec = maps.shaded_map("counties", shading, only_states=("TX",), none_text="No agreement")
    assert spec.args["areas"]["values"] == {"48201": [2, "12.0 agreements per 100,000 residents", "<script>alert(1)</script> Police"]}
    assert json.loads(spec.to_json()) == spec.args  # text travels as JSON strings; the browser shows it with textContent
    (legend,) = spec.args["legends"]
    assert legend["title"] == "287(g) agreements per 100,000 residents"
    assert [i["label"] for i in legend["items"]] == ["No agreement", "under 2", "2 to under 5", "5 or more"]
    assert spec.args["areas"]["palette"][2] == maps.COUNT_COLORS[2] and spec.args["areas"]["none"] == "No agreement"


def test_categorical_shading_uses_the_category_palette():
    shading = Shading(
        "Sheriff or county jail with a 287(g) agreement, by model",
        ("JEM", "WSO", "TFM", "Several models"),
        {"13067": [0, "Sheriff or county jail: JEM"]},
        sequential=False,
    )
    spec = maps.shaded_map("counties", shading, only_states=("GA",))
    assert spec.args["areas"]["palette"] == list(maps.CATEGORY_COLORS)
    assert "Several models" in [i["label"] for i in spec.args["legends"][0]["items"]]


def test_shaded_state_map():
    shading = Shading("Share of agencies with a 287(g) agreement", ("under 2%", "2% or more"), {"TX": [1, "15.7% of agencies"]})
    spec = maps.shaded_map("states", shading)
    assert spec.args["areas"]["values"] == {"TX": [1, "15.7% of agencies"]} and spec.args["areas"]["kind"] == "states"
