"""Explore: filter the agreements by model, state, type, signed date, state law and status; map, table
and downloads stay in sync, and the URL holds the filters so a copied link reopens the same view."""

import dataclasses
import datetime as dt

import streamlit as st

from mapcore.analysis import query
from mapcore.analysis.pending import SIGNED_SINCE, split_pending
from mapcore.app import page_parts, ui, urlstate
from mapcore.core import tables
from mapcore.core.columns import AGREEMENT_COLUMNS
from mapcore.core.config import today
from mapcore.core.i18n import N_, _, format_number, ngettext
from mapcore.core.schema import model_label, model_name
from mapcore.render import caption, export, maps
from mapcore.words import law as law_words
from mapcore.words import sheets as sheet_words
from mapcore.words.pending import signed_since_note

ui.setup_page(N_("Explore"))
data = ui.app_data()
st.title(_("Explore 287(g) agreements"))
ui.show_data_age(data)

view = urlstate.view_from_params(st.query_params.to_dict(), known_statuses=set(page_parts.law_options()))
KIND_LABELS = {"participating": _("Participating (signed)"), "pending": _("Pending applications")}

# A wide screen keeps the filters in the sidebar; a phone (whose sidebar is hidden) gets them on the page.
with st.expander(_("Filters"), icon=":material/filter_list:") if ui.is_phone() else st.sidebar:
    if not ui.is_phone():
        st.header(_("Filters"))
    kind = st.radio(_("Agreements"), list(KIND_LABELS), index=list(KIND_LABELS).index(view.kind),
                    format_func=KIND_LABELS.get, horizontal=True, key="kind")
    if st.session_state.get("_explore_kind") != kind:   # another kind's list: its own newest publication
        st.session_state.pop("pub", None)
        st.session_state["_explore_kind"] = kind
    publications = data.publications(kind)
    dates = page_parts.publication_days(data, kind)
    ids = list(publications["publication_id"])
    default_pub, exact = query.sheet_index_for(dates, view.publication if kind == view.kind else None)
    pub_index = st.selectbox(_("ICE publication"), range(len(ids)), index=max(default_pub, 0),
                             format_func=page_parts.publication_labels(data, kind).__getitem__, key="pub")
    publication_id = ids[pub_index] if ids else None
    rows = data.publication(publication_id)

    # Choices come from every sheet of both kinds, not only the one shown, so switching to the pending
    # list (fewer states) keeps what the user chose; a chosen state with no row there is said below.
    choose = _("Choose options")   # Streamlit's own placeholder, in the reader's language
    models = st.multiselect(_("Model"), list(page_parts.model_options()), default=list(view.filters.models), placeholder=choose,
                            format_func=page_parts.model_options().get, key="models")
    state_choices = sorted(set(page_parts.dataset_states(data)) | set(view.filters.states))
    states = st.multiselect(_("State"), state_choices, default=[s for s in view.filters.states if s in state_choices],
                            placeholder=choose, key="states")
    type_choices = page_parts.dataset_types(data)
    types = st.multiselect(_("Jurisdiction type"), type_choices, placeholder=choose,
                           format_func={t: page_parts.type_label(t) for t in type_choices}.get,
                           default=[t for t in view.filters.types if t in type_choices], key="types")
    law = st.multiselect(_("State law on 287(g)"), list(page_parts.law_options()), default=list(view.filters.law_statuses),
                         placeholder=choose, format_func=page_parts.law_options().get, key="law")
    signed = rows["signed"].dropna()
    low = signed.min().date() if len(signed) else dt.date(2000, 1, 1)
    high = signed.max().date() if len(signed) else today()
    use_dates = kind == "participating" and len(signed) > 0
    signed_range = st.date_input(_("Signed between"), value=(view.filters.signed_from or low, view.filters.signed_to or high),
                                 min_value=min(low, view.filters.signed_from or low), max_value=max(high, view.filters.signed_to or high),
                                 disabled=not use_dates, key="signed", format="YYYY-MM-DD",
                                 help=None if use_dates else _("Pending applications have no signed date; the range "
                                                               "is kept for the participating list."))
    text = st.text_input(_("Agency name contains"), value=view.filters.text, key="q", max_chars=urlstate.MAX_TEXT_CHARS)
    level = st.radio(_("Map"), ["county", "state"], index=["county", "state"].index(view.level),
                     format_func={"county": _("Counties"), "state": _("States")}.get, horizontal=True, key="level")
    show_law = st.toggle(_("Outline states by their 287(g) law"), value=False, key="explore-law")

# A signed-date range applies to signed agreements only; with pending applications it stays in the URL
# (unapplied) so switching back restores it.
signed_from, signed_to = view.filters.signed_from, view.filters.signed_to
if use_dates and isinstance(signed_range, (tuple, list)) and len(signed_range) == 2:
    signed_from = signed_range[0] if signed_range[0] != low else None
    signed_to = signed_range[1] if signed_range[1] != high else None
chosen = query.Filters(models=tuple(models), states=tuple(states), types=tuple(types), law_statuses=tuple(law),
                       signed_from=signed_from, signed_to=signed_to, text=text.strip()[:urlstate.MAX_TEXT_CHARS])
filters = chosen if use_dates else dataclasses.replace(chosen, signed_from=None, signed_to=None)
current = urlstate.View(chosen, kind, dates[pub_index] if ids and pub_index != len(ids) - 1 else None, level)
ui.set_query_params(urlstate.params_from_view(current))
if not exact and ids and pub_index == default_pub:   # a link to a day with no sheet: say which one is shown
    st.info(sheet_words.asked_sheet_note(str(view.publication), dates[pub_index]), icon="🗓️")

pending = kind == "pending"
filtered = query.apply_filters(rows, filters)
signed = filtered.iloc[0:0]
if pending:   # applications a later participating sheet lists: signed since, shown apart, not counted
    filtered, signed = split_pending(filtered, data.agreements, data.sheets)
figures = page_parts.headline(filtered)
cols = st.columns(6)
cols[0].metric(_("Applications") if pending else _("Agreements"), format_number(figures["agreements"]))
for col, model in zip(cols[1:4], page_parts.MODELS):
    col.metric(model_label(model), format_number(figures[model]), help=model_name(model))
label, value, help_text = page_parts.states_metric(figures)
cols[4].metric(label, value, help=help_text)
cols[5].metric(_("Agencies"), format_number(figures["agencies"]))
if pending:
    st.warning(_("Pending applications, from ICE's {note}: ICE updates this list less often than the participating "
                 "one.").format(note=sheet_words.pending_note(data.sheets, publication_id)), icon="🕰️")
missing = page_parts.missing_states(data, publication_id, states)
if missing:
    st.info((_("No pending application in {states} in this pending list; the filter is kept.") if pending
             else _("No agreement in {states} in this sheet; the filter is kept.")).format(states=", ".join(missing)),
            icon="ℹ️")
st.caption(ui.source_caption(data, publication_id) + (" " + _("Showing pending applications.") if pending else ""))

if level == "county":
    statewide = query.level_rows(filtered, "statewide")
    spec = maps.county_map(query.county_summary(filtered), laws=data.laws_on(publication_id), statewide=statewide,
                           only_states=tuple(states) if 0 < len(states) <= 6 else (), show_law=show_law)
else:
    spec = maps.state_map(query.state_summary(filtered), laws=data.laws_on(publication_id), show_law=show_law)
ui.show_map(spec, key="explore-map", rows=filtered, noun="pending application" if pending else "agreement",
            sheet_date=data.publication_date(publication_id), filters=filters, kind=kind)
st.caption(law_words.in_force_caption(data.publication_date(publication_id)) + " "
           + _("The law filter and the table's State law column use the law in force on the sheet's date."))

st.subheader((ngettext("{n} pending application", "{n} pending applications", len(filtered)) if pending
              else ngettext("{n} agreement", "{n} agreements", len(filtered))).format(n=format_number(len(filtered))))
more = ui.column_picker("explore-columns", [c for c in AGREEMENT_COLUMNS if c not in ("agency", "model", "county_name", "signed")])
ui.paged_dataframe(page_parts.display_rows(data, publication_id, filtered), key="explore-table",
                   column_config=page_parts.link_columns(st.column_config), column_order=page_parts.shown_columns(more))
if len(signed):
    with st.expander(signed_since_note(signed)):
        st.dataframe(page_parts.display_table(signed, extra={SIGNED_SINCE: _("Signed since: listed as participating from")}),
                     hide_index=True, width="stretch", column_config=page_parts.link_columns(st.column_config))

stem = tables.file_stem(*query.filter_parts(filters), "pending" if pending else None, date=dates[pub_index] if ids else None)
about = ui.download_about(data, publication_id, "; ".join(caption.filter_words(filters, kind)) or None,
                          kind=_("pending applications") if pending else _("participating agreements"))
if pending:
    about["Pending list"] = sheet_words.pending_note(data.sheets, publication_id)
ui.download_buttons(stem, "dl", {"csv": page_parts.csv_download(data, publication_id, filtered),
                                  "xlsx": lambda: export.to_excel_bytes(filtered, about=about),
                                  "geojson": lambda: export.to_geojson_bytes(filtered, data.counties, data.states)})
st.caption(_("Downloads hold exactly the rows in the table above, with machine column names (the same in every "
             "language). GeoJSON places each agreement at a point inside its county (statewide agencies inside their "
             "state); agreements that could not be placed have no geometry."))
ui.footer()
