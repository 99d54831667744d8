"""The per-capita, sheriff-by-model and agency-share maps: classes coloured, tooltips escaped, legends named."""

from __future__ import annotations

from mapcore.analysis.context import Shading
from mapcore.render import maps


def test_shaded_county_map_colours_classes_and_escapes_tooltips():
    shading = Shading("287(g) agreements per 100,000 residents", ("under 2", "2 to under 5", "5 or more"),
                      {"48201": [2, "12.0 agreements per 100,000 residents", "<script>alert(1)</script> Police"]})
    html = maps.map_html(maps.shaded_map("counties", shading, only_states=("TX",), none_text="No agreement"))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert '"48201":[2,' in html
    assert "287(g) agreements per 100,000 residents" in html and "2 to under 5" in html and "No agreement" in html
    assert maps.COUNT_COLORS[2] in html


def test_categorical_shading_uses_the_category_palette():
    shading = Shading("Sheriff or county jail with a 287(g) agreement, by model", ("JEM", "WSO", "TFM", "Several models"),
                      {"13067": [0, "Sheriff or county jail: JEM"]}, sequential=False)
    html = maps.map_html(maps.shaded_map("counties", shading, only_states=("GA",)))
    assert all(color in html for color in maps.CATEGORY_COLORS[:4]) and "Several models" in html


def test_shaded_state_map():
    shading = Shading("Share of agencies with a 287(g) agreement", ("under 2%", "2% or more"), {"TX": [1, "15.7% of agencies"]})
    html = maps.map_html(maps.shaded_map("states", shading))
    assert '"TX":[1,"15.7% of agencies"]' in html
