"""Law vs practice: agreements ICE lists in states whose law restricts 287(g), and county sheriffs
missing from ICE's list where state law mandates 287(g).

Thin page: the comparisons live in :mod:`mapcore.analysis.compliance`, the map in :mod:`mapcore.render.compliance_map`.
The active tab (bound to ``?tab=``) and the chosen mandate state (``?state=TX``) are kept in the URL.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mapcore.analysis import compliance
from mapcore.app import ui
from mapcore.core.text import is_http_url, md_text
from mapcore.render import charts, compliance_map

ui.setup_page("Law vs practice")
data = ui.app_data()

TABS = ("Agreements where state law restricts 287(g)", "Sheriffs missing where state law mandates it")


@st.cache_data(max_entries=2, show_spinner="Comparing ICE's sheets with state law…")
def restricted(dataset_key: str,  # noqa: ARG001 - the cache key; frames starting with _ are not hashed
                _agreements: pd.DataFrame, _sheets: pd.DataFrame, _laws: pd.DataFrame):
    """Presence, per-state table and count series, once per dataset."""
    presence = compliance.restricted_presence(_agreements, _sheets, _laws)
    return presence, compliance.restricted_states_table(presence, _laws), compliance.restricted_series(_agreements, _sheets, _laws)


@st.cache_data(max_entries=2)
def gaps_for(dataset_key: str,  # noqa: ARG001 - the cache key
              _agreements: pd.DataFrame, _sheets: pd.DataFrame, _laws: pd.DataFrame, _counties) -> pd.DataFrame:
    """Every county of every local-mandate state, once per dataset."""
    return compliance.mandate_gaps(_agreements, _sheets, _laws, _counties)


st.title("Law versus practice")
st.markdown("ICE's 287(g) sheets set against each state's law: agreements still listed where the law bans or "
            "restricts 287(g), and counties whose sheriff is not listed where the law requires sheriffs to join.")
st.info(compliance.INFERENCE_NOTE, icon="⚖️")

restrict_tab, mandate_tab = st.tabs(list(TABS), key="tab", bind="query-params")
names = dict(zip(data.laws["state"].astype(str), data.laws["state_name"].astype(str)))
newest = data.latest_id()

with restrict_tab:
    presence, per_state, series = restricted(data.dataset.key, data.agreements, data.sheets, data.laws)
    listed = per_state[per_state["ever_listed"] > 0]
    st.subheader("Agreements where state law restricts 287(g)")
    st.markdown(
        f"ICE's sheets list agreements in **{len(listed)} of {len(per_state)}** states whose law prohibits or "
        f"restricts 287(g); **{int(per_state['in_newest'].sum())}** of those agreements are in the newest sheet. "
        "An agreement's *law date* is the law's deadline when the table gives one, otherwise only its year is known, "
        "so an agreement last listed in that year is marked *exact date not known*.")
    shown = per_state.rename(columns={
        "state": "State", "state_name": "Name", "law_status": "Law", "law_scope": "Scope",
        "effective_year": "Effective year", "deadline": "Deadline", "confidence": "Confidence",
        "ever_listed": "Ever listed", "in_newest": "In newest sheet", "listed_after_law": "Listed after the law",
        "in_law_year": "Listed in the law's year", "gone_before_law": "Gone before the law",
        "outside_scope": "Outside the law's scope", "source_url": "Source"})
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"Deadline": st.column_config.DateColumn("Deadline", format="YYYY-MM-DD"),
                                "Source": st.column_config.LinkColumn("Source", display_text="Open source"),
                                "Effective year": st.column_config.NumberColumn("Effective year", format="%d")})
    if not series.empty:
        st.markdown("**Agreements listed per ICE sheet.** Solid blue: every agreement listed; orange dashed: only those "
                    "the law's scope reaches. Grey band: the law's year when only the year is known; dotted line: the start "
                    "of that year or the law's deadline (drawn only when it falls within the sheets' range).")
        windows = compliance.law_windows(series, data.laws)
        st.altair_chart(charts.law_timeline_chart(series, windows, names), width="content")
    st.markdown("**Every agreement listed in these states**, with the first and last ICE sheet listing it")
    table = compliance.presence_table(presence)
    st.dataframe(table, hide_index=True, width="stretch", height=420,
                 column_config={c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in ("Deadline", "First seen", "Last seen")}
                 | {"Effective year": st.column_config.NumberColumn("Effective year", format="%d")})
    ui.table_downloads(table, "287g-restrictive-states", "restrict", "287(g) law vs practice")
    with st.expander("What this does and does not show"):
        st.markdown("\n".join(f"- {line}" for line in compliance.restricted_caveats()))
    st.caption(ui.source_caption(data, newest) + " Law table: data/state_laws.csv (checked by hand; low-confidence rows flagged).")

with mandate_tab:
    st.subheader("Sheriffs missing where state law mandates it")
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
        cols = st.columns(4)
        cols[0].metric("Counties", f"{int(row['counties']):,}")
        cols[1].metric("With a sheriff or jail agreement", f"{int(row['with_sheriff_agreement']):,}")
        cols[2].metric("Without", f"{int(row['without']):,}", help="Counties pending an application are counted here too.")
        cols[3].metric("Covered", f"{row['pct_covered']:.0f}%")
        st.markdown(md_text(compliance.mandate_sentence(row, names.get(state))))
        st.markdown(f"**The law:** {md_text(law['summary'])}")
        if is_http_url(law["source_url"]):  # only http(s) links; link buttons open in a new tab
            st.link_button("Source for this law", str(law["source_url"]).strip())
        chosen = gaps[gaps["state"] == state]
        pub = chosen["publication_date"].iloc[0]
        pending = chosen["pending_publication_date"].iloc[0]
        pending_note = f" Pending applications from ICE's pending sheet of {pending:%Y-%m-%d}." if not pd.isna(pending) else ""
        st.caption(f"Models chosen by covered counties (a county may have several): {row['models_chosen'] or 'none'}. "
                   f"Counties from the Census boundary layer; agreements from ICE's sheet of {pub:%Y-%m-%d}.{pending_note}")
        st.info("Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                "corrections or detention agency. Police departments, constables, district attorneys and state agencies do "
                "not count. Read the map as what ICE lists, not as a finding of compliance (see the note above and "
                "*What this does and does not show* below).", icon="ℹ️")
        if mandate_tab.open is not False:  # the map's payload is sent only while its tab is open
            fmap = compliance_map.compliance_map(gaps, (state,))
            ui.show_map(fmap, key=f"mandate-map-{state}", height=520)

        missing = compliance.gaps_table(chosen[chosen["status"] != compliance.COVERED])
        st.markdown(f"**{len(missing)} counties without a sheriff or county jail agreement in "
                    f"{md_text(names.get(state, state))}**")
        if missing.empty:
            st.caption("Every county has one.")
        else:
            st.dataframe(missing.drop(columns=["State", "ICE sheet", "Pending sheet", "Sheriff or jail agencies", "Models"]),
                         hide_index=True, width="stretch",
                         column_config={"Deadline": st.column_config.DateColumn("Deadline", format="YYYY-MM-DD")})
        ui.table_downloads(compliance.gaps_table(chosen), f"287g-sheriffs-{state}", "mandate", "287(g) law vs practice")
        st.caption("Downloads hold every county of the state, covered or not.")

        st.markdown("**All states whose law mandates 287(g) of sheriffs**")
        overview = summary.rename(columns={
            "state": "State", "counties": "Counties", "with_sheriff_agreement": "With agreement", "without": "Without",
            "pending_only": "Of which pending", "no_agreement_or_application": "Neither", "pct_covered": "% covered",
            "models_chosen": "Models chosen", "effective_year": "Effective year", "deadline": "Deadline"})
        st.dataframe(overview.drop(columns=["JEM", "WSO", "TFM"]), hide_index=True, width="stretch",
                     column_config={"Deadline": st.column_config.DateColumn("Deadline", format="YYYY-MM-DD"),
                                    "Effective year": st.column_config.NumberColumn("Effective year", format="%d")})
        with st.expander("What this does and does not show"):
            st.markdown("\n".join(f"- {line}" for line in compliance.mandate_caveats()))
