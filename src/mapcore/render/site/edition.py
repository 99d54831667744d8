"""One edition of the static site, from a built dataset to a folder (``mapcore site``).

Order: the facts (once, no words), the shared files (style sheet, downloads), then per language the
maps, Home, a page per state, a page per agency ever listed, the retired addresses and the feeds, and
last the sitemap, robots.txt and the manifest. Every file goes through the incremental
:class:`~mapcore.render.site.writer.Writer`, so a run with nothing new writes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mapcore.analysis.law_on_day import attach_law, laws_in_force
from mapcore.build.store import Dataset
from mapcore.core import config
from mapcore.core.i18n import LANGUAGES, using_language
from mapcore.geo.boundaries import load_counties, load_states
from mapcore.render import export
from mapcore.render.site import feeds, layout, mapfiles, pages, sitemap
from mapcore.render.site.facts import EditionFacts, gather
from mapcore.render.site.writer import Writer

CSS_SOURCE = Path(__file__).resolve().parent / "site.css"


@dataclass
class Report:
    """What a run did: pages per kind, files written and left as they were, seconds, bytes on disk."""

    folder: Path
    pages: dict[str, int] = field(default_factory=dict)
    agencies: int = 0
    written: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    bytes: int = 0
    newest: str = ""

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in self.pages.items())
        return [
            f"edition of {self.newest} in {self.folder}",
            f"pages per language: {kinds} (agencies ever listed: {self.agencies:,})",
            f"files written: {self.written:,}; unchanged: {self.unchanged:,}",
            f"size: {self.bytes / 1e6:.1f} MB; time: {self.seconds:.1f} s",
        ]


def build_edition(
    dataset: Dataset,
    laws: pd.DataFrame,
    folder: Path,
    base_url: str | None = None,
    tiles_url: str | None = None,
    today: dt.date | None = None,
    roster: pd.DataFrame | None = None,
    population=None,
) -> Report:
    """Write (or bring up to date) the edition in ``folder``; ``today`` dates the newest sheet's age."""
    started = time.perf_counter()
    today = today or config.today()
    writer = Writer.open(Path(folder), today)
    facts = gather(dataset, laws, writer.manifest.agency_paths, roster, population)
    writer.write(f"assets/{layout.CSS}", CSS_SOURCE.read_bytes())
    _downloads(writer, facts)
    drawable = set(load_states()["state"].astype(str))
    html_pages: list[str] = []
    for lang in LANGUAGES:
        with using_language(lang):
            html_pages += _language(writer, facts, lang, base_url, tiles_url, today, drawable)
    if base_url:
        writer.write("sitemap.xml", sitemap.sitemap_xml(base_url, [(p, writer.changed_on(p)) for p in html_pages]))
    writer.write("robots.txt", sitemap.robots_txt(base_url))
    writer.finish(facts.spelling_paths)
    report = Report(
        Path(folder),
        newest=f"{facts.newest.file} ({facts.newest.date.isoformat()})",
        agencies=len(facts.agencies),
        written=len(writer.written),
        unchanged=writer.unchanged,
        pages={"home": 1, "state": len(facts.states), "agency": len(facts.agencies), "moved": len(facts.retired)},
    )
    report.seconds = time.perf_counter() - started
    report.bytes = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    return report


def _downloads(writer: Writer, facts: EditionFacts) -> None:
    """Each state's agreements of the newest sheet as CSV and GeoJSON, machine column names, shared by the languages."""
    rows = attach_law(facts.rows.drop(columns="site_agency"), facts.laws)
    counties, states = load_counties(), load_states()
    for state in facts.states:
        here = rows[rows["state"].astype(object) == state]
        writer.write(layout.download(state, "csv"), export.to_csv_bytes(here))
        writer.write(layout.download(state, "geojson"), export.to_geojson_bytes(here, counties, states))


def _language(
    writer: Writer, facts: EditionFacts, lang: str, base_url: str | None, tiles_url: str | None, today: dt.date, drawable: set[str]
) -> list[str]:
    """Every page, map and feed of one language; returns the pages' paths (for the sitemap)."""
    prefix = layout.lang_prefix(lang)
    laws_today = laws_in_force(facts.laws, facts.newest.date)
    written: list[str] = []

    def page(path: str, html: str) -> None:
        writer.write(prefix + path, html)
        written.append(prefix + path)

    national = "maps/national.html"
    writer.write(prefix + national, mapfiles.county_map_html(facts.rows, laws_today, facts.newest, None, tiles_url))
    page(layout.HOME, pages.home_page(facts, layout.Place(lang, layout.HOME), base_url, today, national))
    law_views: dict[tuple[str, object], dict] = {}

    def law_for(state: str, day) -> dict:
        if (state, day) not in law_views:
            law_views[(state, day)] = pages.law_view(facts.laws, state, day)
        return law_views[(state, day)]

    for state in facts.states:
        rows = facts.state_rows.get(state)
        map_path = layout.state_map(state) if state in drawable and rows is not None else None  # no map of nothing
        if map_path:
            writer.write(prefix + map_path, mapfiles.county_map_html(rows, laws_today, facts.newest, state, tiles_url))
        place = layout.Place(lang, layout.state_page(state))
        page(place.path, pages.state_page(facts, state, place, base_url, map_path, law_for(state, facts.newest.date)))
    for agency in facts.agencies:
        law = law_for(agency.state, pages.law_day(facts, agency))
        page(agency.path, pages.agency_page(facts, agency, layout.Place(lang, agency.path), base_url, law))
    for old, new in sorted(facts.retired.items()):
        writer.write(prefix + old, pages.moved_page(layout.Place(lang, old), new, base_url))
    for scope in ["US", *facts.states]:
        writer.write(prefix + layout.feed(scope), feeds.feed_xml(facts, scope, lang, base_url))
    return written
