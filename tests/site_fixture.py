"""Small ICE-like sheet folders for the static edition's tests (tests/render/test_site*.py, tests/browser).

Three participating sheets and one pending sheet: an agency ICE renames between sheets (a typo
corrected), one that leaves, one that arrives, a statewide agency, and an agency whose name is
hostile in HTML, XML, templates and CDATA at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetfactory import PARTICIPATING_8, PENDING_5, Link, make_sheet, row8

HOSTILE = "<img src=x onerror=alert(1)> ${x} {{7*7}} \"quoted\" 'single' ]]> Police Department"
SHEETS = ("2025-06-02", "2025-07-01", "2025-08-01")


def _participating(day: str) -> list[list]:
    harris = row8(
        state="GEORGIA",
        agency="Harris County Sheriff's Office",
        county="Harris County",
        moa=Link("link", "https://www.ice.gov/doclib/287gMOA/harris-ga.pdf"),
        signed=dt.datetime(2025, 3, 1),
    )
    galveston = row8(
        agency="Galveston County Sherrif's Office" if day == "2025-06-02" else "Galveston County Sheriff's Office",
        county="Galveston County",
        model="Task Force Model",
        signed=dt.datetime(2025, 5, 1),
    )
    fhp = row8(
        state="FLORIDA",
        agency="Florida Highway Patrol",
        jtype="State",
        county="#N/A",
        model="Task Force Model",
        signed=dt.datetime(2025, 2, 26),
    )
    rows = [harris, galveston, fhp]
    if day == "2025-06-02":
        rows.append(
            row8(
                agency="Houston Police Department",
                jtype="Municipality",
                county="Harris County",
                model="Task Force Model",
                signed=dt.datetime(2025, 4, 1),
            )
        )
    if day >= "2025-07-01":
        rows.append(
            row8(
                state="FLORIDA",
                agency="Miami Police Department",
                jtype="Municipality",
                county="Miami-Dade County",
                model="Task Force Model",
                signed=dt.datetime(2025, 6, 15),
            )
        )
    if day >= "2025-08-01":
        rows.append(
            row8(
                state="TEXAS",
                agency=HOSTILE,
                jtype="Municipality",
                county="Travis County",
                model="Task Force Model",
                signed=dt.datetime(2025, 7, 1),
                moa=Link("link", "javascript:alert(3)"),
            )
        )
    return rows


def write_sheet(folder: Path, day: str) -> Path:
    """One participating sheet of the fixture, by its day (one of :data:`SHEETS`)."""
    month, dd, year = day[5:7], day[8:10], day[:4]
    return make_sheet(folder / day / f"participatingAgencies{month}{dd}{year}am.xlsx", PARTICIPATING_8, _participating(day))


def build_folder(folder: Path, days: tuple[str, ...] = SHEETS) -> Path:
    for day in days:
        write_sheet(folder, day)
    make_sheet(
        folder / "2025-08-01" / "pendingAgencies08012025am.xlsx",
        PENDING_5,
        [["FLORIDA", "Port Saint Lucie Police Department", "Municipality", "St. Lucie County", "Task Force Model"]],
    )
    return folder
