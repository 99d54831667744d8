"""About 287(g): what the program is, its three models, how an agreement works, the state-law
landscape and the public-safety debate, every claim linked to its source (text in
:mod:`mapcore.app.about_text`)."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from mapcore.app import about_text, page_parts, ui
from mapcore.core.i18n import N_, curated, format_day, format_number
from mapcore.core.schema import model_name

ui.setup_page(N_("About 287(g)"))   # the menu's name, translated by setup_page
data = ui.app_data(required=False)  # the page reads well without ICE's sheets: only the counts need them
laws = data.laws if data is not None else ui.laws()
st.title(curated("About 287(g)"))
st.caption(curated("A short, neutral guide for readers new to the program. Links open the sources in a new tab."))


def page_link(path: str, label: str, **params: str) -> None:
    """A link to another page of the app (plain text when the page is not registered, e.g. in tests)."""
    try:
        st.page_link(path, label=label, icon="➡️", query_params=params or None)
    except (StreamlitAPIException, KeyError):
        st.caption(label)


for heading, paragraphs in about_text.SECTIONS:
    st.header(curated(heading), anchor=False)
    for paragraph in paragraphs:
        st.markdown(about_text.render(curated(paragraph)), unsafe_allow_html=True)
    if heading == "The three models" and data is not None:
        rows = data.publication(data.latest_id())
        figures = page_parts.headline(rows)
        cols = st.columns(3)
        for col, model in zip(cols, page_parts.MODELS):
            col.metric(page_parts.model_options()[model], format_number(figures[model]), help=model_name(model))
        st.caption(curated("Active agreements per model in ICE's newest sheet.") + " "
                   + ui.source_caption(data, data.latest_id()))
    if heading == "How an agreement works":
        st.header(curated("State laws on 287(g)"), anchor=False)
        checked = format_day(laws["checked"].max())
        st.markdown(curated("States differ sharply: some forbid or limit 287(g) agreements, others require their "
                            "sheriffs or state agencies to seek one.") + " " + about_text.law_landscape(laws) + " "
                    + curated("The table below holds each state's newest law (facts checked up to {checked}); maps and "
                              "figures of an ICE sheet use the law in force on that sheet's date, and each state's "
                              "dates and sources are on its profile.").format(checked=checked))
        st.dataframe(about_text.law_status_counts(laws), hide_index=True, width="stretch")
        page_link("pages/2_State.py", curated("Open a state's profile: its law, dates, sources and agreements"))
        page_link("pages/5_Law_vs_practice.py",
                  curated("Every change of state law, with its date and source (Law changes)"), tab="Law changes")

st.header(curated("Sources"), anchor=False)
st.markdown(about_text.sources_html(), unsafe_allow_html=True)
