"""MOA links wrapped in Outlook SafeLinks (carrying an ICE mailbox address) are
unwrapped to the real ice.gov target, like the other wrappers, and counted on the Methodology page."""

from __future__ import annotations

import pandas as pd
import pytest
from sheetfactory import PARTICIPATING_8, Link, make_sheet, row8

from mapcore.sheets.normalize import repair_url
from mapcore.sheets.sheet import read_sheet
from mapcore.words import methodology

REAL = "https://www.ice.gov/doclib/287gMOA/YumaCoSheriffsOfficeAZ_WSO_MOA_06.03.25.pdf"
WRAPPED = (
    "https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2Fdoclib%2F287gMOA%2F"
    "YumaCoSheriffsOfficeAZ_WSO_MOA_06.03.25.pdf&data=05%7C02%7CERO287g%40ice.dhs.gov%7C062e3217bd974cfc"
    "&sdata=ZqISXBMCFKQ7AAS992IW22Fx%3D&reserved=0"
)


@pytest.mark.parametrize(
    "wrapped",
    [
        WRAPPED,
        WRAPPED.replace("https://gcc02.", "https:/nam12."),  # and ICE's missing slash
        "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/" + WRAPPED,  # a wrapper inside a wrapper
        WRAPPED.replace("https%3A%2F%2Fwww", "https%3A%2Fwww"),  # the target's own missing slash
    ],
)
def test_safelinks_unwrapped_to_the_real_target(wrapped):
    assert repair_url(wrapped) == REAL


@pytest.mark.parametrize(
    "other",
    [
        "https://example.org/?url=https%3A%2F%2Fwww.ice.gov%2Fx.pdf",  # not Microsoft's host
        "https://safelinks.protection.outlook.com.evil.example/?url=https%3A%2F%2Fwww.ice.gov",  # look-alike host
        "https://gcc02.safelinks.protection.outlook.com/?data=nothing",  # no target to unwrap
        REAL,
    ],
)
def test_other_links_left_alone(other):
    assert repair_url(other) == other


def test_read_and_counted_on_the_methodology_page(tmp_path):
    path = make_sheet(
        tmp_path / "participatingAgencies07012025am.xlsx",
        PARTICIPATING_8,
        [
            row8(moa=Link("link", WRAPPED)),
            row8(agency="Lee County Sheriff's Office", county="Lee County", moa=Link("link", WRAPPED.replace("Yuma", "Lee"))),
        ],
    )
    result = read_sheet(path)
    assert [r["moa_url"] for r in result.records] == [REAL, REAL.replace("Yuma", "Lee")]
    assert not any("ice.dhs.gov" in str(r["moa_url"]) for r in result.records)
    problems = pd.DataFrame([p.as_dict() for p in result.problems])
    kinds = methodology.problem_kinds(problems).set_index("quirk")
    safelinks = [q for q in kinds.index if "SafeLinks" in q]
    assert len(safelinks) == 1
    assert kinds.at[safelinks[0], "occurrences"] == 2 and kinds.at[safelinks[0], "sheets"] == 1
