"""Agency lookup: find an agency however its name is typed, then every agreement and pending
application it has had across ICE's sheets, where it is, and its state's law.

Thin page: matching and history live in :mod:`mapcore.analysis.search`. The URL holds ``agency`` and
``state``, so a copied link reopens the same agency.
"""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import lookup, query, search
from mapcore.analysis import state_profile as sp
from mapcore.app import ui
from mapcore.core.text import escape, md_text

ui.setup_page("Agency lookup")
data = ui.app_data()
st.title("Agency lookup")


index = ui.agency_index(data)

# A pasted link (URL changed since we last wrote it) fills the search box and prefers its state.
if ui.url_changed("agency") or ui.url_changed("state"):
    st.session_state["ag_q"] = search.bound_query(st.query_params.get("agency", ""))  # a link can hold anything: cut it first
    st.session_state["_ag_prefer"] = (st.session_state["ag_q"], st.query_params.get("state", "")[:2])

left, right = st.columns([3, 1])
text = left.text_input("Agency name, county or town", key="ag_q", max_chars=search.MAX_QUERY_CHARS,
                       placeholder="e.g. Harris County Sheriff's Office, Miami PD, Harris County, Galveston",
                       help="Case, apostrophes, abbreviations (Co., Dept, PD, SO) and small typos are forgiven. A county "
                            "('Harris County') or a town lists the agencies placed there.")
states = ["", *sp.state_choices(data.agreements)]
only = right.selectbox("State", states, key="ag_state", format_func=lambda s: sp.state_label(s) if s else "Any state")

if not text.strip():
    st.info("Type an agency's name (or part of it), a county or a town to see its 287(g) agreements over time.")
    st.stop()

found = lookup.lookup(index, text, state=only or None, town_county=ui.town_county)
results = found.candidates
prefer_text, prefer_state = st.session_state.get("_ag_prefer", ("", ""))
linked = bool(text == prefer_text and prefer_state)   # a link names its agency and its state

if found.ask_states and not linked:   # equally good in several states: ask, never pick one alphabetically
    def take_state() -> None:
        st.session_state["ag_state"] = st.session_state.get(f"ag_ask|{text}")

    st.info(found.question, icon="❓")
    st.radio("State", found.ask_states, index=None, horizontal=True, key=f"ag_ask|{text}", on_change=take_state,
             format_func=sp.state_label)
    st.stop()
if results.empty:
    st.warning("No agency in ICE's sheets matches that name, county or town. Try fewer words, or another state.")
    st.stop()

for place_state, county in dict.fromkeys((s, c) for s, c, _ in found.places):
    here = results[results["why"].str.contains(f"{county}, {place_state}", regex=False)]
    st.markdown(f"**{len(here)} agenc{'ies' if len(here) != 1 else 'y'} placed in {md_text(county)}, "
                f"{md_text(sp.state_name(place_state))}** (ICE's sheets, any date)")
    st.dataframe(here[["agency", "jurisdiction_type", "models", "active", "why"]], hide_index=True, width="stretch",
                 column_config={"agency": "Agency", "jurisdiction_type": "Type", "models": "Models (ever)",
                                "active": st.column_config.CheckboxColumn("In the newest sheet"), "why": "Found because"})

start: int | None = 0
if linked:  # the linked agency itself, else the best match
    start = search.position_of(results, prefer_state, prefer_text)
elif found.by_place:
    start = None   # a place's agencies: the user chooses one
pick = st.selectbox(f"{len(results)} matching agenc{'ies' if len(results) != 1 else 'y'}", range(len(results)), index=start,
                    format_func=lambda i: search.candidate_label(results.iloc[i]), key=f"ag_pick|{text}|{only}",
                    placeholder="Choose an agency to see its agreements")
if pick is None:
    st.stop()
chosen = results.iloc[pick]
state, agency = str(chosen["state"]), str(chosen["agency"])
ui.set_query_params({"agency": agency, "state": state})

place = search.agency_place(data.agreements, state, agency)
history = search.agency_history(data.agreements, data.sheets, state, agency)
participating = history[history["kind"] == "participating"]
pending = history[history["kind"] == "pending"]

st.markdown(f"<h2>{escape(agency)}</h2>", unsafe_allow_html=True)
where = [place.get("jurisdiction_type") or "Type not given", place.get("county_name") or "county not known",
         sp.state_name(state)]
if place.get("level") == "statewide":
    where[1] = "statewide agency"
st.markdown(" · ".join(md_text(w) for w in where), unsafe_allow_html=True)
if chosen["spellings"]:
    st.caption(f"Also listed by ICE as: {md_text(chosen['spellings'])}", unsafe_allow_html=True)

active_now = int(participating["active"].sum())
c1, c2, c3 = st.columns(3)
c1.metric("Active agreements now", active_now, help="Listed in ICE's newest participating-agencies sheet.")
c2.metric("Agreements ever listed", len(participating))
c3.metric("Pending applications (still pending)", f"{len(pending)} ({int(pending['active'].sum())})")

link_config = {
    "model": "Model", "signed": st.column_config.DateColumn("Signed", format="YYYY-MM-DD"),
    "moa_url": st.column_config.LinkColumn("MOA", display_text="Open MOA"),
    "addendum_url": st.column_config.LinkColumn("Addendum", display_text="Open addendum"),
    "first_seen": st.column_config.DateColumn("First listed", format="YYYY-MM-DD"),
    "last_seen": st.column_config.DateColumn("Last listed", format="YYYY-MM-DD"),
    "publications": st.column_config.NumberColumn("Sheets listing it"),
    "active": st.column_config.CheckboxColumn("In newest sheet"),
}
st.subheader("Agreements (participating)")
if participating.empty:
    st.caption("No participating agreement: this agency appears only among pending applications.")
else:
    st.dataframe(participating[["model", "signed", "moa_url", "addendum_url", "first_seen", "last_seen", "publications", "active"]],
                 hide_index=True, width="stretch", column_config=link_config)
    st.caption("One row per model and SIGNED date: an agreement re-signed under a new date is a new row. "
               "First/last listed: ICE's first and last participating sheet listing it.")

st.subheader("Pending applications")
st.caption(f"Still pending: as listed in ICE's {query.pending_note(data.sheets, data.latest_id('pending'))}.")
if pending.empty:
    st.caption("ICE's pending sheets never listed this agency.")
else:
    pending_config = {**link_config, "active": st.column_config.CheckboxColumn("Still pending")}
    st.dataframe(pending[["model", "first_seen", "last_seen", "publications", "active"]], hide_index=True, width="stretch",
                 column_config=pending_config)

st.subheader(f"{sp.state_name(state)}'s law on 287(g)")
law = sp.state_law(data.laws, state, on=data.publication_date(data.latest_id()))
note = sp.low_confidence_note(law)
if note:
    st.warning(note, icon="⚠️")
st.markdown(sp.law_html(law, state, brief=True), unsafe_allow_html=True)
st.caption(ui.source_caption(data, data.latest_id()))
