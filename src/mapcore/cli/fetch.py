"""``mapcore fetch``: download ICE's current 287(g) sheets into the archive from the command line.

Kept apart from :mod:`mapcore.cli.main` so the main CLI only has to call :func:`add_fetch_command`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from mapcore.core.config import ICE_PAGE_URL, is_url, source
from mapcore.sheets.fetch import FETCH_DEADLINE_S, FetchError, archive_status, fetch
from mapcore.words.sheets import archive_words

EXIT_OK = 0
EXIT_FETCH_ERROR = 2


def _default_url() -> str:
    """MAPCORE_SOURCE when it is a URL, else ICE's page (a folder source has nothing to fetch)."""
    configured = source()
    return configured if is_url(configured) else ICE_PAGE_URL


def run_fetch(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Handler for ``fetch``: prints what was stored, duplicate or failed; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    url = args.url or _default_url()
    into = Path(args.into).expanduser() if args.into else None
    try:
        result = fetch(url, into=into, timeout=args.timeout, deadline=args.deadline)
    except FetchError as exc:
        print(f"fetch failed: {exc}", file=err)
        status = archive_status(into)
        if status.has_data:
            print(f"keeping the archived sheets ({archive_words(status)})", file=err)
        return EXIT_FETCH_ERROR
    root = result.archive
    print(f"read {url}: {len(result.links)} sheet link(s); archive {root}", file=out)
    for path in result.stored:
        print(f"stored     {path.relative_to(root).as_posix()}", file=out)
    for dup in result.duplicates:
        where = result.duplicate_of.get(dup)
        known = f" (already stored as {where.relative_to(root).as_posix()})" if where else ""
        print(f"duplicate  {dup}{known}", file=out)
    for failure in result.failures:
        print(f"failed     {failure.url}: {failure.reason}", file=out)
    if result.failures and not result.stored:  # a cron job must see it: errors, and nothing new came in
        print(f"fetch failed: nothing new could be stored: {len(result.failures)} of {len(result.links)} sheet(s) failed", file=err)
        return EXIT_FETCH_ERROR
    return EXIT_OK


def add_fetch_command(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``fetch [--url U] [--into DIR] [--timeout S]`` to an argparse subparsers object.

    The parser's ``func`` default is the handler; call ``args.func(args)`` for the exit code.
    """
    parser = subparsers.add_parser(
        "fetch",
        help="download ICE's current 287(g) sheets into the dated archive",
        description="Read ICE's 287(g) page, download the sheets it links and archive new ones.",
    )
    parser.add_argument("--url", default=None, help=f"page to read (default: MAPCORE_SOURCE if a URL, else {ICE_PAGE_URL})")
    parser.add_argument("--into", default=None, help="archive folder (default: <MAPCORE_CACHE>/ice_archive)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the next bytes of a request (default 30)")
    parser.add_argument(
        "--deadline",
        type=float,
        default=FETCH_DEADLINE_S,
        help=f"seconds the whole fetch may take, page and sheets (default {FETCH_DEADLINE_S:g}); a download slower "
        "than 1 KB/s over 20 s is ended anyway",
    )
    parser.set_defaults(func=run_fetch)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Standalone entry (``python -m mapcore.cli.fetch fetch ...``) until the main CLI wires it in."""
    parser = argparse.ArgumentParser(prog="mapcore")
    add_fetch_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
