"""Acceptance over the real ICE sheets in ../shared/data/ice (never copied into the repository).

Every sheet reads; its agreement count and counts per model equal an independent count made with a
different Excel engine (calamine) and a separate model mapping; its publication date agrees with the
MANIFEST's snapshot date except where our content rule knows better (listed with the reason).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from mapcore.build import pipeline, store

pytestmark = pytest.mark.acceptance

# Where our date differs from the folder the MANIFEST put a file in, and why.
DATE_EXCEPTIONS = {
    # ICE replaced the 07-03 pm workbook under the same name; the name's date stands.
    "2025-07-04/participatingAgencies07032025pm.xlsx": "2025-07-03",
    "2025-07-12/pendingAgencies07112025pm.xlsx": "2025-07-11",
    # Misnamed: holds signings up to 2025-08-28 and was saved 2025-09-02.
    "2025-08-02/participatingAgencies08022025pm.xlsx": "2025-09-02",
    # Garbled name 090022025am: repaired to 09/02/2025, the day Excel saved it.
    "2025-09-03/participatingAgencies090022025am.xlsx": "2025-09-02",
}


@pytest.fixture(scope="module")
def manifest(shared_ice: Path) -> list[dict]:
    with open(shared_ice / "MANIFEST.csv", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def built(shared_dataset) -> store.Dataset:
    return shared_dataset


def _independent_count(path: Path) -> tuple[int, Counter]:
    frame = pd.read_excel(path, engine="calamine", dtype=object, keep_default_na=False, header=0)
    frame.columns = [" ".join(str(c).upper().split()) for c in frame.columns]
    text = frame.apply(lambda col: col.map(lambda v: " ".join(str(v).replace("\xa0", " ").split())))
    kept = text[(text["STATE"] != "") & (text["LAW ENFORCEMENT AGENCY"] != "")]
    unique = kept.drop_duplicates()
    first_word = {"jail": "JEM", "warrant": "WSO", "task": "TFM"}
    models = Counter(first_word.get(s.split(" ")[0].lower()) if s else None for s in unique["SUPPORT TYPE"])
    return len(kept), models


def test_every_sheet_reads_with_the_manifest_row_count_and_kind(built, manifest):
    assert built.meta["unreadable"] == []
    sheets = built.sheets.set_index("source_file")
    for entry in manifest:
        key = f"{entry['snapshot_date']}/{entry['file']}"
        assert key in sheets.index, key
        sheet = sheets.loc[key]
        assert sheet["kind"] == entry["kind"], key
        assert int(sheet["agreements"]) + int(sheet["duplicates_removed"]) == int(entry["rows"]), key
    assert len(sheets) == len(manifest)


def test_counts_per_model_equal_an_independent_count(built, manifest, shared_ice):
    ours = built.agreements.groupby(["source_file", "model"], observed=True).size()
    totals = built.agreements.groupby("source_file", observed=True).size()
    for entry in manifest:
        key = f"{entry['snapshot_date']}/{entry['file']}"
        raw_rows, models = _independent_count(shared_ice / key)
        assert raw_rows == int(entry["rows"]), key
        assert int(totals.get(key, 0)) == sum(models.values()), key
        for model in ("JEM", "WSO", "TFM"):
            assert int(ours.get((key, model), 0)) == models.get(model, 0), (key, model)


def test_publication_dates_agree_with_the_manifest_or_a_stated_exception(built, manifest):
    sheets = built.sheets.set_index("source_file")
    for entry in manifest:
        key = f"{entry['snapshot_date']}/{entry['file']}"
        ours = sheets.loc[key, "publication_date"].date().isoformat()
        assert ours == DATE_EXCEPTIONS.get(key, entry["snapshot_date"]), key


def test_no_signed_date_after_its_publication(built):
    rows = built.agreements.dropna(subset=["signed"])
    assert (rows["signed"] <= rows["publication_date"]).all()


def test_rebuild_of_an_unchanged_source_reuses_the_cache(built, shared_ice):
    again, built_now = pipeline.build(shared_ice, cache=built.path.parent)
    assert not built_now
    assert again.key == built.key
    assert len(again.agreements) == len(built.agreements)
