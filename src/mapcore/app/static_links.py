"""Links from the app to the static edition (``mapcore site``), when ``MAPCORE_SITE_URL`` says where it is.

A state's page and feed and an agency's page have addresses made the same way as the edition makes them
(:mod:`mapcore.render.site.layout`, :mod:`mapcore.render.site.agencies`), in the reader's language
(Spanish pages under ``es/``). No streamlit here: the pages show what these return.
"""

from __future__ import annotations

from collections.abc import Mapping

from mapcore.core import config
from mapcore.core.i18n import _, current_language
from mapcore.render.site import layout
from mapcore.render.site.agencies import spelling_key
from mapcore.words.places import state_name


def _url(base: str, path: str) -> str:
    return f"{base}/{layout.lang_prefix(current_language())}{path}"


def state_links(state: str) -> list[tuple[str, str]]:
    """(label, address) of a state's permanent page and its Atom feed; [] when no edition is configured."""
    base = config.site_url()
    if base is None:
        return []
    name = state_name(state)
    return [
        (_("Permanent page of {state} (static edition)").format(state=name), _url(base, layout.state_page(state))),
        (_("Subscribe to changes in {state} (Atom feed)").format(state=name), _url(base, layout.feed(state))),
    ]


def agency_link(paths: Mapping[str, str], state: str, agency: str) -> tuple[str, str] | None:
    """(label, address) of an agency's permanent page, from any spelling ICE used; None without an edition
    or when the spelling is not in the dataset."""
    base = config.site_url()
    path = paths.get(spelling_key(state, agency)) if base else None
    if base is None or path is None:
        return None
    return _("Permanent page of this agency (static edition)"), _url(base, path)
