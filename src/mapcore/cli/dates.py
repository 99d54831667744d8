"""Days given on the command line: ``YYYY-MM-DD`` and nothing else.

pandas and ``date.fromisoformat`` read much more (``now``, ``-1``, ``2026-W20-1``, ``20260512``); a day a
reader cannot check at a glance is refused by name instead of silently meaning something else.
"""

from __future__ import annotations

import datetime as dt
import re

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_option(text: str | None, option: str) -> dt.date | None:
    """The day ``option`` was given (None when not given); ValueError naming the option otherwise."""
    if text is None:
        return None
    try:
        if _DAY.fullmatch(text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"{option} {text!r}: not a date written YYYY-MM-DD")
