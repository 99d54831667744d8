"""Lists of agency names in the reader's language: "a; b; c; and 3 more" / "a; b; c; y 3 más".

Analysis keeps a capped list as a fact (the first names, then :data:`mapcore.analysis.query.MORE` and how many
were left out: no words); the words are added here when a tooltip or a line shows it.
"""

from __future__ import annotations

from mapcore.analysis.query import MORE
from mapcore.core.i18n import format_number, ngettext


def and_more(n: int) -> str:
    """'and 3 more' / 'y 3 más'."""
    return ngettext("and {n} more", "and {n} more", n).format(n=format_number(n))


def names_text(names: object) -> str:
    """A capped list of names (:func:`mapcore.analysis.query.capped_names`) with its "and N more" in words."""
    text = "" if names is None else str(names)
    head, marker, rest = text.partition(MORE)
    if not marker:
        return text
    return head + and_more(int(rest) if rest.isdigit() else 0)


def capped(names: object, limit: int = 6) -> str:
    """ "a; b; c" cut to ``limit`` names, then "and N more" in the reader's language (a tooltip stays small)."""
    parts = [n for n in names_text(names).split("; ") if n]
    text = "; ".join(parts[:limit])
    return text + (f"; {and_more(len(parts) - limit)}" if len(parts) > limit else "")


__all__ = ["and_more", "names_text", "capped"]
