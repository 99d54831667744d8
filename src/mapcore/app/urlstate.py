"""Filter state <-> URL query parameters, so a copied link reopens the same view.

Pure functions; the page reads ``st.query_params`` into :func:`view_from_params` and writes
:func:`params_from_view` back. Unknown or malformed values are ignored, never fatal: a URL is input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from mapcore.analysis.query import Filters
from mapcore.core.schema import MODELS

KINDS = ("participating", "pending")
LEVELS = ("county", "state")
_STATE = re.compile(r"^[A-Z]{2}$")
MAX_TEXT_CHARS = 100   # "Agency name contains": the text box's maximum length and what ?q= keeps


@dataclass(frozen=True)
class View:
    """Everything the Explore page shows: filters plus which publication, kind and map level."""

    filters: Filters = field(default_factory=Filters)
    kind: str = "participating"
    publication: str | None = None   # publication date (YYYY-MM-DD); None = the newest
    level: str = "county"


def view_from_params(params: Mapping[str, str], known_states: set[str] | None = None,
                     known_types: set[str] | None = None, known_statuses: set[str] | None = None) -> View:
    """Read a View from URL parameters, dropping anything not recognised."""
    def listed(name: str, allowed=None, transform=str) -> tuple[str, ...]:
        values = [transform(v.strip()) for v in str(params.get(name, "")).split(",") if v.strip()]
        return tuple(dict.fromkeys(v for v in values if allowed is None or v in allowed))

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
    return View(filters, kind if kind in KINDS else "participating",
                publication.isoformat() if publication else None, level if level in LEVELS else "county")


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
