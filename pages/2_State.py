"""State profile: one state's law on 287(g), its agreements now (counts, map, table) and over time.

Thin page: the logic lives in :mod:`mapcore.analysis.state_profile`; the URL's ``state`` parameter picks the
state and follows the selection, so a copied link reopens the same state.
"""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import history
from mapcore.analysis import state_profile as sp
from mapcore.analysis.law_on_day import in_force_caption
from mapcore.analysis.query import Filters
from mapcore.app import page_parts, static_links, ui
from mapcore.core.i18n import N_, _, format_number, ngettext
from mapcore.core.schema import MODELS, model_label, model_name
from mapcore.core.text import external_link
from mapcore.render import charts, export
from mapcore.words import places
from mapcore.words import sheets as sheet_words
from mapcore.words import state_profile as law_words

ui.setup_page(N_("State profile"))
data = ui.app_data()
st.title(_("State profile"))


latest = data.latest_id()
rows = data.publication(latest)
choices = places.by_name(sp.state_choices(data.agreements))
default = sp.busiest_state(rows) or choices[0]

ui.seed_from_url("sp_state", "state", lambda raw: sp.parse_state(raw, choices), default)
if st.session_state.get("sp_state") not in choices:
    st.session_state["sp_state"] = default
state = st.selectbox(_("State"), choices, key="sp_state", format_func=places.state_label,
                     help=_("All 50 states and DC, plus territories listed in ICE's sheets."))
ui.set_query_params({"state": state})

name = places.state_name(state)
here = sp.state_rows(rows, state)
figures = sp.figures(here)
pending_id = data.latest_id("pending")
pending_here = sp.state_rows(data.publication(pending_id), state)
shown_date = data.publication_date(latest)
law = sp.state_law(data.laws, state, on=shown_date)  # the newest law, and the one in force on the sheet's date

st.header(name)
static = static_links.state_links(state)   # the static edition's page and feed, when MAPCORE_SITE_URL is set
if static:
    st.markdown(" · ".join(external_link(label, url) for label, url in static), unsafe_allow_html=True)
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(_("State law"))
    note = law_words.low_confidence_note(law)
    if note:
        st.warning(note, icon="⚠️")
    st.markdown(law_words.law_html(law, state), unsafe_allow_html=True)

with right:
    st.subheader(_("Agreements now"))
    c1, c2 = st.columns(2)
    c1.metric(_("Active agreements"), format_number(figures["agreements"]))
    c2.metric(_("Agencies"), format_number(figures["agencies"]))
    m1, m2, m3 = st.columns(3)
    for col, model in zip((m1, m2, m3), MODELS):
        col.metric(model_label(model), format_number(figures[model]), help=model_name(model))
    pending_note = sheet_words.pending_note(data.sheets, pending_id, latest)
    st.metric(_("Pending applications"), format_number(len(pending_here)),
              help=_("In ICE's {note}.").format(note=pending_note))
    st.caption(ui.source_caption(data, latest) + " " + _("Pending applications: ICE's {note}.").format(note=pending_note))

st.subheader(_("Where in {state}").format(state=name))
statewide = sp.statewide_rows(here)
if sp.has_boundaries(data.states, state):
    shading = st.radio(_("Shade counties by"), ["county", "per_capita", "sheriff"], format_func=page_parts.map_labels().get,
                       horizontal=True, key="sp_shading")
    spec = page_parts.map_for(shading, here, data, show_law=True, only_states=(state,), laws=data.laws_on(latest),
                         empty_note=_("No 287(g) agreement in {state} in ICE's newest sheet.").format(state=name))
    ui.show_map(spec, key="state-map", height=480, rows=here, sheet_date=shown_date, filters=Filters(states=(state,)))
    st.caption(in_force_caption(shown_date))
else:
    st.info(_("No boundary file covers {state}; its agreements are listed below.").format(state=name))

st.subheader(ngettext("{n} agreement", "{n} agreements", figures["agreements"]).format(n=format_number(figures["agreements"]))
             + " " + ngettext("of {n} agency", "of {n} agencies", figures["agencies"]).format(
                 n=format_number(figures["agencies"])))
if here.empty:
    st.caption(_("ICE's newest sheet lists no 287(g) agreement in {state}.").format(state=name))
else:
    table = page_parts.display_table(here).drop(columns=[page_parts.column("state"), page_parts.column("law_status")])
    ui.paged_dataframe(table, key="sp-table", column_config=page_parts.link_columns(st.column_config))
    about = ui.download_about(data, latest, _("State: {states}").format(states=f"{name} ({state})"))
    ui.download_buttons(sp.download_stem(state, data.publication_date(latest)), "sp",
                        {"csv": export.to_csv_bytes(here), "xlsx": lambda: export.to_excel_bytes(here, about=about)})

st.subheader(_("Out of how many?"))
ui.show_context(data.context(latest, state), _("{state}: agencies, officers and residents covered").format(state=name),
                by_type=True)

st.subheader(_("Over time"))
over_time = sp.agreements_over_time(data.agreements, data.sheets, state)
if over_time["total"].sum() == 0:
    st.caption(_("No ICE sheet has listed an agreement in {state}.").format(state=name))
else:
    chart = charts.model_chart(over_time, "publication_date", _("Publication date"), "line", _("Active agreements"), height=280,
                               gaps=history.publication_gaps(data.sheets))
    st.altair_chart(chart, width="stretch")
    st.caption(ngettext("Agreements listed for {state} in each of ICE's participating-agencies sheets (the last sheet "
                        "of each day; {n} day).",
                        "Agreements listed for {state} in each of ICE's participating-agencies sheets (the last sheet "
                        "of each day; {n} days).", len(over_time)).format(state=name, n=format_number(len(over_time))))
