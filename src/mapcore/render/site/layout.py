"""Where each file of an edition lives, and links between them that work from any folder or host.

An edition is one folder: English at its root, each other language under ``<lang>/`` with the same
paths. Style sheet, downloads and GeoJSON are shared by the languages (``assets/``, ``downloads/``).
Every internal link is relative, so the folder can be served from any host or path, or opened from
disk; only ``<link rel="canonical">``, the sitemap and the feeds' links use ``--base-url``.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from mapcore.core.i18n import DEFAULT_LANGUAGE, LANGUAGES

HOME = "index.html"
CSS = "site.css"


def lang_prefix(lang: str) -> str:
    """'' for English, 'es/' for Spanish: the folder of a language inside the edition."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def state_page(state: str) -> str:
    return f"state/{state}.html"


def state_map(state: str) -> str:
    return f"maps/{state}.html"


def feed(scope: str) -> str:
    """``feeds/national.atom`` or ``feeds/TX.atom`` (inside a language's folder)."""
    return f"feeds/{'national' if scope == 'US' else scope}.atom"


def download(state: str, ext: str) -> str:
    """The shared download of a state's newest agreements (``downloads/287g-TX.csv``)."""
    return f"downloads/287g-{state}.{ext}"


def relative(from_file: str, to_file: str) -> str:
    """A link from one file of the edition to another (both paths from the edition's root)."""
    start = posixpath.dirname(from_file) or "."
    return posixpath.relpath(to_file, start)


@dataclass(frozen=True)
class Place:
    """One page of one language: its path from the edition's root and the prefixes its links need."""

    lang: str
    path: str  # inside the language folder: 'state/TX.html'

    @property
    def file(self) -> str:
        return lang_prefix(self.lang) + self.path

    @property
    def root(self) -> str:
        """'../../' from this page to the edition's root ('' at the root)."""
        depth = self.file.count("/")
        return "../" * depth

    @property
    def lang_root(self) -> str:
        return "../" * self.path.count("/")

    def link(self, path: str, lang: str | None = None) -> str:
        """A relative link to ``path`` inside a language folder (this page's language by default)."""
        return relative(self.file, lang_prefix(lang or self.lang) + path)

    def shared(self, path: str) -> str:
        """A relative link to a file shared by the languages (``downloads/``, ``assets/``)."""
        return relative(self.file, path)

    def url(self, base_url: str | None, lang: str | None = None) -> str | None:
        """The absolute address of this page (or of its twin in ``lang``) under ``base_url``."""
        if not base_url:
            return None
        return base_url.rstrip("/") + "/" + lang_prefix(lang or self.lang) + self.path


def other_languages(lang: str) -> list[str]:
    return [code for code in LANGUAGES if code != lang]
