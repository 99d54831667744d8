"""The state-law layer as data for the map view: each state's status, its words, its doubt, a legend.

The map draws the law as a band inside each state's border, in the status colour, over the count
fill (so counts stay readable with the law on); unconfirmed rows get a dashed band and the word
"unconfirmed" in their tooltip, so a shaky finding never looks settled. Every string here is plain
text: the browser puts it in the page with ``textContent``; links are kept only when http(s).

"Unconfirmed" is the law table's ``unconfirmed`` column when it has one (the law in force on a day,
see ``mapcore.reference.laws``), else ``confidence == "low"``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapcore.core.i18n import N_, _, format_day
from mapcore.core.text import is_http_url, is_missing
from mapcore.reference.laws import STATUS_ORDER, low_confidence, status_label
from mapcore.words.places import state_name

# ColorBrewer PuOr, 5 classes (colour-blind safe): purple = prohibits ... orange = mandates. The
# neutral "none" draws no band (a grey dashed one when unconfirmed): only a law gets a colour.
STATUS_COLORS: dict[str, str] = {
    "prohibits": "#5e3c99",
    "restricts": "#b2abd2",
    "none": "#f7f7f7",
    "requires_cooperation": "#fdb863",
    "mandates": "#e66101",
}
BAND_COLORS: dict[str, str | None] = {**STATUS_COLORS, "none": None}
UNCONFIRMED_BAND = "#969696"  # the band of an unconfirmed "none": dashed grey
UNCONFIRMED = N_("unconfirmed")  # msgids, shown through _()
UNCONFIRMED_DASH = "7 5"
LAYER_NAME = N_("State law on 287(g)")
SCOPE_WORDS = {"local": N_("local"), "state": N_("state"), "both": N_("both")}
CONFIDENCE_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def unconfirmed(laws: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows the map marks as unconfirmed."""
    if "unconfirmed" in laws.columns:
        return laws["unconfirmed"].astype("boolean").fillna(False).astype(bool)
    return low_confidence(laws)


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _effective(row: pd.Series) -> str:
    """The law's date when the table has one to the day (in the reader's language), else its year."""
    date = row.get("effective_date")
    if not is_missing(date):
        return format_day(pd.Timestamp(date))   # 2026-01-01 in English, '1 ene 2026' in Spanish
    year = _text(row.get("effective_year"))
    return year[:-2] if year.endswith(".0") else year


def status_line(row: pd.Series, doubtful: bool) -> str:
    """'Mandates (local)', with ', unconfirmed' when the row is in doubt."""
    scope = _text(row.get("scope"))
    line = status_label(row.get("status")) + (f" ({_(SCOPE_WORDS[scope]) if scope in SCOPE_WORDS else scope})" if scope else "")
    return line + (f", {_(UNCONFIRMED)}" if doubtful else "")


def tooltip_lines(row: pd.Series, doubtful: bool) -> list[str]:
    """The law's lines in a tooltip: status, laws, effective date, confidence (plain text)."""
    lines = [status_line(row, doubtful)]
    laws = _text(row.get("laws"))
    if laws:
        lines.append(_("Laws: {laws}").format(laws=laws))
    effective = _effective(row)
    if effective:
        lines.append(_("Effective: {date}").format(date=effective))
    if doubtful:
        lines.append(_("Unconfirmed: our research could not confirm this law's status"))
    else:
        confidence = _text(row.get("confidence"))
        if confidence:
            lines.append(_("Confidence: {level}").format(
                level=_(CONFIDENCE_WORDS[confidence]) if confidence in CONFIDENCE_WORDS else confidence))
    return lines


def law_spec(laws: pd.DataFrame) -> dict:
    """What the map view needs for the law band: colours, and per state its status, whether it is
    unconfirmed, its tooltip lines, its name in the reader's language and (when http) its source."""
    table = laws.drop_duplicates("state")
    doubt = unconfirmed(table)
    states: dict[str, dict] = {}
    for (_index, row), doubtful in zip(table.iterrows(), doubt):
        status = _text(row.get("status"))
        entry: dict[str, Any] = {"s": status if status in STATUS_ORDER else "", "u": int(bool(doubtful)),
                                 "t": tooltip_lines(row, bool(doubtful)), "n": state_name(str(row["state"]))}
        if is_http_url(row.get("source_url")):
            entry["src"] = str(row["source_url"]).strip()
        states[str(row["state"])] = entry
    colors = {status: color for status, color in BAND_COLORS.items() if color}
    return {"name": _(LAYER_NAME), "colors": colors, "unconfirmedColor": UNCONFIRMED_BAND, "dash": UNCONFIRMED_DASH,
            "states": states}


def law_legend(laws: pd.DataFrame) -> dict:
    """Legend section: a band per status with its count of states, 'none' without a band, and what
    the dashed band means."""
    table = laws.drop_duplicates("state")
    counts = table["status"].astype(object).value_counts()
    items: list[dict] = []
    for status in STATUS_ORDER:
        label = f"{status_label(status)} ({int(counts.get(status, 0))})"
        band = BAND_COLORS[status]
        items.append({"band": band, "label": label} if band else {"band": None, "label": label + ": " + _("no outline")})
    items.append({"band": "#555555", "dash": UNCONFIRMED_DASH,
                  "label": _("Dashed: unconfirmed, low-confidence research ({n})").format(n=int(unconfirmed(table).sum()))})
    return {"title": _("State law on 287(g) (band inside the border)"), "items": items}
