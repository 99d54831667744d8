"""Safe HTML links for pages that write markdown with ``unsafe_allow_html``.

Text and URLs from outside (ICE's spreadsheet, the law table) are escaped here, only http(s) URLs
become links, and every external link opens in a new tab without giving the new page a handle on
ours (``rel="noopener noreferrer"``).
"""

from __future__ import annotations

import html

import pandas as pd

from mapcore.ingest.normalize import safe_url


def external_link(text: object, url: object) -> str:
    """``<a href=... target="_blank">`` for an http(s) URL; just the escaped text otherwise."""
    label = html.escape("" if text is None else str(text))
    checked = safe_url(url)
    if checked is None:
        return label
    return f'<a href="{html.escape(checked, quote=True)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def escape(text: object) -> str:
    """Escaped text, '' for None/NA (so a missing value never prints as 'nan')."""
    if text is None or (not isinstance(text, str) and _is_na(text)):
        return ""
    return html.escape(str(text))


def _is_na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|~$:<>")


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
                out.append(escaped[i:end + 1])
                i = end + 1
                continue
        out.append("\\" + ch if ch in _MARKDOWN_SPECIAL else ch)
        i += 1
    return "".join(out)
