"""Timeline: how ICE's 287(g) lists grew and what changed between any two publications.

Thin page: identity, diffs and pending history live in :mod:`mapcore.analysis.history`.
"""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import history, query
from mapcore.app import page_parts, ui
from mapcore.app.urlstate import list_param
from mapcore.core import tables
from mapcore.core.i18n import N_, _, format_number
from mapcore.core.schema import PublicationId
from mapcore.geo.boundaries import county_table
from mapcore.render import charts, maps
from mapcore.render.caption import filter_words, spread_caption
from mapcore.words import history as history_words
from mapcore.words import sheets as sheet_words

ui.setup_page(N_("Timeline"))
data = ui.app_data()

label = history_words.publication_labels(data.sheets)   # '2026-04-30 · participatingAgencies04302026am.xlsx'
COLUMNS = page_parts.column_config(st.column_config, history_words.column_labels(), dates=history_words.DATE_COLUMNS,
                                   links={"moa_url": _("MOA")})


keyed = ui.keyed_agreements(data)
participating = query.publications(data.sheets, "participating")
ids = [str(p) for p in participating["publication_id"]]
if len(ids) < 1:
    st.info(_("No participating-agencies sheet is loaded."))
    st.stop()

st.title(_("Timeline of 287(g) agreements"))
st.caption(history_words.sheets_line(data.sheets))

# --- Growth -----------------------------------------------------------------------------------
summary = ui.timeline(data)   # computed once per dataset: every later visit starts drawing at once
growth, signings, gaps = summary.growth, summary.signings, summary.gaps
left, right = st.columns(2)
with left:
    st.subheader(_("Agreements listed in each publication"))
    st.altair_chart(charts.model_chart(growth, "publication_date", _("Publication date"), "area", gaps=gaps), width="stretch")
    st.caption(history_words.growth_caption(growth, gaps, ids[-1]))
with right:
    st.subheader(_("Cumulative signings by SIGNED date"))
    early = st.toggle(_("Include signings before 2025"), value=False, key="tl_early")
    shown = signings if early else history.signings_since(signings, "2025-01-01")
    st.altair_chart(charts.model_chart(shown, "signed", _("Signed"), "line"), width="stretch")
    st.caption(history_words.signings_caption(signings))

all_states = sorted(str(s) for s in keyed.loc[keyed["kind"] == "participating", "state"].dropna().unique())

# --- The spread over time ---------------------------------------------------------------------
st.header(_("The spread over time"))
spread_states = [s for s in all_states if s in set(county_table()["state"])]  # states the map can draw
ui.seed_from_url("tl_spread", "spread", lambda raw: raw if raw in spread_states else None, "")
area = st.selectbox(_("Area"), ["", *spread_states], key="tl_spread",
                    format_func=history_words.spread_area_label)
spread_area = (area,) if area else ()
every = "day" if area else "month"
steps = ui.spread_steps(data, spread_area, every)
if steps:
    spread_spec = maps.spread_map(steps, spread_area)
    ui.show_map(spread_spec, key="timeline-spread",
                caption=spread_caption(steps[0].label, steps[-1].label, every, query.Filters(states=spread_area)))
    st.caption(history_words.spread_note(len(steps), every))

# --- Compare two publications -----------------------------------------------------------------
st.header(_("What changed between two publications"))
default_to = ids[-1]
default_from = query.previous_publication_id(data.sheets, default_to) or default_to
ui.seed_from_url("tl_from", "from", lambda raw: raw if raw in ids else None, default_from)
ui.seed_from_url("tl_to", "to", lambda raw: raw if raw in ids else None, default_to)
ui.seed_from_url("tl_states", "states", lambda raw: list_param(raw, set(all_states)), [])

c1, c2, c3 = st.columns([2, 2, 3])
id_a = c1.selectbox(_("From publication"), ids, key="tl_from", format_func=label)
id_b = c2.selectbox(_("To publication"), ids, key="tl_to", format_func=label)
states = c3.multiselect(_("States"), all_states, key="tl_states", placeholder=_("All states"))
ui.set_query_params({"from": id_a, "to": id_b, "states": states, "spread": area})

diff = history.diff_between(keyed, data.sheets, id_a, id_b, states, presence=ui.timeline_presence(data, "participating"))
if ids.index(id_a) > ids.index(id_b):
    st.warning(_("“From” is newer than “To”: changes are read backwards in time."))
counts = diff.counts()
st.markdown(history_words.diff_line(diff, label(id_a), label(id_b), states))
CHANGES = {change: _(msgid) for change, msgid in history_words.CHANGES.items()}
for col, change in zip(st.columns(4), CHANGES):
    col.metric(CHANGES[change], format_number(int(counts.at[change, "total"])))
st.dataframe(history_words.change_counts(diff), width="content")
st.caption(_(history_words.DIFF_NOTE))

tabs = st.tabs([f"{CHANGES[change]} ({len(getattr(diff, change))})" for change, *_rest in history_words.DIFF_TABS])
for tab, (change, columns, empty, flag, flag_note) in zip(tabs, history_words.DIFF_TABS):
    with tab:
        changed = getattr(diff, change)
        if changed.empty:
            st.caption(_(empty))
        else:
            st.dataframe(page_parts.shown_cells(history_words.diff_shown(changed, columns)), hide_index=True, width="stretch",
                         column_config=COLUMNS)
        if flag and len(changed) and changed[flag].any():
            st.caption(_(flag_note))
ui.table_downloads(history_words.diff_table(diff),
                   tables.file_stem("changes", "_".join(states), PublicationId.parse(id_a).date, "to", PublicationId.parse(id_b).date),
                   "diff", "287(g) history",
                   about=ui.download_about(data, id_b, "; ".join(filter_words(query.Filters(states=tuple(states)))) or None,
                                           compared_with=_("ICE 287(g) sheet {file}").format(file=label(id_a))))
st.caption(_("From — {source_a}  \nTo — {source_b}").format(source_a=ui.source_caption(data, id_a),
                                                            source_b=ui.source_caption(data, id_b)))

# --- Pending applications ---------------------------------------------------------------------
st.header(_("Pending applications"))
pending, pending_id, pending_rows = page_parts.pending_view(data, ui.timeline_pending(data), states, id_b)
newest_pending = query.latest_publication_id(data.sheets, "pending")
st.warning(sheet_words.pending_warning(data.sheets, newest_pending), icon="🕰️")
p1, p2, p3 = st.columns(3)
p1.metric(_("Applications ever listed as pending"), format_number(len(pending)))
p2.metric(_("Agency later participating"), format_number(int(pending["later_participating"].sum())))
p3.metric(_("Still pending in the latest pending sheet"), format_number(int(pending["still_pending"].sum())))
st.dataframe(
    pending[["state", "agency", "model", "county_name", "first_pending", "last_pending", "still_pending",
             "later_participating", "participating_since", "model_participating_since"]],
    hide_index=True, width="stretch", column_config=COLUMNS)
st.caption(_("“Later participating”: the same agency (state and name) is on a participating sheet on or after its "
             "first pending sheet, under any model."))
ui.table_downloads(history.export_table(pending, history.PENDING_EXTRA), tables.file_stem("pending-history", "_".join(states),
                   date=data.publication_date(newest_pending)), "pending", "287(g) history",
                   about=ui.download_about(data, newest_pending, "; ".join(filter_words(query.Filters(states=tuple(states)))) or None,
                                           pending_list=sheet_words.pending_note(data.sheets, newest_pending)))

st.subheader(_("Map: agreements and pending applications"))
rows_b = data.publication(id_b)
summary = query.county_summary(rows_b[rows_b["state"].isin(states)] if states else rows_b)
spec = maps.county_map(summary, pending=pending_rows, only_states=tuple(states))
ui.show_map(spec, key="timeline-map", sheet_date=data.publication_date(id_b), filters=query.Filters(states=tuple(states)))
st.caption(history_words.map_caption(label(id_b), sheet_words.pending_note(data.sheets, pending_id, id_b) if pending_id else None))
