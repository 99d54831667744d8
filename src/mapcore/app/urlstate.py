"""Filter state <-> URL query parameters, so a copied link reopens the same view.

Pure functions; the page reads ``st.query_params`` into :func:`view_from_params` and writes
:func:`params_from_view` back. Unknown or malformed values are ignored, never fatal: a URL is input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from mapcore.analysis.query import Filters
from mapcore.core.schema import MODELS

KINDS = ("participating", "pending")
MAX_LIST_CHARS = 2_000  # a list parameter is cut to this before it is split: every state's code, twenty times over
LEVELS = ("county", "state")
_STATE = re.compile(r"^[A-Z]{2}$")
MAX_TEXT_CHARS = 100  # "Agency name contains": the text box's maximum length and what ?q= keeps


@dataclass(frozen=True)
class View:
    """Everything the Explore page shows: filters plus which publication, kind and map level."""

    filters: Filters = field(default_factory=Filters)
    kind: str = "participating"
    publication: str | None = None  # publication date (YYYY-MM-DD); None = the newest
    level: str = "county"


def view_from_params(
    params: Mapping[str, str],
    known_states: set[str] | None = None,
    known_types: set[str] | None = None,
    known_statuses: set[str] | None = None,
) -> View:
    """Read a View from URL parameters, dropping anything not recognised."""

    def listed(name: str, allowed=None, transform=str) -> tuple[str, ...]:
        return tuple(list_param(params.get(name, ""), allowed, transform))

    states = listed("states", known_states, str.upper)
    if known_states is None:
        states = tuple(s for s in states if _STATE.match(s))
    filters = Filters(
        models=listed("models", set(MODELS), str.upper),
        states=states,
        types=listed("types", known_types),
        law_statuses=listed("law", known_statuses),
        signed_from=_date(params.get("from")),
        signed_to=_date(params.get("to")),
        text=str(params.get("q", ""))[:MAX_TEXT_CHARS],
    )
    kind = params.get("kind", "participating")
    level = params.get("level", "county")
    publication = _date(params.get("pub"))
    return View(
        filters,
        kind if kind in KINDS else "participating",
        publication.isoformat() if publication else None,
        level if level in LEVELS else "county",
    )


def list_param(raw: object, allowed: Collection[str] | None, transform: Callable[[str], str] = str) -> list[str]:
    """A comma-separated URL value as a list: cut to :data:`MAX_LIST_CHARS` first (a URL is input: 15 KB of
    ``TX,TX,...`` is read as the first 2,000 characters), each value trimmed and ``transform``-ed, only the
    ``allowed`` ones (None: any), each once, in order."""
    values = (transform(part.strip()) for part in str(raw or "")[:MAX_LIST_CHARS].split(",") if part.strip())
    return list(dict.fromkeys(v for v in values if allowed is None or v in allowed))


def params_from_view(view: View) -> dict[str, str]:
    """URL parameters for a View; defaults are left out so URLs stay short."""
    f = view.filters
    params = {
        "models": ",".join(f.models),
        "states": ",".join(f.states),
        "types": ",".join(f.types),
        "law": ",".join(f.law_statuses),
        "from": f.signed_from.isoformat() if f.signed_from else "",
        "to": f.signed_to.isoformat() if f.signed_to else "",
        "q": f.text,
        "kind": "" if view.kind == "participating" else view.kind,
        "pub": view.publication or "",
        "level": "" if view.level == "county" else view.level,
    }
    return {k: v for k, v in params.items() if v}


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
