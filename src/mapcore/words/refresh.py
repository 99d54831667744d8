"""What a refresh tells readers (:mod:`mapcore.build.refresh` keeps it as codes and values), in the reader's
language."""

from __future__ import annotations

from mapcore.build.refresh import BUILT_FROM_SNAPSHOT, KEPT_LAST_GOOD, SHEET_MOVED_ASIDE, split_warning
from mapcore.core.i18n import N_, _

WARNINGS = {
    BUILT_FROM_SNAPSHOT: N_("The data could not be built ({error}); showing the bundled snapshot of ICE's sheets up to {date}."),
    KEPT_LAST_GOOD: N_("The data could not be rebuilt ({error}); showing the last good dataset, built {built}."),
    SHEET_MOVED_ASIDE: N_("A fetched sheet could not be read and was moved aside on {day}: {file} ({reason})."),
}


def warning_text(stored: str) -> str:
    """A stored warning (a code, or an English msgid, with its values) in the reader's language; any other
    text unchanged."""
    key, values = split_warning(stored)
    msgid = WARNINGS.get(key, key)
    return _(msgid).format(**values) if values else _(msgid)
