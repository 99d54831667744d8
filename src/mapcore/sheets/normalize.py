"""Normalisers for the values ICE prints: models, jurisdiction types, states, dates, links.

Each takes one raw cell value and returns the normalised value or ``None``; none of them raise,
so a reader can turn ``None`` into a named problem with the row and column it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import us

from mapcore.core.text import clean_text

_MISSING_MARKERS = frozenset({"", "#N/A", "#NA", "N/A", "NA", "#N/A N/A", "NULL", "NONE", "-"})


def is_missing_marker(value: object) -> bool:
    """True for blanks and the placeholders ICE prints for 'no value' (#N/A, #NA, N/A, null)."""
    text = clean_text(value)
    return text is None or text.upper() in _MISSING_MARKERS


def header_key(value: object) -> str:
    """Header names compared in any case and spacing: ' Law  enforcement agency' -> 'LAW ENFORCEMENT AGENCY'."""
    return (clean_text(value) or "").upper()


def normalize_model(value: object) -> str | None:
    """SUPPORT TYPE -> JEM | WSO | TFM, tolerant of ICE's typos ('Jail Enforcment', 'Warrant Services Officer')."""
    text = (clean_text(value) or "").lower()
    if not text:
        return None
    if text in {"jem", "wso", "tfm"}:
        return text.upper()
    if "jail" in text:
        return "JEM"
    if "warrant" in text:
        return "WSO"
    if "task" in text and "force" in text:
        return "TFM"
    return None


def normalize_jurisdiction_type(value: object) -> str | None:
    """TYPE -> County | Municipality | State (Muncipality, Municipal, State Agency included)."""
    text = (clean_text(value) or "").lower()
    if not text or is_missing_marker(text):
        return None
    if text.startswith("count"):
        return "County"
    if text.startswith(("munic", "muncip", "munip", "city", "town")):
        return "Municipality"
    if text.startswith("state"):
        return "State"
    return None


@lru_cache(maxsize=512)
def _lookup_state(name: str) -> tuple[str, str] | None:
    key = name.strip()
    if key.upper() in {"DC", "D.C.", "WASHINGTON DC", "WASHINGTON D.C.", "DISTRICT OF COLUMBIA"}:
        return ("DC", "11")
    found = us.states.lookup(key.title() if len(key) > 2 else key.upper())
    if found is None or found.fips is None:
        return None
    return (found.abbr, found.fips)


def normalize_state(value: object) -> tuple[str, str] | None:
    """STATE in any case ('WESt VIRGINIA', 'texas ') or a postal code -> (postal code, FIPS)."""
    text = clean_text(value)
    if not text:
        return None
    return _lookup_state(text)


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]?(\d{2}|\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_signed(value: object) -> dt.date | None:
    """SIGNED as an Excel date, a serial number, or text such as '05/082025', '7/72025', '8/28/2025'."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or not 20000 < value < 80000:  # NaN or not a plausible serial (1954..2119)
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = clean_text(value)
    if not text:
        return None
    iso = _DATE_ISO.match(text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    match = _DATE_TEXT.match(text)
    if match:
        month, day, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
        return _safe_date(year, month, day)
    return None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_EMBEDDED_HTTP = re.compile(r"(https?):/+(?=[^/])", re.IGNORECASE)
# Outlook's "Safe Links" rewrite every link of a mail through Microsoft's scanner; ICE pasted such
# links (they carry an ICE mailbox address in ``data=``) instead of the MOA's own address.
_SAFELINKS_HOST = re.compile(r"^(?:[a-z0-9-]+\.)*safelinks\.protection\.outlook\.com$", re.IGNORECASE)


def repair_url(value: object) -> str | None:
    """Mend ICE's broken links: 'https:/www.ice.gov/...', a PDF viewer's
    'chrome-extension://<id>/https:/www.ice.gov/...' wrapper and Outlook's SafeLinks wrapper
    ('https://gcc02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.ice.gov%2F...&data=...'),
    unwrapped to the real address (wrappers inside wrappers too)."""
    text = clean_text(value)
    if not text:
        return None
    for _ in range(4):  # a wrapper inside a wrapper; never loops for ever
        repaired = unwrap_safelinks(_repair_scheme(text))
        if repaired == text:
            break
        text = repaired
    return text


def _repair_scheme(text: str) -> str:
    match = _EMBEDDED_HTTP.search(text)
    if match is None:
        return text
    if match.start() > 0 and not text.lower().startswith("chrome-extension://"):
        return text
    return f"{match.group(1).lower()}://{text[match.end() :]}"


def unwrap_safelinks(text: str) -> str:
    """The ``url=`` target of an Outlook SafeLinks address (percent-decoded); other text unchanged."""
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if parts.scheme.lower() not in ("http", "https") or not _SAFELINKS_HOST.match(parts.hostname or ""):
        return text
    target = parse_qs(parts.query).get("url")
    return clean_text(target[0]) or text if target else text


def looks_like_url(value: object) -> bool:
    text = clean_text(value) or ""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", text, flags=re.IGNORECASE)) or text.lower().startswith("www.")
