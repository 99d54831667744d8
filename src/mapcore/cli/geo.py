"""The ``build-geo`` subcommand: regenerate geo/ from the Census files in plotly-geo."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mapcore.core.config import GEO_DIR


def run_build_geo(args: argparse.Namespace) -> int:
    """Build and print the summary as JSON (the figures worth checking before a commit)."""
    from mapcore.geo.build import build_geo  # heavy imports only when asked

    summary = build_geo(out_dir=args.out, source_dir=args.source, states=args.states or None)
    print(json.dumps(summary, indent=2))
    return 0


def add_geo_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``build-geo`` on the main CLI's subparsers (call ``args.func(args)`` to run)."""
    parser = subparsers.add_parser("build-geo", help="regenerate county/state boundaries in geo/")
    parser.add_argument("--out", type=Path, default=GEO_DIR, help="output folder (default: geo/)")
    parser.add_argument("--source", type=Path, default=None, help="folder with cb_2016_us_{county,state}_500k.* (default: plotly-geo's)")
    parser.add_argument("--states", nargs="*", metavar="XX", help="only these postal codes")
    parser.set_defaults(func=run_build_geo)
