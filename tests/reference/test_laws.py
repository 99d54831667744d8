"""The state-law table and its validator (the law on a day: tests/analysis/test_law_on_day.py; its words:
tests/words/test_law_words.py; the map layer: tests/render/test_law_layer.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pandas as pd
import pytest

from mapcore.reference.laws import LAW_COLUMNS, LAWS_PATH, STATUS_ORDER, LawTableError, load_laws, low_confidence, validate_laws

MUST_HOLD = {
    "CA": "prohibits",
    "IL": "prohibits",
    "WA": "prohibits",
    "OR": "prohibits",
    "NJ": "prohibits",
    "NY": "prohibits",
    "MD": "prohibits",
    "NM": "prohibits",
    "DE": "prohibits",
    "VA": "restricts",
    "VT": "restricts",
    "CT": "restricts",
    "FL": "mandates",
    "TX": "mandates",
    "GA": "mandates",
    "OK": "mandates",
    "SC": "mandates",
}


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return load_laws()


@pytest.fixture()
def raw() -> pd.DataFrame:
    return pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False)


def _line(df: pd.DataFrame, code: str) -> int:
    """CSV line number of a state's row (header is line 1)."""
    return int(df.index[df["state"] == code][0]) + 2


# ------------------------------------------------------------------ the real table


def test_real_table_loads_typed(laws: pd.DataFrame) -> None:
    assert tuple(laws.columns) == LAW_COLUMNS
    assert len(laws) == 51 and laws["state"].is_unique
    assert isinstance(laws["status"].dtype, pd.CategoricalDtype)
    assert laws["status"].cat.ordered and tuple(laws["status"].cat.categories) == STATUS_ORDER
    assert str(laws["effective_year"].dtype) == "Int64"
    assert str(laws["effective_date"].dtype) == "datetime64[ns]" and str(laws["deadline"].dtype) == "datetime64[ns]"
    assert laws["prior_status"].cat.ordered and tuple(laws["prior_status"].cat.categories) == STATUS_ORDER
    assert str(laws["enacted"].dtype) == "datetime64[ns]" and str(laws["applies_to"].dtype) == "string"
    assert laws["checked"].eq(pd.Timestamp("2026-12-06")).all()
    assert laws["state_fips"].str.fullmatch(r"\d{2}").all()


def test_must_hold_statuses(laws: pd.DataFrame) -> None:
    got = laws.set_index("state")["status"].astype(str).to_dict()
    assert {code: got[code] for code in MUST_HOLD} == MUST_HOLD


def test_every_status_in_use(laws: pd.DataFrame) -> None:
    assert set(laws["status"].astype(str)) == set(STATUS_ORDER)


def test_non_none_rows_have_laws_and_source(laws: pd.DataFrame) -> None:
    active = laws[laws["status"] != "none"]
    assert active["laws"].notna().all() and active["laws"].str.strip().ne("").all()
    assert active["source_url"].str.match(r"https?://").all()
    assert active["scope"].notna().all()
    assert laws.loc[laws["status"] == "none", "scope"].isna().all()


def test_deadlines_only_where_the_reference_gives_a_day(laws: pd.DataFrame) -> None:
    got = laws.dropna(subset=["deadline"]).set_index("state")["deadline"].dt.strftime("%Y-%m-%d")
    assert got.to_dict() == {
        "DE": "2025-08-13",
        "FL": "2023-01-01",
        "MD": "2026-07-01",
        "MS": "2026-10-01",
        "NE": "2025-05-31",
        "NY": "2026-08-25",
        "TX": "2026-12-01",
    }


def test_third_edition_facts(laws: pd.DataFrame) -> None:
    """The third research pass (reference state_laws_changes.md, "Third pass"), as the table stores them."""
    by = laws.set_index("state")
    day = lambda code, col: None if pd.isna(by.at[code, col]) else f"{by.at[code, col]:%Y-%m-%d}"  # noqa: E731
    assert (by.at["MS", "status"], by.at["MS", "prior_status"], by.at["MS", "confidence"]) == ("mandates", "requires_cooperation", "low")
    assert (day("MS", "enacted"), day("MS", "effective_date"), day("MS", "deadline")) == ("2026-04-08", "2026-07-01", "2026-10-01")
    assert (day("TN", "enacted"), day("TN", "effective_date"), by.at["TN", "prior_status"]) == ("2026-05-26", None, "requires_cooperation")
    assert (day("ME", "enacted"), day("ME", "effective_date")) == ("2026-01-11", "2026-07-29")
    assert (day("VA", "enacted"), day("VA", "effective_date")) == ("2026-04-22", "2026-07-01")
    assert (day("AR", "enacted"), day("AR", "effective_date")) == ("2025-04-21", "2025-08-05")
    assert by.at["AR", "prior_status"] == "requires_cooperation"
    assert (day("FL", "effective_date"), day("FL", "deadline")) == ("2022-06-17", "2023-01-01")
    assert {code: day(code, "effective_date") for code in ("OR", "CO", "AZ", "NC")} == {
        "OR": "2021-07-19",
        "CO": "2019-05-28",
        "AZ": "2010-07-29",
        "NC": "2024-12-01",
    }
    assert (day("MD", "effective_date"), day("MD", "deadline")) == ("2026-02-17", "2026-07-01")
    assert by.at["MA", "applies_to"] == "new_agreements"
    assert set(by.loc[by.index != "MA", "applies_to"].dropna()) == {"all"}
    # Georgia: 2024-05-01 is the signing day, not a day of effect
    assert (day("GA", "enacted"), day("GA", "effective_date"), by.at["GA", "effective_year"]) == ("2024-05-01", None, 2024)
    # Maryland: no count of agreements that could disagree with ICE's sheets
    assert not any(word in by.at["MD", "summary"].lower() for word in ("nine", " 9 ", "eight", " 8 "))


def test_dates_in_order_and_applies_to_where_a_law_reaches_agreements(laws: pd.DataFrame) -> None:
    enacted, effective, deadline = laws["enacted"], laws["effective_date"], laws["deadline"]
    assert not (enacted > effective).any() and not (effective > deadline).any() and not (enacted > deadline).any()
    reaching = laws["status"].isin(["prohibits", "restricts", "mandates"])
    assert laws.loc[reaching, "applies_to"].notna().all() and laws.loc[~reaching, "applies_to"].isna().all()


def test_facts_of_the_second_edition(laws: pd.DataFrame) -> None:
    """The corrected rows of the second research pass, as the table stores them."""
    by = laws.set_index("state")
    day = lambda code, col: f"{by.at[code, col]:%Y-%m-%d}"  # noqa: E731
    assert (day("NY", "effective_date"), day("NY", "deadline"), by.at["NY", "prior_status"]) == ("2026-05-27", "2026-08-25", "restricts")
    assert (day("MD", "effective_date"), by.at["MD", "prior_status"]) == ("2026-02-17", "restricts")
    assert (day("NM", "effective_date"), by.at["NM", "prior_status"]) == ("2026-05-20", "none")
    assert (day("DE", "effective_date"), day("DE", "deadline"), by.at["DE", "prior_status"]) == ("2025-07-14", "2025-08-13", "none")
    assert by.loc[["OK", "SC"], "scope"].tolist() == ["state", "state"]
    assert by.at["HI", "confidence"] == "low" and pd.notna(by.at["HI", "pending"])
    for code in ("ME", "TN", "VA"):  # laws of 2026 (third pass: ME and VA have a day of effect, TN only the day it became law)
        assert pd.notna(by.at[code, "enacted"]) and by.at[code, "effective_year"] == 2026, code
    assert "may date from 2026-08-25" in by.at["NY", "evidence"]


def test_every_dated_law_since_2025_has_a_prior_status(laws: pd.DataFrame) -> None:
    recent = laws[laws["effective_date"] > pd.Timestamp("2024-12-31")]
    assert len(recent) >= 10
    # Maine's and Virginia's status changed more than once before their 2026 laws: no single prior value, said in evidence
    unknown = sorted(recent.loc[recent["prior_status"].isna(), "state"])
    assert unknown == ["ME", "VA"]
    assert all("not recorded here" in laws.set_index("state").at[code, "evidence"] for code in unknown)


def test_low_confidence_rows_flagged(laws: pd.DataFrame) -> None:
    mask = low_confidence(laws)
    assert mask.any()
    assert mask.tolist() == (laws["confidence"] == "low").tolist()
    assert {"CT", "HI", "RI"} <= set(laws.loc[mask, "state"])


def test_summaries_one_line(laws: pd.DataFrame) -> None:
    assert laws["summary"].str.strip().ne("").all()
    assert not laws["summary"].str.contains(r"[\r\n]").any()


def test_typed_table_passes_validation_again(laws: pd.DataFrame) -> None:
    """The loaded (typed) table is still valid, and the validator still reads typed values: a bad state
    code in it is caught."""
    validate_laws(laws)
    broken = laws.assign(state=laws["state"].astype(object))
    broken.loc[broken.index[0], "state"] = "ZZ"
    with pytest.raises(LawTableError, match="ZZ"):
        validate_laws(broken)


# ------------------------------------------------------------------ the validator

Mutation = Callable[[pd.DataFrame], pd.DataFrame]
HEADER = "<header>"


def _set(code: str, field: str, value: str) -> Mutation:
    def mutate(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[df["state"] == code, field] = value
        return df

    return mutate


def _drop_state(code: str) -> Mutation:
    return lambda df: df[df["state"] != code].reset_index(drop=True)


def _drop_column(col: str) -> Mutation:
    return lambda df: df.drop(columns=[col])


BAD_ROWS: list[tuple[str, Mutation, str | None, str]] = [
    # (id, mutation, state whose row is named (HEADER: line 1; None: the whole table), field)
    ("wrong-status", _set("TX", "status", "banned"), "TX", "status"),
    ("bad-scope", _set("TX", "scope", "county"), "TX", "scope"),
    ("no-scope-on-active", _set("TX", "scope", ""), "TX", "scope"),
    ("scope-on-none", _set("AK", "scope", "local"), "AK", "scope"),
    ("missing-laws", _set("CA", "laws", ""), "CA", "laws"),
    ("blank-laws", _set("CA", "laws", "   "), "CA", "laws"),
    ("missing-source", _set("CA", "source_url", ""), "CA", "source_url"),
    ("javascript-source", _set("CA", "source_url", "javascript:alert(1)"), "CA", "source_url"),
    ("ftp-source", _set("IL", "source_url", "ftp://example.org/law.pdf"), "IL", "source_url"),
    ("bad-fips", _set("TX", "state_fips", "47"), "TX", "state_fips"),
    ("unpadded-fips", _set("AK", "state_fips", "2"), "AK", "state_fips"),
    ("wrong-name", _set("TX", "state_name", "Tejas"), "TX", "state_name"),
    ("duplicate-state", _set("TX", "state", "CA"), "TX", "state"),
    ("blank-state", _set("TX", "state", ""), "TX", "state"),
    ("not-a-state", _set("TX", "state", "PR"), "TX", "state"),
    ("missing-state", _drop_state("WY"), None, "state"),
    ("bad-year", _set("TX", "effective_year", "20x6"), "TX", "effective_year"),
    ("old-year", _set("TX", "effective_year", "1066"), "TX", "effective_year"),
    ("float-year", _set("TX", "effective_year", "2026.0"), "TX", "effective_year"),
    ("bad-confidence", _set("TX", "confidence", "certain"), "TX", "confidence"),
    ("bad-authority", _set("TX", "authority", "decree"), "TX", "authority"),
    ("authority-on-none", _set("AK", "authority", "statute"), "AK", "authority"),
    ("bad-deadline", _set("TX", "deadline", "12/01/2026"), "TX", "deadline"),
    ("impossible-deadline", _set("TX", "deadline", "2026-02-30"), "TX", "deadline"),
    ("bad-checked", _set("TX", "checked", "2026-11"), "TX", "checked"),
    ("missing-column", _drop_column("deadline"), HEADER, "deadline"),
    ("missing-new-column", _drop_column("prior_status"), HEADER, "prior_status"),
    ("bad-effective-date", _set("NY", "effective_date", "2026-5-27"), "NY", "effective_date"),
    ("impossible-effective-date", _set("NY", "effective_date", "2026-02-30"), "NY", "effective_date"),
    ("effective-date-as-text", _set("NY", "effective_date", "May 27, 2026"), "NY", "effective_date"),
    ("year-disagrees-with-day", _set("NY", "effective_year", "2025"), "NY", "effective_year"),
    ("day-without-year", _set("NY", "effective_year", ""), "NY", "effective_year"),
    ("deadline-before-law", _set("NY", "deadline", "2026-01-01"), "NY", "deadline"),
    ("prior-status-without-date", _set("HI", "prior_status", "none"), "HI", "prior_status"),
    ("bad-enacted", _set("TN", "enacted", "26 May 2026"), "TN", "enacted"),
    ("impossible-enacted", _set("TN", "enacted", "2026-02-30"), "TN", "enacted"),
    ("enacted-after-effective", _set("ME", "enacted", "2026-08-01"), "ME", "effective_date"),
    ("enacted-after-deadline", _set("NY", "enacted", "2026-09-01"), "NY", "deadline"),
    ("enacted-after-year", _set("TN", "effective_year", "2025"), "TN", "effective_year"),
    ("enacted-without-year", lambda df: _set("GA", "effective_year", "")(df), "GA", "effective_year"),
    ("deadline-before-enacted", _set("MS", "deadline", "2026-04-01"), "MS", "deadline"),
    ("applies-to-missing", _set("TX", "applies_to", ""), "TX", "applies_to"),
    ("applies-to-off-list", _set("MA", "applies_to", "new"), "MA", "applies_to"),
    ("applies-to-on-none", _set("AK", "applies_to", "all"), "AK", "applies_to"),
    ("applies-to-on-cooperation", _set("AL", "applies_to", "all"), "AL", "applies_to"),
    ("missing-enacted-column", _drop_column("enacted"), HEADER, "enacted"),
    ("missing-applies-column", _drop_column("applies_to"), HEADER, "applies_to"),
    ("prior-status-off-scale", _set("NY", "prior_status", "limits"), "NY", "prior_status"),
    ("missing-source-non-none", _set("NY", "source_url", ""), "NY", "source_url"),
    ("empty-evidence", _set("TX", "evidence", " "), "TX", "evidence"),
    ("multi-line-evidence", _set("TX", "evidence", "a\r\nb"), "TX", "evidence"),
    ("multi-line-pending", _set("HI", "pending", "a\nb"), "HI", "pending"),
    ("extra-column", lambda df: df.assign(notes="x"), HEADER, "notes"),
    ("multi-line-summary", _set("TX", "summary", "first line\nsecond line"), "TX", "summary"),
    ("empty-summary", _set("TX", "summary", ""), "TX", "summary"),
]


@pytest.mark.parametrize(("mutate", "state", "field"), [pytest.param(m, s, f, id=i) for i, m, s, f in BAD_ROWS])
def test_validator_rejects_bad_rows(tmp_path, raw: pd.DataFrame, mutate: Mutation, state: str | None, field: str) -> None:
    line = 1 if state == HEADER else _line(raw, state) if state else None
    path = tmp_path / "state_laws.csv"
    mutate(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError) as caught:
        load_laws(path)
    err = caught.value
    assert isinstance(err, ValueError)
    assert any(p.field == field for p in err.problems), str(err)
    if line is not None:
        assert any(p.row == line and p.field == field for p in err.problems), str(err)
        assert f"state_laws.csv, row {line}, field {field}: " in str(err)
    else:
        assert f"state_laws.csv, field {field}: " in str(err)


def test_error_message_reads_as_documented(tmp_path, raw: pd.DataFrame) -> None:
    path = tmp_path / "state_laws.csv"
    _set("TX", "status", "banned")(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError) as caught:
        load_laws(path)
    line = _line(raw, "TX")
    assert str(caught.value) == (
        f"state_laws.csv, row {line}, field status: 'banned' is not one of prohibits, restricts, none, requires_cooperation, mandates"
    )
    assert (caught.value.row, caught.value.field) == (line, "status")


def test_missing_state_is_named(tmp_path, raw: pd.DataFrame) -> None:
    path = tmp_path / "state_laws.csv"
    _drop_state("WY")(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError, match=r"field state: missing WY"):
        load_laws(path)


def test_mapcore_law_modules_do_not_import_streamlit() -> None:
    code = (
        "import sys, mapcore.reference.laws, mapcore.analysis.law_on_day, mapcore.words.law, mapcore.render.law_layer; "
        "sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
