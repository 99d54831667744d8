"""A held-out check of the agency -> ORI links on the newest shared sheet, by rules written apart from the
matcher (mapcore.build.ori_match): they read the roster CSV themselves and share no normaliser with it.

A seeded sample of 50 linked agencies is checked against four rules; a link breaking any rule is an error:

1. state: the roster agency is of the agreement's state (the FBI writes Nebraska "NB");
2. type: a sheriff is linked to a County-type agency or one named "Sheriff"; a police department, marshal or
   public-safety department to a City, County, University, Tribal or Other agency; a state agency to a state
   agency or a state university;
3. county: when both sides name one, the roster's county field names the agreement's county (letters only,
   "County"/"Parish"/"Borough" and St./Saint evened out);
4. name: every significant word of the roster's name (role words, kinds of place and the state's name left out)
   appears in ICE's name, or in the county's name for a sheriff named after the county.

Fixed links (the reviewed table) are checked too; the error rate is reported and must stay at most 2 in 50.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import us

from mapcore.analysis import query
from mapcore.core.config import DATA_DIR

pytestmark = pytest.mark.acceptance

SAMPLE, SEED, MAX_ERRORS = 50, 287, 2
_ROLE = {
    "police",
    "department",
    "dept",
    "sheriff",
    "sheriffs",
    "office",
    "county",
    "parish",
    "borough",
    "city",
    "town",
    "village",
    "township",
    "twp",
    "of",
    "the",
    "and",
    "state",
    "metro",
    "metropolitan",
    "public",
    "safety",
    "marshal",
    "marshals",
    "division",
    "services",
    "law",
    "enforcement",
    "pd",
    "co",
    "constable",
    "constables",
}
_SPELL = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_LOCAL_TYPES = {"City", "County", "University or College", "Tribal", "Other"}
_STATE_TYPES = {"State Police", "Other State Agency", "University or College", "Other"}


def _words(text: object) -> list[str]:
    raw = re.sub(r"['’`]", "", str(text or "").lower())
    return [_SPELL.get(w, w) for w in re.findall(r"[a-z0-9]+", raw)]


def _significant(text: object, state: str) -> set[str]:
    found = us.states.lookup(state)
    state_words = set(_words(found.name)) if found is not None else set()
    return {w for w in _words(text) if w not in _ROLE and w not in state_words}


def _county_letters(text: object) -> str:
    words = [w for w in _words(text) if w not in {"county", "parish", "borough", "census", "area", "city", "and", "municipality"}]
    return "".join(words)


def check(link: dict, roster: dict) -> list[str]:
    """The rules of the module docstring; the names of the rules a link breaks."""
    entry = roster[link["ori"]]
    broken = []
    if {"NB": "NE", "GM": "GU"}.get(entry["state"], entry["state"]) != link["state"]:
        broken.append("state")
    agency = str(link["agency"]).lower()
    if re.search(r"sh[ae]r+if", agency):
        type_ok = entry["type"] == "County" or "sheriff" in entry["name"].lower()
    elif link["jurisdiction_type"] == "State":
        type_ok = entry["type"] in _STATE_TYPES
    elif re.search(r"police|marshal|public safety|dps", agency):
        type_ok = entry["type"] in _LOCAL_TYPES
    else:
        type_ok = entry["type"] != "Federal"
    if not type_ok:
        broken.append("type")
    if link["county_name"] and entry["county"] not in ("", "NOT SPECIFIED", "UNMAPPED COUNTY"):
        theirs = {_county_letters(part) for part in entry["county"].split(",")}
        if _county_letters(link["county_name"]) not in theirs:
            broken.append("county")
    words = _significant(entry["name"].split(",")[0], link["state"])
    mine = _significant(link["agency"], link["state"]) | _significant(link["county_name"], link["state"])
    if words - mine:
        broken.append("name")
    return broken


def test_a_held_out_sample_of_ori_links_passes_independent_rules(shared_dataset):
    rows = query.publication_rows(shared_dataset.agreements, query.latest_publication_id(shared_dataset.sheets))
    links = rows[rows["ori"].notna()][["state", "agency", "jurisdiction_type", "county_name", "ori", "ori_method"]]
    links = links.astype(object).drop_duplicates(["state", "agency", "ori"])
    sample = links.sample(n=SAMPLE, random_state=SEED)
    roster_frame = pd.read_csv(DATA_DIR / "fbi_agencies.csv", dtype=str, keep_default_na=False)
    roster = roster_frame.set_index("ori").to_dict("index")
    results = [(link, check(link, roster)) for link in sample.where(sample.notna(), None).to_dict("records")]
    errors = [(link["state"], link["agency"], link["ori"], roster[link["ori"]]["name"], broken) for link, broken in results if broken]
    methods = sample["ori_method"].value_counts().to_dict()
    print(f"\nheld-out check: {len(errors)} of {SAMPLE} links break a rule (methods in the sample: {methods})")
    for error in errors:
        print("  ", error)
    assert len(errors) <= MAX_ERRORS, errors


def test_every_link_of_the_newest_sheet_passes_the_state_and_type_rules(shared_dataset):
    """Beyond the sample: no link of the newest sheet crosses a state or pairs a sheriff with a police force."""
    rows = query.publication_rows(shared_dataset.agreements, query.latest_publication_id(shared_dataset.sheets))
    links = rows[rows["ori"].notna()].astype(object).drop_duplicates(["state", "agency", "ori"])
    roster = pd.read_csv(DATA_DIR / "fbi_agencies.csv", dtype=str, keep_default_na=False).set_index("ori").to_dict("index")
    broken = [
        (r["state"], r["agency"], r["ori"], b)
        for r in links.where(links.notna(), None).to_dict("records")
        if (b := [x for x in check(r, roster) if x in ("state", "type")])
    ]
    assert broken == []


def test_newest_sheet_match_rates_and_reasons(shared_dataset):
    """The rates the issue asks for, as measured (County >= 95%); every agreement without an ORI has a reason."""
    from mapcore.analysis import methodology

    rows = query.publication_rows(shared_dataset.agreements, query.latest_publication_id(shared_dataset.sheets))
    rates = methodology.ori_match_rates(rows)
    print(f"\nORI match rates on the newest sheet: {rates}")
    assert rates["county"] >= 0.95
    assert rates["municipal"] >= 0.85
    unmatched = methodology.ori_unmatched(rows)
    assert unmatched and all(u["ori_note"] and u["ori_method"] in ("ambiguous", "unmatched") for u in unmatched)
