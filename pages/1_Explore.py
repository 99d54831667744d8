"""Explore: filter the agreements by model, state, type, signed date, state law and status; map, table
and downloads stay in sync, and the URL holds the filters so a copied link reopens the same view."""

import dataclasses
import datetime as dt

import streamlit as st

from mapcore.analysis import query
from mapcore.app import ui, urlstate, views
from mapcore.core import tables
from mapcore.ingest.laws import in_force_caption
from mapcore.render import export, maps

ui.setup_page("Explore")
data = ui.app_data()
st.title("Explore 287(g) agreements")

view = urlstate.view_from_params(st.query_params.to_dict(), known_statuses=set(views.law_options()))
KIND_LABELS = {"participating": "Participating (signed)", "pending": "Pending applications"}

with st.sidebar:
    st.header("Filters")
    kind = st.radio("Agreements", list(KIND_LABELS), index=list(KIND_LABELS).index(view.kind),
                    format_func=KIND_LABELS.get, horizontal=True, key="kind")
    if st.session_state.get("_explore_kind") != kind:   # another kind's list: its own newest publication
        st.session_state.pop("pub", None)
        st.session_state["_explore_kind"] = kind
    publications = query.publications(data.sheets, kind)
    dates = [d.date().isoformat() for d in publications["publication_date"]]
    ids = list(publications["publication_id"])
    default_pub = len(ids) - 1
    if view.publication in dates and kind == view.kind:
        default_pub = len(dates) - 1 - dates[::-1].index(view.publication)
    pub_index = st.selectbox("ICE publication", range(len(ids)), index=max(default_pub, 0),
                             format_func=lambda i: f"{dates[i]} · {ids[i].split('/', 1)[1].split('@')[0]}", key="pub")
    publication_id = ids[pub_index] if ids else None
    rows = data.publication(publication_id)

    # Choices come from every sheet of both kinds, not only the one shown, so switching to the pending
    # list (fewer states) keeps what the user chose; a chosen state with no row there is said below.
    models = st.multiselect("Model", list(views.model_options()), default=list(view.filters.models),
                            format_func=views.model_options().get, key="models")
    state_choices = sorted(set(views.state_options(data.agreements)) | set(view.filters.states))
    states = st.multiselect("State", state_choices, default=[s for s in view.filters.states if s in state_choices], key="states")
    type_choices = views.type_options(data.agreements)
    types = st.multiselect("Jurisdiction type", type_choices, default=[t for t in view.filters.types if t in type_choices], key="types")
    law = st.multiselect("State law on 287(g)", list(views.law_options()), default=list(view.filters.law_statuses),
                         format_func=views.law_options().get, key="law")
    signed = rows["signed"].dropna()
    low = signed.min().date() if len(signed) else dt.date(2000, 1, 1)
    high = signed.max().date() if len(signed) else dt.date.today()
    use_dates = kind == "participating" and len(signed) > 0
    signed_range = st.date_input("Signed between", value=(view.filters.signed_from or low, view.filters.signed_to or high),
                                 min_value=min(low, view.filters.signed_from or low), max_value=max(high, view.filters.signed_to or high),
                                 disabled=not use_dates, key="signed", format="YYYY-MM-DD",
                                 help=None if use_dates else "Pending applications have no signed date; the range is kept "
                                                             "for the participating list.")
    text = st.text_input("Agency name contains", value=view.filters.text, key="q")
    level = st.radio("Map", ["county", "state"], index=["county", "state"].index(view.level),
                     format_func={"county": "Counties", "state": "States"}.get, horizontal=True, key="level")
    show_law = st.toggle("Outline states by their 287(g) law", value=False, key="explore-law")

# A signed-date range applies to signed agreements only; with pending applications it stays in the URL
# (unapplied) so switching back restores it.
signed_from, signed_to = view.filters.signed_from, view.filters.signed_to
if use_dates and isinstance(signed_range, (tuple, list)) and len(signed_range) == 2:
    signed_from = signed_range[0] if signed_range[0] != low else None
    signed_to = signed_range[1] if signed_range[1] != high else None
chosen = query.Filters(models=tuple(models), states=tuple(states), types=tuple(types), law_statuses=tuple(law),
                       signed_from=signed_from, signed_to=signed_to, text=text.strip())
filters = chosen if use_dates else dataclasses.replace(chosen, signed_from=None, signed_to=None)
current = urlstate.View(chosen, kind, dates[pub_index] if ids and pub_index != len(ids) - 1 else None, level)
ui.set_query_params(urlstate.params_from_view(current))

pending = kind == "pending"
filtered = query.apply_filters(rows, filters)
figures = views.headline(filtered)
cols = st.columns(6)
cols[0].metric("Applications" if pending else "Agreements", f"{figures['agreements']:,}")
for col, model in zip(cols[1:4], views.MODELS):
    col.metric(model, f"{figures[model]:,}", help=views.model_options()[model])
label, value, help_text = views.states_metric(figures)
cols[4].metric(label, value, help=help_text)
cols[5].metric("Agencies", f"{figures['agencies']:,}")
if pending:
    st.warning(f"Pending applications, from ICE's {query.pending_note(data.sheets, publication_id)}: ICE updates this "
               "list less often than the participating one.", icon="🕰️")
missing = [s for s in states if s not in set(rows["state"].astype("object").dropna())]
if missing:
    st.info(f"No {'pending application' if pending else 'agreement'} in {', '.join(missing)} in this "
            f"{'pending list' if pending else 'sheet'}; the filter is kept.", icon="ℹ️")
st.caption(ui.source_caption(data, publication_id) + (" Showing pending applications." if pending else ""))

if level == "county":
    statewide = filtered[filtered["level"].astype("object") == "statewide"]
    spec = maps.county_map(query.county_summary(filtered), laws=data.laws_on(publication_id), statewide=statewide,
                           only_states=tuple(states) if 0 < len(states) <= 6 else (), show_law=show_law)
else:
    spec = maps.state_map(query.state_summary(filtered), laws=data.laws_on(publication_id), show_law=show_law)
ui.show_map(spec, key="explore-map", rows=filtered, noun="pending application" if pending else "agreement",
            sheet_date=data.publication_date(publication_id), filters=filters, kind=kind)
st.caption(in_force_caption(data.publication_date(publication_id)) + " The law filter and the table's State law column "
           "use the law in force on the sheet's date.")

st.subheader(f"{len(filtered):,} {'pending applications' if pending else 'agreements'}")
ui.paged_dataframe(views.display_table(filtered), key="explore-table",
                   column_config={"MOA": st.column_config.LinkColumn("MOA", display_text="Open MOA"),
                                  "Addendum": st.column_config.LinkColumn("Addendum", display_text="Open addendum"),
                                  "Signed": st.column_config.DateColumn("Signed", format="YYYY-MM-DD")})

stem = tables.file_stem(*query.filter_parts(filters), "pending" if pending else None, date=dates[pub_index] if ids else None)
about = ui.download_about(data, publication_id, query.describe_filters(filters),
                          kind="pending applications" if pending else "participating agreements")
if pending:
    about["Pending list"] = query.pending_note(data.sheets, publication_id)
ui.download_buttons(stem, "dl", {"csv": export.to_csv_bytes(filtered),
                                  "xlsx": lambda: export.to_excel_bytes(filtered, about=about),
                                  "geojson": lambda: export.to_geojson_bytes(filtered, data.counties, data.states)})
st.caption("Downloads hold exactly the rows in the table above. GeoJSON places each agreement at a point inside its "
           "county (statewide agencies inside their state); agreements that could not be placed have no geometry.")
