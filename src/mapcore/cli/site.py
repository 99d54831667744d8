"""``mapcore site -o DIR``: the static edition (English in DIR, Spanish in DIR/es), brought up to date in place.

The newest sheet's age is counted to today (``MAPCORE_TODAY`` pins it: :func:`mapcore.core.config.today`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mapcore.core.text import is_http_url


def add_site_command(sub: argparse._SubParsersAction) -> None:
    site = sub.add_parser("site", help="write the static edition: pages per state and agency, Atom feeds, maps (no server code)")
    site.add_argument("-o", "--output", required=True, help="folder of the edition (kept: only changed files are rewritten)")
    site.add_argument("--source", help="folder of ICE sheets or ICE's 287(g) page URL (default: $MAPCORE_SOURCE)")
    site.add_argument("--base-url", help="the address the edition is served from (canonical links, sitemap, feed links)")
    site.add_argument("--tiles", help="background map tiles, a URL template with {z}/{x}/{y} (default: none, no outside request)")
    site.set_defaults(func=cmd_site)


def cmd_site(args) -> int:
    from mapcore.cli.selection import load_dataset
    from mapcore.reference.fbi_roster import roster_table
    from mapcore.reference.laws import load_laws
    from mapcore.reference.population import load_population
    from mapcore.render.site.edition import build_edition

    for option, value in (("--base-url", args.base_url), ("--tiles", args.tiles)):
        if value and not is_http_url(value.replace("{", "").replace("}", "")):
            raise ValueError(f"{option} {value!r}: not an http(s) URL")
    dataset = load_dataset(args.source)
    report = build_edition(
        dataset,
        load_laws(),
        Path(args.output),
        base_url=args.base_url,
        tiles_url=args.tiles,
        roster=roster_table(),
        population=load_population(),
    )
    for line in report.lines():
        print(line)
    return 0
