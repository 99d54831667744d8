"""Explore: filter the agreements by model, state, type, signed date, state law and status; map, table
and downloads stay in sync, and the URL holds the filters so a copied link reopens the same view."""

import datetime as dt

import streamlit as st

from mapcore.analysis import query
from mapcore.app import ui, urlstate, views
from mapcore.ingest.laws import in_force_caption
from mapcore.render import export, maps

ui.setup_page("Explore")
data = ui.app_data()
st.title("Explore 287(g) agreements")

view = urlstate.view_from_params(st.query_params.to_dict(), known_statuses=set(views.law_options()))
publications = query.publications(data.sheets, view.kind)
dates = [d.date().isoformat() for d in publications["publication_date"]]
ids = list(publications["publication_id"])

with st.sidebar:
    st.header("Filters")
    kind = st.radio("Agreements", ["participating", "pending"], index=["participating", "pending"].index(view.kind),
                    format_func=lambda k: {"participating": "Participating (signed)", "pending": "Pending applications"}[k],
                    horizontal=True, key="kind")
    if kind != view.kind:
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

    models = st.multiselect("Model", list(views.model_options()), default=list(view.filters.models),
                            format_func=views.model_options().get, key="models")
    state_choices = views.state_options(rows)
    states = st.multiselect("State", state_choices, default=[s for s in view.filters.states if s in state_choices], key="states")
    type_choices = views.type_options(rows)
    types = st.multiselect("Jurisdiction type", type_choices, default=[t for t in view.filters.types if t in type_choices], key="types")
    law = st.multiselect("State law on 287(g)", list(views.law_options()), default=list(view.filters.law_statuses),
                         format_func=views.law_options().get, key="law")
    signed = rows["signed"].dropna()
    low = signed.min().date() if len(signed) else dt.date(2000, 1, 1)
    high = signed.max().date() if len(signed) else dt.date.today()
    use_dates = kind == "participating" and len(signed) > 0
    signed_range = st.date_input("Signed between", value=(view.filters.signed_from or low, view.filters.signed_to or high),
                                 min_value=min(low, view.filters.signed_from or low), max_value=max(high, view.filters.signed_to or high),
                                 disabled=not use_dates, key="signed", format="YYYY-MM-DD")
    text = st.text_input("Agency name contains", value=view.filters.text, key="q")
    level = st.radio("Map", ["county", "state"], index=["county", "state"].index(view.level),
                     format_func={"county": "Counties", "state": "States"}.get, horizontal=True, key="level")
    show_law = st.toggle("Outline states by their 287(g) law", value=False, key="explore-law")

signed_from = signed_to = None
if use_dates and isinstance(signed_range, (tuple, list)) and len(signed_range) == 2:
    signed_from = signed_range[0] if signed_range[0] != low else None
    signed_to = signed_range[1] if signed_range[1] != high else None
filters = query.Filters(models=tuple(models), states=tuple(states), types=tuple(types), law_statuses=tuple(law),
                        signed_from=signed_from, signed_to=signed_to, text=text.strip())
current = urlstate.View(filters, kind, dates[pub_index] if ids and pub_index != len(ids) - 1 else None, level)
ui.set_query_params(urlstate.params_from_view(current))

filtered = query.apply_filters(rows, filters)
figures = views.headline(filtered)
cols = st.columns(6)
cols[0].metric("Agreements", f"{figures['agreements']:,}")
for col, model in zip(cols[1:4], views.MODELS):
    col.metric(model, f"{figures[model]:,}", help=views.model_options()[model])
cols[4].metric("States", figures["states"])
cols[5].metric("Agencies", f"{figures['agencies']:,}")
st.caption(ui.source_caption(data, publication_id) + (" Showing pending applications." if kind == "pending" else ""))

if level == "county":
    statewide = filtered[filtered["level"].astype("object") == "statewide"]
    spec = maps.county_map(query.county_summary(filtered), laws=data.laws_on(publication_id), statewide=statewide,
                           only_states=tuple(states) if 0 < len(states) <= 6 else (), show_law=show_law)
else:
    spec = maps.state_map(query.state_summary(filtered), laws=data.laws_on(publication_id), show_law=show_law)
ui.show_map(spec, key="explore-map", rows=filtered)
st.caption(in_force_caption(data.publication_date(publication_id)) + " The law filter and the table's State law column "
           "use the law in force on the sheet's date.")

st.subheader(f"{len(filtered):,} agreements")
ui.paged_dataframe(views.display_table(filtered), key="explore-table",
                   column_config={"MOA": st.column_config.LinkColumn("MOA", display_text="Open MOA"),
                                  "Addendum": st.column_config.LinkColumn("Addendum", display_text="Open addendum"),
                                  "Signed": st.column_config.DateColumn("Signed", format="YYYY-MM-DD")})

stem = f"287g-{kind}-{dates[pub_index] if ids else 'none'}"
ui.download_buttons(stem, "dl", {"csv": export.to_csv_bytes(filtered), "xlsx": lambda: export.to_excel_bytes(filtered),
                                  "geojson": lambda: export.to_geojson_bytes(filtered, data.counties, data.states)})
st.caption("Downloads hold exactly the rows in the table above. GeoJSON places each agreement at a point inside its "
           "county (statewide agencies inside their state); agreements that could not be placed have no geometry.")
