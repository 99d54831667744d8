"""US state and territory names in the reader's language: "New York" / "Nueva York", "North Carolina" /
"Carolina del Norte".

Babel's CLDR data names countries, not US subdivisions, so the names are a small table of English msgids
(domain ``mapcore``) translated in the catalog like any other word. One function, :func:`state_name`, for every
page, map, table and the static edition; a postal code the table does not know is shown as it is.
"""

from __future__ import annotations

import unicodedata

from mapcore.core.i18n import N_, _

# Postal code -> English name (a msgid: the catalog holds each language's name).
STATE_NAMES: dict[str, str] = {
    "AL": N_("Alabama"),
    "AK": N_("Alaska"),
    "AZ": N_("Arizona"),
    "AR": N_("Arkansas"),
    "CA": N_("California"),
    "CO": N_("Colorado"),
    "CT": N_("Connecticut"),
    "DE": N_("Delaware"),
    "DC": N_("District of Columbia"),
    "FL": N_("Florida"),
    "GA": N_("Georgia"),
    "HI": N_("Hawaii"),
    "ID": N_("Idaho"),
    "IL": N_("Illinois"),
    "IN": N_("Indiana"),
    "IA": N_("Iowa"),
    "KS": N_("Kansas"),
    "KY": N_("Kentucky"),
    "LA": N_("Louisiana"),
    "ME": N_("Maine"),
    "MD": N_("Maryland"),
    "MA": N_("Massachusetts"),
    "MI": N_("Michigan"),
    "MN": N_("Minnesota"),
    "MS": N_("Mississippi"),
    "MO": N_("Missouri"),
    "MT": N_("Montana"),
    "NE": N_("Nebraska"),
    "NV": N_("Nevada"),
    "NH": N_("New Hampshire"),
    "NJ": N_("New Jersey"),
    "NM": N_("New Mexico"),
    "NY": N_("New York"),
    "NC": N_("North Carolina"),
    "ND": N_("North Dakota"),
    "OH": N_("Ohio"),
    "OK": N_("Oklahoma"),
    "OR": N_("Oregon"),
    "PA": N_("Pennsylvania"),
    "RI": N_("Rhode Island"),
    "SC": N_("South Carolina"),
    "SD": N_("South Dakota"),
    "TN": N_("Tennessee"),
    "TX": N_("Texas"),
    "UT": N_("Utah"),
    "VT": N_("Vermont"),
    "VA": N_("Virginia"),
    "WA": N_("Washington"),
    "WV": N_("West Virginia"),
    "WI": N_("Wisconsin"),
    "WY": N_("Wyoming"),
    "PR": N_("Puerto Rico"),
    "GU": N_("Guam"),
    "VI": N_("Virgin Islands"),
    "MP": N_("Northern Mariana Islands"),
    "AS": N_("American Samoa"),
}


def state_name(code: object) -> str:
    """'Nueva York' for 'NY' in Spanish, 'New York' in English; '' for nothing, the code itself when unknown."""
    if not isinstance(code, str) or not code.strip():
        return ""
    key = code.strip().upper()
    return _(STATE_NAMES[key]) if key in STATE_NAMES else code.strip()


def state_label(code: str) -> str:
    """'Nueva York (NY)', for select boxes."""
    return f"{state_name(code)} ({code})"


def by_name(codes: list[str]) -> list[str]:
    """Postal codes in the order of their names in the reader's language ("Nueva York" under N)."""

    def key(code: str) -> tuple[str, str]:
        name = unicodedata.normalize("NFKD", state_name(code))
        return "".join(ch for ch in name if not unicodedata.combining(ch)).casefold(), code

    return sorted(codes, key=key)


def english_state_name(code: object) -> str:
    """The English name whatever the reader's language (downloads, files): 'New York' for 'NY'."""
    if not isinstance(code, str):
        return ""
    return STATE_NAMES.get(code.strip().upper(), code.strip())


__all__ = ["STATE_NAMES", "state_name", "state_label", "by_name", "english_state_name"]


# ICE's jurisdiction types (its TYPE column) -> English msgids.
TYPE_LABELS: dict[str, str] = {"County": N_("County"), "Municipality": N_("Municipality"), "State": N_("State"), "Unknown": N_("Unknown")}


def type_label(value: str) -> str:
    """A jurisdiction type (ICE's own value) in the reader's language; a value ICE invents is shown as it is."""
    return _(TYPE_LABELS[value]) if value in TYPE_LABELS else value
