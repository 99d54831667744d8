"""Small helpers over DataFrames: the build steps that work once per distinct key, and the display copy of a table."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], what: str) -> None:
    """Raise KeyError naming the step (``what``) and the columns it needs that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"{what} needs columns {missing}")


def distinct_keys(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """(codes, firsts): a group number per row for the distinct values of ``columns`` (missing values
    are a value like any other), and the first row of each group (group 0, 1, 2, ... in order) as plain
    objects with None for missing. Placement and ORI linking decide once per distinct key and spread
    the answer back with ``codes``: ~300,000 rows hold a few thousand keys.

    Each column is factorized (fast on categoricals and Arrow strings) and the codes combined, with a
    refactorize at every step so the numbers stay small."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for column in columns:
        col_codes, uniques = pd.factorize(frame[column], use_na_sentinel=True)
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + (col_codes + 1))
    codes, _ = pd.factorize(combined)
    _, first_rows = np.unique(codes, return_index=True)
    firsts = frame[columns].iloc[first_rows].astype(object)
    return codes, firsts.where(firsts.notna(), None)


def blank_missing(frame: pd.DataFrame, keep: tuple[str, ...] = (), days_as_text: bool = False) -> pd.DataFrame:
    """A display copy with missing cells empty, never Streamlit's English "None": a text column's missing values
    (object, pandas' string or categorical dtype) become empty strings; with ``days_as_text`` a column of days with a
    missing one becomes its days as text ('2026-05-26' or ''). Numbers, columns without a missing value and the
    columns ``keep`` names are left as they are."""
    out = frame.copy()
    for name in out.columns:
        values = out[name]
        if name in keep or not values.isna().any():
            continue
        is_days = pd.api.types.is_datetime64_any_dtype(values)
        if values.dtype == object and days_as_text:
            present = values.dropna()
            is_days = bool(len(present)) and bool(present.map(lambda v: isinstance(v, (pd.Timestamp, dt.date))).all())
        if is_days and days_as_text:
            out[name] = [f"{pd.Timestamp(v):%Y-%m-%d}" if not pd.isna(v) else "" for v in values]
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):  # pandas 3 reads text as "str"
            out[name] = values.where(values.notna(), "")
        elif isinstance(values.dtype, pd.CategoricalDtype):  # "" is not one of its categories: shown as text
            out[name] = values.astype(object).where(values.notna(), "")
    return out
