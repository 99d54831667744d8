"""County residents (Census 2023 estimates) on the boundary layer's 2016 counties.

``data/county_population.csv`` is the Census Bureau's vintage-2023 county estimate (public domain),
in 2023 geography. The map and the agreements use the 2016 boundary layer, so two changes need a
rule, applied here once:

* **Alaska**: Chugach (02063) and Copper River (02066) census areas, split from Valdez-Cordova in
  2019, are added up into Valdez-Cordova (02261), the 2016 unit.
* **Connecticut**: the Census now counts residents in 9 planning regions (09110-09190) that do not
  nest in the 8 former counties of the 2016 layer (09001-09015). Their residents count in the state's
  and the nation's totals, but no 2016 county gets a figure: Connecticut is shown at state level
  only (it has had no county government since 1960 and no sheriffs since 2000).

Puerto Rico and the other territories are not in the estimates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mapcore.core import config

POPULATION_PATH: Path = config.DATA_DIR / "county_population.csv"
POPULATION_YEAR = 2023
MERGED_INTO_2016: dict[str, str] = {"02063": "02261", "02066": "02261"}
STATE_LEVEL_ONLY: frozenset[str] = frozenset({"09"})  # Connecticut's planning regions
# The two rules above, by the state they apply to (said in words by mapcore.words.context.POPULATION_RULES).
RULES: tuple[str, ...] = ("AK", "CT")


@dataclass(frozen=True)
class Population:
    """Residents per 2016 county GEOID (``by_county``) and per state FIPS (``by_state``, every resident,
    Connecticut's included)."""

    by_county: pd.Series
    by_state: pd.Series
    year: int = POPULATION_YEAR

    def state_total(self, state_fips: str | None) -> int:
        return int(self.by_state.get(state_fips, 0)) if state_fips else 0


def population_from(frame: pd.DataFrame) -> Population:
    """Apply the module's rules to a table with ``county_fips`` (5 digits) and ``pop_2023``."""
    fips = frame["county_fips"].astype(str).str.strip().str.zfill(5)
    people = pd.to_numeric(frame["pop_2023"], errors="raise").astype("int64")
    by_state = people.groupby(fips.str[:2].to_numpy()).sum()
    mapped = fips.map(lambda f: MERGED_INTO_2016.get(f, f))
    keep = ~mapped.str[:2].isin(STATE_LEVEL_ONLY).to_numpy()
    by_county = people[keep].groupby(mapped[keep].to_numpy()).sum()
    return Population(by_county.rename("residents"), by_state.rename("residents"))


@functools.lru_cache(maxsize=2)
def load_population(path: Path = POPULATION_PATH) -> Population:
    """The Census table in ``data/`` on the 2016 counties; a clear error naming the file when a column is
    missing or a figure is not a number."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"county_fips", "pop_2023"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: column(s) missing: {', '.join(sorted(missing))}")
    bad = frame.index[~frame["pop_2023"].str.strip().str.fullmatch(r"\d+")]
    if len(bad):
        raise ValueError(f"{path}, row {int(bad[0]) + 2}, column pop_2023: {frame['pop_2023'].iloc[bad[0]]!r} is not a count")
    return population_from(frame)
