"""How to cite the map, whom it credits, and how to report an error: in the reader's language.

The corrections route is one setting (``MAPCORE_CORRECTIONS``, :func:`mapcore.core.config.corrections`): a
URL or an e-mail address, linked from every page's footer. Unset, the footer says how to report an error
(the README's "Corrections" section says the same).
"""

from __future__ import annotations

import datetime as dt
import html

from mapcore.core.i18n import N_, _, format_day
from mapcore.core.text import escape, external_link

# (what, who, link, licence): the credits, in the order the About page lists them. What: a msgid (shown through
# _()); who: the publisher's own name.
CREDITS: tuple[tuple[str, str, str, str], ...] = (
    (
        N_("the 287(g) sheets: participating agencies and pending applications"),
        "U.S. Immigration and Customs Enforcement (ICE)",
        "https://www.ice.gov/identify-and-arrest/287g",  # i18n: data
        "public domain",
    ),  # i18n: data
    (
        N_("county and state boundaries; county population estimates (vintage 2023)"),
        "U.S. Census Bureau",  # i18n: data
        "https://www.census.gov/programs-surveys/popest.html",
        "public domain",
    ),  # i18n: data
    (
        N_("law-enforcement agencies and officers (Law Enforcement Employees data): FBI LEE data via 287g-watch"),
        "FBI Crime Data Explorer; 287g-watch",
        "https://cde.ucr.cjis.gov/",
        "CC BY 4.0",
    ),  # i18n: data
)


def suggested_citation(sheet_date: dt.date | str | None, dataset: str, build: str, accessed: dt.date) -> str:
    """One citation to copy: the map, ICE's sheet (its date), the dataset's version and the day it was read."""
    sheet = format_day(sheet_date) if sheet_date else "?"
    return _(
        "287(g) agreements map. Data: U.S. Immigration and Customs Enforcement, 287(g) participating agencies, "
        "sheet of {sheet}; dataset {dataset} (build {build}). Accessed {accessed}."
    ).format(sheet=sheet, dataset=dataset, build=build, accessed=format_day(accessed))


def credits_html() -> str:
    """The credits as an HTML list (every part escaped, links open in a new tab)."""
    items = []
    for what, who, url, licence in CREDITS:
        kind = _("public domain") if licence == "public domain" else licence
        items.append(f"<li>{external_link(who, url)}: {escape(_(what))} ({escape(kind)})</li>")
    return "<ul>" + "".join(items) + "</ul>"


def contact_html(contact: str) -> str:
    """A link to the corrections contact: the URL opens in a new tab, an address opens the mail program."""
    if "@" in contact and "://" not in contact:
        address = html.escape(contact, quote=True)
        return f'<a href="mailto:{address}">{address}</a>'
    return external_link(contact, contact)


def footer_html(contact: str | None) -> str:
    """Every page's footer: where to report an error (the contact, or how to report one when none is set)
    and where the citation and credits are. Our words escaped, the contact as a checked link."""
    if contact:
        report = escape(
            _(
                "Found an error? Report it to {contact}, with this page's address (it holds what you see), "
                "the agency or state, what is wrong and a source that shows it."
            )
        ).format(contact=contact_html(contact))
    else:
        report = escape(
            _(
                "Found an error? Write down this page's address (it holds what you see), the agency or state, "
                "what is wrong and a source that shows it, and send it to whoever runs this copy of the map: "
                "no contact is set here (the README's section “Corrections” says how to set one)."
            )
        )
    cite = escape(_("How to cite the map and its sources: see the About page."))
    return f"<small>{report} {cite}</small>"
