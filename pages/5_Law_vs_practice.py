"""Law vs practice: agreements ICE lists in states whose law restricts 287(g), counties whose sheriff is
not listed where state law mandates 287(g), and every change of state law we record, all to the day.

Thin page: the comparisons live in :mod:`mapcore.analysis.compliance`, the map in :mod:`mapcore.render.compliance_map`.
Everything is computed once per dataset (cached by the dataset's key), so a page view only lays it out.
The active tab (bound to ``?tab=``) and the chosen mandate state (``?state=TX``) are kept in the URL.
"""

from __future__ import annotations

import functools

import streamlit as st

from mapcore.analysis import compliance, query
from mapcore.analysis.law_on_day import law_changes
from mapcore.app import page_parts, ui
from mapcore.core.i18n import N_, _, curated
from mapcore.core.text import is_http_url, md_text
from mapcore.words import compliance as words
from mapcore.words import places

ui.setup_page(N_("Law vs practice"))
data = ui.app_data()

# The tabs by stable key (the URL's ?tab=, the same in every language) and label.
TABS = {"restrict": N_("States that restrict"), "mandate": N_("States that mandate"), "changes": N_("Law changes")}
OLD_TABS = {N_("Agreements where state law restricts 287(g)"): "restrict",   # labels links carried before the keys
            N_("Sheriffs not listed where state law mandates it"): "mandate"}
config = functools.partial(page_parts.english_table_config, st.column_config)   # English tables' headers, translated


st.title(_("Law versus practice"))
st.markdown(_(words.INTRO))
st.info(_(compliance.INFERENCE_NOTE), icon="⚖️")

names = {code: places.state_name(code) for code in data.laws["state"].astype(str)}   # in the reader's language
newest = data.latest_id()
newest_date = data.publication_date(newest)


def restrict_view() -> None:
    presence, per_state = ui.law_restricted(data)
    st.subheader(_("Agreements where state law restricts 287(g)"))
    st.markdown(words.restrict_summary(per_state))
    shown = compliance.states_table(per_state)
    st.dataframe(words.translated_cells(shown), hide_index=True, width="stretch", column_config=config(shown, ("Deadline",), True))
    ui.table_downloads(shown, "287g-restrictive-states-by-state", "restrict-states", "287(g) law vs practice")
    st.markdown(_("**Every agreement listed in these states**, with the first and last ICE sheet listing it and the "
                  "first sheet without it"))
    table = words.presence_table(presence, newest_date)   # the download's: "In words" in English
    in_words = table.assign(**{"In words": words.relation_texts(presence, newest_date)})   # the reader's
    st.dataframe(words.translated_cells(in_words), hide_index=True, width="stretch", height=420,
                 column_config=config(table, ("Deadline", "First seen", "Last seen", "First sheet without it")))
    ui.table_downloads(table, "287g-restrictive-states", "restrict", "287(g) law vs practice")
    if not presence.empty:
        # The chart runs (and is sent) only once opened: the tables above are the page's first content.
        chart = st.expander(_("Chart: agreements listed per ICE sheet, state by state"), key="lvp-chart", on_change="rerun")
        if chart.open is not False:
            with chart:
                from mapcore.render import charts  # Altair is imported only for the chart
                series, windows = ui.law_restricted_chart(data)
                st.markdown(_(words.CHART_NOTE))
                st.altair_chart(charts.law_timeline_chart(series, windows, names), width="content")
    with st.expander(_("What this does and does not show")):
        st.markdown(words.bullets(compliance.restricted_caveats()))
    st.caption(ui.source_caption(data, newest) + " " + words.law_table_caption())


def mandate_view() -> None:
    st.subheader(_("Sheriffs not listed where state law mandates 287(g)"))
    gaps = ui.law_mandate_gaps(data)
    states = compliance.mandate_states(data.laws)
    if not states or gaps.empty:
        st.caption(_("No state in the law table mandates 287(g) of county sheriffs."))
    else:
        default = "TX" if "TX" in states else states[0]
        ui.seed_from_url("state", "state", lambda raw: raw.upper() if raw.upper() in states else None, default)
        state = st.selectbox(_("State"), states, format_func=lambda s: f"{names.get(s, s)} ({s})", key="state")
        ui.set_query_params({"state": state}, bound=("tab",))  # a copied link reopens this state
        summary = compliance.mandate_summary(gaps).set_index("state", drop=False)
        row = summary.loc[state]
        law = data.laws.set_index("state").loc[state]
        due = str(row["due"])
        for col, (label, value, help_text) in zip(st.columns(4), words.mandate_metrics(row)):
            col.metric(label, value, help=help_text)
        st.markdown(md_text(compliance.mandate_sentence(row, names.get(state))))
        st.markdown(f"**{words.law_heading(law['confidence'], due)}** {md_text(curated(law['summary']))}")
        if is_http_url(law["source_url"]):  # only http(s) links; link buttons open in a new tab
            st.link_button(_("Source for this law"), str(law["source_url"]).strip())
        chosen = gaps[gaps["state"] == state]
        pub = chosen["publication_date"].iloc[0]
        st.caption(words.mandate_caption(row["models_chosen"], chosen, data.sheets, newest))
        st.info(_(words.COUNTED_NOTE), icon="ℹ️")
        from mapcore.render import compliance_map  # the map's module, only on the tab that draws it
        ui.show_map(compliance_map.compliance_map(gaps, (state,)), key="mandate-map", height=520, sheet_date=pub,
                    filters=query.Filters(states=(state,)), law=True)

        missing = compliance.gaps_table(chosen[chosen["status"] != compliance.COVERED])
        st.markdown(words.missing_heading(len(missing), names.get(state, state), due))
        if missing.empty:
            st.caption(_("Every county has one."))
        else:
            st.dataframe(words.translated_cells(missing.drop(columns=list(words.MISSING_HIDDEN))), hide_index=True,
                         width="stretch", column_config=config(missing, ("Deadline",)))
        ui.table_downloads(compliance.gaps_table(chosen), f"287g-sheriffs-{state}", "mandate", "287(g) law vs practice")
        st.caption(_("Downloads hold every county of the state, covered or not."))

        roster = ui.law_roster_gaps(data)
        if roster is not None:
            with st.expander(_("Sheriffs' offices of the FBI roster in {state}, by ORI").format(state=names.get(state, state))):
                st.markdown(_(compliance.ROSTER_GAP_NOTE))
                offices = compliance.roster_gaps_table(roster[0][roster[0]["state"] == state])
                st.dataframe(words.translated_cells(offices), hide_index=True, width="stretch", column_config=config(offices))
                ui.table_downloads(offices, f"287g-sheriff-offices-{state}", "mandate-ori", "287(g) sheriffs' offices")
                apart = roster[1][roster[1]["state"] == state]
                if len(apart):
                    st.caption(words.no_roster_sheriff(apart["county"]))

        st.markdown("**" + _("All states whose law mandates 287(g) of sheriffs") + "**")
        overview = words.mandate_overview(summary)
        st.dataframe(words.translated_cells(overview), hide_index=True, width="stretch",
                     column_config=config(overview, ("Deadline", "In force from"))
                     | {"Law's year": st.column_config.NumberColumn(_("Law's year"), format="%d")})
        with st.expander(_("What this does and does not show")):
            st.markdown(words.bullets(compliance.mandate_caveats()))

    duties = compliance.state_level_duties(data.laws, data.publication(newest))
    if not duties.empty:
        st.markdown(words.duties_markdown(duties), unsafe_allow_html=True)


def changes_view() -> None:
    st.subheader(_("Changes of state law on 287(g)"))
    st.markdown(_(words.CHANGES_INTRO))
    shown_changes = words.law_changes_table(law_changes(data.laws))
    st.dataframe(words.translated_cells(shown_changes), hide_index=True, width="stretch",
                 column_config=config(shown_changes, source=True))
    ui.table_downloads(shown_changes, "287g-law-changes", "law-changes", "State law changes")
    if newest_date is not None:
        st.caption(words.changes_caption(newest_date))


# Only the open tab's content runs (a switch reruns the page); ``.open`` is None where the open tab is not known: all run.
restrict_tab, mandate_tab, changes_tab = ui.url_tabs("tab", TABS, key="lvp-tab", aliases=OLD_TABS)
for tab, view in ((restrict_tab, restrict_view), (mandate_tab, mandate_view), (changes_tab, changes_view)):
    if tab.open is not False:
        with tab:
            view()
