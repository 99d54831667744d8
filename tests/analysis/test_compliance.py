"""Law versus practice (mapcore.analysis.compliance): constructed data for each rule, then the real sheets."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis import compliance as c
from mapcore.core import tables
from mapcore.core.text import md_text
from mapcore.render import compliance_map as cm
from mapcore.words import compliance as cw

# --------------------------------------------------------------------------------------------- fixtures

PUBS = [  # (publication_id, kind, date)
    ("2025-03-01/p1.xlsx", "participating", "2025-03-01"),
    ("2025-06-01/p2.xlsx", "participating", "2025-06-01"),
    ("2025-06-02/q1.xlsx", "pending", "2025-06-02"),
    ("2025-09-01/p3.xlsx", "participating", "2025-09-01"),
    ("2026-01-15/p4.xlsx", "participating", "2026-01-15"),
    ("2026-02-01/q2.xlsx", "pending", "2026-02-01"),
    ("2026-03-01/q3.xlsx", "pending", "2026-03-01"),  # newest pending, after the newest participating sheet
]


NEWEST = pd.Timestamp("2026-01-15")  # the newest participating sheet


def said(row: pd.Series) -> str:
    """A presence row's relation in words (made when shown, never stored with the facts)."""
    return cw.relation_text(row, NEWEST)


def sheets() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "publication_id": [p[0] for p in PUBS],
            "kind": [p[1] for p in PUBS],
            "publication_date": pd.to_datetime([p[2] for p in PUBS]),
            "sequence": range(len(PUBS)),
        }
    )


def law_row(state, name, status, scope, year, deadline=None, confidence="high", effective=None, prior=None):
    return {
        "state": state,
        "state_name": name,
        "state_fips": "99",
        "status": status,
        "scope": scope,
        "laws": "Act 1",
        "authority": "statute",
        "effective_year": year,
        "effective_date": pd.Timestamp(effective) if effective else pd.NaT,
        "deadline": pd.Timestamp(deadline) if deadline else pd.NaT,
        "prior_status": prior,
        "pending": None,
        "summary": f"{name} law.",
        "evidence": "Test row.",
        "source_url": "https://example.org/law",
        "confidence": confidence,
        "checked": pd.Timestamp("2026-01-01"),
    }


def laws() -> pd.DataFrame:
    rows = [
        law_row("ZM", "Zedmandate", "mandates", "local", 2026, "2026-12-01", effective="2026-01-01", prior="none"),
        law_row("ZS", "Zedstatewide", "mandates", "state", 2024),  # mandate on the state only
        law_row("PB", "Prohibitland", "prohibits", "both", 2025, "2025-08-13", effective="2025-07-14", prior="none"),
        law_row("PY", "Yearland", "prohibits", "both", 2025),  # year only
        law_row("PS", "Stateonly", "prohibits", "state", 2025, effective="2025-04-01", prior="none"),  # state agencies only
        law_row("PL", "Leftland", "prohibits", "both", 2025, effective="2025-07-01", prior="restricts"),  # between sheets
        law_row("PW", "Winddown", "prohibits", "both", 2025, "2025-10-01", effective="2025-05-15", prior="none"),
        law_row(
            "PN", "Newland", "prohibits", "both", 2026, "2026-08-25", effective="2026-05-27", prior="restricts", confidence="low"
        ),  # after the newest sheet
        law_row("NN", "Noneland", "none", None, None),
    ]
    out = pd.DataFrame(rows)
    out["effective_year"] = out["effective_year"].astype("Int64")
    return out


def agreement(pub: int, state: str, agency: str, jtype: str | None, model: str = "WSO", county: str | None = None) -> dict:
    pid, kind, date = PUBS[pub]
    level = {"County": "county", "Municipality": "municipal", "State": "statewide"}.get(jtype, "other")
    return {
        "publication_id": pid,
        "kind": kind,
        "publication_date": pd.Timestamp(date),
        "state": state,
        "agency": agency,
        "jurisdiction_type": jtype,
        "level": level,
        "county_fips": county,
        "county_name": None,
        "model": model,
        "signed": pd.Timestamp("2025-01-10"),
        "row": 2,
    }


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for column in ("state", "kind", "jurisdiction_type", "level", "model", "publication_id"):
        out[column] = out[column].astype("category")
    return out


COUNTIES = pd.DataFrame(
    {
        "GEOID": ["99001", "99003", "99005", "98001"],
        "name": ["Alpha County", "Beta County", "Gamma County", "Other County"],
        "state": ["ZM", "ZM", "ZM", "ZS"],
    }
)


def mandate_agreements() -> pd.DataFrame:
    rows = []
    for pub in (0, 1, 3, 4):
        rows.append(agreement(pub, "ZM", "Alpha County Sheriff's Office", "County", "JEM", "99001"))
    rows.append(agreement(4, "ZM", "Alpha County Sheriff's Office", "County", "WSO", "99001"))
    rows.append(agreement(4, "ZM", "Beta City Police Department", "Municipality", "TFM", "99003"))
    rows.append(agreement(4, "ZM", "Beta County Constable Precinct 1", "County", "TFM", "99003"))
    rows.append(agreement(2, "ZM", "Gamma County Sheriff's Office", "County", "WSO", "99005"))  # old pending sheet
    rows.append(agreement(5, "ZM", "Beta County Sheriff's Office", "County", "JEM", "99003"))  # not in the newest
    rows.append(agreement(6, "ZM", "Gamma County Sherrif's Office", "County", "WSO", "99005"))  # newest pending
    rows.append(agreement(4, "ZS", "Other County Sheriff's Office", "County", "JEM", "98001"))  # not a local mandate
    return frame(rows)


def prohibit_agreements() -> pd.DataFrame:
    rows = []
    for pub in (0, 1):  # ended before Delaware-style deadline 2025-08-13
        rows.append(agreement(pub, "PB", "Early Police Department", "Municipality", "TFM", "97001"))
    for pub in (0, 1, 3, 4):  # continued after it
        rows.append(agreement(pub, "PB", "Late County Sheriff's Office", "County", "WSO", "97003"))
    for pub in (3, 4):  # appeared after the deadline
        rows.append(agreement(pub, "PB", "New County Sheriff's Office", "County", "JEM", "97005"))
    rows.append(agreement(1, "PY", "Year County Sheriff's Office", "County", "WSO", "96001"))  # gone mid-2025
    rows.append(agreement(4, "PY", "Later County Sheriff's Office", "County", "WSO", "96003"))  # 2026: after 2025
    rows.append(agreement(4, "PS", "Some County Sheriff's Office", "County", "TFM", "95001"))  # outside scope
    rows.append(agreement(4, "PS", "Stateonly Highway Patrol", "State", "TFM"))  # inside scope
    rows.append(agreement(2, "PB", "Pending County Sheriff's Office", "County", "WSO", "97007"))  # pending: ignored
    rows.append(agreement(4, "NN", "Free County Sheriff's Office", "County", "WSO", "94001"))  # no law: ignored
    for pub in (0, 1):  # last listed 2025-06-01, absent 2025-09-01: the law's 2025-07-01 falls between
        rows.append(agreement(pub, "PL", "Between County Sheriff's Office", "County", "WSO", "93001"))
    for pub in (0,):  # last listed 2025-03-01, absent from the next sheet 2025-06-01: gone before 2025-07-01
        rows.append(agreement(pub, "PL", "Gone County Sheriff's Office", "County", "WSO", "93003"))
    for pub in (0, 3, 4):  # absent from one sheet, back later: one agreement with a gap
        rows.append(agreement(pub, "PL", "Gap County Sheriff's Office", "County", "JEM", "93005"))
    for pub in (0, 1):  # listed after 2025-05-15, gone by the 2025-10-01 deadline (absent 2025-09-01)
        rows.append(agreement(pub, "PW", "Wind County Sheriff's Office", "County", "WSO", "92001"))
    for pub in (0, 1, 3):  # last listed 2025-09-01, absent 2026-01-15: the deadline falls between
        rows.append(agreement(pub, "PW", "Cross County Sheriff's Office", "County", "WSO", "92003"))
    for pub in (0, 1, 3, 4):  # still listed; the law (2026-05-27) comes after the newest sheet
        rows.append(agreement(pub, "PN", "Newland County Sheriff's Office", "County", "TFM", "91001"))
    return frame(rows)


# --------------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("agency", "jtype", "expected"),
    [
        ("Harris County Sheriff's Office", "County", True),
        ("Gamma County Sherrif's Office", "County", True),  # ICE's misspelling
        ("Orange County Corrections Department", "County", True),  # county jail run by a corrections department
        ("Pasco County Jail", "County", True),
        ("Gulf County Board of County Commissioners /Detention Facility", "County", True),
        ("Beta City Police Department", "Municipality", False),
        ("Beta County Constable Precinct 1", "County", False),
        ("Parker County District Attorney's Office", "County", False),
        ("Lee County Port Authority Police", "County", False),
        ("Florida Department of Corrections", "State", False),  # a state agency never counts for a county
        ("Sheriff's Office", None, False),  # no type: not counted
    ],
)
def test_sheriff_rule(agency, jtype, expected):
    one = pd.DataFrame({"agency": [agency], "jurisdiction_type": pd.Series([jtype], dtype="category")})
    assert bool(c.is_sheriff_or_jail(one).iloc[0]) is expected


def test_agency_level_from_level_then_type():
    f = pd.DataFrame(
        {
            "level": ["county", "municipal", "statewide", "other", "other"],
            "jurisdiction_type": ["County", "Municipality", "State", "State", None],
        }
    )
    assert list(c.agency_level(f)) == ["local", "local", "state", "state", "unknown"]


def test_state_lists_follow_status_and_scope():
    assert c.mandate_states(laws()) == ["ZM"]  # ZS mandates the state only
    assert c.state_level_mandate_states(laws()) == ["ZS"]
    assert c.restrictive_states(laws()) == ["PB", "PL", "PN", "PS", "PW", "PY"]


# --------------------------------------------------------------------------------------------- mandates


def test_mandate_gaps_three_counties():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    assert list(gaps["GEOID"]) == ["99001", "99003", "99005"]  # only the local-mandate state, every county
    by = gaps.set_index("county")
    assert by.loc["Alpha County", "status"] == c.COVERED
    assert by.loc["Alpha County", "models"] == "JEM, WSO"
    assert bool(by.loc["Alpha County", "JEM"]) and not bool(by.loc["Alpha County", "TFM"])
    assert by.loc["Beta County", "status"] == c.NONE  # a police department does not count
    assert by.loc["Beta County", "other_agreements"] == 2
    assert "Beta City Police Department" in by.loc["Beta County", "other_agencies"]
    assert by.loc["Gamma County", "status"] == c.PENDING
    assert by.loc["Gamma County", "pending_agencies"] == "Gamma County Sherrif's Office"
    assert gaps["deadline"].eq(pd.Timestamp("2026-12-01")).all()
    assert gaps["due"].eq("not_yet_due").all()  # 2026-01-15 is before the deadline
    assert gaps["publication_date"].eq(pd.Timestamp("2026-01-15")).all()  # newest participating
    assert gaps["pending_publication_date"].eq(pd.Timestamp("2026-03-01")).all()  # newest pending


def test_older_publication_uses_the_pending_sheet_on_or_before_it():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES, publication_id=PUBS[3][0])
    assert gaps["pending_publication_date"].eq(pd.Timestamp("2025-06-02")).all()
    by = gaps.set_index("county")
    assert by.loc["Alpha County", "status"] == c.COVERED and by.loc["Alpha County", "models"] == "JEM"
    assert by.loc["Gamma County", "pending_agencies"] == "Gamma County Sheriff's Office"


def test_explicit_newest_publication_equals_default():
    default = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    explicit = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES, publication_id=PUBS[4][0])
    pd.testing.assert_frame_equal(default, explicit)


def test_mandate_summary_counts_and_models(monkeypatch):
    monkeypatch.setenv("MAPCORE_TODAY", "2026-06-01")  # before the deadline: not yet due, and not passed since
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    s = c.mandate_summary(gaps).set_index("state").loc["ZM"]
    assert (s["counties"], s["with_sheriff_agreement"], s["without"], s["pending_only"], s["no_agreement_or_application"]) == (
        3,
        1,
        2,
        1,
        1,
    )
    assert s["pct_covered"] == pytest.approx(33.3)
    assert (s["JEM"], s["WSO"], s["TFM"]) == (1, 1, 0)
    assert s["models_chosen"] == "JEM 1, WSO 1"
    sentence = cw.mandate_sentence(s, "Zedmandate")
    assert sentence.startswith("In Zedmandate, 1 of 3 counties (33%)")
    assert "1 have a pending application" in sentence
    assert "Not yet due: the law's deadline is 2026-12-01." in sentence and "missing" not in sentence.lower()


@pytest.mark.parametrize(
    ("change", "publication", "due", "words"),
    [
        ({}, 4, "not_yet_due", "Not yet due: the law's deadline is 2026-12-01."),  # Texas before 2026-12-01
        ({}, 3, "not_in_force", "Not yet due: the law took effect only on 2026-01-01"),  # a sheet before the law
        ({"deadline": pd.NaT}, 4, "due", "The law has been in force since 2026-01-01."),
        ({"deadline": pd.Timestamp("2026-01-10")}, 4, "due", "The law's deadline, 2026-01-10, has passed."),
        ({"effective_date": pd.NaT, "deadline": pd.NaT}, 4, "day_unknown", "its day of effect is not known"),  # year 2026 only
        ({"effective_date": pd.NaT, "deadline": pd.NaT}, 3, "not_in_force", "Not yet due"),  # 2025 sheet
    ],
)
def test_mandate_due_on_the_sheet_date(change, publication, due, words, monkeypatch):
    monkeypatch.setenv("MAPCORE_TODAY", "2026-06-01")
    law = laws()
    for column, value in change.items():
        law.loc[law["state"] == "ZM", column] = value
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), law, COUNTIES, publication_id=PUBS[publication][0])
    assert gaps["due"].eq(due).all()
    sentence = cw.mandate_sentence(c.mandate_summary(gaps).iloc[0], "Zedmandate")
    assert words in sentence
    table = cw.gaps_table(gaps)
    assert table["Duty on the sheet's date"].eq(cw.DUE_LABELS[due]).all()
    assert not table.astype(str).apply(lambda col: col.str.contains("issing")).any().any()


def test_a_deadline_passed_since_the_sheet_is_said_to_have_passed(monkeypatch):
    """Texas' case: on a sheet before 2026-12-01 the duty is not yet due; read on 2026-12-06 the sentence says the
    deadline has passed since that sheet (it said "not yet due: deadline 2026-12-01" five days after it passed)."""
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    row = c.mandate_summary(gaps).iloc[0]
    assert row["due"] == "not_yet_due"
    monkeypatch.setenv("MAPCORE_TODAY", "2026-12-06")
    sentence = cw.mandate_sentence(row, "Zedmandate")
    assert "the law's deadline, 2026-12-01, has passed since that sheet" in sentence
    assert "Not yet due: the law's deadline is" not in sentence
    assert "has passed since" not in cw.mandate_sentence(row, "Zedmandate", today=pd.Timestamp("2026-11-30"))


def test_agreement_standing_is_the_relation_of_law_vs_practice():
    """One function for the Agency page and Law vs practice, on the real law table."""
    from mapcore.reference.laws import load_laws

    real = load_laws()
    # Maryland: banned from 2026-02-17, existing agreements to end by 2026-07-01 (Garrett and Washington counties
    # were listed until 2026-05-14)
    assert c.agreement_standing(real, "MD", "2026-05-14", gone_by="2026-05-18", active=False) == "wind_down"
    assert c.agreement_standing(real, "MD", "2026-04-30") == "wind_down"
    assert c.agreement_standing(real, "MD", "2026-07-02") == "after_deadline"
    assert c.agreement_standing(real, "MD", "2026-02-13", gone_by="2026-02-17", active=False) == "before"
    # Massachusetts bars only new agreements: the prison system's agreement of 2020 is not reached
    assert c.agreement_standing(real, "MA", "2026-04-30", signed="2020-06-08", agency_level="state") == "signed_before"
    assert c.agreement_standing(real, "MA", "2026-04-30", signed="2026-03-01", agency_level="state") == "after"
    # laws not yet in force or whose day is not known
    assert c.agreement_standing(real, "ME", "2026-04-30") == "not_yet"
    assert c.agreement_standing(real, "HI", "2026-04-30") == "during"
    # a law binding state agencies only leaves a county agreement outside it; no ban: nothing to stand against
    assert c.agreement_standing(real, "RI", "2026-04-30", agency_level="local") == "outside_scope"
    assert c.agreement_standing(real, "TX", "2026-04-30") is None and c.agreement_standing(real, "GU", "2026-04-30") is None
    assert set(cw.RELATIONS) >= {"wind_down", "after_deadline", "signed_before"}
    assert cw.RELATIONS["wind_down"].startswith("Listed during the wind-down")
    assert cw.RELATIONS["signed_before"] == "Signed before the law (not reached by it)"


def test_state_level_duties_are_words_not_missing_sheriffs():
    rows = frame(
        [
            agreement(4, "ZS", "Zedstatewide Highway Patrol", "State", "TFM"),
            agreement(4, "ZS", "Other County Sheriff's Office", "County", "JEM", "98001"),
        ]
    )
    duties = c.state_level_duties(laws(), rows).set_index("state")
    assert list(duties.index) == ["ZS"]
    assert duties.at["ZS", "duty"] == "Zedstatewide law."
    assert duties.at["ZS", "state_agreements"] == 1 and duties.at["ZS", "state_agencies"] == "Zedstatewide Highway Patrol"
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    assert "ZS" not in set(gaps["state"])


# --------------------------------------------------------------------------------------------- restrictive states


def test_restricted_presence_relation_to_the_law():
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws()).set_index("agency")
    assert set(p["state"]) == {"PB", "PY", "PS", "PL", "PW", "PN"}  # no law / pending rows left out
    # Delaware-like law (effective 2025-07-14, deadline 2025-08-13): the agreement last listed on 2025-06-01 is
    # absent only from the sheet of 2025-09-01, so it left between those sheets
    early = p.loc["Early Police Department"]
    assert early["last_seen"] == pd.Timestamp("2025-06-01") and early["gone_by"] == pd.Timestamp("2025-09-01")
    assert early["relation"] == "left_between" and pd.isna(early["listed_after_law"])
    assert said(early) == "Left between 2025-06-01 and 2025-09-01; the law's date, 2025-07-14, falls between"
    late = p.loc["Late County Sheriff's Office"]
    assert bool(late["active"]) and bool(late["listed_after_law"]) and late["relation"] == "after_deadline"
    assert late["first_seen"] == pd.Timestamp("2025-03-01") and late["publications"] == 4 and late["gaps"] == 0
    new = p.loc["New County Sheriff's Office"]
    assert bool(new["first_seen_after_law"]) and not bool(new["since_first_sheet"])
    # year-only law: a listing inside the year is unknown, one after the year is after
    year = p.loc["Year County Sheriff's Office"]
    assert pd.isna(year["listed_after_law"]) and year["relation"] == "during"
    assert "while the law's day of effect was not known" in said(year)
    assert p.loc["Later County Sheriff's Office", "relation"] == "after"
    # scope: a ban on state agencies leaves a county agreement outside it
    assert not bool(p.loc["Some County Sheriff's Office", "law_covers"])
    assert p.loc["Some County Sheriff's Office", "relation"] == "outside_scope"
    assert bool(p.loc["Stateonly Highway Patrol", "law_covers"])
    assert p.loc["Stateonly Highway Patrol", "agency_level"] == "state"
    assert p.loc["Stateonly Highway Patrol", "relation"] == "after"


def test_gone_before_only_when_the_next_sheet_is_on_or_before_the_law():
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws()).set_index("agency")
    gone = p.loc["Gone County Sheriff's Office"]  # last 2025-03-01, next sheet 2025-06-01 <= law 2025-07-01
    assert gone["relation"] == "before" and not bool(gone["listed_after_law"])
    assert said(gone) == ("Gone before the law's date (2025-07-01): last listed 2025-03-01, absent from the next sheet (2025-06-01)")
    between = p.loc["Between County Sheriff's Office"]  # last 2025-06-01, next 2025-09-01 > law 2025-07-01
    assert between["relation"] == "left_between"
    assert said(between).startswith("Left between 2025-06-01 and 2025-09-01")
    # The law on the very day of the first absent sheet: gone by the law's date.
    law = laws()
    law.loc[law["state"] == "PL", "effective_date"] = pd.Timestamp("2025-09-01")
    assert (
        c.restricted_presence(prohibit_agreements(), sheets(), law).set_index("agency").loc["Between County Sheriff's Office", "relation"]
        == "before"
    )


def test_absence_and_return_is_one_agreement_with_a_gap():
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws())
    gap = p[p["agency"] == "Gap County Sheriff's Office"]
    assert len(gap) == 1  # not a removal and a new agreement
    row = gap.iloc[0]
    assert (row["first_seen"], row["last_seen"], row["publications"], row["gaps"]) == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2026-01-15"),
        3,
        1,
    )
    assert row["relation"] == "after" and bool(row["active"])
    assert "with 1 gap" in cw.presence_sentence(row)


def test_deadline_wind_down_and_crossing():
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws()).set_index("agency")
    wind = p.loc["Wind County Sheriff's Office"]  # listed 2025-06-01 (after 2025-05-15), gone 2025-09-01 (< 10-01)
    assert wind["relation"] == "wind_down" and bool(wind["listed_after_law"])
    cross = p.loc["Cross County Sheriff's Office"]  # last 2025-09-01, next 2026-01-15: the deadline between
    assert cross["relation"] == "left_between"
    assert said(cross) == "Left between 2025-09-01 and 2026-01-15; the law's deadline, 2025-10-01, falls between"


def test_law_after_the_newest_sheet_counts_nothing_as_listed_after_it():
    """New York's case: a ban of 2026-05-27; every sheet we hold is older, so nothing is 'after' it."""
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws())
    ny_like = p[p["state"] == "PN"]
    assert ny_like["relation"].eq("not_yet").all() and not ny_like["listed_after_law"].eq(True).any()
    assert said(ny_like.iloc[0]) == ("Still listed in the newest sheet of 2026-01-15; the law's date (2026-05-27) had not come")
    table = c.restricted_states_table(p, laws()).set_index("state")
    assert table.loc["PN", ["listed_after_law", "listed_after_deadline", "law_not_yet"]].tolist() == [0, 0, 1]
    shown = cw.states_table(c.restricted_states_table(p, laws())).set_index("State")
    assert shown.at["PN", "Confidence"] == "low (unconfirmed)" and shown.at["PY", "Law in force from"] == "2025 (day of effect not known)"
    listing = cw.presence_table(p).set_index("Agency")
    assert listing.at["Newland County Sheriff's Office", "Law"] == "Prohibits (unconfirmed)"


def test_restricted_series_and_state_table():
    agreements = prohibit_agreements()
    s = c.restricted_series(agreements, sheets(), laws())
    pb = s[s["state"] == "PB"].set_index("publication_date")["agreements"]
    assert list(pb) == [2, 2, 2, 2]
    assert len(s) == 6 * 4  # every participating sheet, zeros included
    py = s[s["state"] == "PY"].set_index("publication_date")["agreements"]
    assert list(py) == [0, 1, 0, 1]
    ps = s[s["state"] == "PS"]
    assert ps["covered"].max() == 1 and ps["agreements"].max() == 2
    table = c.restricted_states_table(c.restricted_presence(agreements, sheets(), laws()), laws()).set_index("state")
    assert table.loc["PB", ["ever_listed", "in_newest", "listed_after_deadline", "left_between", "gone_before_law"]].tolist() == [
        3,
        2,
        2,
        1,
        0,
    ]
    assert table.loc["PS", "outside_scope"] == 1
    assert table.loc["PB", "source_url"] == "https://example.org/law"
    windows = c.law_windows(s, laws()).set_index("state")
    assert windows.loc["PB", "where"] == "inside" and windows.loc["PB", "law_date_basis"] == "effective date"
    assert (windows.loc["PB", "law_start"], windows.loc["PB", "law_end"]) == (pd.Timestamp("2025-07-14"), pd.Timestamp("2025-08-13"))
    assert windows.loc["PN", "where"] == "after"


def test_empty_inputs_give_empty_frames():
    empty = prohibit_agreements().iloc[0:0]
    assert c.restricted_presence(empty, sheets(), laws()).empty
    assert c.restricted_series(empty, sheets(), laws()).empty
    gaps = c.mandate_gaps(empty, sheets(), laws(), COUNTIES)
    assert len(gaps) == 3 and gaps["status"].eq(c.NONE).all()


# --------------------------------------------------------------------------------------------- text, export, map


def test_inference_note_says_what_is_not_inferred():
    assert "not proof of non-compliance" in cw.INFERENCE_NOTE
    for reason in ("sheet may lag", "pending", "no jail", "consolidated city-county"):
        assert reason in cw.MANDATE_NOTE
    assert any("listed while the law's day of effect was not known" in line for line in cw.restricted_caveats())
    assert any("left between" in line for line in cw.restricted_caveats())
    assert any("jail" in line for line in cw.mandate_caveats())


def test_export_neutralises_formulas_and_dates():
    table = pd.DataFrame({"Agency": ['=HYPERLINK("x")', "Ok"], "Last seen": pd.to_datetime(["2025-01-02", None])})
    text = tables.table_bytes(table, "csv").decode()
    assert "'=HYPERLINK" in text and "2025-01-02" in text
    assert tables.table_bytes(table, "xlsx")[:2] == b"PK"
    with pytest.raises(ValueError):
        tables.table_bytes(table, "pdf")


def test_state_table_keeps_only_http_sources():
    law = laws()
    law.loc[law["state"] == "PY", "source_url"] = "javascript:alert(1)"
    table = c.restricted_states_table(c.restricted_presence(prohibit_agreements(), sheets(), law), law).set_index("state")
    assert pd.isna(table.loc["PY", "source_url"]) and table.loc["PB", "source_url"].startswith("https://")


def test_md_text_escapes_markdown():
    assert md_text("[x](javascript:alert(1)) *b*") == r"\[x\]\(javascript\:alert\(1\)\) \*b\*"


def test_tooltips_are_plain_text_and_palette_distinct():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    row = gaps[gaps["status"] == c.COVERED].iloc[0].copy()
    row["sheriff_agencies"] = "<script>alert(1)</script>"
    lines = cm.county_lines(row)
    assert lines[0] == cw.COUNTY_STATUS_LABELS[c.COVERED] and lines[1].startswith("<script>alert(1)</script> (")
    assert len(set(cm.STATUS_COLORS.values())) == 3
    legend = cm.legend({"covered": 1, "pending": 1, "none": 1})
    assert "not proof of non-compliance" in " ".join(legend["notes"])


def test_compliance_map_renders_real_state():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    gaps = gaps.assign(state="DE", GEOID=["10001", "10003", "10005"])  # real Delaware counties
    spec = cm.compliance_map(gaps, ("DE",))
    assert spec.args["areas"]["palette"][:2] == ["#0072B2", "#E69F00"] and spec.args["view"]["key"] == "counties:DE"
    tips = " ".join(" ".join(v[1:]) for v in spec.args["areas"]["values"].values())
    assert set(spec.args["areas"]["values"]) == {"10001", "10003", "10005"}
    assert "Sheriff or county jail agreement listed" in tips
    assert "Beta City Police Department" in tips  # other agreements named in the tooltip
    assert spec.args["areas"]["focus"] == ["DE"]  # drawn on the national geometry, Delaware in focus
    assert [f.name.split("-")[:2] for f in spec.files] == [["counties", "national"], ["states", "national"]]


# --------------------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real(shared_dataset):
    from mapcore.app import data as appdata

    return appdata.assemble(shared_dataset)


@pytest.mark.acceptance
def test_real_mandate_states(real):
    gaps = c.mandate_gaps(real.agreements, real.sheets, real.laws, real.counties)
    summary = c.mandate_summary(gaps).set_index("state")
    print()
    print(summary[["counties", "with_sheriff_agreement", "without", "pending_only", "pct_covered", "models_chosen"]].to_string())
    assert set(summary.index) >= {"TX", "FL", "GA", "TN", "AR"}
    tx, fl = summary.loc["TX"], summary.loc["FL"]
    assert tx["counties"] == 254 and fl["counties"] == 67
    # Florida's sheriffs announced 287(g) in every county jail: all or nearly all counties listed.
    assert fl["with_sheriff_agreement"] >= 64
    # Texas: SB 8's deadline is 2026-12-01; by spring 2026 well over half the counties, not all, are listed.
    assert 130 <= tx["with_sheriff_agreement"] <= 254
    assert tx["deadline"] == pd.Timestamp("2026-12-01")
    sheet_date = gaps["publication_date"].iloc[0]
    assert tx["due"] == ("not_yet_due" if sheet_date < tx["deadline"] else "due")
    if tx["due"] == "not_yet_due":
        assert "Not yet due" in cw.mandate_sentence(tx, "Texas")
    # Oklahoma's and South Carolina's duties bind a state official: described, never counted as missing sheriffs
    assert not {"OK", "SC"} & set(summary.index)
    duties = c.state_level_duties(real.laws, real.publication(real.latest_id()))
    assert set(duties["state"]) == {"OK", "SC"}
    for _state, row in summary.iterrows():
        assert row["with_sheriff_agreement"] + row["without"] == row["counties"]
        assert row["with_sheriff_agreement"] <= row["JEM"] + row["WSO"] + row["TFM"]


@pytest.mark.acceptance
def test_real_restrictive_states(real):
    presence = c.restricted_presence(real.agreements, real.sheets, real.laws)
    table = c.restricted_states_table(presence, real.laws)
    listed = table[table["ever_listed"] > 0].set_index("state")
    print()
    print(
        listed[
            [
                "law_status",
                "law_scope",
                "effective_year",
                "deadline",
                "ever_listed",
                "in_newest",
                "listed_after_law",
                "in_law_year",
                "gone_before_law",
                "outside_scope",
            ]
        ].to_string()
    )
    for state in listed.index:
        for _, row in presence[presence["state"] == state].iterrows():
            print(f"  {state}: {cw.presence_sentence(row, real.publication_date(real.latest_id()))}")
    # Maryland's 2026 ban: the county agreements (sheriffs and, briefly, a county jail); existing ones had to end by
    # 2026-07-01, so one listed after the ban and before that day is in the wind-down, never "listed after the law"
    md = presence[presence["state"] == "MD"]
    assert 8 <= len(md) <= 11
    assert md["last_seen"].max() >= pd.Timestamp("2026-01-01")
    listed_after_ban = md[md["last_seen"] >= pd.Timestamp("2026-02-17")]
    assert len(listed_after_ban) and listed_after_ban["relation"].isin(["wind_down", "left_between"]).all()
    # Massachusetts' order bars only new agreements: the prison system's agreement (signed 2020) is not reached
    ma_doc = presence[(presence["state"] == "MA") & presence["agency"].str.contains("Correction")]
    assert len(ma_doc) and ma_doc["relation"].eq("signed_before").all()
    # Delaware: agreements had to end by 2025-08-13; none is listed after it
    de = presence[presence["state"] == "DE"]
    assert not de["listed_after_law"].eq(True).any()
    # New York's ban dates from 2026-05-27: no New York agreement is counted as listed after it
    ny = presence[presence["state"] == "NY"]
    assert len(ny) and not ny["relation"].isin(c.LISTED_AFTER).any()
    assert (ny["last_seen"] < pd.Timestamp("2026-05-27")).all()
    # Every relation follows from the dates, to the day (law with a known day, no deadline)
    dated = presence[(presence["law_date_basis"] == "effective date") & presence["deadline"].isna() & presence["law_covers"].ne(False)]
    for _, row in dated.iterrows():
        start, last, gone = row["law_start"], row["last_seen"], row["gone_by"]
        expected = "after" if last >= start else "not_yet" if pd.isna(gone) else "before" if gone <= start else "left_between"
        if expected == "after" and row["applies_to"] == "new_agreements" and row["signed"] < start:
            expected = "signed_before"  # Massachusetts: the order bars only new agreements
        assert row["relation"] == expected, (row["state"], row["agency"], row["relation"], expected)
    assert (presence["gone_by"].isna() == presence["active"]).all()
    # States with long-standing bans (California, Illinois, New Jersey, Oregon, Washington) list none
    assert not set(listed.index) & {"CA", "IL", "NJ", "OR", "WA"}
    assert (presence["first_seen"] <= presence["last_seen"]).all()


def test_presence_holds_facts_the_same_in_every_language():
    """The comparison is cached once per dataset for every reader: it holds codes and dates, no words."""
    from mapcore.core import i18n

    english = c.restricted_presence(prohibit_agreements(), sheets(), laws())
    with i18n.using_language("es"):
        spanish = c.restricted_presence(prohibit_agreements(), sheets(), laws())
        said_es = said(english.set_index("agency").loc["Early Police Department"])
    pd.testing.assert_frame_equal(english, spanish)
    assert said_es.startswith("Salió entre el 1 jun 2025 y el 1 sept 2025"), said_es


def test_every_code_the_comparison_gives_has_its_words():
    """analysis.compliance returns codes; words.compliance names each one (a new code needs its words)."""
    assert set(cw.RELATIONS) == set(c.RELATION_CODES)
    assert set(cw.DUE_LABELS) == set(c.DUE_CODES)
    assert set(cw.COUNTY_STATUS_LABELS) == set(c.COUNTY_STATUSES) == set(cw.ROSTER_STATUS_LABELS)
    assert set(cw.ROSTER_SHERIFF_RULES) == set(c.ROSTER_SHERIFF_CODES)


def test_mandate_facts_are_the_same_in_every_language():
    from mapcore.core import i18n

    english = c.mandate_summary(c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES))
    with i18n.using_language("es"):
        spanish = c.mandate_summary(c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES))
        said = cw.mandate_sentence(spanish.iloc[0])
    pd.testing.assert_frame_equal(english, spanish)
    assert said.startswith("En ") and "condados" in said
