"""The one home for the app's languages: gettext catalogs, the reader's language, numbers and dates.

Why: every text a reader sees goes through one catalog look-up, so a third language is a catalog
(``src/mapcore/locale/<lang>/LC_MESSAGES/<domain>.po`` compiled to ``.mo``), not a code change.

- Domains: ``mapcore`` holds the interface (pages, legends, tooltips, captions, errors); ``texts``
  holds the long curated texts (About, Methodology, the state-law summaries read from
  ``data/state_laws.csv``). Two domains keep two catalogs that change at different speeds apart.
- The reader's language is a context variable. The app sets it once at the top of every script run
  (``app.ui``); the CLI and the library's own callers get English unless they ask otherwise
  (``using_language``). Streamlit runs each script run in one thread, so the value never leaks from
  one reader's session into another's.
- Extraction keywords: domain ``mapcore``: ``_``, ``N_``, ``ngettext:1,2``; domain ``texts``:
  ``curated``, ``NT_``. Mark a constant with ``N_``/``NT_`` where it is defined and translate it with
  ``_``/``curated`` where it is shown: the catalog is read when the text is shown, in the reader's language.
- Values that are not ours (agency names, ICE's own cells, law citations) are never translated.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import gettext as _gettext
from collections.abc import Iterator
from functools import lru_cache
from numbers import Integral
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}  # code -> the language's own name
DEFAULT_LANGUAGE = "en"
DOMAINS = ("mapcore", "texts")

_CURRENT: contextvars.ContextVar[str] = contextvars.ContextVar("mapcore_language", default=DEFAULT_LANGUAGE)


def normalize_language(value: object) -> str | None:
    """A supported language code for 'es', 'ES', 'es-MX', 'es_419'; None for anything else."""
    if not isinstance(value, str):
        return None
    code = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def language_from_header(accept_language: str | None) -> str | None:
    """The first supported language of a browser's Accept-Language header, by its q weights (None if none)."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = normalize_language(tag)
        if code and weight > 0:
            ranked.append((-weight, order, code))
    return min(ranked)[2] if ranked else None


def set_language(lang: str | None) -> str:
    """Make ``lang`` (or English, if unsupported) the reader's language for this thread; returns the code set."""
    code = normalize_language(lang) or DEFAULT_LANGUAGE
    _CURRENT.set(code)
    return code


def current_language() -> str:
    """The language code in force (``en`` unless the app or ``using_language`` set another)."""
    return _CURRENT.get()


@contextlib.contextmanager
def using_language(lang: str | None) -> Iterator[str]:
    """Run a block in ``lang`` (e.g. a CLI that renders a Spanish picture), restoring the language after."""
    token = _CURRENT.set(normalize_language(lang) or DEFAULT_LANGUAGE)
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


@lru_cache(maxsize=16)
def translations(lang: str, domain: str = "mapcore") -> _gettext.NullTranslations:
    """The compiled catalog of ``domain`` in ``lang``; English (the message ids themselves) has none."""
    if domain not in DOMAINS:
        raise ValueError(f"unknown message domain {domain!r} (known: {', '.join(DOMAINS)})")
    if lang == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(domain, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the reader's language (domain ``mapcore``); the English text if no translation."""
    return translations(current_language()).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the reader's language (domain ``mapcore``)."""
    return translations(current_language()).ngettext(singular, plural, n)


def curated(message: str) -> str:
    """A long curated text (domain ``texts``: About, Methodology, law summaries) in the reader's language."""
    return translations(current_language(), "texts").gettext(message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for 'mark, do not translate yet'
    """Mark a constant of domain ``mapcore`` for extraction; translate it with ``_`` where it is shown."""
    return message


def NT_(message: str) -> str:  # noqa: N802 - as N_, for domain ``texts``
    """Mark a constant of domain ``texts`` for extraction; translate it with ``curated`` where it is shown."""
    return message


def babel_locale(lang: str | None = None) -> Locale:
    """The Babel locale of ``lang`` (default: the reader's language)."""
    return _locale(lang or current_language())


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale:
    """Babel's locale object of a language code, parsed once (a fact about the language, no reader's words)."""
    try:
        return Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT_LANGUAGE)


@lru_cache(maxsize=32)
def _group_symbol(lang: str) -> str | None:
    """The digit-group separator Babel writes for whole numbers in a language ("," / "."), read from Babel's
    own output once; None when its grouping is not the plain one of three digits (then Babel formats)."""
    locale = _locale(lang)
    sample = _babel_decimal(1234567, locale=locale)
    group = sample[1:2]
    return group if sample == f"1{group}234{group}567" and _babel_decimal(-1234, locale=locale) == f"-1{group}234" else None


def format_number(value: float | int, decimals: int | None = None) -> str:
    """A number with the language's separators: 1,481 (en), 1.481 and 12.345,5 (es; Babel groups four digits too)."""
    if decimals is None and isinstance(value, Integral) and not isinstance(value, bool):
        group = _group_symbol(current_language())
        if group is not None:  # whole numbers: Babel's own separator, without Babel's pattern machinery each time
            return f"{int(value):,}".replace(",", group)
    fmt = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    return _babel_decimal(value, format=fmt, locale=babel_locale())


def format_percent(fraction: float, decimals: int = 1) -> str:
    """A share (0.072 -> 7.2% / 7,2 %) in the reader's language."""
    return _babel_percent(fraction, format="#,##0." + "0" * decimals + "%" if decimals else "#,##0%", locale=babel_locale())


def format_date(value: dt.date | str, style: str = "medium") -> str:
    """A day in the reader's language: 'Apr 30, 2026' / '30 abr 2026' (ISO strings accepted)."""
    day = dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return _babel_date(day, format=style, locale=babel_locale())


def format_day(value: dt.date | dt.datetime | str, long: bool = False) -> str:
    """A day as the app prints it: ISO ``2026-04-30`` in English (as it always has, and as journalists cite
    ICE's sheets), the language's own medium date in the others ('30 abr 2026'), or with ``long`` its long
    date, for a date inside a sentence ('el 18 de mayo de 2026'). Accepts dates, datetimes, pandas
    Timestamps and ISO strings."""
    if isinstance(value, str):
        day = dt.date.fromisoformat(value[:10])
    elif isinstance(value, dt.datetime):
        day = value.date()
    else:
        day = value
    if current_language() == DEFAULT_LANGUAGE:
        return day.isoformat()
    return format_date(day, "long" if long else "medium")
