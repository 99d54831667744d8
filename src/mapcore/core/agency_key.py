"""One definition of "the same agency": the normalised name every count, diff, search, link and
placement fix compares. The screen always shows ICE's own spelling; this is only the key.

``agency_identity`` applies these rules, in order:

1. accents stripped (NFKD), case folded, non-breaking and other Unicode spaces read as spaces;
2. apostrophes of every kind dropped ("Sheriff's", "Sheriff’s", "Sheriff`s" -> "sheriffs"), "&" -> "and",
   any other punctuation (dashes, dots, commas, slashes) -> a space, runs of spaces collapsed;
3. abbreviations spelled out, whole words only: "st" -> "saint", "ste" -> "sainte", "mt" -> "mount",
   "ft" -> "fort", "co"/"cnty" -> "county", "dept"/"dpt" -> "department", "twp" -> "township",
   "pd" -> "police department";
4. the office variants of sheriffs, constables and marshals: "sheriff(s) office", "sheriff(s)
   department" and a name ending in a bare "sheriff(s)" -> "sheriffs office" (likewise "constables
   office", "marshals office");
5. a leading "the" dropped.

It never merges two different places: "Mount Pleasant" (SC) and "Mount Pleasant" (TX) stay apart by
state, which every key carries beside the name.

Two helpers serve the steps that join *different* spellings (the build's typo step, ORI and search):
:func:`numbers` (names that differ in a number, "Constable District 1" and "District 7", are never one
agency) and :func:`place_kind` (the leading "city of" / "town of" / "village of" of a name, which joins
"City of St. Cloud Police Department" to "St. Cloud Police Department" only where nothing tells them apart:
see :mod:`mapcore.build.agreement_keys`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

_APOSTROPHES = re.compile(r"[\u2018\u2019\u201b\u2032\u02bc\uff07`\u00b4']")
_NON_WORD = re.compile(r"[^a-z0-9]+")
ABBREVIATIONS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
    "co": "county",
    "cnty": "county",
    "dept": "department",
    "dpt": "department",
    "twp": "township",
    "pd": "police department",
}
_OFFICE = re.compile(r"\b(sheriff|constable|marshal)s? (office|department)\b")
_BARE_OFFICE = re.compile(r"\b(sheriff|constable|marshal)s?$")
_NUMBER = re.compile(r"\d+")
_PLACE_KIND = re.compile(r"^(city|town|village) of (?=\S)")


@functools.lru_cache(maxsize=65536)
def fold(text: str | None) -> str:
    """Rules 1 and 2 only (accents, case, spaces, apostrophes, punctuation): for matching typed text
    inside names, where spelling out abbreviations would change what the user typed."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("", text).replace("&", " and ")
    return " ".join(_NON_WORD.sub(" ", text).split())


@functools.lru_cache(maxsize=65536)
def agency_identity(name: str | None) -> str:
    """The normalised agency name (rules in the module docstring); '' for None or no letters."""
    if not isinstance(name, str):
        return ""
    words = [ABBREVIATIONS.get(w, w) for w in fold(name).split()]
    text = _OFFICE.sub(r"\1s office", " ".join(words))
    text = _BARE_OFFICE.sub(r"\1s office", text)
    return text[4:] if text.startswith("the ") else text


@functools.lru_cache(maxsize=65536)
def numbers(name: str | None) -> tuple[int, ...]:
    """The numbers written in a name, in order ("Constable Precinct 01" -> (1,)): two names whose
    numbers differ are never the same agency, however close their letters."""
    return tuple(int(n) for n in _NUMBER.findall(fold(name)))


def place_kind(identity: str) -> tuple[str | None, str]:
    """(kind, rest) of a normalised name that starts with "city of", "town of" or "village of"
    ("town of elmira police department" -> ("town", "elmira police department")); (None, name) otherwise."""
    match = _PLACE_KIND.match(identity)
    return (match.group(1), identity[match.end() :]) if match else (None, identity)
