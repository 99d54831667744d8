"""`mapcore laws [--as-of YYYY-MM-DD] [--json]`: the law in force on a day, with the keys scripts rely on."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mapcore.cli.main import main


def _laws(capsys, *args: str) -> dict:
    assert main(["laws", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_keys_and_today(capsys) -> None:
    document = _laws(capsys)
    assert document["as_of"] == dt.date.today().isoformat()
    assert len(document["states"]) == 51
    for law in document["states"].values():
        assert {"status", "scope", "effective_date", "confidence", "pending"} <= set(law)


def test_issue_14_values_on_2026_11_29(capsys) -> None:
    states = _laws(capsys, "--as-of", "2026-11-29")["states"]
    assert {code: states[code]["status"] for code in ("VA", "VT", "CT")} == dict.fromkeys(("VA", "VT", "CT"), "restricts")
    assert (states["NY"]["status"], states["NY"]["effective_date"], states["NY"]["deadline"]) == ("prohibits", "2026-05-27", "2026-08-25")
    assert [(states[c]["status"], states[c]["scope"]) for c in ("OK", "SC")] == [("mandates", "state")] * 2
    assert states["HI"]["confidence"] == "low" and states["HI"]["unconfirmed"] is True
    assert states["HI"]["pending"] and "SB 2057" in states["HI"]["pending"]


def test_issue_14_values_on_2026_04_30(capsys) -> None:
    states = _laws(capsys, "--as-of", "2026-04-30")["states"]
    assert states["NY"]["status"] != "prohibits" and states["NM"]["status"] != "prohibits"
    assert (states["NY"]["status"], states["NM"]["status"]) == ("restricts", "none")
    assert (states["MD"]["status"], states["MD"]["effective_date"]) == ("prohibits", "2026-02-17")
    assert states["NY"]["newest_status"] == "prohibits" and states["NY"]["newest_effective_date"] == "2026-05-27"
    assert "before the law of 2026-05-27" in states["NY"]["note"]


def test_issue_14_values_on_2025_06_01(capsys) -> None:
    states = _laws(capsys, "--as-of", "2025-06-01")["states"]
    assert states["DE"]["status"] == "none"
    assert _laws(capsys, "--as-of", "2025-07-14")["states"]["DE"]["status"] == "prohibits"


def test_plain_text_and_bad_date(capsys) -> None:
    assert main(["laws", "--as-of", "2026-04-30"]) == 0
    out = capsys.readouterr().out
    assert "as in force on 2026-04-30" in out and "MD  prohibits (both) since 2026-02-17" in out
    assert main(["laws", "--as-of", "2026-02-30"]) == 2
    assert "not a date" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--as-of=2026-04-30", "--as-of=2026-11-29"])
def test_every_state_has_a_status_or_an_unconfirmed_flag(capsys, flag) -> None:
    for code, law in _laws(capsys, flag)["states"].items():
        assert law["status"] is not None or law["unconfirmed"], code


@pytest.mark.parametrize("value", ["2026-W20-1", "", "now", "20260512", "2026-5-12", "2026-02-30"])
def test_as_of_must_be_a_day_written_yyyy_mm_dd(value, capsys):
    """Issue 32: `laws --as-of 2026-W20-1` (an ISO week day) and `--as-of ''` (today, silently) were accepted."""
    from mapcore.cli.main import main

    assert main(["laws", "--as-of", value]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"mapcore laws: --as-of {value!r}: not a date written YYYY-MM-DD", err
