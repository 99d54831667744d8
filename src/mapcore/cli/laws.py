"""``mapcore laws [--as-of YYYY-MM-DD] [--json]``: each state's law toward 287(g) as in force on a day.

Kept apart from :mod:`mapcore.cli.main` so the main CLI only has to call :func:`add_laws_command`.
The JSON keys (``as_of``, ``states`` and per state ``status``, ``scope``, ``effective_date``,
``confidence``, ``pending``) are relied on by scripts: add, don't rename. The day is read by the one
rule of :mod:`mapcore.analysis.law_on_day`: ``status`` is the status in force that day (the one before a
new law not yet in force), ``in_force`` says whether the state's newest law was, ``mark`` is
``not_yet_in_force``, ``day_unknown``, ``unconfirmed`` (low-confidence research) or null, and
``law_class`` is what the Explore filter and ``mapcore export --law`` match (``mandates_state_official``
for a mandate on a state official only). The default day is today (``MAPCORE_TODAY``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, TextIO

import pandas as pd

from mapcore.analysis.law_on_day import laws_in_force
from mapcore.cli.dates import day_option
from mapcore.core.config import today
from mapcore.reference.laws import LawTableError, load_laws
from mapcore.words.law import new_law_note

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_laws_command(sub: Any) -> None:
    """Register ``laws`` on the main parser's subcommands."""
    laws = sub.add_parser("laws", help="each state's law on 287(g) as in force on a day (default: today)")
    laws.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD: the day to read the law on (default: today)")
    laws.add_argument("--json", action="store_true")
    laws.set_defaults(func=run_laws)


def laws_as_of(on: date, laws: pd.DataFrame | None = None) -> dict[str, Any]:
    """The document ``mapcore laws --json`` prints for day ``on``."""
    table = laws_in_force(load_laws() if laws is None else laws, on)
    states = {str(row["state"]): _state(row) for _, row in table.sort_values("state").iterrows()}
    return {"as_of": on.isoformat(), "states": states}


def _state(row: pd.Series) -> dict[str, Any]:
    return {
        "status": _value(row["status"]),
        "scope": _value(row["scope"]),
        "effective_date": _day(row["effective_date"]) if row["in_force"] else None,  # of the law in force that day
        "confidence": _value(row["confidence"]),
        "pending": _value(row["pending"]),
        "unconfirmed": bool(row["unconfirmed"]),
        "deadline": _day(row["deadline"]),
        "note": new_law_note(row),
        "newest_status": _value(row["newest_status"]),
        "newest_effective_date": _day(row["newest_effective_date"]),
        "law_class": _value(row["law_class"]),
        "timing": str(row["timing"]),
        "in_force": bool(row["in_force"]),
        "mark": _value(row["mark"]),
        "enacted": _day(row["enacted"]),
        "day_of_effect_known": not pd.isna(row["effective_date"]),
        "effective_year": None if pd.isna(row["effective_year"]) else int(row["effective_year"]),
        "applies_to": _value(row["applies_to"]),
        "prior_status": _value(row["prior_status"]),
        "newest_scope": _value(row["newest_scope"]),
        "newest_class": _value(row["newest_class"]),
    }


def _value(value: Any) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _day(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _parse_day(text: str | None) -> date:
    """The day of ``--as-of`` (YYYY-MM-DD only; today when not given)."""
    return day_option(text, "--as-of") or today()


def run_laws(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Handler for ``laws``: JSON or one line per state; exit 2 on a bad date or a broken table."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        document = laws_as_of(_parse_day(args.as_of))
    except (ValueError, LawTableError) as exc:
        print(f"mapcore laws: {exc}", file=err)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(document, indent=2), file=out)
        return EXIT_OK
    print(f"State law on 287(g) as in force on {document['as_of']}:", file=out)
    for code, law in document["states"].items():
        since = f" since {law['effective_date']}" if law["effective_date"] else ""
        scope = f" ({law['scope']})" if law["scope"] else ""
        flag = f" [{law['mark'].replace('_', ' ')}]" if law["mark"] else ""
        note = f"; {law['note']}" if law["note"] else ""
        print(f"{code}  {law['status'] or 'unknown'}{scope}{since}, confidence {law['confidence']}{flag}{note}", file=out)
    return EXIT_OK
