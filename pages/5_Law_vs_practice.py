"""Law vs practice: agreements ICE lists in states whose law restricts 287(g), counties whose sheriff is
not listed where state law mandates 287(g), and every change of state law we record, all to the day.

Thin page: the comparisons live in :mod:`mapcore.analysis.compliance`, the map in :mod:`mapcore.render.compliance_map`.
Everything is computed once per dataset (cached by the dataset's key), so a page view only lays it out.
The active tab (bound to ``?tab=``) and the chosen mandate state (``?state=TX``) are kept in the URL.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mapcore.analysis import compliance, query
from mapcore.app import ui
from mapcore.core.text import external_link, is_http_url, md_text
from mapcore.ingest.laws import UNCONFIRMED, in_force_caption, law_changes

ui.setup_page("Law vs practice")
data = ui.app_data()

TABS = ("Agreements where state law restricts 287(g)", "Sheriffs not listed where state law mandates it", "Law changes")
DATE_FORMAT = "YYYY-MM-DD"


@st.cache_resource(max_entries=2, show_spinner="Comparing ICE's sheets with state law…")
def restricted(dataset_key: str,  # noqa: ARG001 - the cache key; arguments starting with _ are not hashed
               _agreements: pd.DataFrame, _sheets: pd.DataFrame, _laws: pd.DataFrame):
    """Presence and the per-state table, once per dataset (read-only)."""
    presence = compliance.restricted_presence(_agreements, _sheets, _laws)
    return presence, compliance.restricted_states_table(presence, _laws)


@st.cache_resource(max_entries=2)
def restricted_chart_data(dataset_key: str,  # noqa: ARG001 - the cache key
                          _agreements: pd.DataFrame, _sheets: pd.DataFrame, _laws: pd.DataFrame):
    """The chart's count series and law windows, once per dataset, only when the chart is opened."""
    series = compliance.restricted_series(_agreements, _sheets, _laws)
    return series, compliance.law_windows(series, _laws)


@st.cache_resource(max_entries=2)
def gaps_for(dataset_key: str,  # noqa: ARG001 - the cache key
             _agreements: pd.DataFrame, _sheets: pd.DataFrame, _laws: pd.DataFrame, _counties) -> pd.DataFrame:
    """Every county of every local-mandate state in the newest sheet, once per dataset (read-only)."""
    return compliance.mandate_gaps(_agreements, _sheets, _laws, _counties)


def date_columns(*names: str) -> dict:
    return {name: st.column_config.DateColumn(name, format=DATE_FORMAT) for name in names}


st.title("Law versus practice")
st.markdown("ICE's 287(g) sheets set against each state's law, to the day: agreements listed where the law bans or "
            "restricts 287(g), and counties whose sheriff is not listed where the law requires sheriffs to join.")
st.info(compliance.INFERENCE_NOTE, icon="⚖️")

names = dict(zip(data.laws["state"].astype(str), data.laws["state_name"].astype(str)))
newest = data.latest_id()
newest_date = data.publication_date(newest)


def restrict_view() -> None:
    presence, per_state = restricted(data.dataset.key, data.agreements, data.sheets, data.laws)
    listed = per_state[per_state["ever_listed"] > 0]
    st.subheader("Agreements where state law restricts 287(g)")
    after = per_state["listed_after_law"] + per_state["listed_after_deadline"]
    banned = int(after[per_state["law_status"] == "prohibits"].sum())
    limited = int(after[per_state["law_status"] == "restricts"].sum())
    st.markdown(
        f"ICE's sheets list agreements in **{len(listed)} of {len(per_state)}** states whose newest law prohibits or "
        f"restricts 287(g); **{int(per_state['in_newest'].sum())}** of those agreements are in the newest sheet. "
        f"**{banned}** were listed on or after a ban took effect, and **{limited}** on or after a law that restricts "
        "287(g) without barring it. Each agreement is compared with the law's "
        "effective date and deadline to the day; where only the law's year is known the page says *date of law not known "
        "to the day*, and an agreement that left between two sheets with the law's date between them *left between* "
        "those sheets.")
    shown = compliance.states_table(per_state)
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config=date_columns("Deadline") | {"Source": st.column_config.LinkColumn("Source", display_text="Open source")})
    ui.table_downloads(shown, "287g-restrictive-states-by-state", "restrict-states", "287(g) law vs practice")
    st.markdown("**Every agreement listed in these states**, with the first and last ICE sheet listing it and the first "
                "sheet without it")
    table = compliance.presence_table(presence)
    st.dataframe(table, hide_index=True, width="stretch", height=420,
                 column_config=date_columns("Deadline", "First seen", "Last seen", "First sheet without it"))
    ui.table_downloads(table, "287g-restrictive-states", "restrict", "287(g) law vs practice")
    if not presence.empty:
        # The chart runs (and is sent) only once opened: the tables above are the page's first content.
        chart = st.expander("Chart: agreements listed per ICE sheet, state by state", key="lvp-chart", on_change="rerun")
        if chart.open is not False:
            with chart:
                from mapcore.render import charts  # Altair is imported only for the chart

                series, windows = restricted_chart_data(data.dataset.key, data.agreements, data.sheets, data.laws)
                st.markdown("Solid blue: every agreement listed; orange dashed: only those the law's scope reaches. Dotted "
                            "line: the law's effective date (grey band: up to its deadline, or the law's year when only the "
                            "year is known), drawn only when it falls within the sheets' range.")
                st.altair_chart(charts.law_timeline_chart(series, windows, names), width="content")
    with st.expander("What this does and does not show"):
        st.markdown("\n".join(f"- {line}" for line in compliance.restricted_caveats()))
    st.caption(ui.source_caption(data, newest) + " Law table: data/state_laws.csv (checked by hand; low-confidence "
               f"rows marked {UNCONFIRMED}).")


def mandate_view() -> None:
    st.subheader("Sheriffs not listed where state law mandates 287(g)")
    gaps = gaps_for(data.dataset.key, data.agreements, data.sheets, data.laws, data.counties)
    states = compliance.mandate_states(data.laws)
    if not states or gaps.empty:
        st.caption("No state in the law table mandates 287(g) of county sheriffs.")
    else:
        default = "TX" if "TX" in states else states[0]
        ui.seed_from_url("state", "state", lambda raw: raw.upper() if raw.upper() in states else None, default)
        state = st.selectbox("State", states, format_func=lambda s: f"{names.get(s, s)} ({s})", key="state")
        ui.set_query_params({"state": state}, bound=("tab",))  # a copied link reopens this state
        summary = compliance.mandate_summary(gaps).set_index("state", drop=False)
        row = summary.loc[state]
        law = data.laws.set_index("state").loc[state]
        due = str(row["due"])
        cols = st.columns(4)
        cols[0].metric("Counties", f"{int(row['counties']):,}")
        cols[1].metric("With a sheriff or jail agreement", f"{int(row['with_sheriff_agreement']):,}")
        cols[2].metric("Without" if due == "due" else "Without (not yet due)" if due in ("not_yet_due", "not_in_force")
                       else "Without (date of law not known)", f"{int(row['without']):,}",
                       help="Counties pending an application are counted here too. " + compliance.DUE_LABELS[due] + ".")
        cols[3].metric("Covered", f"{row['pct_covered']:.0f}%")
        st.markdown(md_text(compliance.mandate_sentence(row, names.get(state))))
        flag = f" ({UNCONFIRMED})" if law["confidence"] == "low" or due == "day_unknown" else ""
        st.markdown(f"**The law{flag}:** {md_text(law['summary'])}")
        if is_http_url(law["source_url"]):  # only http(s) links; link buttons open in a new tab
            st.link_button("Source for this law", str(law["source_url"]).strip())
        chosen = gaps[gaps["state"] == state]
        pub = chosen["publication_date"].iloc[0]
        pending = chosen["pending_publication_date"].iloc[0]
        pending_id = None if pd.isna(pending) else query.latest_publication_id(data.sheets, "pending", pending)
        pending_note = f" Pending applications from ICE's {query.pending_note(data.sheets, pending_id, newest)}." if pending_id else ""
        st.caption(f"Models chosen by covered counties (a county may have several): {row['models_chosen'] or 'none'}. "
                   f"Counties from the Census boundary layer; agreements from ICE's sheet of {pub:%Y-%m-%d}.{pending_note} "
                   + in_force_caption(pub))
        st.info("Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                "corrections or detention agency. Police departments, constables, district attorneys and state agencies do "
                "not count. Read the map as what ICE lists, not as a finding of compliance (see the note above and "
                "*What this does and does not show* below).", icon="ℹ️")
        from mapcore.render import compliance_map  # the map's module, only on the tab that draws it

        spec = compliance_map.compliance_map(gaps, (state,))
        ui.show_map(spec, key="mandate-map", height=520, sheet_date=pub, filters=query.Filters(states=(state,)), law=True)

        missing = compliance.gaps_table(chosen[chosen["status"] != compliance.COVERED])
        st.markdown(f"**{len(missing)} counties without a sheriff or county jail agreement listed in "
                    f"{md_text(names.get(state, state))}** ({md_text(compliance.DUE_LABELS[due].lower())})")
        if missing.empty:
            st.caption("Every county has one.")
        else:
            st.dataframe(missing.drop(columns=["State", "ICE sheet", "Pending sheet", "Sheriff or jail agencies", "Models"]),
                         hide_index=True, width="stretch", column_config=date_columns("Deadline"))
        ui.table_downloads(compliance.gaps_table(chosen), f"287g-sheriffs-{state}", "mandate", "287(g) law vs practice")
        st.caption("Downloads hold every county of the state, covered or not.")

        if data.roster is not None:
            with st.expander(f"Sheriffs' offices of the FBI roster in {names.get(state, state)}, by ORI"):
                st.markdown(compliance.ROSTER_GAP_NOTE)
                county_names = dict(zip(data.counties["GEOID"].astype(str), data.counties["name"].astype(str)))
                roster_gaps = compliance.roster_mandate_gaps(data.publication(newest), data.publication(data.latest_id("pending")),
                                                             data.roster, data.laws, county_names)
                offices = compliance.roster_gaps_table(roster_gaps[roster_gaps["state"] == state])
                st.dataframe(offices, hide_index=True, width="stretch")
                ui.table_downloads(offices, f"287g-sheriff-offices-{state}", "mandate-ori", "287(g) sheriffs' offices")
                apart = compliance.counties_without_roster_sheriff(data.roster, data.counties, data.laws)
                apart = apart[apart["state"] == state]
                if len(apart):
                    st.caption("Counties with no sheriff's office in the FBI roster (not counted as gaps): "
                               + md_text(", ".join(apart["county"].astype(str))) + ".")

        st.markdown("**All states whose law mandates 287(g) of sheriffs**")
        overview = summary.assign(due=summary["due"].map(compliance.DUE_LABELS)).rename(columns={
            "state": "State", "counties": "Counties", "with_sheriff_agreement": "With agreement", "without": "Without",
            "pending_only": "Of which pending", "no_agreement_or_application": "Neither", "pct_covered": "% covered",
            "models_chosen": "Models chosen", "effective_year": "Law's year", "effective_date": "In force from",
            "deadline": "Deadline", "due": "Duty on the sheet's date", "confidence": "Confidence"})
        st.dataframe(overview.drop(columns=["JEM", "WSO", "TFM"]), hide_index=True, width="stretch",
                     column_config=date_columns("Deadline", "In force from")
                     | {"Law's year": st.column_config.NumberColumn("Law's year", format="%d")})
        with st.expander("What this does and does not show"):
            st.markdown("\n".join(f"- {line}" for line in compliance.mandate_caveats()))

    duties = compliance.state_level_duties(data.laws, data.publication(newest))
    if not duties.empty:
        st.markdown("**Mandates on a state official, not on sheriffs** (not counted above: no county is missing anything "
                    "under these laws)")
        for _, duty in duties.iterrows():
            listed_text = (f"ICE's newest sheet lists {duty['state_agreements']} agreement"
                           f"{'s' if duty['state_agreements'] != 1 else ''} of state agencies there: {duty['state_agencies']}."
                           if duty["state_agreements"] else "ICE's newest sheet lists no agreement of a state agency there.")
            link = f" {external_link('Source', duty['source_url'])}" if duty["source_url"] else ""
            st.markdown(f"- **{md_text(duty['state_name'])}:** {md_text(duty['duty'])} {md_text(listed_text)}{link}",
                        unsafe_allow_html=True)


def changes_view() -> None:
    st.subheader("Changes of state law on 287(g)")
    st.markdown("Each change our law table records: the day the new status took effect and the status before it. Where "
                "only the year of a law is known, its day and the status before it are not recorded (*day not known*).")
    changes = law_changes(data.laws)
    shown_changes = pd.DataFrame({
        "State": changes["state"], "Name": changes["state_name"], "Date": changes["date"],
        "From": changes["from_status"].fillna("not in our table"), "To": changes["to_status"],
        "Status changed": changes["status_changed"], "Laws": changes["laws"],
        "Confidence": [f"{c} ({UNCONFIRMED})" if u else c for c, u in zip(changes["confidence"], changes["unconfirmed"])],
        "Source": changes["source_url"],
    })
    st.dataframe(shown_changes, hide_index=True, width="stretch",
                 column_config={"Source": st.column_config.LinkColumn("Source", display_text="Open source")})
    ui.table_downloads(shown_changes, "287g-law-changes", "law-changes", "State law changes")
    if newest_date is not None:
        st.caption(f"ICE's newest sheet is of {newest_date:%Y-%m-%d}: changes after that day are not yet reflected in any "
                   "sheet. Law table: data/state_laws.csv.")


# Only the open tab's content runs (the tabs are bound to the URL, so a switch reruns the page): the first view
# computes and sends one tab, not three. ``.open`` is None where the open tab is not known: then all run.
restrict_tab, mandate_tab, changes_tab = st.tabs(list(TABS), key="tab", bind="query-params")
for tab, view in ((restrict_tab, restrict_view), (mandate_tab, mandate_view), (changes_tab, changes_view)):
    if tab.open is not False:
        with tab:
            view()
