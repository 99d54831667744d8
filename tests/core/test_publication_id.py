"""A publication's identity (core.schema.PublicationId): one definition builds and parses the stored text."""

from __future__ import annotations

import pandas as pd

from mapcore.core import config
from mapcore.core.schema import PublicationId, sheet_file_name


def test_built_from_a_sheet_path_keeps_the_file_name_and_eight_hex_digits():
    built = PublicationId.build("2026-04-30", "archive/2026/participatingAgencies04302026.xlsx", "1a2b3c4d5e6f" + "0" * 52)
    assert str(built) == "2026-04-30/participatingAgencies04302026.xlsx@1a2b3c4d"
    assert (built.date, built.file_name, built.sha) == ("2026-04-30", "participatingAgencies04302026.xlsx", "1a2b3c4d")


def test_every_id_of_the_bundled_snapshot_parses_and_prints_back_byte_for_byte():
    sheets = pd.read_parquet(config.DATA_DIR / "ice_snapshot" / "sheets.parquet")
    ids = sheets["publication_id"].astype(str)
    assert len(ids) > 100
    for text, date, file in zip(ids, sheets["publication_date"], sheets["source_file"]):
        parsed = PublicationId.parse(text)
        assert str(parsed) == text
        assert parsed.date == pd.Timestamp(date).date().isoformat()
        assert parsed.file_name == file.rsplit("/", 1)[-1]
        assert len(parsed.sha) == PublicationId.SHA_CHARS


def test_a_file_name_with_an_at_sign_or_a_malformed_id_never_raises():
    assert sheet_file_name("2026-04-30/odd@name.xlsx@1a2b3c4d") == "odd@name.xlsx"
    assert PublicationId.parse("2026-04-30/plain.xlsx") == PublicationId("2026-04-30", "plain.xlsx", "")
    assert PublicationId.parse("plain.xlsx@1a2b3c4d") == PublicationId("", "plain.xlsx", "1a2b3c4d")
