"""The Explore page's downloads are named for their filters (the workbook's About
sheet is checked in tests/core/test_excel.py)."""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


class NamedStorage(MemoryMediaFileStorage):
    """Keeps each offered file's name and bytes."""

    files: dict[str, tuple[str | None, bytes]] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        data = path_or_data() if callable(path_or_data) else path_or_data
        NamedStorage.files[file_id] = (filename, data)
        return file_id


@pytest.fixture
def app(app_test, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", NamedStorage)
    NamedStorage.files = {}
    return app_test("pages/1_Explore.py", run=False)


def test_explore_download_names_and_about_sheet(app):
    at = app.run()
    at.multiselect(key="states").set_value(["TX"]).run()
    at.multiselect(key="models").set_value(["TFM"]).run()
    assert not at.exception
    names = {name for name, _ in NamedStorage.files.values() if name}
    assert "287g-TX-TFM-2025-07-02.csv" in names  # the workbook shares the stem; Streamlit builds it on click
