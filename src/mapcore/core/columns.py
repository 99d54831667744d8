"""Column labels, defined once: the English msgids a page shows (through ``_``) above a table's columns.

Downloads keep machine column names (the agreements table) or these English headers (the analysis
tables), the same in every language; only what a page shows is translated.
"""

from __future__ import annotations

from mapcore.core.i18n import N_

# The agreements table as a page shows it: machine column -> label, in the order shown. What a reader needs
# first comes first (a phone shows three or four columns): the agency, its model, county, signed date, state.
AGREEMENT_COLUMNS: dict[str, str] = {
    "agency": N_("Agency"),
    "model": N_("Model"),
    "county_name": N_("County"),
    "signed": N_("Signed"),
    "state": N_("State"),
    "law_status": N_("State law"),
    "jurisdiction_type": N_("Type"),
    "ori": N_("FBI ORI"),
    "moa_url": N_("MOA"),
    "addendum_url": N_("Addendum"),
}
# The columns a phone shows unless the reader asks for more (the column picker of the page).
FIRST_COLUMNS: tuple[str, ...] = ("agency", "model", "county_name", "signed", "state")

# The English headers of the analysis tables (Law vs practice, the law changes, the sheriffs' coverage):
# the frames carry them as their column names; a page shows each through _(). Labels already above are
# not repeated.
TABLE_HEADERS: tuple[str, ...] = (
    N_("Name"),
    N_("Law"),
    N_("Scope"),
    N_("Law in force from"),
    N_("Deadline"),
    N_("Ever listed"),
    N_("In newest sheet"),
    N_("Listed after the deadline"),
    N_("Listed on or after the law's date"),
    N_("Listed while the day of effect was not known"),
    N_("Left between sheets around the law's date"),
    N_("Listed during the wind-down"),
    N_("Signed before the law (not reached)"),
    N_("Became law"),
    N_("Gone before the law's date"),
    N_("Law's date not yet come"),
    N_("Outside the law's scope"),
    N_("Confidence"),
    N_("Source"),
    N_("Level"),
    N_("Law scope"),
    N_("First seen"),
    N_("Last seen"),
    N_("First sheet without it"),
    N_("Gaps"),
    N_("Listed since first sheet"),
    N_("Publications"),
    N_("Law covers agency"),
    N_("Relation to the law"),
    N_("In words"),
    N_("GEOID"),
    N_("Status"),
    N_("Duty on the sheet's date"),
    N_("Sheriff or jail agencies"),
    N_("Models"),
    N_("Pending applications"),
    N_("Other local agreements (not counted)"),
    N_("ICE sheet"),
    N_("Pending sheet"),
    N_("Sheriff's office (FBI)"),
    N_("ORI"),
    N_("Pending"),
    N_("Counted as sheriff because"),
    N_("Officers"),
    N_("Counties"),
    N_("With agreement"),
    N_("Without"),
    N_("Of which pending"),
    N_("Neither"),
    N_("% covered"),
    N_("Models chosen"),
    N_("Law's year"),
    N_("In force from"),
    N_("Date"),
    N_("From"),
    N_("To"),
    N_("Status changed"),
    N_("Laws"),
)
