"""Domain ``texts`` (About, Methodology, the state-law summaries): the Spanish catalog is complete, compiled,
up to date with the code and the law table, and keeps the link markers and placeholders of each message."""

from __future__ import annotations

import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from mapcore.app import about_text
from mapcore.cli import texts_catalog as tc
from mapcore.core import i18n
from mapcore.core.config import PROJECT_ROOT
from mapcore.reference.laws import LAWS_PATH, LawTableError

LOCALE = i18n.LOCALE_DIR
PO = LOCALE / "es" / "LC_MESSAGES" / "texts.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module")
def spanish():
    return tc.read_catalog(PO, "es")


@pytest.fixture(scope="module")
def template():
    return tc.read_catalog(LOCALE / "texts.pot")


def translated(catalog) -> list[tuple[str, str]]:
    return [(str(m.id), str(m.string)) for m in catalog if m.id]


def test_every_message_of_the_template_has_a_spanish_translation_and_none_is_fuzzy(spanish, template):
    assert len(template) > 200
    assert {str(m.id) for m in template if m.id} == {msgid for msgid, _ in translated(spanish)}
    assert tc.untranslated(spanish) == []
    assert not [m.id for m in spanish if m.id and "fuzzy" in m.flags]
    assert all(es.strip() for _, es in translated(spanish))


def test_the_compiled_mo_is_the_compile_of_the_po(spanish):
    assert MO.read_bytes() == tc.mo_bytes(spanish), "run `make locale` and commit texts.mo"


def test_the_template_is_up_to_date_with_the_code_and_the_law_table(tmp_path, template):
    """Re-extract into a temporary folder and compare: every marked literal and every CSV summary is in it."""
    fresh = tc.extract()
    assert tc.messages(fresh) == tc.messages(template), "run `make locale` (texts.pot is stale)"
    tc.run(locale_dir=tmp_path, languages=())
    assert tc.messages(tc.read_catalog(tmp_path / "texts.pot")) == tc.messages(template)


def test_pybabel_with_the_extraction_mapping_gives_the_same_template(tmp_path, template):
    """The mapping (src/mapcore/locale/texts.cfg) is the one description of the domain's sources: Babel's own
    command line reads it to the same messages, files and translator comments as `make locale`."""
    out = tmp_path / "texts.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "-F",
            str(tc.MAPPING),
            "--no-default-keywords",
            "-k",
            "curated",
            "-k",
            "NT_",
            "-o",
            str(out),
            "app.py",
            "pages",
            "src/mapcore",
            "data/state_laws.csv",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    assert tc.messages(tc.read_catalog(out)) == tc.messages(template)


@pytest.mark.parametrize("column", ["summary", "evidence", "pending", "laws"])
def test_every_law_text_is_a_message_with_its_state_as_comment(template, column):
    """The summary and the research notes (evidence, pending bills) the State page shows are all in the catalog."""
    laws = pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False)
    assert laws[column].str.strip().astype(bool).sum() >= 20
    for state, text in zip(laws["state"], laws[column]):
        if text.strip():
            message = template[text]
            assert message is not None, state
            assert tc.LAW_TEXTS[column].format(state=state) in message.auto_comments


def test_marked_literals_of_the_pages_and_text_modules_are_in_the_template(template):
    ids = {str(m.id) for m in template if m.id}
    for heading, paragraphs in about_text.SECTIONS:
        assert heading in ids and set(paragraphs) <= ids
    assert "Methodology & data quality" in ids and "Why no ORI" in ids
    files = {file for m in template for file, _ in m.locations}
    assert {
        "pages/6_About.py",
        "pages/7_Methodology.py",
        "src/mapcore/app/about_text.py",
        "src/mapcore/words/methodology.py",
        "src/mapcore/words/context.py",
        "data/state_laws.csv",
    } <= files


_LINK = re.compile(r"\[\[([a-z0-9_]+)\|([^\]]+)\]\]")


def test_every_translation_keeps_the_link_keys_of_its_message(spanish):
    """``[[key|shown text]]``: the key must survive translation (it picks the source); only the text changes."""
    linked = [(msgid, es) for msgid, es in translated(spanish) if "[[" in msgid]
    assert len(linked) >= 10
    for msgid, es in linked:
        assert sorted(k for k, _ in _LINK.findall(es)) == sorted(k for k, _ in _LINK.findall(msgid)), msgid[:60]
        assert es.count("[[") == len(_LINK.findall(es)), f"a broken marker in the translation of {msgid[:60]!r}"
        about_text.render(es)  # every key known to SOURCES (KeyError otherwise)


def test_the_link_key_check_fails_on_a_changed_key():
    english = "See [[ice|ICE]] and [[aic|the Council]]."
    assert sorted(k for k, _ in _LINK.findall("Véase [[ice|ICE]] y [[gao|el Consejo]].")) != sorted(k for k, _ in _LINK.findall(english))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_translation_keeps_the_named_placeholders_and_markdown_bold(spanish):
    for msgid, es in translated(spanish):
        assert placeholders(es) == placeholders(msgid), msgid[:60]  # none dropped (a figure lost), none invented
        assert es.count("**") == msgid.count("**"), msgid[:60]


def test_the_spanish_catalog_is_what_readers_get():
    paragraph = about_text.SECTIONS[0][1][0]
    summary = pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False).set_index("state").at["DE", "summary"]
    assert i18n.curated(paragraph) == paragraph
    with i18n.using_language("es"):
        assert i18n.curated(paragraph).startswith("La sección 287(g) de la Ley de Inmigración y Nacionalidad")
        assert "13 de agosto de 2025" in i18n.curated(summary)
        assert i18n.curated("The three models") == "Los tres modelos"


def test_run_adds_a_new_summary_untranslated_and_drops_a_vanished_one(tmp_path):
    """A summary edited in the CSV becomes a new, untranslated message (and the tests above fail) until translated."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    laws = pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False)
    old = laws.loc[laws["state"] == "AK", "summary"].iloc[0]
    laws.loc[laws["state"] == "AK", "summary"] = "A brand-new summary for Alaska."
    csv = tmp_path / "state_laws.csv"
    laws.to_csv(csv, index=False)
    missing = tc.run(locale_dir=locale, laws_path=csv)
    assert missing == {"es": ["A brand-new summary for Alaska."]}
    po = tc.read_catalog(locale / "es" / "LC_MESSAGES" / "texts.po", "es")
    assert po["A brand-new summary for Alaska."] is not None and po.get(old) is None
    assert "A brand-new summary for Alaska." in tc.messages(tc.read_catalog(locale / "texts.pot"))
    assert (locale / "es" / "LC_MESSAGES" / "texts.mo").read_bytes() == tc.mo_bytes(po)


def test_run_on_unchanged_sources_changes_no_file(tmp_path):
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    before = {p.relative_to(locale): p.read_bytes() for p in locale.rglob("*") if p.is_file()}
    assert tc.run(locale_dir=locale) == {"es": []}
    assert {p.relative_to(locale): p.read_bytes() for p in locale.rglob("*") if p.is_file()} == before


def test_a_broken_law_table_is_a_clear_error_not_a_short_catalog(tmp_path):
    laws = pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False)
    laws.loc[3, "status"] = "maybe"
    csv = tmp_path / "state_laws.csv"
    laws.to_csv(csv, index=False)
    with pytest.raises(LawTableError, match="status"):
        tc.extract(laws_path=csv)


def test_source_files_cover_the_pages_and_the_package():
    files = {p.relative_to(PROJECT_ROOT).as_posix() for p in tc.source_files()}
    assert {"app.py", "pages/6_About.py", "pages/7_Methodology.py", "src/mapcore/app/about_text.py"} <= files
    assert not any("__pycache__" in f for f in files)
