"""The home page under AppTest: headline counts by model with the publication date, and changes."""

from __future__ import annotations

from appfixtures import script, use_source
from streamlit.testing.v1 import AppTest


def test_home_shows_counts_date_and_changes(monkeypatch, tmp_path):
    use_source(monkeypatch, tmp_path)
    at = AppTest.from_file(script("app.py"), default_timeout=120).run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Active agreements"] == "7"
    assert values["JEM · Jail Enforcement"] == "3"
    assert values["WSO · Warrant Service"] == "1"
    assert values["TFM · Task Force"] == "3"
    assert any("published 2025-07-02" in c.value for c in at.caption)
    changes = " ".join(m.value for m in at.markdown)
    assert "Since the previous publication (2025-07-01)" in changes
    assert "TFM +3 / −1" in changes


def test_home_state_level_switch(monkeypatch, tmp_path):
    use_source(monkeypatch, tmp_path)
    at = AppTest.from_file(script("app.py"), default_timeout=120).run()
    at.radio(key="home-level").set_value("state").run()
    assert not at.exception
