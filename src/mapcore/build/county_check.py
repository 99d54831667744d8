"""Where ICE's county and the FBI roster's disagree, say so on the agency.

Placement trusts the county ICE printed when the agency's town lies in it, or when the name gives no town
to check it against (a campus: "Florida Atlantic University Police Department", printed Broward County).
The FBI roster gives the county of the agency linked to it (its ORI), which may be another: Florida Atlantic
University's seat and FBI county are Palm Beach. The agreement keeps ICE's county; ``fbi_county`` names the
roster's county (or counties) so every view can say the two sources disagree. Added at build time, after
the ORI link.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from mapcore.core.schema import LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_OTHER

COLUMN = "fbi_county"
_CHECKED_LEVELS = frozenset({LEVEL_COUNTY, LEVEL_MUNICIPAL, LEVEL_OTHER})


def with_fbi_county(agreements: pd.DataFrame, roster: pd.DataFrame, county_name: Callable[[str], str | None]) -> pd.DataFrame:
    """A copy with ``fbi_county``: the FBI roster's county names ("; "-joined) of the agency's ORI where none
    of them is the county the agreement is placed in; None where they agree, or either is unknown.
    ``roster``: the roster table (``ori``, ``county_fips`` ";"-joined); ``county_name``: GEOID -> name."""
    out = agreements.copy()
    if out.empty or "ori" not in out or roster is None or roster.empty:
        out[COLUMN] = pd.Categorical([None] * len(out))
        return out
    fbi = dict(zip(roster["ori"].astype(str), roster["county_fips"]))
    keys = pd.DataFrame(
        {"ori": out["ori"].astype(object), "county_fips": out["county_fips"].astype(object), "level": out["level"].astype(object)}
    )
    codes, firsts = pd.factorize(pd.MultiIndex.from_frame(keys.fillna("")))
    values: list[str | None] = []
    for ori, placed, level in firsts:
        roster_fips = fbi.get(ori) if ori else None
        counties = [f for f in roster_fips.split(";") if f] if isinstance(roster_fips, str) else []
        disagree = bool(placed) and level in _CHECKED_LEVELS and bool(counties) and placed not in counties
        values.append("; ".join(county_name(f) or f for f in counties) if disagree else None)
    categories = sorted({v for v in values if v is not None})
    index = {v: i for i, v in enumerate(categories)}
    per_key = np.array([index[v] if v is not None else -1 for v in values], dtype=np.int64)
    out[COLUMN] = pd.Categorical.from_codes(per_key[codes], categories=categories)
    return out
