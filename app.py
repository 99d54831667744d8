"""Home: the national picture of 287(g) agreements from ICE's newest sheet."""

import streamlit as st

from mapcore.analysis import history, query
from mapcore.app import ui, views
from mapcore.ingest.laws import in_force_caption

ui.setup_page("Home")
data = ui.app_data()
latest = data.latest_id()
rows = data.publication(latest)

st.title("287(g) agreements map")
st.markdown("Where state and local police are deputized for federal immigration enforcement under "
            "[section 287(g)](https://www.ice.gov/identify-and-arrest/287g) of the Immigration and Nationality Act, "
            "under which model, and how each state's law stands toward it.")
figures = views.headline(rows)
cols = st.columns(5)
cols[0].metric("Active agreements", f"{figures['agreements']:,}")
for col, model in zip(cols[1:4], views.MODELS):
    col.metric(views.model_options()[model], f"{figures[model]:,}")
label, value, help_text = views.states_metric(figures)
cols[4].metric(label, value, help=help_text)
st.caption(ui.source_caption(data, latest) + f" {figures['agencies']:,} agencies.")
ui.show_context(data.context(latest), "In the 50 states and DC, out of how many?")

previous = query.previous_publication_id(data.sheets, latest) if latest else None
if previous:
    change = history.diff_publications(data.publication(previous), rows).counts()
    when = data.publication_date(previous)
    st.markdown(f"**Since the previous publication ({when:%Y-%m-%d}):** " + "; ".join(
        f"{model} +{change.loc['added', model]} / −{change.loc['removed', model]}" for model in views.MODELS)
        + " (added / removed).")

level = st.radio("Map", list(views.MAP_VIEWS), format_func=lambda v: views.MAP_VIEWS[v][0], horizontal=True, key="home-level")
show_law = st.toggle("Outline states by their 287(g) law", value=False, key="home-law",
                     help="A coloured band inside each state's border shows its law; the county or state colours stay visible.")
laws_now = data.laws_on(latest)  # the law in force on the shown sheet's date, not a later one
spec = views.map_for(level, rows, data, show_law, laws=laws_now)
ui.show_map(spec, key="home-map", height=600, rows=rows, sheet_date=data.publication_date(latest))
st.caption(in_force_caption(data.publication_date(latest)) + " States whose law is unconfirmed are marked so on the law layer.")
st.page_link("pages/1_Explore.py", label="Filter, look up and download the agreements →", icon="🔎")
