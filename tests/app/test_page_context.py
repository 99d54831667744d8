"""The shares of agencies, officers and residents on the State profile and Home, and the ORI section of the
Methodology page, run with Streamlit's AppTest on the fixture sheets and the shipped FBI roster and Census table."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(run_page):
    """A factory of AppTests for a script of the app (conftest.run_page)."""
    return run_page


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert len(found) == 1, [m.label for m in at.metric]
    return found[0]


def test_state_profile_shows_shares_and_a_table_per_type(app):
    at = app("pages/2_State.py", state="TX")
    assert not at.exception
    assert "Out of how many?" in [s.value for s in at.subheader]
    agencies = metric(at, "Agencies with an agreement")
    # Harris County's sheriff (TX1010000) is the one Texas agency of the newest fixture sheet with an ORI.
    assert agencies.value.endswith("%") and float(agencies.value[:-1]) == pytest.approx(100 / 1691, abs=0.05)
    assert "1 of the 1,691 law-enforcement agencies" in agencies.help
    residents = metric(at, "Residents in covered counties")
    assert residents.value == "15.9%"  # Harris County: 4,835,125 of 30,503,301
    assert "4,835,125 of 30,503,301 residents" in residents.help
    table = at.dataframe[1].value.set_index("Type (FBI roster)")
    assert table.loc["Sheriffs' offices", "With an agreement"] == 1
    assert table.loc["Sheriffs' offices", "In the roster"] == 254
    assert table.loc["Municipal police", "With an agreement"] == 0  # Houston PD left the newest sheet
    assert any("287g-watch" in c.value for c in at.caption)


def test_state_profile_of_a_state_without_agreements_shows_zero_not_an_error(app):
    at = app("pages/2_State.py", state="CT")
    assert not at.exception
    assert metric(at, "Agencies with an agreement").value == "0.0%"
    assert metric(at, "Residents in covered counties").value == "0.0%"
    assert any("planning regions" in c.value for c in at.caption)  # how Connecticut's residents are counted


def test_home_shows_the_national_shares(app):
    at = app("app.py")
    assert not at.exception
    agencies = metric(at, "Agencies with an agreement")
    assert agencies.value == "0.0%" and "of the 18,2" in agencies.help  # Harris, St. Lucie sheriffs; Miami police
    assert agencies.help.startswith("3 of the ")
    assert "the 50 states and DC" in "\n".join(m.value for m in at.markdown)


def test_methodology_lists_every_agreement_without_an_ori(app):
    at = app("pages/7_Methodology.py")
    assert not at.exception
    headers = [h.value for h in at.header]
    assert "Linking agreements to the FBI's agency records (ORI)" in headers
    no_ori = at.dataframe[-1].value
    assert set(no_ori["Agency"]) >= {"Florida Highway Patrol"}
    assert no_ori["Why no ORI"].notna().all()
    assert metric(at, "County agreements with an ORI").value == "100.0 %"
