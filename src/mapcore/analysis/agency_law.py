"""One agency's agreements against its state's law: the same comparison as Law vs practice
(:func:`mapcore.analysis.compliance.restricted_presence`), for the rows of one agency only, so the Agency
page flags what that page flags (an agreement listed after the law reached it) in its words."""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import compliance
from mapcore.analysis.agency_story import agency_rows


def listed_after_law(agreements: pd.DataFrame, sheets: pd.DataFrame, laws: pd.DataFrame, state: str, agency: str) -> pd.DataFrame:
    """The agency's agreements (presence rows, :data:`mapcore.analysis.compliance.PRESENCE_COLUMNS`) that ICE
    listed after its state's law reached them: ``listed_after_law`` as Law vs practice sets it (after the law
    took effect, within its wind-down, or after its deadline; never where the day of the law is unknown)."""
    rows = agency_rows(agreements, state, agency)
    if rows.empty or state not in compliance.restrictive_states(laws):
        return pd.DataFrame(columns=list(compliance.PRESENCE_COLUMNS))
    presence = compliance.restricted_presence(rows, sheets, laws)
    return presence[presence["listed_after_law"].eq(True).fillna(False).astype(bool)].reset_index(drop=True)
