"""``mapcore refresh`` (once) and ``mapcore serve-refresher`` (every interval): fetch, build and publish the
dataset the servers show (:mod:`mapcore.build.refresh`). One refresher per deployment; the servers
(``MAPCORE_REFRESH=external``) only read what it publishes."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from mapcore.build import refresh
from mapcore.words.refresh import warning_text
from mapcore.words.sheets import fallback_text


def add_refresher_commands(sub: argparse._SubParsersAction) -> None:
    once = sub.add_parser("refresh", help="fetch, build and publish the dataset the servers show, once")
    once.add_argument("--source", help="folder of ICE sheets or ICE's 287(g) page URL (default: $MAPCORE_SOURCE)")
    once.set_defaults(func=cmd_refresh)
    loop = sub.add_parser("serve-refresher", help="refresh every --every seconds until stopped (one per deployment)")
    loop.add_argument("--source", help="folder of ICE sheets or ICE's 287(g) page URL (default: $MAPCORE_SOURCE)")
    loop.add_argument("--every", type=_seconds, default=refresh.DEFAULT_EVERY_S, help="seconds between refreshes (default 3600)")
    loop.set_defaults(func=cmd_serve_refresher)


def _seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {raw!r}") from None
    if not 1 <= value <= 7 * 24 * 3600:
        raise argparse.ArgumentTypeError(f"between 1 second and a week: {raw!r}")
    return value


def cmd_refresh(args) -> int:
    published = refresh.refresh(args.source)
    print(f"published {Path(published.dataset).name}")
    for warning in published.warnings:
        print(f"warning: {warning_text(warning)}", file=sys.stderr)
    if published.fallback is not None:
        print(f"note: {fallback_text(published.fallback)}", file=sys.stderr)
    return 0


def cmd_serve_refresher(args) -> int:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    refresh.serve(args.source, every=args.every, stop=stop, log=lambda line: print(line, flush=True))
    return 0
