"""Spanish agency names read as ICE's English ones, before any matching.

A Spanish-speaking reader types "Departamento de Policía de Houston" or "Oficina del Sheriff del Condado de
Harris"; ICE lists "Houston Police Department" and "Harris County Sheriff's Office". Spanish puts the kind of
agency first and the place after "de"; English puts the place first. :func:`english_query` turns the usual
Spanish forms into ICE's English words and order, so the scorer of :mod:`mapcore.analysis.agency_search`
compares like with like:

- the kind words (:data:`KINDS`: "departamento de policía" -> "police department", "oficina del sheriff" and
  "alguacil" -> "sheriffs office", "condado" -> "county", "cárcel" -> "jail", "fiscal" -> "district attorneys
  office", "patrulla de carreteras" -> "highway patrol", ...) are replaced by their English words: most go after
  the place ("Condado de Harris" -> "harris county"), a few before it, and only when "de" follows them
  ("Universidad de Florida" -> "university of florida", "Ciudad de Miami" -> "city of miami", but the county
  of "Condado de Pueblo" stays Pueblo);
- the one connector after a kind word ("de", "del", and "de la/los/las" when another kind word follows) is
  dropped; every other word is the place's name, kept as typed ("El Paso", "La Porte", "De Soto" stay whole);
- Spanish names of states that differ from the English ones ("Nueva York", "Carolina del Norte", "Misuri")
  become the English names.

A query with no Spanish kind word is returned unchanged, so English queries are never touched.
Everything here is matching data (folded, accent-free words), never text a reader sees.
"""

from __future__ import annotations

import functools

from mapcore.core.agency_key import fold

# Spanish kind words (folded: no accents, lower case) -> (English words, where they go): "after" the place
# ("police department"), or "before" it ("university of"). Longer phrases are tried first.
KINDS: dict[str, tuple[str, str]] = {  # i18n: data
    # police
    "departamento de policia estatal": ("state police department", "after"),
    "departamento de policia": ("police department", "after"),
    "departamento de la policia": ("police department", "after"),
    "policia estatal": ("state police", "after"),
    "policia del estado": ("state police", "after"),
    "policia del condado": ("county police", "after"),
    "policia del aeropuerto": ("airport police", "after"),
    "policia universitaria": ("university police", "after"),
    "policia": ("police", "after"),
    "seguridad publica": ("public safety", "after"),
    "departamento de seguridad publica": ("department of public safety", "after"),
    # sheriffs, marshals, constables
    "oficina del sheriff": ("sheriffs office", "after"),
    "departamento del sheriff": ("sheriffs office", "after"),
    "oficina del alguacil": ("sheriffs office", "after"),
    "departamento del alguacil": ("sheriffs office", "after"),
    "alguacil": ("sheriffs office", "after"),
    "sheriff": ("sheriffs office", "after"),
    "oficina del marshal": ("marshals office", "after"),
    "mariscal": ("marshals office", "after"),
    "oficina del condestable": ("constables office", "after"),
    "condestable": ("constables office", "after"),
    # jails and corrections
    "carcel regional": ("regional jail", "after"),
    "carcel": ("jail", "after"),
    "centro de detencion": ("detention center", "after"),
    "instalacion correccional": ("correctional facility", "after"),
    "centro correccional": ("correctional facility", "after"),
    "correccional": ("correctional facility", "after"),
    "departamento de correcciones": ("department of corrections", "after"),
    "departamento de correccionales": ("department of corrections", "after"),
    "departamento correccional": ("department of corrections", "after"),
    "correcciones": ("corrections", "after"),
    # prosecutors
    "oficina del fiscal general": ("attorney generals office", "after"),
    "fiscal general": ("attorney generals office", "after"),
    "oficina del fiscal de distrito": ("district attorneys office", "after"),
    "fiscalia de distrito": ("district attorneys office", "after"),
    "fiscal de distrito": ("district attorneys office", "after"),
    "oficina del fiscal del condado": ("county attorneys office", "after"),
    "fiscal del condado": ("county attorneys office", "after"),
    "oficina del fiscal del estado": ("office of the state attorney", "before"),
    "fiscal del estado": ("office of the state attorney", "before"),
    "oficina del fiscal": ("district attorneys office", "after"),
    "fiscalia": ("district attorneys office", "after"),
    "fiscal": ("district attorneys office", "after"),
    # state agencies
    "patrulla de carreteras": ("highway patrol", "after"),
    "patrulla de caminos": ("highway patrol", "after"),
    "patrulla de autopistas": ("highway patrol", "after"),
    "patrulla estatal": ("state patrol", "after"),
    "patrulla": ("patrol", "after"),
    "guardia nacional": ("national guard", "after"),
    "oficina de investigacion": ("bureau of investigation", "after"),
    "oficina de investigaciones": ("bureau of investigation", "after"),
    "buro de investigacion": ("bureau of investigation", "after"),
    "buro de investigaciones": ("bureau of investigation", "after"),
    "division de investigacion criminal": ("division of criminal investigation", "after"),
    "division de investigaciones criminales": ("criminal investigations division", "after"),
    "fuerza de tarea antidrogas": ("drug task force", "after"),
    "fuerza de tarea de drogas": ("drug task force", "after"),
    "fuerza de tarea": ("task force", "after"),
    "autoridad portuaria": ("port authority", "after"),
    "junta de fideicomisarios": ("board of trustees", "after"),
    "junta de sindicos": ("board of trustees", "after"),
    "departamento": ("department", "after"),
    "oficina": ("office", "after"),
    # places and schools
    "condado": ("county", "after"),
    "parroquia": ("parish", "after"),
    "municipio": ("township", "after"),
    "distrito escolar": ("school district", "after"),
    "escuelas publicas": ("public schools", "after"),
    "universidad estatal": ("state university", "after"),
    "universidad internacional": ("international university", "after"),
    "universidad": ("university of", "before"),
    "colegio estatal": ("state college", "after"),
    "ciudad": ("city of", "before"),
    "pueblo": ("town of", "before"),
}
# Kind words that are English too: they make a query Spanish only when a Spanish connector follows them
# ("Sheriff de Harris"), never in "Harris County Sheriff".
SHARED: frozenset[str] = frozenset({"sheriff"})
# After a kind word, one of these is dropped; the two-word ones only when another kind word follows
# ("de la Ciudad de Miami"), so "de La Porte" keeps its "La".
CONNECTORS: tuple[str, ...] = ("de la", "de los", "de las", "del", "de")  # i18n: data
ARTICLES: frozenset[str] = frozenset({"el", "la", "los", "las"})
# US states whose Spanish name differs from the English one (folded): the rest are spelled alike.
SPANISH_STATES: dict[str, str] = {  # i18n: data
    "carolina del norte": "north carolina",
    "carolina del sur": "south carolina",
    "dakota del norte": "north dakota",
    "dakota del sur": "south dakota",
    "nueva york": "new york",
    "nueva jersey": "new jersey",
    "nuevo mexico": "new mexico",
    "nuevo hampshire": "new hampshire",
    "nueva hampshire": "new hampshire",
    "pensilvania": "pennsylvania",
    "virginia occidental": "west virginia",
    "luisiana": "louisiana",
    "misisipi": "mississippi",
    "misuri": "missouri",
    "hawai": "hawaii",
    "distrito de columbia": "district of columbia",
    "islas marianas del norte": "northern mariana islands",
    "islas virgenes de los estados unidos": "virgin islands",
    "islas virgenes": "virgin islands",
    "samoa americana": "american samoa",
}
_LONGEST = max(len(k.split()) for k in KINDS)


def _kind_at(words: list[str], i: int) -> tuple[str, int] | None:
    """The longest kind phrase starting at ``words[i]``: (phrase, its length in words)."""
    for size in range(min(_LONGEST, len(words) - i), 0, -1):
        phrase = " ".join(words[i : i + size])
        if phrase in KINDS:
            return phrase, size
    return None


def _connector_at(words: list[str], i: int) -> int:
    """How many words of a connector start at ``words[i]`` (0: none) and may be dropped there."""
    for connector in CONNECTORS:
        parts = connector.split()
        if words[i : i + len(parts)] == parts and (len(parts) == 1 or (i + len(parts) < len(words) and _kind_at(words, i + len(parts)))):
            return len(parts)
    return 0


def _states(text: str) -> str:
    padded = f" {text} "
    for spanish, english in SPANISH_STATES.items():
        padded = padded.replace(f" {spanish.strip()} ", f" {english} ")
    return padded.strip()


@functools.lru_cache(maxsize=4096)
def english_query(query: str) -> str:
    """A Spanish agency query in ICE's English words and order (folded: no accents, lower case; see the
    module docstring); any other query unchanged."""
    words = fold(query).split()
    before: list[str] = []
    after: list[str] = []
    place: list[str] = []
    spanish = False
    i = 0
    while i < len(words):
        if words[i] in ARTICLES and i + 1 < len(words) and _kind_at(words, i + 1):
            i += 1  # "El Departamento de ...": the article of a kind word
            continue
        found = _kind_at(words, i)
        if found is None:
            place.append(words[i])
            i += 1
            continue
        phrase, size = found
        english, where = KINDS[phrase]
        dropped = _connector_at(words, i + size) if i + size < len(words) else 0
        if where == "before" and not dropped:  # "Pueblo", "Ciudad" as a name: part of the place
            place.append(words[i])
            i += 1
            continue
        i += size
        spanish = spanish or phrase not in SHARED or dropped > 0
        (before if where == "before" else after).append(english)
        i += dropped
    if not spanish:
        return query
    return _states(" ".join([*before, *place, *reversed(after)]))


__all__ = ["english_query", "KINDS", "SPANISH_STATES"]
