"""Publication dates from ICE's file names, checked against content and the workbook's save time."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapcore.sheets.pubdate import publication_date

D = dt.date


@pytest.mark.parametrize(
    "name, expected",
    [
        ("participatingAgencies04302026am.xlsx", D(2026, 4, 30)),
        ("pendingAgencies02272026am.xlsx", D(2026, 2, 27)),
        ("participatingAgencies10232025mid.xlsx", D(2025, 10, 23)),
        ("participatingAgencies08192025pm2.xlsx", D(2025, 8, 19)),
        ("participatingAgencies08192025pm_b.xlsx", D(2025, 8, 19)),
        ("participatingAgencies08192025amB.xlsx", D(2025, 8, 19)),
        ("participatingAgencies04232026.xlsx", D(2026, 4, 23)),
        ("participatingAgencies-20250221214937.xlsx", D(2025, 2, 21)),
        ("287gParticipatingAgencies091526pm.xlsx", D(2026, 9, 15)),
        ("ParticipatingAgency091826am.xlsx", D(2026, 9, 18)),
        ("ParticipatingAgencies09212026pm.xlsx", D(2026, 9, 21)),
        ("participatingAgencies060920263pm.xlsx", D(2026, 6, 9)),
    ],
)
def test_dates_from_ice_file_names(name, expected):
    result = publication_date(name)
    assert result.date == expected
    assert result.method in {"name", "name_stamp"}


def test_year_typo_corrected_by_content():
    result = publication_date("participatingAgencies01062025pm.xlsx", latest_signed=D(2025, 12, 30))
    assert (result.date, result.method) == (D(2026, 1, 6), "year_typo")


def test_year_typo_corrected_by_save_time_when_there_is_no_signed_column():
    result = publication_date("pendingAgencies01062025pm.xlsx", saved=dt.datetime(2026, 1, 6, 22, 3))
    assert (result.date, result.method) == (D(2026, 1, 6), "year_typo")


def test_a_sheet_resaved_long_after_keeps_its_name_date():
    result = publication_date("participatingAgencies07092025am.xlsx", saved=dt.datetime(2026, 11, 28, 9, 0))
    assert (result.date, result.method) == (D(2025, 7, 9), "name")


@pytest.mark.parametrize(
    "name, saved, expected",
    [
        ("participatingAgencies090022025am.xlsx", dt.datetime(2025, 9, 2, 12, 11), D(2025, 9, 2)),
        ("pendingAgencies10223025am.xlsx", dt.datetime(2025, 10, 23, 0, 7), D(2025, 10, 23)),
    ],
)
def test_garbled_digits_repaired_near_the_save_time(name, saved, expected):
    result = publication_date(name, saved=saved)
    assert (result.date, result.method) == (expected, "repaired")


def test_unrepairable_name_falls_back_to_save_time_then_file_time():
    saved = dt.datetime(2025, 11, 14, 9, 30)
    assert publication_date("participatingAgencies11114025am.xlsx", saved=saved).method == "saved_time"
    assert publication_date("participatingAgencies11114025am.xlsx", saved=saved).date == D(2025, 11, 14)
    fallback = publication_date("participatingAgencies.xlsx", file_time=dt.datetime(2025, 3, 1, 8))
    assert (fallback.date, fallback.method) == (D(2025, 3, 1), "file_time")


def test_name_contradicted_by_content_uses_the_save_time():
    # ICE's participatingAgencies08022025pm holds signings from late August: it was saved 2025-09-02.
    result = publication_date("participatingAgencies08022025pm.xlsx", saved=dt.datetime(2025, 9, 2, 20, 5), latest_signed=D(2025, 8, 28))
    assert (result.date, result.method) == (D(2025, 9, 2), "saved_time")


def test_suffixes_order_sheets_within_a_day():
    names = ["x08192025pm2.xlsx", "x08192025am.xlsx", "x08192025pm.xlsx", "x08192025mid.xlsx"]
    ordered = sorted(names, key=lambda n: publication_date(n).order)
    assert ordered == ["x08192025am.xlsx", "x08192025mid.xlsx", "x08192025pm.xlsx", "x08192025pm2.xlsx"]


@given(
    st.text(max_size=40),
    st.none() | st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2090, 1, 1)),
    st.none() | st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
)
def test_any_name_gets_a_date_and_never_one_before_the_latest_signing_when_from_the_name(name, saved, signed):
    result = publication_date(name + ".xlsx", saved=saved, latest_signed=signed)
    assert isinstance(result.date, dt.date)
    if signed and result.method in {"name", "year_typo", "repaired"}:
        assert result.date >= signed
