"""What the Agency page says about one agency beyond its table rows, in the reader's language."""

from __future__ import annotations

import pandas as pd

from mapcore.core.i18n import _
from mapcore.words import compliance


def county_disagreement(ice_county: str, fbi_county: str) -> str:
    """ICE's county and the FBI roster's, where they differ (:mod:`mapcore.build.county_check`): the map
    follows ICE's, and the reader is told the other source says otherwise."""
    return _(
        "ICE's sheets place this agency in {ice}; the FBI's roster of agencies places it in {fbi}. The map and "
        "the counts follow ICE's county."
    ).format(ice=ice_county, fbi=fbi_county)


def law_flags(presence: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> list[str]:
    """One sentence per agreement listed after its state's law reached it, the sentence Law vs practice
    writes for it (:func:`mapcore.words.compliance.presence_sentence`; ``newest_date``: the newest sheet's)."""
    return [compliance.presence_sentence(row, newest_date) for _i, row in presence.iterrows()]


def notes(place: dict, listed_after: pd.DataFrame, newest_date: pd.Timestamp | None = None) -> list[tuple[str, str]]:
    """What the Agency page says above its tables, as (level, sentence): where ICE's county and the FBI's differ
    ("info"), then each agreement listed after its state's law reached it ("warning", :func:`law_flags`)."""
    out = []
    if place.get("fbi_county") and place.get("county_name"):
        out.append(("info", county_disagreement(str(place["county_name"]), str(place["fbi_county"]))))
    return out + [("warning", sentence) for sentence in law_flags(listed_after, newest_date)]


def signed_since_caption() -> str:
    """Under the agency's pending applications, when one of them has since been signed."""
    return _(
        "Signed since: the newest pending sheet still lists the application, but a later participating sheet lists "
        "the agreement, so it is not counted as pending."
    )
