"""Agency lookup: find an agency however its name is typed, then every agreement and pending
application it has had across ICE's sheets, where it is, and its state's law.

Thin page: matching lives in :mod:`mapcore.analysis.agency_lookup` (over :mod:`mapcore.analysis.agency_search`),
the history in :mod:`mapcore.analysis.agency_story`. The URL holds ``agency`` and ``state``, so a copied link
reopens the same agency.
"""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import agency_lookup, agency_search, agency_story
from mapcore.analysis import state_profile as sp
from mapcore.app import page_parts, ui
from mapcore.core.i18n import N_, _, format_number, ngettext
from mapcore.core.text import escape, external_link, md_text
from mapcore.words import lookup as lookup_words
from mapcore.words import places
from mapcore.words import sheets as sheet_words
from mapcore.words import state_profile as law_words

ui.setup_page(N_("Agency lookup"))
data = ui.app_data()
st.title(_("Agency lookup"))


index = ui.agency_index(data)

# A pasted link (URL changed since we last wrote it) fills the search box and prefers its state.
if ui.url_changed("agency") or ui.url_changed("state"):
    st.session_state["ag_q"] = agency_search.bound_query(st.query_params.get("agency", ""))  # a link can hold anything: cut it first
    st.session_state["_ag_prefer"] = (st.session_state["ag_q"], st.query_params.get("state", "")[:2])

left, right = st.columns([3, 1])
text = left.text_input(_("Agency name, county or town"), key="ag_q", max_chars=agency_search.MAX_QUERY_CHARS,
                       placeholder=_("e.g. Harris County Sheriff's Office, Miami PD, Harris County, Galveston"),
                       help=_("Case, apostrophes, abbreviations (Co., Dept, PD, SO) and small typos are forgiven. A "
                              "county ('Harris County') or a town lists the agencies placed there."))
states = ["", *places.by_name(sp.state_choices(data.agreements))]
any_state = _("Any state")
only = right.selectbox(_("State"), states, key="ag_state", format_func=lambda s: places.state_label(s) if s else any_state)

if not text.strip():
    st.info(_("Type an agency's name (or part of it), a county or a town to see its 287(g) agreements over time."))
    st.stop()

found = agency_lookup.lookup(index, text, state=only or None, town_county=ui.town_county)
results = found.candidates
prefer_text, prefer_state = st.session_state.get("_ag_prefer", ("", ""))
linked = bool(text == prefer_text and prefer_state)   # a link names its agency and its state

if found.ask_states and not linked:   # equally good in several states: ask, never pick one alphabetically
    def take_state() -> None:
        st.session_state["ag_state"] = st.session_state.get(f"ag_ask|{text}")

    st.info(lookup_words.question(found), icon="❓")
    st.radio(_("State"), found.ask_states, index=None, horizontal=True, key=f"ag_ask|{text}", on_change=take_state,
             format_func=places.state_label)
    st.stop()
if results.empty:
    st.warning(_("No agency in ICE's sheets matches that name, county or town. Try fewer words, or another state."))
    st.stop()

for place_state, county in dict.fromkeys((s, c) for s, c, _how in found.places):
    here = results[results["why"].str.contains(f"{county}, {place_state}", regex=False)]
    st.markdown(lookup_words.place_heading(len(here), county, place_state))
    shown = page_parts.shown_cells(here[["agency", "jurisdiction_type", "models", "active", "why"]].assign(
        why=here["why"].map(lookup_words.why_words)))
    st.dataframe(shown, hide_index=True, width="stretch",
                 column_config={"agency": _("Agency"), "jurisdiction_type": _("Type"), "models": _("Models (ever)"),
                                "active": st.column_config.CheckboxColumn(_("In the newest sheet")),
                                "why": _("Found because")})

start: int | None = 0
if linked:  # the linked agency itself, else the best match, said so: a link never silently opens another state's
    start = agency_search.position_of(results, prefer_state, prefer_text)
    if start is None:
        start = 0
        st.warning(lookup_words.not_in_state(prefer_text, prefer_state))
elif found.by_place:
    start = None   # a place's agencies: the user chooses one
pick = st.selectbox(ngettext("{n} matching agency", "{n} matching agencies", len(results)).format(n=format_number(len(results))),
                    range(len(results)), index=start,
                    format_func=[lookup_words.candidate_label(row) for _i, row in results.iterrows()].__getitem__,
                    key=f"ag_pick|{text}|{only}",
                    placeholder=_("Choose an agency to see its agreements"))
if pick is None:
    st.stop()
chosen = results.iloc[pick]
state, agency = str(chosen["state"]), str(chosen["agency"])
ui.set_query_params({"agency": agency, "state": state})

place = agency_story.agency_place(data.agreements, state, agency)
history = agency_story.agency_history(data.agreements, data.sheets, state, agency)
participating = history[history["kind"] == "participating"]
pending = history[history["kind"] == "pending"]

st.markdown(f"<h2>{escape(agency)}</h2>", unsafe_allow_html=True)
if static := ui.static_agency_link(data, state, agency):   # its permanent page, when MAPCORE_SITE_URL is set
    st.markdown(external_link(*static), unsafe_allow_html=True)
st.markdown(lookup_words.where_line(place, state), unsafe_allow_html=True)
if chosen["spellings"]:
    st.caption(_("Also listed by ICE as: {names}").format(names=md_text(chosen["spellings"])), unsafe_allow_html=True)

active_now = int(participating["active"].sum())
c1, c2, c3 = st.columns(3)
c1.metric(_("Active agreements now"), format_number(active_now), help=_("Listed in ICE's newest participating-agencies sheet."))
c2.metric(_("Agreements ever listed"), format_number(len(participating)))
c3.metric(_("Pending applications (still pending)"), f"{format_number(len(pending))} ({format_number(int(pending['active'].sum()))})")

link_config = {
    "model": _("Model"), "signed": st.column_config.DateColumn(_("Signed"), format="YYYY-MM-DD"),
    "moa_url": st.column_config.LinkColumn(_("MOA"), display_text=_("Open MOA")),
    "addendum_url": st.column_config.LinkColumn(_("Addendum"), display_text=_("Open addendum")),
    "first_seen": st.column_config.DateColumn(_("First listed"), format="YYYY-MM-DD"),
    "last_seen": st.column_config.DateColumn(_("Last listed"), format="YYYY-MM-DD"),
    "publications": st.column_config.NumberColumn(_("Sheets listing it")),
    "active": st.column_config.CheckboxColumn(_("In newest sheet")),
}
st.subheader(_("Agreements (participating)"))
if participating.empty:
    st.caption(_("No participating agreement: this agency appears only among pending applications."))
else:
    st.dataframe(participating[["model", "signed", "moa_url", "addendum_url", "first_seen", "last_seen", "publications", "active"]],
                 hide_index=True, width="stretch", column_config=link_config)
    st.caption(_("One row per model and SIGNED date: an agreement re-signed under a new date is a new row. "
                 "First/last listed: ICE's first and last participating sheet listing it."))

st.subheader(_("Pending applications"))
st.caption(_("Still pending: as listed in ICE's {note}.").format(note=sheet_words.pending_note(data.sheets, data.latest_id("pending"))))
if pending.empty:
    st.caption(_("ICE's pending sheets never listed this agency."))
else:
    pending_config = {**link_config, "active": st.column_config.CheckboxColumn(_("Still pending"))}
    st.dataframe(pending[["model", "first_seen", "last_seen", "publications", "active"]], hide_index=True, width="stretch",
                 column_config=pending_config)

st.subheader(_("{state}'s law on 287(g)").format(state=places.state_name(state)))
law = sp.state_law(data.laws, state, on=data.publication_date(data.latest_id()))
note = law_words.low_confidence_note(law)
if note:
    st.warning(note, icon="⚠️")
st.markdown(law_words.law_html(law, state, brief=True), unsafe_allow_html=True)
st.caption(ui.source_caption(data, data.latest_id()))
