"""Pending applications signed since the pending list, in the reader's language (the facts:
:mod:`mapcore.analysis.pending`)."""

from __future__ import annotations

import pandas as pd

from mapcore.analysis.pending import SIGNED_SINCE
from mapcore.analysis.query import agency_names
from mapcore.core.i18n import format_day, format_number, ngettext


def signed_since_note(signed: pd.DataFrame) -> str:
    """'2 applications of this pending list have since been signed: ICE's participating sheets list them from
    2026-03-02 on (Franklin County Sheriff's Office, AR, TFM; ...).' ('' when none)."""
    if signed.empty:
        return ""
    names = agency_names(signed)
    first = pd.to_datetime(signed[SIGNED_SINCE]).min()
    listed = "; ".join(
        sorted(
            f"{name}, {state}, {model}" for name, state, model in zip(names, signed["state"].astype(object), signed["model"].astype(object))
        )
    )
    return ngettext(
        "{n} application of this pending list has since been signed: ICE's participating sheets list it "
        "from {date} on ({names}). It is not counted as pending.",
        "{n} applications of this pending list have since been signed: ICE's participating sheets list "
        "them from {date} on ({names}). They are not counted as pending.",
        len(signed),
    ).format(n=format_number(len(signed)), date=format_day(first), names=listed)
