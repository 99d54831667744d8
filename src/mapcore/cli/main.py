"""The ``mapcore`` command line: build, validate, stats, export, render, laws, fetch, snapshot, site, build-geo, refresh,
serve-refresher.

Command names and the JSON keys of ``stats --json`` are relied on by scripts; add, don't rename.
Exit codes: 0 success, 2 bad input (unreadable sheet, missing source, bad option value).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

import pandas as pd

from mapcore.analysis import query
from mapcore.analysis.data_age import data_age
from mapcore.analysis.pending import split_pending
from mapcore.build import store
from mapcore.cli.dates import day_option
from mapcore.cli.selection import add_law_argument, add_view_arguments, view_from_arguments
from mapcore.cli.selection import build_dataset as _build
from mapcore.cli.selection import load_dataset as _load
from mapcore.cli.selection import progress_bar as _progress_bar
from mapcore.core.atomic import WriteError, output_path
from mapcore.core.schema import sheet_file_name
from mapcore.sheets.sheet import SheetError, read_sheets
from mapcore.words.sheets import pending_note


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (store.BuildError, SheetError, FileNotFoundError, ValueError, WriteError) as exc:
        return _fail(args, exc, "")
    except KeyboardInterrupt:
        print(f"mapcore {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one line naming the cause, the traceback only with -v
        return _fail(args, exc, f"{type(exc).__name__}: ", code=1)


def _fail(args: argparse.Namespace, exc: BaseException, prefix: str, code: int = 2) -> int:
    """One line naming the cause (its first line only); the traceback only with -v/--verbose."""
    if getattr(args, "verbose", False):
        traceback.print_exception(exc, file=sys.stderr)
    first = (str(exc).strip().splitlines() or [""])[0]
    hint = "" if getattr(args, "verbose", False) else " (run with -v for details)" if code != 2 else ""
    print(f"mapcore {args.command}: {prefix}{first}{hint}", file=sys.stderr)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mapcore", description="ICE 287(g) agreements: build, check and export the data.")
    parser.add_argument("-v", "--verbose", action="store_true", help="on failure, show the full traceback")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="read every sheet of the source and cache the dataset")
    build.add_argument("--source", help="folder of ICE sheets or ICE's 287(g) page URL (default: $MAPCORE_SOURCE)")
    build.add_argument("--force", action="store_true", help="rebuild even if the source is unchanged")
    build.add_argument("--skip-bad", action="store_true", help="build from the readable sheets when some are not")
    build.add_argument("--quiet", action="store_true")
    build.set_defaults(func=cmd_build)

    validate = sub.add_parser("validate", help="check one sheet: kind, publication date, counts, problems")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true")
    validate.set_defaults(func=cmd_validate)

    stats = sub.add_parser("stats", help="headline figures for the newest (or given) publication")
    stats.add_argument("--source")
    stats.add_argument("--date", help="YYYY-MM-DD: the newest publication on or before this date")
    stats.add_argument("--json", action="store_true")
    stats.add_argument("--state", help="postal code: the context and ORI figures for one state (default: the 50 states and DC)")
    stats.set_defaults(func=cmd_stats)

    export = sub.add_parser("export", help="the agreements of the newest publication as a file")
    add_view_arguments(export)
    add_law_argument(export)
    export.add_argument("--format", default="csv", choices=["csv", "xlsx", "geojson"])
    export.add_argument("-o", "--output", required=True)
    export.set_defaults(func=cmd_export)

    from mapcore.cli.render import add_render_command

    add_render_command(sub)

    from mapcore.cli.fetch import add_fetch_command
    from mapcore.cli.laws import add_laws_command
    from mapcore.cli.refresher import add_refresher_commands
    from mapcore.cli.site import add_site_command
    from mapcore.cli.snapshot import add_snapshot_command

    add_fetch_command(sub)
    add_refresher_commands(sub)
    add_laws_command(sub)
    add_site_command(sub)
    add_snapshot_command(sub)
    try:
        from mapcore.cli.geo import add_geo_commands
    except ImportError:  # the boundary build is optional tooling
        pass
    else:
        add_geo_commands(sub)
    for command in sub.choices.values():  # -v also after the command name (mapcore build -v)
        command.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="on failure, show the full traceback")
    return parser


def cmd_build(args) -> int:
    dataset, built = _build(args.source, progress=None if args.quiet else _progress_bar, skip_bad=args.skip_bad, force=args.force)
    sheets = dataset.sheets
    part = query.publications(sheets, "participating")
    latest = query.latest_publication_id(sheets)
    rows = query.publication_rows(dataset.agreements, latest)
    placed = query.placement_counts(rows)
    print(f"{'built' if built else 'unchanged, reused'} {dataset.path}")
    print(f"sheets: {len(sheets)} ({len(part)} participating, {len(sheets) - len(part)} pending); agreements: {len(dataset.agreements):,}")
    if latest:
        print(
            f"newest participating publication: {latest} with {len(rows):,} agreements "
            f"({', '.join(f'{k} {v}' for k, v in query.model_counts(rows).items())})"
        )
        print(
            f"placed in a county: {placed['in_county']:,} of {placed['county_or_municipal']:,} county and municipal agreements; "
            f"unplaced: {len(placed['unplaced'])}"
        )
    errors = int((dataset.problems["severity"] == "error").sum())
    print(f"problems noted: {len(dataset.problems):,} ({errors} rows not kept); unreadable sheets: {len(dataset.meta['unreadable'])}")
    for unreadable in dataset.meta["unreadable"]:
        print(f"  not read: {unreadable}")
    for warning in dataset.meta.get("warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    path = Path(args.file)
    (result,) = read_sheets([(str(path), path.name, None)])  # in a worker: a reader that aborts is a named error
    if isinstance(result, SheetError):
        print(f"mapcore validate: {result}", file=sys.stderr)
        return 2
    from mapcore.sheets.filenames import kind_in_name, reclassified_note

    counts = {m: sum(1 for r in result.records if r["model"] == m) for m in ("JEM", "WSO", "TFM")}
    note = reclassified_note(path.name, result.kind)
    report = {
        "file": str(path),
        "kind": result.kind,
        "name_kind": kind_in_name(path.name),
        "reclassified": note is not None,  # the name says one kind, the content is the other (content wins)
        "publication_date": result.publication.iso,
        "date_method": result.publication.method,
        "agreements": len(result.records),
        "by_model": counts,
        "duplicates_removed": result.duplicates_removed,
        "columns": result.columns,
        "problems": [p.as_dict() for p in result.problems],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{path.name}: {result.kind}, published {report['publication_date']} ({report['date_method']}), "
            f"{report['agreements']} agreements ({', '.join(f'{k} {v}' for k, v in counts.items())})"
        )
        if note:
            print(f"  reclassified: {note}")
        for problem in result.problems:
            print(f"  {problem}")
    return 0


def stats_for(dataset: store.Dataset, date: str | None = None, state: str | None = None) -> dict:
    """The figures of `mapcore stats --json` (keys relied on by scripts). ``state`` scopes the ``context`` and
    ``ori_*`` blocks to one state."""
    sheets = dataset.sheets
    latest = query.latest_publication_id(sheets, "participating", date)
    if latest is None:
        raise ValueError(f"no participating publication{' on or before ' + date if date else ''}")
    rows = query.publication_rows(dataset.agreements, latest)
    published = sheets.loc[sheets["publication_id"] == latest, "publication_date"].iloc[0]
    pending_id = query.latest_publication_id(sheets, "pending", published)
    placed = query.placement_counts(rows)
    age = query.pending_age(sheets, pending_id, latest)
    still, signed = split_pending(query.publication_rows(dataset.agreements, pending_id), dataset.agreements, sheets, latest)
    return {
        "publication_date": published.date().isoformat(),
        "publication_id": latest,
        "publications": int(len(query.publications(sheets, "participating"))),
        "agreements": int(len(rows)),
        "by_model": query.model_counts(rows),
        **query.state_counts(rows),  # "states": the 50 states and DC only; "territories" apart
        "agencies": query.agency_count(rows),
        # applications of the pending list not yet listed as participating; those since listed apart
        "pending": int(len(still)),
        "pending_signed_since": int(len(signed)),
        "pending_publication_id": pending_id,
        # ICE updates its pending list less often: its date and how many days older it is than this list
        "pending_publication_date": age["pending_date"].date().isoformat() if age["pending_date"] is not None else None,
        "pending_days_older": age["days_older"],
        "placed": {"county_or_municipal": placed["county_or_municipal"], "in_county": placed["in_county"], "rate": placed["rate"]},
        "unplaced": placed["unplaced"],
        # the newest sheet's age in days (today: MAPCORE_TODAY or the real date) and when ICE's page was last
        # read in full by a fetch (ISO time, null when never)
        **data_age(published).as_json(),
    } | _context_figures(rows, state)


def _context_figures(rows: pd.DataFrame, state: str | None) -> dict:
    """Agreements linked to the FBI's agencies (ORI) and the share of agencies, officers and residents covered."""
    from mapcore.analysis import methodology
    from mapcore.analysis.context import context
    from mapcore.core.schema import STATES_AND_DC
    from mapcore.reference.fbi_roster import roster_table
    from mapcore.reference.population import load_population
    from mapcore.words.context import context_json

    if state is not None:
        state = state.strip().upper()
        if state not in STATES_AND_DC:
            raise ValueError(f"--state {state!r}: not one of the 50 states or DC")
        rows = rows[rows["state"].astype(object) == state]
    return {
        "ori_matched": methodology.ori_match_rates(rows),
        "ori_unmatched": methodology.ori_unmatched(rows),
        "context": context_json(context(rows, roster_table(), load_population(), state)),
    }


def cmd_stats(args) -> int:
    day_option(args.date, "--date")  # YYYY-MM-DD or a named exit 2
    dataset = _load(args.source)
    figures = stats_for(dataset, args.date, args.state)
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    else:
        where = f"{figures['states']} states (of the 50 and DC)"
        if figures["territories"]:
            where += f" and {figures['territories']} territories ({', '.join(figures['territory_codes'])})"
        print(
            f"{figures['publication_date']}: {figures['agreements']:,} agreements in {where} "
            f"({', '.join(f'{k} {v}' for k, v in figures['by_model'].items())}); pending applications {figures['pending']} "
            f"({pending_note(dataset.sheets, figures['pending_publication_id'], figures['publication_id'])}"
            + (f"; {figures['pending_signed_since']} more signed since" if figures["pending_signed_since"] else "")
            + ")"
        )
    return 0


def cmd_export(args) -> int:
    from mapcore.render.export import write_export

    out = output_path(args.output)

    view = view_from_arguments(args)
    rows = view.rows
    counties = states_layer = None
    if args.format == "geojson":
        from mapcore.geo.boundaries import load_counties, load_states

        counties, states_layer = load_counties(), load_states()
    from mapcore.core.tables import about_fields

    published = view.publication_date
    about = about_fields(
        source=f"ICE 287(g) sheet {sheet_file_name(view.publication_id)}",
        published=published.date() if published is not None else None,
        filters=query.describe_filters(view.filters),
    )
    path = write_export(rows, out, args.format, counties, states_layer, about=about)
    print(f"wrote {len(rows):,} agreements to {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
