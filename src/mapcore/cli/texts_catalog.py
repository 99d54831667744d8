"""``python -m mapcore.cli.texts_catalog``: the message catalogs of domain ``texts`` (part of ``make locale``).

What is extracted from where is Babel's extraction mapping ``src/mapcore/locale/texts.cfg`` (so ``pybabel
extract -F`` reads the same): the literals marked ``curated(...)`` / ``NT_(...)`` in ``app.py``, ``pages/`` and
``src/mapcore`` (About, Methodology, the rule texts they show), and every non-empty ``summary``, ``evidence``,
``pending`` and ``laws`` of ``data/state_laws.csv`` (:data:`LAW_TEXTS`: the summary, the research notes and the
citations the State page shows)
through this module's Babel extractor :func:`extract_law_summaries`: the English text exactly as in the CSV is the
message id (the pages show ``curated(text)``), with the column and the state's postal code as a comment for the
translator, so a new or edited text shows up in the template and, untranslated, fails the tests.

Steps: extract ``locale/texts.pot`` (rewritten only when its messages changed, so its date does not churn),
merge it into each ``locale/<lang>/LC_MESSAGES/texts.po`` (new messages empty, vanished ones dropped,
changed ones marked fuzzy for review) and compile each ``.po`` to the committed ``.mo``.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import check_and_call_extract_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from mapcore.core.atomic import write_bytes_atomically
from mapcore.core.config import PROJECT_ROOT
from mapcore.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, LOCALE_DIR
from mapcore.reference.laws import LAWS_PATH, load_laws

DOMAIN = "texts"
MAPPING = LOCALE_DIR / f"{DOMAIN}.cfg"  # Babel's extraction mapping: methods, keywords, comment tags per file pattern
SOURCES: tuple[str, ...] = ("app.py", "pages", "src/mapcore")
LAW_COMMENT = "State-law summary, {state} (data/state_laws.csv)"
# The columns of data/state_laws.csv a page shows as text, and the translator's comment of each.
LAW_TEXTS: dict[str, str] = {
    "summary": LAW_COMMENT,
    "evidence": "State-law research note (evidence), {state} (data/state_laws.csv)",
    "pending": "State-law research note (pending bills and suits), {state} (data/state_laws.csv)",
    "laws": "State-law citations (keep the names), {state} (data/state_laws.csv)",
}
TRANSLATED: tuple[str, ...] = tuple(sorted(set(LANGUAGES) - {DEFAULT_LANGUAGE}))  # the languages with a catalog


def source_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """The Python files of the domain's sources, in a stable order (the template's)."""
    found: list[Path] = []
    for name in SOURCES:
        path = root / name
        found += [path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
    return found


def law_summaries(laws_path: Path = LAWS_PATH, column: str = "summary") -> list[tuple[str, str, int]]:
    """(text, state, CSV line) for every non-empty cell of ``column`` (a summary by default); the table is
    validated first (a clear error naming file, row and field)."""
    laws = load_laws(laws_path)
    if column not in laws:
        return []
    return [
        (str(text), str(state), int(index) + 2)
        for index, state, text in zip(laws.index, laws["state"], laws[column])
        if isinstance(text, str) and text.strip()
    ]


def extract_law_summaries(
    fileobj: IO[bytes],
    keywords: Collection[str],  # noqa: ARG001 - Babel's extractor signature
    comment_tags: Collection[str],  # noqa: ARG001
    options: Mapping[str, Any],  # noqa: ARG001
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor (``[law_summaries: **.csv]`` in the mapping): each text of a state-law table
    (:data:`LAW_TEXTS`, column by column) as a message, its column and state named in a comment for the
    translator (the same note for two states is one message naming both)."""
    for column, comment in LAW_TEXTS.items():
        for text, state, line in law_summaries(Path(fileobj.name), column):
            yield line, None, text, [comment.format(state=state)]


def _mapping() -> tuple[list[tuple[str, str]], dict[str, dict[str, Any]]]:
    with MAPPING.open(encoding="utf-8") as handle:
        return parse_mapping_cfg(handle, str(MAPPING))


def extract(root: Path = PROJECT_ROOT, laws_path: Path = LAWS_PATH) -> Catalog:
    """The template of domain ``texts``: what the mapping finds in the code, then in the law table."""
    catalog = Catalog(
        project="mapcore",
        domain=DOMAIN,
        charset="utf-8",
        fuzzy=False,
        header_comment="# The curated texts of the 287(g) agreements map (domain texts): About, Methodology,\n"
        "# the rule texts they show and the state-law summaries of data/state_laws.csv.\n"
        "# Made by `make locale-texts` (mapcore.cli.texts_catalog); do not edit by hand.\n#",
    )
    method_map, options_map = _mapping()
    inputs = [(path, root, path.relative_to(root).as_posix()) for path in source_files(root)]
    inputs.append((laws_path, laws_path.parent, _shown_path(laws_path, root)))
    for path, base, where in inputs:
        for _file, lineno, message, comments, _context in check_and_call_extract_file(
            str(path), method_map, options_map, None, {}, (), False, dirpath=str(base)
        ):
            if isinstance(message, str) and message:
                catalog.add(message, locations=[(where, lineno)], auto_comments=comments)
    return catalog


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def messages(catalog: Catalog) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """What matters of a template for 'is it up to date': each id with its files and comments (no line numbers)."""
    return {str(m.id): (tuple(sorted({file for file, _line in m.locations})), tuple(m.auto_comments)) for m in catalog if m.id}


def po_bytes(catalog: Catalog, **options: bool) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, **options)  # no line numbers: no churn on every edit
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog (fuzzy entries left out, as gettext would)."""
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def update(template: Catalog, po_path: Path, lang: str) -> Catalog:
    """``po_path`` merged with the template (created from it when missing)."""
    if po_path.is_file():
        catalog = read_catalog(po_path, lang)
        catalog.update(template, update_creation_date=False)
        catalog.obsolete.clear()  # vanished messages leave the file (git keeps their history)
        return catalog
    catalog = Catalog(
        locale=lang,
        domain=DOMAIN,
        project="mapcore",
        charset="utf-8",
        fuzzy=False,
        last_translator="the 287(g) agreements map team",
        language_team=LANGUAGES.get(lang, lang),
    )
    catalog.update(template)
    return catalog


def untranslated(catalog: Catalog) -> list[str]:
    """Ids with no translation, or a fuzzy one (a fuzzy entry is not compiled, so readers get English)."""
    return [str(m.id) for m in catalog if m.id and (m.fuzzy or not m.string)]


def run(
    root: Path = PROJECT_ROOT, locale_dir: Path = LOCALE_DIR, laws_path: Path = LAWS_PATH, languages: Iterable[str] = TRANSLATED
) -> dict[str, list[str]]:
    """Extract, update and compile; returns the untranslated ids per language."""
    template = extract(root, laws_path)
    pot_path = locale_dir / f"{DOMAIN}.pot"
    if not pot_path.is_file() or messages(read_catalog(pot_path)) != messages(template):
        write_bytes_atomically(pot_path, po_bytes(template))
    missing: dict[str, list[str]] = {}
    for lang in languages:
        po_path = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = update(template, po_path, lang)
        new = po_bytes(catalog)
        if not po_path.is_file() or po_path.read_bytes() != new:
            write_bytes_atomically(po_path, new)
        write_bytes_atomically(po_path.with_suffix(".mo"), mo_bytes(read_catalog(po_path, lang)))
        missing[lang] = untranslated(catalog)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.parse_args(argv)
    missing = run()
    for lang, ids in missing.items():
        print(f"{DOMAIN} [{lang}]: {len(ids)} message(s) untranslated or fuzzy")
        for message in ids[:20]:
            print(f"  - {message[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
