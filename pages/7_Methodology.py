"""Methodology & data quality: where the data comes from, how agreements are placed on the map,
how many could not be, and the quirks of ICE's sheets we handle, all counted live from the data
(facts in :mod:`mapcore.analysis.methodology`, their words in :mod:`mapcore.words.methodology`). With no data
loaded, the rules still read; only the counts wait for the sheets."""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import methodology as facts
from mapcore.app import ui
from mapcore.core.i18n import N_, curated, format_day, format_number
from mapcore.words import methodology
from mapcore.words.methodology import share

ui.setup_page(N_("Methodology & data quality"))   # the menu's name, translated by setup_page
data = ui.app_data(required=False)
st.title(curated("Methodology & data quality"))

latest = data.latest_id() if data is not None else None
rows = data.publication(latest) if data is not None else None
when = data.publication_date(latest) if data is not None else None
if when is not None:
    st.info(curated("Everything on this site shows ICE's participating-agencies sheet published **{date}** unless a "
                    "page says otherwise.").format(date=format_day(when)))

# --- Sources ------------------------------------------------------------------------------------
st.header(curated("Sources"), anchor=False)
laws = data.laws if data is not None else ui.laws()
sources = facts.source_summary(data.sheets) if data is not None else None
if sources is not None:
    c1, c2, c3 = st.columns(3)
    c1.metric(curated("Participating-agencies sheets"), format_number(sources["participating"]["publications"]))
    c2.metric(curated("Pending-applications sheets"), format_number(sources["pending"]["publications"]))
    c3.metric(curated("Agreement rows read"), format_number(len(data.agreements)))
st.markdown(methodology.sources_markdown(sources, laws), unsafe_allow_html=True)

# --- Placement ----------------------------------------------------------------------------------
st.header(curated("How agreements are placed on the map"), anchor=False)
st.markdown(curated("ICE lists agencies, not places. Each agreement is put in a county by the first rule that works, "
                    "in this order; state agencies are never spread over counties, and a regional body is named on "
                    "each county it serves.") + (" " + curated("Counts are for the newest sheet.") if rows is not None else ""))
RULE_COLUMNS = {"method": curated("Method"), "rule": curated("Rule"), "agreements": curated("Agreements"),
                "share": curated("Share")}
# st.table wraps long text; only our own words go in it (ICE's text stays in st.dataframe, never markdown).
if rows is None:
    st.table(methodology.placement_rules().rename(columns=RULE_COLUMNS), hide_index=True)
else:
    methods = methodology.placement_methods(rows)
    methods["share"] = methods["share"].map(share)
    st.table(methods.rename(columns=RULE_COLUMNS), hide_index=True)
    rate = facts.match_rate(rows)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(curated("County & municipal agreements placed"), curated("{placed} of {total}").format(
        placed=format_number(rate["in_county"]), total=format_number(rate["county_or_municipal"])))
    m2.metric(curated("Match rate"), share(100 * rate["rate"]) if rate["rate"] is not None else "–")
    m3.metric(curated("Statewide agreements (state level)"), format_number(rate["statewide"]))
    m4.metric(curated("Regional bodies' agreements"), format_number(rate["regional"]),
              help=curated("Placed in each county they serve."))
    unplaced = methodology.unplaced_table(rows)
    st.subheader(curated("Not placed ({n})").format(n=format_number(len(unplaced))), anchor=False)
    if unplaced.empty:
        st.caption(curated("Every county and municipal agreement of the newest sheet is placed."))
    else:
        st.dataframe(unplaced, hide_index=True, width="stretch")

# --- Quirks -------------------------------------------------------------------------------------
st.header(curated("ICE's data quirks we handle"), anchor=False)
st.markdown(curated("ICE's sheets are typed by hand and change shape over time. Reading them, we keep every row we can "
                    "and record what we changed.")
            + (" " + curated("Counts are over every sheet loaded.") if data is not None else ""))
if data is None:
    st.caption(curated("The counts of each quirk appear once ICE's sheets are loaded."))
    st.stop()
copies = data.dataset.meta.get("copies", [])
st.subheader(curated("Values read through (no row lost)"), anchor=False)
st.dataframe(methodology.value_quirks(data.agreements, data.sheets, copies), hide_index=True, width="stretch",
             column_config={"quirk": st.column_config.TextColumn(curated("Quirk"), width="medium"),
                            "examples": st.column_config.TextColumn(curated("Examples"), width="medium"),
                            "occurrences": curated("Rows"),
                            "handling": st.column_config.TextColumn(curated("What we do"), width="large")})
st.subheader(curated("Problems recorded while reading"), anchor=False)
kinds = methodology.problem_kinds(data.dataset.problems)
if kinds.empty:
    st.caption(curated("No problem was recorded."))
else:
    st.dataframe(kinds, hide_index=True, width="stretch",
                 column_config={"quirk": st.column_config.TextColumn(curated("Quirk"), width="large"),
                                "handling": st.column_config.TextColumn(curated("What we do"), width="medium"),
                                "occurrences": curated("Times"), "sheets": curated("Sheets"),
                                "example": st.column_config.TextColumn(curated("Example"), width="large")})

st.subheader(curated("Sheets reclassified by their content"), anchor=False)
reclassified = methodology.reclassified_sheets(data.sheets)
st.markdown(curated("A sheet's kind comes from its content, not its file name: a sheet with a SIGNED column lists "
                    "signed agreements, one without lists pending applications.") + " "
            + (curated("**{n}** sheet was named as one kind and read as the other.") if len(reclassified) == 1 else
               curated("**{n}** sheets were named as one kind and read as the other.")).format(
                   n=format_number(len(reclassified))))
if len(reclassified):
    st.dataframe(reclassified, hide_index=True, width="stretch",
                 column_config={"file": curated("File"),
                                "publication_date": st.column_config.DateColumn(curated("Published"), format="YYYY-MM-DD"),
                                "name_says": curated("Name says"), "read_as": curated("Read as"), "why": curated("Why")})

st.subheader(curated("Publication dates"), anchor=False)
st.markdown(curated("A sheet's publication date comes from its file name; when the name has a typo, the sheet's own "
                    "content and save time decide."))
st.table(methodology.date_methods(data.sheets).rename(columns={
    "method": curated("Method"), "meaning": curated("How the date was found"), "sheets": curated("Sheets")}),
    hide_index=True)
misnamed = methodology.file_name_quirks(data.sheets, copies)
if len(misnamed):
    with st.expander((curated("{n} file name not printing the publication date cleanly") if len(misnamed) == 1 else
                      curated("{n} file names not printing the publication date cleanly")).format(
                          n=format_number(len(misnamed)))):
        st.dataframe(misnamed, hide_index=True, width="stretch",
                     column_config={"file": curated("File"), "quirk": curated("Name's date"),
                                    "publication_date": st.column_config.DateColumn(curated("Publication date used"),
                                                                                    format="YYYY-MM-DD")})

# --- FBI agency records (ORI) -------------------------------------------------------------------
st.header(curated("Linking agreements to the FBI's agency records (ORI)"), anchor=False)
st.markdown(curated("Each agency is linked to at most one agency of the FBI's roster of law-enforcement agencies in its "
                    "state (FBI LEE data via 287g-watch, CC BY 4.0), by the first rule that works. An agency that fits "
                    "none, or several, gets no ORI and is listed below with the reason: nothing is guessed. The ORI is "
                    "in every download."))
ori_methods = methodology.ori_methods(rows)
ori_methods["share"] = ori_methods["share"].map(share)
st.table(ori_methods.rename(columns=RULE_COLUMNS), hide_index=True)
for col, (label, value) in zip(st.columns(3), methodology.ori_rate_metrics(facts.ori_match_rates(rows))):
    col.metric(label, value)
no_ori = methodology.ori_unmatched_table(rows)
st.subheader(curated("No ORI ({n})").format(n=format_number(len(no_ori))), anchor=False)
why = curated("Why no ORI")
st.dataframe(no_ori, hide_index=True, width="stretch", column_config={why: st.column_config.TextColumn(why, width="large")})
st.markdown(methodology.shares_markdown())

st.caption(ui.source_caption(data, latest))
