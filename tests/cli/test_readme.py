"""The README a newcomer reads names the port setting and sends them to no folder
they do not have (the team's ../shared)."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_readme_mentions_port():
    assert re.search(r"make run PORT=\d+", README)
    assert "| `PORT` |" in README


def test_readme_sends_no_one_to_a_shared_folder():
    assert "../shared" not in README
    assert "mapcore fetch --into" in README


def test_readme_says_how_to_report_an_error_and_names_the_setting():
    section = README.split("## Corrections", 1)[1].split("\n## ", 1)[0]
    assert "MAPCORE_CORRECTIONS" in section and "footer" in section
    assert "| `MAPCORE_CORRECTIONS` |" in README
