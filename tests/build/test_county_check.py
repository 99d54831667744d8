"""ICE's county and the FBI roster's, compared on each agency linked to an ORI (mapcore.build.county_check)."""

from __future__ import annotations

import pandas as pd

from mapcore.build.county_check import with_fbi_county

NAMES = {"12011": "Broward County", "12099": "Palm Beach County", "48157": "Fort Bend County", "48201": "Harris County"}
ROSTER = pd.DataFrame({"ori": ["FL0503700", "TX1012700", "TX1010000"], "county_fips": ["12099", "48157;48201", None]})


def test_a_county_ice_and_the_fbi_disagree_on_is_named():
    rows = pd.DataFrame(
        {
            "agency": [
                "Florida Atlantic University Police Department",
                "Katy Police Department",
                "Somewhere PD",
                "Unlinked PD",
                "Florida Highway Patrol",
            ],
            "ori": ["FL0503700", "TX1012700", "TX1010000", None, "FL0503700"],
            "county_fips": ["12011", "48201", "48201", "48201", None],
            "level": ["municipal", "municipal", "municipal", "municipal", "statewide"],
        }
    )
    flagged = with_fbi_county(rows, ROSTER, NAMES.get)["fbi_county"]
    flagged = [None if pd.isna(v) else v for v in flagged]
    assert flagged == ["Palm Beach County", None, None, None, None], (
        "FAU: Broward (ICE) vs Palm Beach (FBI); Katy: Harris is one of its FBI counties; unknown on either side: no flag"
    )


def test_the_build_keeps_ices_county_and_names_the_fbis(tmp_path):
    import datetime as dt

    from sheetfactory import PARTICIPATING_8, make_sheet, row8

    from mapcore.build import pipeline as ds

    make_sheet(
        tmp_path / "sheets" / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            row8(
                state="FLORIDA",
                agency="Florida Atlantic Police Department",
                jtype="Municipality",
                county="Broward County",
                model="Task Force Model",
                signed=dt.datetime(2025, 4, 1),
            ),
            row8(),
        ],
    )
    dataset, _ = ds.build(tmp_path / "sheets", cache=tmp_path / "cache", workers=1)
    rows = dataset.agreements.set_index("agency")
    fau = rows.loc["Florida Atlantic Police Department"]  # as ICE names it
    assert (fau["county_name"], fau["ori"], fau["fbi_county"]) == ("Broward County", "FL0503700", "Palm Beach County")
    assert pd.isna(rows.loc["Harris County Sheriff's Office", "fbi_county"])
