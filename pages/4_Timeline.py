"""Timeline: how ICE's 287(g) lists grew and what changed between any two publications.

Thin page: identity, diffs and pending history live in :mod:`mapcore.analysis.history`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mapcore.analysis import history, query
from mapcore.app import ui
from mapcore.core import tables
from mapcore.geo.boundaries import county_table
from mapcore.render import charts, maps
from mapcore.render.caption import spread_caption

ui.setup_page("Timeline")
data = ui.app_data()

LABELS = {str(i): f"{d:%Y-%m-%d} · {str(i).split('/', 1)[-1].split('@')[0]}"
          for i, d in zip(data.sheets["publication_id"], data.sheets["publication_date"])}


def label(publication_id: str) -> str:
    """'2026-04-30 · participatingAgencies04302026am.xlsx' (one look-up: the selectboxes call it per option)."""
    return LABELS.get(str(publication_id), str(publication_id))


def link_columns() -> dict:
    return {
        "moa_url": st.column_config.LinkColumn("MOA", display_text="MOA"),
        "signed": st.column_config.DateColumn("Signed"),
        "signed_before": st.column_config.DateColumn("Signed before"),
        "back_in": st.column_config.DateColumn("Listed again"),
        "jurisdiction_type": "Type", "county_name": "County", "agency": "Agency", "state": "State",
        "model": "Model", "returns_later": "Back later", "seen_before": "Listed before", "switched": "Model switch",
    }


def show_table(frame: pd.DataFrame, columns: list[str], empty: str) -> None:
    if frame.empty:
        st.caption(empty)
        return
    shown = frame[[c for c in columns if c in frame]].sort_values(["state", "agency"])
    st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns())


keyed = ui.keyed_agreements(data)
participating = query.publications(data.sheets, "participating")
ids = [str(p) for p in participating["publication_id"]]
if len(ids) < 1:
    st.info("No participating-agencies sheet is loaded.")
    st.stop()

st.title("Timeline of 287(g) agreements")
st.caption(f"From {len(ids)} ICE participating-agencies sheets and "
           f"{len(query.publications(data.sheets, 'pending'))} pending-applications sheets, "
           f"{participating['publication_date'].min():%Y-%m-%d} to {participating['publication_date'].max():%Y-%m-%d}.")

# --- Growth -----------------------------------------------------------------------------------
summary = ui.timeline(data)   # computed once per dataset: every later visit starts drawing at once
growth, signings, gaps = summary.growth, summary.signings, summary.gaps
left, right = st.columns(2)
with left:
    st.subheader("Agreements listed in each publication")
    st.altair_chart(charts.model_chart(growth, "publication_date", "Publication date", "area", gaps=gaps), width="stretch")
    gap_text = ""
    if len(gaps):
        longest = gaps.loc[gaps["days"].idxmax()]
        gap_text = (f" Grey bands: {len(gaps)} gap{'s' if len(gaps) != 1 else ''} of {history.GAP_DAYS} days or more with "
                    f"no sheet in our record (longest {longest['start']:%Y-%m-%d} to {longest['end']:%Y-%m-%d}, "
                    f"{longest['days']} days): what happened inside a gap is not known.")
    st.caption("Stacked by model; the last sheet of each day, each count held until the next sheet. Latest: "
               f"{growth['total'].iloc[-1]:,} agreements in {label(ids[-1])}." + gap_text)
with right:
    st.subheader("Cumulative signings by SIGNED date")
    early = st.toggle("Include signings before 2025", value=False, key="tl_early")
    shown = signings if early else signings[signings["signed"] >= pd.Timestamp("2025-01-01")]
    st.altair_chart(charts.model_chart(shown, "signed", "Signed", "line"), width="stretch")
    undated = signings.attrs.get("undated", 0)
    st.caption(f"Every agreement ever listed as participating ({int(signings['total'].iloc[-1]) if len(signings) else 0:,}, "
               "including ones later dropped), counted once at its earliest SIGNED date"
               + (f"; {undated} without a date left out." if undated else "."))

all_states = sorted(str(s) for s in keyed.loc[keyed["kind"] == "participating", "state"].dropna().unique())

# --- The spread over time ---------------------------------------------------------------------
st.header("The spread over time")
spread_states = [s for s in all_states if s in set(county_table()["state"])]  # states the map can draw
ui.seed_from_url("tl_spread", "spread", lambda raw: raw if raw in spread_states else None, "")
area = st.selectbox("Area", ["", *spread_states], key="tl_spread",
                    format_func=lambda s: f"{s}: every day with a sheet" if s else "All states: month by month")
spread_area = (area,) if area else ()
every = "day" if area else "month"
steps = ui.spread_steps(data, spread_area, every)
if steps:
    spread_spec = maps.spread_map(steps, spread_area)
    ui.show_map(spread_spec, key="timeline-spread",
                caption=spread_caption(steps[0].label, steps[-1].label, every, query.Filters(states=spread_area)))
    unit = "month" if every == "month" else "day"
    st.caption(f"Counties shaded by the agreements listed on ICE's participating-agencies sheets: {len(steps)} "
               f"{unit}{'s' if len(steps) != 1 else ''}, the last sheet of each {unit}, "
               "from the first to the newest; drag the slider or press Play. Statewide agencies and regional bodies count "
               "in the total, not on a county. The GIF and MP4 of the same frames are under “Download this map”.")

# --- Compare two publications -----------------------------------------------------------------
st.header("What changed between two publications")
default_to = ids[-1]
default_from = query.previous_publication_id(data.sheets, default_to) or default_to
ui.seed_from_url("tl_from", "from", lambda raw: raw if raw in ids else None, default_from)
ui.seed_from_url("tl_to", "to", lambda raw: raw if raw in ids else None, default_to)
ui.seed_from_url("tl_states", "states", lambda raw: [s for s in raw.split(",") if s in all_states], [])

c1, c2, c3 = st.columns([2, 2, 3])
id_a = c1.selectbox("From publication", ids, key="tl_from", format_func=label)
id_b = c2.selectbox("To publication", ids, key="tl_to", format_func=label)
states = c3.multiselect("States", all_states, key="tl_states", placeholder="All states")
ui.set_query_params({"from": id_a, "to": id_b, "states": states, "spread": area})

diff = history.diff_between(keyed, data.sheets, id_a, id_b, states, presence=ui.timeline_presence(data, "participating"))
if ids.index(id_a) > ids.index(id_b):
    st.warning("“From” is newer than “To”: changes are read backwards in time.")
counts = diff.counts()
where = ", ".join(states) if states else "all states"
st.markdown(f"**{diff.count_before:,}** agreements in {label(id_a)} → **{diff.count_after:,}** in {label(id_b)} ({where}).")
m1, m2, m3, m4 = st.columns(4)
m1.metric("Added", int(counts.at["added", "total"]))
m2.metric("Removed", int(counts.at["removed", "total"]))
m3.metric("Renewed", int(counts.at["renewed", "total"]))
m4.metric("Switched", int(counts.at["switched", "total"]))
st.dataframe(counts.rename(index=str.capitalize), width="content")
st.caption("Added/removed: agreements (state, agency, model) listed in only one of the two sheets; agency names are "
           "matched through ICE's spelling corrections. Renewed: same agreement, another SIGNED date. Switched: "
           "agencies in both sheets whose set of models changed; their rows are also counted in added/removed. "
           "Counts per model for switched count agencies gaining or losing that model.")

common = ["state", "agency", "jurisdiction_type", "county_name", "model", "signed", "moa_url"]
tabs = st.tabs([f"Added ({len(diff.added)})", f"Removed ({len(diff.removed)})",
                f"Renewed ({len(diff.renewed)})", f"Switched ({len(diff.switched)})"])
with tabs[0]:
    show_table(diff.added, [*common, "switched", "seen_before"], "Nothing added.")
    if len(diff.added) and diff.added["seen_before"].any():
        st.caption("“Listed before”: on an earlier sheet, missing from the “From” sheet, listed again now.")
with tabs[1]:
    show_table(diff.removed, [*common, "switched", "returns_later", "back_in"], "Nothing removed.")
    if len(diff.removed) and diff.removed["returns_later"].any():
        st.caption("“Back later”: absent from the “To” sheet but listed again in a later sheet (a gap, not an end).")
with tabs[2]:
    show_table(diff.renewed, ["state", "agency", "county_name", "model", "signed_before", "signed", "note", "moa_url"],
               "No agreement re-dated.")
with tabs[3]:
    show_table(diff.switched, ["state", "agency", "models_before", "models_after", "gained", "lost"],
               "No agency changed models.")
ui.table_downloads(history.diff_table(diff), tables.file_stem("changes", "_".join(states), id_a.split("/")[0], "to", id_b.split("/")[0]),
                   "diff", "287(g) history",
                   about=ui.download_about(data, id_b, tables.filter_summary([("states", states)]),
                                           compared_with=f"ICE 287(g) sheet {label(id_a)}"))
st.caption(f"From — {ui.source_caption(data, id_a)}  \nTo — {ui.source_caption(data, id_b)}")

# --- Pending applications ---------------------------------------------------------------------
st.header("Pending applications")
pending = ui.timeline_pending(data)
if states:
    pending = pending[pending["state"].isin(states)]
pending_id = query.latest_publication_id(data.sheets, "pending", on_or_before=data.publication_date(id_b))
pending_rows = query.publication_rows(data.agreements, pending_id)
if states:
    pending_rows = pending_rows[pending_rows["state"].isin(states)]
newest_pending = query.latest_publication_id(data.sheets, "pending")
st.warning(f"Pending applications come from ICE's {query.pending_note(data.sheets, newest_pending)}: ICE updates "
           "this list less often than the participating one.", icon="🕰️")
p1, p2, p3 = st.columns(3)
p1.metric("Applications ever listed as pending", len(pending))
p2.metric("Agency later participating", int(pending["later_participating"].sum()))
p3.metric("Still pending in the latest pending sheet", int(pending["still_pending"].sum()))
st.dataframe(
    pending[["state", "agency", "model", "county_name", "first_pending", "last_pending", "still_pending",
             "later_participating", "participating_since", "model_participating_since"]],
    hide_index=True, width="stretch",
    column_config={
        "first_pending": st.column_config.DateColumn("First pending"),
        "last_pending": st.column_config.DateColumn("Last pending"),
        "participating_since": st.column_config.DateColumn("Participating since (any model)"),
        "model_participating_since": st.column_config.DateColumn("Same model participating since"),
        "still_pending": "Still pending", "later_participating": "Later participating",
        "county_name": "County", "agency": "Agency", "state": "State", "model": "Model",
    })
st.caption("“Later participating”: the same agency (state and name) is on a participating sheet on or after "
           "its first pending sheet, under any model.")
ui.table_downloads(history.export_table(pending, history.PENDING_EXTRA), tables.file_stem("pending-history", "_".join(states),
                   date=data.publication_date(newest_pending)), "pending", "287(g) history",
                   about=ui.download_about(data, newest_pending, tables.filter_summary([("states", states)]),
                                           pending_list=query.pending_note(data.sheets, newest_pending)))

st.subheader("Map: agreements and pending applications")
rows_b = data.publication(id_b)
summary = query.county_summary(rows_b[rows_b["state"].isin(states)] if states else rows_b)
spec = maps.county_map(summary, pending=pending_rows, only_states=tuple(states))
ui.show_map(spec, key="timeline-map", sheet_date=data.publication_date(id_b), filters=query.Filters(states=tuple(states)))
pending_text = (f"ICE's {query.pending_note(data.sheets, pending_id, id_b)}" if pending_id
                else "no pending sheet on or before that date")
st.caption(f"Counties shaded by agreements in {label(id_b)}; hollow circles: pending applications in {pending_text}.")
