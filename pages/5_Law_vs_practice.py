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
from mapcore.analysis.law_on_day import DAY_UNKNOWN_NOTE, UNCONFIRMED, in_force_caption, law_changes
from mapcore.app import ui
from mapcore.core.i18n import N_, _, curated, format_day, format_number, format_percent, ngettext
from mapcore.core.text import external_link, is_http_url, md_text
from mapcore.reference.laws import STATUS_LABELS
from mapcore.words import compliance as compliance_words
from mapcore.words import places
from mapcore.words import sheets as sheet_words

ui.setup_page(N_("Law vs practice"))
data = ui.app_data()

# The tabs by stable key (the URL's ?tab=, the same in every language) and label.
TABS = {"restrict": N_("States that restrict"), "mandate": N_("States that mandate"), "changes": N_("Law changes")}
OLD_TABS = {N_("Agreements where state law restricts 287(g)"): "restrict",   # labels links carried before the keys
            N_("Sheriffs not listed where state law mandates it"): "mandate"}
DATE_FORMAT = "YYYY-MM-DD"


def date_columns(*names: str) -> dict:
    return {name: st.column_config.DateColumn(_(name), format=DATE_FORMAT) for name in names}


# Columns whose cells are our own words (statuses, scopes, relations), shown in the reader's language; the
# downloads keep the English table. ICE's values and the law citations are never translated.
WORD_COLUMNS = ("Name", "Law", "Scope", "Law scope", "Level", "Relation to the law", "Status", "Duty on the sheet's date",
                "From", "To", "Confidence", "Counted as sheriff because")


def translated_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A display copy of ``frame`` with the cells of :data:`WORD_COLUMNS` translated (when the catalog has them)."""
    out = frame.copy()
    for column in WORD_COLUMNS:
        if column in out:
            out[column] = out[column].map(lambda v: _(v) if isinstance(v, str) and v else v)
    if "Laws" in out:   # the law table's citations: their words in domain texts, like the summaries
        out["Laws"] = out["Laws"].map(lambda v: curated(v) if isinstance(v, str) and v else v)
    if "Law in force from" in out:   # "2026 (date of law not known to the day)": the words, not the year
        out["Law in force from"] = out["Law in force from"].map(
            lambda v: _(v) if v == "not known" else v.replace(DAY_UNKNOWN_NOTE, _(DAY_UNKNOWN_NOTE)) if isinstance(v, str) else v)
    return out


def labels(frame: pd.DataFrame, config: dict | None = None) -> dict:
    """Column labels in the reader's language (headers listed in mapcore.core.columns), then ``config``:
    the table keeps its English headers, which the downloads use."""
    return {str(c): _(str(c)) for c in frame.columns} | (config or {})


st.title(_("Law versus practice"))
st.markdown(_("ICE's 287(g) sheets set against each state's law, to the day: agreements listed where the law bans or "
              "restricts 287(g), and counties whose sheriff is not listed where the law requires sheriffs to join."))
st.info(_(compliance.INFERENCE_NOTE), icon="⚖️")

names = {code: places.state_name(code) for code in data.laws["state"].astype(str)}   # in the reader's language
newest = data.latest_id()
newest_date = data.publication_date(newest)


def restrict_view() -> None:
    presence, per_state = ui.law_restricted(data)
    listed = per_state[per_state["ever_listed"] > 0]
    st.subheader(_("Agreements where state law restricts 287(g)"))
    after = per_state["listed_after_law"] + per_state["listed_after_deadline"]
    banned = int(after[per_state["law_status"] == "prohibits"].sum())
    limited = int(after[per_state["law_status"] == "restricts"].sum())
    st.markdown(_(
        "ICE's sheets list agreements in **{listed} of {states}** states whose newest law prohibits or restricts 287(g); "
        "**{newest}** of those agreements are in the newest sheet. **{banned}** were listed on or after a ban took "
        "effect, and **{limited}** on or after a law that restricts 287(g) without barring it. Each agreement is "
        "compared with the law's effective date and deadline to the day; where only the law's year is known the page "
        "says *date of law not known to the day*, and an agreement that left between two sheets with the law's date "
        "between them *left between* those sheets.").format(
            listed=format_number(len(listed)), states=format_number(len(per_state)),
            newest=format_number(int(per_state["in_newest"].sum())), banned=format_number(banned),
            limited=format_number(limited)))
    shown = compliance.states_table(per_state)
    st.dataframe(translated_cells(shown), hide_index=True, width="stretch",
                 column_config=labels(shown, date_columns("Deadline") | {
                     "Source": st.column_config.LinkColumn(_("Source"), display_text=_("Open source"))}))
    ui.table_downloads(shown, "287g-restrictive-states-by-state", "restrict-states", "287(g) law vs practice")
    st.markdown(_("**Every agreement listed in these states**, with the first and last ICE sheet listing it and the "
                  "first sheet without it"))
    table = compliance_words.presence_table(presence, newest_date)   # the download's: "In words" in English
    in_words = table.assign(**{"In words": compliance_words.relation_texts(presence, newest_date)})   # the reader's
    st.dataframe(translated_cells(in_words), hide_index=True, width="stretch", height=420,
                 column_config=labels(table, date_columns("Deadline", "First seen", "Last seen", "First sheet without it")))
    ui.table_downloads(table, "287g-restrictive-states", "restrict", "287(g) law vs practice")
    if not presence.empty:
        # The chart runs (and is sent) only once opened: the tables above are the page's first content.
        chart = st.expander(_("Chart: agreements listed per ICE sheet, state by state"), key="lvp-chart", on_change="rerun")
        if chart.open is not False:
            with chart:
                from mapcore.render import charts  # Altair is imported only for the chart

                series, windows = ui.law_restricted_chart(data)
                st.markdown(_("Solid blue: every agreement listed; orange dashed: only those the law's scope reaches. "
                              "Dotted line: the law's effective date (grey band: up to its deadline, or the law's year when "
                              "only the year is known), drawn only when it falls within the sheets' range."))
                st.altair_chart(charts.law_timeline_chart(series, windows, names, columns=1 if ui.is_phone() else 3), width="content")
    with st.expander(_("What this does and does not show")):
        st.markdown("\n".join(f"- {line}" for line in compliance.restricted_caveats()))
    st.caption(ui.source_caption(data, newest) + " " + _("Law table: data/state_laws.csv (checked by hand; low-confidence "
                                                         "rows marked {unconfirmed}).").format(unconfirmed=_(UNCONFIRMED)))


def mandate_view() -> None:
    st.subheader(_("Sheriffs not listed where state law mandates 287(g)"))
    gaps = ui.law_mandate_gaps(data)
    states = compliance.mandate_states(data.laws)
    if not states or gaps.empty:
        st.caption(_("No state in the law table mandates 287(g) of county sheriffs."))
    else:
        default = "TX" if "TX" in states else states[0]
        ui.seed_from_url("state", "state", lambda raw: raw.upper() if raw.upper() in states else None, default)
        state = st.selectbox(_("State"), states, format_func=lambda s: f"{names.get(s, s)} ({s})", key="state")
        ui.set_query_params({"state": state}, bound=("tab",))  # a copied link reopens this state
        summary = compliance.mandate_summary(gaps).set_index("state", drop=False)
        row = summary.loc[state]
        law = data.laws.set_index("state").loc[state]
        due = str(row["due"])
        cols = st.columns(4)
        cols[0].metric(_("Counties"), format_number(int(row["counties"])))
        cols[1].metric(_("With a sheriff or jail agreement"), format_number(int(row["with_sheriff_agreement"])))
        cols[2].metric(_("Without") if due == "due" else _("Without (not yet due)") if due in ("not_yet_due", "not_in_force")
                       else _("Without (date of law not known)"), format_number(int(row["without"])),
                       help=_("Counties pending an application are counted here too.") + " "
                       + _(compliance.DUE_LABELS[due]) + ".")
        cols[3].metric(_("Covered"), format_percent(float(row["pct_covered"]) / 100, decimals=0))
        st.markdown(md_text(compliance.mandate_sentence(row, names.get(state))))
        flag = f" ({_(UNCONFIRMED)})" if law["confidence"] == "low" or due == "day_unknown" else ""
        st.markdown("**" + _("The law{flag}:").format(flag=flag) + f"** {md_text(curated(law['summary']))}")
        if is_http_url(law["source_url"]):  # only http(s) links; link buttons open in a new tab
            st.link_button(_("Source for this law"), str(law["source_url"]).strip())
        chosen = gaps[gaps["state"] == state]
        pub = chosen["publication_date"].iloc[0]
        pending = chosen["pending_publication_date"].iloc[0]
        pending_id = None if pd.isna(pending) else query.latest_publication_id(data.sheets, "pending", pending)
        pending_note = (" " + _("Pending applications from ICE's {note}.").format(
            note=sheet_words.pending_note(data.sheets, pending_id, newest))) if pending_id else ""
        st.caption(_("Models chosen by covered counties (a county may have several): {models}. Counties from the Census "
                     "boundary layer; agreements from ICE's sheet of {date}.").format(
                         models=row["models_chosen"] or _("none"), date=format_day(pub))
                   + pending_note + " " + in_force_caption(pub))
        st.info(_("Counted: a County-type agency placed in the county whose name names a sheriff or a county jail, "
                  "corrections or detention agency. Police departments, constables, district attorneys and state agencies "
                  "do not count. Read the map as what ICE lists, not as a finding of compliance (see the note above and "
                  "*What this does and does not show* below)."), icon="ℹ️")
        from mapcore.render import compliance_map  # the map's module, only on the tab that draws it

        spec = compliance_map.compliance_map(gaps, (state,))
        ui.show_map(spec, key="mandate-map", height=520, sheet_date=pub, filters=query.Filters(states=(state,)), law=True)

        missing = compliance.gaps_table(chosen[chosen["status"] != compliance.COVERED])
        st.markdown("**" + ngettext("{n} county without a sheriff or county jail agreement listed in {state}",
                                    "{n} counties without a sheriff or county jail agreement listed in {state}",
                                    len(missing)).format(n=format_number(len(missing)), state=md_text(names.get(state, state)))
                    + f"** ({md_text(_(compliance.DUE_LABELS[due]).lower())})")
        if missing.empty:
            st.caption(_("Every county has one."))
        else:
            st.dataframe(translated_cells(missing.drop(columns=["State", "ICE sheet", "Pending sheet", "Sheriff or jail agencies",
                                                                "Models"])),
                         hide_index=True, width="stretch", column_config=labels(missing, date_columns("Deadline")))
        ui.table_downloads(compliance.gaps_table(chosen), f"287g-sheriffs-{state}", "mandate", "287(g) law vs practice")
        st.caption(_("Downloads hold every county of the state, covered or not."))

        if data.roster is not None:
            with st.expander(_("Sheriffs' offices of the FBI roster in {state}, by ORI").format(state=names.get(state, state))):
                st.markdown(_(compliance.ROSTER_GAP_NOTE))
                county_names = dict(zip(data.counties["GEOID"].astype(str), data.counties["name"].astype(str)))
                roster_gaps = compliance.roster_mandate_gaps(data.publication(newest), data.publication(data.latest_id("pending")),
                                                             data.roster, data.laws, county_names)
                offices = compliance.roster_gaps_table(roster_gaps[roster_gaps["state"] == state])
                st.dataframe(translated_cells(offices), hide_index=True, width="stretch", column_config=labels(offices))
                ui.table_downloads(offices, f"287g-sheriff-offices-{state}", "mandate-ori", "287(g) sheriffs' offices")
                apart = compliance.counties_without_roster_sheriff(data.roster, data.counties, data.laws)
                apart = apart[apart["state"] == state]
                if len(apart):
                    st.caption(_("Counties with no sheriff's office in the FBI roster (not counted as gaps):") + " "
                               + md_text(", ".join(apart["county"].astype(str))) + ".")

        st.markdown("**" + _("All states whose law mandates 287(g) of sheriffs") + "**")
        overview = summary.assign(due=summary["due"].map(lambda d: _(compliance.DUE_LABELS[d]))).rename(columns={
            "state": "State", "counties": "Counties", "with_sheriff_agreement": "With agreement", "without": "Without",
            "pending_only": "Of which pending", "no_agreement_or_application": "Neither", "pct_covered": "% covered",
            "models_chosen": "Models chosen", "effective_year": "Law's year", "effective_date": "In force from",
            "deadline": "Deadline", "due": "Duty on the sheet's date", "confidence": "Confidence"})
        overview = overview.drop(columns=["JEM", "WSO", "TFM"])
        st.dataframe(translated_cells(overview), hide_index=True, width="stretch",
                     column_config=labels(overview, date_columns("Deadline", "In force from")
                                          | {"Law's year": st.column_config.NumberColumn(_("Law's year"), format="%d")}))
        with st.expander(_("What this does and does not show")):
            st.markdown("\n".join(f"- {line}" for line in compliance.mandate_caveats()))

    duties = compliance.state_level_duties(data.laws, data.publication(newest))
    if not duties.empty:
        st.markdown(_("**Mandates on a state official, not on sheriffs** (not counted above: no county is missing "
                      "anything under these laws)"))
        for _row, duty in duties.iterrows():
            n = int(duty["state_agreements"])
            listed_text = (ngettext("ICE's newest sheet lists {n} agreement of state agencies there: {names}.",
                                    "ICE's newest sheet lists {n} agreements of state agencies there: {names}.", n).format(
                               n=format_number(n), names=duty["state_agencies"])
                           if n else _("ICE's newest sheet lists no agreement of a state agency there."))
            link = f" {external_link(_('Source'), duty['source_url'])}" if duty["source_url"] else ""
            st.markdown(f"- **{md_text(places.state_name(duty['state']))}:** {md_text(curated(duty['duty']))} {md_text(listed_text)}{link}",
                        unsafe_allow_html=True)


def changes_view() -> None:
    st.subheader(_("Changes of state law on 287(g)"))
    st.markdown(_("Each change our law table records: the day the new status took effect and the status before it. Where "
                  "only the year of a law is known, its day and the status before it are not recorded (*day not known*)."))
    changes = law_changes(data.laws)
    shown_changes = pd.DataFrame({
        "State": changes["state"], "Name": changes["state_name"], "Date": changes["date"],
        # our words, never the table's codes (shown translated; the downloads keep the English words)
        "From": [STATUS_LABELS.get(c, c) if isinstance(c, str) else N_("not in our table") for c in changes["from_status"]],
        "To": [STATUS_LABELS.get(c, c) for c in changes["to_status"]],
        "Status changed": changes["status_changed"], "Laws": changes["laws"],
        "Confidence": [f"{c} ({_(UNCONFIRMED)})" if u else c for c, u in zip(changes["confidence"], changes["unconfirmed"])],
        "Source": changes["source_url"],
    })
    st.dataframe(translated_cells(shown_changes), hide_index=True, width="stretch",
                 column_config=labels(shown_changes, {"Source": st.column_config.LinkColumn(_("Source"),
                                                                                             display_text=_("Open source"))}))
    ui.table_downloads(shown_changes, "287g-law-changes", "law-changes", "State law changes")
    if newest_date is not None:
        st.caption(_("ICE's newest sheet is of {date}: changes after that day are not yet reflected in any sheet. Law "
                     "table: data/state_laws.csv.").format(date=format_day(newest_date)))


# Only the open tab's content runs (a switch reruns the page): the first view computes and sends one tab, not
# three. ``.open`` is None where the open tab is not known: then all run.
restrict_tab, mandate_tab, changes_tab = ui.url_tabs("tab", TABS, key="lvp-tab", aliases=OLD_TABS)
for tab, view in ((restrict_tab, restrict_view), (mandate_tab, mandate_view), (changes_tab, changes_view)):
    if tab.open is not False:
        with tab:
            view()
