"""Facts cached, words made when shown: one process serves a Spanish reader, then an English one, with no
cache cleared between them, and each reads their own language (the downloads keep English).

The Law vs practice page caches its comparison once per dataset; it once kept the "In words" column in the
language of whoever came first, so after one Spanish visit the English table and its CSV said "Salió entre ...".
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from sheetfactory import PARTICIPATING_8, make_sheet, row8
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "5_Law_vs_practice.py")
CECIL = "Cecil County Sheriff's Office"
ENGLISH = "Left between 2025-03-01 and 2026-04-01; the law's date, 2026-02-17, falls between"
SPANISH_START = "Salió entre el 1 mar 2025 y el 1 abr 2026"


class RecordingStorage(MemoryMediaFileStorage):
    """Keeps every offered file's name and bytes, so a test reads the downloads a reader was offered."""

    files: dict[str, tuple[str | None, bytes]] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        data = path_or_data() if callable(path_or_data) else path_or_data
        RecordingStorage.files[file_id] = (filename, data)
        return file_id


@pytest.fixture
def one_process(tmp_path, monkeypatch):
    """Maryland's Cecil County sheriff, listed on 2025-03-01 and gone by 2026-04-01 (Maryland's ban took effect
    on 2026-02-17, between the two). Streamlit's caches are cleared once, before the first reader only."""
    folder = tmp_path / "sheets"
    cecil = row8(state="MARYLAND", agency=CECIL, county="Cecil County", model="Jail Enforcement Model")
    other = row8(state="FLORIDA", agency="Baker County Sheriff's Office", county="Baker County", model="Task Force Model")
    make_sheet(folder / "participatingAgencies03012025am.xlsx", PARTICIPATING_8, [cecil, other])
    make_sheet(folder / "participatingAgencies04012026am.xlsx", PARTICIPATING_8, [other])
    monkeypatch.setenv("MAPCORE_SOURCE", str(folder))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()


def reader(**params: str) -> AppTest:
    RecordingStorage.files = {}
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def in_words(at: AppTest) -> str:
    table = next(df.value for df in at.dataframe if "In words" in df.value.columns)
    return str(table.set_index("Agency").loc[CECIL, "In words"])


def csv_in_words(at: AppTest) -> str:
    """The "In words" cell of the agreements' CSV this reader was offered."""
    data = next(data for name, data in RecordingStorage.files.values() if name == "287g-restrictive-states.csv")
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return str(table.set_index("Agency").loc[CECIL, "In words"])


def test_a_spanish_reader_then_an_english_one_each_read_their_language(one_process):
    spanish = reader(lang="es")
    assert in_words(spanish).startswith(SPANISH_START), in_words(spanish)
    assert csv_in_words(spanish) == ENGLISH, "downloads keep English, whoever came first"

    english = reader()   # the same process, the caches the Spanish reader filled
    assert in_words(english) == ENGLISH
    assert csv_in_words(english) == ENGLISH

    again = reader(lang="es")   # and the other way round
    assert in_words(again).startswith(SPANISH_START)
