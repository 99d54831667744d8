"""State and territory names in the reader's language ("New York" / "Nueva York").

Postal codes stay the key everywhere; a name is looked up when it is shown. The English names are the
``us`` package's, marked here for the catalog (domain ``mapcore``), so a page in Spanish names
every state in Spanish.
"""

from __future__ import annotations

from mapcore.core.i18n import N_, _

STATE_NAMES: dict[str, str] = {  # English msgids, shown through _()
    "AL": N_("Alabama"),
    "AK": N_("Alaska"),
    "AZ": N_("Arizona"),
    "AR": N_("Arkansas"),
    "CA": N_("California"),
    "CO": N_("Colorado"),
    "CT": N_("Connecticut"),
    "DE": N_("Delaware"),
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
    "AS": N_("American Samoa"),
    "GU": N_("Guam"),
    "MP": N_("Northern Mariana Islands"),
    "PR": N_("Puerto Rico"),
    "VI": N_("Virgin Islands"),
    "DC": N_("District of Columbia"),
}


def state_name(code: object) -> str:
    """'Texas' / 'Texas', 'NY' -> 'New York' / 'Nueva York'; the code itself when unknown; '' for none."""
    if not isinstance(code, str) or not code:
        return ""
    name = STATE_NAMES.get(code.upper())
    return _(name) if name else code
