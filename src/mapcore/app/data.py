"""Everything a page needs, loaded once: the dataset with each agreement's state law attached,
the law table, and the boundary layers (read on first use: most page views never need them, and the
maps read their own prebuilt geometry). Pure loading; caching lives in :mod:`mapcore.app.ui.cache`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import pandas as pd

from mapcore.analysis import query
from mapcore.analysis.context import Context, context
from mapcore.analysis.law_on_day import attach_law, laws_in_force
from mapcore.build import store
from mapcore.geo.boundaries import load_counties, load_states
from mapcore.reference.fbi_roster import roster_table
from mapcore.reference.laws import load_laws
from mapcore.reference.population import Population, load_population


@dataclass(frozen=True)
class AppData:
    dataset: store.Dataset
    agreements: pd.DataFrame        # every agreement of every publication, with the law in force on its date
    laws: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)   # something went wrong (the data shown is older)
    roster: pd.DataFrame | None = None          # the FBI's agencies (mapcore.build.ori_match.roster_table)
    population: Population | None = None        # Census 2023 residents on the 2016 counties

    @cached_property
    def counties(self) -> gpd.GeoDataFrame:
        return load_counties()

    @cached_property
    def states(self) -> gpd.GeoDataFrame:
        return load_states()

    @property
    def sheets(self) -> pd.DataFrame:
        return self.dataset.sheets

    def latest_id(self, kind: str = "participating") -> str | None:
        return query.latest_publication_id(self.sheets, kind)

    def publication(self, publication_id: str | None) -> pd.DataFrame:
        return query.publication_rows(self.agreements, publication_id)

    def context(self, publication_id: str | None, scope: str | None = None) -> Context | None:
        """Shares of agencies, officers and residents covered in one publication (a state, or the nation)."""
        if self.roster is None or self.population is None:
            return None
        return context(self.publication(publication_id), self.roster, self.population, scope)

    def publication_date(self, publication_id: str | None) -> pd.Timestamp | None:
        row = self.sheets[self.sheets["publication_id"] == publication_id]
        return None if row.empty else row["publication_date"].iloc[0]

    def laws_on(self, publication_id: str | None) -> pd.DataFrame:
        """The law table as in force on a publication's date (:func:`laws_in_force`), for maps and
        tables of that publication; the newest laws when the publication is unknown."""
        when = self.publication_date(publication_id)
        return self.laws if when is None else laws_in_force(self.laws, when)


def assemble(dataset: store.Dataset, warnings: tuple[str, ...] = ()) -> AppData:
    laws = load_laws()
    agreements = attach_law(dataset.agreements, laws)
    for column in ("law_status", "law_scope"):
        if column in agreements:
            agreements[column] = agreements[column].astype("category")
    return AppData(dataset, agreements, laws, tuple(warnings), roster=roster_table(), population=load_population())
