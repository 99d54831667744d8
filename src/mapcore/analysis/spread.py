"""The spread over time: agreements per county on a sequence of ICE's participating sheets.

One step per publication shown: the national map steps by month (the last sheet of each month), a
chosen state may step through every day that has a sheet (the last sheet of the day). Each step holds
the county counts as :func:`mapcore.analysis.query.county_summary` counts them (county and municipal
agreements placed in a county; statewide agencies and regional bodies are not put on one county) and the running
figures a frame shows: agreements listed in the area and counties with at least one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from mapcore.analysis.query import publications
from mapcore.core.schema import LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_OTHER, MODELS

MONTHLY = "month"
DAILY = "day"


@dataclass(frozen=True)
class Step:
    """One publication of the spread: its counties' counts and models, and the area's totals."""

    publication_id: str
    date: pd.Timestamp
    counties: pd.DataFrame  # county_fips, agreements, models ("JEM, TFM"), one row per county with any
    agreements: int  # every agreement listed in the area on that sheet (statewide ones too)

    @property
    def label(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    @property
    def county_count(self) -> int:
        return int(len(self.counties))


def steps_publications(sheets: pd.DataFrame, every: str = MONTHLY) -> pd.DataFrame:
    """The participating sheets a spread steps through, oldest first: the last sheet of each month
    (``every="month"``) or of each day (``"day"``). The newest sheet is always the last step."""
    if every not in (MONTHLY, DAILY):
        raise ValueError(f"unknown step {every!r}; expected {MONTHLY!r} or {DAILY!r}")
    pubs = publications(sheets, "participating")
    if pubs.empty:
        return pubs
    dates = pd.to_datetime(pubs["publication_date"])
    period = dates.dt.to_period("M") if every == MONTHLY else dates.dt.normalize()
    return pubs.groupby(period.to_numpy(), sort=True).tail(1).reset_index(drop=True)


def spread(
    agreements: pd.DataFrame, sheets: pd.DataFrame, states: tuple[str, ...] = (), every: str = MONTHLY, models: tuple[str, ...] = ()
) -> list[Step]:
    """Agreements per county on each step's sheet (within ``states`` and of ``models`` when given), oldest first."""
    chosen = steps_publications(sheets, every)
    if chosen.empty:
        return []
    ids = [str(p) for p in chosen["publication_id"]]
    pub = agreements["publication_id"].astype("object")
    rows = agreements[pub.isin(ids).to_numpy()]
    if states:
        rows = rows[rows["state"].astype("object").isin(states).to_numpy()]
    if models:
        rows = rows[rows["model"].astype("object").isin(models).to_numpy()]
    slim = pd.DataFrame(
        {
            "pub": rows["publication_id"].astype("object").to_numpy(),
            "fips": rows["county_fips"].astype("object").to_numpy(),
            "level": rows["level"].astype("object").to_numpy(),
            "model": rows["model"].astype("object").to_numpy(),
        }
    )
    totals = slim.groupby("pub").size()
    placed = slim[slim["fips"].notna() & slim["level"].isin([LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_OTHER])]
    counts = placed.groupby(["pub", "fips"]).size().rename("agreements")
    by_model = pd.crosstab([placed["pub"], placed["fips"]], placed["model"]) if len(placed) else pd.DataFrame()
    table = counts.to_frame()
    present = [m for m in MODELS if m in by_model.columns]
    if present:
        flags = by_model.reindex(table.index)[present].to_numpy() > 0
        table["models"] = [", ".join(m for m, has in zip(present, row) if has) for row in flags]
    else:
        table["models"] = ""
    grouped = dict(tuple(table.reset_index().groupby("pub", sort=False))) if len(table) else {}
    out = []
    for pid, date in zip(ids, chosen["publication_date"]):
        counties = grouped.get(pid)
        counties = (
            counties.drop(columns="pub").rename(columns={"fips": "county_fips"}).reset_index(drop=True)
            if counties is not None
            else pd.DataFrame({"county_fips": [], "agreements": [], "models": []})
        )
        out.append(Step(pid, pd.Timestamp(date), counties, int(totals.get(pid, 0))))
    return out
