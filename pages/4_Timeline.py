"""Timeline: how ICE's 287(g) lists grew and what changed between any two publications.

Thin page: identity, diffs and pending history live in :mod:`mapcore.analysis.history`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from mapcore.analysis import history, query
from mapcore.app import ui
from mapcore.core import tables
from mapcore.core.i18n import N_, _, format_day, format_number, ngettext
from mapcore.core.schema import PublicationId, sheet_file_name
from mapcore.geo.boundaries import county_table
from mapcore.render import charts, maps
from mapcore.render.caption import spread_caption

ui.setup_page(N_("Timeline"))
data = ui.app_data()

LABELS = {str(i): f"{format_day(d)} · {sheet_file_name(i)}"
          for i, d in zip(data.sheets["publication_id"], data.sheets["publication_date"])}


def label(publication_id: str) -> str:
    """'2026-04-30 · participatingAgencies04302026am.xlsx' (one look-up: the selectboxes call it per option)."""
    return LABELS.get(str(publication_id), str(publication_id))


def link_columns() -> dict:
    return {
        "moa_url": st.column_config.LinkColumn(_("MOA"), display_text=_("MOA")),
        "signed": st.column_config.DateColumn(_("Signed")),
        "signed_before": st.column_config.DateColumn(_("Signed before")),
        "back_in": st.column_config.DateColumn(_("Listed again")),
        "jurisdiction_type": _("Type"), "county_name": _("County"), "agency": _("Agency"), "state": _("State"),
        "model": _("Model"), "returns_later": _("Back later"), "seen_before": _("Listed before"),
        "switched": _("Model switch"), "note": _("Note"), "models_before": _("Models before"),
        "models_after": _("Models after"), "gained": _("Gained"), "lost": _("Lost"),
    }


def show_table(frame: pd.DataFrame, columns: list[str], empty: str) -> None:
    if frame.empty:
        st.caption(empty)
        return
    shown = frame[[c for c in columns if c in frame]].sort_values(["state", "agency"])
    if "note" in shown:   # our own words (the download keeps them in English)
        shown = shown.assign(note=shown["note"].map(lambda v: _(v) if isinstance(v, str) and v else v))
    st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns())


keyed = ui.keyed_agreements(data)
participating = query.publications(data.sheets, "participating")
ids = [str(p) for p in participating["publication_id"]]
if len(ids) < 1:
    st.info(_("No participating-agencies sheet is loaded."))
    st.stop()

st.title(_("Timeline of 287(g) agreements"))
ui.show_data_age(data)
st.caption(_("From {n} ICE participating-agencies sheets and {pending} pending-applications sheets, {first} to {last}.").format(
    n=format_number(len(ids)), pending=format_number(len(query.publications(data.sheets, "pending"))),
    first=format_day(participating["publication_date"].min()),
    last=format_day(participating["publication_date"].max())))

# --- Growth -----------------------------------------------------------------------------------
summary = ui.timeline(data)   # computed once per dataset: every later visit starts drawing at once
growth, signings, gaps = summary.growth, summary.signings, summary.gaps
left, right = st.columns(2)
with left:
    st.subheader(_("Agreements listed in each publication"))
    st.altair_chart(charts.model_chart(growth, "publication_date", _("Publication date"), "area", gaps=gaps), width="stretch")
    gap_text = ""
    if len(gaps):
        longest = gaps.loc[gaps["days"].idxmax()]
        gap_text = " " + ngettext(
            "Grey bands: {n} gap of {days} days or more with no sheet in our record (longest {start} to {end}, {longest} "
            "days): what happened inside a gap is not known.",
            "Grey bands: {n} gaps of {days} days or more with no sheet in our record (longest {start} to {end}, {longest} "
            "days): what happened inside a gap is not known.", len(gaps)).format(
                n=len(gaps), days=history.GAP_DAYS, start=format_day(longest["start"]),
                end=format_day(longest["end"]), longest=longest["days"])
    st.caption(_("Stacked by model; the last sheet of each day, each count held until the next sheet. Latest: {n} "
                 "agreements in {sheet}.").format(n=format_number(growth["total"].iloc[-1]), sheet=label(ids[-1])) + gap_text)
with right:
    st.subheader(_("Cumulative signings by SIGNED date"))
    early = st.toggle(_("Include signings before 2025"), value=False, key="tl_early")
    shown = signings if early else signings[signings["signed"] >= pd.Timestamp("2025-01-01")]
    st.altair_chart(charts.model_chart(shown, "signed", _("Signed"), "line"), width="stretch")
    undated = signings.attrs.get("undated", 0)
    ever = int(signings["total"].iloc[-1]) if len(signings) else 0
    st.caption((_("Every agreement ever listed as participating ({n}, including ones later dropped), counted once at its "
                  "earliest SIGNED date; {undated} without a date left out.") if undated else
                _("Every agreement ever listed as participating ({n}, including ones later dropped), counted once at its "
                  "earliest SIGNED date.")).format(n=format_number(ever), undated=format_number(undated)))

all_states = sorted(str(s) for s in keyed.loc[keyed["kind"] == "participating", "state"].dropna().unique())

# --- The spread over time ---------------------------------------------------------------------
st.header(_("The spread over time"))
spread_states = [s for s in all_states if s in set(county_table()["state"])]  # states the map can draw
ui.seed_from_url("tl_spread", "spread", lambda raw: raw if raw in spread_states else None, "")
area = st.selectbox(_("Area"), ["", *spread_states], key="tl_spread",
                    format_func={s: _("{state}: every day with a sheet").format(state=s) if s
                                 else _("All states: month by month") for s in ["", *spread_states]}.get)
spread_area = (area,) if area else ()
every = "day" if area else "month"
steps = ui.spread_steps(data, spread_area, every)
if steps:
    spread_spec = maps.spread_map(steps, spread_area)
    ui.show_map(spread_spec, key="timeline-spread",
                caption=spread_caption(steps[0].label, steps[-1].label, every, query.Filters(states=spread_area)))
    steps_text = (ngettext("{n} month, the last sheet of each month", "{n} months, the last sheet of each month", len(steps))
                  if every == "month" else
                  ngettext("{n} day, the last sheet of each day", "{n} days, the last sheet of each day", len(steps)))
    st.caption(_("Counties shaded by the agreements listed on ICE's participating-agencies sheets: {steps}, from the "
                 "first to the newest; drag the slider or press Play. Statewide agencies and regional bodies count in "
                 "the total, not on a county. The GIF and MP4 of the same frames are under “Download this map”.").format(
        steps=steps_text.format(n=format_number(len(steps)))))

# --- Compare two publications -----------------------------------------------------------------
st.header(_("What changed between two publications"))
default_to = ids[-1]
default_from = query.previous_publication_id(data.sheets, default_to) or default_to
ui.seed_from_url("tl_from", "from", lambda raw: raw if raw in ids else None, default_from)
ui.seed_from_url("tl_to", "to", lambda raw: raw if raw in ids else None, default_to)
ui.seed_from_url("tl_states", "states", lambda raw: [s for s in raw.split(",") if s in all_states], [])

c1, c2, c3 = st.columns([2, 2, 3])
id_a = c1.selectbox(_("From publication"), ids, key="tl_from", format_func=label)
id_b = c2.selectbox(_("To publication"), ids, key="tl_to", format_func=label)
states = c3.multiselect(_("States"), all_states, key="tl_states", placeholder=_("All states"))
ui.set_query_params({"from": id_a, "to": id_b, "states": states, "spread": area})

diff = history.diff_between(keyed, data.sheets, id_a, id_b, states, presence=ui.timeline_presence(data, "participating"))
if ids.index(id_a) > ids.index(id_b):
    st.warning(_("“From” is newer than “To”: changes are read backwards in time."))
counts = diff.counts()
where = ", ".join(states) if states else _("all states")
st.markdown(_("**{before}** agreements in {sheet_a} → **{after}** in {sheet_b} ({where}).").format(
    before=format_number(diff.count_before), sheet_a=label(id_a), after=format_number(diff.count_after),
    sheet_b=label(id_b), where=where))
CHANGES = {"added": _("Added"), "removed": _("Removed"), "renewed": _("Renewed"), "switched": _("Switched")}
m1, m2, m3, m4 = st.columns(4)
for col, change in zip((m1, m2, m3, m4), CHANGES):
    col.metric(CHANGES[change], format_number(int(counts.at[change, "total"])))
st.dataframe(counts.rename(index=lambda k: CHANGES.get(str(k), str(k)), columns={"total": _("Total")}), width="content")
st.caption(_("Added/removed: agreements (state, agency, model) listed in only one of the two sheets; agency names are "
             "matched through ICE's spelling corrections. Renewed: same agreement, another SIGNED date. Switched: "
             "agencies in both sheets whose set of models changed; their rows are also counted in added/removed. "
             "Counts per model for switched count agencies gaining or losing that model."))

common = ["state", "agency", "jurisdiction_type", "county_name", "model", "signed", "moa_url"]
tabs = st.tabs([f"{CHANGES['added']} ({len(diff.added)})", f"{CHANGES['removed']} ({len(diff.removed)})",
                f"{CHANGES['renewed']} ({len(diff.renewed)})", f"{CHANGES['switched']} ({len(diff.switched)})"])
with tabs[0]:
    show_table(diff.added, [*common, "switched", "seen_before"], _("Nothing added."))
    if len(diff.added) and diff.added["seen_before"].any():
        st.caption(_("“Listed before”: on an earlier sheet, missing from the “From” sheet, listed again now."))
with tabs[1]:
    show_table(diff.removed, [*common, "switched", "returns_later", "back_in"], _("Nothing removed."))
    if len(diff.removed) and diff.removed["returns_later"].any():
        st.caption(_("“Back later”: absent from the “To” sheet but listed again in a later sheet (a gap, not an end)."))
with tabs[2]:
    show_table(diff.renewed, ["state", "agency", "county_name", "model", "signed_before", "signed", "note", "moa_url"],
               _("No agreement re-dated."))
with tabs[3]:
    show_table(diff.switched, ["state", "agency", "models_before", "models_after", "gained", "lost"],
               _("No agency changed models."))
ui.table_downloads(history.diff_table(diff),
                   tables.file_stem("changes", "_".join(states), PublicationId.parse(id_a).date, "to", PublicationId.parse(id_b).date),
                   "diff", "287(g) history",
                   about=ui.download_about(data, id_b, tables.filter_summary([("states", states)]),
                                           compared_with=f"ICE 287(g) sheet {label(id_a)}"))
st.caption(_("From — {source_a}  \nTo — {source_b}").format(source_a=ui.source_caption(data, id_a),
                                                            source_b=ui.source_caption(data, id_b)))

# --- Pending applications ---------------------------------------------------------------------
st.header(_("Pending applications"))
pending = ui.timeline_pending(data)
if states:
    pending = pending[pending["state"].isin(states)]
pending_id = query.latest_publication_id(data.sheets, "pending", on_or_before=data.publication_date(id_b))
pending_rows = query.publication_rows(data.agreements, pending_id)
if states:
    pending_rows = pending_rows[pending_rows["state"].isin(states)]
newest_pending = query.latest_publication_id(data.sheets, "pending")
st.warning(_("Pending applications come from ICE's {note}: ICE updates this list less often than the participating "
             "one.").format(note=query.pending_note(data.sheets, newest_pending)), icon="🕰️")
p1, p2, p3 = st.columns(3)
p1.metric(_("Applications ever listed as pending"), format_number(len(pending)))
p2.metric(_("Agency later participating"), format_number(int(pending["later_participating"].sum())))
p3.metric(_("Still pending in the latest pending sheet"), format_number(int(pending["still_pending"].sum())))
st.dataframe(
    pending[["state", "agency", "model", "county_name", "first_pending", "last_pending", "still_pending",
             "later_participating", "participating_since", "model_participating_since"]],
    hide_index=True, width="stretch",
    column_config={
        "first_pending": st.column_config.DateColumn(_("First pending")),
        "last_pending": st.column_config.DateColumn(_("Last pending")),
        "participating_since": st.column_config.DateColumn(_("Participating since (any model)")),
        "model_participating_since": st.column_config.DateColumn(_("Same model participating since")),
        "still_pending": _("Still pending"), "later_participating": _("Later participating"),
        "county_name": _("County"), "agency": _("Agency"), "state": _("State"), "model": _("Model"),
    })
st.caption(_("“Later participating”: the same agency (state and name) is on a participating sheet on or after its "
             "first pending sheet, under any model."))
ui.table_downloads(history.export_table(pending, history.PENDING_EXTRA), tables.file_stem("pending-history", "_".join(states),
                   date=data.publication_date(newest_pending)), "pending", "287(g) history",
                   about=ui.download_about(data, newest_pending, tables.filter_summary([("states", states)]),
                                           pending_list=query.pending_note(data.sheets, newest_pending)))

st.subheader(_("Map: agreements and pending applications"))
rows_b = data.publication(id_b)
summary = query.county_summary(rows_b[rows_b["state"].isin(states)] if states else rows_b)
spec = maps.county_map(summary, pending=pending_rows, only_states=tuple(states))
ui.show_map(spec, key="timeline-map", sheet_date=data.publication_date(id_b), filters=query.Filters(states=tuple(states)))
pending_text = (_("ICE's {note}").format(note=query.pending_note(data.sheets, pending_id, id_b)) if pending_id
                else _("no pending sheet on or before that date"))
st.caption(_("Counties shaded by agreements in {sheet}; hollow circles: pending applications in {pending}.").format(
    sheet=label(id_b), pending=pending_text))
