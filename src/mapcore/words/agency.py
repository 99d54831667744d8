"""What the Agency page says about one agency beyond its table rows, in the reader's language."""

from __future__ import annotations

import pandas as pd

from mapcore.analysis import compliance
from mapcore.core.i18n import _


def county_disagreement(ice_county: str, fbi_county: str) -> str:
    """ICE's county and the FBI roster's, where they differ (:mod:`mapcore.build.county_check`): the map
    follows ICE's, and the reader is told the other source says otherwise."""
    return _("ICE's sheets place this agency in {ice}; the FBI's roster of agencies places it in {fbi}. The map and "
             "the counts follow ICE's county.").format(ice=ice_county, fbi=fbi_county)


def law_flags(presence: pd.DataFrame) -> list[str]:
    """One sentence per agreement listed after its state's law reached it, the sentence Law vs practice
    writes for it (:func:`mapcore.analysis.compliance.presence_sentence`)."""
    return [compliance.presence_sentence(row) for _i, row in presence.iterrows()]
