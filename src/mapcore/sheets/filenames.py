"""What an ICE file name claims (its kind and its date), checked against what the sheet's content says.

ICE names its files ``participatingAgencies04302026am.xlsx`` and ``pendingAgencies04302026am.xlsx``, but
the name is typed by hand: a year typo (``01062025pm`` for January 2026), garbled digits
(``090022025am``), or a list of pending applications saved under a "participating" name. The content
decides (a sheet with a SIGNED column is participating; :mod:`mapcore.sheets.pubdate` dates it); these
helpers say where the name disagrees, so the Methodology page and ``mapcore validate`` can tell.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from mapcore.sheets.pubdate import printed_date

_KIND_WORDS = (("participating", re.compile(r"particip", re.IGNORECASE)), ("pending", re.compile(r"pend", re.IGNORECASE)))
# Why the content decides the kind, in English (``mapcore validate`` prints it; the Methodology page shows the same
# words in the reader's language from mapcore.words.methodology.CONTENT_RULE, which a test keeps equal to this).
CONTENT_RULE = {
    "participating": "it has a SIGNED column: a list of signed agreements",
    "pending": "it has no SIGNED column: a list of pending applications",
}
NAME_DATE_QUIRKS: tuple[str, ...] = ("year_typo", "garbled", "no_date")  # the codes of name_date_quirk


def kind_in_name(file_name: str) -> str | None:
    """'participating' or 'pending' as the file name says it, None when it says neither (or both)."""
    stem = Path(str(file_name)).name
    found = [kind for kind, pattern in _KIND_WORDS if pattern.search(stem)]
    return found[0] if len(found) == 1 else None


def reclassified(file_name: str, kind: str) -> bool:
    """True when the name says one kind and the content is the other (the content decides)."""
    named = kind_in_name(file_name)
    return named is not None and named != kind


def reclassified_note(file_name: str, kind: str) -> str | None:
    """A sentence for a reclassified sheet, None for any other."""
    if not reclassified(file_name, kind):
        return None
    return f"named as {kind_in_name(file_name)}, read as {kind}: {CONTENT_RULE.get(kind, 'by its content')}"


def name_date_quirk(file_name: str, published: dt.date) -> str | None:
    """How the date printed in a file name differs from the publication date the sheet was given:
    'year_typo' (same month and day, another year), 'garbled' (a stray or swapped digit, or another
    date), 'no_date' (no date in the name); None when the name prints the publication date cleanly."""
    printed, clean = printed_date(Path(str(file_name)).name)
    if printed is None:
        return "garbled" if not clean else "no_date"
    if printed == published and clean:
        return None
    if (printed.month, printed.day) == (published.month, published.day) and printed.year != published.year:
        return "year_typo"
    return "garbled"
