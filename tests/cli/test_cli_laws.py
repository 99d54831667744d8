"""`mapcore laws [--as-of YYYY-MM-DD] [--json]`: the law in force on a day, with the keys scripts rely on."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mapcore.cli.main import main


def _laws(capsys, *args: str) -> dict:
    assert main(["laws", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_keys_and_today(capsys, monkeypatch) -> None:
    monkeypatch.delenv("MAPCORE_TODAY", raising=False)
    document = _laws(capsys)
    assert document["as_of"] in {dt.date.today().isoformat(), (dt.date.today() - dt.timedelta(days=1)).isoformat()}
    monkeypatch.setenv("MAPCORE_TODAY", "2026-12-06")
    assert _laws(capsys)["as_of"] == "2026-12-06"
    assert len(document["states"]) == 51
    for law in document["states"].values():
        assert {"status", "scope", "effective_date", "confidence", "pending"} <= set(law)


def test_values_on_2026_11_29(capsys) -> None:
    states = _laws(capsys, "--as-of", "2026-11-29")["states"]
    assert {code: states[code]["status"] for code in ("VA", "VT", "CT")} == dict.fromkeys(("VA", "VT", "CT"), "restricts")
    assert (states["NY"]["status"], states["NY"]["effective_date"], states["NY"]["deadline"]) == ("prohibits", "2026-05-27", "2026-08-25")
    assert [(states[c]["status"], states[c]["scope"]) for c in ("OK", "SC")] == [("mandates", "state")] * 2
    # Hawaii's low-confidence law is known only to the year 2026: the day mark, a different thing from "unconfirmed"
    assert states["HI"]["confidence"] == "low" and states["HI"]["mark"] == "day_unknown" and states["HI"]["unconfirmed"] is False
    assert states["HI"]["pending"] and "SB 2057" in states["HI"]["pending"]
    assert states["CT"]["unconfirmed"] is True and states["CT"]["mark"] == "unconfirmed"


def test_values_on_2026_04_30_new_york_and_new_mexico_before_their_laws(capsys) -> None:
    states = _laws(capsys, "--as-of", "2026-04-30")["states"]
    assert states["NY"]["status"] != "prohibits" and states["NM"]["status"] != "prohibits"
    assert (states["NY"]["status"], states["NM"]["status"]) == ("restricts", "none")
    assert (states["MD"]["status"], states["MD"]["effective_date"]) == ("prohibits", "2026-02-17")
    assert states["NY"]["newest_status"] == "prohibits" and states["NY"]["newest_effective_date"] == "2026-05-27"
    assert "new law (prohibits), in force from 2026-05-27" in states["NY"]["note"] and states["NY"]["in_force"] is False


def test_values_on_2025_06_01(capsys) -> None:
    states = _laws(capsys, "--as-of", "2025-06-01")["states"]
    assert states["DE"]["status"] == "none"
    assert _laws(capsys, "--as-of", "2025-07-14")["states"]["DE"]["status"] == "prohibits"


def test_plain_text_and_bad_date(capsys) -> None:
    assert main(["laws", "--as-of", "2026-04-30"]) == 0
    out = capsys.readouterr().out
    assert "as in force on 2026-04-30" in out and "MD  prohibits (both) since 2026-02-17" in out
    assert "ME  unknown, confidence medium [not yet in force]; new law of 2026-01-11 (prohibits), in force from 2026-07-29" in out
    assert main(["laws", "--as-of", "2026-02-30"]) == 2
    assert "not a date" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--as-of=2026-04-30", "--as-of=2026-11-29"])
def test_every_state_has_a_status_or_a_new_law_mark(capsys, flag) -> None:
    for code, law in _laws(capsys, flag)["states"].items():
        assert law["status"] is not None or law["mark"] in ("not_yet_in_force", "day_unknown"), code


def test_no_law_in_force_before_its_day_on_2026_05_18(capsys) -> None:
    """The issue's sheet of 2026-05-18: no law shown in force before its day."""
    states = _laws(capsys, "--as-of", "2026-05-18")["states"]
    new = {"TN": "mandates", "ME": "prohibits", "VA": "restricts"}
    for code, status in new.items():
        assert states[code]["status"] != status and states[code]["law_class"] != status, code
        assert states[code]["in_force"] is False and states[code]["newest_status"] == status, code
    # Tennessee became law on 2026-05-26: on 05-18 a newer law, not in force; Maine and Virginia passed, not yet in force
    assert (states["TN"]["timing"], states["TN"]["status"], states["TN"]["enacted"]) == (
        "not_yet_in_force",
        "requires_cooperation",
        "2026-05-26",
    )
    assert states["TN"]["mark"] == states["ME"]["mark"] == states["VA"]["mark"] == "not_yet_in_force"
    assert states["MS"]["status"] != "mandates" and states["MS"]["mark"] == "not_yet_in_force"
    assert states["MD"]["deadline"] == "2026-07-01" and states["MD"]["status"] == "prohibits"
    assert states["MA"]["applies_to"] == "new_agreements"
    assert [states[c]["law_class"] for c in ("OK", "SC", "TX")] == ["mandates_state_official", "mandates_state_official", "mandates"]
    later = _laws(capsys, "--as-of", "2026-05-26")["states"]["TN"]
    assert (later["status"], later["mark"], later["day_of_effect_known"]) == ("requires_cooperation", "day_unknown", False)


def test_mississippis_mandate_from_2026_07_02(capsys) -> None:
    states = _laws(capsys, "--as-of", "2026-07-02")["states"]
    assert states["MS"]["status"] == "mandates" and states["MS"]["in_force"] is True
    assert states["MS"]["unconfirmed"] is True and states["MS"]["mark"] == "unconfirmed"  # low confidence, now in force
    assert states["VA"]["status"] == "restricts" and states["ME"]["status"] is None


@pytest.mark.parametrize("value", ["2026-W20-1", "", "now", "20260512", "2026-5-12", "2026-02-30"])
def test_as_of_must_be_a_day_written_yyyy_mm_dd(value, capsys):
    """`laws --as-of 2026-W20-1` (an ISO week day) and `--as-of ''` (today, silently) were accepted."""
    from mapcore.cli.main import main

    assert main(["laws", "--as-of", value]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"mapcore laws: --as-of {value!r}: not a date written YYYY-MM-DD", err
