"""Text that leaves the library: one home for escaping, missing values and link checks.

Agency names and links come from ICE's spreadsheets and the law table: text we do not control. Every
page, map and export goes through these helpers, so a name is escaped the same way everywhere, a
missing value never prints as 'nan', and only http(s) links ever reach a browser (external links open
in a new tab without giving the new page a handle on ours: ``rel="noopener noreferrer"``).
"""

from __future__ import annotations

import html
import re

import pandas as pd

_SPACES = re.compile(r"\s+")
# scheme, a host (no slash, query or fragment in it), then anything but spaces, quotes and angle brackets
_HTTP_URL = re.compile(r"^https?://[^\s<>\"'/?#]+(?:[/?#][^\s<>\"']*)?$", re.IGNORECASE)
_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|~$:<>")


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA (never raises, whatever the type)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def clean_text(value: object) -> str | None:
    """A cell trimmed to single-spaced text (non-breaking spaces included); blank or missing -> None."""
    if is_missing(value):
        return None
    text = _SPACES.sub(" ", str(value).replace("\u00a0", " ")).strip()
    return text or None


def plain(value: object) -> str | None:
    """A value as display text, None when missing (so a table cell stays empty, not 'nan')."""
    return None if is_missing(value) else str(value)


def safe_url(value: object) -> str | None:
    """Keep only http(s) links: anything else (javascript:, data:, file:) never reaches a browser."""
    text = clean_text(value)
    if not text:
        return None
    text = text.replace(" ", "%20")
    return text if _HTTP_URL.match(text) else None


def is_http_url(value: object) -> bool:
    """True for an absolute http(s) URL with a host: the only links we ever emit."""
    return isinstance(value, str) and safe_url(value) is not None


def escape(text: object) -> str:
    """HTML-escaped text, '' for None/NA."""
    return "" if is_missing(text) else html.escape(str(text))


def external_link(text: object, url: object) -> str:
    """``<a href=... target="_blank">`` for an http(s) URL; just the escaped text otherwise."""
    label = escape(text)
    checked = safe_url(url)
    if checked is None:
        return label
    return f'<a href="{html.escape(checked, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def md_text(text: object) -> str:
    """Text for ``st.markdown``/``st.caption``: HTML-escaped and every markdown, LaTeX ($) and
    directive (:) character backslash-escaped, so a name from a spreadsheet renders as typed."""
    escaped = escape(text)
    out = []
    i = 0
    while i < len(escaped):
        ch = escaped[i]
        if ch == "&":  # keep HTML entities (&amp; &#x27; ...) whole
            end = escaped.find(";", i)
            if end != -1:
                out.append(escaped[i : end + 1])
                i = end + 1
                continue
        out.append("\\" + ch if ch in _MARKDOWN_SPECIAL else ch)
        i += 1
    return "".join(out)
