"""Law versus practice (mapcore.analysis.compliance): constructed data for each rule, then the real sheets."""

from __future__ import annotations

import pandas as pd
import pytest

from mapcore.analysis import compliance as c
from mapcore.core import tables
from mapcore.core.text import md_text
from mapcore.render import compliance_map as cm
from mapcore.render import maps

# --------------------------------------------------------------------------------------------- fixtures

PUBS = [  # (publication_id, kind, date)
    ("2025-03-01/p1.xlsx", "participating", "2025-03-01"),
    ("2025-06-01/p2.xlsx", "participating", "2025-06-01"),
    ("2025-06-02/q1.xlsx", "pending", "2025-06-02"),
    ("2025-09-01/p3.xlsx", "participating", "2025-09-01"),
    ("2026-01-15/p4.xlsx", "participating", "2026-01-15"),
    ("2026-02-01/q2.xlsx", "pending", "2026-02-01"),
    ("2026-03-01/q3.xlsx", "pending", "2026-03-01"),   # newest pending, after the newest participating sheet
]


def sheets() -> pd.DataFrame:
    return pd.DataFrame({"publication_id": [p[0] for p in PUBS], "kind": [p[1] for p in PUBS],
                         "publication_date": pd.to_datetime([p[2] for p in PUBS]), "sequence": range(len(PUBS))})


def law_row(state, name, status, scope, year, deadline=None, confidence="high"):
    return {"state": state, "state_name": name, "state_fips": "99", "status": status, "scope": scope,
            "laws": "Act 1", "authority": "statute", "effective_year": year,
            "deadline": pd.Timestamp(deadline) if deadline else pd.NaT, "summary": f"{name} law.",
            "source_url": "https://example.org/law", "confidence": confidence, "checked": pd.Timestamp("2026-01-01")}


def laws() -> pd.DataFrame:
    rows = [
        law_row("ZM", "Zedmandate", "mandates", "local", 2026, "2026-12-01"),    # fake mandate state
        law_row("ZS", "Zedstatewide", "mandates", "state", 2024),                # mandate on the state only
        law_row("PB", "Prohibitland", "prohibits", "both", 2025, "2025-08-13"),  # termination deadline
        law_row("PY", "Yearland", "prohibits", "both", 2025),                    # year only
        law_row("PS", "Stateonly", "prohibits", "state", 2025),                  # bans state agencies only
        law_row("NN", "Noneland", "none", None, None),
    ]
    out = pd.DataFrame(rows)
    out["effective_year"] = out["effective_year"].astype("Int64")
    return out


def agreement(pub: int, state: str, agency: str, jtype: str | None, model: str = "WSO", county: str | None = None) -> dict:
    pid, kind, date = PUBS[pub]
    level = {"County": "county", "Municipality": "municipal", "State": "statewide"}.get(jtype, "other")
    return {"publication_id": pid, "kind": kind, "publication_date": pd.Timestamp(date), "state": state,
            "agency": agency, "jurisdiction_type": jtype, "level": level, "county_fips": county,
            "county_name": None, "model": model, "signed": pd.Timestamp("2025-01-10"), "row": 2}


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    for column in ("state", "kind", "jurisdiction_type", "level", "model", "publication_id"):
        out[column] = out[column].astype("category")
    return out


COUNTIES = pd.DataFrame({"GEOID": ["99001", "99003", "99005", "98001"],
                         "name": ["Alpha County", "Beta County", "Gamma County", "Other County"],
                         "state": ["ZM", "ZM", "ZM", "ZS"]})


def mandate_agreements() -> pd.DataFrame:
    rows = []
    for pub in (0, 1, 3, 4):
        rows.append(agreement(pub, "ZM", "Alpha County Sheriff's Office", "County", "JEM", "99001"))
    rows.append(agreement(4, "ZM", "Alpha County Sheriff's Office", "County", "WSO", "99001"))
    rows.append(agreement(4, "ZM", "Beta City Police Department", "Municipality", "TFM", "99003"))
    rows.append(agreement(4, "ZM", "Beta County Constable Precinct 1", "County", "TFM", "99003"))
    rows.append(agreement(2, "ZM", "Gamma County Sheriff's Office", "County", "WSO", "99005"))   # old pending sheet
    rows.append(agreement(5, "ZM", "Beta County Sheriff's Office", "County", "JEM", "99003"))    # not in the newest
    rows.append(agreement(6, "ZM", "Gamma County Sherrif's Office", "County", "WSO", "99005"))   # newest pending
    rows.append(agreement(4, "ZS", "Other County Sheriff's Office", "County", "JEM", "98001"))   # not a local mandate
    return frame(rows)


def prohibit_agreements() -> pd.DataFrame:
    rows = []
    for pub in (0, 1):  # ended before Delaware-style deadline 2025-08-13
        rows.append(agreement(pub, "PB", "Early Police Department", "Municipality", "TFM", "97001"))
    for pub in (0, 1, 3, 4):  # continued after it
        rows.append(agreement(pub, "PB", "Late County Sheriff's Office", "County", "WSO", "97003"))
    for pub in (3, 4):  # appeared after the deadline
        rows.append(agreement(pub, "PB", "New County Sheriff's Office", "County", "JEM", "97005"))
    rows.append(agreement(1, "PY", "Year County Sheriff's Office", "County", "WSO", "96001"))   # gone mid-2025
    rows.append(agreement(4, "PY", "Later County Sheriff's Office", "County", "WSO", "96003"))  # 2026: after 2025
    rows.append(agreement(4, "PS", "Some County Sheriff's Office", "County", "TFM", "95001"))   # outside scope
    rows.append(agreement(4, "PS", "Stateonly Highway Patrol", "State", "TFM"))                 # inside scope
    rows.append(agreement(2, "PB", "Pending County Sheriff's Office", "County", "WSO", "97007"))  # pending: ignored
    rows.append(agreement(4, "NN", "Free County Sheriff's Office", "County", "WSO", "94001"))    # no law: ignored
    return frame(rows)


# --------------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(("agency", "jtype", "expected"), [
    ("Harris County Sheriff's Office", "County", True),
    ("Gamma County Sherrif's Office", "County", True),         # ICE's misspelling
    ("Orange County Corrections Department", "County", True),  # county jail run by a corrections department
    ("Pasco County Jail", "County", True),
    ("Gulf County Board of County Commissioners /Detention Facility", "County", True),
    ("Beta City Police Department", "Municipality", False),
    ("Beta County Constable Precinct 1", "County", False),
    ("Parker County District Attorney's Office", "County", False),
    ("Lee County Port Authority Police", "County", False),
    ("Florida Department of Corrections", "State", False),     # a state agency never counts for a county
    ("Sheriff's Office", None, False),                         # no type: not counted
])
def test_sheriff_rule(agency, jtype, expected):
    one = pd.DataFrame({"agency": [agency], "jurisdiction_type": pd.Series([jtype], dtype="category")})
    assert bool(c.is_sheriff_or_jail(one).iloc[0]) is expected


def test_agency_level_from_level_then_type():
    f = pd.DataFrame({"level": ["county", "municipal", "statewide", "other", "other"],
                      "jurisdiction_type": ["County", "Municipality", "State", "State", None]})
    assert list(c.agency_level(f)) == ["local", "local", "state", "state", "unknown"]


def test_state_lists_follow_status_and_scope():
    assert c.mandate_states(laws()) == ["ZM"]          # ZS mandates the state only
    assert c.restrictive_states(laws()) == ["PB", "PS", "PY"]


# --------------------------------------------------------------------------------------------- mandates


def test_mandate_gaps_three_counties():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    assert list(gaps["GEOID"]) == ["99001", "99003", "99005"]    # only the local-mandate state, every county
    by = gaps.set_index("county")
    assert by.loc["Alpha County", "status"] == c.COVERED
    assert by.loc["Alpha County", "models"] == "JEM, WSO"
    assert bool(by.loc["Alpha County", "JEM"]) and not bool(by.loc["Alpha County", "TFM"])
    assert by.loc["Beta County", "status"] == c.NONE             # a police department does not count
    assert by.loc["Beta County", "other_agreements"] == 2
    assert "Beta City Police Department" in by.loc["Beta County", "other_agencies"]
    assert by.loc["Gamma County", "status"] == c.PENDING
    assert by.loc["Gamma County", "pending_agencies"] == "Gamma County Sherrif's Office"
    assert gaps["deadline"].eq(pd.Timestamp("2026-12-01")).all()
    assert gaps["publication_date"].eq(pd.Timestamp("2026-01-15")).all()          # newest participating
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


def test_mandate_summary_counts_and_models():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    s = c.mandate_summary(gaps).set_index("state").loc["ZM"]
    assert (s["counties"], s["with_sheriff_agreement"], s["without"], s["pending_only"], s["no_agreement_or_application"]) == (3, 1, 2, 1,
        1)
    assert s["pct_covered"] == pytest.approx(33.3)
    assert (s["JEM"], s["WSO"], s["TFM"]) == (1, 1, 0)
    assert s["models_chosen"] == "JEM 1, WSO 1"
    sentence = c.mandate_sentence(s, "Zedmandate")
    assert sentence.startswith("In Zedmandate, 1 of 3 counties (33%)")
    assert "1 have a pending application" in sentence and "2026-12-01" in sentence


# --------------------------------------------------------------------------------------------- restrictive states


def test_restricted_presence_relation_to_the_law():
    p = c.restricted_presence(prohibit_agreements(), sheets(), laws()).set_index("agency")
    assert set(p["state"]) == {"PB", "PY", "PS"}                  # no law / pending rows left out
    early = p.loc["Early Police Department"]
    assert early["last_seen"] == pd.Timestamp("2025-06-01") and not early["active"]
    assert pd.notna(early["listed_after_law"]) and not bool(early["listed_after_law"])
    assert early["relation"] == "before" and bool(early["since_first_sheet"])
    late = p.loc["Late County Sheriff's Office"]
    assert bool(late["active"]) and bool(late["listed_after_law"]) and late["relation"] == "after"
    assert late["first_seen"] == pd.Timestamp("2025-03-01") and late["publications"] == 4
    new = p.loc["New County Sheriff's Office"]
    assert bool(new["first_seen_after_law"]) and not bool(new["since_first_sheet"])
    # year-only law: a listing inside the year is unknown, one after the year is after
    assert pd.isna(p.loc["Year County Sheriff's Office", "listed_after_law"])
    assert p.loc["Year County Sheriff's Office", "relation"] == "during"
    assert p.loc["Later County Sheriff's Office", "relation"] == "after"
    # scope: a ban on state agencies leaves a county agreement outside it
    assert not bool(p.loc["Some County Sheriff's Office", "law_covers"])
    assert p.loc["Some County Sheriff's Office", "relation"] == "outside_scope"
    assert bool(p.loc["Stateonly Highway Patrol", "law_covers"])
    assert p.loc["Stateonly Highway Patrol", "agency_level"] == "state"


def test_restricted_presence_not_yet_when_deadline_is_ahead():
    law = laws()
    law.loc[law["state"] == "PB", "deadline"] = pd.Timestamp("2026-05-20")
    p = c.restricted_presence(prohibit_agreements(), sheets(), law).set_index("agency")
    assert p.loc["Late County Sheriff's Office", "relation"] == "not_yet"
    assert p.loc["Early Police Department", "relation"] == "before"


def test_restricted_series_and_state_table():
    agreements = prohibit_agreements()
    s = c.restricted_series(agreements, sheets(), laws())
    pb = s[s["state"] == "PB"].set_index("publication_date")["agreements"]
    assert list(pb) == [2, 2, 2, 2]
    assert len(s) == 3 * 4                                         # every participating sheet, zeros included
    py = s[s["state"] == "PY"].set_index("publication_date")["agreements"]
    assert list(py) == [0, 1, 0, 1]
    ps = s[s["state"] == "PS"]
    assert ps["covered"].max() == 1 and ps["agreements"].max() == 2
    table = c.restricted_states_table(c.restricted_presence(agreements, sheets(), laws()), laws()).set_index("state")
    assert table.loc["PB", ["ever_listed", "in_newest", "listed_after_law", "gone_before_law"]].tolist() == [3, 2, 2, 1]
    assert table.loc["PS", "outside_scope"] == 1
    assert table.loc["PB", "source_url"] == "https://example.org/law"
    windows = c.law_windows(s, laws()).set_index("state")
    assert windows.loc["PB", "where"] == "inside" and windows.loc["PB", "law_date_basis"] == "deadline"


def test_empty_inputs_give_empty_frames():
    empty = prohibit_agreements().iloc[0:0]
    assert c.restricted_presence(empty, sheets(), laws()).empty
    assert c.restricted_series(empty, sheets(), laws()).empty
    gaps = c.mandate_gaps(empty, sheets(), laws(), COUNTIES)
    assert len(gaps) == 3 and gaps["status"].eq(c.NONE).all()


# --------------------------------------------------------------------------------------------- text, export, map


def test_inference_note_says_what_is_not_inferred():
    assert "not proof of non-compliance" in c.INFERENCE_NOTE
    for reason in ("sheet may lag", "pending", "no jail", "consolidated city-county"):
        assert reason in c.MANDATE_NOTE
    assert any("year" in line for line in c.restricted_caveats())
    assert any("jail" in line for line in c.mandate_caveats())


def test_export_neutralises_formulas_and_dates():
    table = pd.DataFrame({"Agency": ["=HYPERLINK(\"x\")", "Ok"], "Last seen": pd.to_datetime(["2025-01-02", None])})
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


def test_tooltips_escaped_and_palette_distinct():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    row = gaps.iloc[0].copy()
    row["sheriff_agencies"] = "<script>alert(1)</script>"
    tip = cm.county_tip(row)
    assert "<script>" not in tip and "&lt;script&gt;" in tip
    assert len(set(cm.STATUS_COLORS.values())) == 3
    legend = cm.legend_html({"covered": 1, "pending": 1, "none": 1})
    assert "not proof of non-compliance" in legend


def test_compliance_map_renders_real_state():
    gaps = c.mandate_gaps(mandate_agreements(), sheets(), laws(), COUNTIES)
    gaps = gaps.assign(state="DE", GEOID=["10001", "10003", "10005"])   # real Delaware counties
    html = maps.map_html(cm.compliance_map(gaps, ("DE",)))
    assert "#0072B2" in html and "#E69F00" in html and "Sheriff or county jail agreement listed" in html
    assert "Beta City Police Department" in html                   # other agreements named in the tooltip


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
    for _state, row in summary.iterrows():
        assert row["with_sheriff_agreement"] + row["without"] == row["counties"]
        assert row["with_sheriff_agreement"] <= row["JEM"] + row["WSO"] + row["TFM"]


@pytest.mark.acceptance
def test_real_restrictive_states(real):
    presence = c.restricted_presence(real.agreements, real.sheets, real.laws)
    table = c.restricted_states_table(presence, real.laws)
    listed = table[table["ever_listed"] > 0].set_index("state")
    print()
    print(listed[["law_status", "law_scope", "effective_year", "deadline", "ever_listed", "in_newest",
                  "listed_after_law", "in_law_year", "gone_before_law", "outside_scope"]].to_string())
    for state in listed.index:
        for _, row in presence[presence["state"] == state].iterrows():
            print(f"  {state}: {c.presence_sentence(row)}")
    # Maryland's 2026 ban: the nine county agreements (sheriffs and, briefly, a county jail)
    md = presence[presence["state"] == "MD"]
    assert 8 <= len(md) <= 11
    assert md["last_seen"].max() >= pd.Timestamp("2026-01-01")
    # Delaware: agreements had to end by 2025-08-13; none is listed after it
    de = presence[presence["state"] == "DE"]
    assert not de["listed_after_law"].eq(True).any()
    # States with long-standing bans (California, Illinois, New Jersey, Oregon, Washington) list none
    assert not set(listed.index) & {"CA", "IL", "NJ", "OR", "WA"}
    assert (presence["first_seen"] <= presence["last_seen"]).all()
