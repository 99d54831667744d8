"""Spanish agency queries find what their English equivalent finds: the kind words map to ICE's English words
and order before matching (analysis/agency_spanish), and generic words never decide a match on their own.

The table is built from real agency names of the bundled snapshot of ICE's sheets (data/ice_snapshot), across
states and kinds: police, sheriffs, parishes, jails, corrections, prosecutors, highway patrols, universities,
constables, marshals, state agencies."""

from __future__ import annotations

import pytest

from mapcore.analysis import agency_lookup, agency_search
from mapcore.analysis.agency_spanish import SPANISH_STATES, english_query
from mapcore.core import config
from mapcore.core.agency_key import fold
from mapcore.sheets import snapshot

# (Spanish query, state, the agency ICE lists)
SPANISH_QUERIES = [
    ("Departamento de Policía de Houston", "MO", "Houston Police Department"),
    ("Oficina del Sheriff de Harris", "GA", "Harris County Sheriff's Office"),
    ("Oficina del Sheriff del Condado de Harris", "GA", "Harris County Sheriff's Office"),
    ("Alguacil del Condado de Collier", "FL", "Collier County Sheriff's Office"),
    ("Oficina del Sheriff de la Parroquia de Calcasieu", "LA", "Calcasieu Parish Sheriff's Office"),
    ("Oficina del Sheriff de la Parroquia de Lafourche", "LA", "Lafourche Parish Sheriff's Office"),
    # "City of Hialeah Police Department" and "Hialeah Police Department" are one agency, under its newest spelling
    ("Departamento de Policía de la Ciudad de Hialeah", "FL", "Hialeah Police Department"),
    ("Departamento de Policía de la Ciudad de Miami", "FL", "City of Miami Police Department"),
    ("Departamento de Policía de Gulfport", "FL", "Gulfport Police Department"),
    ("Departamento de Policía del Condado de Nassau", "NY", "Nassau County Police Department"),
    ("Policía del Aeropuerto de Sanford", "FL", "Sanford Airport Police Department"),
    ("Departamento de Policía de la Universidad de Florida", "FL", "University of Florida Police Department"),
    ("Departamento de Policía de la Universidad Estatal de Florida", "FL", "Florida State University Police Department"),
    ("Universidad Internacional de Florida", "FL", "Florida International University Police Department"),
    ("Cárcel del Condado de Pasco", "FL", "Pasco County Jail"),
    ("Centro de Detención del Condado de Bullitt", "KY", "Bullitt County Detention Center"),
    ("Instalación Correccional del Condado de Jackson", "FL", "Jackson County Correctional Facility"),
    ("Departamento de Correcciones de Arizona", "AZ", "Arizona Department of Corrections"),
    ("Oficina del Fiscal de Distrito del Condado de Lancaster", "PA", "Lancaster County District Attorney's Office"),
    ("Oficina del Fiscal del Condado de Pinal", "AZ", "Pinal County Attorney's Office"),
    ("Oficina del Fiscal General de Misisipi", "MS", "Mississippi Attorney General's Office"),
    ("Patrulla de Carreteras de Misuri", "MO", "Missouri Highway Patrol"),
    ("Patrulla de Carreteras de Dakota del Sur", "SD", "South Dakota Highway Patrol"),
    ("Patrulla Estatal de Nebraska", "NE", "Nebraska State Patrol"),
    ("Policía Estatal de Idaho", "ID", "Idaho State Police"),
    ("Guardia Nacional de Texas", "TX", "Texas National Guard"),
    ("Departamento de Seguridad Pública de Georgia", "GA", "Georgia Department of Public Safety"),
    ("Oficina de Investigación de Kansas", "KS", "Kansas Bureau of Investigation"),
    ("Oficina del Marshal de Stockdale", "TX", "Stockdale Marshal's Office"),
    ("Oficina del Condestable del Municipio de Derry", "PA", "Derry Township Constable's Office"),
    ("Fuerza de Tarea Antidrogas COMET", "MO", "COMET Drug Task Force"),
]


@pytest.fixture(scope="module")
def index():
    return agency_search.agency_index(snapshot.read(config.SNAPSHOT_DIR).agreements)


def test_the_table_is_real_and_wide():
    assert len(SPANISH_QUERIES) >= 20
    assert len({state for _q, state, _a in SPANISH_QUERIES}) >= 10


@pytest.mark.parametrize(("query", "state", "agency"), SPANISH_QUERIES, ids=[q for q, _s, _a in SPANISH_QUERIES])
def test_a_spanish_query_opens_the_agency_its_english_name_opens(index, query, state, agency):
    listed = index[(index["state"] == state) & (index["agency"] == agency)]
    assert len(listed) == 1, f"{agency} ({state}) is not in the bundled snapshot"
    found = agency_lookup.lookup(index, query)
    assert not found.ask_states, found.question
    top = found.candidates.iloc[0]
    assert (top["state"], top["agency"]) == (state, agency)
    english = agency_lookup.lookup(index, agency).candidates.iloc[0]
    assert (english["state"], english["agency"]) == (top["state"], top["agency"])


@pytest.mark.parametrize(
    ("query", "english"),
    [
        ("Departamento de Policía de Houston", "houston police department"),
        ("Oficina del Sheriff del Condado de Harris", "harris county sheriffs office"),
        ("Departamento de Policía de La Porte", "la porte police department"),  # "La" of the name kept
        ("Oficina del Sheriff del Condado de El Paso", "el paso county sheriffs office"),
        ("Oficina del Sheriff del Condado de Pueblo", "pueblo county sheriffs office"),  # a name, not "town of"
        ("Sheriff de Harris", "harris sheriffs office"),
        ("Policía Estatal de Nueva York", "new york state police"),
        ("Cárcel del Condado de Pasco", "pasco county jail"),
    ],
)
def test_english_query_reorders_spanish_kind_words(query, english):
    assert english_query(query) == english


@pytest.mark.parametrize(
    "query",
    [
        "Harris County Sheriff's Office",
        "De Soto Parish Sheriff",
        "El Paso County Sheriff",
        "Houston PD",
        "City of Miami Police Department",
        "Pueblo County",
    ],
)
def test_english_queries_are_left_as_typed(query):
    assert english_query(query) == query


def test_generic_words_never_decide_a_match(index):
    """Before: 'Departamento de Policía de Houston' opened Des Arc Police Department (AR) on 'police department'
    alone. A query whose place or name is found in no agency finds nothing rather than any police department."""
    assert agency_search.score("houston police department", "des arc police department") < agency_search.MIN_SCORE
    assert agency_search.score("harris sheriffs office", "miami dade sheriffs office") < agency_search.MIN_SCORE
    assert agency_lookup.lookup(index, "Departamento de Policía de Zzyzxville").candidates.empty
    assert agency_search.score("harriscounty sheriffs office", "harris county sheriffs office") >= agency_search.MIN_SCORE
    assert len(agency_lookup.lookup(index, "police department").candidates)  # kind words alone still list agencies


def test_every_spanish_state_name_the_pages_show_is_read_by_the_search():
    """A reader types the state as the Spanish pages print it (mapcore.words.places): each Spanish name that
    differs from the English one is in the search's table, pointing at the English name."""
    from mapcore.core import i18n
    from mapcore.words.places import STATE_NAMES, state_name

    with i18n.using_language("es"):
        spanish = {code: fold(state_name(code)) for code in STATE_NAMES}
    differ = {code: name for code, name in spanish.items() if name != fold(STATE_NAMES[code])}
    assert {"NY", "NC", "PA", "MO"} <= set(differ)
    for code, name in differ.items():
        assert name in SPANISH_STATES, name
        assert SPANISH_STATES[name] in fold(STATE_NAMES[code]), name
