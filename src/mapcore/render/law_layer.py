"""The state-law layer as data for the map view: each state's law class, its words, its marks, a legend.

The map draws the law as a band inside each state's border, in the colour of the law *in force on the
sheet's date* (:func:`mapcore.analysis.law_on_day.laws_in_force`), over the count fill (so counts stay
readable with the law on). Two marks, never confused:

* **unconfirmed** (low-confidence research): a dashed band and the word "unconfirmed";
* **a new law not in force that day** (not yet law or not yet in force, or its day of effect not known): the
  band of the status that stood, striped with the new law's colour, and the words "new law, not yet in
  force" / "new law, day of effect not known". Such a state counts under the status that stood, never
  under the new one.

A mandate on a state official only (Oklahoma, South Carolina) has its own colour and legend row. Every
string here is plain text: the browser puts it in the page with ``textContent``; links are kept only when
http(s). A table without a day (the newest laws) is read as all in force.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mapcore.analysis.law_on_day import DAY_UNKNOWN, IN_FORCE, LAW_CLASSES, MANDATES_STATE_OFFICIAL, NOT_YET, law_classes
from mapcore.core.i18n import N_, _, curated, format_day
from mapcore.core.text import is_http_url, is_missing
from mapcore.reference.laws import low_confidence
from mapcore.words.law import MARK_WORDS, UNCONFIRMED, class_label, mark_word, new_law_note
from mapcore.words.places import state_name

# ColorBrewer PuOr, 5 classes (colour-blind safe): purple = prohibits ... orange = mandates; a mandate on a
# state official only is brown, apart from both oranges. The neutral "none" draws no band (a grey one when
# marked): only a law gets a colour.
STATUS_COLORS: dict[str, str] = {
    "prohibits": "#5e3c99",
    "restricts": "#b2abd2",
    "none": "#f7f7f7",
    "requires_cooperation": "#fdb863",
    "mandates": "#e66101",
    MANDATES_STATE_OFFICIAL: "#8c510a",
}
BAND_COLORS: dict[str, str | None] = {**STATUS_COLORS, "none": None}
UNCONFIRMED_BAND = "#969696"  # the band of a marked state with no colour of its own ("none", or unknown): grey
UNCONFIRMED_DASH = "7 5"
STRIPE_DASH = "5 5"  # the new law's colour over the band of the status that stood
LAYER_NAME = N_("State law on 287(g)")
SCOPE_WORDS = {"local": N_("local"), "state": N_("state"), "both": N_("both")}
CONFIDENCE_WORDS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}


def day_table(laws: pd.DataFrame) -> pd.DataFrame:
    """The law table as the layer reads it: a day's table (:func:`laws_in_force`) as is; the plain table (the
    newest laws) with every law in force, its class, and low confidence as *unconfirmed*."""
    if "timing" in laws.columns:
        return laws
    return laws.assign(
        timing=IN_FORCE,
        in_force=True,
        law_class=law_classes(laws["status"], laws["scope"]).to_numpy(),
        unconfirmed=low_confidence(laws).to_numpy(),
        mark=None,
        newest_status=laws["status"].astype(object),
        newest_class=law_classes(laws["status"], laws["scope"]).to_numpy(),
    )


def unconfirmed(laws: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows whose law shown rests on low-confidence research (the dashed band)."""
    table = day_table(laws)
    return table["unconfirmed"].astype("boolean").fillna(False).astype(bool)


def pending(laws: pd.DataFrame) -> pd.Series:
    """Boolean mask of rows with a new law not in force that day (the striped band)."""
    return day_table(laws)["timing"].isin([NOT_YET, DAY_UNKNOWN]).astype(bool)


def _text(value: Any) -> str:
    return "" if is_missing(value) else str(value).strip()


def _effective(row: pd.Series) -> str:
    """The newest law's day of effect when the table has it, else its year with "day of effect not known"."""
    date = row.get("effective_date")
    if not is_missing(date):
        return format_day(pd.Timestamp(date))  # 2026-01-01 in English, '1 ene 2026' in Spanish
    year = _text(row.get("effective_year"))
    year = year[:-2] if year.endswith(".0") else year
    return f"{year} ({_(MARK_WORDS[DAY_UNKNOWN])})" if year else ""


def status_line(row: pd.Series, doubtful: bool) -> str:
    """'Mandates (local)', with ', unconfirmed' or ', new law, day of effect not known' for its mark."""
    klass, scope = _text(row.get("law_class")), _text(row.get("scope"))
    line = class_label(klass, short=True) + (f" ({_(SCOPE_WORDS[scope]) if scope in SCOPE_WORDS else scope})" if scope else "")
    mark = mark_word(row.get("mark")) or (_(UNCONFIRMED) if doubtful else None)
    return line + (f", {mark}" if mark else "")


def tooltip_lines(row: pd.Series, doubtful: bool) -> list[str]:
    """The law's lines in a tooltip: status and mark, the new law when not in force, laws, day of effect,
    confidence (plain text)."""
    lines = [status_line(row, doubtful)]
    note = new_law_note(row) if row.get("timing") in (NOT_YET, DAY_UNKNOWN) else None
    if note:
        lines.append(_("New law: {note}").format(note=note))
    laws = _text(row.get("laws"))
    if laws:
        lines.append(_("Laws: {laws}").format(laws=curated(laws)))  # citations: their words in domain texts
    effective = _effective(row)
    if effective:
        lines.append(_("Effective: {date}").format(date=effective))
    confidence = _text(row.get("confidence"))
    if confidence == "low":
        lines.append(_("Unconfirmed: our research could not confirm this law's status"))
    elif confidence:
        lines.append(
            _("Confidence: {level}").format(level=_(CONFIDENCE_WORDS[confidence]) if confidence in CONFIDENCE_WORDS else confidence)
        )
    return lines


def law_spec(laws: pd.DataFrame) -> dict:
    """What the map view needs for the law band: colours, and per state its class (``s``), whether the law shown
    is unconfirmed (``u``), whether a new law is not in force that day (``p``, with its class ``nc`` for the
    stripes), its tooltip lines, its name in the reader's language (``n``) and (when http) its source."""
    table = day_table(laws).drop_duplicates("state")
    doubt, waits = unconfirmed(table), pending(table)
    states: dict[str, dict] = {}
    for (_index, row), doubtful, marked in zip(table.iterrows(), doubt, waits):
        klass = _text(row.get("law_class"))
        entry: dict[str, Any] = {
            "s": klass if klass in LAW_CLASSES else "",
            "u": int(bool(doubtful)),
            "t": tooltip_lines(row, bool(doubtful)),
            "n": state_name(str(row["state"])),
        }
        if marked:
            entry["p"] = 1
            entry["nc"] = _text(row.get("newest_class"))
        if is_http_url(row.get("source_url")):
            entry["src"] = str(row["source_url"]).strip()
        states[str(row["state"])] = entry
    colors = {klass: color for klass, color in BAND_COLORS.items() if color}
    return {
        "name": _(LAYER_NAME),
        "colors": colors,
        "unconfirmedColor": UNCONFIRMED_BAND,
        "dash": UNCONFIRMED_DASH,
        "stripe": STRIPE_DASH,
        "states": states,
    }


def law_legend(laws: pd.DataFrame) -> dict:
    """Legend section: a band per class with its count of states (a state with a new law not in force counts
    under the status that stood), 'none' without a band, and the two marks with their counts, in two
    different words."""
    table = day_table(laws).drop_duplicates("state")
    counts = table["law_class"].astype(object).value_counts()
    items: list[dict] = []
    for klass in LAW_CLASSES:
        label = f"{class_label(klass)} ({int(counts.get(klass, 0))})"
        band = BAND_COLORS[klass]
        items.append({"band": band, "label": label} if band else {"band": None, "label": label + ": " + _("no outline")})
    unknown = int(table["law_class"].isna().sum())
    if unknown:
        items.append({"band": UNCONFIRMED_BAND, "label": _("Status before a new law not in our table ({n})").format(n=unknown)})
    items.append(
        {
            "band": "#555555",
            "dash": UNCONFIRMED_DASH,
            "label": _("Dashed: unconfirmed, low-confidence research ({n})").format(n=int(unconfirmed(table).sum())),
        }
    )
    timing = table["timing"].astype(object)
    for code in (NOT_YET, DAY_UNKNOWN):  # two words, two counts, one drawing (striped with the new law's colour)
        label = _(MARK_WORDS[code])
        items.append(
            {
                "band": "#777777",
                "stripe": STATUS_COLORS["mandates"],
                "label": f"{label[:1].upper()}{label[1:]} ({int(timing.eq(code).sum())})",
            }
        )
    notes = [_("Striped with the new law's colour: a new law not in force on this date, counted under the status that stood.")]
    return {"title": _("State law on 287(g) (band inside the border)"), "items": items, "notes": notes}
