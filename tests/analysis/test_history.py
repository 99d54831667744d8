"""Agreement identity and diffs across publications (mapcore.analysis.history)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapcore.analysis import history, query
from mapcore.build import agreement_keys
from mapcore.core import tables
from mapcore.words.history import renewal_words

HARRIS = "Harris County Sheriff's Office"


def rec(agency=HARRIS, model="JEM", signed="2025-03-01", state="TX", county="48201", **extra) -> dict:
    return {"state": state, "agency": agency, "model": model, "signed": signed, "county_fips": county, **extra}


def publications(*pubs: list[dict], kind: str = "participating", start: str = "2025-07-01") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreements and sheets tables for consecutive daily publications of one kind."""
    frames, sheets = [], []
    for seq, rows in enumerate(pubs):
        date = pd.Timestamp(start) + pd.Timedelta(days=seq)
        pid = f"{date:%Y-%m-%d}/{kind}Agencies{date:%m%d%Y}am.xlsx@{seq:08d}"
        frame = pd.DataFrame(rows, columns=["state", "agency", "model", "signed", "county_fips"])
        frames.append(frame.assign(publication_id=pid, publication_date=date, kind=kind, row=range(2, len(frame) + 2)))
        sheets.append({"publication_id": pid, "kind": kind, "publication_date": date, "sequence": seq, "agreements": len(frame)})
    agreements = pd.concat(frames, ignore_index=True)
    agreements["signed"] = pd.to_datetime(agreements["signed"])
    return agreements, pd.DataFrame(sheets)


def ids(sheets: pd.DataFrame) -> list[str]:
    return list(sheets.sort_values("sequence")["publication_id"])


def pair_diff(earlier: list[dict], later: list[dict]) -> history.Diff:
    agreements, sheets = publications(earlier, later)
    a, b = ids(sheets)
    return history.diff_between(agreements, sheets, a, b)


def assert_identity(diff: history.Diff) -> None:
    assert diff.count_after == diff.count_before + len(diff.added) - len(diff.removed)


# --- name rules ----------------------------------------------------------------------------------


def test_key_is_state_agency_and_model_without_the_signed_date():
    frame = pd.DataFrame([rec(), rec(signed="2026-01-01"), rec(model="TFM"), rec(state="FL")]).assign(
        publication_id="p", publication_date=pd.Timestamp("2025-07-01")
    )
    keys = agreement_keys.agreement_key(frame)
    assert keys[0] == keys[1] == "TX|harris county sheriffs office|JEM"
    assert keys.nunique() == 3


def test_a_typo_corrected_in_the_next_publication_is_the_same_agreement():
    typo = rec(agency="Christian County Sherrif's Office", county="29043", state="MO")
    fixed = rec(agency="Christian County Sheriff's Office", county="29043", state="MO")
    diff = pair_diff([rec(), typo], [rec(), fixed])
    assert diff.added.empty and diff.removed.empty
    agreements, sheets = publications([typo], [fixed])
    assert agreement_keys.agreement_key(agreements, sheets).nunique() == 1
    assert agreement_keys.with_identity(agreements, sheets)["agency_norm"].iloc[0] == "christian county sheriffs office"


def test_fuzzy_step_is_conservative():
    lee, lea = rec(agency="Lee County Sheriff's Office", county="12071"), rec(agency="Lea County Sheriff's Office", county="35025")
    assert len(pair_diff([lee], [lea]).added) == 1, "placed in different counties: two agencies"
    redated = rec(agency="Christian County Sheriff's Office", signed="2025-09-01", county=None)
    typo = rec(agency="Christian County Sherrif's Office", county=None)
    assert len(pair_diff([typo], [redated]).added) == 1, "typo fix and new date at once: not merged"
    side_by_side = [rec(agency="Lake City Police Department"), rec(agency="Lake Citi Police Department")]
    diff = pair_diff([side_by_side[0]], side_by_side)
    assert len(diff.added) == 1, "names listed side by side are two agencies"
    other_model = pair_diff([typo], [rec(agency="Christian County Sheriff's Office", model="TFM", county=None)])
    assert len(other_model.added) == 1 and len(other_model.removed) == 1


# --- pair diffs -----------------------------------------------------------------------------------


def test_curly_apostrophe_and_repunctuation_is_not_a_change():
    diff = pair_diff(
        [rec(), rec(agency="Harris County Sheriff's Office", model="TFM")],
        [rec(agency="Harris County Sheriff’s Office"), rec(agency="HARRIS CO. SHERIFFS OFFICE", model="TFM")],
    )
    assert diff.counts()["total"].to_dict() == {"added": 0, "removed": 0, "renewed": 0, "switched": 0}


def test_a_re_dated_signature_is_renewed_not_added_and_removed():
    diff = pair_diff([rec(signed="2025-03-01")], [rec(signed="2026-03-01")])
    assert diff.added.empty and diff.removed.empty
    assert len(diff.renewed) == 1
    renewed = diff.renewed.iloc[0]
    assert renewed["signed_before"] == pd.Timestamp("2025-03-01") and renewed["signed"] == pd.Timestamp("2026-03-01")
    assert renewed["note"] == "re_signed"
    assert renewal_words(renewed["note"]) == "re-signed (later date)"
    assert_identity(diff)


def test_a_model_change_is_switched_and_its_rows_stay_in_added_and_removed():
    diff = pair_diff(
        [rec(model="TFM"), rec(agency="Dallas County Sheriff's Office", county="48113")],
        [rec(model="WSO"), rec(agency="Dallas County Sheriff's Office", county="48113")],
    )
    assert len(diff.switched) == 1
    switched = diff.switched.iloc[0]
    assert (switched["models_before"], switched["models_after"], switched["gained"], switched["lost"]) == ("TFM", "WSO", "WSO", "TFM")
    assert list(diff.added["model"]) == ["WSO"] and bool(diff.added["switched"].iloc[0])
    assert list(diff.removed["model"]) == ["TFM"] and bool(diff.removed["switched"].iloc[0])
    counts = diff.counts()
    assert counts.at["switched", "total"] == 1 and counts.at["switched", "TFM"] == 1 and counts.at["switched", "WSO"] == 1
    assert_identity(diff)


def test_a_new_agency_is_added_not_switched():
    diff = pair_diff([rec()], [rec(), rec(agency="Houston Police Department", model="TFM")])
    assert len(diff.added) == 1 and diff.switched.empty and not diff.added["switched"].any()


def test_duplicates_are_counted_with_multiplicity():
    diff = pair_diff([rec(), rec(), rec(signed="2025-04-01")], [rec(), rec(signed="2026-01-01")])
    assert (len(diff.added), len(diff.removed), len(diff.renewed)) == (0, 1, 1)
    assert_identity(diff)
    diff = pair_diff([rec()], [rec(), rec(), rec()])
    assert len(diff.added) == 2
    assert_identity(diff)


def test_absent_then_back_is_flagged_not_removed_for_good():
    dallas = rec(agency="Dallas County Sheriff's Office", county="48113")
    agreements, sheets = publications([rec(), dallas], [rec()], [rec(), dallas], [rec()])
    p1, p2, p3, p4 = ids(sheets)
    gone = history.diff_between(agreements, sheets, p1, p2)
    assert len(gone.removed) == 1
    assert bool(gone.removed["returns_later"].iloc[0]) and gone.removed["back_in"].iloc[0] == pd.Timestamp("2025-07-03")
    back = history.diff_between(agreements, sheets, p2, p3)
    assert len(back.added) == 1 and bool(back.added["seen_before"].iloc[0])
    final = history.diff_between(agreements, sheets, p3, p4)
    assert not final.removed["returns_later"].iloc[0] and pd.isna(final.removed["back_in"].iloc[0])
    seen = history.first_last_seen(agreements, sheets).set_index("agency")
    assert seen.loc["Dallas County Sheriff's Office", "gaps"] == 1
    assert not seen.loc["Dallas County Sheriff's Office", "active"] and seen.loc[HARRIS, "active"]
    assert seen.loc["Dallas County Sheriff's Office", "publications"] == 2


def test_state_filter_and_any_two_publications():
    florida = rec(state="FL", agency="Florida Highway Patrol", model="TFM", county=None)
    agreements, sheets = publications([rec()], [rec(), florida], [rec(), florida, rec(model="TFM")])
    p1, _, p3 = ids(sheets)
    assert len(history.diff_between(agreements, sheets, p1, p3).added) == 2
    only_fl = history.diff_between(agreements, sheets, p1, p3, states=["FL"])
    assert list(only_fl.added["agency"]) == ["Florida Highway Patrol"] and only_fl.count_before == 0


def test_consecutive_synthetic_publications_satisfy_the_count_identity():
    names = ["Harris County Sheriff's Office", "Harris County Sheriff’s Office", "Dallas County Sheriff's Office"]
    pubs = [
        [
            rec(agency=names[(i + j) % 3], model=["JEM", "WSO", "TFM"][(i * j) % 3], signed=f"2025-0{1 + (i + j) % 3}-01")
            for j in range(i % 4 + 1)
        ]
        for i in range(8)
    ]
    agreements, sheets = publications(*pubs)
    diffs = list(history.consecutive_diffs(agreements, sheets))
    assert len(diffs) == len(pubs) - 1  # every consecutive pair is checked, none skipped
    for _, _, diff in diffs:
        assert_identity(diff)


row_strategy = st.tuples(
    st.sampled_from(["Harris County Sheriff's Office", "harris county sheriff’s office", "Dallas County Sheriff's Office", "Waco PD"]),
    st.sampled_from(["JEM", "WSO", "TFM"]),
    st.sampled_from(["2025-03-01", "2025-06-01", None]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(row_strategy, max_size=8), st.lists(row_strategy, max_size=8))
def test_count_identity_holds_for_any_two_publications(earlier, later):
    diff = pair_diff(
        [rec(agency=a, model=m, signed=s, county=None) for a, m, s in earlier],
        [rec(agency=a, model=m, signed=s, county=None) for a, m, s in later],
    )
    assert_identity(diff)
    assert len(diff.renewed) <= min(len(earlier), len(later))


# --- timelines -------------------------------------------------------------------------------------


def test_active_by_publication_and_cumulative_signings():
    agreements, sheets = publications(
        [rec(), rec(model="TFM", signed="2025-05-01")],
        [rec(signed="2026-01-01"), rec(model="TFM", signed="2025-05-01"), rec(agency="Waco PD", model="TFM", signed="2025-06-01")],
    )
    growth = history.active_by_publication(agreements, sheets)
    assert growth[["JEM", "WSO", "TFM", "total"]].to_dict("records") == [
        {"JEM": 1, "WSO": 0, "TFM": 1, "total": 2},
        {"JEM": 1, "WSO": 0, "TFM": 2, "total": 3},
    ]
    signings = history.cumulative_signings(agreements, sheets)
    assert signings["total"].iloc[-1] == 3, "three distinct agreements, the renewed one once"
    assert signings.iloc[0]["signed"] == pd.Timestamp("2025-03-01"), "at its earliest signed date"
    assert signings.set_index("signed").loc[pd.Timestamp("2025-06-01"), "TFM"] == 2


def test_pending_history_says_whether_the_agency_later_participates():
    waco = rec(agency="Waco Police Department", model="TFM", signed=None, county="48309")
    plano = rec(agency="Plano Police Department", model="TFM", signed=None, county="48085")
    pending, pending_sheets = publications([waco, plano], [plano], kind="pending")
    part, part_sheets = publications([rec()], [rec(), rec(agency="Waco PD", model="JEM", county="48309")], start="2025-07-05")
    part_sheets["sequence"] += 10
    agreements = pd.concat([pending, part], ignore_index=True)
    sheets = pd.concat([pending_sheets, part_sheets], ignore_index=True)
    table = history.pending_history(agreements, sheets).set_index("agency")
    assert table.loc["Waco Police Department", "later_participating"]
    assert table.loc["Waco Police Department", "participating_since"] == pd.Timestamp("2025-07-06")
    assert pd.isna(table.loc["Waco Police Department", "model_participating_since"]), "participating under JEM, applied for TFM"
    assert not table.loc["Waco Police Department", "still_pending"]
    assert table.loc["Plano Police Department", "still_pending"] and not table.loc["Plano Police Department", "later_participating"]
    assert table.loc["Plano Police Department", "first_pending"] == pd.Timestamp("2025-07-01")


def test_no_pending_sheets_give_an_empty_pending_history():
    agreements, sheets = publications([rec()])
    assert history.pending_history(agreements, sheets).empty
    assert history.first_last_seen(agreements, sheets, "pending").empty


def test_diff_table_keeps_the_change_columns_and_neutralises_text():
    diff = pair_diff([rec(signed="2025-03-01")], [rec(signed="2026-03-01"), rec(agency="=HYPERLINK(1)", model="TFM")])
    table = history.diff_table(diff)
    assert set(table["change"]) == {"added", "renewed"}
    assert "'=HYPERLINK(1)" in set(table["agency"])
    # dates stay dates until the writer: ISO text in a CSV, an Excel date in a workbook
    assert str(table.loc[table["change"] == "renewed", "signed_before"].iloc[0]) == "2025-03-01"
    assert tables.table_bytes(table, "csv").startswith(b"state,agency") and b",2025-03-01," in tables.table_bytes(table, "csv")
    assert tables.table_bytes(table, "xlsx")[:2] == b"PK"


# --- the real sheets ---------------------------------------------------------------------------------


@pytest.mark.acceptance
def test_every_consecutive_pair_of_shared_publications_satisfies_the_count_identity(shared_dataset):
    keyed = agreement_keys.with_identity(shared_dataset.agreements, shared_dataset.sheets)
    totals = {"pairs": 0, "added": 0, "removed": 0, "renewed": 0, "switched": 0}
    for earlier, later, diff in history.consecutive_diffs(keyed, shared_dataset.sheets):
        counts = shared_dataset.sheets.set_index("publication_id")["agreements"]
        assert (diff.count_before, diff.count_after) == (counts[earlier], counts[later])
        assert diff.count_after == diff.count_before + len(diff.added) - len(diff.removed), (earlier, later)
        totals["pairs"] += 1
        for change in ("added", "removed", "renewed", "switched"):
            totals[change] += len(getattr(diff, change))
    participating = query.publications(shared_dataset.sheets)
    assert totals["pairs"] == len(participating) - 1
    first, last = participating["agreements"].iloc[0], participating["agreements"].iloc[-1]
    assert last == first + totals["added"] - totals["removed"]
    print(f"consecutive participating pairs: {totals}")


@pytest.mark.acceptance
def test_shared_timeline_is_consistent(shared_dataset):
    keyed = agreement_keys.with_identity(shared_dataset.agreements, shared_dataset.sheets)
    seen = history.first_last_seen(keyed, shared_dataset.sheets)
    growth = history.active_by_publication(keyed, shared_dataset.sheets)
    latest = query.publication_rows(keyed, query.latest_publication_id(shared_dataset.sheets))
    assert growth["total"].iloc[-1] == len(latest)
    assert seen["active"].sum() == latest["key"].nunique()
    signings = history.cumulative_signings(keyed, shared_dataset.sheets)
    assert signings["total"].iloc[-1] + signings.attrs["undated"] == len(seen)
    pending = history.pending_history(keyed, shared_dataset.sheets)
    assert len(pending) and pending["first_pending"].le(pending["last_pending"]).all()


def test_publication_gaps_are_two_weeks_or_more_between_sheets():
    """A gap in the publication record is found, never bridged by a trend."""
    sheets = pd.DataFrame(
        {
            "kind": ["participating"] * 4 + ["pending"],
            "publication_date": pd.to_datetime(["2025-04-01", "2025-04-04", "2025-09-10", "2025-09-12", "2025-06-01"]),
        }
    )
    gaps = history.publication_gaps(sheets)
    assert gaps.to_dict("records") == [{"start": pd.Timestamp("2025-04-04"), "end": pd.Timestamp("2025-09-10"), "days": 159}]
    assert history.publication_gaps(sheets.iloc[:1]).empty
