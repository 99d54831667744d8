"""Everything a page needs, loaded once: the dataset with each agreement's state law attached,
the law table, and the boundary layers (read on first use: most page views never need them, and the
maps read their own prebuilt geometry). Pure loading; caching lives in :mod:`mapcore.app.ui.cache`.

What depends only on the dataset is computed once per dataset and kept with it (:meth:`AppData.remember`):
a publication's rows, its date, the law in force on it, its context figures, the filters' choices. A
reader's rerun then costs what depends on their choices only. Facts only (frames, counts, dates, codes),
never words: two readers in two languages share them. Frames handed out are shared: read them, never
change them in place (pandas' copy-on-write makes any change a copy)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

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

T = TypeVar("T")
MEMO_ENTRIES = 256  # facts kept per dataset (a publication's rows are ~2,000 rows: a few hundred KB)


@dataclass(frozen=True)
class AppData:
    dataset: store.Dataset
    agreements: pd.DataFrame  # every agreement of every publication, with the law in force on its date
    laws: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)  # something went wrong (the data shown is older)
    roster: pd.DataFrame | None = None  # the FBI's agencies (mapcore.build.ori_match.roster_table)
    population: Population | None = None  # Census 2023 residents on the 2016 counties

    _memo: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False, compare=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def remember(self, key: Hashable, make: Callable[[], T]) -> T:
        """A fact of this dataset computed once (the newest :data:`MEMO_ENTRIES` kept): facts only, never words."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = make()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return value

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
        return self.remember(("latest", kind), lambda: query.latest_publication_id(self.sheets, kind))

    def publications(self, kind: str = "participating") -> pd.DataFrame:
        """The publications of a kind, oldest first (:func:`mapcore.analysis.query.publications`)."""
        return self.remember(("publications", kind), lambda: query.publications(self.sheets, kind))

    def publication(self, publication_id: str | None) -> pd.DataFrame:
        return self.remember(("publication", publication_id), lambda: query.publication_rows(self.agreements, publication_id))

    def context(self, publication_id: str | None, scope: str | None = None) -> Context | None:
        """Shares of agencies, officers and residents covered in one publication (a state, or the nation)."""
        if self.roster is None or self.population is None:
            return None
        roster, population = self.roster, self.population
        return self.remember(
            ("context", publication_id, scope), lambda: context(self.publication(publication_id), roster, population, scope)
        )

    def publication_date(self, publication_id: str | None) -> pd.Timestamp | None:
        return self._dates.get(publication_id)

    @cached_property
    def _dates(self) -> dict:
        sheets = self.sheets.drop_duplicates("publication_id")
        return dict(zip(sheets["publication_id"].astype("object"), sheets["publication_date"]))

    def laws_on(self, publication_id: str | None) -> pd.DataFrame:
        """The law table as in force on a publication's date (:func:`laws_in_force`), for maps and
        tables of that publication; the newest laws when the publication is unknown."""
        when = self.publication_date(publication_id)
        return self.laws if when is None else self.remember(("laws_on", when), lambda: laws_in_force(self.laws, when))


def assemble(dataset: store.Dataset, warnings: tuple[str, ...] = ()) -> AppData:
    laws = load_laws()
    agreements = attach_law(dataset.agreements, laws)
    for column in ("law_status", "law_scope"):
        if column in agreements:
            agreements[column] = agreements[column].astype("category")
    return AppData(dataset, agreements, laws, tuple(warnings), roster=roster_table(), population=load_population())
