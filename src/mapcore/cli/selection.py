"""What the data commands share: loading the dataset and the filters that select a view of it.

``export`` and ``render`` take the same ``--source``, ``--state``, ``--model`` and ``--date``
(:func:`add_view_arguments`) and read them the same way (:func:`view_from_arguments`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mapcore.analysis import query
from mapcore.build import pipeline, store
from mapcore.cli.dates import day_option
from mapcore.core import config
from mapcore.words.sheets import fallback_text


def load_dataset(source: str | None, quiet: bool = True) -> store.Dataset:
    """The dataset of a source (built, or reused when its sheets are unchanged)."""
    dataset, _ = build_dataset(source, progress=None if quiet else progress_bar)
    return dataset


def build_dataset(source: str | None, **options: Any) -> tuple[store.Dataset, bool]:
    """Resolve the source (a first try at a URL, then the archive, then the bundled snapshot: see
    :mod:`mapcore.sheets.sources`), say in one line on stderr when the data is not fresh from it, build."""
    from mapcore.sheets.sources import resolve

    resolved = resolve(source)
    if resolved.fallback is not None:
        print(f"note: {fallback_text(resolved.fallback)}", file=sys.stderr)
    return pipeline.build(
        resolved.folder,
        snapshot=resolved.snapshot,
        quarantine=resolved.fetched,
        source_name=str(source) if source is not None else config.source(),
        **options,
    )


def progress_bar(done: int, total: int, _name: str) -> None:
    """A one-line bar redrawn in place on a terminal; every tenth of the way on a log."""
    width = 30
    step = max(1, total // 10)
    interactive = sys.stderr.isatty()
    if not interactive and done % step and done != total:
        return
    filled = int(width * done / total)
    line = f"reading sheets [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
    sys.stderr.write(f"\r{line}" if interactive else f"{line}\n")
    if interactive and done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """The filters a view of the agreements takes on the command line (``export`` and ``render``)."""
    parser.add_argument("--source")
    parser.add_argument("--state", action="append", help="postal code; repeat for several")
    parser.add_argument("--model", action="append", choices=["JEM", "WSO", "TFM"])
    parser.add_argument("--date", help="YYYY-MM-DD: the newest publication on or before this date")


@dataclass(frozen=True)
class View:
    """The agreements a command's filters select: the dataset, the publication, its rows after the filters."""

    dataset: store.Dataset
    publication_id: str | None
    filters: query.Filters
    rows: pd.DataFrame

    @property
    def publication_date(self) -> pd.Timestamp | None:
        sheets = self.dataset.sheets
        match = sheets.loc[sheets["publication_id"] == self.publication_id, "publication_date"]
        return None if match.empty else pd.Timestamp(match.iloc[0])


def add_law_argument(parser: argparse.ArgumentParser) -> None:
    """``--law CLASS`` (repeatable): the state law in force on the sheet's date, with the values and the rule of
    the Explore page's law filter (:data:`mapcore.analysis.law_on_day.LAW_CLASSES`)."""
    from mapcore.analysis.law_on_day import LAW_CLASSES

    parser.add_argument(
        "--law",
        dest="law_classes",
        action="append",
        choices=list(LAW_CLASSES),
        metavar="STATUS",
        help="state law in force on the sheet's date: " + ", ".join(LAW_CLASSES) + " (a new law not yet in "
        "force, or whose day of effect is not known, counts as the status before it); repeat for several",
    )


def view_from_arguments(args) -> View:
    """Load the dataset, attach each row's state law as it stood on the sheet's date, and apply ``--date``,
    ``--state``, ``--model`` and, where the command has it, ``--law`` (see :func:`add_view_arguments`,
    :func:`add_law_argument`)."""
    day_option(args.date, "--date")  # YYYY-MM-DD or a named exit 2
    dataset = load_dataset(args.source)
    latest = query.latest_publication_id(dataset.sheets, "participating", args.date)
    rows = query.publication_rows(dataset.agreements, latest)
    states = tuple(dict.fromkeys(s.strip().upper() for s in args.state or ()))
    laws = tuple(dict.fromkeys(getattr(args, "law_classes", None) or ()))
    from mapcore.analysis.law_on_day import attach_law

    rows = attach_law(rows)  # the law of each row's state as it stood on the sheet's date: the one rule (as the app's)
    filters = query.Filters(models=tuple(dict.fromkeys(args.model or ())), states=states, law_statuses=laws)
    return View(dataset, latest, filters, query.apply_filters(rows, filters))
