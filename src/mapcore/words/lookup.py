"""The agency lookup in words: the question when a query fits several states, why each candidate was found, and
a candidate's label, from the facts of :mod:`mapcore.analysis.agency_lookup` and
:mod:`mapcore.analysis.agency_search`, in the reader's language.
"""

from __future__ import annotations

import re

import pandas as pd

from mapcore.analysis.agency_lookup import ASK_COUNTY, ASK_TIE, Lookup
from mapcore.core.i18n import N_, _, format_number, ngettext
from mapcore.core.text import md_text
from mapcore.words import places

_WHY = (  # the reasons agency_lookup writes (kept in English: the page matches on them), and their msgids
    (re.compile(r"^placed in (?P<county>.+), (?P<state>[A-Z]{2})$"), N_("placed in {county}, {state}")),
    (re.compile(r"^where (?P<place>.*) is, in (?P<county>.+), (?P<state>[A-Z]{2})$"), N_("where {place} is, in {county}, {state}")),
    (re.compile(r"^serves (?P<county>.+), (?P<state>[A-Z]{2}) \(regional\)$"), N_("serves {county}, {state} (regional)")),
)


def why_words(why: object) -> object:
    """A candidate's ``why`` ('placed in Harris County, TX', 'name') in the reader's language, for display."""
    if not isinstance(why, str):
        return why
    if why == "name":
        return _(N_("name"))
    for pattern, msgid in _WHY:
        found = pattern.match(why)
        if found:
            return _(msgid).format(**found.groupdict())
    return why


def _listed(states: tuple[str, ...]) -> str:
    return _("{first} and {last}").format(first=", ".join(states[:-1]), last=states[-1]) if len(states) > 1 else "".join(states)


def question(found: Lookup) -> str:
    """What to ask when a query fits several states ("There is a Harris County in GA and TX: which state?");
    empty when the lookup need not ask."""
    if found.ask == ASK_COUNTY:
        where = sorted({county for _state, county, _how in found.places})
        return _("There is a {places} in {states}: which state?").format(places=" / ".join(where), states=_listed(found.ask_states))
    if found.ask == ASK_TIE:
        return _("{n} agencies match “{text}” equally well, in {states}: which state?").format(
            n=found.tied, text=found.text, states=_listed(found.ask_states)
        )
    return ""


def candidate_label(row: pd.Series | dict) -> str:
    """'Harris County Sheriff's Office (TX) · active' for a select box (scores are ours, not the user's)."""
    status = _("active") if row["active"] else (_("pending") if row.get("pending") else _("not in the newest sheet"))
    return f"{row['agency']} ({row['state']}) · {status}"


def place_heading(n: int, county: str, state: str) -> str:
    """'**3 agencies placed in Harris County, Texas** (ICE's sheets, any date)' (markdown; the state's name in the
    reader's language)."""
    return (
        "**"
        + ngettext("{n} agency placed in {county}, {state}", "{n} agencies placed in {county}, {state}", n).format(
            n=format_number(n), county=md_text(county), state=md_text(places.state_name(state))
        )
        + "** "
        + _("(ICE's sheets, any date)")
    )


def where_line(place: dict, state: str) -> str:
    """An agency's type, county (or 'statewide agency') and state, escaped, joined by dots."""
    county = _("statewide agency") if place.get("level") == "statewide" else place.get("county_name") or _("county not known")
    where = [places.type_label(place.get("jurisdiction_type") or "") or _("Type not given"), county, places.state_name(state)]
    return " · ".join(md_text(w) for w in where)


def not_in_state(agency: str, state: str) -> str:
    """A link names an agency its state does not list: say so over the closest match."""
    return _(
        "ICE's sheets list no agency named {agency} in {state}. The closest match is shown below; choose another if "
        "it is not the one you meant."
    ).format(agency=md_text(agency), state=md_text(places.state_name(state)))
