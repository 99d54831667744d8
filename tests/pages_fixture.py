"""A small folder of ICE-like sheets for the State, Agency, About and Methodology page tests.

Three participating sheets and one pending sheet, each row chosen for a check: spelling variants
of one agency across sheets, an agency that leaves and one that arrives, a statewide agency, a
pending application, a hostile agency name, a year typo and a malformed link.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetfactory import PARTICIPATING_8, PENDING_5, Link, make_sheet, row8

MOA = "https://www.ice.gov/doclib/287gMOA/harris.pdf"
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(2)) Police Department"


def build_folder(folder: Path) -> Path:
    """Write the fixture sheets under ``folder`` and return it."""
    harris_jem = row8(moa=Link("link", MOA), signed=dt.datetime(2025, 3, 1))
    st_lucie = row8(
        state="FLORIDA",
        agency="St. Lucie County Sheriff's Office",
        county="St. Lucie County",
        model="Warrant Service Officer",
        signed=dt.datetime(2025, 2, 20),
    )
    fhp = row8(
        state="FLORIDA",
        agency="Florida Highway Patrol",
        jtype="State",
        county="#N/A",
        model="Task Force Model",
        signed=dt.datetime(2025, 2, 26),
    )
    houston = row8(
        agency="Houston Police Department",
        jtype="Municipality",
        county="Harris County",
        model="Task Force Model",
        signed=dt.datetime(2025, 4, 1),
    )
    make_sheet(
        folder / "2025-06-02" / "participatingAgencies06022025am.xlsx",
        PARTICIPATING_8,
        [
            harris_jem,
            st_lucie,
            fhp,
            houston,
            row8(agency="Harris County Sherrif's Office", model="Task Force Modle", signed="5/1/2025"),  # ICE's typos
        ],
    )
    make_sheet(
        folder / "2025-07-01" / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            harris_jem,
            st_lucie,
            fhp,
            row8(agency="Harris County Sheriff’s Office", model="Task Force Model", signed=dt.datetime(2025, 5, 1)),
            row8(
                state="FLORIDA",
                agency="Miami Police Department",
                jtype="Municipality",
                county="Miami-Dade County",
                model="Task Force Model",
                signed=dt.datetime(2025, 6, 15),
                moa=Link("link", "https:/www.ice.gov/doclib/287gMOA/miami.pdf"),
            ),
        ],
    )
    make_sheet(
        folder / "2025-08-01" / "participatingAgencies08012025am.xlsx",
        PARTICIPATING_8,
        [
            harris_jem,
            st_lucie,
            fhp,
            row8(agency="Harris County Sheriff's Office", model="Task Force Model", signed=dt.datetime(2025, 5, 1)),
            row8(
                state="FLORIDA",
                agency="Miami Police Department",
                jtype="Municipality",
                county="Miami-Dade County",
                model="Task Force Model",
                signed=dt.datetime(2025, 6, 15),
            ),
            row8(
                state="GEORGIA",
                agency=HOSTILE,
                jtype="Municipality",
                county="Fulton County",
                model="Task Force Model",
                signed=dt.datetime(2025, 7, 1),
                moa=Link("link", "javascript:alert(3)"),
            ),
            row8(
                state="GEORGIA",
                agency=HOSTILE,
                jtype="Municipality",
                county="Fulton County",
                model="Task Force Model",
                signed=dt.datetime(2025, 7, 1),
                moa=Link("link", "javascript:alert(3)"),
            ),  # exact duplicate
        ],
    )
    make_sheet(
        folder / "2025-08-01" / "pendingAgencies08012025am.xlsx",
        PENDING_5,
        [
            ["FLORIDA", "Port Saint Lucie Police Department", "Municipality", "St. Lucie County", "Task Force Model"],
            ["TEXAS", "Harris County Sheriff's Office", "County", "Harris County", "Warrant Service Officer"],
        ],
    )
    return folder


def build_dataset(root: Path):
    """The fixture folder built into a dataset (for unit tests of page logic)."""
    from mapcore.build import pipeline

    dataset, _ = pipeline.build(build_folder(root / "sheets"), cache=root / "cache", workers=1)
    return dataset
