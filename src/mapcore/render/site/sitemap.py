"""``sitemap.xml`` (sitemaps.org 0.9) and ``robots.txt`` of an edition.

A sitemap needs absolute addresses, so it is written only with ``--base-url``; each page's ``lastmod``
is the day its content last changed (from the writer's manifest), so the file changes only when pages
do. Addresses are made of state codes and ASCII slugs; ElementTree escapes them all the same.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(base_url: str, pages: Iterable[tuple[str, str]]) -> bytes:
    """``pages``: (path from the edition's root, ISO day it last changed), written in path order."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})  # no process-wide register_namespace
    for path, changed in sorted(pages):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = base_url.rstrip("/") + "/" + path
        ET.SubElement(url, "lastmod").text = changed
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def robots_txt(base_url: str | None) -> bytes:
    """Everything may be crawled; the sitemap named when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if base_url:
        lines.append(f"Sitemap: {base_url.rstrip('/')}/sitemap.xml")
    return ("\n".join(lines) + "\n").encode()
