"""The agreement record: the one table every other module reads.

One row per agreement as ICE lists it in one publication (one sheet). Reading fills the
"as printed" and normalised columns; placing fills the geography columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import us

from mapcore.core.i18n import N_, _

# The 50 states and DC (postal codes): what "states" counts. Territories (PR, GU, MP, ...) are apart.
STATES_AND_DC: frozenset[str] = frozenset({s.abbr for s in us.states.STATES} | {"DC"})

MODELS: tuple[str, ...] = ("JEM", "WSO", "TFM")
MODEL_NAMES: dict[str, str] = {  # English msgids: shown through i18n._ (model_name)
    "JEM": N_("Jail Enforcement Model"),
    "WSO": N_("Warrant Service Officer"),
    "TFM": N_("Task Force Model"),
}


# One short form per model, used everywhere a model is named in a few words (chart legends, metrics, filters);
# the full name (MODEL_NAMES) goes in help texts and glossaries.
MODEL_SHORT: dict[str, str] = {"JEM": N_("Jail Enforcement"), "WSO": N_("Warrant Service"), "TFM": N_("Task Force")}


def model_name(code: str) -> str:
    """A model's name in the reader's language ('Jail Enforcement Model' / 'modelo de cárcel')."""
    return _(MODEL_NAMES[code]) if code in MODEL_NAMES else code


def model_short(code: str) -> str:
    """A model's short form in the reader's language: 'Warrant Service' / 'Órdenes'."""
    return _(MODEL_SHORT[code]) if code in MODEL_SHORT else code


def model_label(code: str) -> str:
    """A model's code and short form in the reader's language: 'WSO · Warrant Service' / 'WSO · Órdenes'."""
    return f"{code} · {model_short(code)}" if code in MODEL_SHORT else code


KINDS: tuple[str, ...] = ("participating", "pending")
JURISDICTION_TYPES: tuple[str, ...] = ("County", "Municipality", "State")

# Levels an agreement is placed at.
LEVEL_COUNTY = "county"  # a county agency (sheriff, county jail, county police)
LEVEL_MUNICIPAL = "municipal"  # a city/town/village agency, placed in its county
LEVEL_STATEWIDE = "statewide"  # a state agency: shown at state level, never spread over counties
LEVEL_REGIONAL = "regional"  # a body serving several counties (a judicial circuit's state attorney, a
# regional jail, a multi-county task force): placed in each of its counties
LEVEL_OTHER = "other"  # type missing or unusual; placed if the name allows

# Columns produced by reading a sheet (mapcore.sheets.sheet).
READ_COLUMNS: tuple[str, ...] = (
    "source_file",  # path of the sheet relative to the source folder
    "source_sha256",  # content hash of the sheet
    "kind",  # participating | pending (by content)
    "publication_date",  # date ICE published the sheet (from its file name)
    "publication_id",  # unique per sheet: "<date>/<file name>@<sha8>" (see PublicationId)
    "row",  # Excel row number (1-based, header is row 1)
    "state_raw",  # STATE as printed
    "state",  # postal code, e.g. "TX" (None when unknown)
    "state_fips",  # 2-digit FIPS (None when unknown)
    "agency",  # LAW ENFORCEMENT AGENCY, trimmed
    "type_raw",  # TYPE as printed
    "jurisdiction_type",  # County | Municipality | State | None: ICE's TYPE, corrected by placement where the
    # name says otherwise (a sheriff is County; a town's police Municipality)
    "county_printed",  # COUNTY as printed (None for #N/A, #NA, N/A, blank, or no column)
    "model_raw",  # SUPPORT TYPE as printed
    "model",  # JEM | WSO | TFM | None
    "signed",  # datetime64 date or NaT
    "signed_raw",  # SIGNED as printed when it was text
    "moa_text",  # MOA cell text ("link", "link pending", ...)
    "moa_url",  # MOA hyperlink target (http/https only) or None
    "moa_pending",  # True when ICE wrote "link pending"
    "addendum_url",  # ADDENDUM hyperlink target or None
)

# Columns added by placing (mapcore.build.place).
PLACE_COLUMNS: tuple[str, ...] = (
    "level",  # county | municipal | regional | statewide | other
    "county_fips",  # 5-digit county GEOID (2016 Census vintage) or None (None for a regional body)
    "county_name",  # Census county name, e.g. "Harris County"
    "region_fips",  # a regional body's counties: 2016 GEOIDs joined by ";" (None for any other level)
    "region_counties",  # the same counties by name, joined by "; " ("Pasco County; Pinellas County")
    "placed_by",  # method: county_column | agency_name | gazetteer | fixes_table | regional_table | statewide | None
    "unplaced_reason",  # why county_fips is None for a county/municipal agreement, else None
)

DATASET_COLUMNS: tuple[str, ...] = READ_COLUMNS + PLACE_COLUMNS


@dataclass(frozen=True)
class PublicationId:
    """A publication's identity, stored as text in the ``publication_id`` column:
    ``"<ISO date>/<file name>@<first 8 hex digits of the sheet's sha256>"``, e.g.
    ``"2026-04-30/participatingAgencies04302026.xlsx@1a2b3c4d"``. Built and taken apart only here, so the
    stored format has one definition (datasets and the bundled snapshot hold these strings)."""

    date: str  # ISO day the sheet was published
    file_name: str  # the sheet's file name, without its folder
    sha: str  # the first SHA_CHARS hex digits of the sheet's content hash

    SHA_CHARS = 8

    @classmethod
    def build(cls, iso_date: str, file: str, sha256: str) -> PublicationId:
        """The identity of a sheet read from ``file`` (a path; only its name is kept) with content hash ``sha256``."""
        return cls(iso_date, PurePath(file).name, sha256[: cls.SHA_CHARS])

    @classmethod
    def parse(cls, text: object) -> PublicationId:
        """The parts of a stored identity (any text: missing parts are empty, never an error)."""
        date, slash, rest = str(text).partition("/")
        if not slash:
            date, rest = "", date
        name, at, sha = rest.rpartition("@")
        return cls(date, name, sha) if at else cls(date, rest, "")

    def __str__(self) -> str:
        return f"{self.date}/{self.file_name}@{self.sha}"


def sheet_file_name(publication_id: object) -> str:
    """The file name of the sheet a stored publication id names ("participatingAgencies04302026.xlsx")."""
    return PublicationId.parse(publication_id).file_name


# Columns added at build time by mapcore.build.agreement_keys.with_identity: an agreement's identity across
# publications (typo-tolerant), so diffs and timelines need no matching at view time.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "agency_norm",  # normalised agency name (aliases of ICE's typo'd spellings merged)
    "agency_id",  # state | agency_norm
    "key",  # state | agency_norm | model
)

# Columns added at build time by mapcore.build.ori_match.link_ori: the agency's FBI record (ORI) in the FBI's
# roster of law-enforcement agencies (data/fbi_agencies.csv), or why there is none.
ORI_COLUMNS: tuple[str, ...] = (
    "ori",  # 9-character FBI agency identifier, or None
    "ori_method",  # fixed | county_sheriff | exact | normalised | ambiguous | unmatched
    "ori_confidence",  # high | medium | None (no match)
    "ori_name",  # the roster's name of the matched agency (the FBI's spelling)
    "ori_note",  # why no ORI (with the candidates when ambiguous), or a caveat of the match
)

# Added at build time by mapcore.build.county_check, after the ORI link.
COUNTY_CHECK_COLUMNS: tuple[str, ...] = (
    "fbi_county",  # the FBI roster's county of the agency's ORI where it is not the one the agreement is
    # placed in (ICE's county and the FBI's disagree: "Palm Beach County"), else None
)
