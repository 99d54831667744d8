"""Home: the national picture of 287(g) agreements from ICE's newest sheet."""

import streamlit as st

from mapcore.analysis import history, query
from mapcore.analysis.law_on_day import in_force_caption
from mapcore.app import page_parts, ui
from mapcore.core.i18n import N_, _, format_day, format_number
from mapcore.core.schema import model_label, model_name

ui.setup_page(N_("Home"))
data = ui.app_data()
latest = data.latest_id()
rows = data.publication(latest)

st.title(_("287(g) agreements map"))
st.markdown(_("Where state and local police are deputized for federal immigration enforcement under "
              "[section 287(g)](https://www.ice.gov/identify-and-arrest/287g) of the Immigration and Nationality Act, "
              "under which model, and how each state's law stands toward it."))
figures = page_parts.headline(rows)
cols = st.columns(5)
cols[0].metric(_("Active agreements"), format_number(figures["agreements"]))
for col, model in zip(cols[1:4], page_parts.MODELS):
    col.metric(model_label(model), format_number(figures[model]), help=model_name(model))  # short label, full name in help
label, value, help_text = page_parts.states_metric(figures)
cols[4].metric(label, value, help=help_text)
st.caption(ui.source_caption(data, latest) + " " + _("{n} agencies.").format(n=format_number(figures["agencies"])))
ui.show_context(data.context(latest), _("In the 50 states and DC, out of how many?"))

previous = query.previous_publication_id(data.sheets, latest) if latest else None
if previous:
    change = data.remember(("diff_counts", previous, latest),
                           lambda: history.diff_publications(data.publication(previous), rows).counts())
    when = data.publication_date(previous)
    st.markdown("**" + _("Since the previous publication ({date}):").format(date=format_day(when)) + "** " + "; ".join(
        f"{model} +{change.loc['added', model]} / −{change.loc['removed', model]}" for model in page_parts.MODELS)
        + " " + _("(added / removed)."))

level = st.radio(_("Map"), list(page_parts.MAP_VIEWS), format_func=page_parts.map_labels().get, horizontal=True,
                 key="home-level")
show_law = st.toggle(_("Outline states by their 287(g) law"), value=False, key="home-law",
                     help=_("A coloured band inside each state's border shows its law; the county or state colours "
                            "stay visible."))
laws_now = data.laws_on(latest)  # the law in force on the shown sheet's date, not a later one
spec = page_parts.map_for(level, rows, data, show_law, laws=laws_now, rows_key=latest)   # values once per dataset
ui.show_map(spec, key="home-map", height=600, rows=rows, sheet_date=data.publication_date(latest), data=data, rows_key=latest)
st.caption(in_force_caption(data.publication_date(latest)) + " "
           + _("States whose law is unconfirmed are marked so on the law layer."))
ui.page_link("pages/1_Explore.py", label=_("Filter, look up and download the agreements →"), icon="🔎")
