"""Filter state <-> URL parameters: any view survives the round trip; any URL is read without error."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from mapcore.analysis.query import Filters
from mapcore.app.urlstate import View, params_from_view, view_from_params

STATES = ["TX", "FL", "GA", "CA", "NY"]
TYPES = ["County", "Municipality", "State"]
STATUSES = ["prohibits", "restricts", "none", "requires_cooperation", "mandates"]


def _unique(values):
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values)).map(tuple)


views = st.builds(
    View,
    filters=st.builds(
        Filters,
        models=_unique(["JEM", "WSO", "TFM"]),
        states=_unique(STATES),
        types=_unique(TYPES),
        law_statuses=_unique(STATUSES),
        signed_from=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        signed_to=st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
        text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip),
    ),
    kind=st.sampled_from(["participating", "pending"]),
    publication=st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)).map(dt.date.isoformat),
    level=st.sampled_from(["county", "state"]),
)


@given(views)
def test_any_view_round_trips_through_the_url(view):
    params = params_from_view(view)
    assert all(isinstance(v, str) and v for v in params.values())
    back = view_from_params(params, known_states=set(STATES), known_types=set(TYPES), known_statuses=set(STATUSES))
    assert back == view


@given(
    st.dictionaries(
        st.sampled_from(["models", "states", "types", "law", "from", "to", "q", "kind", "pub", "level", "x"]), st.text(max_size=40)
    )
)
def test_any_url_parameters_give_a_valid_view(params):
    view = view_from_params(params)
    assert set(view.filters.models) <= {"JEM", "WSO", "TFM"}
    assert all(len(s) == 2 and s.isalpha() and s.isupper() for s in view.filters.states)
    assert view.kind in {"participating", "pending"} and view.level in {"county", "state"}


def test_defaults_leave_the_url_empty():
    assert params_from_view(View()) == {}


def test_list_values_are_deduplicated_and_bounded():
    """The Timeline kept `?states=TX,TX,...` duplicates from a 15 KB URL."""
    from mapcore.app.urlstate import MAX_LIST_CHARS, list_param

    flood = ",".join(["TX"] * 5_000)
    assert len(flood) > 14_000
    assert list_param(flood, set(STATES)) == ["TX"]
    assert list_param("tx, FL,TX,,zz,fl", set(STATES), str.upper) == ["TX", "FL"]
    many = ",".join(f"S{i}" for i in range(1_000))
    assert list_param(many, None) == [f"S{i}" for i in range(len(list_param(many, None)))]
    assert len(",".join(list_param(many, None))) <= MAX_LIST_CHARS
    params = {"states": flood + ",FL", "models": ",".join(["JEM"] * 3_000)}
    view = view_from_params(params, known_states=set(STATES))
    assert view.filters.states == ("TX",) and view.filters.models == ("JEM",)  # FL lay past the cut: ignored
