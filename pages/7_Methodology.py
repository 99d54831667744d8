"""Methodology & data quality: where the data comes from, how agreements are placed on the map,
how many could not be, and the quirks of ICE's sheets we handle, all counted live from the data
(logic in :mod:`mapcore.analysis.methodology`). With no data loaded, the rules still read; only the
counts wait for the sheets."""

from __future__ import annotations

import streamlit as st

from mapcore.analysis import methodology
from mapcore.app import ui
from mapcore.core.text import external_link, md_text
from mapcore.ingest.population import RULES as population_rules

ui.setup_page("Methodology")
data = ui.app_data(required=False)
st.title("Methodology & data quality")

latest = data.latest_id() if data is not None else None
rows = data.publication(latest) if data is not None else None
when = data.publication_date(latest) if data is not None else None
if when is not None:
    st.info(f"Everything on this site shows ICE's participating-agencies sheet published **{when:%Y-%m-%d}** unless a "
            "page says otherwise.")

# --- Sources ------------------------------------------------------------------------------------
st.header("Sources", anchor=False)
laws = data.laws if data is not None else ui.laws()
if data is not None:
    sources = methodology.source_summary(data.sheets)
    part, pend = sources["participating"], sources["pending"]
    c1, c2, c3 = st.columns(3)
    c1.metric("Participating-agencies sheets", part["publications"])
    c2.metric("Pending-applications sheets", pend["publications"])
    c3.metric("Agreement rows read", f"{len(data.agreements):,}")


def span(info: dict) -> str:
    if not info["publications"]:
        return "none loaded"
    return f"{info['first']:%Y-%m-%d} to {info['last']:%Y-%m-%d}, newest file {md_text(info['newest_file'])}"


ice = external_link("ICE's 287(g) page", "https://www.ice.gov/identify-and-arrest/287g")
plotly_geo = external_link("plotly-geo", "https://pypi.org/project/plotly-geo/")
census = external_link("US Census Bureau cartographic boundary files",
                       "https://www.census.gov/geographies/mapping-files/time-series/geo/cartographic-boundary.html")
first_checked, last_checked = methodology.law_checked(laws)
confidence = methodology.law_confidence_counts(laws)
loaded = (f"Participating: {span(part)}. Pending: {span(pend)}." if data is not None
          else "No sheet is loaded yet (see the note above).")
st.markdown(
    f"- **ICE's sheets.** ICE posts two Excel sheets on {ice}: participating agencies (signed agreements) and "
    f"pending applications, replacing them as the list changes. We read every archived copy. {loaded}\n"
    f"- **Boundaries.** {census}, 2016, 1:500,000, as packaged by {plotly_geo}; simplified for the web. "
    "Alaska, Hawaii and Puerto Rico are drawn as insets on the national map.\n"
    f"- **State laws.** Our own table (data/state_laws.csv) of the 50 states and DC, each row with its laws, a "
    f"one-line summary, a source link and a confidence level ({confidence['high']} high, {confidence['medium']} medium, "
    f"{confidence['low']} low), checked "
    + (f"{first_checked:%Y-%m-%d}" if first_checked == last_checked else f"{first_checked:%Y-%m-%d} to {last_checked:%Y-%m-%d}")
    + ".\n"
    "- **Regional bodies.** Our own reviewed tables of the counties of Florida's judicial circuits "
    "(data/judicial_circuits.csv, from Florida Statutes § 26.021) and of regional jails and task forces "
    "(data/regional_agencies.csv); their sources are in data/README.md.",
    unsafe_allow_html=True,
)

# --- Placement ----------------------------------------------------------------------------------
st.header("How agreements are placed on the map", anchor=False)
st.markdown("ICE lists agencies, not places. Each agreement is put in a county by the first rule that works, in "
            "this order; state agencies are never spread over counties, and a regional body is named on each "
            "county it serves." + (" Counts are for the newest sheet." if rows is not None else ""))
# st.table wraps long text; only our own words go in it (ICE's text stays in st.dataframe, never markdown).
if rows is None:
    st.table(methodology.placement_rules().rename(columns={"method": "Method", "rule": "Rule"}), hide_index=True)
else:
    methods = methodology.placement_methods(rows)
    methods["share"] = methods["share"].map("{:.1f} %".format)
    st.table(methods.rename(columns={"method": "Method", "rule": "Rule", "agreements": "Agreements", "share": "Share"}),
             hide_index=True)
    rate = methodology.match_rate(rows)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("County & municipal agreements placed", f"{rate['in_county']:,} of {rate['county_or_municipal']:,}")
    m2.metric("Match rate", f"{100 * rate['rate']:.1f} %" if rate["rate"] is not None else "–")
    m3.metric("Statewide agreements (state level)", f"{rate['statewide']:,}")
    m4.metric("Regional bodies' agreements", f"{rate['regional']:,}", help="Placed in each county they serve.")
    unplaced = methodology.unplaced_table(rows)
    st.subheader(f"Not placed ({len(unplaced)})", anchor=False)
    if unplaced.empty:
        st.caption("Every county and municipal agreement of the newest sheet is placed.")
    else:
        st.dataframe(unplaced, hide_index=True, width="stretch")

# --- Quirks -------------------------------------------------------------------------------------
st.header("ICE's data quirks we handle", anchor=False)
st.markdown("ICE's sheets are typed by hand and change shape over time. Reading them, we keep every row we can and "
            "record what we changed." + (" Counts are over every sheet loaded." if data is not None else ""))
if data is None:
    st.caption("The counts of each quirk appear once ICE's sheets are loaded.")
    st.stop()
copies = data.dataset.meta.get("copies", [])
st.subheader("Values read through (no row lost)", anchor=False)
st.dataframe(methodology.value_quirks(data.agreements, data.sheets, copies), hide_index=True, width="stretch",
             column_config={"quirk": st.column_config.TextColumn("Quirk", width="medium"),
                            "examples": st.column_config.TextColumn("Examples", width="medium"),
                            "occurrences": "Rows", "handling": st.column_config.TextColumn("What we do", width="large")})
st.subheader("Problems recorded while reading", anchor=False)
kinds = methodology.problem_kinds(data.dataset.problems)
if kinds.empty:
    st.caption("No problem was recorded.")
else:
    st.dataframe(kinds, hide_index=True, width="stretch",
                 column_config={"quirk": st.column_config.TextColumn("Quirk", width="large"),
                                "handling": st.column_config.TextColumn("What we do", width="medium"),
                                "occurrences": "Times", "sheets": "Sheets",
                                "example": st.column_config.TextColumn("Example", width="large")})

st.subheader("Sheets reclassified by their content", anchor=False)
reclassified = methodology.reclassified_sheets(data.sheets)
st.markdown("A sheet's kind comes from its content, not its file name: a sheet with a SIGNED column lists signed "
            f"agreements, one without lists pending applications. **{len(reclassified)}** "
            f"sheet{'s were' if len(reclassified) != 1 else ' was'} named as one kind and read as the other.")
if len(reclassified):
    st.dataframe(reclassified, hide_index=True, width="stretch",
                 column_config={"file": "File", "publication_date": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
                                "name_says": "Name says", "read_as": "Read as", "why": "Why"})

st.subheader("Publication dates", anchor=False)
st.markdown("A sheet's publication date comes from its file name; when the name has a typo, the sheet's own "
            "content and save time decide.")
st.table(methodology.date_methods(data.sheets).rename(columns={"method": "Method", "meaning": "How the date was found",
                                                                "sheets": "Sheets"}), hide_index=True)
misnamed = methodology.file_name_quirks(data.sheets, copies)
if len(misnamed):
    with st.expander(f"{len(misnamed)} file name{'s' if len(misnamed) != 1 else ''} not printing the publication date cleanly"):
        st.dataframe(misnamed, hide_index=True, width="stretch",
                     column_config={"file": "File", "quirk": "Name's date",
                                    "publication_date": st.column_config.DateColumn("Publication date used", format="YYYY-MM-DD")})

# --- FBI agency records (ORI) -------------------------------------------------------------------
st.header("Linking agreements to the FBI's agency records (ORI)", anchor=False)
st.markdown("Each agency is linked to at most one agency of the FBI's roster of law-enforcement agencies in its state "
            "(FBI LEE data via 287g-watch, CC BY 4.0), by the first rule that works. An agency that fits none, or several, "
            "gets no ORI and is listed below with the reason: nothing is guessed. The ORI is in every download.")
ori_methods = methodology.ori_methods(rows)
ori_methods["share"] = ori_methods["share"].map("{:.1f} %".format)
st.table(ori_methods.rename(columns={"method": "Method", "rule": "Rule", "agreements": "Agreements", "share": "Share"}),
         hide_index=True)
ori_rates = methodology.ori_match_rates(rows)
for col, (key, label) in zip(st.columns(3), (("county", "County"), ("municipal", "Municipality"), ("state", "State"))):
    col.metric(f"{label} agreements with an ORI", f"{100 * ori_rates[key]:.1f} %" if ori_rates[key] is not None else "–")
no_ori = methodology.ori_unmatched_table(rows)
st.subheader(f"No ORI ({len(no_ori)})", anchor=False)
st.dataframe(no_ori, hide_index=True, width="stretch",
             column_config={"Why no ORI": st.column_config.TextColumn("Why no ORI", width="large")})
st.markdown("**Shares of agencies, officers and residents** (Home and State profile) count the FBI roster's agencies "
            "whose ORI an agreement was linked to, their officers, and the Census 2023 residents of counties whose sheriff "
            "or county jail has an agreement; an agency's own population served is never added up.\n"
            + "\n".join(f"- {rule}" for rule in population_rules))

st.caption(ui.source_caption(data, latest))
