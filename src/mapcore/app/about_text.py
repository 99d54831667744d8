"""The About page's text, kept as data so every claim carries its source and tests can check it.

Paragraphs are our own words. A link is written ``[[key|shown text]]`` where ``key`` names an entry
of :data:`SOURCES`; :func:`render` escapes the text and turns each marker into a link that opens in
a new tab. A paragraph that states a fact ends with (or contains) a marker: nothing unsourced.

Languages: headings and paragraphs are marked ``NT_`` (domain ``texts``) and translated with
``curated`` where shown; a translation keeps every ``[[key|...]]`` marker's key (a test checks it)
and translates only the shown text. Source titles (report names) stay in English.
"""

from __future__ import annotations

import re

import pandas as pd

from mapcore.core.i18n import NT_, curated, format_number
from mapcore.core.i18n import gettext as _
from mapcore.core.text import escape, external_link
from mapcore.reference.laws import STATUS_ORDER, low_confidence
from mapcore.words.law import STATUS_LABELS, UNCONFIRMED

SOURCES: dict[str, tuple[str, str]] = {
    "ice": ("ICE: Delegation of Immigration Authority, Section 287(g)", "https://www.ice.gov/identify-and-arrest/287g"),  # i18n: data
    "usc": ("8 U.S.C. § 1357 (Cornell Legal Information Institute)", "https://www.law.cornell.edu/uscode/text/8/1357"),  # i18n: data
    "gao": (
        "GAO-09-109: Better Controls Needed over Program Authorizing State and Local Enforcement of Federal "  # i18n: data
        "Immigration Laws (2009)",
        "https://www.gao.gov/products/gao-09-109",
    ),
    "gao_t": (
        "GAO-09-381T: Controls over Program Authorizing State and Local Enforcement of Federal Immigration "  # i18n: data
        "Laws Should Be Strengthened (testimony, 2009)",
        "https://www.gao.gov/products/gao-09-381t",
    ),
    "oig10": (
        "DHS OIG-10-63: The Performance of 287(g) Agreements (2010)",  # i18n: data
        "https://www.oig.dhs.gov/sites/default/files/assets/Mgmt/OIG_10-63_Mar10.pdf",
    ),
    "oig18": (
        "DHS OIG-18-77: Lack of Planning Hinders Effective Oversight and Management of ICE's Expanding 287(g) "  # i18n: data
        "Program (2018)",
        "https://www.oig.dhs.gov/reports/2018/lack-planning-hinders-effective-oversight-and-management-ices-"
        "expanding-287g-program/oig-18-77-sep18",
    ),
    "aic": (
        "American Immigration Council: The 287(g) Program: An Overview",  # i18n: data
        "https://www.americanimmigrationcouncil.org/research/287g-program-immigration",
    ),
    "doj": (
        "U.S. Department of Justice: investigative findings on the Maricopa County Sheriff's Office (2011)",  # i18n: data
        "https://www.justice.gov/opa/pr/department-justice-releases-investigative-findings-maricopa-county-sheriff-s-office",
    ),
    "melendres": (
        "ACLU of Arizona: Ortega Melendres v. Penzone (formerly v. Arpaio)",  # i18n: data
        "https://www.acluaz.org/en/cases/ortega-melendres-v-penzone",
    ),
}

SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        NT_("What 287(g) is"),
        (
            NT_(
                "Section 287(g) of the Immigration and Nationality Act, codified at [[usc|8 U.S.C. § 1357(g)]], lets the "
                "federal government sign a written agreement with a state or local government under which some of its "
                "officers carry out functions of a federal immigration officer: investigating, arresting or detaining "
                "people for immigration violations. The officers must be trained, follow federal law, and act under the "
                "direction and supervision of federal immigration officials; the state or locality bears the cost, and no "
                "state or locality is obliged to sign one ([[usc|8 U.S.C. § 1357(g)(1)-(3), (9)]])."
            ),
            NT_(
                "Congress added the section in 1996, in the Illegal Immigration Reform and Immigrant Responsibility Act; "
                "U.S. Immigration and Customs Enforcement (ICE) runs the program today ([[ice|ICE's 287(g) page]]). The "
                "first agreement was signed in 2002 ([[gao_t|GAO, 2009]])."
            ),
        ),
    ),
    (
        NT_("The three models"),
        (
            NT_(
                "**Jail Enforcement Model (JEM).** Officers working in a jail screen people booked into it: they interview "
                "them about their immigration status, check federal databases, and can issue immigration detainers (requests "
                "to hold a person so that ICE can take custody) and start removal paperwork ([[ice|ICE]])."
            ),
            NT_(
                "**Warrant Service Officer (WSO).** A narrower model: trained officers serve and execute ICE's administrative "
                "immigration warrants on people already held in the agency's jail, so that ICE can take them into custody "
                "([[ice|ICE]]; [[aic|American Immigration Council]])."
            ),
            NT_(
                "**Task Force Model (TFM).** Officers may enforce immigration law in the field, questioning and arresting "
                "people they meet during routine policing. ICE phased this model out in 2012 "
                "([[aic|American Immigration Council]]); it was revived in 2025 and is again offered to agencies "
                "([[ice|ICE]])."
            ),
        ),
    ),
    (
        NT_("How an agreement works"),
        (
            NT_(
                "Each agreement is a memorandum of agreement (MOA) signed by ICE and the agency (a sheriff's office, a "
                "police department, a state agency). It names the model and the powers delegated. Officers the agency "
                "nominates must complete ICE's training before using them, and they work under ICE supervision "
                "([[usc|8 U.S.C. § 1357(g)]]; [[ice|ICE]]). The standard MOA lets either side end it at any time by "
                "written notice, and ICE ended every task force agreement in 2012 ([[ice|signed MOAs on ICE's page]]; "
                "[[aic|American Immigration Council]])."
            ),
            NT_(
                "ICE publishes the list of participating agencies, with links to each signed MOA, and the list of pending "
                "applications on its 287(g) page ([[ice|ICE]]). This site is built from those sheets, collected over time; "
                "the Methodology page explains how."
            ),
        ),
    ),
    (
        NT_("The public-safety debate"),
        (
            NT_(
                "**What ICE says.** ICE describes the program as a force multiplier: trained local officers help identify "
                "people with criminal charges or convictions who may be removable while they are still in local custody, so "
                "that fewer of them are released back into the community without an immigration check ([[ice|ICE]])."
            ),
            NT_(
                "**What civil-rights groups document.** Critics argue that deputizing local police for immigration work "
                "invites racial profiling and makes immigrants less willing to report crimes or act as witnesses "
                "([[aic|American Immigration Council]]). The best-known case is Maricopa County, Arizona, then one of the "
                "largest participants: in 2011 the Justice Department found reasonable cause to believe that its Sheriff's "
                "Office engaged in a pattern or practice of discriminatory policing against Latinos, including unlawful "
                "stops, detentions and arrests ([[doj|Justice Department]]), and in 2013 a federal court in Melendres v. "
                "Arpaio found that the office had used race to target Latinos in traffic stops and detentions "
                "([[melendres|ACLU of Arizona]])."
            ),
            NT_(
                "**What federal auditors found.** The Government Accountability Office found in 2009 that ICE lacked key "
                "internal controls over the program: its objective was not documented, the agreements did not spell out how "
                "ICE would supervise deputized officers, and agencies were not told what data to collect and report "
                "([[gao|GAO-09-109]]). DHS's Inspector General found in 2010 that ICE and its partners did not always "
                "operate by the terms of their agreements and that oversight needed strengthening ([[oig10|OIG-10-63]]). "
                "In 2018 it found that when participation doubled in the 14 months after a January 2017 executive order "
                "(from 36 to 76 agencies), ICE had not planned the staff, equipment and training the growth needed, which "
                "hindered its oversight ([[oig18|OIG-18-77]])."
            ),
        ),
    ),
)

_MARKER = re.compile(r"\[\[([a-z0-9_]+)\|([^\]]+)\]\]")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def render(paragraph: str) -> str:
    """A paragraph as HTML: text escaped, ``**bold**`` kept, ``[[key|text]]`` as new-tab links.
    Raises KeyError for an unknown source key (a test catches it, not a reader)."""
    out, last = [], 0
    for match in _MARKER.finditer(paragraph):
        out.append(_text(paragraph[last : match.start()]))
        title, url = SOURCES[match.group(1)]
        out.append(external_link(match.group(2), url).replace("<a ", f'<a title="{escape(title)}" ', 1))
        last = match.end()
    out.append(_text(paragraph[last:]))
    return "".join(out)


def _text(part: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(part))


def source_keys(paragraph: str) -> list[str]:
    return [m.group(1) for m in _MARKER.finditer(paragraph)]


def sources_html() -> str:
    """The list of every source, as HTML list items with new-tab links."""
    items = "".join(f"<li>{external_link(title, url)}</li>" for title, url in SOURCES.values())
    return f"<ul>{items}</ul>"


def law_status_counts(laws: pd.DataFrame) -> pd.DataFrame:
    """States per law status, in the status scale's order: Status, States, Which (postal codes, an
    unconfirmed row marked so), with column names and statuses in the reader's language."""
    status = laws["status"].astype("object")
    low = set(laws.loc[low_confidence(laws), "state"].astype(str))
    unconfirmed = _(UNCONFIRMED)
    columns = [curated("Status"), curated("States"), curated("Which")]
    rows = []
    for code in STATUS_ORDER:
        states = sorted(laws.loc[status == code, "state"].astype(str))
        which = ", ".join(f"{s} ({unconfirmed})" if s in low else s for s in states)
        rows.append(dict(zip(columns, (_(STATUS_LABELS[code]), len(states), which))))
    return pd.DataFrame(rows, columns=columns)


def law_landscape(laws: pd.DataFrame) -> str:
    """Two sentences on the law table's statuses, with the counts it shows (so the words agree with
    the table): how many prohibit, restrict, compel cooperation, mandate an agreement, or neither.
    Whole sentences with named placeholders, so a translator sees them whole."""
    counts = laws["status"].astype("object").value_counts()
    n = {code: format_number(int(counts.get(code, 0))) for code in STATUS_ORDER}
    state_only = int((laws["status"].astype("object").eq("mandates") & laws["scope"].astype("object").eq("state")).sum())
    if state_only:
        sentence = curated(
            "Of the 50 states and DC, {prohibits} forbid 287(g) agreements and {restricts} limit them; "
            "{cooperation} compel some cooperation with ICE without requiring an agreement; {mandates} "
            "require an agreement ({state_only} of them only of a state official, not of sheriffs); "
            "and {none} have no state law either way."
        )
    else:
        sentence = curated(
            "Of the 50 states and DC, {prohibits} forbid 287(g) agreements and {restricts} limit them; "
            "{cooperation} compel some cooperation with ICE without requiring an agreement; {mandates} "
            "require an agreement; and {none} have no state law either way."
        )
    low = int(low_confidence(laws).sum())
    return (
        sentence.format(
            prohibits=n["prohibits"],
            restricts=n["restricts"],
            cooperation=n["requires_cooperation"],
            mandates=n["mandates"],
            state_only=format_number(state_only),
            none=n["none"],
        )
        + " "
        + curated("{low} of these readings are {unconfirmed} (low confidence).").format(low=format_number(low), unconfirmed=_(UNCONFIRMED))
    )


__all__ = ["SOURCES", "SECTIONS", "render", "source_keys", "sources_html", "law_status_counts", "law_landscape"]
