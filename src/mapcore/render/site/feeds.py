"""Atom feeds (RFC 4287): one for the nation and one per state, in each language.

One entry per ICE participating sheet that changed the list (for a state's feed: changed it in that
state), newest first, listing the agreements added and removed with links to the agencies' pages.

An entry's id is a name-based UUID (RFC 4122, version 5) of the language, the scope and the sheet's
publication id, so it is the same in every edition built from that sheet and a feed reader never
shows an entry twice; an entry's ``updated`` is its sheet's date, so an entry does not change unless its
sheet's changes do. Written with :mod:`xml.etree.ElementTree`, which escapes every text and attribute;
characters XML cannot hold (control characters a sheet may carry) are dropped first.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET

from mapcore.core.i18n import _, format_day, format_number, ngettext
from mapcore.core.tables import ILLEGAL_CHARACTERS_RE
from mapcore.render.caption import PROJECT_NAME
from mapcore.render.site import layout
from mapcore.render.site.facts import Change, EditionFacts
from mapcore.render.site.pages import cite, day, model_label
from mapcore.words.places import state_name

ATOM = "http://www.w3.org/2005/Atom"
NAMESPACE = uuid.UUID("5b0f3f4e-9a43-5b3e-8f0a-287000000287")  # this project's name space for entry ids
XHTML = "http://www.w3.org/1999/xhtml"
# Elements are made without namespaces and the root carries xmlns="..." (register_namespace would change a
# process-wide default that the sitemap needs too).


def entry_id(lang: str, scope: str, publication_id: str) -> str:
    """``urn:uuid:`` of the entry of one sheet in one feed: stable across editions."""
    return uuid.uuid5(NAMESPACE, f"287g-site/{lang}/{scope}/{publication_id}").urn


def feed_id(lang: str, scope: str) -> str:
    return uuid.uuid5(NAMESPACE, f"287g-site/{lang}/{scope}/feed").urn


def _clean(text: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(text))


def _stamp(day_: dt.date) -> str:
    return f"{day_.isoformat()}T00:00:00Z"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def feed_xml(facts: EditionFacts, scope: str, lang: str, base_url: str | None) -> bytes:
    """The feed of ``scope`` ('US' or a state's code) in the language in force (``lang`` names it)."""
    place = layout.Place(lang, layout.feed(scope))
    page = layout.Place(lang, layout.HOME if scope == "US" else layout.state_page(scope))
    changes = facts.changes if scope == "US" else facts.state_changes.get(scope, [])
    where = _("nation") if scope == "US" else state_name(scope)
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _sub(root, "id", feed_id(lang, scope))
    _sub(root, "title", _("Changes to ICE's 287(g) list: {where}").format(where=where))
    _sub(root, "subtitle", _("One entry per ICE participating-agencies sheet that added or removed agreements."))
    first = facts.dataset.sheets.loc[facts.dataset.sheets["kind"] == "participating", "publication_date"].min()
    _sub(root, "updated", _stamp(changes[-1].sheet.date if changes else first.date()))  # no entry: stable, our first sheet
    author = _sub(root, "author")
    _sub(author, "name", _(PROJECT_NAME))
    _sub(root, "link", rel="alternate", type="text/html", href=_href(place, page.file, base_url))
    _sub(root, "link", rel="self", type="application/atom+xml", href=_href(place, place.file, base_url))
    _sub(root, "generator", "mapcore site")
    for change in reversed(changes):
        _entry(root, facts, change, scope, lang, place, page, base_url)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _href(place: layout.Place, target_file: str, base_url: str | None) -> str:
    """An absolute link under ``base_url``, else a link relative to the feed's own address."""
    if base_url:
        return base_url.rstrip("/") + "/" + target_file
    return layout.relative(place.file, target_file)


def _entry(
    root: ET.Element,
    facts: EditionFacts,
    change: Change,
    scope: str,
    lang: str,
    place: layout.Place,
    page: layout.Place,
    base_url: str | None,
) -> None:
    entry = _sub(root, "entry")
    _sub(entry, "id", entry_id(lang, scope, change.sheet.id))
    added, removed = len(change.added), len(change.removed)
    _sub(
        entry,
        "title",
        _("Sheet of {date}: {added}, {removed}").format(
            date=format_day(change.sheet.date),
            added=ngettext("{n} added", "{n} added", added).format(n=format_number(added)),
            removed=ngettext("{n} removed", "{n} removed", removed).format(n=format_number(removed)),
        ),
    )
    _sub(entry, "updated", _stamp(change.sheet.date))
    _sub(entry, "published", _stamp(change.sheet.date))
    _sub(entry, "link", rel="alternate", type="text/html", href=_href(place, page.file, base_url))
    _sub(
        entry,
        "summary",
        _("{file} ({date}) against {previous} ({previous_date}).").format(
            file=change.sheet.file,
            date=format_day(change.sheet.date),
            previous=change.previous.file,
            previous_date=format_day(change.previous.date),
        ),
    )
    content = _sub(entry, "content", type="xhtml")
    body = ET.SubElement(content, "div", {"xmlns": XHTML})
    for label, frame in (
        (ngettext("{n} agreement added", "{n} agreements added", added).format(n=format_number(added)), change.added),
        (ngettext("{n} agreement removed", "{n} agreements removed", removed).format(n=format_number(removed)), change.removed),
    ):
        if not frame:
            continue
        heading = ET.SubElement(body, "p")
        heading.text = _clean(label)
        items = ET.SubElement(body, "ul")
        for row in frame:
            item = ET.SubElement(items, "li")
            path = facts.agency_path(row.site_agency)
            if path:
                link = ET.SubElement(item, "a", {"href": _href(place, layout.lang_prefix(lang) + path, base_url)})
                link.text = _clean(row.agency)
                link.tail = _clean(_detail(row, scope))
            else:
                item.text = _clean(str(row.agency) + _detail(row, scope))
    source = ET.SubElement(body, "p")
    source.text = _clean(cite(change.sheet))


def _detail(row, scope: str) -> str:
    where = f"{state_name(row.state)} · " if scope == "US" else ""
    signed = day(row.signed)
    return " — " + where + model_label(row.model) + " · " + _("signed {date}").format(date=signed)
