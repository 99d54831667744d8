"""The data's age on every page that shows ICE's figures (AppTest on the page fixture, newest sheet 2025-08-01).

On 2026-12-06 the newest sheet held was 202 days old, yet no page said so, and New York's profile said
"Agreements now" beside a deadline that had passed since the sheet.
"""

from __future__ import annotations

import html

import pytest

PAGES = [
    "app.py",
    "pages/1_Explore.py",
    "pages/2_State.py",
    "pages/3_Agency.py",
    "pages/4_Timeline.py",
    "pages/5_Law_vs_practice.py",
    "pages/6_About.py",
    "pages/7_Methodology.py",
]


def _plain(value: str) -> str:
    return html.unescape(value.replace("\\", ""))


@pytest.mark.parametrize("page", ["app.py", "pages/1_Explore.py", "pages/2_State.py"])
def test_a_sheet_older_than_14_days_says_how_old_and_when_ice_was_checked(run_page, monkeypatch, page):
    monkeypatch.setenv("MAPCORE_TODAY", "2025-12-06")
    at = run_page(page, state="NY") if page.endswith("State.py") else run_page(page)
    assert not at.exception, at.exception
    warnings = [_plain(w.value) for w in at.warning]
    age = [w for w in warnings if w.startswith("Figures are from ICE's newest sheet, of 2025-08-01.")]
    assert len(age) == 1, warnings
    assert "That sheet is 127 days old (today is 2025-12-06)." in age[0]
    assert "ICE's page has not been checked from this copy of the map." in age[0]  # a folder of sheets: never checked


def test_a_fresh_sheet_only_names_its_date(run_page):
    at = run_page("app.py")  # conftest: today is 2025-08-05, four days after the sheet
    assert not at.exception
    assert any(c.value == "Figures are from ICE's newest sheet, of 2025-08-01." for c in at.caption)
    assert not any("days old" in _plain(w.value) for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_names_the_sheets_date(run_page, page):
    at = run_page(page)
    assert not at.exception, at.exception
    said = [c.value for c in at.caption] + [w.value for w in at.warning]
    assert any(_plain(v).startswith("Figures are from ICE's newest sheet, of 2025-08-01.") for v in said), page


def test_state_profile_says_in_ices_sheet_of_and_a_deadline_passed_since(run_page, monkeypatch):
    """New York on 2026-12-06: its existing agreements had to end by 2026-08-25, after the sheet of 2025-08-01."""
    monkeypatch.setenv("MAPCORE_TODAY", "2026-12-06")
    at = run_page("pages/2_State.py", state="NY")
    assert not at.exception
    assert any(s.value == "Agreements in ICE's sheet of 2025-08-01" for s in at.subheader)
    assert not any("now" in s.value.lower() for s in at.subheader)
    text = _plain("\n".join(m.value for m in at.markdown))
    assert "**Deadline:** 2026-08-25 (passed since ICE's sheet of 2025-08-01)" in text
    age = next(_plain(w.value) for w in at.warning if "days old" in w.value)
    assert "these state-law deadlines have passed:" in age and "New York (2026-08-25)" in age


def test_the_age_in_spanish(run_page, monkeypatch):
    monkeypatch.setenv("MAPCORE_TODAY", "2025-12-06")
    at = run_page("app.py", lang="es")
    assert not at.exception
    age = next(_plain(w.value) for w in at.warning if "2025" in w.value)
    assert age.startswith("Las cifras son de la hoja más reciente de ICE, del 1 ago 2025.")
    assert "127 días" in age and "no se ha consultado" in age
