"""The message catalogs: the template follows the code, every entry is translated, every .mo is its .po.

Run ``make locale`` after changing a marked string: it re-extracts ``mapcore.pot``, merges it into each
``.po`` (translate the new entries there) and compiles every ``.mo``.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mapcore.core import i18n

LOCALE = i18n.LOCALE_DIR
ROOT = LOCALE.parents[2]
TEMPLATE = LOCALE / "mapcore.pot"
PO_FILES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _catalog(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def test_there_is_a_spanish_catalog_for_the_interface():
    assert (LOCALE / "es" / "LC_MESSAGES" / "mapcore.po").is_file()
    assert len(_ids(_catalog(TEMPLATE))) > 300  # the whole interface, not a sample


def test_every_template_message_has_a_spanish_translation_not_fuzzy():
    template = _catalog(TEMPLATE)
    spanish = _catalog(LOCALE / "es" / "LC_MESSAGES" / "mapcore.po", "es")
    problems = []
    for message in template:
        if not message.id:
            continue
        found = spanish.get(message.id)
        if found is None:
            problems.append(f"missing: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(form.strip() for form in _forms(found)):
            problems.append(f"empty: {message.id!r}")
    assert not problems, "run `make locale` and translate in es/LC_MESSAGES/mapcore.po:\n" + "\n".join(problems)


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_translations_keep_the_placeholders_of_their_message(po):
    """A translation that drops or renames ``{n}`` would raise (or lie) when the page formats it."""
    catalog = _catalog(po)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for form in _forms(message):
            if form and set(PLACEHOLDER.findall(form)) - wanted:
                wrong.append((ids[0], form))
            if form and ids[0].count("{") and not set(PLACEHOLDER.findall(form)) >= set(PLACEHOLDER.findall(ids[0])) - {"n"}:
                wrong.append((ids[0], form))
    assert not wrong


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE)))
def test_each_committed_mo_is_the_compile_of_its_po(po):
    catalog = _catalog(po)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: run `make locale`"
    assert mo.read_bytes() == compiled.getvalue(), f"{mo} is stale: run `make locale`"


def test_the_template_is_up_to_date_with_the_code(tmp_path):
    """Re-extract exactly as ``make locale`` does and compare the message ids."""
    fresh = tmp_path / "mapcore.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "extract",
            "--no-default-keywords",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-o",
            str(fresh),
            "src/mapcore",
            "app.py",
            "pages",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    current, committed = _ids(_catalog(fresh)), _ids(_catalog(TEMPLATE))
    assert current == committed, (
        f"new: {sorted(map(str, current - committed))[:10]}; gone: {sorted(map(str, committed - current))[:10]}: run `make locale`"
    )


def test_spanish_reaches_the_reader():
    with i18n.using_language("es"):
        assert i18n.gettext("Home") == "Inicio"
        assert i18n.ngettext("{n} agreement", "{n} agreements", 1).format(n=1) == "1 acuerdo"
        assert i18n.ngettext("{n} agreement", "{n} agreements", 3).format(n=3) == "3 acuerdos"
        assert i18n.gettext("Prohibits") == "Prohíbe"
        assert i18n.format_day("2026-04-30") == "30 abr 2026"
    assert i18n.format_day("2026-04-30") == "2026-04-30"  # English keeps the ISO day the app always printed
